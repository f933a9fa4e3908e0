"""What the editors' scripts and the Zensical pre-pass read of mkdocs.yml (project.py) is what
MkDocs reads: `!ENV [NAME, default]` gives the variable's value, else the default."""

from __future__ import annotations

from mkdocs_plugins.evidence.project import load_project, load_yaml

CONFIG = """site_name: T
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
repo_url: !ENV [REPO_URL, "https://github.com/OWNER/REPOSITORY"]
plugins:
  - evidence:
      bib_files: [refs.bib]
"""


def test_env_values_resolve_as_mkdocs_resolves_them(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("REPO_URL", raising=False)
    project = load_project(config)
    assert (project.site_url, project.repo_url) == ("http://127.0.0.1:8000/", "https://github.com/OWNER/REPOSITORY")
    monkeypatch.setenv("SITE_URL", "https://example.org/review/")
    monkeypatch.setenv("REPO_URL", "https://github.com/someone/fork")
    project = load_project(config)
    assert (project.site_url, project.repo_url) == ("https://example.org/review/", "https://github.com/someone/fork")
    # Read as written (the tests of mkdocs.yml's defaults use this): the tag's arguments.
    assert load_yaml(CONFIG)["repo_url"] == ["REPO_URL", "https://github.com/OWNER/REPOSITORY"]
