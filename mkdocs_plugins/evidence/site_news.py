"""What a build tells readers of the site's history: What's new, its Atom feed, each page's
"Last updated" date, and the version "Cite this page" names.

Git is read once (history.py) and only when the site has a What's new page; the HTML and the feed
are written by whats_new.py. No MkDocs: dates of pages arrive as `LastCommit`s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .history import read_history
from .registry import relative_url
from .whats_new import atom_feed, long_date, render_whats_new


@dataclass
class LastCommit:
    """What git says of a page (mkdocs-git-revision-date-localized-plugin reads it in MkDocs)."""

    day: dt.date  # of its last commit; the build date when it has none
    committed: bool  # False: no commit yet (or no repository): `day` is the build date
    generated: bool  # made by the build (References, print view...), not a file in git
    display_path: str


class SiteNews:
    """The history of one build's sources, and what it shows. `registry` (pages' titles and URLs),
    `library` and `work_text(key)` name the pages and works a day changed."""

    def __init__(self, options, root: Path, docs_dir: Path, bib_paths: list[Path], strings: dict[str, str], *,
                 site_url: str | None, site_name: str, site_author: str | None, registry, library,
                 work_text: Callable[[str], str]):
        self.options, self.strings = options, strings
        self.site_url, self.site_name, self.site_author = site_url, site_name, site_author
        self.registry, self.library, self.work_text = registry, library, work_text
        self.messages: list[str] = []  # said at INFO
        self.last_updated_text: dict[str, str] = {}
        self.history = None
        self.feed_uri = None
        if options.whats_new_page:  # git is read only for What's new (and the version it names)
            self.history = read_history(root, docs_dir, bib_paths, options.whats_new_days)
            if self.history.notice:
                self.messages.append(f"evidence: last updated falls back to the build date: {self.history.notice}")
            if site_url:
                self.feed_uri = options.feed
            else:
                self.messages.append("evidence: no site_url, so no Atom feed of What's new (a feed needs absolute addresses).")

    def last_updated(self, commits: dict[str, LastCommit]) -> tuple[dict[str, tuple[str, str]], list[str]]:
        """src_uri -> (`27 November 2026` in the site's language, `2026-11-27`): the date each page
        shows. Pages the build generates take the date the sources last changed (not the build's).
        Also the messages to give (at INFO): the pages with no commit yet, dated the build's day."""
        latest = self.history.latest if self.history is not None else None
        locale = self.strings["date_locale"]
        shown, uncommitted = {}, []
        for src_uri, commit in commits.items():
            day = commit.day
            if commit.generated and latest is not None:
                day = latest.date()
            elif not commit.generated and not commit.committed:
                uncommitted.append(commit.display_path)
            shown[src_uri] = (long_date(day, locale), day.isoformat())
            self.last_updated_text[src_uri] = shown[src_uri][0]
        messages = []
        if uncommitted and self.history is not None and self.history.commit:  # no repository: said once
            messages.append(
                f"evidence: last updated falls back to the build date for {len(uncommitted)} page(s) with no "
                f"commit yet: {', '.join(uncommitted)}. Commit them for their date from git.")
        return shown, messages

    def feed_url(self) -> str | None:
        """The feed's absolute address (for every page's head), or None without a feed."""
        return self.site_url.rstrip("/") + "/" + self.feed_uri if self.feed_uri else None

    def version_read(self, src_uri: str) -> str | None:
        """`Last updated 27 November 2026; version v1.2.` for "Cite this page" (None without history)."""
        if self.history is None:
            return None
        date, version, strings = self.last_updated_text.get(src_uri), self.history.version, self.strings
        if date and version:
            return strings["version_read"].format(date=date, version=version)
        if version:
            return strings["version_only"].format(version=version)
        return strings["updated_only"].format(date=date) if date else None

    def headings(self) -> list[tuple[str, str]]:
        """(title, id) of each day's heading on the What's new page."""
        locale = self.strings["date_locale"]
        return [(long_date(change.day, locale), change.anchor) for change in self.history.changes]

    def _page_link(self, url_of, base_url: str | None, site_url: str = ""):
        """src path -> (title, URL): relative to `base_url`, or under `site_url` when it is None."""
        def link(src_uri: str):
            url, record = url_of(src_uri), self.registry.pages.get(src_uri)
            if url is None or record is None:
                return None
            return (record.title or src_uri, relative_url(url, base_url) if base_url is not None else site_url + url)
        return link

    def _work_link(self, references_href: str):
        def link(key: str):
            work = self.library.get(key)
            return (self.work_text(key), f"{references_href}#ref-{work.key}") if work else None
        return link

    def html(self, url_of, base_url: str, references_href: str) -> str:
        """The What's new page's list of days, its links relative to `base_url`."""
        feed = relative_url(self.feed_uri, base_url) if self.feed_uri else None
        return render_whats_new(self.history, self.strings, self.strings["date_locale"],
                                self._page_link(url_of, base_url), self._work_link(references_href), feed)

    def feed(self, url_of) -> bytes:
        """The Atom feed (absolute links)."""
        site_url = self.site_url.rstrip("/") + "/"
        return atom_feed(
            self.history, self.strings, self.strings["date_locale"], site_name=self.site_name,
            page_url=site_url + url_of(self.options.whats_new_page), feed_url=self.feed_url(),
            author=self.site_author, page_link=self._page_link(url_of, None, site_url),
            work_link=self._work_link(site_url + url_of(self.options.references_page)))
