"""The evidence graph: which works each factor and outcome page cites, and what they share."""

from __future__ import annotations

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

    def by_slug(self, slug: str) -> PageMeta | None:
        return next((p for p in self.pages if p.slug == slug), None)

    def shared(self, a: PageMeta, b: PageMeta) -> list[str]:
        """Works cited on both pages, sorted by key."""
        return sorted(self.works.get(a.src_uri, set()) & self.works.get(b.src_uri, set()))

    def also_cited_in(self, page: PageMeta) -> list[tuple[PageMeta, list[str]]]:
        """Other evidence pages sharing works with `page`: most shared first, then reading order.

        Walks an index from work to pages, so the cost follows the citations, not pages squared.
        """
        if not hasattr(self, "_pages_by_work"):
            self._pages_by_work: dict[str, list[int]] = {}
            for index, other in enumerate(self.pages):
                for key in self.works.get(other.src_uri, ()):
                    self._pages_by_work.setdefault(key, []).append(index)
        shared: dict[int, list[str]] = {}
        for key in sorted(self.works.get(page.src_uri, ())):
            for index in self._pages_by_work.get(key, ()):
                if self.pages[index] is not page:
                    shared.setdefault(index, []).append(key)
        ranked = sorted(shared.items(), key=lambda item: (-len(item[1]), item[0]))
        return [(self.pages[index], keys) for index, keys in ranked]

    def declared_related(self, page: PageMeta) -> list[PageMeta]:
        return [p for slug in page.related if (p := self.by_slug(slug)) is not None]

    def evidence_map(self) -> dict[tuple[str, str], list[str]]:
        """(factor src_uri, outcome src_uri) -> works cited on both."""
        return {(f.src_uri, o.src_uri): self.shared(f, o) for f in self.factors for o in self.outcomes}

    def to_json(self, url_of) -> dict:
        """A plain structure for evidence-map.json."""
        def describe(page):
            return {"slug": page.slug, "title": page.title, "url": url_of(page.src_uri),
                    "kind": page.kind, "group": page.group or None, "works": sorted(self.works.get(page.src_uri, set()))}

        return {
            "description": "Works cited on both a factor page and an outcome page of the review "
                           "(co-citation: where the review's sources overlap, not measured effects).",
            "factors": [describe(p) for p in self.factors],
            "outcomes": [describe(p) for p in self.outcomes],
            "cells": [
                {"factor": f.slug, "outcome": o.slug, "count": len(keys), "works": keys}
                for (f_uri, o_uri), keys in self.evidence_map().items()
                for f in [self._page(f_uri)] for o in [self._page(o_uri)]
            ],
        }

    def _page(self, src_uri: str) -> PageMeta:
        return next(p for p in self.pages if p.src_uri == src_uri)
