"""The evidence graph and front matter: unit tables, then the real review site's generated pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REPO, build_site
from mkdocs_plugins.evidence.graph import EvidenceGraph
from mkdocs_plugins.evidence.pages import PageMeta, check_related, read_page_meta
from mkdocs_plugins.evidence.problems import ProblemList
from mkdocs_plugins.evidence.schema import load_schema

SCHEMA = load_schema("evidence.yml", REPO)  # the review's: factor (two groups) x outcome


def meta(uri, kind, group="", related=()):
    return PageMeta(uri, f"docs/{uri}", kind=kind, group=group, summary="s", related=list(related), title=uri)


@pytest.fixture
def small_graph():
    pages = [
        meta("f/a.md", "factor", "governance"), meta("f/b.md", "factor", "team-working"),
        meta("o/x.md", "outcome"), meta("o/y.md", "outcome", related=["a"]),
    ]
    works = {"f/a.md": {"k1", "k2", "k3"}, "f/b.md": {"k3"}, "o/x.md": {"k1", "k3"}, "o/y.md": {"k4"}}
    return EvidenceGraph(pages, works, "factor", "outcome")


def test_co_citation_counts(small_graph):
    cells = small_graph.evidence_map()
    assert cells[("f/a.md", "o/x.md")] == ["k1", "k3"]
    assert cells[("f/b.md", "o/x.md")] == ["k3"]
    assert ("f/a.md", "o/y.md") not in cells  # pairs sharing nothing are absent


def structure(graph, url_of, description):
    """evidence-map.json as one structure: what json_text writes a row at a time."""
    cells = graph.evidence_map()

    def describe(page):
        return {"slug": page.slug, "title": page.title, "url": url_of(page.src_uri), "kind": page.kind,
                "group": page.group or None, "works": sorted(graph.works.get(page.src_uri, set()))}

    return {"description": description, f"{graph.rows}s": [describe(p) for p in graph.row_pages],
            f"{graph.columns}s": [describe(p) for p in graph.column_pages],
            "cells": [{graph.rows: r.slug, graph.columns: c.slug, "count": len(cells[(r.src_uri, c.src_uri)]),
                       "works": cells[(r.src_uri, c.src_uri)]}
                      for r in graph.row_pages for c in graph.column_pages if (r.src_uri, c.src_uri) in cells]}


@pytest.mark.parametrize("works", [
    {"f/a.md": {"k1", "k2", "k3"}, "f/b.md": {"k3"}, "o/x.md": {"k1", "k3"}, "o/y.md": {"k4", "k2"}},
    {"f/a.md": {"k1"}, "o/x.md": {"k2"}},  # no pair shares a work: "cells": []
])
def test_the_map_json_is_the_text_json_dumps_gives_the_whole_structure(works):
    pages = [meta("f/a.md", "factor", "governance"), meta("f/b.md", "factor"), meta("o/x.md", "outcome"),
             meta("o/y.md", "outcome")]
    graph = EvidenceGraph(pages, works, "factor", "outcome")
    url_of = "/{}".format
    expected = json.dumps(structure(graph, url_of, "Wörks \"shared\""), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")) + "\n"
    assert graph.json_text(url_of, 'Wörks "shared"') == expected
    assert json.loads(expected)["cells"] or works == {"f/a.md": {"k1"}, "o/x.md": {"k2"}}


def test_also_cited_in_orders_by_shared_works_then_reading_order(small_graph):
    a = small_graph.by_slug("a")
    assert [(p.slug, keys) for p, keys in small_graph.also_cited_in(a)] == [("x", ["k1", "k3"]), ("b", ["k3"])]
    assert [p.slug for p in small_graph.declared_related(small_graph.by_slug("y"))] == ["a"]


@pytest.mark.parametrize(
    "front_matter, message",
    [
        ("kind: factr\nsummary: s", "unknown kind 'factr'"),
        ("kind: factor\ngroup: governence\nsummary: s", "factor page needs group"),
        ("kind: outcome", "outcome page has no summary"),
        ("kind: outcome\ngroup: governance\nsummary: s", "only for factor pages"),
        ("kind: [unclosed\n", "not valid YAML"),
    ],
)
def test_front_matter_errors_name_the_file(front_matter, message):
    problems = ProblemList()
    read_page_meta("x.md", "docs/x.md", f"---\n{front_matter}\n---\n# T\n", problems, SCHEMA)
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].file == "docs/x.md" and problems[0].line


def test_unknown_related_slug_is_reported_with_its_line():
    problems = ProblemList()
    text = "---\nkind: outcome\nsummary: s\nrelated: [key-workr]\n---\n# T\n"
    pages = [read_page_meta("o/x.md", "docs/o/x.md", text, problems, SCHEMA),
             read_page_meta("f/key-worker.md", "docs/f/key-worker.md", "---\nkind: factor\ngroup: governance\nsummary: s\n---\n", problems, SCHEMA)]
    check_related(pages, problems, {"o/x.md": text}, SCHEMA)
    (problem,) = problems
    assert problem.kind == "related_not_found" and problem.line == 4 and "Did you mean 'key-worker'?" in problem.message


# --- The review itself, built once -------------------------------------------------------

def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text() if page else (site / "index.html").read_text()


def evidence_pages():
    problems = ProblemList()
    metas = []
    for path in sorted((REPO / "docs").rglob("*.md")):
        uri = path.relative_to(REPO / "docs").as_posix()
        metas.append(read_page_meta(uri, f"docs/{uri}", path.read_text(), problems, SCHEMA))
    assert not problems
    return [m for m in metas if m.is_evidence_page]


def page_url(uri: str) -> str:
    return uri[: -len(".md")] + "/"


def test_index_pages_list_every_factor_and_outcome(review_site):
    pages = evidence_pages()
    factors_html, outcomes_html = read(review_site, "factors"), read(review_site, "outcomes")
    for page in pages:
        html = factors_html if page.kind == "factor" else outcomes_html
        target = page_url(page.src_uri).split("/", 1)[1]  # index pages sit in the same folder
        assert f'<a href="{target}">' in html, f"{page.src_uri} missing from its index"
    assert len([p for p in pages if p.kind == "factor"]) == 10 == factors_html.count('<li><a href=')
    assert len([p for p in pages if p.kind == "outcome"]) == 10 == outcomes_html.count('<li><a href=')


def test_evidence_map_counts_equal_the_works_shared_by_the_two_pages(review_site):
    data = json.loads((review_site / "evidence-map.json").read_text())
    works = {p["slug"]: set(p["works"]) for p in data["factors"] + data["outcomes"]}
    assert len(data["factors"]) == 10 and len(data["outcomes"]) == 10
    listed = {(c["factor"], c["outcome"]): c for c in data["cells"]}
    counts = []
    for factor in data["factors"]:
        for outcome in data["outcomes"]:
            shared = works[factor["slug"]] & works[outcome["slug"]]
            cell = listed.get((factor["slug"], outcome["slug"]))
            assert (set(cell["works"]) if cell else set()) == shared
            assert cell is None or cell["count"] == len(shared) > 0
            counts.append(len(shared))
    # The HTML table shows the same numbers, row by row; each page's works are those its HTML cites.
    html = read(review_site, "evidence-map")
    assert [int(n) for n in re.findall(r'<td data-count="(\d+)"', html)] == counts
    for slug_page in data["factors"][:3]:
        page_html = (review_site / slug_page["url"] / "index.html").read_text()
        without_related = re.sub(r'<section class="evidence-related"[^>]*>.*?</section>', "", page_html, flags=re.S)
        assert set(re.findall(r'data-key="([^"]+)"', without_related)) == set(slug_page["works"])
    assert "not a measure of effect or of the strength of evidence" in html and "<caption" in html and 'scope="row"' in html


def test_figure_1_links_to_all_twenty_pages_in_its_own_page_and_where_the_review_puts_it(review_site):
    targets = {page_url(p.src_uri) for p in evidence_pages()}
    assert len(targets) == 20
    for page, prefix in (("figure-1", "../"), ("evidence", "../")):
        html = read(review_site, page)
        figure = re.search(r'<figure class="evidence-figure".*?</figure>', html, re.S).group(0)
        assert "<figcaption>Figure 1: Effective multi-agency working for children looked after</figcaption>" in figure
        links = set(re.findall(r'href="([^"]+)"', figure))
        assert {prefix + t for t in targets} <= links
        assert "<script" not in figure


def test_related_block_and_backlinks_navigate_both_ways(review_site):
    html = read(review_site, "factors/key-worker")
    related = re.search(r'<section class="evidence-related"[^>]*>.*?</section>', html, re.S).group(0)
    assert "Studies cited here are also cited in" in related
    assert 'href="../../outcomes/' in related  # a factor reaches outcomes it shares works with
    references = read(review_site, "references")
    assert re.search(r'<a href="../factors/key-worker/#endnote-ref-[ivxl]+">Factor: A key worker', references)
    assert re.search(r'<a href="../outcomes/[^"]+">Outcome: ', references)


def test_bad_related_slug_fails_the_build_naming_the_file(fixture_project, caplog, expect_warnings):
    page = fixture_project / "docs" / "outcomes" / "placement-stability.md"
    page.write_text(page.read_text().replace("related: [key-worker]", "related: [key-workr]"))
    expect_warnings("key-workr", "citation problem")
    with pytest.raises(Exception):
        build_site(fixture_project, strict=True)
    assert any(
        r.getMessage().startswith("docs/outcomes/placement-stability.md:4: related: 'key-workr'") for r in caplog.records
    ), [r.getMessage() for r in caplog.records]


def test_a_map_too_large_for_a_table_lists_the_pairs_that_share_works(small_graph):
    from mkdocs_plugins.evidence.render_graph import render_evidence_map
    from mkdocs_plugins.evidence.strings import strings_for

    def render(limit):
        return render_evidence_map(small_graph, SCHEMA, "en", strings_for("en"), lambda uri: "/" + uri,
                                   lambda key: "#ref-" + key, lambda key: key.upper(), table_limit=limit)

    assert "<table" in render(4)  # 2 factors x 2 outcomes
    listed = render(3)
    assert "<table" not in listed and "2 factors by 2 outcomes" in listed
    # f/a shares k1, k3 with o/x; f/b shares k3 with o/x; o/y shares nothing with either.
    a_item = re.search(r'<li><a href="/f/a.md">.*?</ul></details></li></ul></li>', listed).group(0)
    assert '<a href="/o/x.md">o/x.md</a> <details><summary>2 studies</summary>' in a_item
    assert "K1" in a_item and "K3" in a_item and "/o/y.md" not in listed
