"""The MkDocs adapter: options and hooks that delegate to the core modules."""

from __future__ import annotations

import functools
from html import escape as escape_html
import json
import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink

from . import __version__, compat
from .bibliography import Library, load_library, read_sources
from .cache import LibraryCache, cache_key
from .config import EvidenceConfig
from .exports import SiteExports
from .markdown_ext import CitationExtension, PageCollector
from .graph import EvidenceGraph
from .pages import GROUPS, PageMeta, check_related, has_markup, read_page_meta
from .problems import ProblemList
from .registry import EndnoteRegistry, PageRecord, check_keys, relative_url
from .render import render_notes_section, render_references, resolve_citations, with_sources_line
from .render_graph import render_evidence_map, render_figure, render_index, render_related
from .strings import strings_for

log = logging.getLogger("mkdocs.plugins.evidence")

REFERENCES_PLACEHOLDER = "<!-- evidence:references -->"
# Markers an editor (or a generated page) puts in markdown; replaced once citations are known.
FACTOR_INDEX = "<!-- evidence:factor-index -->"
OUTCOME_INDEX = "<!-- evidence:outcome-index -->"
EVIDENCE_MAP = "<!-- evidence:map -->"
FIGURE_1 = "<!-- evidence:figure-1 -->"
CSS_URI = "assets/evidence.css"
JS_URI = "assets/evidence.js"  # per-entry downloads under the references (exports)
MAP_JSON_URI = "evidence-map.json"
ASSETS = Path(__file__).parent / "assets"


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def on_config(self, config):
        # Everything is rebuilt from scratch on each build (serve included).
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.problems = ProblemList()
        self.registry = EndnoteRegistry()
        self.work_texts: dict[str, str] = {}
        self.nav_order: list[str] = []
        self.strings = strings_for(self.config.language or config.theme.get("language"))
        # bib_files, bib_file, bib_dir (mkdocs-bibtex's options too; compat.py)
        self.bib_paths = compat.bib_paths_from_options(self.config, self.root)
        for message in compat.option_messages(self.config):
            log.info(message)
        self.library = self._load_library()
        self.collector = PageCollector()
        self.metas: dict[str, PageMeta] = {}
        self.search_content: dict[str, str] = {}
        self.full_content: dict[str, str] = {}
        config.markdown_extensions.append(
            CitationExtension(self.collector, narrative=compat.narrative_enabled(self.config)))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if self.config.exports and JS_URI not in config.extra_javascript:
            config.extra_javascript.append(JS_URI)
        return config

    def _load_library(self) -> Library:
        """The library from the content-keyed cache, or parsed with pybtex on a miss."""
        sources, problems = read_sources(self.bib_paths, self.root)
        self.problems.extend(problems)
        self.sources = sources
        self.cache = LibraryCache(self.root / self.config.cache_dir if self.config.cache else None)
        self.cache_key = cache_key(sources, version=__version__, language="en",
                                   unverified_marker=self.config.unverified_marker)
        cached = self.cache.load(self.cache_key)
        if cached is not None:
            library, self.bib_problems = cached
            self.cache_stale = False
        else:
            self.bib_problems = ProblemList()
            library = load_library(sources, self.bib_problems, unverified_marker=self.config.unverified_marker)
            self.cache_stale = True
        self.problems.extend(self.bib_problems)
        return library

    def _format_references(self, works) -> None:
        """Format, once, the works about to be shown that the cache did not already hold."""
        missing = [work for work in works if not work.reference_html]
        if not missing:
            return
        from .harvard import format_references  # imports pybtex: only on a cache miss

        if self.library.bib_data is None:
            self.library.bib_data = load_library(self.sources, ProblemList(),
                                                 unverified_marker=self.config.unverified_marker).bib_data
        format_references(missing, self.library.bib_data.entries)
        self.cache_stale = True

    def on_files(self, files, config):
        # Front matter of every page is checked before anything renders.
        texts = {}
        for file in files.documentation_pages():
            texts[file.src_uri] = file.content_string
            self.metas[file.src_uri] = read_page_meta(file.src_uri, self._display_path(file), texts[file.src_uri], self.problems)
        check_related(list(self.metas.values()), self.problems, texts)
        generated = {
            self.config.references_page: f"# {self.strings['references']}\n\n{self.strings['references_intro']}\n\n{REFERENCES_PLACEHOLDER}\n",
            # A wide table: Material's hide: toc gives it the page's full width.
            self.config.evidence_map_page: f"---\nhide: [toc]\n---\n# {self.strings['evidence_map']}\n\n{self.config.evidence_map_intro}\n\n{EVIDENCE_MAP}\n",
            self.config.figure_page: f"# {self.strings['figure_caption'].split(': ', 1)[-1]}\n\n{FIGURE_1}\n",
        }
        if any(compat.holds_command(text, self.config.full_bib_command) for text in texts.values()):
            self.config.include_uncited = True  # mkdocs-bibtex's \full_bibliography lists every entry
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                if uri == self.config.references_page and compat.holds_command(
                        texts.get(uri, ""), self.config.full_bib_command):
                    continue  # mkdocs-bibtex style: the page holding \full_bibliography is the References page
                raise PluginError(
                    f"docs/{uri} exists, but the evidence plugin generates a page there. "
                    "Delete it, or set the plugin option naming that page to another path."
                )
            files.append(File.generated(config, uri, content=content))
            self.metas[uri] = PageMeta(uri, f"(generated) {uri}")
        files.append(File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "evidence.css")))
        if self.config.exports:
            files.append(File.generated(config, JS_URI, abs_src_path=str(ASSETS / "evidence.js")))
        # Filled in on_env, before MkDocs copies static files; declared now so links to it validate.
        self.map_json = File.generated(config, MAP_JSON_URI, content="{}")
        files.append(self.map_json)
        self.site_exports = SiteExports(
            self.library, self.sources, self.strings, references_page=self.config.references_page,
            review_key=self.config.cite_this_page, site_url=config.site_url, problems=self.problems,
            cache_dir=self.cache.directory, cache_key=self.cache_key)
        if self.config.exports:
            for uri, file in self.site_exports.files().items():
                if isinstance(file, Path):  # the cached copy: MkDocs copies it, no text in memory
                    files.append(File.generated(config, uri, abs_src_path=str(file)))
                else:
                    files.append(File.generated(config, uri, content=file))
        return files

    @event_priority(-100)  # after other plugins have rearranged the nav
    def on_nav(self, nav, config, files):
        self.nav_order = [page.file.src_uri for page in nav.pages]
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        title = page.meta.get("title")
        if isinstance(title, str) and has_markup(title):  # reported in on_files; never run it
            page.meta["title"] = escape_html(title)
        raw = page.file.content_string if not page.file.generated_by else markdown
        offset = raw[: len(raw) - len(markdown)].count("\n") if raw.endswith(markdown) else 0
        self.collector.start(self._display_path(page.file), markdown, offset)
        return compat.replace_commands(markdown, self.config.bib_command, self.config.full_bib_command,
                                       full_marker=REFERENCES_PLACEHOLDER)

    def on_page_content(self, html, page, config, files):
        collector = self.collector
        path = self._display_path(page.file)
        for kind, line, message in collector.errors:
            self.problems.add(kind, path, line, message)
        # Text order on the page is the order placeholders appear in the HTML.
        by_placeholder = collector.placed_groups(html)
        for group in by_placeholder.values():
            check_keys(group, self.library, path, self.problems)
        meta = self.metas.get(page.file.src_uri)
        record = PageRecord(page.file.src_uri, path, by_placeholder, title=page.title or "",
                            url=page.url, kind=meta.kind if meta else "section")
        self.registry.record(record)
        self._extend_toc(page, html, meta, has_notes=bool(record.notes))
        return html

    def _extend_toc(self, page, html, meta, has_notes):
        """Headings the plugin will write in on_env, added to the TOC now, in page order."""
        items = page.toc.items
        # Under the page's single H1 if it has one (Material shows the H1's children).
        parent = items[0].children if len(items) == 1 and items[0].level == 1 else items
        if FACTOR_INDEX in html:
            parent.extend(AnchorLink(heading, group, 2) for group, heading in GROUPS.items())
        if meta is not None and meta.is_evidence_page:
            parent.append(AnchorLink(self.strings["related"], "related", 2))
        if has_notes:
            parent.append(AnchorLink(self.strings["notes"], "notes", 2))

    def on_env(self, env, config, files):
        self.registry.number(self.nav_order, self.config.numbering, self.config.numerals)
        places = self.registry.citing_places(self.nav_order)
        references_url = files.get_file_from_path(self.config.references_page).url
        graph = self._graph(files)
        self._format_references(self._listed_works(places))
        if self.cache_stale:
            self.cache.save(self.cache_key, self.library, self.bib_problems)

        evidence_pages = {meta.src_uri for meta in graph.pages}
        for file in files.documentation_pages():
            page = file.page
            record = self.registry.pages.get(file.src_uri)
            if page is None or record is None:
                continue
            page.content = self._final_content(file, page, record, places, graph, references_url, files)
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.update(self._anchor_ids(record, file.src_uri in evidence_pages))

        urls = {uri: record.url for uri, record in self.registry.pages.items()}
        data = graph.to_json(lambda uri: urls.get(uri, ""))
        # Compact: with indent, json uses its pure-Python encoder (50 ms at 200 pages).
        self.map_json.content_string = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

        for problem in self.problems:
            log.warning(str(problem))
        if self.problems and config.strict:
            raise PluginError(
                f"{len(self.problems)} citation problem(s) listed above; nothing was written. "
                "Fix them and build again."
            )
        return env

    def _graph(self, files) -> EvidenceGraph:
        """Evidence pages in reading order, each with the works its citations name."""
        order = {uri: i for i, uri in enumerate(self.nav_order)}
        pages = sorted((m for m in self.metas.values() if m.is_evidence_page),
                       key=lambda m: (order.get(m.src_uri, len(order)), m.src_uri))
        for meta in pages:
            file = files.get_file_from_path(meta.src_uri)
            if file is not None and file.page is not None and file.page.title:
                meta.title = file.page.title
        works = {
            uri: {key.lower() for group in record.groups for key in group.keys if self.library.get(key)}
            for uri, record in self.registry.pages.items()
        }
        return EvidenceGraph(pages, works)

    def _final_content(self, file, page, record, places, graph, references_url, files) -> str:
        base = page.url

        @functools.lru_cache(maxsize=None)  # index, map and Related blocks name the same pages often
        def link(target: str) -> str:
            path, _, fragment = target.partition("#")
            target_file = files.get_file_from_path(path)
            url = target_file.url if target_file is not None else path
            return relative_url(url + (f"#{fragment}" if fragment else ""), base)

        references = relative_url(references_url, base)  # once per page, not per link

        def work_link(key: str) -> str:
            return f"{references}#ref-{self.library.get(key).key}"

        work_text = self._work_text

        generated = {
            FACTOR_INDEX: lambda: render_index(graph.factors, graph, self.strings, link, grouped=True),
            OUTCOME_INDEX: lambda: render_index(graph.outcomes, graph, self.strings, link, grouped=False),
            EVIDENCE_MAP: lambda: render_evidence_map(graph, self.strings, link, work_link, work_text,
                                                      self.config.evidence_map_table_limit),
            FIGURE_1: lambda: render_figure(graph, self.strings, link, self.config.figure_working_page,
                                            self.config.figure_prevention_page),
            REFERENCES_PLACEHOLDER: lambda: self._references_html(places, base),
        }
        searchable = {EVIDENCE_MAP: lambda: "", REFERENCES_PLACEHOLDER: lambda: self._references_html(places, base, cited_in=False)}
        content, search_content = resolve_citations(page.content, record.by_placeholder, self.library,
                                                    self.strings, work_link)
        for marker, render in generated.items():
            if marker in content:
                html = render()
                content = content.replace(marker, html)
                search_content = search_content.replace(marker, searchable[marker]() if marker in searchable else html)
                del html  # the References page is tens of MB at 10,000 works: one copy at a time
        meta = self.metas.get(file.src_uri)
        if meta is not None and meta.is_evidence_page:
            content += "\n" + render_related(meta, graph, self.strings, link, work_link, work_text,
                                              self.config.related_limit)
        notes = render_notes_section(record.notes, self.library, self.strings, work_link) if record.notes else ""
        content = compat.place_notes(content, notes)  # where \bibliography stood, else at the end
        if self.config.exports:  # "Cite this page" (not searched)
            content += self.site_exports.cite_this_page(page.title or "", page.url)
        # Search indexes the text without notes, numerals and link lists (see on_page_context),
        # plus one line naming the studies the page cites, so an author's name finds the page.
        self.search_content[file.src_uri] = with_sources_line(search_content, record, self.library, self.strings)
        return content

    @event_priority(100)  # before Material's search plugin reads page.content
    def _give_search_the_text(self, context, page, config, nav):
        self.full_content[page.file.src_uri] = page.content
        page.content = self.search_content.pop(page.file.src_uri, page.content)
        return context

    @event_priority(-100)  # after search: the page is rendered with everything
    def _restore_full_page(self, context, page, config, nav):
        page.content = self.full_content.pop(page.file.src_uri, page.content)
        return context

    on_page_context = CombinedEvent(_give_search_the_text, _restore_full_page)

    def _work_text(self, key: str) -> str:
        """`Abbott et al., 2005a`: the same for every page, so made once per work."""
        if key not in self.work_texts:
            work = self.library.get(key)
            self.work_texts[key] = f"{work.label}, {work.year_text(self.strings['no_date'])}"
        return self.work_texts[key]

    def _listed_works(self, places):
        """Works on the References page: the cited ones, or all with include_uncited."""
        return [
            work for work in self.library.works.values()
            if self.config.include_uncited or work.key.lower() in places
        ]

    def _references_html(self, places, base_url, cited_in=True):
        works = self._listed_works(places)

        page_urls = {}  # each citing page's URL relative to this one, computed once

        def link_to_place(place):
            url = page_urls.get(place.page.url)
            if url is None:
                url = page_urls[place.page.url] = relative_url(place.page.url, base_url)
            return f"{url}#{place.group.anchor}"

        # The exports go under each reference on the page, not in the text given to search.
        per_entry = self.config.exports and cited_in and len(works) <= self.config.entry_exports_limit
        extra = self.site_exports.entry_html if per_entry else None
        html = render_references(works, places if cited_in else None, self.strings, link_to_place, extra)
        if self.config.exports and cited_in:  # prepended here: a replace on the page would copy it
            return self.site_exports.downloads(lambda uri: relative_url(uri, base_url)) + "\n" + html
        return html

    def _anchor_ids(self, record, is_evidence_page):
        """Ids written in on_env, so MkDocs' anchor validation knows links to them are good."""
        ids = {group.anchor for group in record.groups}
        ids.update(f"endnote-{group.numeral}" for group in record.notes)
        if record.notes:
            ids.add("notes")
        if record.src_uri == self.config.references_page:
            ids.update(f"ref-{work.key}" for work in self.library.works.values())
        if is_evidence_page:
            ids.add("related")
        return ids

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
