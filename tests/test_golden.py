"""Golden cases (tests/golden/cases.yml): a one-page real build per case."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import build_site

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "cases.yml").read_text())

MKDOCS_YML = """site_name: Golden
theme: {name: material, font: false}
plugins:
  - evidence: {bib_files: [refs.bib]}
nav: [index.md, references.md]
"""


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_golden_case(case, tmp_path, caplog, expect_warnings):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(case["markdown"])
    (tmp_path / "refs.bib").write_text(GOLDEN["bib"])
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    expected_log = case["log"]
    expect_warnings(*(".*" for _ in expected_log[:1]))
    if expected_log:
        with pytest.raises(Exception):
            build_site(tmp_path, strict=True)
        messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.evidence"]
        for line in expected_log:
            assert any(line in m for m in messages), f"{line!r} not in {messages}"
        assert not (tmp_path / "site" / "index.html").exists(), "a failed build must publish nothing"
        return
    site = build_site(tmp_path, strict=True)
    html = (site / "index.html").read_text()
    for fragment in case["html"]:
        assert fragment in html
    for fragment in case.get("absent", []):
        assert fragment not in html
