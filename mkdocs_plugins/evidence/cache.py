"""On-disk cache of the parsed library and formatted references, keyed by content.

A warm build reads one JSON file instead of importing pybtex and parsing the .bib. The key
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
import tempfile
import time
from dataclasses import asdict, fields
from pathlib import Path

from .bibliography import Library, Work
from .problems import Problem

CACHE_FORMAT = 1
STYLE = "harvard-1"
KEEP = 4  # entries of each kind kept: the current library and the few before it (an undo, a branch)
STALE_SECONDS = 3600  # a half-written file whose writer cannot be identified is left this long


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
    """Keep the `keep` most recently used entries of each kind (`library-*.json`, `exports-*`) and
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
        elif item.name.startswith("library-") and item.name.endswith(".json"):
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


class LibraryCache:
    """One JSON file per key in `directory`; `directory=None` turns caching off."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    def _path(self, key: str) -> Path | None:
        return self.directory / f"library-{key[:32]}.json" if self.directory else None

    def load(self, key: str) -> tuple[Library, list[Problem]] | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != CACHE_FORMAT or data.get("key") != key:
                return None
            work_fields = {f.name for f in fields(Work)}
            works = {}
            shared: dict[str, str] = {}  # one copy of each path and entry type, not one per work
            for raw in data.pop("works"):
                if set(raw) != work_fields:
                    return None
                raw["sort_key"] = tuple(raw["sort_key"])
                raw["file"] = shared.setdefault(raw["file"], raw["file"])
                raw["entry_type"] = shared.setdefault(raw["entry_type"], raw["entry_type"])
                decoded = raw["fields"]  # a value without LaTeX is the same text twice: keep one
                raw["raw_fields"] = {name: decoded[name] if decoded.get(name) == value else value
                                     for name, value in raw["raw_fields"].items()}
                work = Work(**raw)
                works[work.key.lower()] = work
            problems = [Problem(**raw) for raw in data["problems"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # absent, unreadable or corrupt: parse the .bib again
        touch(path)
        return Library(works), problems

    def save(self, key: str, library: Library, problems: list[Problem]) -> None:
        path = self._path(key)
        if path is None:
            return
        data = {
            "format": CACHE_FORMAT,
            "key": key,
            "works": [asdict(work) for work in library.works.values()],
            "problems": [asdict(problem) for problem in problems],
        }
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix("library"), suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError:  # a read-only checkout or a full disk still builds, just without the cache
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
