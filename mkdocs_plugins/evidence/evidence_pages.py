"""The pages an evidence schema asks for (schema.py), and what they hold once every page is
rendered: the evidence map and its JSON, the figure, each kind's index of pages, and the Related
block under each evidence page. graph.py links the pages through the works they cite;
render_graph.py writes the HTML. No MkDocs.
"""

from __future__ import annotations

import functools
from typing import Callable

from .bibliography import library_key
from .graph import EvidenceGraph
from .render_graph import evidence_map_parts, grouped, render_figure, render_index, render_related

EVIDENCE_MAP = "<!-- evidence:map -->"  # where the evidence map's table goes (its generated page)


class EvidencePages:
    """The evidence map, figure and indexes of one build. `has_map` / `has_figure` are known once
    `pages` has seen the site's pages: each exists only when the site has pages of its kinds."""

    def __init__(self, schema, language: str, strings: dict[str, str], options, problems):
        self.schema, self.language, self.strings = schema, language, strings
        self.options, self.problems = options, problems
        self.has_map = self.has_figure = False

    def pages(self, metas: dict, existing: set[str]) -> dict[str, str]:
        """src_uri -> markdown of the evidence map's and the figure's pages, for the kinds the
        site has pages of; a figure box linking to a page the site lacks is a problem."""
        schema, language = self.schema, self.language
        present = {meta.kind for meta in metas.values()}
        spec, figure = schema.evidence_map, schema.figure
        self.has_map = spec is not None and {spec.rows, spec.columns} <= present
        self.has_figure = figure is not None and any(box.kind in present for box in figure.boxes)
        pages = {}
        if self.has_map:
            # A wide table: Material's hide: toc gives it the page's full width.
            pages[spec.page] = (f"---\nhide: [toc]\n---\n# {spec.title.text(language)}\n\n"
                                f"{spec.intro.text(language)}\n\n{EVIDENCE_MAP}\n")
        if self.has_figure:
            pages[figure.page] = f"# {figure.title.text(language)}\n\n{figure.marker}\n"
            for index, box in enumerate(figure.boxes):
                target = (box.link or "").partition("#")[0]
                if box.link and target not in existing:
                    self.problems.add(
                        "missing_page", schema.source, None,
                        f"the figure's box '{box.name}' (figure.boxes[{index}].link) links to {target}, "
                        "which is not a page of this site. Create the page, or link the box to another one.")
        return pages

    def index_headings(self, html: str, metas: dict) -> list[tuple[str, str]]:
        """(title, id) of the group headings a kind's index on this page will hold."""
        headings = []
        for kind in self.schema.kinds.values():
            if kind.groups and kind.index_marker in html:
                pages = [meta for meta in metas.values() if meta.kind == kind.name]
                headings.extend((heading, group) for group, heading, _ in grouped(pages, kind.groups, self.language))
        return headings

    def graph(self, metas: dict, nav_order: list[str], titles: dict[str, str], registry, library) -> EvidenceGraph:
        """Evidence pages in reading order (titles as rendered), each with the works its citations name."""
        order = {uri: i for i, uri in enumerate(nav_order)}
        evidence = sorted((m for m in metas.values() if m.is_evidence_page),
                          key=lambda m: (order.get(m.src_uri, len(order)), m.src_uri))
        for meta in evidence:
            if titles.get(meta.src_uri):
                meta.title = titles[meta.src_uri]
        works = {  # sorted tuples of the library's (interned) keys: 1,000 pages, 32,000 keys
            uri: tuple(sorted({library_key(key) for group in record.groups for key in group.keys
                               if library.get(key)}))
            for uri, record in registry.pages.items()
        }
        spec = self.schema.evidence_map
        return EvidenceGraph(evidence, works, spec.rows if spec else None, spec.columns if spec else None)

    def renderers(self, graph: EvidenceGraph, link, work_link, work_text) -> dict[str, Callable[[], str | list[str]]]:
        """Marker -> what writes it on a page: each kind's index, the map (in parts: join them
        once, with the page around them), the figure."""
        schema, language, strings = self.schema, self.language, self.strings
        # The kind's pages are looked up only on a page holding its index (one page, not every page).
        generated = {
            kind.index_marker: functools.partial(
                lambda kind: render_index(graph.pages_of(kind.name), graph, strings, link, kind.groups, language), kind)
            for kind in schema.kinds.values()
        }
        if self.has_map:
            generated[EVIDENCE_MAP] = lambda: evidence_map_parts(graph, schema, language, strings, link, work_link,
                                                                 work_text, self.options.evidence_map_table_limit)
        if self.has_figure:
            generated[schema.figure.marker] = lambda: render_figure(graph, schema, language, link)
        return generated

    def related(self, meta, graph: EvidenceGraph, link, work_link, work_text) -> str:
        """The Related block under an evidence page."""
        return render_related(meta, graph, self.strings, link, work_link, work_text, self.options.related_limit)

    def map_json(self, graph: EvidenceGraph, registry) -> str:
        """evidence-map.json: the map's pages and links, for other tools."""
        urls = {uri: record.url for uri, record in registry.pages.items()}
        return graph.json_text(lambda uri: urls.get(uri, ""), self.schema.evidence_map.description.text(self.language))
