"""One build of a site, without MkDocs: pages in, generated files and each page's final HTML out.

The MkDocs plugin (`plugin.py`) calls these steps from its events; any other driver can call
them in the same order (`plain_build.py` does, with Python-Markdown alone):

1. `SiteAssembly(options, root, theme_language=..., site_url=...)`: loads the library (site_library.py);
   register `markdown_extension` with the Markdown renderer, add `extra_css` / `extra_javascript`.
2. `read_pages(pages, existing)`: front matter of every page checked; returns the files to add
   (References, evidence map, figure, assets, exports, evidence-map.json).
3. `nav_order = [...]`: the pages' src_uris in reading order.
4. per page: `page_markdown(...)` before rendering, `page_html(...)` after (returns the headings
   the page will gain, for its table of contents).
5. `prepare(pages, url_of)`: numbers every endnote in reading order, links the site and fills the
   generated files; returns each page's anchor ids. Then `final_page(src_uri, page)`, per page, in
   any order (just before writing it): its final HTML and the text search should index (final_pages.py).
   `finish(pages, url_of)` does both for every page at once. `problems` lists what is wrong.
6. per page, its final HTML known: `page_head(...)`, what the page adds to <head> (metadata.py).

`site_url` is the site's root; with `interfaces`, this build is published in its language's folder
under it, and `site_url` (the attribute) is that folder's address: give it to the renderer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import compat, metadata
from .corrections import form_address
from .exports import SiteExports
from .evidence_pages import EvidencePages
from .final_pages import REFERENCES_PLACEHOLDER, WHATS_NEW, FinalPage, FinalPages, RenderedPage
from .markdown_ext import CitationExtension, PageCollector
from .options import Options
from .pages import PageMeta, check_related, read_page_meta
from .problems import ProblemList, SiteError
from .reference_pages import ReferencesPage
from .registry import EndnoteRegistry, PageRecord, check_keys
from .schema import SchemaError, load_schema
from .site_library import SiteLibrary
from .site_news import LastCommit, SiteNews
from .strings import language_code, strings_for

# A checked-in page holding this line stands in for a page generated here (Zensical needs the
# file; see sitewide.py): the generated page takes its place.
STUB_MARKER = "<!-- evidence:generated-page -->"
CSS_URI = "assets/evidence.css"
JS_URI = "assets/evidence.js"  # per-entry downloads under the references (exports)
MAP_JSON_URI = "evidence-map.json"
ASSETS = Path(__file__).parent / "assets"


def holds_stub_marker(text: str) -> bool:
    return any(line.strip() == STUB_MARKER for line in text.splitlines())


@dataclass
class SourcePage:
    """A page as written: its path in docs/, the path problems name, and its text."""

    src_uri: str
    display_path: str
    text: str


@dataclass
class OutputFile:
    """A file the site gains: text, or a file on disk to copy (`source`)."""

    uri: str
    content: str | None = None
    source: Path | None = None
    in_nav: bool = True  # False: a page reached from another page's links, outside the nav
    filled_later: bool = False  # its text is known after prepare() (before the site is written)
    make: Callable[[], str] | None = None  # makes that text, when set: a driver writes it and lets it go

    def text(self) -> str | None:
        """The file's text; made now when `make` is set (at 10,000 works the References pages'
        entries files are 11 MB: a driver that writes each at once never holds them all)."""
        return self.make() if self.make is not None else self.content


@dataclass
class PageAddress:
    """What page_head needs to know of a page besides its final HTML."""

    src_uri: str
    title: str
    url: str  # relative to this build's root: "topics/a-page/"
    is_home: bool = False
    robots: str = ""  # front matter `robots:` (noindex)
    date_modified: str = ""  # ISO date of the last change, when known
    canonical: str | None = None  # URL of the page this one stands for (front matter `canonical:`)


class SiteAssembly:
    """The state of one build: reset by making a new one (every MkDocs build does)."""

    def __init__(self, options: Options, root: Path, *, theme_language: str | None = None,
                 site_url: str | None = None, config_name: str = "mkdocs.yml", docs_dir: Path | None = None,
                 site_name: str = "", site_author: str | None = None, repo_url: str | None = None):
        self.options = options
        self.config_name = config_name
        try:
            self.schema = load_schema(options.schema, root, config_name)
        except SchemaError as error:
            raise SiteError(str(error)) from error
        self.root = root
        self.interface = theme_language or "en"  # the interface language of this build
        self.content_language = options.content_language or self.interface
        self.root_url = site_url or None
        self.folder = options.interfaces.get(self.interface) or ""
        self.site_url = (self.root_url + self.folder) if self.root_url else None
        self.site_name = site_name
        self.cited_items: dict[str, dict] = {}  # schema.org item of each cited work, made once per build
        self.correction_form = form_address(repo_url, options.correction_form)
        self.problems = ProblemList()
        self.registry = EndnoteRegistry()
        self.work_texts: dict[str, str] = {}
        self.nav_order: list[str] = []
        self.metas: dict[str, PageMeta] = {}
        self.language = language_code(options.language or theme_language)
        self.strings = strings_for(self.language, self.content_language)
        self.messages = compat.option_messages(options)  # said at INFO
        self.warnings = [w for w in [compat.ignored_options_warning(options)] if w]  # said at WARNING
        self.bib = SiteLibrary(options, root, config_name)
        self.messages.extend(self.bib.messages)
        self.problems.extend(self.bib.problems)
        self.library = self.bib.library
        self.bib_paths = self.bib.paths  # watched by `mkdocs serve`
        self.collector = PageCollector()
        self.markdown_extension = CitationExtension(self.collector, narrative=compat.narrative_enabled(options))
        self.extra_css = [CSS_URI]
        self.extra_javascript = [JS_URI] if options.exports else []
        self.evidence = EvidencePages(self.schema, self.language, self.strings, options, self.problems)
        self.references = ReferencesPage(
            self.library, options, self.strings,
            {name: kind.label.text(self.language) for name, kind in self.schema.kinds.items()}, self.work_text)
        self.news = SiteNews(options, root, docs_dir or root / "docs", self.bib_paths, self.strings,
                             site_url=self.site_url, site_name=site_name, site_author=site_author,
                             registry=self.registry, library=self.library, work_text=self.work_text)
        self.messages.extend(self.news.messages)

    def read_pages(self, pages: list[SourcePage], existing: set[str]) -> list[OutputFile]:
        """Check every page's front matter; the files to add to the site (`existing`: src_uris present).

        The evidence map and the figure are generated only when the schema declares them and the
        site has pages of their kinds; a link of theirs to a page the site lacks is a problem.
        """
        options, schema, strings = self.options, self.schema, self.strings
        texts = {}
        for page in pages:
            texts[page.src_uri] = page.text
            self.metas[page.src_uri] = read_page_meta(page.src_uri, page.display_path, page.text, self.problems, schema)
        check_related(list(self.metas.values()), self.problems, texts, schema)
        if any(compat.holds_command(text, options.full_bib_command) for text in texts.values()):
            options.include_uncited = True  # mkdocs-bibtex's \full_bibliography lists every entry
        generated = {options.references_page: (
            f"# {strings['references']}\n\n{strings['references_intro']}\n\n{REFERENCES_PLACEHOLDER}\n")}
        generated.update(self.evidence.pages(self.metas, existing))
        if options.whats_new_page:
            generated[options.whats_new_page] = f"# {strings['whats_new']}\n\n{strings['whats_new_intro']}\n\n{WHATS_NEW}\n"
        files = []
        for uri, content in generated.items():
            if uri in existing and not holds_stub_marker(texts.get(uri, "")):
                if uri == options.references_page and any(
                        compat.holds_command(texts.get(uri, ""), command)
                        for command in (options.full_bib_command, options.bib_command)):
                    continue  # mkdocs-bibtex style: the user's page holding the command is the References page
                raise SiteError(
                    f"docs/{uri} exists, but the evidence plugin generates a page there. "
                    "Delete it, or set the plugin option naming that page to another path."
                )
            files.append(OutputFile(uri, content=content))
            self.metas[uri] = PageMeta(uri, f"(generated) {uri}")
        for uri, content in self.references.part_pages(existing).items():
            # Outside the nav (the References page links every part); in search and the sitemap.
            files.append(OutputFile(uri, content=content, in_nav=False))
            self.metas[uri] = PageMeta(uri, f"(generated) {uri}")
        files.append(OutputFile(CSS_URI, source=ASSETS / "evidence.css"))
        if options.exports:
            files.append(OutputFile(JS_URI, source=ASSETS / "evidence.js"))
        if self.evidence.has_map:  # filled in by finish(); declared now so links to it validate
            self.map_json = OutputFile(MAP_JSON_URI, content="{}", filled_later=True)
            files.append(self.map_json)
        if self.news.feed_uri:  # likewise
            self.feed_file = OutputFile(self.news.feed_uri, content="", filled_later=True)
            files.append(self.feed_file)
        if self.root_url and not self.folder and "robots.txt" not in existing:
            folders = list(dict.fromkeys(["", *options.interfaces.values()]))
            files.append(OutputFile("robots.txt", content=metadata.robots_txt(
                [self.root_url + folder + "sitemap.xml" for folder in folders])))
        if options.social_image and options.social_image not in existing:
            raise SiteError(f"social_image: docs/{options.social_image} does not exist. Add the image "
                            "(PNG or JPEG, 1200x630) there, or remove the option.")
        self.site_exports = self.references.site_exports = SiteExports(
            self.library, self.bib.sources, strings, references_page=options.references_page,
            review_key=options.cite_this_page, site_url=self.site_url, problems=self.problems,
            cache_dir=self.bib.cache.directory, cache_key=self.bib.cache_key)
        if options.exports:
            for uri, file in self.site_exports.files().items():
                if isinstance(file, Path):  # the cached copy: copied as it is, no text in memory
                    files.append(OutputFile(uri, source=file))
                else:
                    files.append(OutputFile(uri, content=file))
            # Each References page's entries file (BibTeX/RIS read by evidence.js on demand).
            entries_files = self.references.entries_files
            for uri in [part.src_uri for part in self.references.parts] or [options.references_page]:
                entries_files[uri] = OutputFile(self.site_exports.entries_uri(uri), content="{}", filled_later=True)
                files.append(entries_files[uri])
        self.filled_later = [file for file in files if file.filled_later]  # map JSON, feed, entries files
        return files

    def page_markdown(self, display_path: str, raw: str, markdown: str, src_uri: str | None = None) -> str:
        """Before a page renders: `raw` is the file as written, `markdown` what will be rendered.

        On the user's own References page (mkdocs-bibtex style) `\\bibliography` places the list.
        """
        offset = raw[: len(raw) - len(markdown)].count("\n") if raw.endswith(markdown) else 0
        self.collector.start(display_path, markdown, offset)
        on_references = src_uri is not None and src_uri == self.options.references_page
        return compat.replace_commands(
            markdown, self.options.bib_command, self.options.full_bib_command, full_marker=REFERENCES_PLACEHOLDER,
            bib_marker=REFERENCES_PLACEHOLDER if on_references else compat.NOTES_MARKER)

    def page_html(self, src_uri: str, display_path: str, html: str, title: str, url: str) -> list[tuple[str, str]]:
        """After a page renders: record its citations. Returns the (title, id) of the level-2
        headings finish() will add, in page order, for the page's table of contents."""
        collector = self.collector
        for kind, line, message in collector.errors:
            self.problems.add(kind, display_path, line, message)
        # Text order on the page is the order placeholders appear in the HTML.
        by_placeholder = collector.placed_groups(html)
        for group in by_placeholder.values():
            if not self.bib.incomplete:
                check_keys(group, self.library, display_path, self.problems)
            # What was written, and where, only ever names the group in a message about it, made
            # above: let go (at 1,000 pages 25,000 strings held to the end of the build).
            group.source, group.line = "", None
        meta = self.metas.get(src_uri)
        notes_at = html.find(compat.NOTES_MARKER)  # where \bibliography places the Notes, if it does
        record = PageRecord(src_uri, display_path, by_placeholder, title=title, url=url,
                            kind=meta.kind if meta else "section",
                            notes_at=len(collector.placed_groups(html[:notes_at])) if notes_at >= 0 else None)
        self.registry.record(record)
        headings = self.evidence.index_headings(html, self.metas)
        if WHATS_NEW in html and self.news.history is not None:
            headings.extend(self.news.headings())
        if meta is not None and meta.is_evidence_page:
            headings.append((self.strings["related"], "related"))
        if record.notes:
            headings.append((self.strings["notes"], "notes"))
        return headings

    def finish(self, pages: dict[str, RenderedPage], url_of: Callable[[str], str | None]) -> dict[str, FinalPage]:
        """Number, cross-link and write every recorded page; `url_of(src_uri)` is None for no such file."""
        self.prepare(pages, url_of)
        for output in self.filled_later:
            output.content, output.make = output.text(), None
        return {src_uri: self.final_page(src_uri, page) for src_uri, page in pages.items()
                if src_uri in self.registry.pages}

    def prepare(self, pages: dict[str, RenderedPage], url_of: Callable[[str], str | None],
                stands_for: frozenset[str] = frozenset()) -> dict[str, set[str]]:
        """Number and cross-link every recorded page, and fill the files generated from them (the
        evidence map's JSON, the feed, the References pages' entries files). Returns the anchor ids
        each page's final HTML will hold; `final_page` then writes any page. `stands_for`: the
        pages that stand for another (front matter `canonical:`, a view such as a print view)."""
        options = self.options
        self.registry.number(self.nav_order, options.numbering, options.numerals)
        places = self.registry.citing_places(self.nav_order)
        graph = self.evidence.graph(self.metas, self.nav_order, {uri: page.title for uri, page in pages.items()},
                                    self.registry, self.library)
        self.bib.format_references(self.references.listed_works(places))
        self.references.count_parts(places)
        self.bib.save()
        self.final_pages = FinalPages(self, places, graph, url_of, stands_for)
        anchors = {}
        for src_uri, page in pages.items():
            record = self.registry.pages.get(src_uri)
            if record is None:
                continue
            anchors[src_uri] = self.final_pages.anchor_ids(record)
            if options.exports and self.final_pages.holds_references(page):
                self.references.fill_entries(places, src_uri)
        if self.evidence.has_map:
            self.map_json.make = functools.partial(self.evidence.map_json, graph, self.registry)
        if self.news.feed_uri:
            self.feed_file.make = lambda: self.news.feed(url_of).decode("utf-8")
        return anchors

    def final_page(self, src_uri: str, page: RenderedPage, defer: bool = False) -> FinalPage:
        """One recorded page's final HTML, from `page.content` as rendered (after `prepare`).
        `defer`: the evidence map may be left in parts (FinalPage.parts) for the driver to join
        into the written page (final_pages.placed)."""
        return self.final_pages.page(src_uri, page, defer)

    def last_updated(self, commits: dict[str, LastCommit]) -> tuple[dict[str, tuple[str, str]], list[str]]:
        """The date each page shows, and what to say of pages with no commit (site_news.py)."""
        return self.news.last_updated(commits)

    def feed_url(self) -> str | None:
        """The feed's absolute address (for every page's head), or None without a feed."""
        return self.news.feed_url()

    def work_text(self, key: str) -> str:
        """`Abbott et al., 2005a`: the same for every page, so made once per work."""
        if key not in self.work_texts:
            work = self.library.get(key)
            self.work_texts[key] = f"{work.label}, {work.year_text(self.strings['no_date'])}"
        return self.work_texts[key]

    def page_head(self, page: PageAddress, content: str) -> str:
        """Canonical and hreflang links, description, citation_* tags, Open Graph, JSON-LD
        (metadata.py). The description comes from the page's final HTML; the works JSON-LD cites
        are those the page's citations name. A page that stands for another (`canonical`, a view
        such as the whole-review print view) gives that page's address as canonical and og:url,
        and no hreflang twins, citation_* tags or JSON-LD: it is not a document of its own."""
        options = self.options
        meta = self.metas.get(page.src_uri)
        stands_for = page.canonical is not None and page.canonical != page.url
        url = self.site_url + (page.canonical if stands_for else page.url) if self.site_url else None
        interfaces = options.interfaces if self.root_url and self.interface in options.interfaces and not stands_for else {}
        facts = metadata.PageFacts(
            title=page.title, url=url,
            description=metadata.page_description(meta.summary if meta else "", content),
            language=self.content_language, site_name=self.site_name,
            alternates=metadata.alternates(page.url, interfaces, self.root_url, self.content_language) if interfaces else {},
            is_home=page.is_home, noindex="noindex" in page.robots, date_modified=page.date_modified,
            image_url=self.site_url + options.social_image if self.site_url and options.social_image else None,
            image_alt=self.site_name)
        review = self.site_exports.review if options.cite_this_page and not stands_for else None
        record = self.registry.pages.get(page.src_uri)
        works = [work for work in map(self.library.get, record.cited_keys) if work is not None] if record else []
        return metadata.head_html(facts, review, works, self.cited_items)
