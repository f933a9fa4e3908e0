"""scripts/site_diff.py on a real git repository made in tmp: a base commit (the fixture site),
head commits each making one kind of change an editor makes, and the report a reviewer reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, REPO, commit, copy_review, edit, git

SCRIPT = REPO / "scripts" / "site_diff.py"


def report(repo: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, str(SCRIPT), *args], cwd=repo, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    # The first line names the commits, which differ on every run.
    return result.stdout.split("\n", 2)[2].strip()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The fixture site as a base commit, and one branch per kind of change from it."""
    repo = tmp_path_factory.mktemp("history") / "site"
    shutil.copytree(FIXTURE_SITE, repo)
    (repo / ".gitignore").write_text(".cache/\nsite/\n")
    git(repo, "init", "-q", "-b", "main")
    commits = {"base": commit(repo, "The review as published")}

    def change(name: str, make) -> None:
        git(repo, "checkout", "-q", "-b", name, commits["base"])
        make()
        commits[name] = commit(repo, name)

    docs, bib = repo / "docs", repo / "bib" / "refs.bib"
    change("citation-inserted-early", lambda: edit(
        docs / "factors" / "key-worker.md", "The key worker prevents", "Key workers are widespread[@cheminais2009]. The key worker prevents"))
    change("note-removed", lambda: edit(
        docs / "factors" / "information-sharing.md", " A title with markup is escaped[@evil2020].", ""))
    change("title-corrected", lambda: edit(
        bib, "title  = {Effective Multi-Agency Partnerships}", "title  = {Effective Multi-Agency Partnerships: Putting Every Child Matters into Practice}"))

    def rename():
        (docs / "factors" / "information-sharing.md").rename(docs / "factors" / "sharing-information.md")
        edit(repo / "mkdocs.yml", "Information sharing: factors/information-sharing.md",
             "Information sharing: factors/sharing-information.md")
        edit(docs / "factors" / "key-worker.md", "related: [information-sharing]", "related: [sharing-information]")
    change("page-renamed", rename)

    def warn():
        edit(docs / "outcomes" / "placement-stability.md", "related: [key-worker]", "related: [key-workers]")
        edit(docs / "index.md", "agrees.", "agrees (see [the methods](methods.md)).")
        # Raw HTML: MkDocs does not validate it; the report reads the built page.
        edit(docs / "factors" / "information-sharing.md", "matters[", 'matters (<a href="../../old-page/">old page</a>)[')
    change("new-warning", warn)
    change("page-moved-in-nav", lambda: edit(
        repo / "mkdocs.yml", "      - Key worker: factors/key-worker.md\n      - Information sharing: factors/information-sharing.md",
        "      - Information sharing: factors/information-sharing.md\n      - Key worker: factors/key-worker.md"))
    change("build-broken", lambda: edit(repo / "mkdocs.yml", "bib_files: [bib/refs.bib]",
                                        "bib_files: [bib/refs.bib]\n      numbering: by-chapter"))
    git(repo, "checkout", "-q", "main")
    return repo, commits


def test_unchanged_tree_says_so(history):
    repo, commits = history
    assert report(repo, "main") == "No change readers would see."
    assert report(repo, commits["base"], "main", "--format", "markdown") == "No change readers would see."


def test_citation_inserted_early_renumbers_later_notes_as_one_range(history):
    repo, commits = history
    assert report(repo, commits["base"], commits["citation-inserted-early"]) == """\
Endnotes
  - iii–vii move up by one (now iv–viii), on *Key worker*, *Information sharing* and *Placement stability*: \
a note was added on *Key worker*
  - added: iii on *Key worker*: Cheminais, 2009.

Related blocks
  - *Key worker*: *Placement stability*: 2 studies in common → 3 studies in common
  - *Placement stability*: *Key worker*: 2 studies in common → 3 studies in common

Evidence map
  - *Key worker* × *Placement stability*: 2 → 3 works (+ Cheminais, 2009)"""


def test_note_removed(history):
    repo, commits = history
    assert report(repo, commits["base"], commits["note-removed"]) == """\
Endnotes
  - vii moves down by one (now vi), on *Placement stability*: a note was removed from *Information sharing*
  - removed: vi on *Information sharing*: Mallory, 2020.

Works and references
  - no longer cited: evil2020: Mallory, E. (2020) <script>alert("x")</script> & friends."""


def test_bibtex_title_corrected_shows_the_reference_before_and_after(history):
    repo, commits = history
    assert report(repo, commits["base"], commits["title-corrected"]) == """\
Works and references
  - reference changed: cheminais2009 (“Partnerships.” → “Partnerships: Putting Every Child Matters into Practice.”): Cheminais, R. (2009) Effective Multi-Agency Partnerships. → \
Cheminais, R. (2009) Effective Multi-Agency Partnerships: Putting Every Child Matters into Practice."""


def test_page_renamed_is_a_move_not_a_removal_and_an_addition(history):
    repo, commits = history
    assert report(repo, commits["base"], commits["page-renamed"]) == """\
Pages
  - moved: *Information sharing* from factors/information-sharing/ to factors/sharing-information/ \
(file factors/information-sharing.md renamed factors/sharing-information.md)"""


def test_new_warning_broken_link_and_front_matter_problem(history):
    repo, commits = history
    text = report(repo, commits["base"], commits["new-warning"])
    assert text == """\
Related blocks
  - *Placement stability*: see also *Key worker* removed

New front matter problems
  - docs/outcomes/placement-stability.md:4: related: 'key-workers' is not the slug of any factor or outcome page. \
Did you mean 'key-worker'? Slugs are file names without .md. [related_not_found]

New broken links
  - Doc file 'index.md' contains a link 'methods.md', but the target is not found among documentation files.
  - on *Information sharing* (factors/information-sharing/): a link to ../../old-page/ leads nowhere"""


def test_a_head_that_does_not_build_is_reported_with_the_reason(history):
    repo, commits = history
    text = report(repo, commits["base"], commits["build-broken"])
    assert text == """\
The site does not build
  - the site at the head does not build: Abort: Aborted with a configuration error!

New build warnings
  - Config value 'plugins': Plugin 'evidence' option 'numbering': Expected one of: ('site', 'page') but received: 'by-chapter'"""


def test_a_page_moved_in_the_navigation_takes_its_notes_along(history):
    repo, commits = history
    assert report(repo, commits["base"], commits["page-moved-in-nav"]) == """\
Pages
  - *Information sharing* moved in the navigation: now after *Factors*

Endnotes
  - v–vi move down by two (now iii–iv), on *Information sharing*: *Information sharing* moved in the navigation
  - iii–iv move up by two (now v–vi), on *Key worker*: *Information sharing* moved in the navigation"""


def test_markdown_report_for_the_job_summary(history):
    repo, commits = history
    text = report(repo, commits["base"], commits["note-removed"], "--format", "markdown")
    assert text == """\
#### Endnotes

- vii moves down by one (now vi), on *Placement stability*: a note was removed from *Information sharing*
- removed: vi on *Information sharing*: Mallory, 2020.

#### Works and references

- no longer cited: `evil2020`: Mallory, E. (2020) \\<script\\>alert("x")\\</script\\> & friends."""


def test_working_tree_is_the_default_head_and_is_never_touched(history):
    repo, commits = history
    page = repo / "docs" / "factors" / "information-sharing.md"
    original = page.read_text()
    try:
        edit(page, "# Information sharing", "# Sharing information")
        before = git(repo, "status", "--porcelain")
        text = report(repo, commits["base"])
        assert text == ("Pages\n  - *Information sharing* has a new heading: *Information sharing* → *Sharing information* "
                        "(factors/information-sharing/)")
        assert git(repo, "status", "--porcelain") == before
        assert git(repo, "worktree", "list").count("\n") == 0, "the base's temporary worktree is removed"
        assert not (repo / "site").exists()
    finally:
        page.write_text(original)


def test_a_base_that_is_not_a_commit_is_an_error(history):
    repo, _ = history
    result = subprocess.run([sys.executable, str(SCRIPT), "no-such-branch"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 2
    assert re.search(r"'no-such-branch' is not a commit", result.stderr)


def test_the_example_in_contributing_is_the_real_report_on_the_review(tmp_path):
    """CONTRIBUTING.md shows the report for one realistic edit of the review: the same edit on a
    copy of the review gives the same text (if the review changed, run the edit and paste anew)."""
    repo = copy_review(tmp_path / "review")  # without the files zensical_prebuild.py leaves in docs/
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "The review")
    edit(repo / "docs" / "factors" / "joint-training.md", "the same processes and language.",
         "the same processes and language[@ceis2016].")
    edit(repo / "bib" / "references.bib", "{Multi-agency Working: A detailed study}", "{Multi-agency working: a detailed study}")
    guide = (REPO / "CONTRIBUTING.md").read_text()
    shown = re.search(r"`make changes` prints:\n\n```\n(.*?)\n```", guide, re.DOTALL).group(1)
    assert report(repo, "main") == shown.split("\n", 2)[2].strip()
