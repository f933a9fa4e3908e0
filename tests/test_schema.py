"""The evidence schema is configuration: validated with clear errors, nothing of this review in the
package, and generated pages only where the site has evidence pages for them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, build_site, copy_fixture_site, set_plugin_options

from mkdocs_plugins.evidence.schema import SchemaError, load_schema, read_schema

PACKAGE = REPO / "mkdocs_plugins" / "evidence"
BIBTEX_SITE = REPO / "tests" / "fixtures" / "bibtex_site"

# Words of this review: its kinds and groups, its question, Figure 1's boxes, its options of old.
REVIEW_VOCABULARY = re.compile(
    r"governance|team[ -]working|\bfactors?\b|\boutcomes?\b|looked[ -]after|multi-agency|amlasiantaethol"
    r"|early identification|prevention|figure_working_page|figure_prevention_page|figure[ -]1|peixoto"
    r"|children and families|wales|wcpp",
    re.IGNORECASE,
)


def test_the_package_holds_no_word_of_this_review():
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in {".py", ".css", ".js", ".html", ".yml"}]
    assert len(files) > 20
    hits = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
            for path in files
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if REVIEW_VOCABULARY.search(line)]
    assert not hits, "review vocabulary in the package:\n" + "\n".join(hits)


def test_the_vocabulary_check_can_fail():
    assert REVIEW_VOCABULARY.search((REPO / "evidence.yml").read_text(encoding="utf-8"))


def review_schema() -> dict:
    return yaml.safe_load((REPO / "evidence.yml").read_text(encoding="utf-8"))


def broken(change) -> dict:
    data = review_schema()
    change(data)
    return data


@pytest.mark.parametrize(
    "change, setting, fix",
    [
        (lambda d: d.update(evidence_maps=d.pop("evidence_map")), "evidence_maps", "Did you mean 'evidence_map'?"),
        (lambda d: d["kinds"].update(section={"label": "Section"}), "kinds.section", "Choose another name"),
        (lambda d: d["kinds"].update({"Bad Name": {"label": "x"}}), "kinds.Bad Name", "lower-case letters"),
        (lambda d: d["kinds"]["factor"].pop("label"), "kinds.factor.label", "one text per language"),
        (lambda d: d["kinds"]["factor"].update(label=["Factor"]), "kinds.factor.label", "label: {en:"),
        (lambda d: d["evidence_map"].update(rows="factors"), "evidence_map.rows", "Use one of: factor, outcome"),
        (lambda d: d["figure"]["boxes"][1].update(kind="factor"), "figure.boxes[1]", "Give one of the two"),
        (lambda d: d["figure"]["boxes"][1].update(link="factors/"), "figure.boxes[1].link", "Give the path of a page"),
        (lambda d: d["figure"].update(boxes=[]), "figure.boxes", "List its boxes"),
        (lambda d: d["evidence_map"].update(page="/evidence-map.md"), "evidence_map.page", "Give a path inside docs/"),
    ],
)
def test_schema_errors_name_the_file_the_setting_and_the_fix(change, setting, fix):
    with pytest.raises(SchemaError) as error:
        read_schema(broken(change), "evidence.yml")
    message = str(error.value)
    assert message.startswith(f"evidence.yml: schema setting '{setting}': "), message
    assert fix in message


def test_a_schema_file_with_a_yaml_error_names_its_line(tmp_path):
    (tmp_path / "schema.yml").write_text("kinds:\n  factor:\n    label: [unclosed\n")
    with pytest.raises(SchemaError, match=r"^schema\.yml:4: not valid YAML .*Check the indentation"):
        load_schema("schema.yml", tmp_path)
    with pytest.raises(SchemaError, match=r"^mkdocs\.yml: schema file 'nope\.yml' cannot be read .*relative to mkdocs\.yml"):
        load_schema("nope.yml", tmp_path)


def test_labels_follow_the_interface_language_and_fall_back_to_english():
    schema = load_schema("evidence.yml", REPO)
    factor = schema.kinds["factor"]
    assert (factor.label.text("en"), factor.label.text("cy")) == ("Factor", "Ffactor")
    assert factor.groups["governance"].text("cy") == "Governance structures/mechanisms"  # one text for both
    assert schema.figure.marker == "<!-- evidence:figure-1 -->"


def test_a_wrong_schema_stops_the_build_naming_the_file(tmp_path, caplog, expect_warnings):
    project = copy_fixture_site(tmp_path)
    set_plugin_options(project, schema="evidence.yml")
    data = broken(lambda d: d["evidence_map"].update(columns="result"))
    (project / "evidence.yml").write_text(yaml.safe_dump(data, allow_unicode=True))
    expect_warnings("evidence.yml: schema setting")
    with pytest.raises(Exception):
        build_site(project, strict=True)
    assert any(r.getMessage() == "evidence.yml: schema setting 'evidence_map.columns': 'result' is not a kind "
               "declared under kinds. Use one of: factor, outcome." for r in caplog.records)
    assert not (project / "site" / "index.html").exists()


def test_a_figure_box_linking_to_a_missing_page_is_an_error(tmp_path, caplog, expect_warnings):
    project = copy_fixture_site(tmp_path)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    schema = config["plugins"][1]["evidence"]["schema"]
    schema["figure"]["boxes"][2]["link"] = "outcomes/discussion.md#early-identification"
    set_plugin_options(project, schema=schema)
    expect_warnings("outcomes/discussion.md", "citation problem")
    with pytest.raises(Exception):
        build_site(project, strict=True)
    message = next(r.getMessage() for r in caplog.records if "missing_page" in r.getMessage())
    assert message.startswith("mkdocs.yml: the figure's box 'prevention' (figure.boxes[2].link) links to "
                              "outcomes/discussion.md, which is not a page of this site.")


# --- generated pages only where they make sense ---------------------------------------------------


def plain_site(tmp_path: Path, nav: bool) -> Path:
    """The mkdocs-bibtex fixture site: no schema, no evidence pages."""
    project = tmp_path / "plain"
    shutil.copytree(BIBTEX_SITE, project)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["plugins"] = ["search", {"evidence": {"bib_file": "refs.bib"}}]
    (project / "docs" / "references.md").unlink()  # the generated References page, this time
    if not nav:
        del config["nav"]
    else:
        config["nav"] = [{"Home": "index.md"}, {"Methods": "methods.md"}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return project


@pytest.mark.parametrize("nav", [False, True])
def test_a_site_without_evidence_pages_gets_a_references_page_and_nothing_else(tmp_path, nav):
    site = build_site(plain_site(tmp_path, nav), strict=True)
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert written == ["index.html", "methods/index.html", "references/index.html"]
    assert not (site / "evidence-map.json").exists()
    search = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in search["docs"]}
    assert locations == {"", "methods/", "references/"}
    home = (site / "index.html").read_text()
    nav_links = set(re.findall(r'<a href="([^"]+)" class="md-nav__link', home))
    assert not any("evidence-map" in link or "figure" in link for link in nav_links), nav_links
    every_page = " ".join(p.read_text() for p in site.rglob("*.html"))
    for word in ("Evidence map", "evidence-figure", "Related", "evidence:"):
        assert word not in every_page, word
    assert 'id="ref-smith2019"' in (site / "references" / "index.html").read_text()


def test_an_evidence_kind_without_a_schema_is_an_error_saying_so(tmp_path, caplog, expect_warnings):
    project = plain_site(tmp_path, nav=False)
    (project / "docs" / "methods.md").write_text("---\nkind: factor\n---\n# Methods\n")
    expect_warnings("unknown kind 'factor'", "citation problem")
    with pytest.raises(Exception):
        build_site(project, strict=True)
    assert any("docs/methods.md:2: unknown kind 'factor': this site declares no evidence kinds" in r.getMessage()
               for r in caplog.records)


def test_a_schema_without_pages_of_its_kinds_generates_no_map_and_no_figure(tmp_path):
    project = copy_fixture_site(tmp_path)
    for page in (project / "docs").rglob("*.md"):
        text = page.read_text()
        text = re.sub(r"^(kind|group|summary|related): .*\n", "", text, flags=re.MULTILINE)
        page.write_text(text)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["nav"] = [item for item in config["nav"] if not ({"Evidence map", "Figure 1"} & set(item))]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    site = build_site(project, strict=True)
    assert (site / "references" / "index.html").exists()
    assert not (site / "evidence-map").exists() and not (site / "figure-1").exists()
    assert not (site / "evidence-map.json").exists()
