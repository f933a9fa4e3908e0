"""Each page's final HTML, written one page at a time once the whole site's citations are numbered.

`SiteAssembly.prepare` numbers every endnote and links the site (the citing places, the evidence
graph); `FinalPages.page(src_uri, page)` then writes one page from its rendered HTML: markers,
in-text citations, Notes, Related, the References list, the evidence map. A driver may ask for a
page just before it writes it, so a large site never holds every page's final HTML at once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Protocol

from . import compat
from .corrections import CorrectionLinks
from .evidence_pages import EVIDENCE_MAP
from .metadata import page_description
from .reference_pages import REFERENCES_PART
from .registry import relative_url
from .render import render_notes_section, resolve_citations, with_sources_line

if TYPE_CHECKING:
    from .assembly import SiteAssembly

# Markers an editor (or a generated page) puts in markdown; replaced once citations are known.
# Also `<!-- evidence:<kind>-index -->` for each kind and the figure's `<!-- evidence:<id> -->`.
REFERENCES_PLACEHOLDER = "<!-- evidence:references -->"
WHATS_NEW = "<!-- evidence:whats-new -->"
# Where a page's deferred parts go (FinalPage.parts): the written page, once the theme has rendered it.
DEFERRED = "<!-- evidence:deferred-parts -->"


def placed(text: str, marker: str, html: str | list[str]) -> str:
    """`text` with `marker` replaced by `html`, a string or the parts of one (the evidence map of
    1,000 pages: 10 MB a copy), joined once with the text around a single marker."""
    if isinstance(html, str):
        return text.replace(marker, html)
    if text.count(marker) != 1:
        return text.replace(marker, "".join(html))
    before, after = text.split(marker)
    return "".join([before, *html, after])


class RenderedPage(Protocol):
    """What the final HTML is made from (an MkDocs Page has these)."""

    title: str | None
    url: str
    content: str | None  # the HTML rendered from markdown, citations still placeholders


@dataclass
class FinalPage:
    content: str  # what readers get
    search_content: str  # what search indexes: no notes, numerals or link lists
    anchor_ids: set[str] = field(default_factory=set)  # ids written after rendering
    # The evidence map in parts, when deferred: `content` holds DEFERRED where they go, to be
    # joined once into the page the theme rendered (placed(output, DEFERRED, parts)).
    parts: list[str] | None = None


class FinalPages:
    """The site linked once (`places`, `graph`), then any page written from it, in any order."""

    def __init__(self, site: SiteAssembly, places, graph, url_of: Callable[[str], str | None],
                 stands_for: frozenset[str] = frozenset()):
        self.site, self.places, self.graph, self.url_of = site, places, graph, url_of
        self.stands_for = stands_for  # views of another page: that page is the one to cite
        self.references_url = url_of(site.options.references_page)
        self.evidence_pages = {meta.src_uri for meta in graph.pages}

    def holds_references(self, page: RenderedPage) -> bool:
        """Whether the page lists references (the References page, a part of it, `\\full_bibliography`)."""
        return REFERENCES_PLACEHOLDER in (page.content or "") or REFERENCES_PART in (page.content or "")

    def page(self, src_uri: str, page: RenderedPage, defer: bool = False) -> FinalPage:
        """`defer`: the evidence map may stay in parts (FinalPage.parts), the page's description
        (first paragraph) being the same without it. At 1,000 pages the map is 10 MB a copy: the
        theme then renders the page around a marker, and the map is joined into it once."""
        record = self.site.registry.pages[src_uri]
        deferred: list[list[str]] = []
        content, search_content = self._content(src_uri, page, record, deferred if defer else None)
        final = FinalPage(content, search_content, self.anchor_ids(record))
        if deferred:
            meta = self.site.metas.get(src_uri)
            before = content.partition(DEFERRED)[0]
            if content.count(DEFERRED) == 1 and ((meta is not None and meta.summary.strip()) or page_description("", before)):
                final.parts = deferred[0]
            else:
                final.content = placed(content, DEFERRED, deferred[0])
        return final

    def _content(self, src_uri, page, record, deferred: list | None = None) -> tuple[str, str]:
        site, places, graph, url_of = self.site, self.places, self.graph, self.url_of
        options, strings = site.options, site.strings
        # Links are relative to the page's URL; a generator that reads them relative to the
        # page's source file (Zensical) gives `link_base`, the page's path in docs/.
        base = getattr(page, "link_base", None) or page.url

        @functools.lru_cache(maxsize=None)  # index, map and Related blocks name the same pages often
        def link(target: str) -> str:
            path, _, fragment = target.partition("#")
            url = url_of(path)
            url = url if url is not None else path
            return relative_url(url + (f"#{fragment}" if fragment else ""), base)

        references = relative_url(self.references_url, base)  # once per page, not per link
        part_of = site.references.part_of

        @functools.lru_cache(maxsize=None)  # notes, Related and the map link the same works often
        def work_link(key: str) -> str:
            work = site.library.get(key)
            if part_of:  # a split References page: the work's letter page
                return f"{link(part_of[work.key.lower()])}#ref-{work.key}"
            return f"{references}#ref-{work.key}"

        work_text = site.work_text
        corrections = CorrectionLinks(site.correction_form, strings, page_title=page.title or "", page_url=page.url,
                                      site_url=site.site_url) if site.correction_form else None

        generated = site.evidence.renderers(graph, link, work_link, work_text)
        references_html = site.references.html
        generated[REFERENCES_PLACEHOLDER] = lambda: references_html(places, src_uri, base, link, corrections=corrections)
        generated[REFERENCES_PART] = lambda: references_html(places, src_uri, base, link, corrections=corrections)
        if site.news.history is not None:
            generated[WHATS_NEW] = lambda: site.news.html(url_of, base, references)
        searchable = {
            EVIDENCE_MAP: lambda: "",
            REFERENCES_PLACEHOLDER: lambda: references_html(places, src_uri, base, link, cited_in=False),
            REFERENCES_PART: lambda: references_html(places, src_uri, base, link, cited_in=False),
        }
        content, search_content = resolve_citations(page.content, record.by_placeholder, site.library,
                                                    strings, work_link)
        for marker, render in generated.items():
            if marker in content:
                html = render()
                if deferred is not None and marker == EVIDENCE_MAP and not isinstance(html, str) and DEFERRED not in content:
                    deferred.append(html)
                    content = content.replace(marker, DEFERRED)
                else:
                    content = placed(content, marker, html)
                search_content = placed(search_content, marker, searchable[marker]() if marker in searchable else html)
                del html  # the References page is tens of MB at 10,000 works: one copy at a time
        meta = site.metas.get(src_uri)
        if meta is not None and meta.is_evidence_page:
            content += "\n" + site.evidence.related(meta, graph, link, work_link, work_text)
        note_extra = (lambda group: corrections.note(group.numeral, list(dict.fromkeys(group.keys)))) if corrections else None
        if record.notes:  # each note's preview shows its works' references
            site.library.read_references(key for group in record.notes for key in group.keys)
        notes = render_notes_section(record.notes, site.library, strings, work_link, note_extra) if record.notes else ""
        content = compat.place_notes(content, notes)  # where \bibliography stood, else at the end
        if corrections:  # "Suggest a correction" for the page as a whole (not searched)
            content += corrections.page()
        if options.exports and src_uri not in self.stands_for:  # "Cite this page" (not searched)
            content += site.site_exports.cite_this_page(page.title or "", page.url, site.news.version_read(src_uri))
        # Search indexes the text without notes, numerals and link lists, plus one line naming
        # the studies the page cites, so an author's name finds the page.
        return content, with_sources_line(search_content, record, site.library, strings)

    def anchor_ids(self, record) -> set[str]:
        """Ids written in the final HTML, so link validation knows links to them are good."""
        site = self.site
        ids = {group.anchor for group in record.groups}
        ids.update(f"endnote-{group.numeral}" for group in record.notes)
        if record.notes:
            ids.add("notes")
        ids.update(site.references.anchor_ids(record.src_uri))
        if record.src_uri in self.evidence_pages:
            ids.add("related")
        if record.src_uri == site.options.whats_new_page and site.news.history is not None:
            ids.update(change.anchor for change in site.news.history.changes)
        return ids
