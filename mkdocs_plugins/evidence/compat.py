"""mkdocs-bibtex compatibility: its options and its `\\bibliography` commands, mapped to ours.

A site written for mkdocs-bibtex builds with `- evidence:` in place of `- bibtex:`:

| mkdocs-bibtex | here |
| --- | --- |
| `bib_file`, `bib_dir` | added to the library (`bib_dir`: every `*.bib` below it) |
| `bib_command` (`\\bibliography`) | the page's Notes go where the command stands on its own line |
| `full_bib_command` (`\\full_bibliography`) | the references list, every entry of the library (a page `references.md` holding it is the References page) |
| `bib_by_default` | accepted; Notes are always written (a marker needs its note) |
| `enable_inline_citations` | `false` keeps `@key` in the text literal (no narrative citations) |
| `csl_file`, `csl_file_encoding`, `footnote_format`, `cite_inline` | ignored, with a message |

Nothing here imports MkDocs: the options arrive as a mapping or an `Options`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

DEFAULT_BIB_FILES = ["bib/references.bib"]
NOTES_MARKER = "<!-- evidence:notes -->"

IGNORED = {
    "csl_file": "references are always written in the plugin's Harvard style",
    "csl_file_encoding": "references are always written in the plugin's Harvard style",
    "footnote_format": "endnotes are numbered by the plugin (see the numerals option)",
    "cite_inline": "bracketed citations are always endnotes; use @key for an author (year) citation in the text",
}


def _get(options, name, default=None):
    """An option from a mapping (mkdocs.yml as read by the scripts) or an `Options`."""
    value = options.get(name) if isinstance(options, Mapping) else getattr(options, name, None)
    return default if value is None else value


def is_url(value: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE))


def bib_paths_from_options(options, root: Path) -> list[Path]:
    """Every .bib file the options name: bib_files, then bib_file, then all *.bib under bib_dir.

    With none of the three, `bib/references.bib`.
    """
    files = list(_get(options, "bib_files", []) or [])
    single = _get(options, "bib_file")
    directory = _get(options, "bib_dir")
    if not files and not single and not directory:
        files = list(DEFAULT_BIB_FILES)
    paths = [root / name for name in files]
    if single and not is_url(single):
        paths.append(root / single)
    if directory:
        paths.extend(sorted((root / directory).rglob("*.bib")))
    unique = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def option_messages(options) -> list[str]:
    """What the plugin says about mkdocs-bibtex options it ignores (logged at INFO)."""
    messages = []
    for name, reason in IGNORED.items():
        if _get(options, name) not in (None, ""):
            messages.append(f"mkdocs-bibtex option '{name}' is ignored: {reason}. You can remove it.")
    single = _get(options, "bib_file")
    if single and is_url(single):
        messages.append(
            f"bib_file '{single}' is a URL: the evidence plugin reads local files only. "
            "Download the file into the repository and name its path in bib_file."
        )
    return messages


def narrative_enabled(options) -> bool:
    """mkdocs-bibtex's `enable_inline_citations: false` turns off `@key` in running text."""
    return bool(_get(options, "enable_inline_citations", True))


def replace_commands(markdown: str, bib_command: str = "\\bibliography",
                     full_bib_command: str = "\\full_bibliography",
                     full_marker: str = "<!-- evidence:references -->") -> str:
    """A line holding only `\\bibliography` / `\\full_bibliography` becomes the plugin's marker.

    Same number of lines, so citation line numbers do not move. (Python-Markdown keeps an
    HTML comment on a line of its own as a block, never inside a paragraph.)
    """
    if bib_command not in markdown and full_bib_command not in markdown:
        return markdown
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        text = line.strip()
        if text and text == bib_command:
            lines[index] = NOTES_MARKER
        elif text and text == full_bib_command:
            lines[index] = full_marker
    return "\n".join(lines)


def holds_command(markdown: str, command: str) -> bool:
    return any(line.strip() == command for line in markdown.split("\n"))


def place_notes(html: str, notes_html: str) -> str:
    """The Notes where `\\bibliography` stood (first place; other ones removed), else at the end."""
    if NOTES_MARKER not in html:
        return html + "\n" + notes_html if notes_html else html
    first, rest = html.split(NOTES_MARKER, 1)
    return first + notes_html + rest.replace(NOTES_MARKER, "")
