"""Which BibTeX field values may become links. A .bib is untrusted input (reference managers,
contributors' pull requests): only http(s) addresses and DOIs become `href`s; anything else
(`javascript:`, `data:`, relative paths) is shown as text by the caller."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# Characters a DOI may keep in a URL path as they are; every other one is percent-encoded.
_DOI_SAFE = "/:;()[]._-+"
# Whitespace (str.isspace's, Unicode included: `\s` is the same set) and control characters.
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")


def http_url(value: str | None) -> str | None:
    """`value` if it is an absolute http(s) URL with a host and no whitespace or control
    character in it; None otherwise."""
    url = (value or "").strip()
    if not url or _UNSAFE_IN_URL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced '[' in the host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def bare_doi(value: str | None) -> str | None:
    """The DOI itself (`10.1111/j.1365-2206.2006.00393.x`) from a field that may carry a
    `https://doi.org/` or `doi:` prefix; None if what is left is not a DOI."""
    doi = _DOI_PREFIX.sub("", value or "").strip()
    return doi if _DOI.match(doi) else None


def doi_url(value: str | None) -> str | None:
    """`https://doi.org/<doi>` with the DOI percent-encoded, or None if `value` is no DOI."""
    doi = bare_doi(value)
    return f"https://doi.org/{quote(doi, safe=_DOI_SAFE)}" if doi else None
