"""The evidence graph: which works each evidence page cites, and what the pages share."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from .pages import PageMeta


@dataclass
class EvidenceGraph:
    """Evidence pages in reading order, and the set of works (lower-cased keys) each cites.

    `rows` and `columns` are the kinds the evidence map crosses (None: no map).
    """

    pages: list[PageMeta]
    works: dict[str, tuple[str, ...] | set[str]]  # src_uri -> keys
    rows: str | None = None
    columns: str | None = None

    def pages_of(self, kind: str | None) -> list[PageMeta]:
        return [p for p in self.pages if p.kind == kind]

    @property
    def row_pages(self) -> list[PageMeta]:
        return self.pages_of(self.rows)

    @property
    def column_pages(self) -> list[PageMeta]:
        return self.pages_of(self.columns)

    @functools.cached_property
    def _by_slug(self) -> dict[str, PageMeta]:
        return {page.slug: page for page in reversed(self.pages)}  # first page wins

    def by_slug(self, slug: str) -> PageMeta | None:
        return self._by_slug.get(slug)

    @functools.cached_property
    def _pages_citing(self) -> dict[str, list[int]]:
        """Work -> indexes of the evidence pages citing it."""
        pages_by_work: dict[str, list[int]] = {}
        for index, other in enumerate(self.pages):
            for key in self.works.get(other.src_uri, ()):
                pages_by_work.setdefault(key, []).append(index)
        return pages_by_work

    def _sharing(self, page: PageMeta) -> dict[int, list[str]]:
        """Index of every other page sharing works with `page` -> the shared keys, sorted.

        Walks the work -> pages index, so the cost follows the citations, not pages squared.
        """
        shared: dict[int, list[str]] = {}
        for key in sorted(self.works.get(page.src_uri, ())):
            for index in self._pages_citing.get(key, ()):
                if self.pages[index] is not page:
                    shared.setdefault(index, []).append(key)
        return shared

    def also_cited_in(self, page: PageMeta) -> list[tuple[PageMeta, list[str]]]:
        """Other evidence pages sharing works with `page`: most shared first, then reading order."""
        ranked = sorted(self._sharing(page).items(), key=lambda item: (-len(item[1]), item[0]))
        return [(self.pages[index], keys) for index, keys in ranked]

    def declared_related(self, page: PageMeta) -> list[PageMeta]:
        return [p for slug in page.related if (p := self.by_slug(slug)) is not None]

    @functools.cached_property  # the map page and evidence-map.json both ask
    def _cells(self) -> dict[tuple[str, str], list[str]]:
        cells = {}
        for row in self.row_pages:
            for index, keys in self._sharing(row).items():
                other = self.pages[index]
                if other.kind == self.columns:
                    cells[(row.src_uri, other.src_uri)] = keys
        return cells

    def evidence_map(self) -> dict[tuple[str, str], list[str]]:
        """(row src_uri, column src_uri) -> works cited on both; pairs sharing none are absent."""
        return self._cells

    def json_text(self, url_of, description: str) -> str:
        """evidence-map.json: the row and column pages listed under their kind's name plus 's'
        (`<kind>s`), and each pair sharing works as a cell naming its two pages by kind (pairs that
        share none are left out). The text json.dumps gives the whole structure (sorted keys,
        compact), made a row at a time: at 1,000 pages the structure was 15 MB more at once."""
        # Compact: with indent, json uses its pure-Python encoder (50 ms at 200 pages). One encoder
        # for every part: json.dumps with options makes a new one each call.
        dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode

        def describe(page):
            return {"slug": page.slug, "title": page.title, "url": url_of(page.src_uri),
                    "kind": page.kind, "group": page.group or None, "works": sorted(self.works.get(page.src_uri, set()))}

        def cells(parts):
            cells, columns = self.evidence_map(), self.column_pages
            parts.append("[")
            for r in self.row_pages:  # a row's cells at a time: "[a,b]" less its brackets
                row = [{self.rows: r.slug, self.columns: c.slug, "count": len(keys), "works": keys}
                       for c in columns if (keys := cells.get((r.src_uri, c.src_uri))) is not None]
                if row:
                    parts.append(dumps(row)[1:-1])
                    parts.append(",")
            if parts[-1] == ",":
                parts[-1] = "]"
            else:  # no pair shares a work
                parts.append("]")

        values = {
            "description": lambda parts: parts.append(dumps(description)),
            f"{self.rows}s": lambda parts: parts.append(dumps([describe(p) for p in self.row_pages])),
            f"{self.columns}s": lambda parts: parts.append(dumps([describe(p) for p in self.column_pages])),
            "cells": cells,
        }
        parts = ["{"]
        for name, value in sorted(values.items()):
            parts.append(dumps(name) + ":")
            value(parts)
            parts.append(",")
        parts[-1] = "}\n"
        return "".join(parts)
