"""MkDocs hook: the "whole review" print view (`print/`).

One generated page that reproduces the review's pages in navigation order, each with its
Notes, so the endnotes read i to xliv in one document, followed by the References. It is
assembled from the final HTML of the pages (after the evidence plugin has written markers,
notes and references), so it needs no network and no browser-side script.

- The page is outside the nav (it would otherwise be counted as a second copy of the review)
  and excluded from search (`search: exclude`), so results never point at it. It is a view,
  not a page: `canonical: index.md` gives its language's home page as its canonical address
  (search engines index the home page for it), leaves it out of sitemap.xml and its head
  without citation_* tags or JSON-LD of its own.
- Ids stay unique: endnote (`endnote-*`) and reference (`ref-*`) ids are already unique
  across the site and are kept; every other id gets a per-page prefix.
- Links between included pages become in-document fragments; other links are re-based.
- Headings move down one level under each page's section.
- It is served as Material's page without JavaScript (`template: print-view.html`, in
  overrides/): neither the theme's script nor the evidence plugin's is loaded. What they serve
  (search, the colour toggle, note previews, each reference's BibTeX and RIS buttons) the view
  does without, and a phone gets the 1,500-element document painted without the theme's start-up
  restyling it several times (scripts/BENCHMARK.md).
"""

from __future__ import annotations

import functools
import html as htmlmod
import posixpath
import re

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from mkdocs_plugins.evidence.registry import relative_url

PRINT_URI = "print.md"
PLACEHOLDER = "<!-- reader:print-view -->"
# Site pages that are not part of the review (the figure is already on the factors page).
SKIP = {"evidence-map.md", "figure-1.md", "accessibility.md", PRINT_URI}

STRINGS = {
    "en": {
        "title": "The whole review",
        "intro": "This page puts every page of the review in reading order on one page, with each "
                 "page's endnotes (i to xliv) and the references at the end. Print it, or save it as "
                 "PDF, for a copy of the whole document.",
        "contents": "Contents",
    },
    "cy": {
        "title": "Yr adolygiad cyfan",
        "intro": "Mae'r dudalen hon yn rhoi pob tudalen o'r adolygiad mewn trefn ddarllen ar un "
                 "dudalen, gyda'r ôl-nodiadau (i i xliv) a'r cyfeiriadau ar y diwedd. Argraffwch hi, "
                 "neu ei chadw fel PDF, i gael copi o'r ddogfen gyfan.",
        "contents": "Cynnwys",
    },
}

_ID = re.compile(r'\bid="([^"]*)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
# Copy buttons, "Cite this page", the library downloads, the Related blocks and "Suggest a
# correction" belong to each page, not to the printed document; so do the site's aids around the
# review's own text: each marker's preview (hidden blocks with full references, for the tooltip:
# here the short note shows, a link away from its reference), the References' "Cited in" lists
# and COinS spans (the References page has both). Left out, they keep the view light on screen:
# a third fewer elements and bytes, which a phone lays out and styles at load (scripts/BENCHMARK.md).
_EXPORT_BLOCKS = re.compile(
    r'<details class="evidence-cite-page"[^>]*>.*?</details>'
    r'|<button type="button" class="evidence-export"[^>]*>.*?</button>'
    r'|<p class="evidence-downloads">.*?</p>'
    r'|<p class="evidence-correction-(?:page|line)">.*?</p>'
    r'| ?<a class="evidence-correction"[^>]*>.*?</a>'
    r'|<section class="evidence-related"[^>]*>.*?</section>'
    r'|<div class="evidence-note-preview">.*?</div>'
    r'|<p class="evidence-cited-in">.*?</p>'
    r'|<span class="Z3988" title="[^"]*"></span>', re.S)
_KEEP_ID = re.compile(r"^(endnote-(ref-)?[ivxlcdm]+|ref-.+)$")

_nav_pages: list = []


def _strings(config) -> dict[str, str]:
    language = str(config.theme.get("language") or "en").split("-")[0]
    return STRINGS.get(language, STRINGS["en"])


def on_files(files, config):
    s = _strings(config)
    content = (
        "---\nsearch:\n  exclude: true\ncanonical: index.md\ntemplate: print-view.html\n---\n\n"
        f"# {s['title']}\n\n{s['intro']}\n\n{PLACEHOLDER}\n"
    )
    stub = files.get_file_from_path(PRINT_URI)
    if stub is not None:  # docs/print.md stands in for this page under Zensical, which runs no hook
        files.remove(stub)
    files.append(File.generated(config, PRINT_URI, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


@event_priority(-200)
def on_nav(nav, config, files):
    _nav_pages[:] = list(nav.pages)
    return nav


def _section_id(page) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", page.file.src_uri[:-3].lower()).strip("-")
    return "page-" + slug


@functools.lru_cache(maxsize=None)  # the same links recur on every page (notes, references)
def _resolve(href: str, page_url: str) -> tuple[str, str] | None:
    """(site path, fragment) of a relative link on the page at page_url; None if external."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("//"):
        return None
    path, _, fragment = href.partition("#")
    if path == "":
        return page_url, fragment
    base = page_url if page_url.endswith("/") or page_url == "" else posixpath.dirname(page_url) + "/"
    joined = posixpath.normpath(posixpath.join("/" + base, path)).lstrip("/")
    if path.endswith("/") and joined and not joined.endswith("/"):
        joined += "/"
    if joined == ".":
        joined = ""
    return joined, fragment


@event_priority(-200)  # after the evidence plugin has written the final page content
def on_env(env, config, files):
    print_file = files.get_file_from_path(PRINT_URI)
    if print_file is None or print_file.page is None:
        return env
    print_page = print_file.page
    pages = [p for p in _nav_pages if p.file.src_uri not in SKIP and p.content is not None]
    by_url = {p.url: p for p in pages}
    prefix = {p.url: f"p{i}-" for i, p in enumerate(pages, start=1)}

    def new_id(url: str, old: str) -> str:
        return old if _KEEP_ID.match(old) else prefix[url] + old

    sections = []
    contents = []
    for page in pages:
        html = _EXPORT_BLOCKS.sub("", _HEADERLINK.sub("", page.content))
        html = _ID.sub(lambda m: f'id="{new_id(page.url, m.group(1))}"', html)

        def fix_href(match, page=page):
            href = match.group(1)
            resolved = _resolve(href, page.url)
            if resolved is None:
                return match.group(0)
            path, fragment = resolved
            if path in by_url:
                target = new_id(path, fragment) if fragment else _section_id(by_url[path])
                return f'href="#{target}"'
            rel = relative_url(path + (f"#{fragment}" if fragment else ""), print_page.url)
            return f'href="{rel}"'

        html = _HREF.sub(fix_href, html)
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", html)
        section_id = _section_id(page)
        sections.append(f'<section class="reader-print-page" id="{section_id}">\n{html}\n</section>')
        contents.append(f'<li><a href="#{section_id}">{htmlmod.escape(page.title or "")}</a></li>')

    heading = _strings(config)["contents"]
    toc = (
        f'<nav class="reader-print-contents" aria-labelledby="reader-print-contents">'
        f'<h2 id="reader-print-contents">{heading}</h2><ol>{"".join(contents)}</ol></nav>'
    )
    body = toc + "\n" + "\n".join(sections)
    print_page.content = print_page.content.replace(PLACEHOLDER, body)
    return env

