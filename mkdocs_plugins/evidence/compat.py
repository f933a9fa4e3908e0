"""mkdocs-bibtex compatibility: its options and its `\\bibliography` commands, mapped to ours.

A site written for mkdocs-bibtex builds with `- evidence:` in place of `- bibtex:`:

| mkdocs-bibtex | here |
| --- | --- |
| `bib_file`, `bib_dir` | added to the library (`bib_dir`: every `*.bib` below it; a `bib_file` http(s) address is fetched: remote.py) |
| `bib_command` (`\\bibliography`) | the page's Notes go where the command stands on its own line |
| `full_bib_command` (`\\full_bibliography`) | the references list, every entry of the library (a page `references.md` holding it is the References page) |
| `bib_by_default` | `true` (the default) works; `false` is named in the warning below: Notes are always written |
| `enable_inline_citations` | `false` keeps `@key` in the text literal (no narrative citations) |
| `csl_file`, `csl_file_encoding`, `footnote_format`, `cite_inline` | no effect: named, with what to do, in one warning |

Nothing here imports MkDocs: the options arrive as a mapping or an `Options`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

DEFAULT_BIB_FILES = ["bib/references.bib"]
NOTES_MARKER = "<!-- evidence:notes -->"

# mkdocs-bibtex's options that change nothing here, and why (its other options all work).
IGNORED = {
    "csl_file": "references are in the plugin's Harvard style, not a CSL style",
    "csl_file_encoding": "no CSL file is read",
    "footnote_format": "endnotes are numbered by the plugin, as its numerals option says",
    "cite_inline": "bracketed citations are always endnotes; write @key for Author (Year) in the text",
    "bib_by_default": "every page with citations gets its Notes (a marker needs its note); \\bibliography only places them",
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


def ignored_options(options) -> list[str]:
    """The mkdocs-bibtex options set in mkdocs.yml that have no effect here (any value counts,
    `footnote_format: ''` too; `bib_by_default` only when false)."""
    names = [name for name in IGNORED if name != "bib_by_default" and _get(options, name) is not None]
    if _get(options, "bib_by_default", True) is False:
        names.append("bib_by_default")
    return names


def ignored_options_warning(options) -> str | None:
    """One warning naming every ignored option, why, and what to do."""
    names = ignored_options(options)
    if not names:
        return None
    reasons = "; ".join(f"{name}: {IGNORED[name]}" for name in names)
    return (f"mkdocs-bibtex option(s) {', '.join(names)} in mkdocs.yml have no effect with the evidence "
            f"plugin ({reasons}). Remove them from the plugin's options.")


def option_messages(options) -> list[str]:
    """What the plugin says at INFO about the options (the ignored ones: ignored_options_warning)."""
    messages = []
    single = _get(options, "bib_file")
    if single and is_url(single) and remote_bib(options) is None:
        messages.append(
            f"bib_file '{single}' is an address the plugin does not fetch: only http(s) addresses are. "
            "Download the file into the repository and name its path in bib_file."
        )
    return messages


def remote_bib(options) -> str | None:
    """mkdocs-bibtex's `bib_file` as an http(s) address (fetched by remote.py), else None."""
    single = _get(options, "bib_file")
    return single if single and re.match(r"^https?://", single, re.IGNORECASE) else None


def bib_dir_problem(options, root: Path) -> str | None:
    """What is wrong with `bib_dir`, if anything: a folder that is not there, or holds no .bib."""
    directory = _get(options, "bib_dir")
    if not directory:
        return None
    path = root / directory
    if not path.is_dir():
        return (f"bib_dir '{directory}' is not a folder ({path} does not exist). Check the path: it is "
                "relative to the folder holding mkdocs.yml.")
    if not any(path.rglob("*.bib")):
        return f"bib_dir '{directory}' holds no .bib file. Put the bibliography there, or fix the path."
    return None


def narrative_enabled(options) -> bool:
    """mkdocs-bibtex's `enable_inline_citations: false` turns off `@key` in running text."""
    return bool(_get(options, "enable_inline_citations", True))


_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def _blank_heading_above(lines: list[str], index: int) -> None:
    """An author's own heading right above `\\bibliography` ("## Bibliography") would be left
    empty above the Notes, which have their own heading: blank it (the line count stays)."""
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above < 0:
        return
    if _ATX_HEADING.match(lines[above]):
        lines[above] = ""
    elif _SETEXT_UNDERLINE.match(lines[above]) and above > 0 and lines[above - 1].strip():
        lines[above] = lines[above - 1] = ""


def replace_commands(markdown: str, bib_command: str = "\\bibliography",
                     full_bib_command: str = "\\full_bibliography",
                     full_marker: str = "<!-- evidence:references -->",
                     bib_marker: str = NOTES_MARKER) -> str:
    """A line holding only `\\bibliography` / `\\full_bibliography` becomes the plugin's marker.

    Same number of lines, so citation line numbers do not move. (Python-Markdown keeps an
    HTML comment on a line of its own as a block, never inside a paragraph.) A heading right
    above `\\bibliography` is dropped: the Notes bring their own. On the References page
    `bib_marker` is the references list's marker: there `\\bibliography` places the list.
    """
    if bib_command not in markdown and full_bib_command not in markdown:
        return markdown
    lines = markdown.split("\n")
    for index, text in lines_outside_code(lines):  # a command in code is code, not a command
        if text == bib_command:
            lines[index] = bib_marker
            if bib_marker == NOTES_MARKER:
                _blank_heading_above(lines, index)  # lines above: the scan has passed them
        elif text == full_bib_command:
            lines[index] = full_marker
    return "\n".join(lines)


_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+\.) +")  # Python-Markdown's list items (tab_length 4)
_RULE = re.compile(r"^ {0,3}(?:(?:\* *){3,}|(?:- *){3,}|(?:_ *){3,}|=+ *)$")  # a rule, or a setext underline


def lines_outside_code(lines: list[str]):
    """(index, stripped text) of each non-blank line that is not code, as Python-Markdown reads
    the page: code is a fenced block (``` or ~~~, as fenced_code and superfences write it) or an
    indented one. Python-Markdown parses blocks (split at blank lines): a block indented 4 spaces
    (a tab counts 4) deeper than the lists it continues is code. After a list item, `    text`
    is a paragraph of the item and `        text` its code; a heading, a rule or a setext
    underline ends its block, so an indented line right below one starts a code block."""
    fence = None
    depth = 0  # lists open around the next block (Python-Markdown's ListIndentProcessor)
    block_start = True  # the line starts a block: the first line, or after a blank line or a heading
    in_code = False
    for index, line in enumerate(lines):
        if fence is not None:
            closing = _FENCE.match(line)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence) \
                    and not line[closing.end():].strip():
                fence = None
            continue
        expanded = line.expandtabs(4)
        text = line.strip()
        if not text:
            block_start = True
            continue
        indent = len(expanded) - len(expanded.lstrip(" "))
        if in_code and not block_start and indent < 4 * (depth + 1):
            block_start = True  # an indented code block ends at a line indented less
        if block_start:
            level = indent // 4
            in_code = level > depth
            if not in_code:
                depth = level + 1 if _LIST_ITEM.match(expanded[4 * level:]) else level
        elif depth and not in_code and _LIST_ITEM.match(expanded[4 * min(indent // 4, depth):]):
            depth = min(indent // 4, depth) + 1  # a nested list inside the block (`- a` / `    - b`)
        block_start = False
        if in_code:
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            continue
        if _ATX_HEADING.match(expanded) or _RULE.match(expanded):
            block_start = True
        yield index, text


def holds_command(markdown: str, command: str) -> bool:
    """Does a line outside code hold only `command` (`\\full_bibliography`)?"""
    if command not in markdown:
        return False
    return any(text == command for _, text in lines_outside_code(markdown.split("\n")))


def place_notes(html: str, notes_html: str) -> str:
    """The Notes where `\\bibliography` stood (first place; other ones removed), else at the end."""
    if NOTES_MARKER not in html:
        return html + "\n" + notes_html if notes_html else html
    first, rest = html.split(NOTES_MARKER, 1)
    return first + notes_html + rest.replace(NOTES_MARKER, "")
