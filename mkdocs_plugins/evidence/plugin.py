"""The MkDocs adapter: each event hands MkDocs' objects to the site assembly (assembly.py)."""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import logging
import os
from html import escape as escape_html
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import AnchorLink

from .assembly import LastCommit, PageAddress, SiteAssembly, SiteError, SourcePage
from .config import EvidenceConfig
from .final_pages import DEFERRED, placed
from .options import Options
from .pages import has_markup
from .sitewide import EXTENSION_NAMES

log = logging.getLogger("mkdocs.plugins.evidence")
# What mkdocs-git-revision-date-localized-plugin puts in page.meta: a page's last commit.
DATE_META = "git_revision_date_localized"
# Front matter naming the page another one stands for (its source path, e.g. `index.md`): a view
# of other pages, such as the whole-review print view, gives that page as its canonical address.
CANONICAL_META = "canonical"


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def on_config(self, config):
        # Everything is rebuilt from scratch on each build (serve included).
        self.root = Path(config.config_file_path or ".").resolve().parent
        try:
            self.site = SiteAssembly(Options.from_mapping(self.config), self.root,
                                     theme_language=config.theme.get("language"), site_url=config.site_url,
                                     config_name=os.path.basename(config.config_file_path or "mkdocs.yml"),
                                     docs_dir=Path(config.docs_dir), site_name=config.site_name or "",
                                     site_author=config.site_author, repo_url=config.repo_url)
        except SiteError as error:
            raise PluginError(str(error)) from error
        self.bib_paths = self.site.bib_paths  # watched by `mkdocs serve` (on_serve, after the build)
        if self.site.site_url:  # this interface's folder under site_url (option `interfaces`)
            config.site_url = self.site.site_url
        for message in self.site.messages:
            log.info(message)
        for message in self.site.warnings:  # counted by --strict: the user should act on it
            log.warning(message)
        self.search_content: dict[str, str] = {}
        self.full_content: dict[str, str] = {}
        self.unwritten = None  # set in on_post_page, written by _write_deferred
        # The standalone extension, listed in mkdocs.yml for Zensical, would resolve citations a
        # second time: here the plugin does that work.
        config.markdown_extensions[:] = [name for name in config.markdown_extensions if name not in EXTENSION_NAMES]
        config.markdown_extensions.append(self.site.markdown_extension)
        for uri in self.site.extra_css:
            if uri not in map(str, config.extra_css):  # listed in mkdocs.yml too, for Zensical
                config.extra_css.append(uri)
        for uri in self.site.extra_javascript:
            if uri not in map(str, config.extra_javascript):
                config.extra_javascript.append(uri)
        return config

    def on_files(self, files, config):
        # Front matter of every page is checked before anything renders.
        pages = [SourcePage(file.src_uri, self._display_path(file), file.content_string)
                 for file in files.documentation_pages()]
        try:
            added = self.site.read_pages(pages, {file.src_uri for file in files})
        except SiteError as error:
            raise PluginError(str(error)) from error
        self.filled_later = []
        for output in added:
            existing = files.get_file_from_path(output.uri)
            if existing is not None:  # a stub page, or a file the Zensical pre-build step wrote
                files.remove(existing)
            inclusion = InclusionLevel.UNDEFINED if output.in_nav else InclusionLevel.NOT_IN_NAV
            if output.source is not None:  # copied by MkDocs, no text in memory
                file = File.generated(config, output.uri, abs_src_path=str(output.source), inclusion=inclusion)
            elif output.filled_later:  # written into site_dir in on_env; MkDocs does not copy a file
                file = File.generated(config, output.uri, abs_src_path=config.site_dir, inclusion=inclusion)
                file.abs_src_path = file.abs_dest_path  # onto itself (it passes over the SameFileError)
            else:
                file = File.generated(config, output.uri, content=output.content, inclusion=inclusion)
            files.append(file)
            if output.filled_later:  # its text is known in on_env
                self.filled_later.append((output, file))
        return files

    @event_priority(-100)  # after other plugins have rearranged the nav
    def on_nav(self, nav, config, files):
        self.site.nav_order = [page.file.src_uri for page in nav.pages]
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        title = page.meta.get("title")
        if isinstance(title, str) and has_markup(title):  # reported in on_files; never run it
            page.meta["title"] = escape_html(title)
        raw = page.file.content_string if not page.file.generated_by else markdown
        return self.site.page_markdown(self._display_path(page.file), raw, markdown, page.file.src_uri)

    def on_page_content(self, html, page, config, files):
        headings = self.site.page_html(page.file.src_uri, self._display_path(page.file), html,
                                       page.title or "", page.url)
        # Headings written in on_env, in the TOC now: under the page's single H1 if it has one.
        items = page.toc.items
        parent = items[0].children if len(items) == 1 and items[0].level == 1 else items
        parent.extend(AnchorLink(title, anchor, 2) for title, anchor in headings)
        return html

    def on_env(self, env, config, files):
        pages = {file.src_uri: file.page for file in files.documentation_pages() if file.page is not None}

        urls = {file.src_uri: file.url for file in files}  # links look up a few pages thousands of times

        def url_of(src_uri):
            if src_uri in urls:
                return urls[src_uri]
            file = files.get_file_from_path(src_uri)  # a path written another way (`a/./b.md`)
            return file.url if file is not None else None

        # Last updated: the date plugin's commit for each page, written by the assembly.
        commits = {
            src_uri: LastCommit(dt.date.fromisoformat(page.meta[f"{DATE_META}_raw_iso_date"]),
                                committed=bool(page.meta.get(f"{DATE_META}_hash")),
                                generated=bool(page.file.generated_by), display_path=self._display_path(page.file))
            for src_uri, page in pages.items() if f"{DATE_META}_raw_iso_date" in page.meta
        }
        shown, messages = self.site.last_updated(commits)
        for message in messages:
            log.info(message)
        for src_uri, (text, iso) in shown.items():  # overrides/partials/source-file.html shows them
            pages[src_uri].meta["last_updated"] = text
            pages[src_uri].meta["last_updated_iso"] = iso

        # Checked here, before any page is written: a wrong `canonical:` must not leave half a site.
        self.canonicals = {src_uri: self._canonical(page, files) for src_uri, page in pages.items()
                           if page.meta.get(CANONICAL_META)}
        self.pending = {}  # pages whose final HTML is written just before MkDocs writes them
        stands_for = frozenset(uri for uri, url in self.canonicals.items() if url != pages[uri].url)
        linked = _linked_anchors(pages.values())
        for src_uri, anchor_ids in self.site.prepare(pages, url_of, stands_for).items():
            page = self.pending[src_uri] = pages[src_uri]
            if page.present_anchor_ids is None:
                continue
            if linked is None:  # this MkDocs keeps its links elsewhere: every id, as it may check any
                page.present_anchor_ids.update(anchor_ids)
            elif src_uri in linked:
                page.present_anchor_ids.update(anchor_ids & linked[src_uri])
        # A plugin or hook handling on_env after this one may read any page's final HTML: write
        # them all now. Otherwise each page is written as MkDocs writes it (on_page_context), so
        # a site of 1,000 pages never holds every page's final HTML at once (BENCHMARK.md, scale).
        events = _handlers(config)
        self.one_at_a_time = events is not None and events["env"][-1] == self.on_env
        # And when nothing reads the final page after this plugin (no other on_post_page, no other
        # on_page_context once the full page is back, no on_post_build before this plugin's), the
        # evidence map (at 1,000 pages 10 MB a copy) is left in parts: the theme renders the page
        # around a marker, and the file is written again with the parts in place (_write_deferred).
        self.defer = self.one_at_a_time and (
            events["post_page"] == [self.on_post_page]
            and events["page_context"][-2:] == [self._restore_full_page, self._page_head]
            and events["post_build"][0] == self.on_post_build)
        self.deferred = {}
        self.unwritten = None  # a page MkDocs wrote around the marker, to write again whole
        if not self.one_at_a_time:
            for page in list(self.pending.values()):
                self._write_final(page)

        problems = self.site.problems
        for problem in problems:
            log.warning(str(problem))
        if problems and config.strict:
            raise PluginError(
                f"{len(problems)} citation problem(s) listed above; nothing was written. "
                "Fix them and build again."
            )
        # The map JSON, the feed and the entries files go straight into site_dir, each made and let
        # go in turn (at 10,000 works the entries files are 11 MB: never all held at once).
        for output, file in self.filled_later:
            os.makedirs(os.path.dirname(file.abs_dest_path), exist_ok=True)
            with open(file.abs_dest_path, "w", encoding="utf-8") as out:
                out.write(output.text())
            output.content = output.make = None
        self.filled_later = []
        return env

    def _write_final(self, page):
        final = self.site.final_page(page.file.src_uri, page, defer=self.defer)
        del self.pending[page.file.src_uri]
        page.content = final.content
        if final.parts is not None:
            self.deferred[page.file.src_uri] = final.parts
        self.search_content[page.file.src_uri] = final.search_content

    @event_priority(200)  # the page about to be written: its final HTML, before any plugin reads it
    def _final_page(self, context, page, config, nav):
        self._write_deferred()
        if page.file.src_uri in self.pending:
            self._write_final(page)
        return context

    @event_priority(100)  # before Material's search plugin reads page.content
    def _give_search_the_text(self, context, page, config, nav):
        self.full_content[page.file.src_uri] = page.content
        page.content = self.search_content.pop(page.file.src_uri, page.content)
        return context

    @event_priority(-100)  # after search: the page is rendered with everything
    def _restore_full_page(self, context, page, config, nav):
        page.content = self.full_content.pop(page.file.src_uri, page.content)
        return context

    @event_priority(-110)  # the final page: its first sentence and the works it cites
    def _page_head(self, context, page, config, nav):
        address = PageAddress(page.file.src_uri, page.title or "", page.url, is_home=page.is_homepage,
                              robots=str(page.meta.get("robots") or ""),
                              date_modified=str(page.meta.get("last_updated_iso") or ""),  # the date the page shows
                              canonical=self.canonicals.get(page.file.src_uri))
        context["evidence_head"] = self.site.page_head(address, page.content or "")  # overrides/main.html
        return context

    on_page_context = CombinedEvent(_final_page, _give_search_the_text, _restore_full_page, _page_head)

    def _canonical(self, page, files) -> str:
        """The URL of the page front matter `canonical:` names."""
        target = page.meta.get(CANONICAL_META)
        file = files.get_file_from_path(str(target))
        if file is None or not file.is_documentation_page():
            raise PluginError(f"{self._display_path(page.file)}: canonical: '{target}' is not a page of this site. "
                              "Give the source path of the page this one stands for, as in canonical: index.md")
        return file.page.url if file.page is not None else file.url  # the home page's is "", not "./"

    @event_priority(float("-inf"))  # the last on_post_page, whatever the others' priorities: each
    def on_post_page(self, output, page, config):  # of them may still read page.content
        if self.one_at_a_time:  # its final HTML goes now, before the copy below (the evidence map
            page.content = None  # of 1,000 pages: 10 MB a copy), not when the next page starts
        # Every page's head advertises the feed, so a feed reader finds it from any page. Added
        # here, not with the head's metadata, because that needs overrides/main.html: the feed
        # link works in any theme (tests/test_history.py builds without the override).
        parts = self.deferred.pop(page.file.src_uri, None)
        feed = self.site.feed_url()
        if feed is not None:
            title = escape_html(f"{config.site_name}: {self.site.strings['whats_new']}")
            link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{escape_html(feed)}">'
            output = output.replace("</head>", link + "\n</head>", 1)
        if parts is None:
            return output
        if output.count(DEFERRED) != 1:  # a theme showing page.content twice, or not at all
            return placed(output, DEFERRED, parts)
        # MkDocs writes the page around the marker; it is written again, whole, a part at a time,
        # when the next page starts or the build ends (MkDocs encodes a page whole: at 1,000 pages
        # the map's 10 MB of str would need 15 MB more for the encoder's buffer).
        self.unwritten = (page.file.abs_dest_path, output, parts)
        return output

    def _write_deferred(self):
        """The page MkDocs last wrote around the marker, written again with its parts in place."""
        if self.unwritten is None:
            return
        path, output, parts = self.unwritten
        self.unwritten = None
        before, _, after = output.partition(DEFERRED)
        with open(path, "wb") as out:  # as MkDocs writes a page (utils.write_file)
            for text in (before, *parts, after):
                out.write(text.encode("utf-8", errors="xmlcharrefreplace"))

    @event_priority(100)  # before Material's search writes its index, the peak of a large build
    def on_post_build(self, config):
        self._write_deferred()
        # Every page is written: the site's state goes (at 10,000 works the library, citations,
        # graph and citing places are 20 MB), and with it the cycles between its parts.
        self.site = self.pending = self.canonicals = self.deferred = None
        gc.collect()
        _give_back_free_heap()

    def on_startup(self, command, dirty):
        if dirty:
            log.info("evidence: --dirty renders only changed pages, so endnote numbers on other pages "
                     "may be stale; site-wide numbering needs a full build (plain `mkdocs serve`).")

    def on_serve(self, server, config, builder):
        # The folders holding the .bib files (bib/), so an edited or added library rebuilds the site.
        for folder in sorted({path.parent for path in self.bib_paths if path.parent.exists()}):
            server.watch(str(folder))
        return server

    def _display_path(self, file) -> str:
        if file.abs_src_path is None:
            return f"(generated) {file.src_uri}"
        return os.path.relpath(file.abs_src_path, self.root)


def _handlers(config) -> dict | None:
    """The handlers of each event, in the order MkDocs calls them; None when this MkDocs keeps them
    elsewhere. `PluginCollection.events` is not a documented API: without it every page's final
    HTML is written in on_env and the map placed whole, the way that needs no knowledge of the
    other plugins (the same site, more memory at 1,000 pages)."""
    events = getattr(config.plugins, "events", None)
    wanted = ("env", "page_context", "post_page", "post_build")
    if not isinstance(events, dict) or not all(isinstance(events.get(name), list) and events[name] for name in wanted):
        return None
    return events


def _linked_anchors(pages) -> dict[str, set[str]] | None:
    """src_uri -> the anchors that the pages' Markdown links point to there (`page.md#id`).

    MkDocs reads a page's `present_anchor_ids` only to check those links (validate_anchor_links,
    after every page is written), and it knows them all once the pages are rendered: of the ids
    the plugin writes (endnotes, references, headings), only the ones a link names need be added.
    At 10,000 works the rest are 4 MB held to the end of the build for no check."""
    linked: dict[str, set[str]] = {}
    for page in pages:
        if not hasattr(page, "links_to_anchors"):  # not a documented API: None, add every id
            return None
        for target, anchors in (page.links_to_anchors or {}).items():
            linked.setdefault(target.src_uri, set()).update(anchors)
    return linked


def _give_back_free_heap() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim; elsewhere nothing).

    The site's state, let go just before, leaves free memory between blocks still in use, which
    glibc keeps for the process; Material's search then serialises its index into new memory
    (at 10,000 works +10 MB over the level of the pages, the build's peak)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl, Windows)
        return
    trim(0)
