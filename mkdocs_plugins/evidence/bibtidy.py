"""A lossless BibTeX reader/writer for `scripts/bib_tidy.py` and the per-entry exports.

The reader follows pybtex's grammar (what the site builds from), but keeps every field
value exactly as written, and every comment and blank line between entries. The writer:

- sorts entries by key (case-insensitively) *within each section*: a section is a run of
  entries between comment lines, `@string` or `@preamble` blocks, which all stay where
  they are, byte for byte (only blank lines around them are normalised);
- writes `@type{key,` in lower case, one field per line, names in lower case, aligned,
  in a fixed order (`FIELD_ORDER`; fields it does not list keep their relative order);
- writes every value in braces: `"..."` becomes `{...}` and `2005` becomes `{2005}`;
  macro names (`jan`, `@string` names) and `#` concatenations are kept.

No value's characters change. `tidy_text` verifies that with pybtex (every entry's type,
fields and persons, and every macro and preamble) before it returns, and raises otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import ascii_letters, digits

_NAME_CHARS = ascii_letters + "@!$&*+-./:;<>?[\\]^_`|~\x7f"
_NAME = re.compile(rf"[{re.escape(_NAME_CHARS)}][{re.escape(_NAME_CHARS + digits)}]*")
_KEY_BRACE = re.compile(r"[^\s,}]+")
_KEY_PAREN = re.compile(r"[^\s,]+")
_NUMBER = re.compile(r"[0-9]+")
_WS = re.compile(r"\s*")

FIELD_ORDER = [
    "author", "editor", "translator", "title", "subtitle", "booktitle", "maintitle", "journal", "journaltitle",
    "edition", "volume", "number", "series", "chapter", "pages", "type", "institution", "organization", "school",
    "publisher", "address", "location", "howpublished", "year", "month", "date", "crossref", "doi", "pmid", "pmcid",
    "isbn", "issn", "url", "urldate", "*", "note", "annote", "annotation",
]
_ORDER = {name: index for index, name in enumerate(FIELD_ORDER)}


class BibTidyError(ValueError):
    """The text cannot be read, or tidying it would change a value."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass
class Value:
    """A field value as written: parts joined by `#`, each `{...}`, `"..."`, a number or a macro name."""

    parts: list[tuple[str, str]]  # (kind, text as written): kind in brace | quote | number | macro

    def content(self) -> list[str]:
        """Each part without its delimiters: what BibTeX reads (macros by name)."""
        return [text[1:-1] if kind in ("brace", "quote") else text for kind, text in self.parts]

    def normalised(self) -> str:
        out = []
        for kind, text in self.parts:
            if kind == "quote":
                out.append("{" + text[1:-1] + "}")
            elif kind == "number":
                out.append("{" + text + "}")
            else:
                out.append(text)
        return " # ".join(out)


@dataclass
class Field:
    name: str
    value: Value


@dataclass
class Entry:
    type: str
    key: str
    fields: list[Field]
    raw: str
    line: int

    def format(self) -> str:
        order = [(_ORDER.get(f.name.lower(), _ORDER["*"]), i, f) for i, f in enumerate(self.fields)]
        fields = [f for _, _, f in sorted(order, key=lambda item: (item[0], item[1]))]
        width = max((len(f.name) for f in fields), default=0)
        lines = [f"@{self.type.lower()}{{{self.key},"]
        for index, f in enumerate(fields):
            comma = "," if index < len(fields) - 1 else ""
            lines.append(f"  {f.name.lower().ljust(width)} = {f.value.normalised()}{comma}")
        lines.append("}")
        return "\n".join(lines)


@dataclass
class Text:
    """Anything between entries: comments, blank lines, `@comment`, `@string`, `@preamble`."""

    raw: str
    fixed: bool = False  # @string / @preamble: always a section boundary


@dataclass
class BibFile:
    blocks: list[Entry | Text] = field(default_factory=list)
    macros: dict[str, Value] = field(default_factory=dict)  # lower-cased @string name -> its value

    @property
    def entries(self) -> list[Entry]:
        return [b for b in self.blocks if isinstance(b, Entry)]


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self._counted = (0, 1)  # (position, its line): lines are counted on from there, not from the top

    def line(self, pos: int | None = None) -> int:
        pos = self.pos if pos is None else pos
        since, line = self._counted if pos >= self._counted[0] else (0, 1)
        line += self.text.count("\n", since, pos)
        self._counted = (pos, line)
        return line

    def fail(self, what: str):
        raise BibTidyError(f"expected {what}", self.line())

    def ws(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()

    def token(self, pattern: re.Pattern) -> str | None:
        self.ws()
        match = pattern.match(self.text, self.pos)
        if not match:
            return None
        self.pos = match.end()
        return match.group(0)

    def literal(self, chars: str) -> str | None:
        self.ws()
        if self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1
            return self.text[self.pos - 1]
        return None

    def delimited(self, start: int, end_char: str) -> str:
        """From `start` (at an opening `{` or `"`) to its matching end, braces balanced."""
        level = 0
        pos = start + 1
        while pos < len(self.text):
            char = self.text[pos]
            if char == "{":
                level += 1
            elif char == "}":
                if level == 0:
                    if end_char == "}":
                        return self.text[start:pos + 1]
                    raise BibTidyError("unbalanced braces", self.line(pos))
                level -= 1
            elif char == '"' and end_char == '"' and level == 0:
                return self.text[start:pos + 1]
            pos += 1
        raise BibTidyError("unexpected end of file inside a value", self.line(start))

    def value(self) -> Value:
        parts = []
        while True:
            self.ws()
            char = self.text[self.pos:self.pos + 1]
            if char in ("{", '"'):
                raw = self.delimited(self.pos, "}" if char == "{" else '"')
                self.pos += len(raw)
                parts.append(("brace" if char == "{" else "quote", raw))
            elif (number := _NUMBER.match(self.text, self.pos)) is not None:
                self.pos = number.end()
                parts.append(("number", number.group(0)))
            elif (name := _NAME.match(self.text, self.pos)) is not None:
                self.pos = name.end()
                parts.append(("macro", name.group(0)))
            else:
                self.fail("a field value")
            if not self.literal("#"):
                return Value(parts)


def read_bib(text: str) -> BibFile:
    """Split a .bib text into entries and the text between them, losing nothing."""
    reader = _Reader(text)
    result = BibFile()
    junk_start = 0
    while True:
        at = text.find("@", reader.pos)
        if at == -1:
            break
        reader.pos = at + 1
        command = reader.token(_NAME)
        opening = reader.literal("{(") if command else None
        if not command or not opening:
            raise BibTidyError("'@' not followed by an entry type and '{'", reader.line(at))
        closing = "}" if opening == "{" else ")"
        kind = command.lower()
        if kind == "comment":
            continue  # like pybtex: the rest up to the next '@' is ignored text
        if kind in ("string", "preamble"):
            name = None
            if kind == "string":
                name = reader.token(_NAME)
                if not name or not reader.literal("="):
                    reader.fail("NAME = value in @string")
            value = reader.value()
            if name:
                result.macros[name.lower()] = value
            if not reader.literal(closing):
                reader.fail(f"'{closing}'")
            continue  # kept verbatim as part of the surrounding text; a section boundary
        start_line = reader.line(at)
        key = reader.token(_KEY_BRACE if closing == "}" else _KEY_PAREN)
        if key is None:
            reader.fail("an entry key")
        fields = []
        while True:
            name = reader.token(_NAME)
            if name:
                if not reader.literal("="):
                    reader.fail(f"'=' after field name {name}")
                fields.append(Field(name, reader.value()))
            if not reader.literal(","):
                break
        if not reader.literal(closing):
            reader.fail(f"',' or '{closing}' in entry {key}")
        junk = text[junk_start:at]
        if junk:
            result.blocks.append(Text(junk, fixed=_has_fixed(junk)))
        result.blocks.append(Entry(command, key, fields, text[at:reader.pos], start_line))
        junk_start = reader.pos
    if text[junk_start:]:
        result.blocks.append(Text(text[junk_start:], fixed=_has_fixed(text[junk_start:])))
    return result


_FIXED = re.compile(r"@\s*(string|preamble)\s*[{(]", re.IGNORECASE)


def _has_fixed(junk: str) -> bool:
    return bool(_FIXED.search(junk))


def _trim_blank_lines(raw: str) -> str:
    lines = raw.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def format_bib(bib: BibFile, sort: bool = True) -> str:
    """The tidy text: sections in place, entries sorted and formatted within each."""
    out: list[str] = []
    run: list[Entry] = []

    def flush():
        ordered = sorted(run, key=lambda e: (e.key.casefold(), e.key)) if sort else run
        out.extend(entry.format() for entry in ordered)
        run.clear()

    for block in bib.blocks:
        if isinstance(block, Entry):
            run.append(block)
            continue
        text = _trim_blank_lines(block.raw)
        if text:  # a comment or @string: the section boundary stays in place
            flush()
            out.append(text)
    flush()
    return "\n\n".join(out) + "\n"


def tidy_text(text: str, sort: bool = True) -> str:
    """Tidy one .bib text; raises BibTidyError if the result would read differently."""
    tidy = format_bib(read_bib(text), sort=sort)
    differences = compare(text, tidy)
    if differences:
        raise BibTidyError("tidying would change the library: " + "; ".join(differences[:5]))
    return tidy


# --- Verification --------------------------------------------------------------------------


def pybtex_view(text: str) -> dict:
    """What pybtex reads from a .bib text, as plain data; raises on any pybtex error."""
    import pybtex.errors
    from pybtex.database.input.bibtex import Parser

    parser = Parser()
    with pybtex.errors.capture() as errors:
        data = parser.parse_string(text)
    if errors:
        raise BibTidyError(f"pybtex cannot read the file cleanly: {errors[0]}", getattr(errors[0], "lineno", None))
    entries = {}
    for key, entry in data.entries.items():
        entries[key] = {
            "type": entry.type.lower(),
            "fields": {name.lower(): value for name, value in entry.fields.items()},
            "persons": {role.lower(): [str(p) for p in persons] for role, persons in entry.persons.items()},
        }
    return {"entries": entries, "preamble": list(data.preamble_list),
            "macros": {k.lower(): v for k, v in parser.macros.items()}}


def raw_view(text: str) -> dict:
    """Every entry's fields as written (content without delimiters, exact characters)."""
    view = {}
    for entry in read_bib(text).entries:
        view[entry.key] = (entry.type.lower(), sorted((f.name.lower(), tuple(f.value.content())) for f in entry.fields))
    return view


def comment_lines(text: str) -> list[str]:
    """Non-blank lines outside entries (comments, @string, @preamble), in order."""
    lines = []
    for block in read_bib(text).blocks:
        if isinstance(block, Text):
            lines.extend(line for line in block.raw.split("\n") if line.strip())
    return lines


def compare(before: str, after: str) -> list[str]:
    """Human-readable differences between two .bib texts (empty when equivalent)."""
    problems = []
    old, new = pybtex_view(before), pybtex_view(after)
    for key in old["entries"].keys() | new["entries"].keys():
        if old["entries"].get(key) != new["entries"].get(key):
            problems.append(f"entry {key} differs")
    if old["preamble"] != new["preamble"] or old["macros"] != new["macros"]:
        problems.append("@string or @preamble differs")
    if raw_view(before) != raw_view(after):
        problems.append("a value's characters differ")
    if sorted(comment_lines(before)) != sorted(comment_lines(after)):
        problems.append("comments differ")
    return problems


# BibTeX's own macros: every style defines them, so an entry using them stands on its own.
STANDARD_MACROS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def expand_macros(value: Value, macros: dict[str, Value], depth: int = 0) -> Value:
    """`institution = org` with `@string{org = {An Institute}}` -> `{An Institute}`: the
    file's own macros replaced by their text (`#` joins kept), BibTeX's month names kept."""
    parts: list[tuple[str, str]] = []
    for kind, text in value.parts:
        macro = macros.get(text.lower()) if kind == "macro" and text.lower() not in STANDARD_MACROS else None
        if macro is None or depth > 20:  # unknown (pybtex reports it) or defined in terms of itself
            parts.append((kind, text))
        else:
            parts.extend(expand_macros(macro, macros, depth + 1).parts)
    return Value(parts)


def entry_texts(text: str) -> dict[str, str]:
    """Lower-cased key -> the entry as tidy would write it, with the file's @string macros
    expanded, so each entry is usable on its own (the per-entry BibTeX exports)."""
    bib = read_bib(text)
    texts = {}
    for entry in bib.entries:
        if bib.macros:
            entry = Entry(entry.type, entry.key, [Field(f.name, expand_macros(f.value, bib.macros)) for f in entry.fields],
                          entry.raw, entry.line)
        texts[entry.key.lower()] = entry.format()
    return texts
