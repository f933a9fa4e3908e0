"""The evidence graph: which works each factor and outcome page cites, and what they share."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .pages import PageMeta


@dataclass
class EvidenceGraph:
    """Evidence pages in reading order, and the set of works (lower-cased keys) each cites."""

    pages: list[PageMeta]
    works: dict[str, set[str]]  # src_uri -> keys

    @property
    def factors(self) -> list[PageMeta]:
        return [p for p in self.pages if p.kind == "factor"]

    @property
    def outcomes(self) -> list[PageMeta]:
        return [p for p in self.pages if p.kind == "outcome"]

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
        for factor in self.factors:
            for index, keys in self._sharing(factor).items():
                other = self.pages[index]
                if other.kind == "outcome":
                    cells[(factor.src_uri, other.src_uri)] = keys
        return cells

    def evidence_map(self) -> dict[tuple[str, str], list[str]]:
        """(factor src_uri, outcome src_uri) -> works cited on both; pairs sharing none are absent."""
        return self._cells

    def to_json(self, url_of) -> dict:
        """A plain structure for evidence-map.json."""
        cells = self.evidence_map()
        def describe(page):
            return {"slug": page.slug, "title": page.title, "url": url_of(page.src_uri),
                    "kind": page.kind, "group": page.group or None, "works": sorted(self.works.get(page.src_uri, set()))}

        return {
            "description": "Works cited on both a factor page and an outcome page of the review "
                           "(co-citation: where the review's sources overlap, not measured effects). "
                           "Pairs that share no work are not listed.",
            "factors": [describe(p) for p in self.factors],
            "outcomes": [describe(p) for p in self.outcomes],
            # Only pairs that share works; every other factor x outcome pair shares none.
            "cells": [
                {"factor": f.slug, "outcome": o.slug, "count": len(cells[(f.src_uri, o.src_uri)]),
                 "works": cells[(f.src_uri, o.src_uri)]}
                for f in self.factors for o in self.outcomes if (f.src_uri, o.src_uri) in cells
            ],
        }
