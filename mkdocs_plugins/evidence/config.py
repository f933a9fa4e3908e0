"""The plugin's options, each documented where it is declared."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class EvidenceConfig(base.Config):
    bib_files = c.ListOfItems(c.Type(str), default=[])
    """BibTeX files, relative to mkdocs.yml. Several files form one library. With none of
    bib_files, bib_file and bib_dir: `bib/references.bib`."""

    bib_file = c.Optional(c.Type(str))
    """mkdocs-bibtex's single-file option; added to `bib_files`."""

    bib_dir = c.Optional(c.Type(str))
    """mkdocs-bibtex: a folder, relative to mkdocs.yml; every `*.bib` below it joins the library."""

    bib_command = c.Type(str, default="\\bibliography")
    """mkdocs-bibtex: a line holding only this puts the page's Notes there (default: at the end)."""

    full_bib_command = c.Type(str, default="\\full_bibliography")
    """mkdocs-bibtex: a line holding only this lists every entry of the library there."""

    bib_by_default = c.Type(bool, default=True)
    """mkdocs-bibtex: accepted; Notes are always written, since every endnote marker needs its note."""

    enable_inline_citations = c.Type(bool, default=True)
    """mkdocs-bibtex: `false` keeps `@key` in running text literal (only `[@key]` cites)."""

    csl_file = c.Optional(c.Type(str))
    """mkdocs-bibtex: ignored (references use the plugin's Harvard style); a message says so."""

    csl_file_encoding = c.Optional(c.Type(str))
    """mkdocs-bibtex: ignored, as csl_file."""

    footnote_format = c.Optional(c.Type(str))
    """mkdocs-bibtex: ignored (endnotes are numbered by the plugin: see numerals)."""

    cite_inline = c.Optional(c.Type(bool))
    """mkdocs-bibtex 2.x: ignored (bracketed citations are always endnotes)."""

    exports = c.Type(bool, default=True)
    """Build references.bib/.ris/.json, linked from the References page, and each entry's BibTeX and RIS to copy or save."""

    entry_exports_limit = c.Type(int, default=2000)
    """Each reference's BibTeX/RIS block is written only when the References page lists at most this
    many works (at 10,000 they would be 17 MB of the page); the whole-library files are always there."""

    cite_this_page = c.Optional(c.Type(str))
    """BibTeX key of the work the site republishes: every page gets a "Cite this page" block citing it."""

    numbering = c.Choice(("site", "page"), default="site")
    """`site`: one sequence across the site in navigation order; `page`: restart on every page."""

    numerals = c.Choice(("lower-roman", "upper-roman", "arabic"), default="lower-roman")
    """How endnote numbers are written."""

    references_page = c.Type(str, default="references.md")
    """Where the generated References page goes (a path inside docs/)."""

    include_uncited = c.Type(bool, default=False)
    """List bibliography entries that no page cites on the References page too."""

    unverified_marker = c.Type(str, default="not verified")
    """An entry whose `note` field contains this text is shown as not yet verified."""

    related_limit = c.Type(int, default=10)
    """How many pages a Related block lists under "also cited in" (most shared works first)."""

    cache = c.Type(bool, default=True)
    """Keep the parsed library and formatted references on disk between builds."""

    cache_dir = c.Type(str, default=".cache/evidence")
    """Where the cache lives, relative to mkdocs.yml (keyed by the .bib contents)."""

    language = c.Optional(c.Type(str))
    """Language of the strings the plugin writes (`en`, `cy`); defaults to the theme's."""

    evidence_map_page = c.Type(str, default="evidence-map.md")
    """Where the generated evidence map (factor x outcome table) goes."""

    evidence_map_table_limit = c.Type(int, default=2500)
    """Above this many factor x outcome cells the map is a list of the pairs sharing works, not a table."""

    evidence_map_intro = c.Type(
        str,
        default=(
            "Each cell counts the works cited both on a factor page (row) and on an outcome page "
            "(column); open a cell to see them. It shows where the review's sources overlap. It is not "
            "a measure of effect or of the strength of evidence: the review makes no such ratings. "
            "The same data is available as [evidence-map.json](evidence-map.json)."
        ),
    )
    """Text above the evidence map; it must say what the counts mean."""

    figure_page = c.Type(str, default="figure-1.md")
    """Where Figure 1 gets a page of its own (it also replaces `<!-- evidence:figure-1 -->`)."""

    figure_working_page = c.Type(str, default="factors/index.md")
    """Page the "Effective multi-agency working" box of Figure 1 links to."""

    figure_prevention_page = c.Type(str, default="outcomes/index.md")
    """Page (optionally with #anchor) the "Early identification and prevention" box links to."""
