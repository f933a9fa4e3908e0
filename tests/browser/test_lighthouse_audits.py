"""Lighthouse's accessibility, best-practices and SEO audits, on every page type, on a phone.

The full Lighthouse run (performance included) is `scripts/lighthouse.py`: slow, and its timings
go in scripts/BENCHMARK.md. Here are the deterministic parts, checked the way Lighthouse 12.2.3
checks them: its accessibility category is axe-core with the rules listed below (that
category's scored audits), and its best-practices and SEO audits are page facts read in Chromium
with a phone's screen (412 x 823, as Lighthouse's mobile run). Each test fails on what would
cost a point there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PAGE_TYPES = {
    "home": "",
    "factor": "factors/key-worker/",
    "References": "references/",
    "evidence map": "evidence-map/",
    "Figure 1": "figure-1/",
    "print view": "print/",
    "Welsh factor": "cy/factors/key-worker/",
    "Welsh References": "cy/references/",
    "Welsh print view": "cy/print/",
}
# Lighthouse 12.2.3's scored accessibility audits (core/config/default-config.js), i.e. axe rules.
LIGHTHOUSE_AXE_RULES = (
    "accesskeys aria-allowed-attr aria-allowed-role aria-command-name aria-conditional-attr "
    "aria-deprecated-role aria-dialog-name aria-hidden-body aria-hidden-focus aria-input-field-name "
    "aria-meter-name aria-progressbar-name aria-prohibited-attr aria-required-attr aria-required-children "
    "aria-required-parent aria-roles aria-text aria-toggle-field-name aria-tooltip-name aria-treeitem-name "
    "aria-valid-attr-value aria-valid-attr button-name bypass color-contrast definition-list dlitem "
    "document-title duplicate-id-aria form-field-multiple-labels frame-title heading-order html-has-lang "
    "html-lang-valid html-xml-lang-mismatch image-alt image-redundant-alt input-button-name input-image-alt "
    "label link-in-text-block link-name list listitem meta-refresh meta-viewport object-alt select-name "
    "skip-link tabindex table-duplicate-name target-size td-headers-attr th-has-data-cells valid-lang "
    "video-caption"
).split()
# Lighthouse's link-text audit: link texts that say nothing of where they go (English list).
GENERIC_LINK_TEXTS = {"click here", "click this", "go", "here", "information", "learn more", "more",
                      "more info", "more information", "right here", "read more", "see more", "start", "this"}
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}

# Visible text at under 12px (Lighthouse's font-size audit: "legible" is 12px or more). Text an
# icon link hides at font-size 0 (Material's back-link arrow) is not shown, so not counted.
SMALL_TEXT = """() => {
  const small = {}; let total = 0, under = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const element = walker.currentNode.parentElement;
    if (!text || !element.checkVisibility({visibilityProperty: true})) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size === 0) continue;
    total += text.length;
    if (size < 12) { under += text.length; const key = element.tagName.toLowerCase() + '.' + element.className + ' ' + size + 'px'; small[key] = (small[key] || 0) + text.length; }
  }
  return {total, under, small};
}"""

PAGE_FACTS = """() => {
  const meta = name => { const m = document.querySelector(`meta[name="${name}"]`); return m ? m.getAttribute('content') : null; };
  return {
    doctype: document.doctype ? document.doctype.name : null,
    charset: document.characterSet,
    charsetEarly: document.documentElement.outerHTML.slice(0, 1024).toLowerCase().includes('charset'),
    viewport: meta('viewport'),
    title: document.title,
    description: meta('description'),
    robots: meta('robots'),
    hreflang: [...document.querySelectorAll('link[rel=alternate][hreflang], a[hreflang]')].map(e => e.getAttribute('hreflang')),
    canonical: [...document.querySelectorAll('link[rel=canonical]')].map(e => e.href),
    links: [...document.querySelectorAll('a')].map(a => ({href: a.getAttribute('href'), text: a.textContent.trim().toLowerCase(),
                                                          label: a.getAttribute('aria-label'), onclick: a.hasAttribute('onclick'),
                                                          shown: a.checkVisibility()})),
    images: [...document.images].filter(i => i.naturalWidth && i.checkVisibility()).map(i => ({src: i.src,
             ratio: i.naturalWidth / i.naturalHeight, shown: i.getBoundingClientRect().width / i.getBoundingClientRect().height})),
  };
}"""


@pytest.fixture
def phone(session_factory):
    return session_factory(**PHONE)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_lighthouse_accessibility_rules_pass_on_a_phone(phone, axe, name):
    page = phone.open(PAGE_TYPES[name])
    options = {"runOnly": {"type": "rule", "values": LIGHTHOUSE_AXE_RULES}, "resultTypes": ["violations"]}
    violations = axe.run(page, options=options).response["violations"]
    found = [f"{v['id']}: {n['target']} {n['failureSummary'][:160]}" for v in violations for n in v["nodes"]]
    assert not found, f"/{PAGE_TYPES[name]}:\n" + "\n".join(found)
    # The search dialog is named (Lighthouse's aria-dialog-name; axe only checks it once visible).
    assert page.get_attribute(".md-search[role=dialog]", "aria-label") in ("Search", "Chwilio")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_lighthouse_best_practices_and_seo_facts_hold_on_a_phone(phone, name):
    path = PAGE_TYPES[name]
    errors = []
    page = phone.page
    on_console = lambda message: errors.append(message.text) if message.type == "error" else None  # noqa: E731
    on_error = lambda error: errors.append(str(error))  # noqa: E731
    page.on("console", on_console)
    page.on("pageerror", on_error)
    try:
        response = page.goto(phone.base_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)
    assert response.status == 200
    assert errors == [], f"/{path}: errors in the console: {errors}"
    facts = page.evaluate(PAGE_FACTS)
    # Best practices: doctype, charset, viewport, legible text, images at their aspect ratio.
    assert facts["doctype"] == "html" and facts["charset"] == "UTF-8" and facts["charsetEarly"]
    assert facts["viewport"] and "width=device-width" in facts["viewport"]
    text = page.evaluate(SMALL_TEXT)
    assert text["total"] > 200 and text["under"] == 0, f"/{path}: text under 12px on a phone: {text['small']}"
    for image in facts["images"]:
        assert abs(image["ratio"] - image["shown"]) < 0.05 * image["ratio"], f"/{path}: {image['src']} distorted"
    # SEO: indexable, titled, described, descriptive and crawlable links, valid hreflang/canonical.
    assert facts["title"].strip() and facts["description"] and facts["description"].strip()
    # Every page may be indexed (is-crawlable). The print view is a view of the whole review, not
    # a page (issue 11): its canonical address is its language's home page. (Lighthouse's canonical
    # audit fails a canonical to the domain's root from another page: the published site lives
    # under a path, as scripts/lighthouse.py serves it; this server has it at the root.)
    assert not (facts["robots"] and "noindex" in facts["robots"].lower()), f"/{path}: robots {facts['robots']!r}"
    language_home = phone.base_url + ("cy/" if path.startswith("cy/") else "")
    expected = language_home if path.endswith("print/") else phone.base_url + path
    assert facts["canonical"] == [expected], f"/{path}: canonical {facts['canonical']}"
    for link in facts["links"]:
        href = link["href"]
        if href is None:
            assert not link["onclick"], f"/{path}: a link without href that runs a script"
            continue
        assert not href.lower().startswith("javascript:"), f"/{path}: {href}"
        if link["shown"] and not link["label"]:
            assert link["text"] not in GENERIC_LINK_TEXTS, f"/{path}: link text {link['text']!r} says nothing"
    for code in facts["hreflang"]:
        assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*|x-default", code), f"/{path}: hreflang {code!r}"


def test_one_copy_of_the_theme_files_for_both_languages(built_site):
    """The Welsh interface (cy/) has no assets/ folder of its own; no source map or unused search
    language is published."""
    assert (built_site / "assets" / "javascripts").is_dir()
    # cy/assets/ may hold only files of the docs folder itself (the social card image), never the theme's.
    welsh = built_site / "cy" / "assets"
    welsh_files = {p.relative_to(welsh).as_posix() for p in welsh.rglob("*") if p.is_file()} if welsh.exists() else set()
    docs_assets = REPO / "docs" / "assets"
    assert welsh_files <= {p.relative_to(docs_assets).as_posix() for p in docs_assets.rglob("*") if p.is_file()}, welsh_files
    assert list(built_site.rglob("*.map")) == []
    assert not (built_site / "assets" / "javascripts" / "lunr").exists()  # English search needs none
    names = {p.relative_to(built_site / "assets").as_posix() for p in (built_site / "assets").rglob("*") if p.is_file()}
    assert {"evidence.css", "evidence.js", "stylesheets/reader.css", "javascripts/reader.js"} <= names


@pytest.mark.parametrize("path", ["cy/", "cy/factors/key-worker/", "cy/references/", "cy/print/"])
def test_welsh_pages_load_every_stylesheet_and_script_they_name(session, path):
    """Each stylesheet and script a Welsh page names answers 200 from the English build's assets/,
    Material's script runs and ours does (an entry's BibTeX opens). (Welsh search: test_search.py.)"""
    failed = []
    session.context.on("requestfinished", lambda request: failed.append(request.url)
                       if request.response() and request.response().status >= 400 else None)
    session.context.on("requestfailed", lambda request: failed.append(request.url))
    page = session.open(path)
    page.wait_for_load_state("networkidle")
    assets = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet], script[src]')]
                                     .map(e => e.href || e.src)""")
    assert all("/cy/assets/" not in url and "/assets/" in url for url in assets), assets
    assert failed == [], failed
    if path == "cy/print/":  # served without the theme's script (overrides/print-view.html); the reader's runs
        assert len(assets) >= 5 and assets[-1].endswith("/assets/javascripts/reader.js"), assets
        assert page.evaluate("document.documentElement.classList.contains('no-js')")
    else:
        assert len(assets) >= 6, assets
        assert page.evaluate("document.documentElement.classList.contains('js')"), "Material's script did not run"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.evaluate("getComputedStyle(document.querySelector('.reader-language')).display") != "none"
    if path == "cy/references/":
        page.locator("#ref-abbott2005a button.evidence-export").click()
        page.locator("#bib-abbott2005a").wait_for()
        assert page.get_by_role("button", name="Lawrlwytho abbott2005a.bib").is_visible()
