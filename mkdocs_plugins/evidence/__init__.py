"""Evidence-review citations for MkDocs: BibTeX, site-wide endnotes, references and backlinks.

The core modules (bibliography, citations, numbering, rendering, resolver) import nothing
from MkDocs; `plugin.py` is the thin adapter.
"""

__version__ = "0.2.0"  # the one version number: pyproject.toml reads it (CHANGELOG.md)
