"""Real Material builds of the fixture site (tests/fixtures/site), asserting on the HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import build_site, set_plugin_options


class Anchors(HTMLParser):
    """Collects element ids and link targets of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def page_html(site: Path, page: str, directory_urls: bool = True) -> str:
    if page == "":
        return (site / "index.html").read_text()
    path = site / page / "index.html" if directory_urls else site / f"{page}.html"
    return path.read_text()


def markers(html: str) -> list[str]:
    return re.findall(r'<sup class="evidence-ref" id="endnote-ref-([^"]+)"[^>]*>', html)


PAGES = ["", "factors/key-worker", "factors/information-sharing", "references"]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_endnotes_are_numbered_site_wide_in_nav_order_and_every_link_resolves(fixture_project, directory_urls):
    site = build_site(fixture_project, use_directory_urls=directory_urls, strict=True)
    html = {page: page_html(site, page, directory_urls) for page in PAGES}
    assert markers(html[""]) == ["i", "ii"]
    assert markers(html["factors/key-worker"]) == ["iii", "iv"]
    assert markers(html["factors/information-sharing"]) == ["v", "vi"]
    # Every internal link with a fragment points at an id that exists.
    parsed = {}
    for page, text in html.items():
        parsed[page] = Anchors()
        parsed[page].feed(text)
    for page, anchors in parsed.items():
        page_file = (site / page / "index.html") if (directory_urls and page) else (
            site / (f"{page}.html" if page else "index.html"))
        for link in anchors.links:
            if "#" not in link or link.startswith(("http", "mailto")):
                continue
            path, fragment = link.split("#", 1)
            target = (page_file.parent / path).resolve() if path else page_file
            if target.is_dir():
                target = target / "index.html"
            if target.suffix != ".html" or not target.exists():
                continue
            target_anchors = Anchors()
            target_anchors.feed(target.read_text())
            assert fragment in target_anchors.ids, f"{page}: {link} has no target"


def test_marker_is_a_footnote_ref_with_an_accessible_name_and_the_note_links_back(fixture_project):
    site = build_site(fixture_project, strict=True)
    html = page_html(site, "factors/key-worker")
    assert '<a class="footnote-ref" href="#endnote-iii" aria-label="Endnote iii">iii</a>' in html
    note = re.search(r'<li id="endnote-iii" value="3"><p class="evidence-note">.*?</p>(.*?)</li>', html)
    assert 'href="../../references/#ref-abbott2005a">Abbott et al., 2005a</a>' in note.group(0)
    assert 'href="#endnote-ref-iii"' in note.group(0) and 'aria-label="Back to endnote iii in the text"' in note.group(0)
    # After the note, for its preview: the full reference of each work (hidden in the Notes list).
    assert note.group(1).startswith('<div class="evidence-note-preview"><p>Abbott, D., Townsley, R. and Watson, D. (2005a)')
    # Notes heading is in the page's table of contents.
    assert re.search(r'<a href="#notes" class="md-nav__link">\s*<span class="md-ellipsis">\s*Notes', html)


def test_references_page_lists_cited_works_with_backlinks_and_escapes_titles(fixture_project):
    site = build_site(fixture_project, strict=True)
    html = page_html(site, "references")
    ids = re.findall(r'<li id="ref-([^"]+)" class="evidence-reference">', html)
    assert ids == ["abbott2005a", "abbott2005b", "atkinson2005", "atkinson2007", "brocknd",
                   "cheminais2009", "homeoffice2014", "evil2020", "valeguerra2020"]
    assert '<a href="../#endnote-ref-i">Home (i)</a>, <a href="../#endnote-ref-ii">Home (ii)</a>' in html
    assert "Full details not yet verified" in html
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html


def test_search_index_holds_the_final_text(fixture_project):
    site = build_site(fixture_project, strict=True)
    index = json.loads((site / "search" / "search_index.json").read_text())
    text = json.dumps(index)
    assert "evidence-cite data-n" not in text
    assert "Vale Guerra and Leit\\u00e3o (2020)" in text or "Vale Guerra and Leitão (2020)" in text
    # Notes, numerals, Related blocks and Cited in lists stay out of search; the pages keep them.
    locations = {doc["location"] for doc in index["docs"]}
    assert not any(loc.endswith("#notes") or loc.endswith("#related") for loc in locations)
    assert "Back to endnote" not in text and "Cited in" not in text and ">iii<" not in text
    # An author cited only in a note still finds the page, through its one "studies cited" line.
    info_sharing = next(doc for doc in index["docs"] if doc["location"] == "factors/information-sharing/")
    assert "Studies cited on this page: Home Office 2014; Mallory 2020." in info_sharing["text"]
    references = next(doc for doc in index["docs"] if doc["location"] == "references/")
    assert "Mallory, E. (2020)" in references["text"]
    page = (site / "factors" / "key-worker" / "index.html").read_text()
    assert 'id="notes"' in page and 'class="evidence-related"' in page


def test_page_numbering_and_arabic_numerals(fixture_project):
    set_plugin_options(fixture_project, numbering="page", numerals="arabic")
    site = build_site(fixture_project, strict=True)
    assert markers(page_html(site, "")) == ["1", "2"]
    assert markers(page_html(site, "factors/key-worker")) == ["1", "2"]


def test_upper_roman_numerals(fixture_project):
    set_plugin_options(fixture_project, numerals="upper-roman")
    site = build_site(fixture_project, strict=True)
    assert markers(page_html(site, "factors/information-sharing")) == ["V", "VI"]


def test_welsh_strings_follow_the_theme_language(fixture_project):
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false", "  font: false\n  language: cy"))
    site = build_site(fixture_project, strict=True)
    html = page_html(site, "factors/key-worker")
    assert '<h2 id="notes">Nodiadau' in html and 'aria-label="Ôl-nodyn iii"' in html
    assert "Dyfynnir yn:" in page_html(site, "references")


def test_welsh_interface_strings_in_english_text_are_declared_welsh(fixture_project):
    """A Welsh interface on English text (`content_language: en`): the plugin's Welsh words in the
    page (markers' and back-links' names, the Notes and Related headings) carry lang="cy", so a
    screen reader speaks them in Welsh; markers, numerals and back-links stay out of search."""
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false", "  font: false\n  language: cy"))
    set_plugin_options(fixture_project, content_language="en")
    html = page_html(build_site(fixture_project, strict=True), "factors/key-worker")
    assert re.findall(r'<a class="footnote-ref" [^>]*aria-label="(Ôl-nodyn [ivx]+)" lang="cy">', html)
    assert len(re.findall(r'<a class="footnote-backref" [^>]*data-search-exclude lang="cy">', html)) == len(markers(html)) > 0
    assert '<h2 id="notes" lang="cy">Nodiadau' in html and '<h2 id="related" lang="cy">' in html
    assert len(re.findall(r'<sup class="evidence-ref" [^>]*data-search-exclude>', html)) == len(markers(html))
    assert len(re.findall(r'class="evidence-note-numeral" aria-hidden="true" data-search-exclude>', html)) > 0

    set_plugin_options(fixture_project, content_language="cy")  # Welsh text: nothing to declare
    html = page_html(build_site(fixture_project, strict=True), "factors/key-worker")
    assert ' lang="cy"' not in html.split('<article', 1)[1] and '<h2 id="notes">Nodiadau' in html


def test_repeated_builds_are_byte_identical(fixture_project, tmp_path):
    first = build_site(fixture_project, strict=True)
    snapshot = {p.relative_to(first): p.read_bytes() for p in first.rglob("*.html")}
    second = build_site(fixture_project, strict=True)
    again = {p.relative_to(second): p.read_bytes() for p in second.rglob("*.html")}
    assert snapshot == again


def test_unknown_key_fails_strict_build_naming_file_and_line(fixture_project, caplog, expect_warnings):
    page = fixture_project / "docs" / "factors" / "information-sharing.md"
    page.write_text(page.read_text() + "\nA typo here[@abot2005a].\n")
    expect_warnings(r"abot2005a", r"citation problem")
    with pytest.raises(Exception):
        build_site(fixture_project, strict=True)
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        m.startswith("docs/factors/information-sharing.md:10: citation key 'abot2005a'") and "Did you mean 'abbott2005a'" in m
        for m in messages
    ), messages
    assert not (fixture_project / "site" / "factors").exists()


def test_a_user_page_at_the_references_path_is_refused(fixture_project, caplog, expect_warnings):
    (fixture_project / "docs" / "references.md").write_text("# Mine\n")
    expect_warnings("generates a page there")
    with pytest.raises(Exception):
        build_site(fixture_project, strict=True)
    assert any("docs/references.md exists" in r.getMessage() for r in caplog.records)


def test_pages_outside_the_nav_are_numbered_after_it_in_path_order(fixture_project):
    docs = fixture_project / "docs"
    (docs / "zz-appendix.md").write_text("# Appendix\n\nLater[@cheminais2009].\n")
    (docs / "aa-extra.md").write_text("# Extra\n\nAlso[@homeoffice2014].\n")
    site = build_site(fixture_project, strict=True)
    assert markers(page_html(site, "outcomes/placement-stability")) == ["vii"]
    assert markers(page_html(site, "aa-extra")) == ["viii"]
    assert markers(page_html(site, "zz-appendix")) == ["ix"]


def test_several_bib_files_form_one_library(fixture_project):
    bib = fixture_project / "bib" / "refs.bib"
    text = bib.read_text()
    head, tail = text.split("@book{cheminais2009", 1)
    bib.write_text(head)
    (fixture_project / "bib" / "more.bib").write_text("@book{cheminais2009" + tail)
    set_plugin_options(fixture_project, bib_files=["bib/refs.bib", "bib/more.bib"])
    site = build_site(fixture_project, strict=True)
    references = page_html(site, "references")
    assert 'id="ref-cheminais2009"' in references and 'id="ref-abbott2005a"' in references
