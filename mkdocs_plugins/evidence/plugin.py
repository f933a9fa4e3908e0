"""The MkDocs adapter: options and hooks that delegate to the core modules."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink

from .bibliography import Library, load_library, read_sources
from .citations import NOTE
from .config import EvidenceConfig
from .harvard import format_references
from .markdown_ext import PLACEHOLDER_RE, CitationExtension, PageCollector
from .problems import ProblemList
from .registry import EndnoteRegistry, PageRecord, check_keys, relative_url
from .render import render_inline, render_marker, render_notes_section, render_references
from .strings import strings_for

log = logging.getLogger("mkdocs.plugins.evidence")

REFERENCES_PLACEHOLDER = "<!-- evidence:references -->"


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def on_config(self, config):
        # Everything is rebuilt from scratch on each build (serve included).
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.problems = ProblemList()
        self.registry = EndnoteRegistry()
        self.nav_order: list[str] = []
        self.strings = strings_for(self.config.language or config.theme.get("language"))
        self.bib_paths = [self.root / p for p in self.config.bib_files]
        if self.config.bib_file:
            self.bib_paths.append(self.root / self.config.bib_file)
        self.library = self._load_library()
        self.collector = PageCollector()
        config.markdown_extensions.append(CitationExtension(self.collector))
        return config

    def _load_library(self) -> Library:
        sources, problems = read_sources(self.bib_paths, self.root)
        self.problems.extend(problems)
        library = load_library(sources, self.problems, unverified_marker=self.config.unverified_marker)
        format_references(list(library.works.values()), library.bib_data.entries)
        return library

    def on_files(self, files, config):
        uri = self.config.references_page
        if files.get_file_from_path(uri) is not None:
            raise PluginError(
                f"docs/{uri} exists, but the evidence plugin generates the References page there. "
                "Delete it, or set references_page to another path."
            )
        content = f"# {self.strings['references']}\n\n{self.strings['references_intro']}\n\n{REFERENCES_PLACEHOLDER}\n"
        files.append(File.generated(config, uri, content=content))
        return files

    @event_priority(-100)  # after other plugins have rearranged the nav
    def on_nav(self, nav, config, files):
        self.nav_order = [page.file.src_uri for page in nav.pages]
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        raw = page.file.content_string if not page.file.generated_by else markdown
        offset = raw[: len(raw) - len(markdown)].count("\n") if raw.endswith(markdown) else 0
        self.collector.start(self._display_path(page.file), markdown, offset)
        return markdown

    def on_page_content(self, html, page, config, files):
        collector = self.collector
        path = self._display_path(page.file)
        for kind, line, message in collector.errors:
            self.problems.add(kind, path, line, message)
        # Text order on the page is the order placeholders appear in the HTML.
        by_placeholder = {}
        ordered = []
        for match in PLACEHOLDER_RE.finditer(html):
            group = collector.groups[int(match.group(1))]
            by_placeholder[match.group(1)] = group
            ordered.append(group)
            check_keys(group, self.library, path, self.problems)
        record = PageRecord(page.file.src_uri, path, ordered, title=page.title or "", url=page.url)
        record.by_placeholder = by_placeholder
        self.registry.record(record)
        if any(group.mode == NOTE for group in ordered):
            # Under the page's single H1 if it has one (Material shows the H1's children).
            items = page.toc.items
            parent = items[0].children if len(items) == 1 and items[0].level == 1 else items
            parent.append(AnchorLink(self.strings["notes"], "notes", 2))
        return html

    def on_env(self, env, config, files):
        self.registry.number(self.nav_order, self.config.numbering, self.config.numerals)
        places = self.registry.citing_places(self.nav_order)
        references = files.get_file_from_path(self.config.references_page)
        references_url = references.url

        for file in files.documentation_pages():
            page = file.page
            record = self.registry.pages.get(file.src_uri)
            if page is None or record is None:
                continue

            def link_to_work(key, _base=page.url):
                return relative_url(f"{references_url}#ref-{key}", _base)

            def replace(match, _record=record, _link=link_to_work):
                group = _record.by_placeholder[match.group(1)]
                if group.mode == NOTE:
                    return render_marker(group, self.strings)
                return render_inline(group, self.library, self.strings, _link)

            content = PLACEHOLDER_RE.sub(replace, page.content)
            notes = record.notes
            if notes:
                content += "\n" + render_notes_section(notes, self.library, self.strings, link_to_work)
            if file is references:
                content = content.replace(REFERENCES_PLACEHOLDER, self._references_html(places, page.url))
            page.content = content
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.update(self._anchor_ids(record, file is references, places))

        for problem in self.problems:
            log.warning(str(problem))
        if self.problems and config.strict:
            raise PluginError(
                f"{len(self.problems)} citation problem(s) listed above; nothing was written. "
                "Fix them and build again."
            )
        return env

    def _references_html(self, places, base_url):
        works = [
            work for work in self.library.works.values()
            if self.config.include_uncited or work.key.lower() in places
        ]

        def link_to_place(place):
            return relative_url(f"{place.page.url}#{place.group.anchor}", base_url)

        return render_references(works, places, self.strings, link_to_place)

    def _anchor_ids(self, record, is_references, places):
        ids = {group.anchor for group in record.groups}
        ids.update(f"endnote-{group.numeral}" for group in record.notes)
        if record.notes:
            ids.add("notes")
        if is_references:
            ids.update(f"ref-{work.key}" for work in self.library.works.values())
        return ids

    def on_serve(self, server, config, builder):
        for path in self.bib_paths:
            if path.exists():
                server.watch(str(path))
        return server

    def _display_path(self, file) -> str:
        if file.abs_src_path is None:
            return f"(generated) {file.src_uri}"
        return os.path.relpath(file.abs_src_path, self.root)
