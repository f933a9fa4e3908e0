"""Every citation on the site, numbered in navigation order, with backlinks per work."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field

from .bibliography import Library, library_key
from .citations import NOTE, CitationGroup
from .numerals import format_numeral
from .problems import ProblemList


@dataclass
class PageRecord:
    """The citations one page makes, in text order."""

    src_uri: str  # "topics/key-idea.md"
    display_path: str  # as the editor sees it: "docs/topics/key-idea.md"
    by_placeholder: dict[str, CitationGroup] = field(default_factory=dict)  # placeholder n -> group, text order
    title: str = ""
    url: str = ""  # site-relative URL: "topics/key-idea/"
    kind: str = "section"  # from front matter: a kind of the schema, or section
    notes_at: int | None = None  # groups in the text above the Notes (`\bibliography`); None: Notes last

    @property
    def groups(self) -> list[CitationGroup]:
        return list(self.by_placeholder.values())

    @property
    def notes(self) -> list[CitationGroup]:
        return [group for group in self.groups if group.mode == NOTE]

    @property
    def cited_keys(self) -> list[str]:
        """The keys of the works the page links, lower case, once each, in the order the links
        stand on the final page: in-text citations, with the Notes where they are placed."""
        groups = self.groups
        split = len(groups) if self.notes_at is None else self.notes_at
        in_text = [group for group in groups if group.mode != NOTE]
        above = [group for group in groups[:split] if group.mode != NOTE]
        order = above + self.notes + in_text[len(above):]
        return list(dict.fromkeys(key.lower() for group in order for key in group.keys))


@dataclass(frozen=True, slots=True)  # 10,000 works: 80,000 places
class CitingPlace:
    """One place citing a work: the page and the group (marker or narrative citation)."""

    page: PageRecord
    group: CitationGroup


class EndnoteRegistry:
    """Collects page records during rendering; numbers and cross-links them once."""

    def __init__(self) -> None:
        self.pages: dict[str, PageRecord] = {}

    def record(self, page: PageRecord) -> None:
        self.pages[page.src_uri] = page

    def reading_order(self, nav_order: list[str]) -> list[PageRecord]:
        """Pages in navigation order; pages outside the nav after, sorted by path."""
        in_nav = [self.pages[uri] for uri in nav_order if uri in self.pages]
        listed = set(nav_order)
        rest = sorted((p for uri, p in self.pages.items() if uri not in listed), key=lambda p: p.src_uri)
        return in_nav + rest

    def number(self, nav_order: list[str], numbering: str = "site", numerals: str = "lower-roman") -> None:
        """Assign endnote numbers (site-wide or per page) and anchors to every group."""
        counter = 0
        for page in self.reading_order(nav_order):
            if numbering == "page":
                counter = 0
            inline = 0
            for group in page.groups:
                if group.mode == NOTE:
                    counter += 1
                    group.number = counter
                    group.numeral = format_numeral(counter, numerals)
                    group.anchor = f"endnote-ref-{group.numeral}"
                else:
                    inline += 1
                    group.anchor = sys.intern(f"cite-{inline}")  # the same few on every page

    def citing_places(self, nav_order: list[str]) -> dict[str, list[CitingPlace]]:
        """Lower-cased key -> every place citing it, in reading order, each place once."""
        places: dict[str, list[CitingPlace]] = {}
        for page in self.reading_order(nav_order):
            for group in page.groups:
                place = CitingPlace(page, group)  # one for all the works the group cites
                for key in dict.fromkeys(library_key(k) for k in group.keys):
                    places.setdefault(key, []).append(place)
        return places


def check_keys(group: CitationGroup, library: Library, display_path: str, problems: ProblemList) -> None:
    """Report each key the library does not hold, with close keys as suggestions."""
    for citation in group.citations:
        if library.get(citation.key) is not None:
            continue
        import difflib  # only when something is misspelt
        close = difflib.get_close_matches(citation.key.lower(), list(library.works), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(library.works[k].key) for k in close)}?" if close else ""
        problems.add(
            "key_not_found", display_path, group.line,
            f"citation key '{citation.key}' in {group.source} is not in the bibliography.{hint} "
            "Fix the key, or add the entry to the .bib file.",
        )


@functools.lru_cache(maxsize=4096)
def _folders(directory: str) -> tuple[str, ...]:
    return tuple(part for part in directory.split("/") if part)


@functools.lru_cache(maxsize=4096)  # a few hundred pages are linked from every other page
def _target_parts(path: str) -> tuple[tuple[str, ...], bool]:
    """The folders (and file name) of a site path, and whether it is a folder (`a/b/`)."""
    is_folder = path == "" or path.endswith("/")
    head, _, name = path.rpartition("/") if not is_folder else (path, "", "")
    return _folders(head) + ((name,) if name else ()), is_folder


@functools.lru_cache(maxsize=4096)
def _base_parts(base: str) -> tuple[str, ...]:
    """The folders of the page at `base` (`a/b/` and `a/b/c.html` are in `a/b`)."""
    return _folders(base if (base == "" or base.endswith("/")) else base.rpartition("/")[0])


def relative_url(target: str, base: str) -> str:
    """URL of `target` relative to the page at `base` (both site-relative, as MkDocs gives them).

    The same result as posixpath.relpath on normalised site paths, by comparing folders (relpath
    asks the OS for the working directory on every call: a third of the plugin's time at 200 pages).
    """
    path, _, fragment = target.partition("#")
    target_parts, is_folder = _target_parts(path)
    base_parts = _base_parts(base)
    common = 0
    for mine, theirs in zip(target_parts, base_parts):
        if mine != theirs:
            break
        common += 1
    rel = "/".join(("..",) * (len(base_parts) - common) + target_parts[common:]) or "."
    if is_folder:
        rel += "/"
    return rel + ("#" + fragment if fragment else "")
