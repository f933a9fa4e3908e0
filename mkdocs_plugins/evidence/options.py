"""The plugin's options, each documented where it is declared.

Plain data (no MkDocs): the site assembly reads them, a script or another generator can make
them with `Options(**mapping)` or `Options.from_mapping(mapping)`, and `config.py` derives
MkDocs' config schema from these fields, so every default is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal, Mapping


@dataclass
class Options:
    bib_files: list[str] = field(default_factory=list)
    """BibTeX files, relative to mkdocs.yml. Several files form one library. With none of
    bib_files, bib_file and bib_dir: `bib/references.bib`."""

    bib_file: str | None = None
    """mkdocs-bibtex's single-file option; added to `bib_files`."""

    bib_url_timeout: int = 10
    """Seconds to wait for a `bib_file` given as an http(s) address (fetched once per build; the
    last copy fetched is kept in cache_dir and used, with a message, when a fetch fails)."""

    bib_dir: str | None = None
    """mkdocs-bibtex: a folder, relative to mkdocs.yml; every `*.bib` below it joins the library."""

    bib_command: str = "\\bibliography"
    """mkdocs-bibtex: a line holding only this puts the page's Notes there (default: at the end)."""

    full_bib_command: str = "\\full_bibliography"
    """mkdocs-bibtex: a line holding only this lists every entry of the library there."""

    bib_by_default: bool = True
    """mkdocs-bibtex: accepted; Notes are always written, since every endnote marker needs its note."""

    enable_inline_citations: bool = True
    """mkdocs-bibtex: `false` keeps `@key` in running text literal (only `[@key]` cites)."""

    csl_file: str | None = None
    """mkdocs-bibtex: ignored (references use the plugin's Harvard style); a message says so."""

    csl_file_encoding: str | None = None
    """mkdocs-bibtex: ignored, as csl_file."""

    footnote_format: str | None = None
    """mkdocs-bibtex: ignored (endnotes are numbered by the plugin: see numerals)."""

    cite_inline: bool | None = None
    """mkdocs-bibtex 2.x: ignored (bracketed citations are always endnotes)."""

    exports: bool = True
    """Build references.bib/.ris/.json, linked from the References page, and each entry's BibTeX and RIS to copy or save."""

    entry_exports_limit: int = 2000
    """Each reference's "BibTeX and RIS" disclosure is written only when a References page lists at
    most this many works; the whole-library files are always there."""

    references_page_size: int = 100
    """A library with more works than this gets one References page per initial letter (a letter
    with more gets several), beside the References page, which then lists the letters: a phone
    never loads 10,000 works at once. 100 works (about 1,100 elements with Cited in) load on a
    phone as lightly as the review's References page; 500 took a 1.5 s long task. 0: always one page."""

    cite_this_page: str | None = None
    """BibTeX key of the work the site republishes: every page gets a "Cite this page" block citing it,
    and the citation_* tags and JSON-LD in its head."""

    interfaces: dict[str, str] = field(default_factory=dict)
    """Builds of the same pages in other interface languages: language -> folder under site_url
    (`{en: "", cy: cy/}`). Each page links its twins (hreflang, x-default); the build in folder
    `""` writes robots.txt naming every build's sitemap. A build whose theme language has a
    folder here is published in it: its site_url becomes site_url + that folder."""

    content_language: str | None = None
    """Language of the pages' text (citation_language, JSON-LD inLanguage); default: the theme's."""

    social_image: str | None = None
    """An image in docs/ (PNG or JPEG, 1200x630) for Open Graph and Twitter cards, served by the site."""

    whats_new_page: str | None = None
    """Where the generated What's new page goes (e.g. `whats-new.md`): the changes to docs/ and the
    .bib files, by day, read from git. Setting it also puts the version (release tag or commit)
    in "Cite this page". Unset: no page, and git is not read."""

    whats_new_days: int = 50
    """How many days with changes What's new and its feed list (newest first)."""

    feed: str = "feed.xml"
    """The Atom feed of What's new, a path in the site; written when `site_url` is set (feeds need
    absolute addresses), and linked from every page's head."""
    correction_form: str | None = None
    """File name of a GitHub issue form in `.github/ISSUE_TEMPLATE/` of the repository at
    mkdocs.yml's `repo_url` (e.g. `correction.yml`): every page ends with "Suggest a correction",
    and each endnote and reference has one, opening the form prefilled with the page's title and
    address and the note or reference (fields `page` and `concerns`). Without `repo_url`: no links."""

    numbering: Literal["site", "page"] = "site"
    """`site`: one sequence across the site in navigation order; `page`: restart on every page."""

    numerals: Literal["lower-roman", "upper-roman", "arabic"] = "lower-roman"
    """How endnote numbers are written."""

    references_page: str = "references.md"
    """Where the generated References page goes (a path inside docs/)."""

    include_uncited: bool = False
    """List bibliography entries that no page cites on the References page too."""

    unverified_marker: str = "not verified"
    """An entry whose `note` field contains this text is shown as not yet verified."""

    related_limit: int = 10
    """How many pages a Related block lists under "also cited in" (most shared works first)."""

    cache: bool = True
    """Keep the parsed library and formatted references on disk between builds."""

    cache_dir: str = ".cache/evidence"
    """Where the cache lives, relative to mkdocs.yml (keyed by the .bib contents)."""

    language: str | None = None
    """Language of the strings the plugin writes (`en`, `cy`); defaults to the theme's."""

    evidence_map_table_limit: int = 2500
    """Above this many cells (rows x columns) the evidence map is a list of the pairs sharing works, not a table."""

    schema: dict | str | None = None
    """The evidence schema: kinds of evidence page, their groups and labels, the evidence map and
    the figure (schema.py describes it), as a mapping here or the path of a YAML file relative
    to mkdocs.yml. Without it, pages are plain pages: citations, notes and a References page."""

    @classmethod
    def from_mapping(cls, values: Mapping) -> "Options":
        """Options from a mapping (MkDocs' validated config, or a dict); unknown names are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in dict(values).items() if name in names})
