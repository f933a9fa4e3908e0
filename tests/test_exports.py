"""Exports built with the site: references.bib/.ris/.json, per-entry BibTeX and RIS, "Cite this page",
and CITATION.cff."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO, build_site, set_plugin_options
from html_facts import parse_html

from mkdocs_plugins.evidence.bibliography import load_library, read_sources
from mkdocs_plugins.evidence.bibtidy import entry_texts, pybtex_view
from mkdocs_plugins.evidence.bibnames import parse_name
from mkdocs_plugins.evidence.library_exports import build_exports, csl_item, ris_record

SITE_URL = "https://example.org/review/"


@pytest.fixture
def export_site(fixture_project):
    set_plugin_options(fixture_project, cite_this_page="cheminais2009")
    config = fixture_project / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text())
    return build_site(fixture_project, strict=True)


def elements(html: str) -> list[tuple[str, dict]]:
    return parse_html(html).elements


def ris_records(text: str) -> list[list[tuple[str, str]]]:
    records, current = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, f"not a RIS line: {line!r}"
        current.append(match.groups())
        if match.group(1) == "ER":
            records.append(current)
            current = []
    assert not current, "record without ER"
    return records


def test_library_files_are_built_and_linked_from_the_references_page(export_site, fixture_project):
    bib = (export_site / "references.bib").read_text()
    assert bib == (fixture_project / "bib" / "refs.bib").read_text()
    ris = (export_site / "references.ris").read_bytes().decode()
    assert "\r\n" in ris
    records = ris_records(ris)
    keys = [dict(r)["ID"] for r in records]
    assert sorted(keys) == sorted(pybtex_view(bib)["entries"])
    assert all(r[0][0] == "TY" and r[-1][0] == "ER" for r in records)
    csl = json.loads((export_site / "references.json").read_text())
    assert sorted(item["id"] for item in csl) == sorted(keys)
    html = (export_site / "references" / "index.html").read_text()
    links = {a.get("href") for tag, a in elements(html) if tag == "a"}
    assert {"../references.bib", "../references.ris", "../references.json"} <= links


def test_each_reference_has_bibtex_and_ris_to_open_and_no_per_entry_text_in_the_page(export_site):
    """Under each reference a "BibTeX and RIS" button; the texts sit in the page's entries file,
    which evidence.js reads when one is pressed (tests/browser/test_downloads.py: the bytes saved)."""
    html = (export_site / "references" / "index.html").read_text()
    tags = elements(html)
    lists = [a for tag, a in tags if tag == "ul" and "evidence-references" in a.get("class", "")]
    assert len(lists) == 1 and lists[0]["data-entries"] == "../references.entries.json"
    entries = json.loads((export_site / "references.entries.json").read_text(encoding="utf-8"))
    assert entries["formats"] == [["BibTeX", "bib", "application/x-bibtex", "lf"],
                                  ["RIS", "ris", "application/x-research-info-systems", "crlf"]]
    assert entries["strings"] == {"copy": "Copy {format}", "copy_of": "Copy {format} for {work}", "download": "Download {file}"}
    for key in ("abbott2005a", "valeguerra2020", "homeoffice2014"):
        assert (f'<button type="button" class="evidence-export" data-entry="{key}" aria-expanded="false">'
                'BibTeX and RIS</button>') in html
        name, bibtex, ris = entries["entries"][key]
        assert bibtex.startswith("@") and f"{{{key}," in bibtex and ris.startswith("TY  - ") and f"ID  - {key}" in ris
    name, bibtex, ris = entries["entries"]["abbott2005a"]
    assert name == "Abbott et al. 2005a" and "pages   = {155--163}" in bibtex
    assert len(entries["entries"]) == 9  # the works listed, no more
    # No per-entry block: no entry's text, <pre>, copy or download button in the page itself.
    assert "@article{abbott2005a" not in html and "TY  - " not in html
    assert "evidence-export-text" not in html.split('<details class="evidence-cite-page">')[0]
    assert "data-download-target" not in html and "<pre" not in html.split('<details class="evidence-cite-page">')[0]
    assert not (export_site / "cite").exists()
    assert (export_site / "assets" / "evidence.js").exists() and "assets/evidence.js" in html
    copy = [a for tag, a in tags if tag == "button" and "evidence-copy" in a.get("class", "")]
    assert len(copy) == 2 and all(a.get("type") == "button" and a.get("aria-label") for a in copy)  # Cite this page
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html
    # No endnotes or references added: the list still has one item per cited work.
    assert len(re.findall(r'<li id="ref-', html)) == 9


def test_every_page_has_a_cite_this_page_block_with_its_title_and_url(export_site):
    pages = {"index.html": ("Home", SITE_URL), "factors/key-worker/index.html": ("Key worker", SITE_URL + "factors/key-worker/")}
    for path, (title, url) in pages.items():
        html = (export_site / path).read_text()
        block = re.search(r'<details class="evidence-cite-page">.*?</details>', html, re.DOTALL).group(0)
        assert "<summary>Cite this page</summary>" in block
        assert f"Cheminais, R. (2009) <em>Effective Multi-Agency Partnerships</em>. Web edition, ‘{title}’." in block
        assert f'Available at: <a href="{url}">{url}</a>.' in block
        assert f"url       = {{{url}}}" in block and "@incollection{cheminais2009-" in block
        assert "booktitle = {Effective Multi-Agency Partnerships}" in block
    assert len(list(export_site.rglob("index.html"))) == sum(
        1 for p in export_site.rglob("index.html") if "evidence-cite-page" in p.read_text())
    # Search does not index the block or the exports.
    index = (export_site / "search" / "search_index.json").read_text()
    assert "Cite this page" not in index and "@incollection" not in index and "TY  - " not in index


def test_a_cite_this_page_key_missing_from_the_bib_fails_the_build(fixture_project, caplog, expect_warnings):
    set_plugin_options(fixture_project, cite_this_page="nosuchkey")
    expect_warnings("nosuchkey", "citation problem")
    with pytest.raises(Exception):
        build_site(fixture_project, strict=True)


def test_above_the_entry_exports_limit_only_the_library_files_are_offered(fixture_project):
    set_plugin_options(fixture_project, entry_exports_limit=8)  # the fixture lists 9 works
    site = build_site(fixture_project, strict=True)
    html = (site / "references" / "index.html").read_text()
    assert len(re.findall(r'<li id="ref-', html)) == 9
    assert "evidence-export" not in html and "data-entries" not in html
    assert 'href="../references.bib" download>' in html and (site / "references.ris").exists()


def test_exports_can_be_switched_off(fixture_project):
    set_plugin_options(fixture_project, exports=False, cite_this_page="cheminais2009")
    site = build_site(fixture_project, strict=True)
    assert not (site / "references.ris").exists()
    assert "evidence-cite-page" not in (site / "index.html").read_text()


def _library(path: Path):
    sources, problems = read_sources([path], path.parent)
    library = load_library(sources, problems)
    return library, sources


def test_real_library_exports_only_what_the_bib_states():
    library, sources = _library(REPO / "bib" / "references.bib")
    exports = build_exports(library, sources)
    csl = json.loads(exports.library_csl)
    assert len(csl) == len(library.works) == len(ris_records(exports.library_ris))
    # Each CSL variable comes from a field the entry has.
    sources_of = {
        "title": {"title"}, "container-title": {"journal", "journaltitle", "booktitle"}, "volume": {"volume"},
        "issue": {"number"}, "number": {"number"}, "page": {"pages"}, "publisher": {"publisher", "institution", "school", "organization"},
        "publisher-place": {"address", "location"}, "DOI": {"doi"}, "URL": {"url"}, "PMID": {"pmid"}, "PMCID": {"pmcid"},
        "issued": {"year", "date"}, "note": {"note", "howpublished"}, "author": {"author"}, "editor": {"editor"},
        "genre": {"type"}, "ISBN": {"isbn"}, "ISSN": {"issn"}, "edition": {"edition"},
    }
    for item in csl:
        work = library.get(item["id"])
        present = set(work.raw_fields) | set(work.persons)
        for variable in set(item) - {"id", "type"}:
            assert sources_of[variable] & present, f"{item['id']}: {variable} has no source field"
        if work.year == "":
            assert "issued" not in item, f"{item['id']}: n.d. must not become a date"
    # Per-entry BibTeX is the entry as written (tidied), annote included.
    assert exports.bibtex["abbott2005a"] == entry_texts(sources[0][0])["abbott2005a"]
    assert "annote" in exports.bibtex["abbott2005a"]


def test_csl_and_ris_decode_latex_and_keep_corporate_authors():
    library, _ = _library(REPO / "tests" / "fixtures" / "site" / "bib" / "refs.bib")
    item = csl_item(library.get("valeguerra2020"))
    assert item["author"] == [{"family": "Vale Guerra", "given": "Joana"}, {"family": "Leitão", "given": "Catarina"}]
    assert item["type"] == "article-journal" and item["container-title"] == "Orbis Scholae"
    assert csl_item(library.get("homeoffice2014"))["author"] == [{"literal": "Home Office"}]
    assert csl_item(library.get("abbott2005b"))["author"] == [{"family": "Abbott", "given": "David"}]  # 'others' left out
    assert "issued" not in csl_item(library.get("brocknd"))
    ris = dict(ris_record(library.get("abbott2005a")))
    assert (ris["TY"], ris["SP"], ris["EP"], ris["DO"]) == ("JOUR", "155", "163", "10.1111/j.1365-2524.2005.00544.x")


@pytest.mark.parametrize("name, parts", [
    ("van der Berg, Jr, Jan", (["Jan"], ["van", "der"], ["Berg"], ["Jr"])),
    ("Ludwig van Beethoven", (["Ludwig"], ["van"], ["Beethoven"], [])),
    ("{Home Office}", ([], [], ["{Home Office}"], [])),
    ("Peixoto Gomes, Larissa", (["Larissa"], [], ["Peixoto", "Gomes"], [])),
    ("Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
     (["Charles", "Louis", "Xavier", "Joseph"], ["de", "la"], ["Vall{\\'e}e", "Poussin"], [])),
])
def test_names_split_as_bibtex_does(name, parts):
    from pybtex.database import Person

    got = parse_name(name)
    assert (got.first_names, got.prelast_names, got.last_names, got.lineage_names) == parts
    person = Person(name)
    assert (person.first_names + person.middle_names, person.prelast_names, person.last_names,
            person.lineage_names) == parts


def test_citation_cff_matches_the_review_entry():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    library, _ = _library(REPO / "bib" / "references.bib")
    review = library.get("peixotogomes2021")
    assert cff["cff-version"] == "1.2.0" and cff["message"]
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "report"
    assert preferred["title"] == review.fields["title"]
    assert str(preferred["year"]) == review.year
    assert preferred["url"] == review.fields["url"]
    assert preferred["institution"]["name"] == review.fields["institution"]
    family, given = review.persons["author"][0].split(", ")
    assert preferred["authors"] == [{"family-names": family, "given-names": given}]
    assert cff["authors"] == preferred["authors"]
