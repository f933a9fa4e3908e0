"""A bibliography at an http(s) address (a Zotero web-API export, Better BibTeX's auto-export):
fetched once per build with a timeout, and kept in the cache folder so an offline build still
has it. A failed fetch names the address and says whether the kept copy was used.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER_AGENT = "mkdocs-evidence (bib_file fetch)"


@dataclass
class Fetched:
    """The result of one fetch: the text to use (None: nothing), and what to tell the user."""

    url: str
    text: str | None
    used_cache: bool = False
    error: str | None = None  # why the fetch failed

    @property
    def message(self) -> str | None:
        if self.error is None:
            return None
        if self.used_cache:
            return (f"bib_file {self.url}: could not fetch it ({self.error}); the cached copy from an earlier "
                    "build was used, so the references may be out of date. Build online to refresh it.")
        return (f"bib_file {self.url}: could not fetch it ({self.error}) and there is no cached copy from an "
                "earlier build. Check the address and the network, or download the file into the repository "
                "and name its path in bib_file.")


def cached_path(url: str, folder: Path) -> Path:
    """Where the copy of `url` is kept: one file per address."""
    return folder / f"{hashlib.sha256(url.encode()).hexdigest()[:24]}.bib"


def fetch(url: str, folder: Path | None, timeout: float) -> Fetched:
    """Fetch `url`; on success keep a copy in `folder`, on failure fall back to the kept copy."""
    import urllib.error  # only when a site names an address: check.py and most builds never do
    import urllib.request

    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only: is_url)
            data = response.read()
        text = data.decode("utf-8-sig")
    except (urllib.error.URLError, OSError, UnicodeDecodeError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        if isinstance(error, urllib.error.HTTPError):
            reason = f"HTTP {error.code} {error.reason}"
        elif isinstance(error, UnicodeDecodeError):
            reason = "the response is not UTF-8 text"
        elif isinstance(reason, TimeoutError) or "timed out" in str(reason):
            reason = f"no answer within {timeout:g} s"
        kept = cached_path(url, folder) if folder is not None else None
        if kept is not None and kept.is_file():
            return Fetched(url, kept.read_text(encoding="utf-8"), used_cache=True, error=str(reason))
        return Fetched(url, None, error=str(reason))
    if folder is not None:
        _keep(text, cached_path(url, folder))
    return Fetched(url, text)


def _keep(text: str, path: Path) -> None:
    """Write atomically (a half-written copy is never used); a read-only checkout just skips it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".fetch-")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        pass
