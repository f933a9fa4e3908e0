"""COinS (`span.Z3988`, an OpenURL 1.0 ContextObject in KEV form) for each reference, so Zotero's
connector offers the works listed on a page. Pure functions over the library's `Work`s."""

from __future__ import annotations

import re
from urllib.parse import quote

from .bibliography import Work
from .library_exports import _pages
from .render import esc
from .weblinks import bare_doi
from .work_facts import _field, creators, publication_date, work_url

# BibTeX entry type -> (OpenURL metadata format, genre). Zotero reads book/bookitem as a book
# section, book/report as a report, book/proceeding as a conference paper.
COINS_KINDS = {
    "article": ("journal", "article"),
    "book": ("book", "book"), "booklet": ("book", "book"), "proceedings": ("book", "proceeding"),
    "inbook": ("book", "bookitem"), "incollection": ("book", "bookitem"),
    "inproceedings": ("book", "proceeding"), "conference": ("book", "proceeding"),
    "techreport": ("book", "report"), "report": ("book", "report"), "manual": ("book", "report"),
    "phdthesis": ("dissertation", None), "mastersthesis": ("dissertation", None), "thesis": ("dissertation", None),
}
COINS_DEFAULT = ("book", "document")


def coins_pairs(work: Work) -> list[tuple[str, str]]:
    """The OpenURL 1.0 ContextObject (KEV) of one work, as (key, value) pairs."""
    fmt, genre = COINS_KINDS.get(work.entry_type, COINS_DEFAULT)
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}")]
    if genre:
        pairs.append(("rft.genre", genre))
    title = _field(work, "title")
    container = _field(work, "journal", "journaltitle", "booktitle")
    if fmt == "journal":
        pairs += [("rft.atitle", title), ("rft.jtitle", container)]
    elif fmt == "dissertation":
        pairs += [("rft.title", title), ("rft.inst", _field(work, "school", "institution"))]
    elif genre in ("bookitem", "proceeding"):
        pairs += [("rft.atitle", title), ("rft.btitle", container)]
    else:
        pairs.append(("rft.btitle", title))
    people = creators(work)
    for index, creator in enumerate(people):
        if creator.literal:
            pairs.append(("rft.aucorp", creator.literal))
        elif index == 0:
            pairs += [("rft.aulast", creator.family), ("rft.aufirst", creator.given)]
        else:
            pairs.append(("rft.au", creator.sort_form))
    pairs.append(("rft.date", publication_date(work, separator="-")))
    if fmt != "dissertation":
        pairs.append(("rft.pub", _field(work, "publisher", "institution", "organization")))
        pairs.append(("rft.place", _field(work, "address", "location")))
    pairs += [("rft.volume", _field(work, "volume")), ("rft.edition", _field(work, "edition")),
              ("rft.series", _field(work, "series"))]
    if fmt == "journal":
        pairs.append(("rft.issue", _field(work, "number", "issue")))
    pages = _field(work, "pages")
    if pages:
        text, first, last = _pages(pages)
        pairs += [("rft.pages", text), ("rft.spage", first), ("rft.epage", last)]
    pairs += [("rft.issn", _field(work, "issn")), ("rft.isbn", _field(work, "isbn"))]
    doi = bare_doi(_field(work, "doi"))
    if doi:
        pairs.append(("rft_id", f"info:doi/{doi}"))
    url = work_url(work)
    if url:
        pairs.append(("rft_id", url))
    return [(key, value) for key, value in pairs if value]


# Percent-encoding for KEV values, as urllib's quote(safe="") does, at str.translate's speed
# (quote works byte by byte in Python: a second per 1,000 references).
_KEV_ASCII = {code: f"%{code:02X}" for code in range(128) if not (chr(code).isalnum() or chr(code) in "_.-~")}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def kev_quote(value: str) -> str:
    """`value` percent-encoded (UTF-8), every character but letters, digits and `_.-~`."""
    text = value.translate(_KEV_ASCII)
    if not text.isascii():
        text = _NON_ASCII.sub(lambda match: quote(match.group(0), safe=""), text)
    return text


def coins_html(work: Work) -> str:
    """`<span class="Z3988" title="...">`: invisible; Zotero's connector reads it. Made once per
    library: kept with the work's reference in the library cache (its key covers the .bib text
    and this package's code), so a warm build reads it (at 10,000 works, 2 s of a build)."""
    return work.coins_html or coins_span(work)


def coins_span(work: Work) -> str:
    """The span made from the work's fields."""
    kev = "&".join(f"{key}={kev_quote(value)}" for key, value in coins_pairs(work))
    return f'<span class="Z3988" title="{esc(kev)}"></span>'
