"""Full references in the Harvard (author-date) style the review uses, via pybtex's templates.

`Abbott, D., Townsley, R. and Watson, D. (2005a) 'Title', Journal, 13(2), pp. 155-163.`
Rendered with pybtex's HTML backend, which escapes every field's text: a title cannot inject
HTML. Its links are not escaped by pybtex, so `SafeHTMLBackend` escapes them, and only http(s)
URLs and DOIs become links at all (`weblinks`).
"""

from __future__ import annotations

import re

from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import (
    FieldIsMissing, first_of, href, join, node, optional, sentence, tag, words,
)

from .bibliography import Work, initials, latex_source, latex_to_text
from .weblinks import doi_url, http_url

_LATEX_SPECIALS = re.compile(r"[\\{}$~%]|--|``")


def _rich(value: str) -> Text:
    """Plain text as is; only text with LaTeX markup goes through pybtex's LaTeX parser (slow).
    `%` is text in a BibTeX value (`latex_source`); what the parser cannot read is shown as text."""
    if not _LATEX_SPECIALS.search(value):
        return Text(value)
    try:
        return Text.from_latex(latex_source(value))
    except (PybtexError, ValueError):
        return Text(latex_to_text(value))


@node
def field(children, context, name, apply_func=None):
    """pybtex's `field`, with the plain-text fast path."""
    entry = context["entry"]
    value = entry.fields.get(name)
    if not value:
        raise FieldIsMissing(name, entry)
    text = _rich(value)
    return apply_func(text) if apply_func else text


def _person(person) -> str:
    surname = latex_to_text(" ".join(person.prelast_names + person.last_names))
    lineage = latex_to_text(" ".join(person.lineage_names))
    given = initials(person.first_names + person.middle_names)
    return surname + (f", {lineage}" if lineage else "") + (f", {given}" if given else "")


def _is_others(person) -> bool:
    return " ".join(person.last_names).lower() == "others" and not person.first_names


@node
def harvard_names(children, context, role="author"):
    """`Abbott, D., Townsley, R. and Watson, D.`; 'and others' becomes `et al.`."""
    entry = context["entry"]
    persons = entry.persons.get(role)
    if not persons:
        raise FieldIsMissing(role, entry)
    named = [p for p in persons if not _is_others(p)]
    parts = [Text(_person(p)) for p in named]
    if len(named) < len(persons):
        return join[join(sep=", ")[parts], " et al."].format_data(context)
    return join(sep=", ", sep2=" and ", last_sep=" and ")[parts].format_data(context)


@node
def year_in_brackets(children, context):
    return Text("(", context["year_text"], ")")


def _link_or_text(target: str | None, text: str, context) -> Text:
    """A link where the field is a safe web address; the same words as plain text otherwise."""
    return href(target)[text].format_data(context) if target else Text(text)


@node
def doi_link(children, context):
    doi = context["entry"].fields.get("doi")
    if not doi:
        raise FieldIsMissing("doi", context["entry"])
    return Text("doi: ", _link_or_text(doi_url(doi), doi, context))


@node
def url_link(children, context):
    url = context["entry"].fields.get("url")
    if not url:
        raise FieldIsMissing("url", context["entry"])
    return Text("Available at: ", _link_or_text(http_url(url), url, context))


def _author_year():
    return words[first_of[harvard_names("author"), harvard_names("editor"), field("organization"), field("institution")], year_in_brackets]


def _links():
    return optional[sentence(add_period=True)[first_of[optional[doi_link], optional[url_link]]]]


def _safe_html_backend():
    """pybtex's HTML backend, with link targets escaped (pybtex writes them into href as they are)."""
    from html import escape

    from pybtex.backends.html import Backend

    class SafeHTMLBackend(Backend):
        def format_href(self, url, text, external=False):
            return f'<a href="{escape(url, quote=True)}">{text}</a>' if text else ""

    return SafeHTMLBackend()


_PROTECTED = re.compile(r'<span class="bibtex-protected">([^<]*)</span>')


class HarvardStyle(BaseStyle):
    """Cite Them Right-like Harvard; one template per entry type, a generic one for the rest."""

    default_name_style = "lastfirst"
    default_label_style = "number"
    default_sorting_style = "none"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # One backend for every entry: render_as("html") looks it up through entry points each time.
        self.html_backend = _safe_html_backend()

    def format_reference(self, work: Work, entry) -> str:
        context = {"entry": entry, "style": self, "bib_data": None, "year_text": work.year_text()}
        template = getattr(self, f"template_{work.entry_type}", self.template_generic)
        html = template().format_data(context).render(self.html_backend)
        # Braces protect case in LaTeX; on the web they are noise.
        return _PROTECTED.sub(r"\1", html)

    @staticmethod
    def template_article():
        return join(sep=" ")[
            _author_year(),
            sentence(add_period=True)[
                optional[join["‘", field("title"), "’"]],
                optional[tag("em")[first_of[field("journal"), field("journaltitle")]]],
                optional[join[field("volume"), optional["(", field("number"), ")"]]],
                optional[join["pp. ", field("pages", apply_func=_dash)]],
            ],
            _links(),
        ]

    @staticmethod
    def template_book():
        return join(sep=" ")[
            _author_year(),
            optional[sentence[tag("em")[field("title")]]],
            optional[sentence[optional[field("edition"), " edn"]]],
            optional[sentence[join(sep=": ")[optional[field("address")], field("publisher")]]],
            _links(),
        ]

    @staticmethod
    def template_techreport():
        return join(sep=" ")[
            _author_year(),
            optional[sentence[tag("em")[field("title")]]],
            optional[sentence[join(sep=", ")[optional[field("type")], optional[field("number")]]]],
            optional[sentence[join(sep=": ")[optional[field("address")], field("institution")]]],
            _links(),
        ]

    @staticmethod
    def template_incollection():
        return join(sep=" ")[
            _author_year(),
            optional[join["‘", field("title"), "’,"]],
            optional[sentence[join["in ", tag("em")[field("booktitle")]]]],
            optional[sentence[join(sep=": ")[optional[field("address")], field("publisher")]]],
            optional[sentence[join["pp. ", field("pages", apply_func=_dash)]]],
            _links(),
        ]

    template_inbook = template_incollection
    template_inproceedings = template_incollection

    @staticmethod
    def template_generic():
        return join(sep=" ")[
            _author_year(),
            optional[sentence[tag("em")[field("title")]]],
            optional[sentence[first_of[field("howpublished"), field("journal"), field("journaltitle"), field("institution"), field("organization"), field("publisher")]]],
            _links(),
        ]


def _dash(pages: Text) -> Text:
    return Text(*[str(part).replace("--", "–") if isinstance(part, str) else part for part in pages.parts])


def format_references(works: list[Work], entries: dict) -> None:
    """Fill `reference_html` of each work, formatting each entry exactly once."""
    style = HarvardStyle()
    for work in works:
        try:
            work.reference_html = style.format_reference(work, entries[work.key])
        except (PybtexError, KeyError, ValueError):  # a field pybtex cannot render must not break the site
            work.reference_html = _escape(f"{work.label} ({work.year_text()})")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
