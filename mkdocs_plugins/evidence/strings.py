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
        "related": "Related",
        "see_also": "See also",
        "also_cited_in": "Studies cited here are also cited in",
        "in_common": "in common",
        "one_study": "1 study",
        "n_studies": "{n} studies",
        "map_caption": "Number of works cited on both a factor page (rows) and an outcome page (columns). This shows where the review's sources overlap, not measured effects or the strength of evidence.",
        "factor": "Factor",
        "outcome": "Outcome",
        "factors": "Factors",
        "outcomes": "Outcomes for children and families",
        "effective_working": "Effective multi-agency working",
        "prevention": "Early identification and prevention/intervention",
        "figure_desc": "Factors make multi-agency working effective; effective multi-agency working leads to outcomes for children and families, directly or through early identification and prevention/intervention.",
        "figure_caption": "Figure 1: Effective multi-agency working for children looked after",
        "evidence_map": "Evidence map",
        "in_text": "in the text",
        "and_more": "and {n} more pages (see the evidence map)",
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
        "related": "Cysylltiedig",
        "see_also": "Gweler hefyd",
        "also_cited_in": "Dyfynnir yr astudiaethau hyn hefyd yn",
        "in_common": "yn gyffredin",
        "one_study": "1 astudiaeth",
        "n_studies": "{n} astudiaeth",
        "map_caption": "Nifer y gweithiau a ddyfynnir ar dudalen ffactor (rhesi) ac ar dudalen canlyniad (colofnau). Mae'n dangos lle mae ffynonellau'r adolygiad yn gorgyffwrdd, nid effeithiau a fesurwyd na chryfder y dystiolaeth.",
        "factor": "Ffactor",
        "outcome": "Canlyniad",
        "factors": "Ffactorau",
        "outcomes": "Canlyniadau i blant a theuluoedd",
        "effective_working": "Gweithio amlasiantaethol effeithiol",
        "prevention": "Adnabod yn gynnar ac atal/ymyrryd",
        "figure_desc": "Mae ffactorau'n gwneud gweithio amlasiantaethol yn effeithiol; mae gweithio amlasiantaethol effeithiol yn arwain at ganlyniadau i blant a theuluoedd, yn uniongyrchol neu drwy adnabod yn gynnar ac atal/ymyrryd.",
        "figure_caption": "Ffigur 1: Gweithio amlasiantaethol effeithiol i blant sy'n derbyn gofal",
        "evidence_map": "Map tystiolaeth",
        "in_text": "yn y testun",
        "and_more": "a {n} tudalen arall (gweler y map tystiolaeth)",
        "references_intro": "Pob gwaith a ddyfynnir ar y wefan hon, wedi'u trefnu yn ôl awdur a blwyddyn. O dan bob cofnod, pob man sy'n ei ddyfynnu.",
    },
}


def strings_for(language: str | None) -> dict[str, str]:
    """The table for a theme language such as 'cy' or 'en-GB'; English when unknown."""
    base = (language or "en").split("-")[0].split("_")[0].lower()
    return STRINGS.get(base, STRINGS["en"])
