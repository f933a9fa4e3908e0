"""The site assembly driven by Python-Markdown alone: every page's final HTML, without MkDocs.

For tests, scripts and other generators (a pre-pass for Zensical, which runs Markdown extensions
but not MkDocs plugins). Pages come in reading order; the generated pages (References, evidence
map, the figure) are rendered too and placed after them.

    site = build_pages([SourcePage("index.md", "docs/index.md", text), ...], Options(), root)
    site.pages["index.md"].content     # the HTML readers get
    site.problems                      # what is wrong, with file and line
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

import markdown as python_markdown

from .assembly import OutputFile, SiteAssembly, SourcePage
from .final_pages import FinalPage
from .options import Options
from .pages import read_page_meta, split_body
from .problems import ProblemList

DEFAULT_EXTENSIONS = ("toc", "tables", "attr_list", "admonition")


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """MkDocs' URL for a page: `topics/key-idea.md` -> `topics/key-idea/` (or `.html`)."""
    stem, _ = posixpath.splitext(src_uri)
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    if not use_directory_urls:
        return f"{stem}.html"
    return f"{stem}/"


@dataclass
class RenderedPage:
    title: str
    url: str
    content: str


@dataclass
class PlainSite:
    pages: dict[str, FinalPage]  # src_uri -> final HTML, in reading order
    files: list[OutputFile]  # everything else the site gains (assets, exports, evidence-map.json)
    problems: ProblemList
    assembly: SiteAssembly
    nav_order: list[str] = field(default_factory=list)


def build_pages(pages: list[SourcePage], options: Options, root: Path, *,
                extensions=DEFAULT_EXTENSIONS, theme_language: str | None = None,
                site_url: str | None = None, use_directory_urls: bool = True) -> PlainSite:
    """Render and assemble `pages` (in reading order) the way the MkDocs plugin does."""
    site = SiteAssembly(options, root, theme_language=theme_language, site_url=site_url)
    added = site.read_pages(pages, {page.src_uri for page in pages})
    generated = [SourcePage(file.uri, f"(generated) {file.uri}", file.content)
                 for file in added if file.uri.endswith(".md")]
    every_page = [*pages, *generated]
    site.nav_order = [page.src_uri for page in every_page]
    urls = {page.src_uri: page_url(page.src_uri, use_directory_urls) for page in every_page}
    renderer = python_markdown.Markdown(extensions=[*extensions, site.markdown_extension])
    rendered = {}
    for page in every_page:
        body, _ = split_body(page.text)
        body = site.page_markdown(page.display_path, page.text, body, page.src_uri)
        html = renderer.reset().convert(body)
        title = read_page_meta(page.src_uri, page.display_path, page.text, ProblemList()).title
        site.page_html(page.src_uri, page.display_path, html, title, urls[page.src_uri])
        rendered[page.src_uri] = RenderedPage(title, urls[page.src_uri], html)
    final = site.finish(rendered, lambda uri: urls.get(uri, uri if any(f.uri == uri for f in added) else None))
    files = [file for file in added if not file.uri.endswith(".md")]
    return PlainSite(final, files, site.problems, site, site.nav_order)
