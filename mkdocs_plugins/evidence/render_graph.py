"""HTML for the graph: index lists, Related blocks, the evidence map and Figure 1.

`link(src_uri_or_target)` returns a URL relative to the page being written; `work_link(key)`
the URL of a work on the References page; `work_text(key)` its short label and year.
"""

from __future__ import annotations

from typing import Callable

from .graph import EvidenceGraph
from .pages import GROUPS, PageMeta
from .render import esc

Link = Callable[[str], str]


def _page_link(page: PageMeta, link: Link) -> str:
    return f'<a href="{esc(link(page.src_uri))}">{esc(page.title)}</a>'


def _breakable(text: str) -> str:
    """Escaped text that may wrap after a slash ("pooled/<wbr>budgets") in narrow figure boxes."""
    return esc(text).replace("/", "/<wbr>")


def _figure_link(page: PageMeta, link: Link) -> str:
    return f'<a href="{esc(link(page.src_uri))}">{_breakable(page.title)}</a>'


def _works_list(keys: list[str], work_link: Link, work_text: Callable[[str], str]) -> str:
    items = "".join(f'<li><a href="{esc(work_link(k))}">{esc(work_text(k))}</a></li>' for k in keys)
    return f"<ul>{items}</ul>"


def _grouped(pages: list[PageMeta]):
    """(group, heading, members) for each factor group that has pages, in GROUPS order."""
    for group, heading in GROUPS.items():
        members = [page for page in pages if page.group == group]
        if members:
            yield group, heading, members


def _works_disclosure(summary: str, keys: list[str], work_link: Link, work_text: Callable[[str], str]) -> str:
    """`summary` (already HTML) that opens on the list of works."""
    return f"<details><summary>{summary}</summary>{_works_list(keys, work_link, work_text)}</details>"


def _count(n: int, strings: dict[str, str]) -> str:
    return strings["one_study"] if n == 1 else strings["n_studies"].format(n=n)


def render_index(pages: list[PageMeta], graph: EvidenceGraph, strings: dict[str, str], link: Link, grouped: bool) -> str:
    """A list of pages with summary and number of studies cited, grouped for factors."""
    def items(members):
        rows = []
        for page in members:
            count = len(graph.works.get(page.src_uri, set()))
            rows.append(
                f'<li>{_page_link(page, link)}: {esc(page.summary)} '
                f'<span class="evidence-count">({esc(_count(count, strings))})</span></li>'
            )
        return '<ul class="evidence-index">' + "".join(rows) + "</ul>"

    if not grouped:
        return items(pages)
    return "\n".join(f'<h2 id="{group}">{esc(heading)}</h2>\n{items(members)}'
                     for group, heading, members in _grouped(pages))


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
    parts = [f'<h2 id="related">{esc(strings["related"])}<a class="headerlink" href="#related" title="Permanent link">&para;</a></h2>']
    if declared:
        parts.append(f'<p>{esc(strings["see_also"])}: ' + ", ".join(_page_link(p, link) for p in declared) + "</p>")
    if shared:
        rows = []
        for other, keys in shared:
            rows.append(
                f"<li>{_page_link(other, link)} "
                f"{_works_disclosure(esc(_count(len(keys), strings) + ' ' + strings['in_common']), keys, work_link, work_text)}</li>"
            )
        if len(every_shared) > limit:
            rows.append(f"<li>{esc(strings['and_more'].format(n=len(every_shared) - limit))}</li>")
        parts.append(f'<p>{esc(strings["also_cited_in"])}:</p><ul class="evidence-also-cited">' + "".join(rows) + "</ul>")
    # Kept out of the search index: these links would make every page match every study.
    return '<section class="evidence-related" data-search-exclude>\n' + "\n".join(parts) + "\n</section>"


def render_evidence_map(graph: EvidenceGraph, strings: dict[str, str], link: Link,
                        work_link: Link, work_text: Callable[[str], str], table_limit: int = 2500) -> str:
    """A factor x outcome table of shared works, with header cells, a caption and row groups.

    Above `table_limit` cells (600 x 400 would be 240,000, nearly all empty, and no reader can
    use such a table), a list of the pairs that share works instead.
    """
    cells = graph.evidence_map()
    outcomes = graph.outcomes
    if len(graph.factors) * len(outcomes) > table_limit:
        return _evidence_map_list(graph, cells, strings, link, work_link, work_text)
    head = "".join(f'<th scope="col">{_page_link(o, link)}</th>' for o in outcomes)
    body = []
    for _, heading, factors in _grouped(graph.factors):
        body.append(f'<tr class="evidence-map-group"><th scope="rowgroup" colspan="{len(outcomes) + 1}">{esc(heading)}</th></tr>')
        for factor in factors:
            row = [f'<th scope="row">{_page_link(factor, link)}</th>']
            for outcome in outcomes:
                keys = cells.get((factor.src_uri, outcome.src_uri))
                if keys:
                    row.append(f'<td data-count="{len(keys)}">{_works_disclosure(str(len(keys)), keys, work_link, work_text)}</td>')
                else:
                    row.append('<td data-count="0" class="evidence-map-empty">0</td>')
            body.append("<tr>" + "".join(row) + "</tr>")
    return (
        f'<div class="evidence-map-scroll" role="region" aria-labelledby="evidence-map-caption" tabindex="0">'
        f'<table class="evidence-map"><caption id="evidence-map-caption">{esc(strings["map_caption"])}</caption>'
        f'<thead><tr><th scope="col">{esc(strings["factor"])} \\ {esc(strings["outcome"])}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def render_figure(graph: EvidenceGraph, strings: dict[str, str], link: Link, working_target: str, prevention_target: str) -> str:
    """Figure 1 as semantic HTML: factors -> effective working -> prevention -> outcomes, all linked."""
    groups = [
        f'<p class="evidence-figure__group">{_breakable(heading)}</p><ul>'
        + "".join(f"<li>{_figure_link(f, link)}</li>" for f in members) + "</ul>"
        for _, heading, members in _grouped(graph.factors)
    ]
    outcomes = "<ul>" + "".join(f"<li>{_figure_link(o, link)}</li>" for o in graph.outcomes) + "</ul>"
    arrow = '<p class="evidence-figure__arrow" aria-hidden="true">→</p>'
    return (
        '<figure class="evidence-figure" id="figure-1">'
        f'<p class="evidence-figure__desc">{esc(strings["figure_desc"])}</p>'
        '<div class="evidence-figure__flow">'
        f'<div class="evidence-figure__box evidence-figure__factors"><p class="evidence-figure__title">{esc(strings["factors"])}</p>{"".join(groups)}</div>'
        f"{arrow}"
        f'<div class="evidence-figure__box evidence-figure__working"><a href="{esc(link(working_target))}">{esc(strings["effective_working"])}</a></div>'
        f"{arrow}"
        f'<div class="evidence-figure__box evidence-figure__prevention"><a href="{esc(link(prevention_target))}">{_breakable(strings["prevention"])}</a></div>'
        f"{arrow}"
        f'<div class="evidence-figure__box evidence-figure__outcomes"><p class="evidence-figure__title">{esc(strings["outcomes"])}</p>{outcomes}</div>'
        "</div>"
        f'<figcaption>{esc(strings["figure_caption"])}</figcaption></figure>'
    )


def _evidence_map_list(graph: EvidenceGraph, cells, strings: dict[str, str], link: Link,
                       work_link: Link, work_text: Callable[[str], str]) -> str:
    outcomes = graph.outcomes
    note = strings["map_as_list"].format(factors=len(graph.factors), outcomes=len(outcomes))
    parts = [f'<p class="evidence-map-note">{esc(note)}</p>']
    for _, heading, factors in _grouped(graph.factors):
        items = []
        for factor in factors:
            pairs = [
                f"<li>{_page_link(outcome, link)} {_works_disclosure(esc(_count(len(keys), strings)), keys, work_link, work_text)}</li>"
                for outcome in outcomes if (keys := cells.get((factor.src_uri, outcome.src_uri)))
            ]
            shared = f"<ul>{''.join(pairs)}</ul>" if pairs else f" ({esc(strings['map_no_pair'])})"
            items.append(f"<li>{_page_link(factor, link)}{shared}</li>")
        parts.append(f'<p class="evidence-map-group"><strong>{esc(heading)}</strong></p>'
                     f'<ul class="evidence-map-list">{"".join(items)}</ul>')
    return "\n".join(parts)
