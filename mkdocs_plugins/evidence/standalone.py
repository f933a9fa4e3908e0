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
`mkdocs build --strict` fails on them when this runs under MkDocs) and kept in `.problems`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from .bibliography import Library, load_library, read_sources
from .markdown_ext import CitationExtension, PageCollector
from .problems import ProblemList
from .registry import EndnoteRegistry, PageRecord, check_keys
from .render import esc, render_notes_section, render_references, resolve_citations
from .strings import strings_for

log = logging.getLogger("mkdocs.plugins.evidence")


class _Capture(Preprocessor):
    """Hands the document's lines to the collector, so problems can name their line."""

    def __init__(self, md, extension: "EvidenceExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, lines):
        self.extension.collector.start(self.extension.getConfig("source_name"), "\n".join(lines))
        return lines


class _Resolve(Postprocessor):
    """Placeholders -> markers and in-text citations; Notes and References appended."""

    def __init__(self, md, extension: "EvidenceExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
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
        }
        super().__init__(**kwargs)
        self.collector = PageCollector()
        self.problems = ProblemList()
        self._library: Library | None = None

    @property
    def library(self) -> Library:
        """Loaded on first use, once per extension instance."""
        if self._library is None:
            files = self.getConfig("bib_files")
            files = [files] if isinstance(files, str) else list(files)
            base = Path(self.getConfig("base_dir") or ".")
            sources, problems = read_sources([base / name for name in files], base)
            library = load_library(sources, problems, language=self.strings_language,
                                   unverified_marker=self.getConfig("unverified_marker"))
            from .harvard import format_references

            format_references(list(library.works.values()), library.bib_data.entries)
            self._report(problems)
            self._library = library
        return self._library

    @property
    def strings_language(self) -> str:
        return (self.getConfig("language") or "en").split("-")[0]

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        CitationExtension(self.collector, narrative=bool(self.getConfig("narrative"))).extendMarkdown(md)
        md.preprocessors.register(_Capture(md, self), "evidence_capture", 1000)
        md.postprocessors.register(_Resolve(md, self), "evidence_resolve", 5)

    def reset(self) -> None:
        self.collector.start(self.getConfig("source_name"), "")

    def _report(self, problems) -> None:
        for problem in problems:
            log.warning(str(problem))
        self.problems.extend(problems)

    def resolve(self, html: str) -> str:
        """Number this document's notes and write every citation."""
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

