"""Shared fixtures: real MkDocs builds in temporary directories, and a log capture that
fails any test on a warning it did not declare."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

# Property tests (tests/test_properties.py): a few seconds each in `make test`; a longer search with
# HYPOTHESIS_PROFILE=thorough. No deadline: the machine may be busy, and a slow example is not a bug.
settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
REALWORLD_BIB = REPO.parent / "shared" / "data" / "realworld" / "biblatex-examples.bib"


class ExpectedWarnings:
    def __init__(self) -> None:
        self.patterns: list[re.Pattern] = []

    def __call__(self, *patterns: str) -> None:
        self.patterns.extend(re.compile(p) for p in patterns)

    def allows(self, message: str) -> bool:
        return any(p.search(message) for p in self.patterns)


@pytest.fixture
def expect_warnings() -> ExpectedWarnings:
    return ExpectedWarnings()


@pytest.fixture(autouse=True)
def fail_on_unexpected_warnings(caplog, expect_warnings):
    """Any WARNING or worse that a test did not announce with expect_warnings fails it."""
    caplog.set_level(logging.INFO)
    yield
    unexpected = [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING and not expect_warnings.allows(r.getMessage())
    ]
    assert not unexpected, "unexpected log lines:\n" + "\n".join(unexpected)


def copy_fixture_site(tmp_path: Path) -> Path:
    site = tmp_path / "project"
    shutil.copytree(FIXTURE_SITE, site)
    return site


# Files scripts/zensical_prebuild.py leaves in a working copy (ignored by git): not in a copy.
PREBUILT = {"docs/references.bib", "docs/references.ris", "docs/references.json", "docs/evidence-map.json",
            "docs/assets/evidence.css", "docs/assets/evidence.js", "bib/.evidence-site-state"}


def _prebuilt(folder: str, names: list[str]) -> set[str]:
    relative = Path(folder).resolve().relative_to(REPO).as_posix()
    return {name for name in names if f"{relative}/{name}" in PREBUILT}


def copy_review(project: Path) -> Path:
    """The review's sources (pages, library, mkdocs.yml and its evidence schema, theme overrides,
    hooks) copied to `project`."""
    for name in ("docs", "bib", "overrides", "hooks"):
        shutil.copytree(REPO / name, project / name, ignore=_prebuilt)
    for name in ("mkdocs.yml", "evidence.yml"):
        shutil.copy(REPO / name, project / name)
    return project


def build_site(project: Path, **overrides) -> Path:
    """Build `project/mkdocs.yml` in-process with real MkDocs; return the site directory."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = project / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


# The address the review is built for in `review_site`, as CI's workflow builds it for Pages.
REVIEW_SITE_URL = "https://example.org/multi-agency-review/"


@pytest.fixture(scope="session")
def review_site(tmp_path_factory) -> Path:
    """The review as `make site` and CI build it, once per test session: `mkdocs build --strict`
    of this working copy for REVIEW_SITE_URL, English at the root and the Welsh interface in cy/.
    Tests read it and never change it."""
    site = tmp_path_factory.mktemp("review") / "site"
    env = dict(os.environ, SITE_URL=REVIEW_SITE_URL, NO_MKDOCS_2_WARNING="1")
    for config, folder in (("mkdocs.yml", site), ("mkdocs.cy.yml", site / "cy")):
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(folder)],
                                cwd=REPO, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            pytest.fail(f"mkdocs build --strict -f {config} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return site


def set_plugin_options(project: Path, **options) -> None:
    """Rewrite the evidence plugin's options in a copied site's mkdocs.yml."""
    path = project / "mkdocs.yml"
    config = yaml.safe_load(path.read_text())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "evidence" in plugin:
            plugin["evidence"].update(options)
    path.write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.fixture
def fixture_project(tmp_path) -> Path:
    return copy_fixture_site(tmp_path)


# Git for the tests that make real repositories: a fixed author, no user or system settings.
def git(cwd: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Editor", GIT_AUTHOR_EMAIL="editor@example.org",
               GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.org",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_SYSTEM=os.devnull)
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return result.stdout.rstrip("\n")


def commit(project: Path, message: str, date: str | None = None) -> str:
    """Everything in the working tree committed; the new commit's id."""
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message, date=date)
    return git(project, "rev-parse", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
