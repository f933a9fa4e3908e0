"""The site assembly without MkDocs (plain_build.py): same numbering and pages as the plugin."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from conftest import REPO, build_site, copy_fixture_site

from mkdocs_plugins.evidence.assembly import SourcePage
from mkdocs_plugins.evidence.options import Options
from mkdocs_plugins.evidence.plain_build import build_pages, page_url

NAV = ["index.md", "factors/index.md", "factors/key-worker.md", "factors/information-sharing.md",
       "outcomes/placement-stability.md"]


def markers(html: str) -> list[str]:
    return re.findall(r'<sup class="evidence-ref" id="endnote-ref-([^"]+)">', html)


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
