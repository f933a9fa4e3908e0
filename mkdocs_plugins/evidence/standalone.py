"""The citation processor as a plain Python-Markdown extension (no MkDocs, no plugin).

    import markdown
    html = markdown.markdown(text, extensions=["mkdocs_plugins.evidence.standalone"],
                             extension_configs={"mkdocs_plugins.evidence.standalone": {
                                 "bib_files": ["bib/references.bib"]}})

or `extensions=[EvidenceExtension(bib_files=[...])]`, or the entry-point name
`evidence_citations`. Each converted document gets its own endnotes (i, ii, ...) and, unless
`references_url` points at a references page elsewhere, a References list of the works it
cites. The syntax and the output are the plugin's: the same parser and the same renderers.
Problems (unknown keys, `[@]`, ...) are logged as warnings on `mkdocs.plugins.evidence` (so
`mkdocs build --strict` fails on them when this runs under MkDocs), kept in `.problems`, and
raised as `CitationProblems` under `zensical build --strict` (Zensical's strict mode counts
only exceptions from extensions, not log records).

With `site_config: mkdocs.yml` the extension does the evidence plugin's site-wide work for a
generator that runs no MkDocs plugin (Zensical): see `sitewide.py`. Endnotes are numbered
across the site in nav order, the References page lists every citing place, and Related
blocks, indexes, the evidence map and the figure are written, from a pre-pass over the sources
made once per build (and again when a source changes).

Citations are resolved once per document, on the whole document: the `toc` extension runs
the postprocessors on each heading and on the table of contents too, and there the
placeholders are only removed, so a heading that cites keeps a clean id and TOC entry.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .bibliography import Library, load_library, read_sources
from .markdown_ext import PLACEHOLDER_RE, CitationExtension, PageCollector
from .problems import ProblemList
from .project import file_stamp
from .registry import EndnoteRegistry, PageRecord, check_keys
from .render import esc, render_notes_section, render_references, resolve_citations
from .strings import strings_for

if TYPE_CHECKING:
    from .sitewide import SitePrepass

log = logging.getLogger("mkdocs.plugins.evidence")


class CitationProblems(Exception):
    """Raised at the end of a document with problems when the build is strict (Zensical)."""


# Parsed libraries, kept for the life of the process (a Zensical or MkDocs build makes one
# extension per page): keyed by each .bib file's path, size and modification time, so an
# edited file is read again and an unchanged one never is.
_LIBRARIES: dict[tuple, tuple[Library, ProblemList]] = {}
# The site pre-pass, per mkdocs.yml, kept while no source changes (see `site_prepass`).
_SITES: dict[str, "SitePrepass"] = {}


def cached_library(paths: list[Path], base: Path, *, language: str = "en",
                   unverified_marker: str = "not verified") -> tuple[Library, ProblemList, bool]:
    """The library of `paths`, parsed and formatted once per content; (library, problems, fresh)."""
    key = (tuple(file_stamp(path) for path in paths), str(base.resolve()), language, unverified_marker)
    cached = _LIBRARIES.get(key)
    if cached is not None:
        return cached[0], cached[1], False
    sources, problems = read_sources(paths, base)
    library = load_library(sources, problems, language=language, unverified_marker=unverified_marker)
    from .harvard import format_references  # pybtex: only when a .bib is really read

    format_references(list(library.works.values()), library.bib_data.entries)
    _LIBRARIES.clear()  # one library at a time: an edited .bib replaces the old one
    _LIBRARIES[key] = (library, problems)
    return library, problems, True


def site_prepass(config_file: Path) -> tuple["SitePrepass", bool]:
    """The pre-pass of the site at `config_file`, made again only when a source changed;
    (pre-pass, fresh). Inside Zensical it renders with Zensical's own Markdown extensions."""
    from .sitewide import run_prepass, sources_fingerprint

    key = str(config_file.resolve())
    cached = _SITES.get(key)
    if cached is not None and cached.fingerprint == sources_fingerprint(cached.project):
        return cached, False
    extensions = extension_configs = None
    zensical_config = _zensical_config()
    if zensical_config is not None:
        extensions, extension_configs = zensical_config["markdown_extensions"], zensical_config["mdx_configs"]
    site = run_prepass(config_file, extensions=extensions, extension_configs=extension_configs,
                       links_from_source=zensical_config is not None)
    _SITES[key] = site
    return site, True


def _zensical_config() -> dict | None:
    config_module = sys.modules.get("zensical.config")
    if config_module is None:
        return None
    try:
        return config_module.get_config()
    except Exception:  # no configuration loaded: not inside a Zensical build
        return None


def _zensical_page_path(md: Markdown) -> str | None:
    """The page Zensical is rendering (its path in docs/), from Zensical's page context."""
    context = sys.modules.get("zensical.extensions.context")
    processor = context.ContextPreprocessor.from_markdown(md) if context is not None else None
    return getattr(getattr(processor, "page", None), "path", None)


def zensical_serving() -> bool:
    return _zensical_config() is not None and "serve" in sys.argv[1:]


def zensical_strict() -> bool:
    """True inside `zensical build --strict` (or `strict: true` in its configuration)."""
    config = _zensical_config()
    if config is None or zensical_serving():
        return False  # Zensical's serve has no strict mode: problems are shown, the server stays up
    arguments = sys.argv[1:]
    return bool(config.get("strict")) or "--strict" in arguments or "-s" in arguments


class _Capture(Preprocessor):
    """Hands the document's lines to the collector, so problems can name their line."""

    def __init__(self, md, extension: "EvidenceExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, lines):
        text = self.extension.start_document("\n".join(lines), _zensical_page_path(self.md))
        return text.split("\n")


class _WholeDocument(Treeprocessor):
    """Runs last among the tree processors: the next postprocessor pass is the whole page.
    (Before it, `toc` runs the postprocessors on each heading and on the TOC it builds.)"""

    def __init__(self, md, extension: "EvidenceExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        self.extension.whole_document = True
        return None


class _Resolve(Postprocessor):
    """Placeholders -> markers and in-text citations; Notes and References appended."""

    def __init__(self, md, extension: "EvidenceExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if not self.extension.whole_document:
            return PLACEHOLDER_RE.sub("", text)  # a heading's text or the TOC: no citation there
        self.extension.whole_document = False
        return self.extension.resolve(text)


class EvidenceExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "bib_files": [[], "BibTeX files (a list, or one path); relative paths from base_dir"],
            "base_dir": ["", "Folder the bib_files paths are relative to (default: the working directory)"],
            "references_url": ["", "URL of a references page with ref-<key> anchors; empty: a References list is appended"],
            "numerals": ["lower-roman", "lower-roman | upper-roman | arabic"],
            "language": ["en", "Language of the plugin's strings (en, cy)"],
            "unverified_marker": ["not verified", "`note` text marking an entry as not verified"],
            "narrative": [True, "Read @key in running text as a narrative citation"],
            "source_name": ["<markdown>", "Name used for the document in problem messages"],
            "strict": ["auto", "Raise CitationProblems on a problem: true, false, or auto (under `zensical build --strict`)"],
            "site_config": ["", "The site's mkdocs.yml: number and cross-link across the whole site as the evidence plugin does "
                                "(options from its `evidence` entry); relative to the generator's project folder"],
        }
        super().__init__(**kwargs)
        self.collector = PageCollector()
        self.problems = ProblemList()
        self.whole_document = False
        self._library: Library | None = None
        self.md: Markdown | None = None
        self.site: SitePrepass | None = None  # site mode: the pre-pass, and the page being rendered
        self.page_uri: str | None = None

    @property
    def library(self) -> Library:
        """Parsed once per content of the .bib files, whatever the number of pages or instances."""
        if self._library is None:
            files = self.getConfig("bib_files")
            files = [files] if isinstance(files, str) else list(files)
            base = Path(self.getConfig("base_dir") or ".")
            library, problems, fresh = cached_library(
                [base / name for name in files], base, language=self.strings_language,
                unverified_marker=self.getConfig("unverified_marker"))
            if fresh:  # said once, not once per page
                self._report(problems)
            self._library = library
        return self._library

    @property
    def strings_language(self) -> str:
        return (self.getConfig("language") or "en").split("-")[0]

    @property
    def strict(self) -> bool:
        value = self.getConfig("strict")
        if isinstance(value, str) and value.lower() == "auto":
            return zensical_strict()
        return value is True or str(value).lower() in ("true", "yes", "1")

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        self.md = md
        CitationExtension(self.collector, narrative=bool(self.getConfig("narrative"))).extendMarkdown(md)
        md.preprocessors.register(_Capture(md, self), "evidence_capture", 1000)
        md.treeprocessors.register(_WholeDocument(md, self), "evidence_whole_document", -1000)
        md.postprocessors.register(_Resolve(md, self), "evidence_resolve", 5)

    def reset(self) -> None:
        self.start_document("")

    def start_document(self, text: str, page_path: str | None = None) -> str:
        """A new document begins; returns the text to render (in site mode, a stub page becomes
        the page the plugin generates)."""
        self.whole_document = False
        self.page_uri = None
        if text and self.getConfig("site_config"):
            self.site, fresh = site_prepass(self._site_config_path())
            if fresh:
                self._site_started(self.site)
            self.page_uri = self.site.src_uri_for(page_path, text)
            if self.page_uri is not None:
                text = self.site.source(self.page_uri, text)
        self.collector.start(self.getConfig("source_name"), text)
        return text

    def _site_config_path(self) -> Path:
        path = Path(self.getConfig("site_config"))
        if not path.is_absolute():
            config = _zensical_config()
            root = config.get("root_dir") if config else None
            path = Path(root or self.getConfig("base_dir") or ".") / path
        return path

    def _site_started(self, site: "SitePrepass") -> None:
        """Once per pre-pass: the site's problems said (and raised when strict); the files the
        plugin would add and the rebuild state kept up to date when serving."""
        self._report(site.problems)
        self._fail_if_strict(list(site.problems))
        if zensical_serving():
            site.write_outputs()
            site.write_state()  # a change seen by Zensical's `watch`: every page renders again
        elif _zensical_config() is not None and not site.state_is_current():
            from .sitewide import PREBUILD_COMMAND

            problems = ProblemList()
            problems.add("prebuild_needed", str(site.state_path), None,
                         "the pages changed since the pre-build step: other pages may show old endnote "
                         f"numbers or miss generated files. Run `{PREBUILD_COMMAND}` before building.")
            self._report(problems)
            self._fail_if_strict(problems)

    def _report(self, problems) -> None:
        for problem in problems:
            log.warning(str(problem))
        self.problems.extend(problems)

    def _fail_if_strict(self, problems) -> None:
        if problems and self.strict:
            listed = "\n".join(str(problem) for problem in problems)
            raise CitationProblems(f"{len(problems)} citation problem(s):\n{listed}\nFix them and build again.")

    def resolve(self, html: str) -> str:
        """Number this document's notes and write every citation (in site mode: as the plugin
        does for this page of the site)."""
        if self.page_uri is not None:
            finished = self.site.finish_page(self.page_uri, html, self.collector)
            if finished is None:  # a source changed while the build ran: read everything again
                self.site, fresh = site_prepass(self._site_config_path())
                if fresh:
                    self._site_started(self.site)
                finished = self.site.finish_page(self.page_uri, html, self.collector)
            if finished is not None:
                if self.md is not None and hasattr(self.md, "toc_tokens"):
                    self.site.toc_tokens(self.page_uri, self.md.toc_tokens)
                return finished
            problems = ProblemList()
            problems.add("prebuild_mismatch", self.page_uri, None,
                         "the citations found while rendering differ from those the site pre-pass found "
                         "(an extension that changes the page text?): endnotes numbered for this page only.")
            self._report(problems)
            self._fail_if_strict(problems)
        return self._resolve_document(html)

    def _resolve_document(self, html: str) -> str:
        strings = strings_for(self.strings_language)
        library = self.library
        collector = self.collector
        name = self.getConfig("source_name")
        problems = ProblemList()
        for kind, line, message in collector.errors:
            problems.add(kind, name, line, message)
        groups = collector.placed_groups(html)
        for group in groups.values():
            check_keys(group, library, name, problems)
        self._report(problems)
        self._fail_if_strict(problems)
        registry = EndnoteRegistry()
        record = PageRecord(name, name, groups)
        registry.record(record)
        registry.number([name], "page", self.getConfig("numerals"))

        references_url = self.getConfig("references_url")

        def work_link(key: str) -> str:
            work = library.get(key)
            return f"{references_url}#ref-{work.key if work else key}"

        html, _ = resolve_citations(html, groups, library, strings, work_link)
        if record.notes:
            html += "\n" + render_notes_section(record.notes, library, strings, work_link)
        cited = list(dict.fromkeys(
            library.get(key).key.lower() for group in groups.values() for key in group.keys if library.get(key)))
        if cited and not references_url:
            works = [work for work in library.works.values() if work.key.lower() in cited]
            heading = esc(strings["references"])
            html += (f'\n<h2 id="references">{heading}</h2>\n'
                     + render_references(works, None, strings, lambda place: ""))
        return html


def makeExtension(**kwargs) -> EvidenceExtension:  # noqa: N802 (Markdown's API)
    return EvidenceExtension(**kwargs)
