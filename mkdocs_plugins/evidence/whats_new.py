"""The What's new page and its Atom feed, from a `SiteHistory` (history.py).

One section per day: the pages changed (by title, linked), removed, and the works added, removed
or changed (linked to the References page). The feed (written by feedgen) has one entry per day
with the same text, its links absolute. Pure functions: links come from callables.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from .history import DayOfChanges, SiteHistory
from .render import esc

# src path (`guide/setup.md`) -> (title, href), or None when the page is gone
PageLink = Callable[[str], "tuple[str, str] | None"]
# BibTeX key -> (label, href), or None when the work is no longer in the library
WorkLink = Callable[[str], "tuple[str, str] | None"]


def long_date(day: dt.date, locale: str) -> str:
    """`27 November 2026` (en_GB), `27 Tachwedd 2026` (cy): Babel, as the date plugin uses."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale)


def _links(items: list[str], link: Callable[[str], "tuple[str, str] | None"]) -> str:
    parts = []
    for item in items:
        target = link(item)
        parts.append(f'<a href="{esc(target[1])}">{esc(target[0])}</a>' if target else f"<code>{esc(item)}</code>")
    return ", ".join(parts)


def day_body(change: DayOfChanges, strings: dict[str, str], page_link: PageLink, work_link: WorkLink) -> str:
    """The list of what changed that day (the section's and the feed entry's text)."""
    rows = []
    if change.first_version:
        rows.append(f"<li>{esc(strings['first_version'].format(pages=len(change.pages), works=len(change.works_added)))}</li>")
    else:
        for name, items, link in (
            ("pages_changed", change.pages, page_link),
            ("pages_removed", change.pages_removed, lambda _: None),
            ("works_added", change.works_added, work_link),
            ("works_changed", change.works_changed, work_link),
            ("works_removed", change.works_removed, lambda _: None),
        ):
            if items:
                rows.append(f"<li><strong>{esc(strings[name])}:</strong> {_links(items, link)}</li>")
    return "<ul>" + "".join(rows) + "</ul>"


def render_whats_new(history: SiteHistory, strings: dict[str, str], locale: str, page_link: PageLink,
                     work_link: WorkLink, feed_href: str | None) -> str:
    """The page's content: an introduction (with the feed's link) and one section per day."""
    out = []
    if feed_href:
        out.append(f'<p class="evidence-feed-link"><a href="{esc(feed_href)}" type="application/atom+xml">'
                   f"{esc(strings['feed'])}</a></p>")
    if not history.changes:
        out.append(f'<p class="evidence-no-history">{esc(strings["no_history"])}</p>')
    for change in history.changes:
        out.append(
            f'<section class="evidence-change">\n<h2 id="{change.anchor}"><time datetime="{change.anchor}">'
            f"{esc(long_date(change.day, locale))}</time>"
            f'<a class="headerlink" href="#{change.anchor}" title="Permanent link">&para;</a></h2>\n'
            f"{day_body(change, strings, page_link, work_link)}\n</section>"
        )
    return "\n".join(out)


def atom_feed(history: SiteHistory, strings: dict[str, str], locale: str, *, site_name: str, page_url: str,
              feed_url: str, author: str | None, page_link: PageLink, work_link: WorkLink) -> bytes:
    """The Atom feed: one entry per day, newest first; `page_url` and `feed_url` are absolute."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(page_url)
    feed.title(f"{site_name}: {strings['whats_new']}")
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.language(locale.replace("_", "-"))
    if author:
        feed.author({"name": author})
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    feed.updated(history.latest or epoch)  # no history: a fixed date keeps the build reproducible
    for change in reversed(history.changes):  # feedgen puts each new entry first
        entry = feed.add_entry()
        link = f"{page_url}#{change.anchor}"
        entry.id(link)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.title(strings["changes_of"].format(date=long_date(change.day, locale)))
        entry.updated(change.updated)
        entry.content(day_body(change, strings, page_link, work_link), type="html")
    return feed.atom_str(pretty=True)
