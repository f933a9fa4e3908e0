"""WCAG 2.0/2.1/2.2 A and AA: axe-core on every page (English and Welsh interface, light and
dark scheme), and the accessible names of endnote markers and back-links."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
ROMAN = re.compile(r"^[ivxlcdm]+$")


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(session_factory, all_pages, axe, scheme):
    session = session_factory(color_scheme=scheme)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    failures = []
    for path in all_pages:
        page = session.open(path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected, path
        violations = axe.run(page, options=options).response["violations"]
        for violation in violations:
            for node in violation["nodes"]:
                failures.append(f"/{path} [{scheme}] {violation['id']}: {node['target']} {node['failureSummary'][:200]}")
    assert not failures, f"{len(failures)} axe violation(s):\n" + "\n".join(failures)


def test_names_languages_and_the_language_link_on_every_page(session, english_pages, welsh_pages):
    """Every marker is named "Endnote xiv" ("Ôl-nodyn xiv" in the Welsh interface), every
    back-link says where it goes; <html lang> is the interface language and the English text
    is declared English in both builds; every page has a visible "Cymraeg" link to the same page
    in the Welsh interface, and every Welsh page an "English" link back."""
    seen = []
    for path in english_pages + welsh_pages:
        welsh = path.startswith("cy/")
        page = session.open(path, wait_until="domcontentloaded")
        html_lang = page.evaluate("document.documentElement.lang")
        assert html_lang == ("cy" if welsh else "en"), f"/{path}: <html lang={html_lang!r}>"
        text_lang = page.evaluate("document.querySelector('article h1').closest('[lang]').lang")
        assert text_lang == "en", f"/{path}: the page's English text is declared as {text_lang!r}"
        switch = page.locator(".md-header a.reader-language__link")
        assert switch.count() == 1 and switch.is_visible(), f"/{path}: no visible language link"
        name, lang = ("English", "en") if welsh else ("Cymraeg", "cy")
        assert switch.inner_text().strip() == name, f"/{path}: language link reads {switch.inner_text()!r}"
        assert switch.get_attribute("lang") == lang and switch.get_attribute("hreflang") == lang
        other = path.removeprefix("cy/") if welsh else "cy/" + path
        target = urljoin(page.url, switch.get_attribute("href"))
        assert target == session.base_url + other, f"/{path}: {name} goes to {target}"
        assert other in (english_pages if welsh else welsh_pages), f"/{path}: no page at /{other}"
        markers = page.eval_on_selector_all(
            "article .evidence-ref a.footnote-ref",
            "els => els.map(a => [a.textContent.trim(), a.getAttribute('aria-label'), a.closest('[lang]').lang])")
        backs = page.eval_on_selector_all(
            "article .evidence-notes a.footnote-backref",
            "els => els.map(a => [a.getAttribute('href'), a.getAttribute('aria-label'), a.closest('[lang]').lang])")
        for numeral, label, lang in markers:
            assert ROMAN.match(numeral), f"/{path}: marker text {numeral!r}"
            expected = f"Ôl-nodyn {numeral}" if welsh else f"Endnote {numeral}"
            assert label == expected, f"/{path}: marker {numeral} is named {label!r}, expected {expected!r}"
            assert lang == ("cy" if welsh else "en"), f"/{path}: marker {numeral}'s name declared as {lang!r}"
        if markers:
            # The accessible name as the browser computes it (what a screen reader announces).
            name = markers[0][1]
            assert page.get_by_role("link", name=name, exact=True).count() >= 1, f"/{path}: no link named {name!r}"
        assert len(backs) == len(markers) or path.endswith("references/"), f"/{path}: {len(markers)} markers, {len(backs)} back-links"
        for href, label, lang in backs:
            numeral = href.removeprefix("#endnote-ref-")
            expected = f"Yn ôl at ôl-nodyn {numeral} yn y testun" if welsh else f"Back to endnote {numeral} in the text"
            assert label == expected, f"/{path}: back-link to {numeral} is named {label!r}"
            assert lang == ("cy" if welsh else "en"), f"/{path}: back-link {numeral}'s name declared as {lang!r}"
        if not welsh and not path.startswith("print/"):
            seen += [numeral for numeral, _, _ in markers]
    expected_numerals = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
    assert len(seen) == len(set(seen)) == 44 and expected_numerals <= set(seen) and "xliv" in seen, seen
