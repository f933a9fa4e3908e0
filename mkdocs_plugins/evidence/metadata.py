"""What a page tells crawlers and reference managers in its `<head>`: addresses, scholarly metadata.

Pure functions over the library's `Work`s and plain strings (no MkDocs): the plugin gives each
page its title, absolute URL, summary and final HTML, and puts the HTML returned by
`head_html` into the page's `<head>` (overrides/main.html renders it).

- Addresses: `<link rel="canonical">` and `<link rel="alternate" hreflang>` for each interface
  of the site (and `x-default`); `robots_txt` names every interface's sitemap.
- Highwire Press `citation_*` tags (Google Scholar's inclusion guidelines) from the BibTeX entry
  of the work the site republishes. Zotero's "Embedded Metadata" translator takes its item type
  from the last of `citation_journal_title`, `citation_technical_report_institution`,
  `citation_conference_title`, `citation_book_title`/`citation_inbook_title`,
  `citation_dissertation_institution` in the head, and guesses "journalArticle" from a bare
  `citation_title`: so exactly one of those tags is written, the one the entry's type calls for.
- schema.org JSON-LD (json_ld.py): the page as part of the work, `citation` = one entry per
  work it cites.
- A description of its own (front-matter summary, or the first sentence of the page), repeated
  in Open Graph and Twitter card tags with an image served by the site itself.
COinS for each reference, so Zotero's connector offers them, are in coins.py; what these read of a
work (authors, date, fields as text) is in work_facts.py.

Every value is escaped for where it goes: attribute values with `html.escape`, JSON-LD with
`<`, `>` and `&` as JSON escapes so nothing in a title can close the `<script>` element.
"""

from __future__ import annotations

import html
import re

from .bibliography import Work
from .json_ld import json_for_script, json_ld
from .render import esc
from .weblinks import bare_doi
from .work_facts import PageFacts, _field, creators, page_citation_title, publication_date

# BibTeX entry type -> (Highwire tag naming the container or institution, its BibTeX fields).
# One tag per type: Zotero's item type follows it (report, journal article, thesis, ...).
HIGHWIRE_KIND = {
    "techreport": ("citation_technical_report_institution", ("institution", "publisher", "organization")),
    "report": ("citation_technical_report_institution", ("institution", "publisher", "organization")),
    "manual": ("citation_technical_report_institution", ("organization", "institution", "publisher")),
    "article": ("citation_journal_title", ("journal", "journaltitle")),
    "phdthesis": ("citation_dissertation_institution", ("school", "institution")),
    "mastersthesis": ("citation_dissertation_institution", ("school", "institution")),
    "thesis": ("citation_dissertation_institution", ("school", "institution")),
    "inproceedings": ("citation_conference_title", ("booktitle", "eventtitle")),
    "conference": ("citation_conference_title", ("booktitle", "eventtitle")),
}
_ABBREVIATION = re.compile(r"(?:\b(?:al|e\.g|i\.e|etc|cf|p|pp|ch|no|vol|ed|eds|Dr|Mr|Mrs|Ms|St)|\b[A-Z])\.$")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")
_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_SUP = re.compile(r"<sup\b.*?</sup>", re.S)
_TAG = re.compile(r"<[^>]+>")
DESCRIPTION_LIMIT = 300


# --- descriptions ----------------------------------------------------------------------------


def first_sentence(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The first sentence of plain text (not cut after `et al.`, `e.g.`, `p.`), at most `limit`
    characters (cut at a word, with an ellipsis)."""
    text = " ".join(text.split())
    for match in _SENTENCE_END.finditer(text):
        candidate = text[:match.end()]
        if not _ABBREVIATION.search(candidate.rstrip("\"”’)")):
            text = candidate
            break
    if len(text) > limit:
        text = text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def page_description(summary: str, content_html: str) -> str:
    """The front-matter summary, else the first sentence of the page's first paragraph
    (endnote markers left out)."""
    if summary.strip():
        return first_sentence(summary, limit=10 * DESCRIPTION_LIMIT)
    for match in _FIRST_PARAGRAPH.finditer(content_html):
        text = html.unescape(_TAG.sub("", _SUP.sub("", match.group(1)))).strip()
        if text:
            return first_sentence(text)
    return ""


# --- the head --------------------------------------------------------------------------------


def _meta(name: str, content: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{name}" content="{esc(content)}">'


def highwire_tags(review: Work, page: PageFacts) -> list[tuple[str, str]]:
    """Google Scholar's tags for the page, from the work's own entry."""
    tags = [("citation_title", page_citation_title(review, page))]
    tags += [("citation_author", creator.sort_form) for creator in creators(review)]
    date = publication_date(review)
    if date:
        tags.append(("citation_publication_date", date))
    kind = HIGHWIRE_KIND.get(review.entry_type)
    if kind is not None:
        value = _field(review, *kind[1])
        if value:
            tags.append((kind[0], value))
    if kind and kind[0] == "citation_technical_report_institution" and _field(review, "number"):
        tags.append(("citation_technical_report_number", _field(review, "number")))
    if review.entry_type in ("book", "booklet") and _field(review, "publisher"):
        tags.append(("citation_publisher", _field(review, "publisher")))
    if _field(review, "isbn"):
        tags.append(("citation_isbn", _field(review, "isbn")))
    doi = bare_doi(_field(review, "doi"))
    if doi:
        tags.append(("citation_doi", doi))
    if page.language:
        tags.append(("citation_language", page.language))
    if page.url:
        tags.append(("citation_public_url", page.url))
    return [(name, value) for name, value in tags if value]


def head_html(page: PageFacts, review: Work | None, works: list[Work], cited: dict[str, dict] | None = None) -> str:
    """Everything the page adds to `<head>`, one element per line, every value escaped."""
    lines = []
    if page.description:
        lines.append(_meta("description", page.description))
    if page.noindex:
        lines.append(_meta("robots", "noindex"))
    if page.url:
        lines.append(f'<link rel="canonical" href="{esc(page.url)}">')
    for language, url in page.alternates.items():
        lines.append(f'<link rel="alternate" hreflang="{esc(language)}" href="{esc(url)}">')
    if review is not None:
        lines.extend(_meta(name, value) for name, value in highwire_tags(review, page))
    title = page_citation_title(review, page) if review is not None else page.title
    social = [("og:type", "article"), ("og:title", title), ("og:description", page.description),
              ("og:url", page.url or ""), ("og:site_name", page.site_name), ("og:image", page.image_url or ""),
              ("og:image:alt", page.image_alt if page.image_url else "")]
    lines.extend(_meta(name, value, "property") for name, value in social if value)
    twitter = [("twitter:card", "summary_large_image" if page.image_url else "summary"), ("twitter:title", title),
               ("twitter:description", page.description), ("twitter:image", page.image_url or ""),
               ("twitter:image:alt", page.image_alt if page.image_url else "")]
    lines.extend(_meta(name, value) for name, value in twitter if value)
    if review is not None:
        lines.append(f'<script type="application/ld+json">{json_for_script(json_ld(review, page, works, cited))}</script>')
    return "\n".join(lines)


def alternates(page_url: str, interfaces: dict[str, str], root_url: str, default_language: str) -> dict[str, str]:
    """hreflang -> the page's absolute URL in every interface (`interfaces`: language -> folder
    under `root_url`), and `x-default` for the interface in `default_language` (else the root)."""
    out = {language: root_url + folder + page_url for language, folder in interfaces.items()}
    default = default_language if default_language in out else next(
        (language for language, folder in interfaces.items() if folder == ""), None)
    if default is not None:
        out["x-default"] = out[default]
    return out


def robots_txt(sitemaps: list[str]) -> str:
    """Every crawler may read every page; the sitemaps list them (noindex views excluded)."""
    return "User-agent: *\nAllow: /\n" + "".join(f"Sitemap: {url}\n" for url in sitemaps)


