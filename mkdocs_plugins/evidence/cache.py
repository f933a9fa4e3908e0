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
import tempfile
from dataclasses import asdict, fields
from pathlib import Path

from .bibliography import Library, Work
from .problems import Problem

CACHE_FORMAT = 1
STYLE = "harvard-1"


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
            for raw in data["works"]:
                if set(raw) != work_fields:
                    return None
                raw["sort_key"] = tuple(raw["sort_key"])
                work = Work(**raw)
                works[work.key.lower()] = work
            problems = [Problem(**raw) for raw in data["problems"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # absent, unreadable or corrupt: parse the .bib again
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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only checkout still builds, just without the cache
