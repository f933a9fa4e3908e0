"""The plugin's options, each documented where it is declared."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class EvidenceConfig(base.Config):
    bib_files = c.ListOfItems(c.Type(str), default=["bib/references.bib"])
    """BibTeX files, relative to mkdocs.yml. Several files form one library."""

    bib_file = c.Optional(c.Type(str))
    """mkdocs-bibtex's single-file option; added to `bib_files`."""

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

    language = c.Optional(c.Type(str))
    """Language of the strings the plugin writes (`en`, `cy`); defaults to the theme's."""
