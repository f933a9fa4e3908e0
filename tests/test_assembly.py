"""The site assembly without MkDocs (plain_build.py): same numbering and pages as the plugin."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from conftest import REPO, build_site, copy_fixture_site
from html_facts import parse_html

from mkdocs_plugins.evidence.assembly import SourcePage
from mkdocs_plugins.evidence.options import Options
from mkdocs_plugins.evidence.plain_build import build_pages, page_url

NAV = ["index.md", "factors/index.md", "factors/key-worker.md", "factors/information-sharing.md",
       "outcomes/placement-stability.md"]


def markers(html: str) -> list[str]:
    return re.findall(r'<sup class="evidence-ref" id="endnote-ref-([^"]+)"[^>]*>', html)


def fixture_pages(project: Path) -> list[SourcePage]:
    docs = project / "docs"
    return [SourcePage(uri, f"docs/{uri}", (docs / uri).read_text(encoding="utf-8")) for uri in NAV]


def test_plain_build_numbers_like_the_mkdocs_build(tmp_path):
    project = copy_fixture_site(tmp_path)
    schema = yaml.safe_load((project / "mkdocs.yml").read_text())["plugins"][1]["evidence"]["schema"]
    options = Options(bib_files=["bib/refs.bib"], schema=schema, cache=False)
    plain = build_pages(fixture_pages(project), options, project)
    assert not plain.problems, [str(p) for p in plain.problems]
    site = build_site(project)
    for uri in NAV:
        built = (site / page_url(uri) / "index.html").read_text(encoding="utf-8")
        assert markers(plain.pages[uri].content) == markers(built), uri
    assert any(markers(plain.pages[uri].content) for uri in NAV)
    references = plain.pages["references.md"].content
    assert 'id="ref-' in references and "Cited in" in references
    assert {"evidence-map.md", "figure-1.md"} <= set(plain.pages)


def test_plain_build_reports_problems_with_file_and_line(tmp_path):
    project = copy_fixture_site(tmp_path)
    pages = [SourcePage("index.md", "docs/index.md", "# Home\n\nText.\n\nA claim [@nosuchkey2020].\n")]
    plain = build_pages(pages, Options(bib_files=["bib/refs.bib"], cache=False), project)
    assert [str(p) for p in plain.problems if p.kind == "key_not_found"][0].startswith("docs/index.md:5:")


def test_the_assembly_runs_without_importing_mkdocs(tmp_path):
    project = copy_fixture_site(tmp_path)
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from mkdocs_plugins.evidence.assembly import SourcePage
        from mkdocs_plugins.evidence.options import Options
        from mkdocs_plugins.evidence.plain_build import build_pages
        root = Path({str(project)!r})
        page = SourcePage("index.md", "docs/index.md", (root / "docs/index.md").read_text())
        site = build_pages([page], Options(bib_files=["bib/refs.bib"], cache=False), root)
        assert "evidence-ref" in site.pages["index.md"].content
        print(sorted(name for name in sys.modules if name == "mkdocs" or name.startswith("mkdocs.")))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _linked_keys(html: str) -> list[str]:
    """The works the final page links from its text and its Notes, in document order, once each."""
    keys = []
    for _, attrs in parse_html(html).elements:
        classes = (attrs.get("class") or "").split()
        if attrs.get("data-key") and {"evidence-work", "evidence-cite"} & set(classes):
            keys.append(attrs["data-key"].lower())
    return list(dict.fromkeys(keys))


def test_a_page_record_names_the_works_in_the_order_the_final_page_links_them(tmp_path):
    """page_head's JSON-LD cites the works the build recorded; their order is the page's: in-text
    citations, and the Notes where `\\bibliography` put them (here above the last paragraph)."""
    project = copy_fixture_site(tmp_path)
    text = ("# Order\n\nA note[@cheminais2009; @abbott2005a]. Narrative @atkinson2007 and "
            "(see [-@homeoffice2014]).\n\n\\bibliography\n\nAfter the notes @abbott2005b, and a note[@brocknd].\n")
    notes_last = text.replace("\\bibliography\n\n", "")
    for body in (text, notes_last):
        pages = [SourcePage("index.md", "docs/index.md", body)]
        plain = build_pages(pages, Options(bib_files=["bib/refs.bib"], cache=False), project)
        assert not plain.problems, [str(p) for p in plain.problems]
        record = plain.assembly.registry.pages["index.md"]
        linked = _linked_keys(plain.pages["index.md"].content)
        assert record.cited_keys == linked
        assert set(linked) == {"cheminais2009", "abbott2005a", "atkinson2007", "homeoffice2014", "abbott2005b", "brocknd"}
    # With the Notes placed above it, the last narrative citation follows them; at the end, precedes them.
    assert linked.index("abbott2005b") < linked.index("cheminais2009")


def test_full_bibliography_shown_in_code_lists_only_the_cited_works(tmp_path):
    """A page that shows mkdocs-bibtex's `\\full_bibliography` in code (fenced or indented) does
    not turn on the every-entry References list; the command itself does."""
    project = copy_fixture_site(tmp_path)
    options = dict(bib_files=["bib/refs.bib"], cache=False)
    cited = "# Home\n\nA claim[@abbott2005a].\n\n"
    for body, every_entry in ((cited + "Write:\n\n    \\full_bibliography\n", False),
                              (cited + "```\n\\full_bibliography\n```\n", False),
                              (cited + "\\full_bibliography\n", True)):
        plain = build_pages([SourcePage("index.md", "docs/index.md", body)], Options(**options), project)
        listed = set(re.findall(r'id="ref-([^"]+)"', plain.pages["references.md"].content))
        assert ("cheminais2009" in listed) is every_entry, body
        assert "abbott2005a" in listed
