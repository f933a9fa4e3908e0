"""What every metadata format reads of a work and of a page (metadata.py, json_ld.py, coins.py).

A work's authors as BibTeX names them (`creators`), its date, its fields as text (LaTeX decoded)
and its web address; a page's facts (`PageFacts`) and its title within the republished work.
Pure functions over the library's `Work`s (no MkDocs).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .bibliography import Work
from .bibnames import is_others, name_parts, parse_name, plain_text
from .library_exports import _year, fields_of
from .weblinks import http_url


@dataclass
class Creator:
    """One author as BibTeX names them: a person (family, given) or a corporate name."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def sort_form(self) -> str:
        """`Family, Given` (as Google Scholar and Zotero read a name), or the literal."""
        return self.literal or ", ".join(part for part in (self.family, self.given) if part)

    @property
    def display(self) -> str:
        return self.literal or " ".join(part for part in (self.given, self.family) if part)

    def json_ld(self) -> dict:
        if self.literal:
            return {"@type": "Organization", "name": self.literal}
        person = {"@type": "Person", "name": self.display, "familyName": self.family}
        if self.given:
            person["givenName"] = self.given
        return person


def creators(work: Work, role: str = "author") -> list[Creator]:
    """The named authors (or, with none, editors); `and others` is left out."""
    names = work.persons.get(role) or (work.persons.get("editor") if role == "author" else None) or []
    return _creators(tuple(names))


@functools.lru_cache(maxsize=4096)  # the same surnames and initials in many works' names
def _decode(value: str) -> str:
    """LaTeX in a name as text (`Leit{\\~a}o` -> `Leitão`, `{Home Office}` -> `Home Office`) with
    latexcodec, which pybtex itself uses, so a warm build (library from the cache) never imports pybtex."""
    if not any(char in value for char in "\\{}$~") and "--" not in value:
        return value.strip()
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec)

    return re.sub(r"(?<!\\)[{}]", "", codecs.decode(value, "ulatex")).strip()


@functools.lru_cache(maxsize=None)  # the same names on every page citing the work, and in its COinS
def _creators(names: tuple[str, ...]) -> list[Creator]:
    out = []
    for person in map(parse_name, names):
        if is_others(person):
            continue
        parts = name_parts(person, decode=_decode)
        if "literal" in parts:
            out.append(Creator(literal=parts["literal"]))
            continue
        family = " ".join(filter(None, [parts.get("non-dropping-particle"), parts["family"]]))
        if parts.get("suffix"):
            family += f", {parts['suffix']}"
        out.append(Creator(family=family, given=parts.get("given", "")))
    return out


def publication_date(work: Work, separator: str = "/") -> str:
    """`2021`, or `2021/05/17` with a full date (Google Scholar: full date or year alone)."""
    year, month, day = _year(fields_of(work))
    if not year:
        return ""
    if month and day:
        return f"{year:04d}{separator}{month:02d}{separator}{day:02d}"
    return f"{year:04d}"


def _field(work: Work, *names: str) -> str:
    """The first of `names` the entry states, as text (LaTeX decoded)."""
    decoded = work.fields
    for name in names:
        value = decoded.get(name, "").strip() if decoded else plain_text(fields_of(work).get(name, ""))
        if value:
            return value
    return ""


def work_url(work: Work) -> str | None:
    return http_url(_field(work, "url"))


@dataclass
class PageFacts:
    """What the plugin knows of one page."""

    title: str
    url: str | None  # absolute; None without site_url
    description: str
    language: str  # of the page's text (citation_language, inLanguage)
    site_name: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> absolute URL (x-default too)
    is_home: bool = False
    noindex: bool = False
    date_modified: str = ""  # ISO date, when known
    image_url: str | None = None
    image_alt: str = ""


def page_citation_title(review: Work, page: PageFacts) -> str:
    """The page within the work: `Information sharing — <work title>`; the home page is the work."""
    title = _field(review, "title")
    if page.is_home or not page.title or page.title == title:
        return title or page.title
    return f"{page.title} — {title}" if title else page.title
