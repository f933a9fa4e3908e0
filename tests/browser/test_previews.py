"""Previews that inform: hovering or focusing an endnote marker shows the full reference of each
work in the note (as on the References page: authors, year, title, container, link), never just
"Davies, 2006"; the Notes list keeps the short form. Keyboard, Escape, a phone's screen, axe in
both colour schemes, the Welsh interface, and no request to another host."""

from __future__ import annotations

import re

import pytest

from .conftest import Session
from .test_accessibility import WCAG_TAGS

# The preview Material opened for marker n: the marker's aria-controls names it while it is open.
TOOLTIP = """(n) => {
  const id = document.querySelector(`#endnote-ref-${n} a`).getAttribute('aria-controls');
  const t = id && document.getElementById(id);
  return t && t.classList.contains('md-tooltip2--active') && t.querySelector('.evidence-note-preview') ? t : null;
}"""
PREVIEW = """(n) => {
  const t = (""" + TOOLTIP + """)(n);
  if (!t) return null;
  const inner = t.querySelector('.md-tooltip2__inner');
  const r = inner.getBoundingClientRect();
  const items = [...inner.querySelectorAll('.evidence-note-preview p')]
    .filter(li => getComputedStyle(li).display !== 'none')
    .map(li => li.textContent.replace(/\\s+/g, ' ').trim());
  const shortNote = inner.querySelector('.evidence-note');
  return {items, left: r.left, right: r.right, width: innerWidth,
          fontSize: parseFloat(getComputedStyle(inner.querySelector('.evidence-note-preview p') || inner).fontSize),
          overflowX: inner.scrollWidth - inner.clientWidth,
          shortShown: !!shortNote && getComputedStyle(shortNote).display !== 'none',
          links: [...inner.querySelectorAll('a[href]')].map(a => a.href)};
}"""

def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def references(browser, base_url) -> dict[str, str]:
    """Each work's reference text on the References page (key -> text, status included)."""
    session = Session(browser, base_url)
    try:
        return session.open("references/").eval_on_selector_all(
            "li.evidence-reference",
            "els => Object.fromEntries(els.map(li => [li.id.slice(4), li.querySelector('p').textContent]))")
    finally:
        session.close()


def _note_keys(page, numeral: str) -> list[str]:
    return page.eval_on_selector_all(f"#endnote-{numeral} p.evidence-note a.evidence-work",
                                     "els => els.map(a => a.dataset.key)")


def _show(page, numeral: str):
    page.keyboard.press("Escape")
    page.focus(f"#endnote-ref-{numeral} a")
    page.wait_for_function(f"(n) => !!({TOOLTIP})(n)", arg=numeral)
    return page.evaluate(PREVIEW, numeral)


def test_every_marker_previews_the_full_reference_of_each_work(session, english_pages, references):
    previewed = []
    for path in english_pages:
        if path.startswith("print/"):
            continue
        page = session.open(path)
        numerals = page.eval_on_selector_all("article .evidence-ref", "els => els.map(e => e.id.replace('endnote-ref-', ''))")
        for numeral in numerals:
            keys = _note_keys(page, numeral)
            preview = _show(page, numeral)
            where = f"/{path} marker {numeral}"
            assert preview and not preview["shortShown"], f"{where}: the preview shows the short note"
            assert len(preview["items"]) == len(keys), f"{where}: {preview['items']} for {keys}"
            for key, item in zip(keys, preview["items"]):
                full = _squash(references[key])
                assert item.startswith(full), f"{where}: {item!r} is not the reference of {key}: {full!r}"
                rest = item[len(full):]
                assert rest == "" or re.fullmatch(r" — [^—]+", rest), f"{where}: {item!r}: after the reference, {rest!r}"
            # The Notes list itself keeps the review's short form, without the full references.
            note = page.locator(f"#endnote-{numeral}")
            assert not note.locator(".evidence-note-preview").is_visible(), f"{where}: full references shown in the Notes"
            assert "(" not in note.locator("p.evidence-note").inner_text().split(",")[0], where
            previewed.append(numeral)
    assert len(previewed) == 44, previewed
    assert not session.foreign, f"requests to other hosts: {session.foreign}"


def test_preview_says_unverified_and_links_the_work(session, references):
    page = session.open("factors/co-location/")
    # xvii cites golden2011 (a report with its publisher's page) and he2015 (not yet verified).
    keys = _note_keys(page, "xvii")
    assert {"golden2011", "he2015"} <= set(keys), keys
    preview = _show(page, "xvii")
    golden = preview["items"][keys.index("golden2011")]
    assert "Golden, S., Durbin, B. and Aston, H. (2011)" in golden and "Devon Multi-agency Safeguarding Hub" in golden
    assert "National Foundation for Educational Research" in golden
    assert "https://www.nfer.ac.uk/publications/devon-multi-agency-safeguarding-hub-case-study-report/" in preview["links"]
    assert preview["items"][keys.index("he2015")].endswith("(Full details not yet verified)")
    # Hovering shows the same preview; Escape closes it with the pointer still on the marker.
    page.keyboard.press("Escape")
    page.mouse.move(5, 5)
    page.hover("#endnote-ref-xvii a")
    page.wait_for_function(f"(n) => !!({TOOLTIP})(n)", arg="xvii")
    assert page.evaluate(PREVIEW, "xvii")["items"] == preview["items"]
    page.keyboard.press("Escape")
    page.wait_for_function("() => { const t = document.querySelector('.md-tooltip2'); return !t || getComputedStyle(t).display === 'none'; }")
    assert not session.foreign


def test_preview_is_readable_on_a_phone(session_factory):
    session = session_factory(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                              device_scale_factor=2)
    page = session.open("outcomes/discussion/")
    numerals = page.eval_on_selector_all("article .evidence-ref", "els => els.map(e => e.id.replace('endnote-ref-', ''))")
    assert numerals
    for numeral in numerals:
        preview = _show(page, numeral)
        where = f"marker {numeral}"
        assert preview["left"] >= 0 and preview["right"] <= preview["width"], f"{where}: preview off screen: {preview}"
        assert preview["overflowX"] <= 1, f"{where}: the preview scrolls sideways"
        assert preview["fontSize"] >= 12, f"{where}: text {preview['fontSize']}px"
        assert preview["items"], where
    assert not session.foreign


def test_welsh_interface_preview_says_unverified_in_welsh(session):
    page = session.open("cy/factors/co-location/")
    keys = _note_keys(page, "xvii")
    preview = _show(page, "xvii")
    assert preview["items"][keys.index("he2015")].endswith("(Manylion llawn heb eu gwirio eto)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_a_preview_open(session_factory, scheme):
    from axe_playwright_python.sync_playwright import Axe

    session = session_factory(color_scheme=scheme)
    page = session.open("factors/co-location/")
    _show(page, "xvii")
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(page, context={"include": [".md-tooltip2--active"]}, options=options).response["violations"]
    assert page.evaluate("!!document.querySelector('.md-tooltip2--active .evidence-note-preview')")
    failures = [f"{v['id']}: {n['target']} {n['failureSummary'][:200]}" for v in violations for n in v["nodes"]]
    assert not failures, "\n".join(failures)
