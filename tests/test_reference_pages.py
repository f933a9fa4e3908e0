"""A References page too long for a phone: one page per initial letter, every link still lands.

Built for real (the fixture site, `references_page_size: 3`), then every `#ref-*` link on every
page is followed to the page it names, which must hold that id."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from types import SimpleNamespace

from conftest import build_site, set_plugin_options
from html_facts import parse_html

from mkdocs_plugins.evidence.reference_pages import OTHER, initial, parts_folder, split_references


@dataclass
class Links:
    ids: set[str]  # every element's id
    hrefs: list[str]  # every link's target
    reference_ids: list[str]  # the references listed (<li id="ref-...">), in order


def parse(path) -> Links:
    elements = parse_html(path.read_text(encoding="utf-8")).elements
    return Links(ids={attrs["id"] for _, attrs in elements if "id" in attrs},
                 hrefs=[attrs["href"] for tag, attrs in elements if tag == "a" and attrs.get("href")],
                 reference_ids=[attrs["id"] for tag, attrs in elements
                                if tag == "li" and attrs.get("id", "").startswith("ref-")])


def work(label, key="k"):
    return SimpleNamespace(label=label, key=key)


def test_initials_fold_accents_and_put_other_starts_last():
    assert initial(work("Abbott et al.")) == "a"
    assert initial(work("Ó Súilleabháin")) == "o"
    assert initial(work("‘Quoted’ Trust")) == "q"
    assert initial(work("3D Learning")) == OTHER and initial(work("Øster")) == OTHER and initial(work("")) == OTHER
    works = [work("Bell", "b1"), work("Abbott", "a1"), work("Abbott", "a2"), work("Adams", "a3"), work("1st Group", "n1")]
    parts = split_references(works, "references.md", 2, "Other")
    assert [(p.src_uri, p.label, p.keys) for p in parts] == [
        ("references/a.md", "A", ["a1", "a2"]), ("references/a-2.md", "A (2)", ["a3"]),
        ("references/b.md", "B", ["b1"]), ("references/other.md", "Other", ["n1"])]
    assert split_references(works, "references.md", 5, "Other") == []
    assert split_references(works, "references.md", 0, "Other") == []
    assert parts_folder("refs/index.md") == "refs" and parts_folder("refs/works.md") == "refs/works"


def test_a_split_references_page_keeps_every_reference_link_landing(fixture_project):
    set_plugin_options(fixture_project, references_page_size=3)
    site = build_site(fixture_project, strict=True)
    pages = {path.relative_to(site).as_posix(): parse(path) for path in site.rglob("*.html")}
    index = pages["references/index.html"]
    assert index.reference_ids == []  # the letters only, and the library files
    parts = sorted(p for p in pages if re.fullmatch(r"references/[a-z0-9-]+/index\.html", p))
    assert "references/a/index.html" in parts and "references/a-2/index.html" in parts
    for part in parts:  # the References page links every letter page that lists a work
        slug = part.split("/")[1]
        assert (f"{slug}/" in index.hrefs) == bool(pages[part].reference_ids), slug
    listed = [rid for p in parts for rid in pages[p].reference_ids]
    assert len(listed) == len(set(listed)) == 9  # every cited work, once
    for p in parts:  # each under its first author's initial (the key's, but Mallory's evil2020)
        letter = p.split("/")[1].split("-")[0]
        for rid in pages[p].reference_ids:
            assert {"ref-evil2020": "m"}.get(rid, rid[len("ref-")]) == letter, (p, rid)
    # Every link to a reference, from every page (notes, Related, map, narrative citations, the
    # print view), names the page that holds that reference.
    checked = 0
    for path, parsed in pages.items():
        folder = posixpath.dirname(path)
        for href in parsed.hrefs:
            target, _, fragment = href.partition("#")
            if not fragment.startswith("ref-") or re.match(r"^[a-z]+:", target):
                continue
            resolved = posixpath.normpath(posixpath.join(folder, target)) if target else path
            if not resolved.endswith(".html"):
                resolved = posixpath.join(resolved, "index.html").removeprefix("./")
            assert resolved in pages, f"{path}: {href} names no page"
            assert fragment in pages[resolved].ids, f"{path}: {href} lands on a page without #{fragment}"
            checked += 1
    assert checked > 20
    # The References page links every part listing a work, with its count; a letter page, each
    # part of its own letter and one part (the first) of every other letter, without counts.
    def nav_links(path: str) -> list[tuple[str, str]]:
        nav = re.search(r'<nav class="evidence-reference-parts".*?</nav>', (site / path).read_text(encoding="utf-8"), re.S)
        folder = posixpath.dirname(path)
        return [(posixpath.basename(posixpath.normpath(posixpath.join(folder, href))), text)
                for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav.group(0))]
    in_order = [slug for slug, text in nav_links("references/index.html") if "evidence-count" in text]
    assert sorted(in_order) == sorted(p.split("/")[1] for p in parts if pages[p].reference_ids)
    first_of = {}
    for slug in in_order:
        first_of.setdefault(slug.split("-")[0], slug)
    for p in parts:
        slug = p.split("/")[1]
        if not pages[p].reference_ids:
            continue
        links = nav_links(p)
        assert [s for s, _ in links] == [s for s in in_order
                                          if s.split("-")[0] == slug.split("-")[0] or first_of[s.split("-")[0]] == s], p
        assert not any("evidence-count" in text for _, text in links), p
    assert [s for s, _ in nav_links("references/b/index.html")][:2] == ["a", "b"]  # not A (2)
    # Each part has its own small entries file, with its works only.
    entries = json.loads((site / "references" / "a.entries.json").read_text(encoding="utf-8"))
    assert sorted(entries["entries"]) == sorted(rid[len("ref-"):] for rid in pages["references/a/index.html"].reference_ids)
    html = (site / "references" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'data-entries="../a.entries.json"' in html and 'aria-current="page"' in html
    # Parts are outside the nav but searchable.
    search = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    part = [doc for doc in search["docs"] if doc["location"].startswith("references/a/")]
    assert part and any("(" in doc["text"] for doc in part)  # its works, found by author and year
    # ... but not the list of letters each part repeats (every page fetches the index).
    assert not any("B (" in doc["text"] or "b/" in doc["text"] for doc in part), part
