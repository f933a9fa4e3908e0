"""The plugin's site-wide work for a generator that runs Markdown extensions but no MkDocs
plugin (Zensical): a pre-pass over the sources, then each page finished as it renders.

The pre-pass reads what `scripts/check.py` reads (mkdocs.yml, the pages, the .bib files),
renders every page once with the site's own Markdown extensions and drives the same site
assembly as the MkDocs plugin (`assembly.py`): endnotes numbered across the site in nav order,
References with Cited in, Related blocks, indexes, the evidence map and the figure. When the
generator then renders a page, the `evidence_citations` extension (standalone.py) hands its
HTML to `finish_page`, which writes the same markers, notes and blocks the plugin would.

Pages the plugin generates (References, evidence map, figure) are checked in as stub pages
holding `STUB_MARKER`; their text is replaced by the generated page. Files the plugin adds
(assets, references.bib/.ris/.json, evidence-map.json) are written into docs/ by
`write_outputs` (the pre-build step, `scripts/zensical_prebuild.py`), and a state file in a
watched folder changes whenever another page's output would change, so a serving generator
renders every page again (see `STATE_FILE`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import markdown as python_markdown

from .assembly import OutputFile, SiteAssembly, SiteError, SourcePage, holds_stub_marker
from .markdown_ext import PageCollector
from .options import Options
from .pages import read_page_meta, split_body
from .plain_build import page_url
from .problems import ProblemList
from .project import MKDOCS_BUILTIN_EXTENSIONS, Project, file_stamp, load_project

# Written next to the first .bib file (a folder in mkdocs.yml's `watch:`): its text changes
# when numbering, titles, citing places or the evidence graph change.
STATE_FILE = ".evidence-site-state"
# The pre-build step: files into docs/ and the state file, before `zensical build`.
PREBUILD_COMMAND = "python scripts/zensical_prebuild.py"
EXTENSION_NAMES = ("evidence_citations", "mkdocs_plugins.evidence.standalone")


def nav_entries(nav) -> list[tuple[str, str | None]]:
    """(src_uri, title or None) of every page in mkdocs.yml's `nav`, in reading order."""
    entries: list[tuple[str, str | None]] = []

    def walk(item, title=None):
        if isinstance(item, str):
            if "://" not in item and item.endswith(".md"):
                entries.append((item, title))
        elif isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            for key, value in item.items():
                walk(value, key if isinstance(value, str) else None)

    walk(nav or [])
    return entries


def sources_fingerprint(project) -> tuple:
    """Sizes and times of mkdocs.yml, every page and every .bib file: unchanged means the
    pre-pass still holds (a stat per file, well under a millisecond for this site). `project`
    may be the one read for the pre-pass: an edit of mkdocs.yml changes its own stamp."""
    paths = [*watched_sources(project), *project.pages()]
    return tuple(file_stamp(path) for path in paths)


def watched_sources(project) -> list[Path]:
    """Files every page's output depends on: mkdocs.yml, its evidence schema file, the .bib files."""
    schema = project.options.get("schema")
    schema_file = [project.root / schema] if isinstance(schema, str) else []
    return [project.config_file, *schema_file, *project.bib_paths]


@dataclass
class RenderedPage:
    """A page as the generator rendered it. Zensical reads every relative link in a page as
    relative to the page's source file (and rewrites it), so links are made from `link_base`."""

    title: str
    url: str
    content: str
    link_base: str | None = None


@dataclass
class SitePrepass:
    """Everything one build of the site needs, from the sources alone."""

    project: Project
    assembly: SiteAssembly
    docs_dir: Path
    html: dict[str, str] = field(default_factory=dict)  # src_uri -> the page as rendered, before finishing
    final: dict[str, str] = field(default_factory=dict)  # src_uri -> the finished page
    titles: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    headings: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # added level-2 headings
    generated: dict[str, str] = field(default_factory=dict)  # src_uri -> markdown of a generated page
    markdown: dict[str, tuple[str, str]] = field(default_factory=dict)  # src_uri -> (digest of the body, what was rendered)
    outputs: list[OutputFile] = field(default_factory=list)  # files the site gains besides pages
    by_text: dict[str, str] = field(default_factory=dict)  # digest of a page's body -> src_uri
    fingerprint: tuple = ()
    links_from_source: bool = False  # True for Zensical: see RenderedPage

    @property
    def problems(self):
        return self.assembly.problems

    def src_uri_for(self, path: str | None, body: str) -> str | None:
        """The page being rendered: from the generator's own page context (`path`, Zensical)
        or else by its text (MkDocs gives an extension no page)."""
        if path is not None:
            return path if path in self.html else None
        return self.by_text.get(_digest(body))

    def source(self, src_uri: str, body: str) -> str:
        """What to render for a page: what the pre-pass rendered (a stub becomes its generated
        page; mkdocs-bibtex's commands become markers), or, for a page edited since, the same
        steps on its new text."""
        digest, markdown = self.markdown.get(src_uri, (None, ""))
        if digest == _digest(body):
            return markdown
        return self.assembly.page_markdown(src_uri, body, body, src_uri)

    def finish_page(self, src_uri: str, html: str, collector: PageCollector) -> str | None:
        """The finished page for `html` (rendered by the generator), or None when its citations
        differ from the pre-pass (a source changed since: run the pre-pass again)."""
        if html == self.html.get(src_uri):
            return self.final[src_uri]
        record = self.assembly.registry.pages.get(src_uri)
        placed = collector.placed_groups(html)
        if record is None or _signature(placed) != _signature(record.by_placeholder):
            return None
        page = self._rendered(src_uri, html)
        return self.assembly.finish({src_uri: page}, self.url_of)[src_uri].content

    def _rendered(self, src_uri: str, html: str) -> RenderedPage:
        return RenderedPage(self.titles[src_uri], self.urls[src_uri], html,
                            src_uri if self.links_from_source else None)

    def url_of(self, src_uri: str) -> str | None:
        if src_uri in self.urls:
            return self.urls[src_uri]
        return src_uri if any(output.uri == src_uri for output in self.outputs) else None

    def toc_tokens(self, src_uri: str, tokens: list[dict]) -> None:
        """Add the headings the finished page gains (Related, Notes, index groups) to the
        Markdown `toc_tokens`: under the page's single H1 if it has one, as the plugin does."""
        parent = tokens[0]["children"] if len(tokens) == 1 and tokens[0]["level"] == 1 else tokens
        for title, anchor in self.headings.get(src_uri, []):
            name = escape(title, quote=False)
            parent.append({"level": 2, "id": anchor, "name": name, "html": name,
                           "data-toc-label": "", "children": []})

    def state(self) -> str:
        """A digest of what one page's output takes from the others."""
        registry = self.assembly.registry
        pages = []
        for src_uri in sorted(self.urls):
            meta = self.assembly.metas.get(src_uri)
            record = registry.pages.get(src_uri)
            groups = [(g.mode, g.keys, g.numeral) for g in record.groups] if record else []
            pages.append([src_uri, self.titles.get(src_uri), self.urls[src_uri], groups,
                          [meta.kind, meta.group, meta.summary, meta.related] if meta else None])
        sources = watched_sources(self.project)  # a change there reaches every page
        data = {"pages": pages, "sources": [list(map(str, file_stamp(path))) for path in sources]}
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    @property
    def state_path(self) -> Path:
        bib_paths = self.assembly.bib_paths
        folder = bib_paths[0].parent if bib_paths else self.project.root
        return folder / STATE_FILE

    def state_is_current(self, state: str | None = None) -> bool:
        try:
            return self.state_path.read_text(encoding="utf-8").strip() == (state or self.state())
        except OSError:
            return False

    def write_state(self) -> bool:
        """Write the state file if it changed; its time always moves on by at least a second
        (generators compare whole seconds). True if it was written."""
        state = self.state()
        if self.state_is_current(state):
            return False
        path = self.state_path
        before = path.stat().st_mtime if path.exists() else None
        path.write_text(state + "\n", encoding="utf-8")
        if before is not None and int(path.stat().st_mtime) <= int(before):
            os.utime(path, (before + 1, before + 1))
        return True

    def write_outputs(self) -> list[Path]:
        """Write the files the plugin adds (assets, exports, evidence-map.json) into docs/,
        each only if its text changed. Returns the files written."""
        written = []
        for output in self.outputs:
            target = self.docs_dir / output.uri
            data = output.source.read_bytes() if output.source is not None else output.content.encode("utf-8")
            if target.exists() and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
        return written


def _digest(body: str) -> str:
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


def _signature(groups) -> list:
    return [(number, tuple(group.keys), group.mode) for number, group in groups.items()]


def _site_markdown(project, extensions, extension_configs, citation_extension):
    """The site's Markdown (its extensions, or the generator's), without this extension."""
    if extensions is None:
        extensions, extension_configs = project.extensions, project.extension_configs
    names = [name for name in extensions if isinstance(name, str) and name not in EXTENSION_NAMES]
    configs = {name: config for name, config in (extension_configs or {}).items() if name in names}
    try:
        return python_markdown.Markdown(extensions=[*names, citation_extension], extension_configs=configs)
    except Exception:  # an extension whose options need MkDocs (!!python/name:...): MkDocs' own set
        return python_markdown.Markdown(extensions=[*MKDOCS_BUILTIN_EXTENSIONS, citation_extension])


def run_prepass(config_file: Path, *, extensions=None, extension_configs=None,
                links_from_source: bool = False) -> SitePrepass:
    """Read and render every page of the site at `config_file` as the MkDocs plugin would.

    `extensions`/`extension_configs`: the Markdown extensions the generator renders with
    (Zensical's list, with its defaults); by default mkdocs.yml's.
    """
    config_file = Path(config_file).resolve()
    project = load_project(config_file)
    fingerprint = sources_fingerprint(project)
    data = project.settings
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    directory_urls = data.get("use_directory_urls", True) is not False
    assembly = SiteAssembly(Options.from_mapping(project.options), project.root,  # SiteError: a wrong schema
                            theme_language=theme.get("language"), site_url=project.site_url or None,
                            config_name=config_file.name, site_name=str(data.get("site_name") or ""),
                            site_author=data.get("site_author"), repo_url=project.repo_url or None)
    site = SitePrepass(project, assembly, project.docs_dir, fingerprint=fingerprint,
                       links_from_source=links_from_source)

    texts = {project.src_uri(path): path.read_text(encoding="utf-8-sig") for path in project.pages()}
    stubs = {uri for uri, text in texts.items() if holds_stub_marker(text)}
    pages = [SourcePage(uri, project.display(project.docs_dir / uri), text)
             for uri, text in texts.items() if uri not in stubs]
    try:
        # Every file under docs/, not just the pages: options such as social_image name images.
        files_present = {project.src_uri(path) for path in project.docs_dir.rglob("*") if path.is_file()}
        added = assembly.read_pages(pages, (files_present | set(texts)) - stubs)
    except SiteError as error:
        assembly.problems.add("generated_page", project.display(project.docs_dir), None, str(error))
        added = []
    site.generated = {output.uri: output.content for output in added if output.uri.endswith(".md")}
    site.outputs = [output for output in added if not output.uri.endswith(".md")]
    every_page = pages + [SourcePage(uri, f"(generated) {uri}", text) for uri, text in site.generated.items()]

    nav = nav_entries(project.nav)
    nav_titles = {uri: title for uri, title in nav if title}
    assembly.nav_order = [uri for uri, _ in nav]
    site.urls = {page.src_uri: page_url(page.src_uri, directory_urls) for page in every_page}

    digests = {uri: _digest(split_body(text)[0]) for uri, text in texts.items()}
    site.by_text = {digest: uri for uri, digest in digests.items()}
    md = _site_markdown(project, extensions, extension_configs, assembly.markdown_extension)
    rendered = {}
    for page in every_page:
        body, _ = split_body(page.text)
        markdown = assembly.page_markdown(page.display_path, page.text, body, page.src_uri)
        digest = digests.get(page.src_uri) or _digest(body)
        site.markdown[page.src_uri] = (digest, markdown)
        html = md.reset().convert(markdown)
        title = nav_titles.get(page.src_uri) or read_page_meta(page.src_uri, page.display_path, page.text,
                                                               ProblemList(), assembly.schema).title
        site.titles[page.src_uri] = title
        site.html[page.src_uri] = html
        site.headings[page.src_uri] = assembly.page_html(page.src_uri, page.display_path, html, title,
                                                         site.urls[page.src_uri])
        rendered[page.src_uri] = site._rendered(page.src_uri, html)
    site.final = {uri: page.content for uri, page in assembly.finish(rendered, site.url_of).items()}
    return site
