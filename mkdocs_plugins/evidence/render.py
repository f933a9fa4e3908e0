"""HTML for markers, notes, in-text citations and the references list.

Pure functions: they take records and a `link_to_work(key)` callable, so tests can feed
plain dicts. Every text that comes from BibTeX or markdown is escaped here.
"""

from __future__ import annotations

import html
import re
from typing import Callable

from .bibliography import Library, Work
from .citations import NARRATIVE, NOTE, CitationGroup
from .markdown_ext import PLACEHOLDER_RE
from .registry import CitingPlace

LinkToWork = Callable[[str], str]


def esc(text: str) -> str:
    # Most texts (URLs, keys, labels) need no escaping: five `in` tests cost a quarter of
    # html.escape's five replaces, and the plugin escapes 100,000 texts at 200 pages.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def render_marker(group: CitationGroup, strings: dict[str, str]) -> str:
    """The superscript numeral; a footnote-ref link so Material previews the note on hover."""
    label = strings["endnote_label"].format(numeral=group.numeral)
    lang = strings.get("lang_attr", "")
    return (
        f'<sup class="evidence-ref" id="{group.anchor}" data-search-exclude>'
        f'<a class="footnote-ref" href="#endnote-{group.numeral}" aria-label="{esc(label)}"{lang}>{group.numeral}</a></sup>'
    )


def _work_link(work: Work | None, key: str, text: str, link_to_work: LinkToWork) -> str:
    if work is None:  # already reported as key_not_found; keep the key visible
        return f'<span class="evidence-missing" data-key="{esc(key)}">{esc(text)}</span>'
    return f'<a class="evidence-work" data-key="{esc(work.key)}" href="{esc(link_to_work(work.key))}">{esc(text)}</a>'


def _works_cited(group: CitationGroup, library: Library, strings: dict[str, str], link_to_work: LinkToWork) -> str:
    """`Atkinson et al., 2005; 2007; see Cheminais, 2009, p. 42` with each work linked.

    Consecutive works with the same label show the label once; a `-@key` work shows its year only.
    """
    parts = []
    previous_label = None
    for citation in group.citations:
        work = library.get(citation.key)
        label = work.label if work else citation.key
        year = work.year_text(strings["no_date"]) if work else "?"
        same_author = label == previous_label and not citation.prefix
        text = year if (citation.suppress_author or same_author) else f"{label}, {year}"
        piece = _work_link(work, citation.key, text, link_to_work)
        if citation.prefix:
            piece = f"{esc(citation.prefix)} {piece}"
        if citation.locator:
            piece += f", {esc(citation.locator)}"
        parts.append(piece)
        previous_label = label
    return "; ".join(parts)


def note_body(group: CitationGroup, library: Library, strings: dict[str, str], link_to_work: LinkToWork) -> str:
    """An endnote's text: the works cited, then a full stop."""
    return _works_cited(group, library, strings, link_to_work) + "."


def render_inline(group: CitationGroup, library: Library, strings: dict[str, str], link_to_work: LinkToWork) -> str:
    """Narrative `Atkinson (2002)` / `Abbott et al. (2005b, p. 235)`, or parenthetical `(2002; 2006)`."""
    if group.mode == NARRATIVE:
        citation = group.citations[0]
        work = library.get(citation.key)
        if work is None:
            return _work_link(None, citation.key, "@" + citation.key, link_to_work)
        inside = work.year_text(strings["no_date"]) + (f", {citation.locator}" if citation.locator else "")
        return (
            f'<a class="evidence-cite" id="{group.anchor}" data-key="{esc(work.key)}" '
            f'href="{esc(link_to_work(work.key))}">{esc(work.label)} ({esc(inside)})</a>'
        )
    return f'<span class="evidence-cite" id="{group.anchor}">(' + _works_cited(group, library, strings, link_to_work) + ")</span>"


def resolve_citations(html: str, groups: dict[str, CitationGroup], library: Library, strings: dict[str, str],
                      link_to_work: LinkToWork) -> tuple[str, str]:
    """`html` with each placeholder written: the page, and the text for search (no numerals,
    which would match every search for "i", "v", "x"). One pass: split() gives text, then each
    placeholder's attributes before its number, the number, the attributes after, then text."""
    shown = PLACEHOLDER_RE.split(html)
    searched = shown[:]
    for index in range(2, len(shown), 4):
        group = groups[shown[index]]
        if group.mode == NOTE:
            shown[index] = _with_attributes(render_marker(group, strings), shown[index - 1] + shown[index + 1])
            searched[index] = ""
        else:
            shown[index] = searched[index] = _with_attributes(render_inline(group, library, strings, link_to_work),
                                                              shown[index - 1] + shown[index + 1])
        shown[index - 1] = shown[index + 1] = searched[index - 1] = searched[index + 1] = ""
    return "".join(shown), "".join(searched)


_ATTRIBUTE = re.compile(r' ([\w:-]+)="([^"]*)"')


def _with_attributes(element: str, attributes: str) -> str:
    """Attributes an attribute list gave the citation (`[@a]{: .important }`), on its outer element:
    classes added to ours; its own id stays (the back-links need it)."""
    if not attributes:
        return element
    classes, others = [], []
    for name, value in _ATTRIBUTE.findall(attributes):  # already escaped by Markdown's serializer
        if name == "class":
            classes.append(value)
        elif name != "id":
            others.append(f' {name}="{value}"')
    head, rest = element.split(">", 1)
    if classes:
        head = re.sub(r'class="([^"]*)"', lambda m: f'class="{m.group(1)} {" ".join(classes)}"', head, count=1)
    return head + "".join(others) + ">" + rest


def note_preview(group: CitationGroup, library: Library, strings: dict[str, str]) -> str:
    """The full reference of each work in a note, for the marker's preview (not the Notes list).

    Authors, year, title, container and link, as on the References page; works not yet verified
    say so; the note's locator after a dash (`— p. 42`). Hidden in the page by evidence.css.
    """
    items = []
    for citation in group.citations:
        work = library.get(citation.key)
        if work is None:
            continue  # reported as key_not_found
        reference = work.reference_html or esc(f"{work.label} ({work.year_text(strings['no_date'])})")
        status = "" if work.verified else f' <span class="evidence-unverified">({esc(strings["unverified"])})</span>'
        locator = f' <span class="evidence-preview-locator">&#8212; {esc(citation.locator)}</span>' if citation.locator else ""
        items.append(f"<p>{reference}{status}{locator}</p>")
    return f'<div class="evidence-note-preview">{"".join(items)}</div>'


def render_notes_section(notes: list[CitationGroup], library: Library, strings: dict[str, str], link_to_work: LinkToWork,
                         extra: Callable[[CitationGroup], str] | None = None) -> str:
    """The page's Notes: an ordered list whose items carry the numerals as ids.

    Material's tooltip shows a copy of the children of the target element: the note (short
    form, in a <p>) and its hidden full references (note_preview); evidence.css shows only the
    latter in the preview. The back-link arrow is written `&#8617;` (↩): one character beyond
    Latin-1 makes Python hold the whole page at two bytes per character. `extra(group)` is HTML
    added after the back-link ("Suggest a correction"), inside the note's <p>, which the preview hides.
    """
    items = []
    lang = strings.get("lang_attr", "")  # the interface's strings in another language's text
    for group in notes:
        back = esc(strings["back_to_marker"].format(numeral=group.numeral))
        items.append(
            f'<li id="endnote-{group.numeral}" value="{group.number}">'
            f'<p class="evidence-note"><span class="evidence-note-numeral" aria-hidden="true" data-search-exclude>{group.numeral}</span> '
            f"{note_body(group, library, strings, link_to_work)} "
            f'<a class="footnote-backref" href="#{group.anchor}" aria-label="{back}" title="{back}" data-search-exclude{lang}>&#8617;</a>'
            f'{extra(group) if extra else ""}</p>'
            f"{note_preview(group, library, strings)}</li>"
        )
    heading = esc(strings["notes"])
    return (
        f'<h2 id="notes"{lang}>{heading}<a class="headerlink" href="#notes" title="Permanent link">&para;</a></h2>\n'
        f'<ol class="evidence-notes">\n' + "\n".join(items) + "\n</ol>"
    )


def place_text(place: CitingPlace, strings: dict[str, str], kind_labels: dict[str, str] | None = None) -> str:
    """`<Kind label>: <page title> (ix)` on an evidence page (`kind_labels`: kind -> label),
    `<page title> (ix)` elsewhere, `(in the text)` for a narrative citation."""
    group = place.group
    suffix = f" ({group.numeral})" if group.numeral else f" ({strings['in_text']})"
    kind = (kind_labels or {}).get(place.page.kind, "")
    return f"{kind + ': ' if kind else ''}{place.page.title}{suffix}"


def render_references(
    works: list[Work],
    places: dict[str, list[CitingPlace]] | None,
    strings: dict[str, str],
    link_to_place: Callable[[CitingPlace], str],
    extra: Callable[[Work], str] | None = None,
    kind_labels: dict[str, str] | None = None,
    list_attributes: str = "",
) -> str:
    """The references list: each work's Harvard reference, its status, and where it is cited.

    `places=None` leaves out the Cited in lists (the text given to search); `extra(work)` is
    HTML added at the end of each item (the exports); `kind_labels` name the evidence pages' kinds;
    `list_attributes` goes in the list's tag.
    """
    items = []
    for work in works:
        cited = (places or {}).get(work.key.lower(), [])
        if places is None:
            cited_html = ""
        elif cited:
            links = ", ".join(
                f'<a href="{esc(link_to_place(place))}">{esc(place_text(place, strings, kind_labels))}</a>' for place in cited
            )
            cited_html = f'<p class="evidence-cited-in"><strong>{esc(strings["cited_in"])}:</strong> {links}</p>'
        else:
            cited_html = f'<p class="evidence-cited-in">{esc(strings["not_cited"])}</p>'
        status = "" if work.verified else f' <span class="evidence-unverified">({esc(strings["unverified"])})</span>'
        items.append(
            f'<li id="ref-{esc(work.key)}" class="evidence-reference"><p>{work.reference_html}{status}</p>\n{cited_html}'
            f'{extra(work) if extra else ""}</li>'
        )
    return f'<ul class="evidence-references"{list_attributes}>\n' + "\n".join(items) + "\n</ul>"


def with_sources_line(html: str, record, library: Library, strings: dict[str, str]) -> str:
    """Insert, after the page's H1, one line naming each work the page cites, for search."""
    works = []
    for key in dict.fromkeys(key.lower() for group in record.groups for key in group.keys):
        work = library.get(key)
        if work is not None:
            works.append(f"{work.label} {work.year_text(strings['no_date'])}")
    if not works:
        return html
    line = f'<p>{esc(strings["sources_cited"])}: {esc("; ".join(works))}.</p>'
    end_of_h1 = html.find("</h1>")
    if end_of_h1 == -1:
        return line + html
    end_of_h1 += len("</h1>")
    return html[:end_of_h1] + line + html[end_of_h1:]
