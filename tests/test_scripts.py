"""The editors' commands in scripts/: check, bib_tidy, new_page; pre-commit and the PR workflow."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REALWORLD_BIB, REPO, build_site, copy_fixture_site

from mkdocs_plugins.evidence.bibtidy import BibTidyError, comment_lines, pybtex_view, read_bib, tidy_text

SCRIPTS = REPO / "scripts"


def run(script: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / script), *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("script", ["check.py", "bib_tidy.py", "new_page.py"])
def test_every_command_has_help(script):
    result = run(script, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


# --- check --------------------------------------------------------------------------------------


def test_check_passes_on_the_review_and_reports_its_time():
    result = run("check.py", "--time")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^0 error\(s\), \d+ warning\(s\), \d+ notice\(s\) in \d\.\d\d s$", result.stderr.strip(), re.M)
    assert "error:" not in result.stdout
    # Notices: cited works not yet verified (the review has many), on their .bib line.
    assert re.search(r"^bib/references\.bib:\d+: notice: entry 'abbott2005b' is cited \(docs/factors/key-worker\.md:\d+",
                     result.stdout, re.M)
    # How long it takes is in scripts/BENCHMARK.md: a wall-clock limit here fails on a busy machine.


BROKEN_PAGE = """---
kind: factr
related: [no-such-page]
---
# Broken

An unknown key[@abot2005a]. An empty one[@]. A bad item[@abbott2005a; see].
Fine[@abbott2005a].
"""

BROKEN_BIB = """
@misc{cheminais2009,
  author = {Someone},
  year = {2010}
}

@misc{noyear,
  author = {Nobody}
}

@article{broken,
  author = {Broken, Bob},
  title = {Unclosed,
  year = {2020}
"""


@pytest.fixture
def broken_project(tmp_path) -> Path:
    project = copy_fixture_site(tmp_path)
    (project / "docs" / "broken.md").write_text(BROKEN_PAGE)
    bib = project / "bib" / "refs.bib"
    bib.write_text(bib.read_text() + BROKEN_BIB)
    return project


def test_check_reports_every_problem_with_file_line_and_level(broken_project):
    result = run("check.py", cwd=broken_project)
    assert result.returncode == 1
    out = result.stdout
    expected = [
        r"^docs/broken\.md:7: error: citation key 'abot2005a' in \[@abot2005a\] is not in the bibliography\. Did you mean 'abbott2005a'.*\[key_not_found\]$",
        r"^docs/broken\.md:7: error: '@' without a key in \[@\].*\[empty_citation\]$",
        r"^docs/broken\.md:7: error: 'see' in \[@abbott2005a; see\] has no @key.*\[malformed_citation\]$",
        r"^docs/broken\.md:2: error: unknown kind 'factr'.*\[front_matter\]$",
        r"^docs/broken\.md:3: error: related: 'no-such-page' is not the slug of any factor or outcome page.*\[related_not_found\]$",
        r"^bib/refs\.bib:\d+: error: duplicate BibTeX key 'cheminais2009': already defined at bib/refs\.bib:28.*\[duplicate_key\]$",
        r"^bib/refs\.bib:\d+: error: entry 'noyear' has no year.*\[missing_field\]$",
        r"^bib/refs\.bib:\d+: error: malformed BibTeX: .*\[bib_syntax\]$",
        r"^bib/refs\.bib:28: warning: @book entry 'cheminais2009' has no publisher.*\[missing_type_field\]$",
        r"^bib/refs\.bib:10: notice: entry 'abbott2005b' is cited .* not yet verified\. \[unverified_cited\]$",
    ]
    for pattern in expected:
        assert re.search(pattern, out, re.M), f"missing {pattern!r} in:\n{out}"
    assert re.search(r"^\d+ error\(s\), 1 warning\(s\), \d+ notice\(s\)$", result.stderr.strip(), re.M)
    # Errors first, then warnings, then notices.
    levels = [line.split(": ")[1] for line in out.splitlines()]
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)


def test_check_github_output_annotates_the_line(broken_project):
    result = run("check.py", "--github", "--no-notices", cwd=broken_project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in lines), lines
    assert any(line.startswith("::error file=docs/broken.md,line=7,title=key_not_found::citation key 'abot2005a'")
               for line in lines), lines
    assert not any("::notice" in line for line in lines)
    # Messages stay on one line: a newline or '%' in a message is encoded as GitHub requires.
    assert all("\n" not in line for line in lines)


def test_check_finds_the_same_problems_as_the_strict_build(broken_project, caplog, expect_warnings):
    """The check and `mkdocs build --strict` agree on the errors (kind, file, line)."""
    result = run("check.py", "--no-notices", cwd=broken_project)
    from_check = {tuple(m.groups()) for m in re.finditer(r"^([^:\n]+):(\d+)?:? ?error: .*\[(\w+)\]$", result.stdout, re.M)}
    expect_warnings(".")
    with pytest.raises(Exception):
        build_site(broken_project, strict=True)
    from_build = set()
    for record in caplog.records:
        match = re.match(r"^([^:\s]+):(\d+)?:? ?.*\[(\w+)\]$", record.getMessage())
        if match and record.name == "mkdocs.plugins.evidence":
            from_build.add(match.groups())
    assert from_check == from_build


# --- bib tidy -----------------------------------------------------------------------------------


def assert_same_library(before: str, after: str) -> None:
    """Every entry's type, fields and persons as pybtex reads them; macros, preamble; comments."""
    old, new = pybtex_view(before), pybtex_view(after)
    assert old["entries"].keys() == new["entries"].keys()
    for key, entry in old["entries"].items():
        assert new["entries"][key] == entry, key
    assert old["macros"] == new["macros"] and old["preamble"] == new["preamble"]
    assert comment_lines(before) == comment_lines(after)
    exact = {e.key: sorted((f.name.lower(), tuple(f.value.content())) for f in e.fields) for e in read_bib(before).entries}
    assert exact == {e.key: sorted((f.name.lower(), tuple(f.value.content())) for f in e.fields) for e in read_bib(after).entries}


def test_tidy_round_trips_the_real_library_with_its_comments():
    text = (REPO / "bib" / "references.bib").read_text(encoding="utf-8")
    tidy = tidy_text(text)
    assert_same_library(text, tidy)
    assert tidy_text(tidy) == tidy
    header = [line for line in text.splitlines() if line.startswith("%")]
    assert [line for line in tidy.splitlines() if line.startswith("%")] == header


def test_the_real_library_is_tidy():
    result = run("bib_tidy.py", "--check")
    assert result.returncode == 0, result.stderr


def test_tidy_round_trips_a_large_real_world_bib():
    if not REALWORLD_BIB.exists():
        pytest.skip(f"real-world .bib not found at {REALWORLD_BIB}")
    text = REALWORLD_BIB.read_text(encoding="utf-8")
    tidy = tidy_text(text)
    assert_same_library(text, tidy)
    assert tidy_text(tidy) == tidy
    assert len(read_bib(tidy).entries) == len(read_bib(text).entries) > 50
    # Sorted within each section; @string blocks stay first, as written.
    assert tidy.startswith("@string{anch-ie = {Angew.~Chem. Int.~Ed.}}")


def test_tidy_normalises_order_fields_and_braces(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "% header stays\n\n"
        "@ARTICLE(zed2020, YEAR = 2020, Title = \"A {Quoted} title\", author = {Zed, Z.},\n"
        "  month = jan, note = \"n\" # {-more})\n"
        "@misc{alpha2019, year = {2019}, author = {Alpha, A.}}\n"
        "% section two\n"
        "@misc{b, author = {B}, year = {2001}}\n@misc{a, author = {A}, year = {2001}}\n")
    before = bib.read_text()
    assert run("bib_tidy.py", "--check", str(bib)).returncode == 1
    assert run("bib_tidy.py", str(bib)).returncode == 0
    after = bib.read_text()
    assert after == (
        "% header stays\n\n"
        "@misc{alpha2019,\n  author = {Alpha, A.},\n  year   = {2019}\n}\n\n"
        "@article{zed2020,\n  author = {Zed, Z.},\n  title  = {A {Quoted} title},\n  year   = {2020},\n"
        "  month  = jan,\n  note   = {n} # {-more}\n}\n\n"
        "% section two\n\n"
        "@misc{a,\n  author = {A},\n  year   = {2001}\n}\n\n"
        "@misc{b,\n  author = {B},\n  year   = {2001}\n}\n")
    assert_same_library(before, after)
    assert run("bib_tidy.py", "--check", str(bib)).returncode == 0


def test_tidy_refuses_a_malformed_file_and_leaves_it_alone(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BROKEN_BIB)
    result = run("bib_tidy.py", str(bib))
    assert result.returncode == 2 and "Nothing was changed" in result.stderr
    assert bib.read_text() == BROKEN_BIB
    with pytest.raises(BibTidyError):
        tidy_text(BROKEN_BIB)


# --- new page -----------------------------------------------------------------------------------


def test_new_page_scaffolds_a_valid_page_and_adds_it_to_the_nav(tmp_path):
    project = copy_fixture_site(tmp_path)
    result = run("new_page.py", "factor", "Joint supervision: managers", "--group", "governance",
                 "--summary", "Managers from different agencies supervise staff together.", "--related", "key-worker",
                 cwd=project)
    assert result.returncode == 0, result.stderr
    page = project / "docs" / "factors" / "joint-supervision-managers.md"
    assert page.read_text().startswith(
        "---\nkind: factor\ngroup: governance\nsummary: Managers from different agencies supervise staff together.\n"
        "related: [key-worker]\n---\n\n# Joint supervision: managers\n")
    nav = yaml.safe_load((project / "mkdocs.yml").read_text())["nav"]
    factors = nav[1]["Factors"]
    assert factors[-1] == {"Joint supervision: managers": "factors/joint-supervision-managers.md"}
    result = run("new_page.py", "outcome", "Fewer moves", "--summary", "Children move less often.", cwd=project)
    assert result.returncode == 0, result.stderr
    outcomes = yaml.safe_load((project / "mkdocs.yml").read_text())["nav"][2]["Outcomes"]
    assert outcomes[-1] == {"Fewer moves": "outcomes/fewer-moves.md"}
    checked = run("check.py", cwd=project)
    assert checked.returncode == 0 and "error:" not in checked.stdout, checked.stdout
    site = build_site(project, strict=True)
    assert "Joint supervision: managers" in (site / "factors" / "index.html").read_text()


def test_new_page_refuses_a_used_slug_or_an_unknown_related_page(tmp_path):
    project = copy_fixture_site(tmp_path)
    config = (project / "mkdocs.yml").read_text()
    used = run("new_page.py", "factor", "A key worker", "--slug", "key-worker", "--group", "governance",
               "--summary", "x.", cwd=project)
    assert used.returncode == 1 and "already uses the slug 'key-worker'" in used.stderr
    unknown = run("new_page.py", "outcome", "New", "--summary", "x.", "--related", "nope", cwd=project)
    assert unknown.returncode == 1 and "--related nope" in unknown.stderr
    no_group = run("new_page.py", "factor", "New", "--summary", "x.", cwd=project)
    assert no_group.returncode == 2 and "--group" in no_group.stderr
    assert (project / "mkdocs.yml").read_text() == config


# --- pre-commit and the pull-request workflow ------------------------------------------------------


def test_pre_commit_runs_tidy_and_check():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert list(hooks) == ["bib-tidy", "content-check"]
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        command = hook["entry"].split()
        assert command[0] == ".venv/bin/python" and (REPO / command[1]).is_file()
        result = subprocess.run([sys.executable, *command[1:]], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(hooks["bib-tidy"]["files"], "bib/references.bib")
    assert re.search(hooks["content-check"]["files"], "docs/factors/key-worker.md")
    assert re.search(hooks["content-check"]["files"], "mkdocs.yml")


def test_pull_requests_run_the_check_with_github_annotations():
    workflows = list((REPO / ".github" / "workflows").glob("*.yml"))
    steps = []
    for path in workflows:
        workflow = yaml.safe_load(path.read_text())
        triggers = workflow.get(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if "scripts/check.py --github" in step.get("run", ""):
                    steps.append((path.name, triggers))
    assert steps, "no workflow step runs scripts/check.py --github"
    assert any("pull_request" in (triggers or {}) for _, triggers in steps)
