"""HTML for the graph: index lists, Related blocks, the evidence map and the figure.

`link(src_uri_or_target)` returns a URL relative to the page being written; `work_link(key)`
the URL of a work on the References page; `work_text(key)` its short label and year. The kinds,
groups and texts come from the site's evidence schema, in the interface `language`.
"""

from __future__ import annotations

from typing import Callable

from .graph import EvidenceGraph
from .pages import PageMeta
from .render import esc
from .schema import FigureBox, Label, Schema

Link = Callable[[str], str]


def _page_link(page: PageMeta, link: Link) -> str:
    return f'<a href="{esc(link(page.src_uri))}">{esc(page.title)}</a>'


def _breakable(text: str) -> str:
    """Escaped text that may wrap after a slash ("pooled/<wbr>budgets") in narrow figure boxes."""
    return esc(text).replace("/", "/<wbr>")


def _figure_link(page: PageMeta, link: Link) -> str:
    return f'<a href="{esc(link(page.src_uri))}">{_breakable(page.title)}</a>'


def _work_items(work_link: Link, work_text: Callable[[str], str]) -> Callable[[str], str]:
    """A work's list item (`<li><a href="...">Abbott et al., 2005a</a></li>`), written once per page:
    the map and the Related blocks list the same works in many cells."""
    made: dict[str, str] = {}

    def item(key: str) -> str:
        html = made.get(key)
        if html is None:
            html = made[key] = f'<li><a href="{esc(work_link(key))}">{esc(work_text(key))}</a></li>'
        return html
    return item


def _works_list(keys: list[str], item: Callable[[str], str]) -> str:
    return "<ul>" + "".join(map(item, keys)) + "</ul>"


def grouped(pages: list[PageMeta], groups: dict[str, Label], language: str):
    """(group, heading, members) for each group that has pages, in the schema's order."""
    for group, heading in groups.items():
        members = [page for page in pages if page.group == group]
        if members:
            yield group, heading.text(language), members


def _works_disclosure(summary: str, keys: list[str], item: Callable[[str], str]) -> str:
    """`summary` (already HTML) that opens on the list of works (`item`: from _work_items)."""
    return f"<details><summary>{summary}</summary>{_works_list(keys, item)}</details>"


def _count(n: int, strings: dict[str, str]) -> str:
    return strings["one_study"] if n == 1 else strings["n_studies"].format(n=n)


def render_index(pages: list[PageMeta], graph: EvidenceGraph, strings: dict[str, str], link: Link,
                 groups: dict[str, Label], language: str) -> str:
    """A list of pages with summary and number of studies cited, under headings when the kind has groups."""
    def items(members):
        rows = []
        for page in members:
            count = len(graph.works.get(page.src_uri, set()))
            rows.append(
                f'<li>{_page_link(page, link)}: {esc(page.summary)} '
                f'<span class="evidence-count">({esc(_count(count, strings))})</span></li>'
            )
        return '<ul class="evidence-index">' + "".join(rows) + "</ul>"

    if not groups:
        return items(pages)
    return "\n".join(f'<h2 id="{group}">{esc(heading)}</h2>\n{items(members)}'
                     for group, heading, members in grouped(pages, groups, language))


def render_related(page: PageMeta, graph: EvidenceGraph, strings: dict[str, str], link: Link,
                   work_link: Link, work_text: Callable[[str], str], limit: int = 10) -> str:
    """Declared relations, then the pages citing the same works (shared works in a disclosure).

    At most `limit` pages, most shared first: the evidence map has the rest.
    """
    declared = graph.declared_related(page)
    every_shared = graph.also_cited_in(page)
    shared = every_shared[:limit]
    if not declared and not shared:
        return ""
    parts = [f'<h2 id="related"{strings.get("lang_attr", "")}>{esc(strings["related"])}<a class="headerlink" href="#related" title="Permanent link">&para;</a></h2>']
    if declared:
        parts.append(f'<p>{esc(strings["see_also"])}: ' + ", ".join(_page_link(p, link) for p in declared) + "</p>")
    if shared:
        item = _work_items(work_link, work_text)
        rows = []
        for other, keys in shared:
            rows.append(
                f"<li>{_page_link(other, link)} "
                f"{_works_disclosure(esc(_count(len(keys), strings) + ' ' + strings['in_common']), keys, item)}</li>"
            )
        if len(every_shared) > limit:
            rows.append(f"<li>{esc(strings['and_more'].format(n=len(every_shared) - limit))}</li>")
        parts.append(f'<p>{esc(strings["also_cited_in"])}:</p><ul class="evidence-also-cited">' + "".join(rows) + "</ul>")
    # Kept out of the search index: these links would make every page match every study.
    return '<section class="evidence-related" data-search-exclude>\n' + "\n".join(parts) + "\n</section>"


def _row_groups(graph: EvidenceGraph, schema: Schema, language: str):
    """(heading or None, pages) for the map's rows: by group when the row kind has groups."""
    groups = schema.kinds[graph.rows].groups
    if not groups:
        return [(None, graph.row_pages)]
    return [(heading, members) for _, heading, members in grouped(graph.row_pages, groups, language)]


def render_evidence_map(graph: EvidenceGraph, schema: Schema, language: str, strings: dict[str, str], link: Link,
                        work_link: Link, work_text: Callable[[str], str], table_limit: int = 2500) -> str:
    """A rows x columns table of shared works, with header cells, a caption and row groups.

    Above `table_limit` cells (600 x 400 would be 240,000, nearly all empty, and no reader can
    use such a table), a list of the pairs that share works instead.
    """
    return "".join(evidence_map_parts(graph, schema, language, strings, link, work_link, work_text, table_limit))


def evidence_map_parts(graph: EvidenceGraph, schema: Schema, language: str, strings: dict[str, str], link: Link,
                       work_link: Link, work_text: Callable[[str], str], table_limit: int = 2500) -> list[str]:
    """render_evidence_map's HTML in parts, to be joined once (`"".join`)."""
    cells = graph.evidence_map()
    columns = graph.column_pages
    if len(graph.row_pages) * len(columns) > table_limit:
        return _evidence_map_list(graph, schema, language, cells, strings, link, work_link, work_text)
    spec = schema.evidence_map
    item = _work_items(work_link, work_text)
    head = "".join(f'<th scope="col">{_page_link(o, link)}</th>' for o in columns)
    body = []
    for heading, rows in _row_groups(graph, schema, language):
        if heading is not None:
            body.append(f'<tr class="evidence-map-group"><th scope="rowgroup" colspan="{len(columns) + 1}">{esc(heading)}</th></tr>')
        for row_page in rows:
            row = [f'<th scope="row">{_page_link(row_page, link)}</th>']
            for column in columns:
                keys = cells.get((row_page.src_uri, column.src_uri))
                if keys:
                    row.append(f'<td data-count="{len(keys)}">{_works_disclosure(str(len(keys)), keys, item)}</td>')
                else:
                    row.append('<td data-count="0" class="evidence-map-empty">0</td>')
            body.append("<tr>" + "".join(row) + "</tr>")
    return [
        f'<div class="evidence-map-scroll" role="region" aria-labelledby="evidence-map-caption" tabindex="0">'
        f'<table class="evidence-map"><caption id="evidence-map-caption">{esc(spec.caption.text(language))}</caption>'
        f'<thead><tr><th scope="col">{esc(schema.kinds[graph.rows].label.text(language))} \\ '
        f'{esc(schema.kinds[graph.columns].label.text(language))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    ]


def _figure_box(box: FigureBox, graph: EvidenceGraph, schema: Schema, language: str, link: Link) -> str:
    classes = f"evidence-figure__box evidence-figure__{box.name}"
    if box.kind is None:  # a box that is one link
        return f'<div class="{classes}"><a href="{esc(link(box.link))}">{_breakable(box.text.text(language))}</a></div>'
    pages = graph.pages_of(box.kind)
    groups = schema.kinds[box.kind].groups

    def items(members):
        return "<ul>" + "".join(f"<li>{_figure_link(page, link)}</li>" for page in members) + "</ul>"

    if groups:
        lists = "".join(f'<p class="evidence-figure__group">{_breakable(heading)}</p>{items(members)}'
                        for _, heading, members in grouped(pages, groups, language))
    else:
        lists = items(pages)
    return f'<div class="{classes}"><p class="evidence-figure__title">{esc(box.title.text(language))}</p>{lists}</div>'


def render_figure(graph: EvidenceGraph, schema: Schema, language: str, link: Link) -> str:
    """The schema's figure as semantic HTML: its boxes in reading order joined by arrows, every
    page and box a link, the description above and the caption below."""
    figure = schema.figure
    arrow = f'<p class="evidence-figure__arrow" aria-hidden="true">{esc(figure.arrow)}</p>' if figure.arrow else ""
    boxes = arrow.join(_figure_box(box, graph, schema, language, link) for box in figure.boxes)
    description = figure.description.text(language)
    caption = figure.caption.text(language)
    return (
        f'<figure class="evidence-figure" id="{esc(figure.id)}">'
        + (f'<p class="evidence-figure__desc">{esc(description)}</p>' if description else "")
        + f'<div class="evidence-figure__flow">{boxes}</div>'
        + (f"<figcaption>{esc(caption)}</figcaption>" if caption else "")
        + "</figure>"
    )


def _evidence_map_list(graph: EvidenceGraph, schema: Schema, language: str, cells, strings: dict[str, str],
                       link: Link, work_link: Link, work_text: Callable[[str], str]) -> list[str]:
    """The map as a list, in parts to be joined once: a page of 1,000 evidence pages lists 5 MB
    of pairs, 10 MB a copy when a work's name is not Latin-1. The parts are mostly the same few
    strings (a column's link, a count, a work's item), so they hold a fraction of that."""
    spec = schema.evidence_map
    columns = graph.column_pages
    note = spec.as_list.formatted(language, rows=len(graph.row_pages), columns=len(columns))
    parts = [f'<p class="evidence-map-note">{esc(note)}</p>']
    item = _work_items(work_link, work_text)
    # A pair's opening (its column's link) and its count, each written once.
    opening = {column.src_uri: f"<li>{_page_link(column, link)} <details><summary>" for column in columns}
    counts: dict[int, str] = {}
    no_pair = f" ({esc(spec.no_pair.text(language))})"
    for heading, rows in _row_groups(graph, schema, language):
        group = f'<p class="evidence-map-group"><strong>{esc(heading)}</strong></p>' if heading is not None else ""
        parts.append(f'\n{group}<ul class="evidence-map-list">')
        for row in rows:
            parts.append(f"<li>{_page_link(row, link)}")
            pairs = [(column, keys) for column in columns if (keys := cells.get((row.src_uri, column.src_uri)))]
            for index, (column, keys) in enumerate(pairs):
                if len(keys) not in counts:
                    counts[len(keys)] = f"{esc(_count(len(keys), strings))}</summary><ul>"
                parts += ("<ul>" + opening[column.src_uri] if index == 0 else opening[column.src_uri], counts[len(keys)])
                parts += map(item, keys)
                parts.append("</ul></details></li>")
            parts.append("</ul></li>" if pairs else no_pair + "</li>")
        parts.append("</ul>")
    return parts
