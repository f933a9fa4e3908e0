"""Print: every page prints its text, endnotes and references without navigation chrome; the
whole-review print view reproduces the review in order with endnotes i to xliv. Checked with
print media emulation on every page and by printing to PDF in Chromium (text read by pypdf)."""

from __future__ import annotations

import io
import re

import pytest

CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
          ".reader-language", ".md-search", ".md-skip"]

PRINT_STATE = """(chrome) => {
  const shown = el => { const cs = getComputedStyle(el); const r = el.getBoundingClientRect();
                        return cs.display !== 'none' && cs.visibility !== 'hidden' && r.width > 0 && r.height > 0; };
  const visibleChrome = chrome.filter(sel => [...document.querySelectorAll(sel)].some(shown));
  const small = [];
  for (const el of document.querySelectorAll('.evidence-notes li, .evidence-references li')) {
    if (!shown(el)) { small.push(el.id + ' hidden'); continue; }
    const cs = getComputedStyle(el);
    if (parseFloat(cs.fontSize) < 10) small.push(el.id + ' ' + cs.fontSize);
    const c = cs.color.match(/[\\d.]+/g).map(Number);
    if (c[0] > 110 || c[1] > 110 || c[2] > 110) small.push(el.id + ' light ink ' + cs.color);
  }
  return {visibleChrome, small,
          notes: document.querySelectorAll('.evidence-notes li').length,
          references: document.querySelectorAll('.evidence-references li').length};
}"""


VISIBLE = """(selectors) => selectors.filter(sel => [...document.querySelectorAll(sel)].some(el => {
  const cs = getComputedStyle(el); const r = el.getBoundingClientRect();
  return cs.display !== 'none' && cs.visibility !== 'hidden' && r.width > 0 && r.height > 0; }))"""


def _pdf_text(page) -> str:
    from pypdf import PdfReader
    data = page.pdf(format="A4", print_background=False)
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_prints_notes_and_references_without_chrome(session_factory, english_pages, scheme):
    session = session_factory(color_scheme=scheme)
    page = session.page
    page.emulate_media(media="print")
    for path in english_pages:
        session.open(path, wait_until="domcontentloaded")
        state = page.evaluate(PRINT_STATE, CHROME)
        assert state["visibleChrome"] == [], f"/{path}: printed with {state['visibleChrome']}"
        assert state["small"] == [], f"/{path}: notes/references not legible in print: {state['small'][:5]}"
        if path == "references/":
            assert state["references"] > 50


def test_pages_print_to_pdf_with_their_endnotes(session):
    page = session.open("factors/key-worker/")
    text = _pdf_text(page)
    assert "A key worker" in text
    assert "Notes" in text
    for numeral in ("ix", "x", "xi", "xii"):
        assert re.search(rf"(?m)^\s*{numeral}\b", text), f"note {numeral} not printed"
    assert "Abbott" in text
    for chrome in ("Cymraeg", "Skip to content", "Search", "Accessibility statement"):
        assert chrome not in text, f"{chrome!r} printed"

    page = session.open("references/")
    text = _pdf_text(page)
    assert "References" in text and "Abbott, D." in text


def test_whole_review_print_view_has_the_review_in_order_with_endnotes_i_to_xliv(session):
    page = session.open("print/")
    numerals = page.eval_on_selector_all(".evidence-notes li", "els => els.map(e => e.id.replace('endnote-', ''))")
    markers = page.eval_on_selector_all(".evidence-ref", "els => els.map(e => e.id.replace('endnote-ref-', ''))")
    roman = [_roman(n) for n in range(1, 45)]
    assert numerals == roman, numerals
    assert markers == roman, markers
    # Every marker links to its note and back, inside this one page.
    for numeral in ("i", "xiv", "xliv"):
        assert page.get_attribute(f"#endnote-ref-{numeral} a", "href") == f"#endnote-{numeral}"
        assert page.get_attribute(f"#endnote-{numeral} a.footnote-backref", "href") == f"#endnote-ref-{numeral}"
    # Light on screen: the site's aids around the review (previews' hidden full references, Cited
    # in, COinS, export and Related blocks) are left out; the view was 2,245 elements with them.
    aids = ".evidence-note-preview, .evidence-cited-in, span.Z3988, .evidence-export, .evidence-related"
    assert page.locator(aids).count() == 0
    assert page.evaluate("document.querySelectorAll('*').length") < 1600
    # Served as Material's page without JavaScript (overrides/print-view.html): neither the
    # theme's script nor the plugin's loads, only the reader's; what needs a script is out of sight.
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    assert [src.rsplit("/", 1)[-1] for src in scripts] == ["reader.js"], scripts
    assert page.evaluate("document.documentElement.classList.contains('no-js')")
    dead_controls = ['label[for="__search"]', ".md-search", "[data-md-component=palette] label", ".evidence-copy"]
    assert page.evaluate(VISIBLE, dead_controls) == []
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids in the print view"
    # Links into other pages of the review stay inside the document.
    work = page.get_attribute("#endnote-i a.evidence-work", "href")
    assert work.startswith("#ref-") and page.locator(work).count() == 1
    # Pages in the review's order: sections follow the nav.
    titles = page.eval_on_selector_all(".reader-print-page h2:first-child", "els => els.map(e => e.textContent.replace('¶', '').trim())")
    assert titles[0].startswith("Multi-agency working") and titles[-1] == "References", titles
    assert titles.index("A key worker") < titles.index("Placement stability") < titles.index("Conclusions")

    page.emulate_media(media="print")
    text = _pdf_text(page)
    positions = []
    for sentence in ("multi-agency working", "A key worker", "Placement stability", "Conclusions", "References"):
        assert sentence in text, f"{sentence!r} missing from the PDF"
        positions.append(text.index(sentence))
    assert positions == sorted(positions), "the PDF is not in the review's order"
    notes = re.findall(r"(?m)^\s*([ivxl]+)\s+[A-Z(]", text)
    found = [n for n in notes if n in roman]
    assert [n for n in roman if n not in found] == [], f"notes missing from the PDF: {[n for n in roman if n not in found]}"
    for chrome in ("Cymraeg", "Skip to content", "Accessibility statement"):
        assert chrome not in text, f"{chrome!r} printed"


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


@pytest.mark.parametrize("scheme, expected", [("light", "default"), ("dark", "slate")])
def test_print_view_takes_the_devices_colour_scheme_without_materials_script(session_factory, scheme, expected):
    """Material's script picks the palette matching the device's preference; the print view runs
    without it (reader.js does it there), and a scheme the reader chose on another page wins."""
    session = session_factory(color_scheme=scheme)
    page = session.open("print/")
    page.wait_for_function("expected => document.body.getAttribute('data-md-color-scheme') === expected", arg=expected)
    other = {"default": "slate", "slate": "default"}[expected]
    page = session.open("factors/key-worker/")  # Material's script runs here: choose the other scheme
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    page.locator(f"[data-md-component=palette] label:not([hidden])").first.click()
    page.wait_for_function("other => document.body.getAttribute('data-md-color-scheme') === other", arg=other)
    page = session.open("print/")
    page.wait_for_function("other => document.body.getAttribute('data-md-color-scheme') === other", arg=other)
