"""Every string the plugin writes into pages, in English and Welsh (`cy`). The evidence schema's
labels (kinds, groups, the evidence map's and the figure's texts) are the site's (schema.py)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "notes": "Notes",
        "references": "References",
        "cited_in": "Cited in",
        "endnote_label": "Endnote {numeral}",
        "back_to_marker": "Back to endnote {numeral} in the text",
        "not_cited": "Not cited on any page.",
        "unverified": "Full details not yet verified",
        "no_date": "no date",
        "et_al": "et al.",
        "and": "and",
        "related": "Related",
        "see_also": "See also",
        "also_cited_in": "Studies cited here are also cited in",
        "in_common": "in common",
        "one_study": "1 study",
        "n_studies": "{n} studies",
        "in_text": "in the text",
        "sources_cited": "Studies cited on this page",
        "and_more": "and {n} more pages (see the evidence map)",
        "download_library": "Download every entry of the bibliography",
        "cite_formats": "BibTeX and RIS",
        "copy": "Copy {format}",
        "copy_of": "Copy {format} for {work}",
        "harvard": "Harvard reference",
        "download": "Download {file}",
        "cite_this_page": "Cite this page",
        "cite_this_page_intro": "The review, its web edition and this page, in Harvard style and as BibTeX. Add the date you accessed the page if your style asks for it.",
        "this_page": "this page",
        "references_intro": "Every work cited on this site, sorted by author and year. Under each entry, every place that cites it.",
        "references_parts": "References by the first letter of the author",
        "other_initial": "Other",
        "date_locale": "en_GB",
        "whats_new": "What's new",
        "whats_new_intro": "Every change to the pages and to the bibliography, newest first, read from the site's history.",
        "feed": "Follow these changes in a feed reader (Atom feed)",
        "no_history": "No history is available for this build: it was not made from a git repository.",
        "changes_of": "Changes of {date}",
        "first_version": "First version of the site: {pages} pages and {works} works.",
        "pages_changed": "Pages changed",
        "pages_removed": "Pages removed",
        "works_added": "Works added",
        "works_changed": "Works whose details changed",
        "works_removed": "Works removed",
        "version_read": "Last updated {date}; version {version}.",
        "version_only": "Version {version}.",
        "updated_only": "Last updated {date}.",
        "suggest_correction": "Suggest a correction",
        "suggest_correction_note": "Suggest a correction to endnote {numeral}",
        "suggest_correction_reference": "Suggest a correction to the reference {work}",
    },
    "cy": {
        "notes": "Nodiadau",
        "references": "Cyfeiriadau",
        "cited_in": "Dyfynnir yn",
        "endnote_label": "Ôl-nodyn {numeral}",
        "back_to_marker": "Yn ôl at ôl-nodyn {numeral} yn y testun",
        "not_cited": "Heb ei ddyfynnu ar unrhyw dudalen.",
        "unverified": "Manylion llawn heb eu gwirio eto",
        "no_date": "dim dyddiad",
        "et_al": "et al.",
        "and": "a",
        "related": "Cysylltiedig",
        "see_also": "Gweler hefyd",
        "also_cited_in": "Dyfynnir yr astudiaethau hyn hefyd yn",
        "in_common": "yn gyffredin",
        "one_study": "1 astudiaeth",
        "n_studies": "{n} astudiaeth",
        "in_text": "yn y testun",
        "sources_cited": "Astudiaethau a ddyfynnir ar y dudalen hon",
        "and_more": "a {n} tudalen arall (gweler y map tystiolaeth)",
        "download_library": "Lawrlwytho pob cofnod yn y llyfryddiaeth",
        "cite_formats": "BibTeX ac RIS",
        "copy": "Copïo {format}",
        "copy_of": "Copïo {format} ar gyfer {work}",
        "harvard": "cyfeirnod Harvard",
        "download": "Lawrlwytho {file}",
        "cite_this_page": "Dyfynnu'r dudalen hon",
        "cite_this_page_intro": "Yr adolygiad, ei argraffiad gwe a'r dudalen hon, yn arddull Harvard ac fel BibTeX. Ychwanegwch y dyddiad y gwnaethoch gyrchu'r dudalen os yw eich arddull yn gofyn amdano.",
        "this_page": "y dudalen hon",
        "references_intro": "Pob gwaith a ddyfynnir ar y wefan hon, wedi'u trefnu yn ôl awdur a blwyddyn. O dan bob cofnod, pob man sy'n ei ddyfynnu.",
        "references_parts": "Cyfeiriadau yn ôl llythyren gyntaf yr awdur",
        "other_initial": "Arall",
        "date_locale": "cy",
        "whats_new": "Beth sy'n newydd",
        "whats_new_intro": "Pob newid i'r tudalennau ac i'r llyfryddiaeth, y diweddaraf yn gyntaf, o hanes y wefan.",
        "feed": "Dilyn y newidiadau hyn mewn darllenydd ffrydiau (ffrwd Atom)",
        "no_history": "Nid oes hanes ar gael i'r adeiladwaith hwn: ni chafodd ei wneud o ystorfa git.",
        "changes_of": "Newidiadau {date}",
        "first_version": "Fersiwn gyntaf y wefan: {pages} tudalen a {works} gwaith.",
        "pages_changed": "Tudalennau a newidiwyd",
        "pages_removed": "Tudalennau a dynnwyd",
        "works_added": "Gweithiau a ychwanegwyd",
        "works_changed": "Gweithiau y newidiwyd eu manylion",
        "works_removed": "Gweithiau a dynnwyd",
        "version_read": "Diweddarwyd ddiwethaf {date}; fersiwn {version}.",
        "version_only": "Fersiwn {version}.",
        "updated_only": "Diweddarwyd ddiwethaf {date}.",
        "suggest_correction": "Awgrymu cywiriad",
        "suggest_correction_note": "Awgrymu cywiriad i ôl-nodyn {numeral}",
        "suggest_correction_reference": "Awgrymu cywiriad i'r cyfeirnod {work}",
    },
}


def language_code(language: str | None) -> str:
    """'cy' for a theme language such as 'cy' or 'cy_GB'; 'en' for English and any language
    without a table (the schema's labels are looked up with the same code)."""
    base = (language or "en").split("-")[0].split("_")[0].lower()
    return base if base in STRINGS else "en"


def strings_for(language: str | None, content_language: str | None = None) -> dict[str, str]:
    """The table for a theme language such as 'cy' or 'en-GB'; English when unknown.

    `lang_attr` is what the elements holding these strings get when the page text around them is
    in another language (a Welsh interface on English text: ` lang="cy"`), else nothing."""
    code = language_code(language)
    other = content_language is not None and language_code(content_language) != code
    return {**STRINGS[code], "lang_attr": f' lang="{code}"' if other else ""}
