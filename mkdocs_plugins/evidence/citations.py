"""Pandoc citation syntax: the data model and a small parser for the inside of `[...]`.

    [@a]  [@a; @b]  [@a, p. 42]  [see @a; @b, ch. 3]  [-@a]   and narrative  @a  or  @a [p. 42]

Keys may contain letters, digits and `_-.:/` (internal punctuation must be followed by a
letter or digit, so `@a.` at the end of a sentence cites `a`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

KEY = r"[^\W](?:[\w]|[-_.:/](?=\w))*"
# An item: optional prefix ending in space, optional '-', '@', key, then the rest (locator).
_ITEM = re.compile(rf"^(?P<prefix>.*?)(?:(?<=\s)|^)(?P<minus>-?)@(?P<key>{KEY})?(?P<rest>.*)$", re.DOTALL)
_AT_SIGN = re.compile(r"(?:^|(?<=[\s;]))-?@")


class CitationSyntaxError(ValueError):
    """The text is clearly meant as a citation but cannot be read as one."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)  # 1,000 pages: 50,000 citations held until every page is written
class Citation:
    """One work cited: key, and the optional prefix ('see') and locator ('p. 42')."""

    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False


NOTE = "note"  # [@a; @b]: an endnote marker
NARRATIVE = "narrative"  # @a: Author (Year) in the sentence
PARENTHETICAL = "parenthetical"  # [-@a]: (Year) in the sentence


@dataclass(slots=True)
class CitationGroup:
    """What one `[...]` or one narrative `@key` cites, and where it was written."""

    mode: str
    citations: tuple[Citation, ...]  # a tuple: 25,000 groups held to the end of a large build
    source: str = ""  # the text as written, for messages
    line: int | None = None
    number: int | None = None  # endnote number, assigned in navigation order
    numeral: str = ""
    anchor: str = ""  # id of the citing place in the page

    @property
    def keys(self) -> list[str]:
        return [citation.key for citation in self.citations]


def looks_like_citation(inside: str) -> bool:
    """Does bracket content contain an '@' that starts a citation (not an e-mail)?"""
    return bool(_AT_SIGN.search(inside))


def parse_bracketed(inside: str) -> CitationGroup | None:
    """Parse the text between `[` and `]`.

    Returns None when the brackets are not a citation at all (no '@' after a space or
    ';', as in `[mail me@example.org]`); raises CitationSyntaxError when they are one
    but are malformed (`[@]`, `[@a; see]`).
    """
    if not looks_like_citation(inside):
        return None
    citations = []
    for raw_item in inside.split(";"):
        item = raw_item.strip()
        if not item:
            raise CitationSyntaxError("empty_citation", f"empty item in citation [{inside}]: remove the extra ';'")
        match = _ITEM.match(item)
        if match is None or "@" not in item:
            raise CitationSyntaxError(
                "malformed_citation",
                f"'{item}' in [{inside}] has no @key: every item between ';' needs one, e.g. [@smith2020; @jones2019]",
            )
        if not match.group("key"):
            raise CitationSyntaxError(
                "empty_citation",
                f"'@' without a key in [{inside}]: write the BibTeX key after '@', e.g. [@smith2020]",
            )
        citations.append(
            Citation(
                key=sys.intern(match.group("key")),  # one copy per work, not per citation
                prefix=match.group("prefix").strip(),
                locator=_clean_locator(match.group("rest")),
                suppress_author=bool(match.group("minus")),
            )
        )
    # Pandoc's semantics: `-@key` drops that work's author. When every work is `-@` the group is
    # a year in the text, `(2002; 2006)`; otherwise it stays an endnote, the `-@` works showing
    # only their year there.
    mode = PARENTHETICAL if all(c.suppress_author for c in citations) else NOTE
    return CitationGroup(mode=mode, citations=tuple(citations), source=f"[{inside}]")


def _clean_locator(rest: str) -> str:
    return rest.strip().lstrip(",").strip()


def narrative(key: str, locator: str = "") -> CitationGroup:
    locator = _clean_locator(locator)
    return CitationGroup(mode=NARRATIVE, citations=(Citation(key=sys.intern(key), locator=locator),), source=f"@{key}")
