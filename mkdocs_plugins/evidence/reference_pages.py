"""A large References page split into pages by initial letter, so a phone never loads 10,000 works.

Split when the library holds more than `page_size` works: the References page keeps its intro,
the library downloads and an index of letters; each letter (or, for a letter with more than
`page_size` works, each run of `page_size` of them) gets a page of its own beside it:
`references.md` -> `references/a.md`, `references/a-2.md`, `references/other.md`.

The parts come from the whole library, not from what is cited, so they are known before any page
is rendered (links to `references/a/#ref-abbott2005a` are written while pages render), and a
work's address does not move when a page starts or stops citing another work.
"""

from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import dataclass, field

from .bibliography import Work

OTHER = "other"


@dataclass
class ReferencePart:
    src_uri: str  # references/a.md
    slug: str  # a, a-2, other
    label: str  # A, A (2), 0-9 / other
    keys: list[str] = field(default_factory=list)  # lower-cased keys, in the library's order


def initial(work: Work) -> str:
    """`a` for Abbott, `o` for Ó Súilleabháin, `other` for a label whose first letter or digit
    is not one of a-z (quotes and brackets before it are passed over)."""
    for char in unicodedata.normalize("NFKD", work.label):
        if char.isalnum():
            return char.lower() if char.isascii() and char.isalpha() else OTHER
    return OTHER


def parts_folder(page_uri: str) -> str:
    """`references.md` -> `references`; `references/index.md` -> `references`."""
    stem = posixpath.splitext(page_uri)[0]
    return posixpath.dirname(stem) if posixpath.basename(stem) in ("index", "README") else stem


def split_references(works: list[Work], page_uri: str, page_size: int, other_label: str) -> list[ReferencePart]:
    """The parts, in the library's order; [] when the works fit on one page."""
    if page_size <= 0 or len(works) <= page_size:
        return []
    folder = parts_folder(page_uri)
    by_letter: dict[str, list[str]] = {}
    for work in works:
        by_letter.setdefault(initial(work), []).append(work.key.lower())
    letters = sorted(by_letter, key=lambda letter: (letter == OTHER, letter))
    parts = []
    for letter in letters:
        keys = by_letter[letter]
        label = other_label if letter == OTHER else letter.upper()
        for number, start in enumerate(range(0, len(keys), page_size), start=1):
            slug = letter if number == 1 else f"{letter}-{number}"
            parts.append(ReferencePart(
                src_uri=posixpath.join(folder, f"{slug}.md"), slug=slug,
                label=label if number == 1 else f"{label} ({number})", keys=keys[start:start + page_size]))
    return parts
