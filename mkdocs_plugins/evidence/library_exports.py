"""The library as BibTeX, RIS and CSL-JSON, from what the .bib states, and where those are kept.

Only what the .bib states is exported: no field is guessed or filled in. LaTeX in values is
decoded to Unicode for RIS and CSL-JSON (`Leit{\\~a}o` -> `Leitão`); the BibTeX exports keep
the entries as written (tidied, `bibtidy`). `and others` has no RIS or CSL equivalent and is
left out of the name lists there (the BibTeX keeps it). `annote` (the editors' provenance
notes) is kept in the BibTeX only.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .bibliography import Library, Work
from .bibnames import harvard_names, is_others, name_parts, persons, plain_text
from .cache import ReadAhead, open_checked, temporary_prefix, touch, write_sqlite

MONTHS = {name: index for index, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

CSL_TYPES = {
    "article": "article-journal", "book": "book", "booklet": "pamphlet", "inbook": "chapter",
    "incollection": "chapter", "inproceedings": "paper-conference", "conference": "paper-conference",
    "manual": "report", "mastersthesis": "thesis", "phdthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "unpublished": "manuscript", "online": "webpage",
    "proceedings": "book", "misc": "document",
}
RIS_TYPES = {
    "article": "JOUR", "book": "BOOK", "booklet": "PAMP", "inbook": "CHAP", "incollection": "CHAP",
    "inproceedings": "CPAPER", "conference": "CPAPER", "manual": "RPRT", "mastersthesis": "THES",
    "phdthesis": "THES", "thesis": "THES", "techreport": "RPRT", "report": "RPRT", "unpublished": "UNPB",
    "online": "ELEC", "proceedings": "CONF", "misc": "GEN",
}
# Name roles and the plain fields each format takes, in output order.
CSL_NAMES = {"author": "author", "editor": "editor", "translator": "translator"}
RIS_NAMES = {"author": "AU", "editor": "A2", "translator": "A4"}


def fields_of(work: Work) -> dict[str, str]:
    return work.raw_fields or work.fields


def _year(fields: dict[str, str]) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) as stated by year/month or date; None where not stated."""
    date = plain_text(fields.get("date", ""))
    match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date)
    if match:
        return tuple(int(g) if g else None for g in match.groups())  # type: ignore[return-value]
    year = plain_text(fields.get("year", ""))
    if not re.fullmatch(r"\d{4}", year):
        return None, None, None
    month_text = plain_text(fields.get("month", "")).lower()
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text[:3])
    return int(year), month, None


def _pages(value: str) -> tuple[str, str, str]:
    """('155-163', '155', '163') from `155--163`."""
    text = plain_text(value).replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*-+\s*", "-", text)
    first, _, last = text.partition("-")
    return text, first, last


def _notes(fields: dict[str, str]) -> list[str]:
    return [plain_text(fields[name]) for name in ("howpublished", "note") if fields.get(name, "").strip()]


def csl_item(work: Work) -> dict:
    """One CSL-JSON item from what the entry states."""
    fields = fields_of(work)
    item: dict = {"id": work.key, "type": CSL_TYPES.get(work.entry_type, "document")}
    for role, variable in CSL_NAMES.items():
        names = [name_parts(p) for p in persons(work, role) if not is_others(p)]
        if names:
            item[variable] = names
    simple = {
        "title": ["title"], "container-title": ["journal", "journaltitle", "booktitle"],
        "collection-title": ["series"], "volume": ["volume"], "edition": ["edition"],
        "publisher": ["publisher", "institution", "school", "organization"],
        "publisher-place": ["address", "location"], "DOI": ["doi"], "URL": ["url"], "ISBN": ["isbn"],
        "ISSN": ["issn"], "PMID": ["pmid"], "PMCID": ["pmcid"], "genre": ["type"], "abstract": ["abstract"],
        "chapter-number": ["chapter"],
    }
    for variable, names in simple.items():
        for name in names:
            if fields.get(name, "").strip():
                item[variable] = plain_text(fields[name])
                break
    if fields.get("number", "").strip():
        item["issue" if item["type"] == "article-journal" else "number"] = plain_text(fields["number"])
    if fields.get("pages", "").strip():
        item["page"] = _pages(fields["pages"])[0]
    year, month, day = _year(fields)
    if year:
        item["issued"] = {"date-parts": [[part for part in (year, month, day) if part]]}
    urldate = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", plain_text(fields.get("urldate", "")))
    if urldate:
        item["accessed"] = {"date-parts": [[int(g) for g in urldate.groups()]]}
    notes = _notes(fields)
    if notes:
        item["note"] = ". ".join(notes)
    if fields.get("keywords", "").strip():
        item["keyword"] = plain_text(fields["keywords"])
    return item


def ris_record(work: Work) -> list[tuple[str, str]]:
    """One RIS record as (tag, value) lines, `TY` first and `ER` last."""
    fields = fields_of(work)
    lines = [("TY", RIS_TYPES.get(work.entry_type, "GEN")), ("ID", work.key)]
    for role, tag in RIS_NAMES.items():
        for person in persons(work, role):
            if is_others(person):
                continue
            parts = name_parts(person)
            if "literal" in parts:
                lines.append((tag, parts["literal"]))
                continue
            family = " ".join(filter(None, [parts.get("non-dropping-particle"), parts["family"]]))
            name = ", ".join(filter(None, [family, parts.get("given"), parts.get("suffix")]))
            lines.append((tag, name))

    def add(tag: str, *names: str) -> None:
        for name in names:
            if fields.get(name, "").strip():
                lines.append((tag, plain_text(fields[name])))
                return

    add("TI", "title")
    add("T2", "journal", "journaltitle", "booktitle")
    add("T3", "series")
    add("VL", "volume")
    add("IS", "number")
    if fields.get("pages", "").strip():
        _, first, last = _pages(fields["pages"])
        lines.append(("SP", first))
        if last:
            lines.append(("EP", last))
    add("ET", "edition")
    add("PB", "publisher", "institution", "school", "organization")
    add("CY", "address", "location")
    add("M3", "type")
    year, month, day = _year(fields)
    if year:
        lines.append(("PY", str(year)))
        if month:
            lines.append(("DA", f"{year}/{month:02d}/{f'{day:02d}' if day else ''}/"))
    add("DO", "doi")
    add("UR", "url")
    add("SN", "isbn", "issn")
    add("Y2", "urldate")
    add("AB", "abstract")
    for keyword in (k.strip() for k in plain_text(fields.get("keywords", "")).split(",")):
        if keyword:
            lines.append(("KW", keyword))
    for note in _notes(fields):
        lines.append(("N1", note))
    lines.append(("ER", ""))
    return lines


def ris_text(records: list[list[tuple[str, str]]], newline: str = "\n") -> str:
    out = []
    for record in records:
        out.extend(f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}" for tag, value in record)
        out.append("")
    return newline.join(out)


def file_stems(keys: list[str]) -> dict[str, str]:
    """A file name (and HTML id) stem for each key: letters, digits, '-' and '_' only, unique."""
    stems: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        stem = re.sub(r"[^A-Za-z0-9_-]", "_", key) or "entry"
        candidate, n = stem, 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate.lower())
        stems[key.lower()] = candidate
    return stems


@dataclass
class EntryExports:
    """Per entry (lower-cased key): what the References page and "Cite this page" show."""

    bibtex: Mapping[str, str]  # entry as BibTeX
    ris: Mapping[str, str]  # RIS record
    stems: Mapping[str, str]  # file stem (for ids and download names)
    names: Mapping[str, str]  # Harvard author list (for "Cite this page")

    def read(self, lowers, columns: tuple[str, ...] = ()) -> None:
        """Entries about to be asked for (StoredEntries reads them in one query); here all are in memory."""

    def read_each(self, works: list[Work]) -> Iterator[Work]:
        """`works` one by one, each one's entry ready to be asked for (StoredEntries reads them a
        chunk at a time); here all are in memory."""
        return iter(works)


@dataclass
class Exports(EntryExports):
    """Everything exported, computed once per build from the library and its sources."""

    library_bibtex: str = ""
    library_ris: str = ""
    library_csl: str = ""

    def library_files(self) -> dict[str, str]:
        """Extension -> the whole library in that format."""
        return {"bib": self.library_bibtex, "ris": self.library_ris, "json": self.library_csl}


def build_exports(library: Library, sources: Iterable[tuple[str, str]]) -> Exports:
    """`sources` as given to load_library: (text, display path) pairs, gone through once (a
    site_library.ReadAgain reads the files, and checks them, each time)."""
    from .bibtidy import BibTidyError, entry_texts  # only when the exports are not cached
    sources = list(sources)
    bibtex: dict[str, str] = {}
    for text, _ in sources:
        try:
            for key, formatted in entry_texts(text).items():
                bibtex.setdefault(key, formatted)
        except BibTidyError:
            pass  # a syntax problem is reported by the library; entries keep their fallback below
    works = list(library.works.values())
    keys = [work.key for work in works]
    records = {work.key.lower(): ris_record(work) for work in works}
    for work in works:
        bibtex.setdefault(work.key.lower(), _fallback_bibtex(work))
    if len(sources) == 1:
        library_bibtex = sources[0][0]
    else:
        library_bibtex = "\n".join(f"% ---- {path} ----\n\n{text.rstrip()}\n" for text, path in sources)
    csl = [csl_item(work) for work in works]
    return Exports(
        library_bibtex=library_bibtex,
        library_ris=ris_text(list(records.values()), newline="\r\n"),
        library_csl=json.dumps(csl, indent=2, ensure_ascii=False) + "\n",
        bibtex={key.lower(): bibtex[key.lower()] for key in keys},
        ris={key: ris_text([record]) for key, record in records.items()},
        stems=file_stems(keys),
        names={work.key.lower(): harvard_names(work) for work in works},
    )



def _fallback_bibtex(work: Work) -> str:
    """An entry from the parsed fields, for the rare entry the tidy reader could not split out."""
    fields = [(role, " and ".join(names)) for role, names in work.persons.items()] + list(work.raw_fields.items())
    width = max((len(name) for name, _ in fields), default=0)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{work.entry_type}{{{work.key},\n{body}\n}}"



class _StoredColumn(Mapping):
    """Lower-cased key -> one column of entries.sqlite, read per entry when asked for (unless
    StoredEntries.read has just read it with others)."""

    def __init__(self, connection: sqlite3.Connection, column: str, ahead: ReadAhead):
        self._connection, self._column, self._ahead = connection, column, ahead

    def __getitem__(self, lower: str) -> str:
        return self._ahead.get(lower, self._column)

    def __iter__(self):
        return (lower for (lower,) in self._connection.execute("SELECT lower FROM entries ORDER BY position"))

    def __len__(self) -> int:
        return self._connection.execute("SELECT count(*) FROM entries").fetchone()[0]


class StoredEntries:
    """EntryExports read from a cache folder's entries.sqlite, one entry at a time (10,000
    entries: 10 MB of BibTeX and RIS not held through the build), or a page's at once (`read`)."""

    COLUMNS = ("bibtex", "ris", "stem", "name")

    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection
        self._ahead = ReadAhead(connection, "entries", self.COLUMNS)  # the entries last read together
        self.bibtex, self.ris, self.stems, self.names = (
            _StoredColumn(connection, column, self._ahead) for column in self.COLUMNS)

    def read(self, lowers, columns: tuple[str, ...] = COLUMNS) -> None:
        """Read these entries' `columns` (a References page's stems, a chunk of an entries file's
        texts) in one query, kept until the next read: 4,000 one-row queries fewer at 1,000 works.
        More than a ReadAhead reads at once: none read (one at a time when asked, none held)."""
        self._ahead.read(lowers, columns)

    def read_each(self, works: list[Work]) -> Iterator[Work]:
        """`works` one by one (an entries file's, any number), their entries read in one query per
        chunk just before they are handed out, and let go after."""
        return self._ahead.each(works, lambda work: work.key.lower())


ENTRIES_SCHEMA = """
CREATE TABLE entries (position INTEGER PRIMARY KEY, lower TEXT NOT NULL UNIQUE, stem TEXT NOT NULL,
                      name TEXT NOT NULL, bibtex TEXT NOT NULL, ris TEXT NOT NULL);
"""


def _write_entries(path: Path, exports: EntryExports) -> None:
    """entries.sqlite: a row per entry (lower-cased key, file stem, Harvard names, BibTeX, RIS)."""
    write_sqlite(path, ENTRIES_SCHEMA, lambda connection: connection.executemany(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
        ((position, lower, exports.stems[lower], exports.names[lower], exports.bibtex[lower], exports.ris[lower])
         for position, lower in enumerate(exports.stems))))


def _open_entries(path: Path, count: int) -> StoredEntries:
    """The stored entries, checked whole first (one row per work of the library): a damaged file
    raises sqlite3.Error or ValueError, so it is rebuilt, never half read."""
    connection = open_checked(path)
    try:
        if connection.execute("SELECT count(*) FROM entries").fetchone()[0] != count:
            raise ValueError("another library")
    except (sqlite3.Error, ValueError):
        connection.close()
        raise
    return StoredEntries(connection)


LIBRARY_FILE_NAMES = {"bib": "references.bib", "ris": "references.ris", "json": "references.json"}
ENTRIES_FILE = "entries.sqlite"


class StoredExports:
    """The exports of one library, kept in a cache folder when there is one.

    The whole-library files stay on disk (MkDocs copies them; at 10,000 entries they are 20 MB);
    the per-entry texts (entries.sqlite) are read one entry at a time, when a page asks for them. A folder whose key file does
    not match, or a part that cannot be read, means the exports are built again, never trusted.
    """

    def __init__(self, library: Library, sources: list[tuple[str, str]], cache_dir: Path | None,
                 cache_key: str | None):
        self._library, self._sources = library, sources
        self.folder = cache_dir / f"exports-{cache_key[:32]}" if cache_dir and cache_key else None
        self._key = cache_key
        self._built: Exports | None = None
        if not self._stored():
            self._built = build_exports(library, sources)
            self._store(self._built)

    def _stored(self) -> bool:
        try:
            stored = (self.folder is not None and (self.folder / "key").read_text(encoding="utf-8") == self._key
                      and all((self.folder / name).is_file() for name in [*LIBRARY_FILE_NAMES.values(), ENTRIES_FILE]))
        except OSError:
            return False
        if stored:
            touch(self.folder)
        return stored

    def _store(self, exports: Exports) -> None:
        if self.folder is None:
            return
        temporary = None
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(dir=self.folder.parent, prefix=temporary_prefix("exports")))
            for extension, text in exports.library_files().items():
                (temporary / LIBRARY_FILE_NAMES[extension]).write_text(text, encoding="utf-8", newline="")
            _write_entries(temporary / ENTRIES_FILE, exports)
            (temporary / "key").write_text(self._key, encoding="utf-8")  # last: marks the folder complete
            shutil.rmtree(self.folder, ignore_errors=True)
            os.replace(temporary, self.folder)
        except (OSError, sqlite3.Error):
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)
            self.folder = None  # a read-only checkout still builds, from memory

    def library_files(self) -> dict[str, str | Path]:
        """Extension -> the file's text, or the path of its stored copy."""
        if self._built is not None and self.folder is None:
            return self._built.library_files()
        return {extension: self.folder / name for extension, name in LIBRARY_FILE_NAMES.items()}

    @functools.cached_property
    def entries(self) -> EntryExports:
        if self._built is not None:
            return self._built
        try:
            return _open_entries(self.folder / ENTRIES_FILE, len(self._library.works))
        except (OSError, ValueError, sqlite3.Error):
            self._built = build_exports(self._library, self._sources)  # unreadable: build, don't trust
            self._store(self._built)
            return self._built

