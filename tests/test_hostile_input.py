"""Every BibTeX field is untrusted (reference managers, contributors' pull requests): hostile
values go through a real build and the published HTML is parsed as a browser would."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site
from html_facts import Elements, parse_html
from mkdocs_plugins.evidence.weblinks import doi_url, http_url

# One entry per hostile value, so each reaches the References page on its own.
HOSTILE_ENTRIES = r"""
@misc{hostileurl,
  author = {Mallory, Eve}, title = {A javascript URL}, year = {2021},
  url = {javascript:alert(2)}
}
@misc{hostilequote,
  author = {Mallory, Eve}, title = {A quote in a URL}, year = {2022},
  url = {https://e.org/" onmouseover="alert(1)}
}
@misc{hostiledoi,
  author = {Mallory, Eve}, title = {Markup in a DOI}, year = {2023},
  doi = {10.1/"><script>alert(2)</script>}
}
@article{hostilefields,
  author = {Mallory, <img src=x onerror=alert(4)> and {<b onclick="alert(5)">Corp</b>}},
  title = {<script>alert(6)</script>" onfocus="alert(7)},
  journal = {<iframe src="javascript:alert(8)"></iframe>},
  volume = {"><svg onload=alert(9)>}, number = {<a href="javascript:alert(10)">x</a>},
  pages = {1--<style>*{}</style>}, year = {2024},
  publisher = {<object data=javascript:alert(11)>}, note = {<base href="javascript:alert(12)//">},
  url = {data:text/html,<script>alert(13)</script>}
}
"""

CITING_PAGE = """---
kind: section
---
# Hostile references

One[@hostileurl], two[@hostilequote], three[@hostiledoi], four[@hostilefields].
Narrative: @hostilefields.
"""


def parse(path: Path) -> Elements:
    return parse_html(path.read_text(encoding="utf-8"))


@pytest.fixture
def hostile_site(fixture_project: Path) -> Path:
    bib = fixture_project / "bib" / "refs.bib"
    bib.write_text(bib.read_text() + HOSTILE_ENTRIES)
    (fixture_project / "docs" / "hostile.md").write_text(CITING_PAGE)
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - References: references.md",
                                                 "  - Hostile: hostile.md\n  - References: references.md"))
    return build_site(fixture_project, strict=True)


def test_no_field_value_becomes_script_event_handler_or_unsafe_link(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        parsed = parse(page)
        for tag, attrs in parsed.elements:
            assert tag not in ("iframe", "object", "base", "svg", "img", "style") or "alert" not in str(attrs), (page, tag, attrs)
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, f"{page}: <{tag}> has event handler attributes {handlers}"
            for name in ("href", "src", "action", "formaction", "data"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{page}: <{tag} {name}={value!r}>"
        assert not any("alert(" in script for script in parsed.scripts), f"{page}: a <script> holds a field's text"


def test_hostile_values_are_shown_to_readers_as_text(hostile_site):
    references = hostile_site / "references" / "index.html"
    parsed = parse(references)
    html = references.read_text(encoding="utf-8")
    # Shown, not executed: the escaped text is on the page.
    assert "Available at: javascript:alert(2)" in html
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in html
    # Only http(s) addresses and DOIs that are DOIs became links.
    external = [attrs["href"] for tag, attrs in parsed.elements if tag == "a" and attrs.get("href", "").startswith(("http:", "https:"))]
    assert not any("onmouseover" in href or "alert" in href for href in external), external
    assert "https://doi.org/10.1111/j.1365-2524.2005.00544.x" in external  # a real DOI still links


@pytest.mark.parametrize("value, expected", [
    ("https://www.nfer.ac.uk/", "https://www.nfer.ac.uk/"),
    ("  http://example.org/a?b=c  ", "http://example.org/a?b=c"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("data:text/html,<script>", None),
    ("//evil.example/x", None),
    ("https://e.org/\" onmouseover=\"alert(1)", None),
    ("https://e.org/\tx", None),
    ("http://", None),
    ("/relative/path", None),
])
def test_only_absolute_http_urls_become_links(value, expected):
    assert http_url(value) == expected


def test_no_url_with_whitespace_or_a_control_character_becomes_a_link():
    """Every character str.isspace() calls whitespace (Unicode's too: no-break and line separators)
    and every control character, anywhere in the address, keeps it text; other characters do not."""
    refused = [chr(code) for code in range(0x3100) if chr(code).isspace() or code < 32 or code == 127]
    assert {"\u00a0", "\u2028", "\u3000", "\x85", "\x7f", "\x00"} <= set(refused)
    for char in refused:
        assert http_url(f"https://example.org/a{char}b") is None, repr(char)
    for char in "aé€-_~%:;,!*()[]@":
        assert http_url(f"https://example.org/a{char}b") == f"https://example.org/a{char}b", repr(char)


@pytest.mark.parametrize("value, expected", [
    ("10.1111/j.1365-2206.2006.00393.x", "https://doi.org/10.1111/j.1365-2206.2006.00393.x"),
    ("https://doi.org/10.1000/182", "https://doi.org/10.1000/182"),
    ("doi:10.1000/182", "https://doi.org/10.1000/182"),
    ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
     "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0"),
    ('10.1/"><script>alert(2)</script>', None),
    ("javascript:alert(1)", None),
])
def test_dois_become_encoded_doi_org_links(value, expected):
    assert doi_url(value) == expected


def test_markup_in_a_front_matter_title_is_refused_with_file_and_line(fixture_project, expect_warnings):
    from mkdocs.exceptions import Abort

    page = fixture_project / "docs" / "index.md"
    page.write_text('---\ntitle: Home <img src=x onerror="alert(1)">\n---\n' + page.read_text())
    expect_warnings(r"docs/index\.md:2: .*title .* contains HTML markup")
    with pytest.raises(Abort):
        build_site(fixture_project, strict=True)
    # Without --strict the page is built, with the title shown as text, never as markup.
    expect_warnings(r"contains HTML markup", r"nothing was written")
    site = build_site(fixture_project, strict=False)
    parsed = parse(site / "index.html")
    assert not [attrs for tag, attrs in parsed.elements if tag == "img" and "onerror" in attrs]
    assert "Home &lt;img" in (site / "index.html").read_text(encoding="utf-8")
