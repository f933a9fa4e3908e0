"""No request leaves the site on any page; the Welsh interface is one visible link away (the
link on every page is checked in test_accessibility.py, which visits every page anyway)."""

from __future__ import annotations


def test_no_page_requests_another_host(session, all_pages):
    """Every page of both builds (scripts, styles, fonts, search worker and index): every
    request goes to the site's own host. Requests are recorded as they start, in one context,
    so a late request of one page is still seen while the next one loads."""
    own = []
    session.context.on("request", lambda request: own.append(request.url))
    for path in all_pages:
        page = session.open(path, wait_until="load")
        page.wait_for_load_state("networkidle")  # late requests (search worker, index) have been made
        assert not session.foreign, f"/{path} requested other hosts: {sorted(set(session.foreign))}"
        # Fonts are the system's: no @font-face is loaded from anywhere.
        assert page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').length") == 0, f"/{path}: web font loaded"
    assert any(url.endswith("search_index.json") for url in own), "the search index was never loaded"


def test_clicking_cymraeg_and_english_keeps_the_page(session):
    page = session.open("factors/key-worker/")
    page.click("text=Cymraeg")
    page.wait_for_url(session.base_url + "cy/factors/key-worker/")
    assert page.evaluate("document.documentElement.lang") == "cy"
    # Material's Welsh interface and the plugin's Welsh strings, over the English text.
    assert page.locator("h2#notes").inner_text().strip().startswith("Nodiadau")
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Chwilio"
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == "A key worker"
    page.click("text=English")
    page.wait_for_url(session.base_url + "factors/key-worker/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h2#notes").inner_text().strip().startswith("Notes")
