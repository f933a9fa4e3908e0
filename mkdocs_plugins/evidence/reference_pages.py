"""The References page: its list of works, split into pages by initial letter when it is large.

`ReferencesPage` writes the list (render.py's `render_references`) for the References page, for
each of its letter pages, and for a page holding mkdocs-bibtex's `\\full_bibliography`; under each
reference, "Suggest a correction", COinS and the entry's BibTeX/RIS (exports.py).

A large References page is split so a phone never loads 10,000 works. Split when the library
holds more than `page_size` works: the References page keeps its intro, the library downloads
and an index of letters; each letter (or, for a letter with more than `page_size` works, each run
of `page_size` of them) gets a page of its own beside it:
`references.md` -> `references/a.md`, `references/a-2.md`, `references/other.md`.

The parts come from the whole library, not from what is cited, so they are known before any page
is rendered (links to `references/a/#ref-abbott2005a` are written while pages render), and a
work's address does not move when a page starts or stops citing another work.
"""

from __future__ import annotations

import functools
import posixpath
import unicodedata
from dataclasses import dataclass, field

from typing import Callable

from . import coins
from .bibliography import Library, Work, library_key
from .problems import SiteError
from .registry import relative_url
from .render import esc, render_references

OTHER = "other"
# Where a letter page's list goes (its page: a title and this line).
REFERENCES_PART = "<!-- evidence:references-part -->"


@dataclass
class ReferencePart:
    src_uri: str  # references/a.md
    slug: str  # a, a-2, other
    label: str  # A, A (2), 0-9 / other
    keys: list[str] = field(default_factory=list)  # lower-cased keys, in the library's order
    letter: str = ""  # a, other: the initial its works share
    letter_label: str = ""  # A, 0-9 / other


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
        by_letter.setdefault(initial(work), []).append(library_key(work.key))
    letters = sorted(by_letter, key=lambda letter: (letter == OTHER, letter))
    parts = []
    for letter in letters:
        keys = by_letter[letter]
        label = other_label if letter == OTHER else letter.upper()
        for number, start in enumerate(range(0, len(keys), page_size), start=1):
            slug = letter if number == 1 else f"{letter}-{number}"
            parts.append(ReferencePart(
                src_uri=posixpath.join(folder, f"{slug}.md"), slug=slug,
                label=label if number == 1 else f"{label} ({number})", keys=keys[start:start + page_size],
                letter=letter, letter_label=label))
    return parts


class ReferencesPage:
    """The References page of one build, and its letter pages when the library is split.

    `places` (registry.citing_places) says which works are cited and where; `link(src_uri)` is a
    page's URL relative to the page being written; `work_text(key)`: `Abbott et al., 2005a`.
    """

    def __init__(self, library: Library, options, strings: dict[str, str], kind_labels: dict[str, str],
                 work_text: Callable[[str], str]):
        self.library, self.options, self.strings = library, options, strings
        self.kind_labels = kind_labels  # kind -> its label in the site's language
        self.work_text = work_text
        self.parts: list[ReferencePart] = split_references(
            list(library.works.values()), options.references_page, options.references_page_size,
            strings["other_initial"])
        self.parts_by_uri = {part.src_uri: part for part in self.parts}
        self.part_of = {key: part.src_uri for part in self.parts for key in part.keys}  # key -> its letter page
        self.site_exports = None  # set once the library's exports are known (exports.SiteExports)
        self.entries_files: dict = {}  # References page (or part) -> its entries file (.uri, .content)
        self.entries_works: dict[str, dict] = {}  # entries file -> the works it holds
        self.part_counts: list[int] = []  # works listed on each part, once citations are known (count_parts)

    def part_pages(self, existing: set[str]) -> dict[str, str]:
        """src_uri -> markdown of each letter page (none when the list fits on one page)."""
        pages = {}
        for part in self.parts:
            if part.src_uri in existing:
                raise SiteError(
                    f"docs/{part.src_uri} exists, but the evidence plugin puts the References page's "
                    f"'{part.label}' part there. Rename it, or set references_page_size: 0 (one page).")
            pages[part.src_uri] = f"# {self.strings['references']}: {part.label}\n\n{REFERENCES_PART}\n"
        return pages

    def count_parts(self, places) -> None:
        """The works each letter page lists, counted once per build for every page's list of parts
        (10,000 works: 110 parts, which each page used to count again)."""
        self.part_counts = [len(self.listed_works(places, part)) for part in self.parts]

    def listed_works(self, places, part: ReferencePart | None = None) -> list[Work]:
        """Works on the References page (or one part of it): the cited ones, or all with include_uncited."""
        works = self.library.works.values() if part is None else (self.library.get(key) for key in part.keys)
        return [work for work in works if self.options.include_uncited or work.key.lower() in places]

    def anchor_ids(self, src_uri: str) -> set[str]:
        """The `ref-<key>` ids the page at src_uri holds (written after rendering)."""
        part = self.parts_by_uri.get(src_uri)
        if part is not None:
            return {f"ref-{self.library.get(key).key}" for key in part.keys}
        if src_uri == self.options.references_page and not self.parts:
            return {f"ref-{work.key}" for work in self.library.works.values()}
        return set()

    def _parts_nav(self, link, current: str | None) -> str:
        """Links to the letter pages of a split References page (those listing any work).

        The References page lists every part with its count of works; a letter page, one link per
        letter (its first part) and each part of its own letter: at 10,000 works, 30 links above
        the first reference instead of 110 with their counts (a third of the page's elements)."""
        items = []
        here = self.parts_by_uri.get(current) if current is not None else None
        linked_letters = set()
        for part, count in zip(self.parts, self.part_counts):
            if not count:
                continue
            if here is None:
                text = f"{esc(part.label)} <span class=\"evidence-count\">({count:,})</span>"
            elif part.letter == here.letter:
                text = esc(part.label)
            elif part.letter in linked_letters:
                continue
            else:
                text = esc(part.letter_label)
            linked_letters.add(part.letter)
            current_attribute = ' aria-current="page"' if part.src_uri == current else ""
            items.append(f'<li><a href="{esc(link(part.src_uri))}"{current_attribute}>{text}</a></li>')
        label = esc(self.strings["references_parts"])
        # On each letter page the same list again: out of the search index, which every page
        # fetches (10,000 works: 110 letter pages, 220 KB of index).
        exclude = " data-search-exclude" if current is not None else ""
        return f'<nav class="evidence-reference-parts" aria-label="{label}"{exclude}><ul>{"".join(items)}</ul></nav>'

    def _entries_file(self, src_uri: str, works: list[Work]):
        """The entries file (BibTeX/RIS read by evidence.js) of the list at src_uri, or None when
        the list has no per-entry exports. A list on another page (mkdocs-bibtex's
        `\\full_bibliography`) shares the References page's file."""
        options = self.options
        entries = self.entries_files.get(src_uri) or self.entries_files.get(options.references_page)
        if not options.exports or entries is None or len(works) > options.entry_exports_limit:
            return None
        return entries

    def fill_entries(self, places, src_uri: str) -> None:
        """Add the works listed at src_uri to its entries file (before any page is written)."""
        part = self.parts_by_uri.get(src_uri)
        if self.parts and part is None:  # the References page of a split list: its letters only
            return
        works = self.listed_works(places, part)
        entries = self._entries_file(src_uri, works)
        if entries is not None:  # the works listed here and on any page sharing the file
            listed = self.entries_works.setdefault(entries.uri, {})
            listed.update((library_key(work.key), work) for work in works)
            entries.make = functools.partial(self.site_exports.entries_file, list(listed.values()))

    def html(self, places, src_uri, base_url, link, cited_in=True, corrections=None) -> str:
        """The list on the page at src_uri (`cited_in=False`: the text search indexes, bare)."""
        options, exports = self.options, self.site_exports
        part = self.parts_by_uri.get(src_uri)
        if self.parts and part is None:  # the References page of a split list: its letters
            html = self._parts_nav(link, None)
            if options.exports and cited_in:
                return exports.downloads(lambda uri: relative_url(uri, base_url)) + "\n" + html
            return html
        works = self.listed_works(places, part)
        self.library.read_references(work.key for work in works)  # a letter's 100 in one query

        page_urls = {}  # each citing page's URL relative to this one, computed once

        def link_to_place(place):
            url = page_urls.get(place.page.url)
            if url is None:
                url = page_urls[place.page.url] = relative_url(place.page.url, base_url)
            return f"{url}#{place.group.anchor}"

        # COinS and the exports go under each reference on the page, not in the text given to search.
        entries = self._entries_file(src_uri, works) if cited_in else None
        per_entry = entries is not None
        entry_html = exports.entry_html
        if cited_in:  # each work's COinS and export button ask the cache: a query for the page, not one a work
            self.library.read_coins(work.key for work in works)
            if per_entry:
                exports.read_stems(works)

        def extra(work):  # "Suggest a correction", COinS for reference managers, the entry's BibTeX/RIS
            correction = corrections.reference(work.key, self.work_text(work.key)) if corrections else ""
            return correction + coins.coins_html(work) + (entry_html(work) if per_entry else "")

        attributes = f' data-entries="{esc(relative_url(entries.uri, base_url))}"' if per_entry else ""
        html = render_references(works, places if cited_in else None, self.strings, link_to_place,
                                 extra if cited_in else None, self.kind_labels, attributes)
        if part is not None:
            return self._parts_nav(link, src_uri) + "\n" + html
        if options.exports and cited_in:  # prepended here: a replace on the page would copy it
            return exports.downloads(lambda uri: relative_url(uri, base_url)) + "\n" + html
        return html
