"""Every string the plugin writes into pages, in English and Welsh (`cy`)."""

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
        "references_intro": "Every work cited on this site, sorted by author and year. Under each entry, every place that cites it.",
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
        "references_intro": "Pob gwaith a ddyfynnir ar y wefan hon, wedi'u trefnu yn ôl awdur a blwyddyn. O dan bob cofnod, pob man sy'n ei ddyfynnu.",
    },
}


def strings_for(language: str | None) -> dict[str, str]:
    """The table for a theme language such as 'cy' or 'en-GB'; English when unknown."""
    base = (language or "en").split("-")[0].split("_")[0].lower()
    return STRINGS.get(base, STRINGS["en"])
