"""On-disk cache of the parsed library and formatted references, keyed by content.

A warm build reads one SQLite file instead of importing pybtex and parsing the .bib: for every
work what pages cite it by, and the rest (fields, formatted reference) only for the works a
page shows, so a library of 10,000 works is not held whole in memory. The key
covers the .bib texts, the plugin version, the code that formats and exports, the style and the
options that change labels, so any change makes a new key. A cache file that is unreadable, corrupt or of another key is
ignored and rewritten, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path

from .bibliography import WORK_LIGHT, Library, Work, library_key
from .problems import Problem

CACHE_FORMAT = 3  # 3: each shown work's COinS kept too (2: SQLite, a row per work; 1: one JSON file, read whole)
STYLE = "harvard-1"
KEEP = 4  # entries of each kind kept: the current library and the few before it (an undo, a branch)
STALE_SECONDS = 3600  # a half-written file whose writer cannot be identified is left this long


def open_checked(path) -> sqlite3.Connection:
    """A cache SQLite file opened read-only and checked whole (`PRAGMA quick_check`) before anything
    is served: a damaged file raises sqlite3.Error or ValueError, so it is rebuilt, never half read.
    It stays open for the build: another build replacing the file (os.replace) leaves this one
    reading the file it opened."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise ValueError("damaged")
    except (sqlite3.Error, ValueError):
        connection.close()
        raise
    return connection


def write_sqlite(path, schema: str, fill) -> None:
    """A new SQLite file at `path` (a temporary name, renamed by the caller once complete):
    `schema`, then `fill(connection)` inserts the rows. No journal: a half-written file is never
    renamed into place."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(schema)
        fill(connection)
        connection.commit()
    finally:
        connection.close()


def rows_in(connection: sqlite3.Connection, select: str, keys, chunk: int = 500):
    """The rows of `select` (ending `WHERE lower IN`) for `keys`, one query per `chunk` keys
    instead of one per key (SQLite's older builds allow 999 parameters a query)."""
    keys = list(dict.fromkeys(keys))
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        yield from connection.execute(f"{select} ({', '.join('?' * len(part))})", part)


def temporary_prefix(kind: str) -> str:
    """`.library-<pid>-`: a half-written file names its writer, so the next build can tell a
    killed build's leftover (writer gone) from a concurrent build's file in progress."""
    return f".{kind}-{os.getpid()}-"


def _writer_gone(name: str, age: float) -> bool:
    parts = name.split("-")
    if len(parts) >= 3 and parts[1].isdigit():
        pid = int(parts[1])
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # alive, another user's
            return False
        return False
    return age > STALE_SECONDS


def tidy_cache_folder(directory: Path | None, keep: int = KEEP) -> None:
    """Keep the `keep` most recently used entries of each kind (`library-*.sqlite`, `exports-*`) and
    remove what killed builds left half-written (`.library-*`, `.exports-*`, `*.tmp`). Without
    this the folder grows with every save of the .bib. Errors are ignored: it is only a cache."""
    if directory is None:
        return
    try:
        items = list(os.scandir(directory))
    except OSError:
        return
    now = time.time()
    kinds: dict[str, list[tuple[float, os.DirEntry]]] = {"library": [], "exports": []}
    for item in items:
        try:
            modified = item.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if item.name.startswith(".") or item.name.endswith(".tmp"):
            if _writer_gone(item.name, now - modified):
                _remove(item)
        elif item.name.startswith("library-") and item.name.endswith((".sqlite", ".json")):  # .json: format 1
            kinds["library"].append((modified, item))
        elif item.name.startswith("exports-") and item.is_dir(follow_symlinks=False):
            kinds["exports"].append((modified, item))
    for entries in kinds.values():
        entries.sort(key=lambda pair: pair[0], reverse=True)
        for _, item in entries[keep:]:
            _remove(item)


def _remove(item: os.DirEntry) -> None:
    try:
        if item.is_dir(follow_symlinks=False):
            shutil.rmtree(item.path, ignore_errors=True)
        else:
            os.unlink(item.path)
    except OSError:
        pass


def touch(path: Path) -> None:
    """Mark a cache entry as just used (its modification time orders the entries kept)."""
    try:
        os.utime(path)
    except OSError:
        pass


@functools.cache
def code_fingerprint(folder: Path = Path(__file__).parent) -> str:
    """Hash of the package's code, so an edited formatter (or a checkout of another commit with the
    same version number) never reuses references formatted by old code. Every module counts: a
    list of "the formatting modules" goes stale as soon as a helper moves to a new module."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(sources: list[tuple[str, str]], *, version: str, language: str, unverified_marker: str,
              code: str | None = None) -> str:
    digest = hashlib.sha256()
    header = json.dumps([CACHE_FORMAT, STYLE, version, code or code_fingerprint(), language, unverified_marker])
    digest.update(header.encode())
    for text, path in sources:
        digest.update(b"\0" + path.encode() + b"\0" + text.encode())
    return digest.hexdigest()


READ_AT_ONCE = 500  # rows a ReadAhead reads in one query; a longer list is read a row at a time when asked


class ReadAhead:
    """Values of a table's rows (by lower-cased key), read a page's worth at a time, then handed out.

    A page about to show 100 works asks for their rows first (`read`: one query, not one a
    work); `get` answers from what was read, or reads that one row alone. More than READ_AT_ONCE
    rows (a list not split into pages) are not read ahead, since all would be held: each is read
    alone when asked for.

    How long a value is held: with `keep`, the `keep` rows last asked for stay across reads (rows
    read alone too; one column); without, a read lets go of what the previous read held, and
    with `once` each value goes as soon as it is handed out."""

    def __init__(self, connection: sqlite3.Connection, table: str, columns: tuple[str, ...], *,
                 keep: int = 0, once: bool = False):
        if keep and len(columns) != 1:
            raise ValueError("a ReadAhead that keeps values across reads reads one column")
        self._connection, self._table, self._keep, self._once = connection, table, keep, once
        # column -> lower -> value; in the order last asked for when kept across reads
        self._held: dict[str, dict[str, str]] = {column: OrderedDict() if keep else {} for column in columns}

    def read(self, lowers, columns: tuple[str, ...] = ()) -> None:
        """Read these rows' `columns` (all by default) in one query, those not held already."""
        if not self._keep:
            for held in self._held.values():
                held.clear()
        names = [column for column in self._held if not columns or column in columns]
        first = self._held[names[0]]
        missing = []
        for lower in dict.fromkeys(lowers):
            if lower in first:  # only when kept across reads
                first.move_to_end(lower)  # asked for again: kept longest
            else:
                missing.append(lower)
        if not missing or len(missing) > READ_AT_ONCE:
            return
        select = f"SELECT lower, {', '.join(names)} FROM {self._table} WHERE lower IN"
        for lower, *values in rows_in(self._connection, select, missing):
            for column, value in zip(names, values):
                self._hold(self._held[column], lower, value)

    def each(self, items: list, lower_of, columns: tuple[str, ...] = ()):
        """`items` one by one, the rows of each READ_AT_ONCE of them (`lower_of(item)`) read in one
        query just before they are handed out: a list of any length, never more than that held."""
        for start in range(0, len(items), READ_AT_ONCE):
            part = items[start:start + READ_AT_ONCE]
            self.read(map(lower_of, part), columns)
            yield from part

    def get(self, lower: str, column: str) -> str:
        """One row's value: as read ahead, else read alone (KeyError when there is no such row)."""
        held = self._held[column]
        value = held.pop(lower, None) if self._once else held.get(lower)
        if value is not None:
            if self._keep:
                held.move_to_end(lower)
            return value
        row = self._connection.execute(f"SELECT {column} FROM {self._table} WHERE lower = ?", (lower,)).fetchone()
        if row is None:
            raise KeyError(lower)
        if self._keep:
            self._hold(held, lower, row[0])
        return row[0]

    def _hold(self, held: dict, lower: str, value: str) -> None:
        held[lower] = value
        if self._keep and len(held) > self._keep:
            held.popitem(last=False)


class StoredWorks:
    """The heavy values of the works of one cache file, read when a page asks for them.

    The file stays open for the build: a concurrent build replacing it (os.replace) leaves this
    build reading the file it opened. The last few works read are kept (a page cites a work in
    its text, its notes and its head)."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.heavy = functools.lru_cache(maxsize=256)(self._heavy)
        # A work's reference is shown in every note citing it and twice on its References page:
        # 8,400 reads of 1,000 works at 200 pages, a query each. The last 1,024 kept (~0.5 MB).
        # At 10,000 works the notes read 47,000 that are not kept (20 us a query): a page asks
        # for its notes' references in one query first (`read_references`).
        self.references = ReadAhead(connection, "works", ("reference_html",), keep=1024)
        # A work's COinS span is shown once, under its reference on its References page: the
        # page's spans are read together, each let go once handed out.
        self.coins = ReadAhead(connection, "works", ("coins_html",), once=True)

    def _heavy(self, lower: str) -> tuple:
        (text,) = self.connection.execute("SELECT heavy FROM works WHERE lower = ?", (lower,)).fetchone()
        fields, raw_fields, persons = json.loads(text)
        # A value without LaTeX is the same text twice: stored once, as null in raw_fields.
        return fields, {name: fields[name] if value is None else value for name, value in raw_fields.items()}, persons

    def reference_html(self, lower: str) -> str:
        return self.references.get(lower, "reference_html")

    def read_references(self, lowers) -> None:
        """Keep the references of these works, read in one query (those of a page's notes)."""
        self.references.read(lowers)

    def unformatted(self, lowers) -> set[str]:
        """Those of these works whose reference the file does not hold (never shown when it was
        written), in one query per 500 instead of reading each reference."""
        return {lower for (lower,) in rows_in(
            self.connection, "SELECT lower FROM works WHERE reference_html = '' AND lower IN", lowers)}

    def read_coins(self, lowers) -> None:
        """Read the COinS spans of these works (a References page's) in one query."""
        self.coins.read(lowers)

    def coins_html(self, lower: str) -> str:
        """Shown once per build (under the work's reference on its References page): not kept."""
        return self.coins.get(lower, "coins_html")


class LibraryCache:
    """One SQLite file per key in `directory` (`library-<key>.sqlite`); `directory=None` turns
    caching off. A row per work: what pages cite it by is read for every work when the build
    starts, its fields and reference only when a page needs them (`StoredWorks`)."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    def _path(self, key: str) -> Path | None:
        return self.directory / f"library-{key[:32]}.sqlite" if self.directory else None

    def load(self, key: str) -> tuple[Library, list[Problem]] | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        connection = None
        try:
            connection = open_checked(path)
            meta = dict(connection.execute("SELECT name, value FROM meta"))
            if meta.get("format") != str(CACHE_FORMAT) or meta.get("key") != key:
                raise ValueError("another format or key")
            if connection.execute("SELECT count(*) FROM works WHERE NOT json_valid(heavy) OR NOT json_valid(light) "
                                  "OR reference_html IS NULL OR coins_html IS NULL").fetchone()[0]:
                raise ValueError("damaged row")
            store = StoredWorks(connection)
            shared: dict[str, str] = {}  # one copy of each path, type, year and suffix, not one per work
            one = functools.partial(_one_copy, shared)
            works = {}
            for lower, light in connection.execute("SELECT lower, light FROM works ORDER BY position"):
                values = json.loads(light)
                if len(values) != len(WORK_LIGHT):
                    raise ValueError("another shape")
                key_, entry_type, label, year, file, line, suffix, sort_key, verified = values
                if key_.lower() != lower:
                    raise ValueError("key mismatch")
                lower = library_key(lower)
                sort_key = tuple(lower if part == lower else one(part) for part in sort_key)
                works[lower] = Work.stored((sys.intern(key_), one(entry_type), label, one(year), one(file), line,
                                            one(suffix), sort_key, verified), store)
            problems = [Problem(**raw) for raw in json.loads(meta["problems"])]
        except (OSError, ValueError, TypeError, KeyError, AttributeError, sqlite3.Error):
            if connection is not None:
                connection.close()
            return None  # absent, unreadable or corrupt: parse the .bib again
        touch(path)
        return Library(works, store=store), problems

    def save(self, key: str, library: Library, problems: list[Problem]) -> None:
        path = self._path(key)
        if path is None:
            return
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix("library"), suffix=".tmp")
            os.close(handle)
            def fill(connection):
                connection.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("format", str(CACHE_FORMAT)), ("key", key),
                    ("problems", json.dumps([asdict(problem) for problem in problems], ensure_ascii=False))])
                connection.executemany("INSERT INTO works VALUES (?, ?, ?, ?, ?, ?)", (
                    _row(position, work) for position, work in enumerate(library.works.values())))
            write_sqlite(temporary, SCHEMA, fill)
            os.replace(temporary, path)
        except (OSError, sqlite3.Error):  # a read-only checkout or a full disk still builds, just without the cache
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass


def _one_copy(shared: dict, value):
    return shared.setdefault(value, value) if isinstance(value, str) else value


SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE works (position INTEGER PRIMARY KEY, lower TEXT NOT NULL UNIQUE, light TEXT NOT NULL,
                    heavy TEXT NOT NULL, reference_html TEXT NOT NULL, coins_html TEXT NOT NULL);
"""


def _row(position: int, work: Work) -> tuple:
    light = json.dumps([getattr(work, name) for name in WORK_LIGHT], ensure_ascii=False)
    fields = work.fields
    raw = {name: None if fields.get(name) == value else value for name, value in work.raw_fields.items()}
    heavy = json.dumps([fields, raw, work.persons], ensure_ascii=False)
    return position, work.key.lower(), light, heavy, work.reference_html, work.coins_html
