"""Endnotes by keyboard and mouse: Tab reaches every marker with a visible focus that the
sticky header does not cover, Enter goes to the note, the note's back-link comes back; note
previews (Material's footnote tooltips) stay while hovered and close with Escape."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect();
  const cs = getComputedStyle(el);
  return {
    cls: el.className, href: el.getAttribute('href'), label: el.getAttribute('aria-label'),
    top: r.top, bottom: r.bottom, headerBottom: header.bottom, viewport: innerHeight,
    outline: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth),
  };
}"""

IN_VIEW = """(id) => {
  const el = document.getElementById(id);
  const r = el.getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect();
  return r.top >= header.bottom - 1 && r.top < innerHeight && r.height > 0;
}"""


def _assert_visible_focus(state, where):
    assert state["outline"] != "none" and state["outlineWidth"] >= 1.5, f"{where}: no visible focus outline: {state}"
    assert state["top"] >= state["headerBottom"] - 1, f"{where}: focused element under the header: {state}"
    assert state["bottom"] <= state["viewport"], f"{where}: focused element below the viewport: {state}"


def _tab_to(page, predicate, where, limit=400):
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state and predicate(state):
            return state
    raise AssertionError(f"{where}: not reached with Tab in {limit} presses")


def test_tab_enter_and_back_link_for_every_endnote(session, english_pages):
    page = session.page
    reached = []
    for path in english_pages:
        if path.startswith("print/"):
            continue
        session.open(path)
        numerals = page.eval_on_selector_all("article .evidence-ref", "els => els.map(e => e.id.replace('endnote-ref-', ''))")
        if not numerals:
            continue
        # 1. Tab from the top reaches every marker, in order, each with a visible, uncovered focus.
        page.keyboard.press("Escape")
        for numeral in numerals:
            state = _tab_to(page, lambda s: "footnote-ref" in s["cls"] and s["href"] == f"#endnote-{numeral}",
                            f"/{path} marker {numeral}")
            _assert_visible_focus(state, f"/{path} marker {numeral}")
            assert state["label"] == f"Endnote {numeral}"
            reached.append(numeral)
        # 2. Enter on each marker goes to its note; Tab then reaches the note's back-link,
        #    and Enter on it comes back to the marker.
        for numeral in numerals:
            page.focus(f"#endnote-ref-{numeral} a")
            page.keyboard.press("Enter")
            page.wait_for_function("(h) => location.hash === h", arg=f"#endnote-{numeral}")
            assert page.evaluate(IN_VIEW, f"endnote-{numeral}"), f"/{path}: note {numeral} not shown below the header"
            state = _tab_to(page, lambda s: "footnote-backref" in s["cls"], f"/{path} note {numeral} back-link", limit=12)
            assert state["href"] == f"#endnote-ref-{numeral}", f"/{path}: Tab from note {numeral} reached {state}"
            _assert_visible_focus(state, f"/{path} back-link {numeral}")
            page.keyboard.press("Enter")
            page.wait_for_function("(h) => location.hash === h", arg=f"#endnote-ref-{numeral}")
            assert page.evaluate(IN_VIEW, f"endnote-ref-{numeral}"), f"/{path}: back-link {numeral} did not return to the marker"
            # Focus navigation continues from the marker: Tab goes to what follows it.
            page.keyboard.press("Tab")
            after = page.evaluate("() => { const a = document.activeElement; const m = document.getElementById(arguments[0]); return !!(m.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING); }".replace("arguments[0]", f"'endnote-ref-{numeral}'"))
            assert after, f"/{path}: after the back-link {numeral}, Tab did not continue from the marker"
    assert len(reached) == 44, reached


def _preview(page):
    return page.evaluate("""() => {
      const t = document.querySelector('.md-tooltip2');
      if (!t) return null;
      const inner = t.querySelector('.md-tooltip2__inner');
      const r = inner.getBoundingClientRect();
      return {visible: getComputedStyle(t).display !== 'none' && getComputedStyle(t).visibility !== 'hidden' && r.height > 0,
              text: inner.textContent.replace(/\\s+/g, ' ').trim(), x: r.x + r.width / 2, y: r.y + r.height / 2};
    }""")


def _wait_closed(page, message: str) -> None:
    """The preview closes (the theme may close it on its next frame, not at once)."""
    try:
        page.wait_for_function("""() => { const t = document.querySelector('.md-tooltip2');
            if (!t) return true;
            const inner = t.querySelector('.md-tooltip2__inner'), style = getComputedStyle(t);
            return style.display === 'none' || style.visibility === 'hidden' || inner.getBoundingClientRect().height === 0;
        }""", timeout=15000)
    except PlaywrightTimeout:
        raise AssertionError(message) from None
    assert not (_preview(page) or {}).get("visible"), message


def test_note_preview_stays_while_hovered_and_closes_with_escape(session):
    page = session.open("factors/key-worker/")
    marker = page.locator("#endnote-ref-ix a")
    note_text = page.locator("#endnote-ix").inner_text().replace("↩", "").split(None, 1)[1].strip()
    marker.scroll_into_view_if_needed()

    # Hover shows the note; moving onto the preview keeps it (1.4.13 hoverable).
    marker.hover()
    page.wait_for_function("() => !!document.querySelector('.md-tooltip2--active')")
    preview = _preview(page)
    assert preview and preview["visible"], "no preview on hover"
    # The preview holds the note's work in full (test_previews.py checks every marker).
    assert note_text.split(",")[0] in preview["text"] and "(2006)" in preview["text"], "the preview is not the note's work"
    page.mouse.move(preview["x"], preview["y"], steps=8)
    page.wait_for_function("() => !!document.querySelector('.md-tooltip2:hover')")  # the pointer is on it
    # A page timer longer than the theme's close delay: had leaving the marker scheduled a close,
    # it would have run first (timers run in order of their time, however busy the machine).
    page.evaluate("() => new Promise(done => setTimeout(done, 1000))")
    assert (_preview(page) or {}).get("visible"), "the preview closed while the pointer was on it"

    # Escape closes it without moving the pointer (1.4.13 dismissible).
    page.keyboard.press("Escape")
    _wait_closed(page, "Escape did not close the preview")
    # Moving away and hovering a marker again shows the preview again.
    page.mouse.move(5, 700, steps=4)
    page.wait_for_function("() => !document.querySelector('.md-tooltip2--active')")
    marker.hover()
    page.wait_for_function("() => !!document.querySelector('.md-tooltip2--active')")
    assert (_preview(page) or {}).get("visible"), "the preview did not show again after Escape"
    page.mouse.move(5, 700, steps=4)

    # Keyboard focus shows the preview too, and Escape closes it with the focus still there.
    page.focus("#endnote-ref-x a")
    page.wait_for_function("() => !!document.querySelector('.md-tooltip2--active')")
    assert (_preview(page) or {}).get("visible")
    page.keyboard.press("Escape")
    _wait_closed(page, "Escape did not close the focus preview")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#endnote-x"
    # The next marker's preview shows normally.
    page.focus("#endnote-ref-xi a")
    page.wait_for_function("() => !!document.querySelector('.md-tooltip2--active')")
    assert (_preview(page) or {}).get("visible"), "after Escape, the next marker had no preview"
    # Nothing in a preview is only in the preview: it is a copy of the note on the page.
    assert page.locator("#endnote-xi").is_visible() or page.locator("#endnote-xi").count() == 1
