"""Load BibTeX with pybtex; derive short labels, year letters and Harvard references.

Labels follow the review's conventions: one author `Surname`, two `Surname and Surname`,
three or more `Surname et al.`; corporate authors as written; `n.d.` as `no date`.
Year letters (`2005a`, `2005b`) are computed once for the whole library.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING, Any

from .problems import ProblemList
from .strings import STRINGS

if TYPE_CHECKING:  # pybtex is imported only when a .bib must really be parsed (not on a warm cache)
    from pybtex.database import BibliographyData, Entry, Person

# Where each entry starts, so messages can name file:line (pybtex keeps no positions). The key
# may sit on the next line (`@misc{\n  key,`), and a file may start with a byte-order mark.
ENTRY_START = re.compile(r"^[ \t\ufeff]*@[ \t]*(\w+)[ \t]*[{(]\s*([^,\s{}()]+)\s*,", re.MULTILINE)
_NO_DATE = {"n.d.", "nd", "n. d.", "no date", "undated"}


# What a page needs to cite a work, kept in memory for every work of the library.
WORK_LIGHT = ("key", "entry_type", "label", "year", "file", "line", "year_suffix", "sort_key", "verified")
# What only a reference, its exports and metadata need: read from the cache when asked for.
WORK_HEAVY = ("fields", "raw_fields", "persons")


def library_key(key: str) -> str:
    """`key` as the library looks a work up (lower-cased), one shared copy of each (interned):
    the library, the citing places, the graph and the letter pages hold the same string, not a
    copy per citation."""
    return sys.intern(key.lower())


class _FormattedValue:
    """A value the formatter sets on a work (`work._<name>`); None on a work read from the cache,
    which then asks the cache file (`store.<name>(lower_key)`) each time: not held in memory."""

    def __set_name__(self, owner, name: str) -> None:
        self.name, self.slot = name, f"_{name}"

    def __get__(self, work, owner=None):
        if work is None:
            return self
        value = getattr(work, self.slot)
        return getattr(work._store, self.name)(work.key.lower()) if value is None else value

    def __set__(self, work, value: str) -> None:
        setattr(work, self.slot, value)

    def set_this_build(self, work) -> str | None:
        """The value set on `work` this build (by the formatter), or None when only the cache
        file holds it: `Work.reference_html.set_this_build(work)`."""
        return getattr(work, self.slot)


class Work:
    """One bibliography entry, with everything a page needs to cite it.

    A work read from the cache (`stored`) keeps only WORK_LIGHT in memory: `fields`, `raw_fields`,
    `persons`, `reference_html` and `coins_html` are read from the cache when asked for (10,000
    works: 20 MB less held through the build; cache.py keeps the last few read).
    """

    __slots__ = (*WORK_LIGHT, "_heavy", "_reference_html", "_coins_html", "_store")

    def __init__(self, key: str, entry_type: str, label: str, year: str, file: str, line: int,
                 year_suffix: str = "", sort_key: tuple = (), verified: bool = True,
                 fields: dict[str, str] | None = None, raw_fields: dict[str, str] | None = None,
                 persons: dict[str, list[str]] | None = None, reference_html: str = ""):
        self.key = key
        self.entry_type = entry_type
        self.label = label  # "Atkinson et al."
        self.year = year  # "2005", or "" when undated
        self.file = file
        self.line = line
        self.year_suffix = year_suffix  # "a", "b", ... when label and year collide
        self.sort_key = sort_key
        self.verified = verified
        # decoded to Unicode text; as written in the .bib (LaTeX); role -> names as written
        self._heavy = ({} if fields is None else fields, {} if raw_fields is None else raw_fields,
                       {} if persons is None else persons)
        self._reference_html = reference_html  # filled by the formatter, only for works a page cites
        self._coins_html = ""  # the work's COinS span, made with its reference (coins.py)
        self._store = None

    @classmethod
    def stored(cls, light: tuple, store) -> Work:
        """A work whose WORK_LIGHT values are `light` and whose other values `store` holds
        (`store.heavy(lower_key)` -> (fields, raw_fields, persons), `store.reference_html(lower_key)`,
        `store.coins_html(lower_key)`)."""
        work = cls.__new__(cls)
        for name, value in zip(WORK_LIGHT, light):
            setattr(work, name, value)
        work._heavy = work._reference_html = work._coins_html = None
        work._store = store
        return work

    def _loaded(self) -> tuple:
        return self._heavy if self._heavy is not None else self._store.heavy(self.key.lower())

    @property
    def fields(self) -> dict[str, str]:
        return self._loaded()[0]

    @property
    def raw_fields(self) -> dict[str, str]:
        return self._loaded()[1]

    @property
    def persons(self) -> dict[str, list[str]]:
        return self._loaded()[2]

    # Set when the work is formatted; a stored work reads them from the cache file when asked.
    reference_html = _FormattedValue()
    coins_html = _FormattedValue()  # the COinS span ("" when not made: coins.coins_html makes it)

    def __eq__(self, other):
        """The same entry, read from the same text: key, file, line and what was derived from
        them (WORK_LIGHT, held in memory). Never the fields or the formatted reference, which a
        stored work would read from the cache file."""
        if not isinstance(other, Work):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in WORK_LIGHT)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Work(key={self.key!r}, label={self.label!r}, year={self.year!r})"

    def year_text(self, no_date: str = "no date") -> str:
        """'2005a', or 'no date' for undated works."""
        return (self.year or no_date) + self.year_suffix


@dataclass
class Library:
    works: dict[str, Work]  # lower-cased key -> Work
    bib_data: Any = None  # pybtex BibliographyData; None when the library came from the cache
    store: Any = None  # cache.StoredWorks when the library came from the cache

    def get(self, key: str) -> Work | None:
        return self.works.get(key.lower())

    def read_references(self, keys) -> None:
        """Ask the cache, in one go, for the formatted references of works a page shows next."""
        if self.store is not None:
            self.store.read_references(key.lower() for key in keys)

    def read_coins(self, keys) -> None:
        """Ask the cache, in one go, for the COinS spans of the works a References page lists next."""
        if self.store is not None:
            self.store.read_coins(key.lower() for key in keys)

    def unformatted(self, works: list[Work]) -> list[Work]:
        """The works among `works` with no formatted reference: a work read from the cache and
        not formatted this build asks the cache file (one query, not a reference read per work)."""
        set_this_build = Work.reference_html.set_this_build
        stored = [work.key.lower() for work in works if set_this_build(work) is None]
        blank = self.store.unformatted(stored) if stored else set()
        return [work for work in works
                if (work.key.lower() in blank if (html := set_this_build(work)) is None else not html)]

    def keys(self) -> list[str]:
        return [work.key for work in self.works.values()]


# A `%` after an even number of backslashes (none included): LaTeX would read a comment there.
_BARE_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")
_TRAILING_BACKSLASH = re.compile(r"(?<!\\)(?:\\\\)*\\\Z")


def latex_source(value: str) -> str:
    """A BibTeX value made safe for pybtex's LaTeX parser, keeping its text.

    In BibTeX `%` inside a value is a character, not a comment (`Over 50% of {UK} children`):
    LaTeX's reading would drop the rest of the field, so it becomes `\\%`. A lone backslash at
    the very end (`C:\\data\\`) cannot start a command: it becomes `\\textbackslash{}`.
    """
    if "%" in value:
        value = _BARE_PERCENT.sub(r"\1\\%", value)
    if value.endswith("\\") and _TRAILING_BACKSLASH.search(value):
        value = value[:-1] + "\\textbackslash{}"
    return value


def latex_problem(value: str) -> str | None:
    """What a value holds that LaTeX cannot read as the editor meant (None when nothing)."""
    if value.endswith("\\") and _TRAILING_BACKSLASH.search(value):
        return ("ends with a lone backslash, which LaTeX reads as the start of a command; "
                "it is shown as '\\'. Write \\textbackslash{} for a backslash")
    return None


def latex_to_text(value: str) -> str:
    """Decode LaTeX accents and drop protective braces: `Leit{\\~a}o` -> `Leitão`. Never raises:
    text the LaTeX parser cannot read is shown as written, without its braces."""
    if not value:
        return ""
    if not any(c in value for c in "\\{}$~%") and "--" not in value and "``" not in value:
        return value  # plain text: skip the LaTeX decoder (most fields)
    from pybtex.exceptions import PybtexError
    from pybtex.richtext import Text

    try:
        return Text.from_latex(latex_source(value)).render(_plain_text_backend())
    except (PybtexError, ValueError):  # UnicodeDecodeError from latexcodec is a ValueError
        return value.replace("{", "").replace("}", "")


@functools.cache
def _plain_text_backend():
    # render_as("text") looks the backend up through entry points on every call: slow.
    from pybtex.backends.plaintext import Backend

    return Backend()


def initials(names: list[str]) -> str:
    """`Mary Jane` -> `M. J.`; `Jean-Paul` -> `J.-P.` (as Harvard references write given names)."""
    out = []
    for name in names:
        plain = latex_to_text(name)
        out.append("-".join(part[:1] + "." for part in plain.split("-") if part))
    return " ".join(out)


def _surname(person: Person) -> str:
    return latex_to_text(" ".join(person.prelast_names + person.last_names))


def _is_others(person: Person) -> bool:
    return " ".join(person.last_names).lower() == "others" and not person.first_names


def short_label(persons: list[Person], et_al: str = "et al.", and_word: str = "and") -> str:
    """`Surname`, `Surname and Surname`, or `Surname et al.`; 'and others' counts as many."""
    named = [p for p in persons if not _is_others(p)]
    has_others = len(named) < len(persons)
    if not named:
        return ""
    if len(named) >= 3 or has_others:
        return f"{_surname(named[0])} {et_al}"
    if len(named) == 2:
        return f"{_surname(named[0])} {and_word} {_surname(named[1])}"
    return _surname(named[0])


def normalise_year(raw: str) -> str:
    """'2005' stays; n.d. variants become '' (rendered as 'no date')."""
    value = latex_to_text(raw).strip()
    return "" if value.lower() in _NO_DATE else value


def assign_year_suffixes(works: list[Work]) -> None:
    """Give `a`, `b`, ... to works sharing label and year, once for the whole library.

    Order within a collision: works with a title first, by title, then by key, so the
    letters are stable whatever order the files list the entries in.
    """
    groups: dict[tuple[str, str], list[Work]] = {}
    for work in works:
        groups.setdefault((work.label.lower(), work.year), []).append(work)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda w: (not w.fields.get("title"), w.fields.get("title", "").lower(), w.key.lower()))
        for index, work in enumerate(members):
            work.year_suffix = _letters(index)


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def entry_lines(text: str) -> dict[str, list[int]]:
    """Lower-cased key -> the lines where an entry with that key starts."""
    lines: dict[str, list[int]] = {}
    line, counted = 1, 0  # newlines counted from the previous entry on: linear in the file's size
    for match in ENTRY_START.finditer(text):
        if match.group(1).lower() in {"string", "preamble", "comment"}:
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.setdefault(match.group(2).lower(), []).append(line)
    return lines


def parse_bib_text(text: str, display_path: str, problems: ProblemList) -> tuple[BibliographyData, dict[str, list[int]]]:
    """Parse one .bib text; syntax errors become problems with pybtex's line number."""
    import pybtex.errors
    from pybtex.database.input.bibtex import Parser

    parser = Parser()
    with pybtex.errors.capture() as errors:
        try:
            data = parser.parse_string(text)
        except Exception as error:  # pybtex raises on some unrecoverable input
            errors.append(error)
            data = parser.data
    lines = entry_lines(text)
    for error in errors:
        message = str(error)
        if message.startswith("repeated bibliography entry"):
            continue  # reported with both lines by the duplicate check
        line = getattr(error, "lineno", None)
        problems.add(
            "bib_syntax", display_path, line,
            f"malformed BibTeX: {message}. Check the braces, commas and quotes of the entry around this line.",
        )
    return data, lines


def load_library(
    sources: list[tuple[str, str]],
    problems: ProblemList,
    language: str = "en",
    unverified_marker: str = "not verified",
) -> Library:
    """Read .bib texts given as (text, display path) pairs into one Library.

    Problems (syntax, duplicate keys, entries without the fields a label needs) go to
    `problems`; a broken entry is left out, never raised.
    """
    from pybtex.database import BibliographyData

    words = STRINGS.get(language, STRINGS["en"])
    merged = BibliographyData()
    works: dict[str, Work] = {}
    first_seen: dict[str, tuple[str, int]] = {}
    for text, display_path in sources:
        data, lines = parse_bib_text(text, display_path, problems)
        for key, positions in lines.items():
            for line in positions:
                if key in first_seen:
                    where, first_line = first_seen[key]
                    problems.add(
                        "duplicate_key", display_path, line,
                        f"duplicate BibTeX key '{key}': already defined at {where}:{first_line}. "
                        "Merge the two entries or rename one key.",
                    )
                else:
                    first_seen[key] = (display_path, line)
        for key, entry in data.entries.items():
            if key.lower() in works:
                continue
            _inherit_crossref(entry, data)
            line = lines.get(key.lower(), [0])[0]
            work = _make_work(key, entry, display_path, line, words, problems, unverified_marker)
            if work is not None:
                works[library_key(key)] = work
                merged.entries[key] = entry
    assign_year_suffixes(list(works.values()))
    for work in works.values():
        work.sort_key = (work.label.lower(), work.year or "0000", work.year_suffix, work.key.lower())
    ordered = dict(sorted(works.items(), key=lambda item: item[1].sort_key))
    return Library(ordered, merged)


def _year_of_date(date: str) -> str:
    """`2020`, `{2020}`, `2020-05-17`, `2020/2021` -> `2020`; "" when the date states no year."""
    match = re.match(r"\s*(\d{4})(?!\d)", latex_to_text(date)) if date else None
    return match.group(1) if match else ""


def _inherit_crossref(entry: Entry, data: BibliographyData) -> None:
    """BibTeX crossref: a child takes the fields and names it lacks from its parent."""
    parent_key = entry.fields.get("crossref")
    parent = data.entries.get(parent_key) if parent_key else None
    if parent is None:
        return
    for name, value in parent.fields.items():
        if name not in entry.fields and name.lower() != "crossref":
            entry.fields[name] = value
    if not entry.persons.get("author") and parent.persons.get("editor") and not entry.persons.get("editor"):
        entry.persons["editor"] = parent.persons["editor"]


def _make_work(key, entry: Entry, path, line, words, problems: ProblemList, unverified_marker) -> Work | None:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    label = short_label(persons, words["et_al"], words["and"])
    if not label:
        for fallback in ("organization", "institution", "publisher"):
            if entry.fields.get(fallback):
                label = latex_to_text(entry.fields[fallback])
                break
    if not label:
        problems.add(
            "missing_field", path, line,
            f"entry '{key}' has no author or editor, so it has no label to cite it by. "
            "Add author = {...} (a corporate author goes in double braces: {{Home Office}}).",
        )
        return None
    raw_year = entry.fields.get("year") or _year_of_date(entry.fields.get("date", ""))
    if not raw_year:
        stated = f" (date = {{{entry.fields['date']}}} does not start with a year)" if entry.fields.get("date") else ""
        problems.add(
            "missing_field", path, line,
            f"entry '{key}' has no year{stated}. Add year = {{2021}}, or year = {{n.d.}} for an undated work; "
            "a biblatex date is written date = {2021} or date = {2021-05-17}.",
        )
        return None
    for name, value in entry.fields.items():
        problem = latex_problem(value)
        if problem:
            problems.add("bib_latex", path, line, f"field {name.lower()} of entry '{key}' {problem}.")
    fields = {name.lower(): latex_to_text(value) for name, value in entry.fields.items()}
    raw_fields = {name.lower(): value for name, value in entry.fields.items()}
    people = {role.lower(): [str(person) for person in names] for role, names in entry.persons.items()}
    verified = unverified_marker.lower() not in fields.get("note", "").lower()
    return Work(
        key=key, entry_type=entry.type.lower(), label=label, year=normalise_year(raw_year),
        file=path, line=line, verified=verified, fields=fields, raw_fields=raw_fields, persons=people,
    )


def read_sources(paths: list[Path], root: Path) -> tuple[list[tuple[str, str]], ProblemList]:
    """Read .bib files as text; a missing or unreadable file is a problem, not a crash."""
    problems = ProblemList()
    sources = []
    for path in paths:
        display = _display(path, root)
        try:
            sources.append((path.read_text(encoding="utf-8"), display))
        except FileNotFoundError:
            problems.add("bib_unreadable", display, None,
                         f"bibliography file not found ({path}). Check bib_files / bib_file in mkdocs.yml: "
                         "paths are relative to the folder holding it.")
        except (OSError, UnicodeDecodeError) as error:
            problems.add("bib_unreadable", display, None, f"cannot read the bibliography: {error}. Check the path in bib_files.")
    return sources, problems


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
