"""The review built with Zensical (the `evidence_citations` extension, no MkDocs plugin) gives
readers the same endnotes, references and cross-links as the MkDocs build.

Both sites are built for real (`zensical build --strict` after the pre-build step; MkDocs with
the plugin) and every page of both is parsed with an HTML parser; what is compared is what a
reader sees of the plugin's work, not the themes' markup, which differs (README, "Building with
Zensical").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import bs4
import pytest

from conftest import REPO, build_site, copy_review
from mkdocs_plugins.evidence.numerals import format_numeral

ZENSICAL = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
# Zensical is a test dependency: in CI its absence is a broken install, not a reason to skip.
assert ZENSICAL is not None or not os.environ.get("CI"), "zensical is not installed: pip install -e '.[test]'"
pytestmark = pytest.mark.skipif(ZENSICAL is None, reason="Zensical is not installed (pip install -e '.[test]')")


def _zensical(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([ZENSICAL, *arguments], cwd=project, env=env, capture_output=True, text=True,
                          timeout=600)


def _prebuild(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "zensical_prebuild.py")], cwd=project,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    mkdocs_site = build_site(copy_review(tmp_path_factory.mktemp("mkdocs")), strict=True)
    project = copy_review(tmp_path_factory.mktemp("zensical"))
    prebuild = _prebuild(project)
    assert prebuild.returncode == 0, prebuild.stdout + prebuild.stderr
    built = _zensical(project, "build", "--strict", "--clean")
    assert built.returncode == 0, built.stdout + built.stderr
    return mkdocs_site, project / "site", project


def _text(element) -> str:
    return " ".join(element.get_text(" ").split())


def reader_view(site: Path, page: str) -> dict:
    """What a reader gets of the plugin's work on one page, with the theme's markup left out.
    Links are compared where they lead (`.././#x` and `../#x` are the same place)."""
    base = "https://site.invalid/" + page.removesuffix("index.html")

    def href(a) -> str:
        return urljoin(base, a.get("href") or "")

    def _links(element) -> list[tuple[str, str]]:
        return [(_text(a), href(a)) for a in element.find_all("a")]

    soup = bs4.BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article") or soup
    for permalink in article.select("a.headerlink"):
        permalink.decompose()
    return {
        "markers": [(sup.get("id"), _links(sup)) for sup in article.select("sup.evidence-ref")],
        "narrative": [(a.get("id"), _text(a), href(a)) for a in article.select("a.evidence-cite")],
        "notes": [(li.get("id"), _text(li), _links(li)) for li in article.select("ol.evidence-notes > li")],
        "references": [(li.get("id"), _text(li.find("p")),
                        _links(li.select_one("p.evidence-cited-in")) if li.select_one("p.evidence-cited-in") else [])
                       for li in article.select("li.evidence-reference")],
        "related": [_links(section) for section in article.select("section.evidence-related")],
        "generated": [(_text(block), _links(block)) for block in article.select(
            ".evidence-index, .evidence-map, .evidence-map-list, .evidence-figure")],
        "corrections": [(a.get("aria-label") or _text(a), href(a)) for a in article.select("a.evidence-correction")],
        "headings": [(h.get("id"), _text(h)) for h in article.find_all(re.compile("^h[1-6]$"))],
        "toc": [_links(nav) for nav in soup.select("nav.md-nav--secondary")],
    }


def pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("index.html")
                  if p.parent.name not in ("print", "search") and "assets" not in p.parts)


def test_every_page_gives_readers_the_same_endnotes_and_references(sites):
    mkdocs_site, zensical_site, _ = sites
    assert pages(zensical_site) == pages(mkdocs_site)
    compared = 0
    for page in pages(mkdocs_site):
        expected, got = reader_view(mkdocs_site, page), reader_view(zensical_site, page)
        for part in expected:
            assert got[part] == expected[part], f"{page}: {part} differ"
        compared += 1
    # The whole review: endnotes i to xliv across the pages, every cited work with its places.
    markers = [marker[0] for page in pages(zensical_site) for marker in reader_view(zensical_site, page)["markers"]]
    assert sorted(markers) == sorted(f"endnote-ref-{format_numeral(n, 'lower-roman')}" for n in range(1, 45))
    references = reader_view(zensical_site, "references/index.html")["references"]
    assert len(references) > 70 and all(cited_in for _, _, cited_in in references)
    assert compared > 30
    # "Suggest a correction" under Zensical too: repo_url's !ENV read as MkDocs reads it.
    corrections = reader_view(zensical_site, "references/index.html")["corrections"]
    assert len(corrections) == len(references) + 1
    assert all(href.split("?")[0].endswith("/issues/new") for _, href in corrections)


def test_files_the_plugin_adds_are_there_and_nothing_of_the_hooks_is_published(sites):
    mkdocs_site, zensical_site, _ = sites
    for name in ("references.bib", "references.ris", "references.json", "evidence-map.json",
                 "assets/evidence.css", "assets/evidence.js"):
        assert (zensical_site / name).read_bytes() == (mkdocs_site / name).read_bytes(), name
    assert not list(zensical_site.rglob("*.py")) and not (zensical_site / "hooks").exists()
    assert "Cited in" not in (zensical_site / "print/index.html").read_text(encoding="utf-8")


def test_an_unknown_key_fails_the_strict_zensical_build(tmp_path):
    project = copy_review(tmp_path / "project")
    page = project / "docs" / "factors" / "co-location.md"
    page.write_text(page.read_text(encoding="utf-8").replace("[@", "[@nosuchkey; @", 1), encoding="utf-8")
    prebuild = _prebuild(project)
    assert prebuild.returncode == 1 and "nosuchkey" in prebuild.stderr
    built = _zensical(project, "build", "--strict", "--clean")
    assert built.returncode != 0
    assert "docs/factors/co-location.md:" in built.stderr and "'nosuchkey'" in built.stderr
    assert "[key_not_found]" in built.stderr


def test_a_build_without_the_prebuild_step_says_what_to_run(tmp_path):
    project = copy_review(tmp_path / "project")
    assert _prebuild(project).returncode == 0
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more[@atkinson2002].\n", encoding="utf-8")
    built = _zensical(project, "build", "--strict")
    assert built.returncode != 0 and "scripts/zensical_prebuild.py" in built.stderr


def test_serve_renumbers_later_pages_and_follows_the_bib(tmp_path):
    from test_serve import fetch, free_port, wait_for

    project = copy_review(tmp_path / "project")
    assert _prebuild(project).returncode == 0
    port = free_port()
    server = subprocess.Popen([ZENSICAL, "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    later = f"http://127.0.0.1:{port}/factors/key-worker/"
    references = f"http://127.0.0.1:{port}/references/"

    def markers(url):
        page = fetch(url)
        return re.findall(r'id="endnote-ref-([ivxl]+)"', page) if page else None

    try:
        assert wait_for(lambda: markers(later), 120) == ["ix", "x", "xi", "xii"]
        # An early page gains a citation: the later page, not edited, is numbered again.
        home = project / "docs" / "index.md"
        home.write_text(home.read_text(encoding="utf-8") + "\nOne more[@atkinson2002].\n", encoding="utf-8")
        assert wait_for(lambda: markers(later) == ["x", "xi", "xii", "xiii"], 120), markers(later)
        # The library changes: the References page follows.
        bib = project / "bib" / "references.bib"
        bib.write_text(bib.read_text(encoding="utf-8").replace(
            "what impact does it have on professionals?", "what difference does it make?"), encoding="utf-8")
        assert wait_for(lambda: "what difference does it make?" in (fetch(references) or ""), 120)
    finally:
        server.terminate()
        server.wait(timeout=30)
