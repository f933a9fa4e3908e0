"""A living review: "Last updated" from git, What's new and its Atom feed, the version in "Cite
this page". Real git repositories made in tmp (the fixture site, committed over several days),
real builds, and the feed read by a real feed parser (feedparser).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urldefrag

import feedparser
import pytest
import yaml

from conftest import REPO, build_site, commit, copy_fixture_site, edit, git

SITE_URL = "https://example.org/review/"
TIME = re.compile(r'<time datetime="(\d{4}-\d\d-\d\d)">([^<]+)</time>')


NEW_WORK = """
@techreport{newwork2024,
  author      = {Newman, Ann},
  title       = {A new study},
  institution = {Somewhere},
  year        = {2024}
}
"""
OLD_WORK = """
@misc{oldwork2000,
  author = {Oldham, Bea},
  year   = {2000}
}
"""


@pytest.fixture
def history_project(tmp_path) -> Path:
    """The fixture site with the date plugin, What's new and the repository's "Last updated"
    template, committed on four days; HEAD tagged v1.0."""
    project = copy_fixture_site(tmp_path)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["site_url"] = SITE_URL
    config["site_author"] = "Fixture Centre"
    config["theme"]["custom_dir"] = "overrides"
    config["plugins"].insert(1, {"git-revision-date-localized": {"fallback_to_build_date": True, "strict": False}})
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "evidence" in plugin:
            plugin["evidence"].update(whats_new_page="whats-new.md", cite_this_page="atkinson2007")
    config["nav"].insert(-1, {"What's new": "whats-new.md"})
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (project / "overrides" / "partials").mkdir(parents=True)
    shutil.copy(REPO / "overrides" / "partials" / "source-file.html", project / "overrides" / "partials")
    bib = project / "bib" / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + OLD_WORK, encoding="utf-8")

    git(project, "init", "-q", "-b", "main")
    commit(project, "First version", "2024-01-10T09:00:00Z")
    edit(project / "docs" / "factors" / "key-worker.md", "The key worker prevents", "A key worker prevents")
    commit(project, "Key worker: wording", "2024-02-05T12:00:00Z")
    bib.write_text(bib.read_text(encoding="utf-8") + NEW_WORK, encoding="utf-8")
    page = project / "docs" / "outcomes" / "placement-stability.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new study agrees[@newwork2024].\n", encoding="utf-8")
    commit(project, "Cite a new study", "2024-03-01T10:00:00Z")
    edit(bib, OLD_WORK, "")
    edit(bib, "@misc{abbott2005b,\n  author = {Abbott, David and others},",
         "@misc{abbott2005b,\n  author = {Abbott, David and Watson, Debby and others},")
    commit(project, "Bib: drop an uncited entry, complete an author list", "2024-03-01T16:00:00Z")
    edit(project / "docs" / "index.md", "\n", "\n\n", )
    commit(project, "Home page", "2024-04-01T08:00:00Z")
    git(project, "tag", "v1.0")
    return project


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def last_updated(html: str) -> tuple[str, str]:
    aside = html.split('class="md-source-file reader-last-updated"', 1)
    assert len(aside) == 2, "no Last update line"
    match = TIME.search(aside[1])
    assert match, "no <time> in the Last update line"
    return match.group(1), match.group(2)


def site_target(site: Path, url: str) -> tuple[Path, str]:
    """An absolute URL of the site -> (its index.html, fragment); fails if it leaves the site."""
    assert url.startswith(SITE_URL), f"{url} is not on {SITE_URL}"
    path, fragment = urldefrag(url[len(SITE_URL):])
    file = site / path / "index.html" if not path or path.endswith("/") else site / path
    assert file.exists(), f"{url}: no such page in the site"
    return file, fragment


def test_last_updated_whats_new_and_feed_follow_the_git_history(history_project, caplog):
    site = build_site(history_project, strict=True)

    # Last updated: each page's own last commit; generated pages: the sources' last change.
    assert last_updated(page(site, "factors/key-worker")) == ("2024-02-05", "5 February 2024")
    assert last_updated(page(site, "outcomes/placement-stability"))[0] == "2024-03-01"
    assert last_updated(page(site, "factors/information-sharing"))[0] == "2024-01-10"
    assert last_updated(page(site, ""))[0] == "2024-04-01"
    for generated in ("references", "evidence-map", "figure-1", "whats-new"):
        assert last_updated(page(site, generated))[0] == "2024-04-01", generated

    # Cite this page names the version read: the page's date and the release tag at HEAD.
    assert "Last updated 5 February 2024; version v1.0." in page(site, "factors/key-worker")

    # What's new: one section per day, newest first, pages by title and linked, works linked.
    whats_new = page(site, "whats-new")
    days = re.findall(r'<h2 id="(\d{4}-\d\d-\d\d)">', whats_new)
    assert days == ["2024-04-01", "2024-03-01", "2024-02-05", "2024-01-10"]
    sections = dict(zip(days, whats_new.split('<section class="evidence-change">')[1:]))
    assert re.search(r'Pages changed:</strong> <a href="\.\./factors/key-worker/">Key worker</a></li>', sections["2024-02-05"])
    march = sections["2024-03-01"]
    assert re.search(r'Pages changed:</strong> <a href="\.\./outcomes/placement-stability/">[^<]+</a>', march)
    assert re.search(r'Works added:</strong> <a href="\.\./references/#ref-newwork2024">Newman, 2024</a>', march)
    assert re.search(r'Works whose details changed:</strong> <a href="\.\./references/#ref-abbott2005b">', march)
    assert re.search(r"Works removed:</strong> <code>oldwork2000</code>", march)
    assert "First version of the site: 5 pages and 10 works." in sections["2024-01-10"]
    assert "<h2" not in sections["2024-01-10"].split("</h2>", 1)[1]

    # The feed: valid Atom, same days newest first, every link a page (and anchor) of the site.
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.link == SITE_URL + "whats-new/"
    assert [entry.updated[:10] for entry in feed.entries] == days
    assert feed.entries[0].title == "Changes of 1 April 2024"
    for entry in feed.entries:
        file, fragment = site_target(site, entry.link)
        assert f'id="{fragment}"' in file.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+)"', entry.content[0].value):
            file, fragment = site_target(site, href)
            if fragment:
                assert f'id="{fragment}"' in file.read_text(encoding="utf-8"), href
    assert "Newman, 2024" in feed.entries[1].content[0].value

    # Every page's head advertises the feed.
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 8
    for html_file in pages:
        head = html_file.read_text(encoding="utf-8").split("</head>", 1)[0]
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
        assert links == [SITE_URL + "feed.xml"], html_file
    assert not [r for r in caplog.records if "falls back" in r.getMessage()]


def test_welsh_interface_dates_and_feed(history_project):
    config = yaml.safe_load((history_project / "mkdocs.yml").read_text())
    config["theme"]["language"] = "cy"
    (history_project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    site = build_site(history_project, strict=True)
    assert "Diweddariad olaf" in page(site, "factors/key-worker")
    assert last_updated(page(site, "factors/key-worker")) == ("2024-02-05", "5 Chwefror 2024")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.language == "cy"
    assert feed.entries[0].title == "Newidiadau 1 Ebrill 2024"


def test_a_page_not_yet_committed_builds_with_the_build_date_and_a_message(history_project, caplog):
    (history_project / "docs" / "draft.md").write_text("# Draft\n\nNot committed yet[@atkinson2005].\n")
    before = dt.datetime.now(dt.timezone.utc).date()
    site = build_site(history_project, strict=True)
    after = dt.datetime.now(dt.timezone.utc).date()
    day = dt.date.fromisoformat(last_updated(page(site, "draft"))[0])
    assert before <= day <= after
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.evidence"]
    assert any("falls back to the build date" in m and "docs/draft.md" in m and "Commit" in m for m in messages), messages
    assert last_updated(page(site, "factors/key-worker"))[0] == "2024-02-05"


def test_a_shallow_clone_builds_and_says_what_is_missing(history_project, tmp_path, caplog):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{history_project}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    site = build_site(clone, strict=True)
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.evidence"]
    assert any("shallow clone" in m and "fetch-depth: 0" in m for m in messages), messages
    # The oldest commit fetched is not shown as adding every page and work.
    days = re.findall(r'<h2 id="(\d{4}-\d\d-\d\d)">', page(site, "whats-new"))
    assert days == ["2024-04-01"]
    assert "First version" not in page(site, "whats-new")
    assert last_updated(page(site, "factors/key-worker"))[0] != ""


def test_a_copy_without_git_builds_with_the_build_date(history_project, tmp_path, caplog):
    copy = tmp_path / "tarball"
    shutil.copytree(history_project, copy, ignore=shutil.ignore_patterns(".git", "site"))
    today = dt.datetime.now(dt.timezone.utc).date()
    site = build_site(copy, strict=True)
    assert dt.date.fromisoformat(last_updated(page(site, "factors/key-worker"))[0]) >= today
    assert "No history is available for this build" in page(site, "whats-new")
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.evidence"]
    assert any("not in a git repository" in m and "build date" in m for m in messages), messages
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == []


def _build_project(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=project, env=env,
                          capture_output=True, text=True)


@pytest.mark.parametrize("kind", ["shallow clone", "copy without .git"])
def test_the_review_builds_from_a_shallow_clone_and_from_a_copy_without_git(kind, tmp_path):
    """The real project, as CI or a reader's download gets it: `mkdocs build --strict` passes,
    every page still shows a date, and the log says why dates fall back."""
    if not (REPO / ".git").exists():
        pytest.skip("the repository itself is not a git checkout")
    project = tmp_path / "project"
    if kind == "shallow clone":
        git(tmp_path, "clone", "-q", "--depth", "1", f"file://{REPO}", str(project))
    else:
        project.mkdir()
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(project)], input=archive, check=True)
    result = _build_project(project, "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "falls back to the build date" in result.stderr
    assert ("shallow clone" if kind == "shallow clone" else "not in a git repository") in result.stderr
    for html_file in (tmp_path / "site").rglob("index.html"):
        if html_file.parent.name in ("search", "assets"):
            continue
        assert TIME.search(html_file.read_text(encoding="utf-8").split("reader-last-updated", 1)[-1]), html_file


# --------------------------------------------------------------------------------------------
# The review itself, as `make site` builds it (English, and the Welsh interface in cy/)
# --------------------------------------------------------------------------------------------

def _review_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("index.html")) if not {"search", "assets"} & set(p.relative_to(site).parts)]


def _committed_date(source: Path) -> dt.date | None:
    """The date (UTC) of the last commit of an unmodified source file; None if it has changes."""
    if subprocess.run(["git", "status", "--porcelain", "--", str(source)], cwd=REPO, capture_output=True,
                      text=True).stdout.strip():
        return None
    stamp = subprocess.run(["git", "log", "-1", "--format=%at", "--", str(source)], cwd=REPO,
                           capture_output=True, text=True).stdout.strip()
    return dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc).date() if stamp else None


def test_every_review_page_shows_its_last_update_in_both_languages(review_site):
    from babel.dates import get_month_names

    if not (REPO / ".git").exists():
        pytest.skip("the repository itself is not a git checkout")
    welsh_months = set(get_month_names("wide", locale="cy").values())
    english_months = set(get_month_names("wide", locale="en_GB").values())
    pages = _review_pages(review_site)
    assert len(pages) > 40
    checked = 0
    for html_file in pages:
        rel = html_file.parent.relative_to(review_site).as_posix()
        welsh = rel == "cy" or rel.startswith("cy/")
        html = html_file.read_text(encoding="utf-8")
        iso, text = last_updated(html)
        assert ("Diweddariad olaf:" if welsh else "Last update:") in html.split("reader-last-updated", 1)[1][:200], rel
        day, month, year = text.split(" ", 2)
        assert month in (welsh_months if welsh else english_months), f"{rel}: {text}"
        assert dt.date.fromisoformat(iso) == dt.date(int(year), dt.date.fromisoformat(iso).month, int(day))
        stem = rel.removeprefix("cy").strip("/")
        sources = [REPO / "docs" / stem / "index.md", REPO / "docs" / f"{stem}.md"]
        source = next((s for s in sources if s.is_file()), None)
        if source is None:
            continue  # a generated page: its date is checked in the fixture tests
        expected = _committed_date(source)
        if expected is not None:
            assert iso == expected.isoformat(), f"{rel}: {iso}, but {source.relative_to(REPO)} was last committed on {expected}"
            checked += 1
    if checked == 0:  # every page edited and not committed: nothing to compare, say so
        assert subprocess.run(["git", "status", "--porcelain", "docs"], cwd=REPO, capture_output=True,
                              text=True).stdout.strip(), "no page's date was compared with git"
        pytest.skip("every page in docs/ has uncommitted changes: no committed date to compare")


def test_the_review_feed_is_valid_atom_linked_from_every_page(review_site):
    feed = feedparser.parse((review_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.entries
    site_url = feed.feed.link.removesuffix("whats-new/")
    for entry in feed.entries:
        path, fragment = urldefrag(entry.link.removeprefix(site_url))
        target = review_site / path / "index.html"
        assert entry.link.startswith(site_url) and target.exists(), entry.link
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), entry.link
    for html_file in _review_pages(review_site):
        head = html_file.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]+feed\.xml"', head), html_file


def test_tidying_the_bib_is_not_a_change_of_details():
    """bib_tidy re-aligns and re-orders fields: What's new must not call that a changed work;
    a changed value, an added or a removed field is one."""
    from mkdocs_plugins.evidence.bibtidy import tidy_text
    from mkdocs_plugins.evidence.history import _bib_entries

    before = ("% Section\n@article{b2020,\n  title = {T},\n  year = {2020},\n  author = {B, C}\n}\n\n"
              "% Next section\n@misc{a2019, author={A, B}, year={2019}}\n")
    tidied = tidy_text(before)
    assert tidied != before
    assert _bib_entries(tidied) == _bib_entries(before)
    assert _bib_entries(before.replace("{T}", "{T2}"))["b2020"] != _bib_entries(before)["b2020"]
    assert _bib_entries(before.replace("year = {2020},\n", ""))["b2020"] != _bib_entries(before)["b2020"]
    assert set(_bib_entries(before)) == {"a2019", "b2020"}
    # Entries the library reads are entries here too: a key on the next line, a byte-order mark.
    assert set(_bib_entries("\ufeff@misc{\n  c2021,\n title={X}}\n" + before)) == {"a2019", "b2020", "c2021"}
