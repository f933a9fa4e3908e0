"""The package people install: wheel and sdist that pass `twine check` and carry the assets, a
wheel that builds a site in a clean venv, one version number, and lock files that cover pyproject."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from conftest import REPO

from mkdocs_plugins.evidence import __version__

IGNORED = shutil.ignore_patterns(".git", ".venv*", "node_modules", "site", ".cache", "dist", "build",
                                 "*.egg-info", "__pycache__", ".pytest_cache")


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def locked(name: str) -> dict[str, str]:
    """Package name (normalised) -> pinned version, from a lock file."""
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^ \\\n]+)", (REPO / name).read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", package).lower(): version for package, version in pins}


def requirements(*extras: str) -> list[Requirement]:
    project = pyproject()["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize("lock, extras", [("requirements.lock", ()), ("requirements-dev.lock", ("test", "dev"))])
def test_the_lock_files_pin_every_dependency_within_its_range_with_hashes(lock, extras):
    pins = locked(lock)
    for requirement in requirements(*extras):
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{requirement} is not in {lock}: run `make lock` (README, Dependencies)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {name}=={pins[name]}, outside pyproject's {requirement}: run `make lock`")
    text = (REPO / lock).read_text(encoding="utf-8")
    assert text.count("==") == len(pins) and text.count("--hash=sha256:") >= len(pins)


def test_the_package_declares_ranges_and_one_version():
    for requirement in requirements():
        assert not any(spec.operator in ("==", "===") for spec in requirement.specifier), requirement
    project = pyproject()
    assert project["project"]["dynamic"] == ["version"] and "version" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "mkdocs_plugins.evidence.__version__"}
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(__version__)}\b", changelog, re.MULTILINE), "CHANGELOG.md has no entry for it"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """`python -m build` (sdist, then the wheel from it) on a copy of the repository."""
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=IGNORED)
    out = work / "dist"
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, text=True)
    return out


def test_wheel_and_sdist_pass_twine_check_and_carry_the_assets(dist):
    wheel = next(dist.glob("*.whl"))
    sdist = next(dist.glob("*.tar.gz"))
    assert wheel.name == f"mkdocs_evidence-{__version__}-py3-none-any.whl"
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.count("PASSED") == 2, result.stdout + result.stderr
    names = zipfile.ZipFile(wheel).namelist()
    for asset in ("evidence.css", "evidence.js"):
        assert f"mkdocs_plugins/evidence/assets/{asset}" in names
    assert "mkdocs_plugins/evidence/plugin.py" in names and not [n for n in names if n.startswith(("tests/", "docs/"))]
    metadata = zipfile.ZipFile(wheel).read(f"mkdocs_evidence-{__version__}.dist-info/METADATA").decode()
    assert f"Version: {__version__}" in metadata and "Requires-Dist: mkdocs-material<10,>=9.8.1" in metadata
    entry_points = zipfile.ZipFile(wheel).read(f"mkdocs_evidence-{__version__}.dist-info/entry_points.txt").decode()
    assert "evidence = mkdocs_plugins.evidence.plugin:EvidencePlugin" in entry_points
    members = tarfile.open(sdist).getnames()
    assert f"mkdocs_evidence-{__version__}/mkdocs_plugins/evidence/assets/evidence.css" in members


def test_the_wheel_installs_into_a_clean_venv_and_builds_a_site(dist, tmp_path):
    """Only the locked versions (hashes required), then the wheel; the example site, built --strict."""
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": "", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r",
                    str(REPO / "requirements.lock")], check=True, env=env, cwd=tmp_path)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(next(dist.glob("*.whl")))],
                   check=True, env=env, cwd=tmp_path)
    where = subprocess.run([str(python), "-c", "import mkdocs_plugins.evidence as m; print(m.__file__)"],
                           check=True, env=env, cwd=tmp_path, capture_output=True, text=True).stdout
    assert where.startswith(str(environment))  # the installed wheel, not this checkout
    project = tmp_path / "school-exclusion"
    shutil.copytree(REPO / "examples" / "school-exclusion", project)
    result = subprocess.run([str(environment / "bin" / "mkdocs"), "build", "--strict"], env=env, cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert 'id="model"' in (project / "site" / "model" / "index.html").read_text()
    assert (project / "site" / "assets" / "evidence.css").read_text() == (
        REPO / "mkdocs_plugins" / "evidence" / "assets" / "evidence.css").read_text()
