"""examples/: a second evidence site with its own schema, and a plain citations-only site, built as
they are (copied, not changed) with --strict."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, build_site

EXAMPLES = REPO / "examples"


def build_example(name: str, tmp_path: Path) -> Path:
    project = tmp_path / name
    shutil.copytree(EXAMPLES / name, project)
    return build_site(project, strict=True)


@pytest.fixture(scope="module")
def exclusion_site(tmp_path_factory) -> Path:
    return build_example("school-exclusion", tmp_path_factory.mktemp("examples"))


def test_the_second_example_has_its_own_kinds_groups_map_and_figure(exclusion_site):
    index = (exclusion_site / "interventions" / "index.html").read_text()
    headings = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', index)
    assert headings == [("in-school", "In school"), ("family", "With families"), ("multi-agency", "Across agencies")]
    data = json.loads((exclusion_site / "evidence-map.json").read_text())
    assert [page["slug"] for page in data["interventions"]] == [
        "mentoring", "nurture-groups", "family-support", "team-around-the-child"]
    assert [page["slug"] for page in data["outcomes"]] == ["attendance", "fewer-exclusions", "wellbeing"]
    cell = next(c for c in data["cells"] if c["intervention"] == "mentoring" and c["outcome"] == "attendance")
    assert cell["works"] == ["salmon2005"]
    table = (exclusion_site / "evidence-map" / "index.html").read_text()
    assert "Intervention \\ Outcome" in table
    assert [g for g in re.findall(r'scope="rowgroup"[^>]*>([^<]+)<', table)] == [
        "In school", "With families", "Across agencies"]


def test_the_second_examples_figure_is_its_own_and_every_box_links(exclusion_site):
    for page in ("model", ""):
        html = (exclusion_site / page / "index.html").read_text()
        figure = re.search(r'<figure class="evidence-figure" id="model">.*?</figure>', html, re.S).group(0)
        boxes = re.findall(r'evidence-figure__box evidence-figure__([a-z-]+)', figure)
        assert boxes == ["interventions", "inclusion", "outcomes"]
        assert figure.count('aria-hidden="true">→</p>') == 2
        assert "Pupils stay included in school" in figure and "<figcaption>The model (illustrative)" in figure
        assert len(re.findall(r'<a href="', figure)) == 4 + 1 + 3  # every page, and the link box


def test_the_second_example_says_it_is_illustrative_and_cites_real_entries(exclusion_site):
    home = (exclusion_site / "index.html").read_text()
    assert "An illustrative example" in home
    review_bib = (REPO / "bib" / "references.bib").read_text()
    example_bib = (EXAMPLES / "school-exclusion" / "refs.bib").read_text()
    entries = re.findall(r"^@\w+\{[^@]*?^\}", example_bib, re.MULTILINE)
    assert len(entries) == 7 and all(entry in review_bib for entry in entries)  # copied, never invented


def test_the_citations_only_example_gets_notes_and_references_and_nothing_else(tmp_path):
    site = build_example("citations-only", tmp_path)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert pages == ["index.html", "more/index.html", "references/index.html"]
    assert not (site / "evidence-map.json").exists()
    home, more = (site / "index.html").read_text(), (site / "more" / "index.html").read_text()
    assert re.findall(r'id="endnote-ref-([^"]+)"', home) == ["i", "ii"]
    assert re.findall(r'id="endnote-ref-([^"]+)"', more) == ["iii"]
    references = (site / "references" / "index.html").read_text()
    assert sorted(re.findall(r'<li id="ref-([^"]+)"', references)) == ["atkinson2002", "salmon2005", "valeguerra2020"]


def test_the_readme_walkthrough_builds(tmp_path):
    """README's "Use it for your own review": its mkdocs.yml and schema.yml, as written, build a site."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Use it for your own review", 1)[1].split("\n## ", 1)[0]
    mkdocs_yml, schema_yml = re.findall(r"```yaml\n(.*?)```", section, re.S)
    project = tmp_path / "my-review"
    (project / "docs" / "interventions").mkdir(parents=True)
    (project / "docs" / "outcomes").mkdir()
    (project / "bib").mkdir()
    (project / "mkdocs.yml").write_text(mkdocs_yml)
    (project / "schema.yml").write_text(schema_yml)
    shutil.copy(EXAMPLES / "school-exclusion" / "refs.bib", project / "bib" / "references.bib")
    (project / "docs" / "index.md").write_text("# My review\n\n<!-- evidence:model -->\n")
    (project / "docs" / "interventions" / "index.md").write_text("# Interventions\n\n<!-- evidence:intervention-index -->\n")
    (project / "docs" / "interventions" / "mentoring.md").write_text(
        "---\nkind: intervention\ngroup: in-school\nsummary: A mentor.\n---\n# Mentoring\n\nText[@salmon2005].\n")
    (project / "docs" / "outcomes" / "attendance.md").write_text(
        "---\nkind: outcome\nsummary: Attendance.\n---\n# Attendance\n\nText[@salmon2005].\n")
    site = build_site(project, strict=True)
    assert 'id="model"' in (site / "index.html").read_text()
    assert json.loads((site / "evidence-map.json").read_text())["cells"][0]["works"] == ["salmon2005"]
