"""Search in the browser (Material's client-side search over this site's index)."""

from __future__ import annotations

import pytest


def _search(page, query: str) -> list[dict]:
    """Type a query into the search box; return the results as [{page, url, sections}]."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    # The index is loaded and no query is shown...
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && /Type to start/i.test(m.textContent); }", timeout=30000)
    # ...then the whole query at once (an input event, and a key event for a keyup listener): every
    # query the search runs from here is the full one, so the first results shown are its results.
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Initializing|Type to start/i.test(m.textContent); }", timeout=30000)
    return page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
        const links = [...li.querySelectorAll('a.md-search-result__link')];
        return {
          page: (li.querySelector('h1') || li.querySelector('h2')).textContent.trim(),
          url: links[0].getAttribute('href'),
          sections: links.slice(1).map(a => a.querySelector('h2, h1') ? a.querySelector('h2, h1').textContent.trim() : ''),
          text: li.textContent.replace(/\\s+/g, ' '),
        };
      })""")


@pytest.fixture
def search_page(session):
    page = session.open("")
    page.wait_for_load_state("networkidle")
    return page


def _path(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0].split("#")[0]


@pytest.mark.parametrize("surname, citing_page", [
    ("Abbott", "factors/key-worker/"),       # Abbott et al. (2005b, p. 235), quoted in the text
    ("Cheminais", "evidence/"),              # cited in endnotes only (iii, iv): found by the page's studies line
])
def test_a_surname_finds_the_reference_and_the_pages_citing_it(search_page, surname, citing_page):
    results = _search(search_page, surname)
    pages = {_path(r["url"]): r for r in results}
    assert "references/" in pages, f"{surname}: the References page is not found: {list(pages)}"
    assert surname in pages["references/"]["text"], f"{surname}: the references entry is not in the result"
    if citing_page:
        assert citing_page in pages, f"{surname}: {citing_page} (cites it) not found: {list(pages)}"


@pytest.mark.parametrize("query, expected_url", [
    ("key worker", "factors/key-worker/"),
    ("pooled budgets", "factors/joint-funding/"),
    ("co-location", "factors/co-location/"),
    ("placement stability", "outcomes/placement-stability/"),
])
def test_a_factors_words_find_its_page_first(search_page, query, expected_url):
    results = _search(search_page, query)
    assert results, f"{query!r}: no results"
    assert _path(results[0]["url"]) == expected_url, f"{query!r}: first result {results[0]['url']}"
    # Notes sections do not flood the results of a topic query.
    notes = [r for r in results if r["sections"] and set(r["sections"]) == {"Notes"}]
    assert len(notes) <= 1, f"{query!r}: results that only match Notes: {notes}"


@pytest.mark.parametrize("numeral", ["xiv", "xxxviii", "ix"])
def test_endnote_numerals_do_not_match(search_page, numeral):
    """Markers and notes are not indexed; only our editorial pages mention numerals in prose."""
    results = _search(search_page, numeral)
    pages = {_path(r["url"]) for r in results}
    assert pages <= {"corrections/", "accessibility/"}, f"{numeral!r} matched: {[(r['page'], r['sections']) for r in results]}"


def test_the_print_view_is_not_in_search(search_page):
    results = _search(search_page, "whole review")
    assert not any("print/" in r["url"] for r in results)
