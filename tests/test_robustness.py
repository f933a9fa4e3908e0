"""Ordinary input that used to crash the build with a traceback, or to publish something other
than the source says (issue 16). Each case is a minimal input on a copy of the fixture site:
`scripts/check.py`'s core for the crashes (every problem named with file and line), one real
build for what readers see."""

from __future__ import annotations

import json

import re
from pathlib import Path

import pytest

from conftest import build_site, copy_fixture_site
from html_facts import parse_html
from mkdocs_plugins.evidence.checks import run_checks
from mkdocs_plugins.evidence.project import load_project


def page(body: str, front_matter: str = "kind: section") -> str:
    return f"---\n{front_matter}\n---\n# Quirks\n\n{body}\n"


def checked(project: Path, bib: str = "", pages: dict[str, str] | None = None):
    """Problems run_checks finds once `bib` is appended to the library and `pages` written."""
    library = project / "bib" / "refs.bib"
    library.write_text(library.read_text() + bib, encoding="utf-8")
    for name, text in (pages or {}).items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    return [p for p in run_checks(load_project(project / "mkdocs.yml")).problems if p.level == "error"]


# (.bib text appended, page text, the kind and file:line of the problem, words of its message);
# a None kind: no problem at all, the value is simply text.
CRASHES = {
    "percent_in_braces": ("@misc{pct, author = {Ng, A}, year = {2020}, title = {{Over 50% of children}},\n"
                          "  note = {Up 5% on 2019}}\n", page("Cited[@pct]."), None, None),
    "lone_trailing_backslash": ("@misc{bs, author = {Ng, A}, year = {2020},\n  note = {Saved in C:\\data\\}}\n",
                                page("Cited[@bs]."), ("bib_latex", "bib/refs.bib:55"), "lone backslash"),
    "biblatex_date_in_braces": ("@misc{dt, author = {Ng, A}, title = {T}, date = {{2020}}}\n", page("Cited[@dt]."),
                                None, None),
    "biblatex_date_without_year": ("@misc{nodt, author = {Ng, A}, title = {T}, date = {{spring}}}\n",
                                   page("Cited[@nodt]."), ("missing_field", "bib/refs.bib:55"), "does not start with a year"),
    "impossible_date": ("", page("Text.", "kind: section\nreviewed: 2021-02-30"),
                        ("front_matter", "docs/quirks.md:3"), "day is out of range"),
    "group_as_list": ("", page("Text.", "kind: factor\ngroup: [governance]\nsummary: One."),
                      ("front_matter", "docs/quirks.md:3"), "group: ['governance'] is not a single value"),
    "related_as_number": ("", page("Text.", "kind: factor\ngroup: governance\nsummary: One.\nrelated: 3"),
                          ("front_matter", "docs/quirks.md:5"), "related: 3 is not a list"),
    "front_matter_as_list": ("", "---\n- kind\n- factor\n---\n# Quirks\n", ("front_matter", "docs/quirks.md:1"),
                             "not name: value lines"),
    "hand_written_placeholder": ("", page('The plugin writes <evidence-cite data-n="3"></evidence-cite> inside.'),
                                 None, None),
}


@pytest.mark.parametrize("case", list(CRASHES))
def test_input_that_crashed_is_a_problem_with_file_and_line_or_plain_text(fixture_project, case):
    bib, text, expected, words = CRASHES[case]
    problems = checked(fixture_project, bib, {"quirks.md": text})
    if expected is None:
        assert problems == []
    else:
        found = [(p.kind, p.location()) for p in problems]
        assert found[0] == expected, found  # (an entry left out is also a key_not_found where it is cited)
        assert words in problems[0].message and all(p.line for p in problems)


QUIRKS_BIB = r"""
@misc{pct, author = {Ng, Anna}, year = {2020}, title = {Over 50% of {UK} children}, note = {Up 5% on 2019}}
@misc{dt, author = {Oh, Ben}, title = {Dated the biblatex way}, date = {{2020}}}
"""

QUIRKS_PAGE = """---
kind: section
---
# Quirks

Percent[@pct], dated[@dt].

![Chart from [@atkinson2005] and [@cheminais2009]](chart.png)

Important[@cheminais2009]{: .important } and @atkinson2007{: .quiet } in the text.

A page about the plugin: <evidence-cite data-n="0"></evidence-cite> is its placeholder.

```
\\bibliography
```

\\bibliography

After the notes.
"""


@pytest.fixture(scope="module")
def quirks_site(tmp_path_factory) -> Path:
    project = copy_fixture_site(tmp_path_factory.mktemp("quirks"))
    library = project / "bib" / "refs.bib"
    library.write_text(library.read_text() + QUIRKS_BIB)
    (project / "docs" / "quirks.md").write_text(QUIRKS_PAGE)
    (project / "docs" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # a link target, not shown
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - admonition\n", "  - admonition\n  - attr_list\n"))
    build_site(project, strict=True)
    return project / "site"


def test_percent_is_text_on_the_references_page_and_in_every_export(quirks_site):
    references = (quirks_site / "references" / "index.html").read_text()
    assert "Over 50% of UK children" in references
    # The note is in the entry's BibTeX and RIS, which the page reads on demand (issue 15).
    entries = json.loads((quirks_site / "references.entries.json").read_text())
    assert "Up 5% on 2019" in json.dumps(entries, ensure_ascii=False)
    assert "TI  - Over 50% of UK children\r\n" in (quirks_site / "references.ris").read_bytes().decode()
    assert '"title": "Over 50% of UK children"' in (quirks_site / "references.json").read_text()
    assert "(2020)" in references.split('id="ref-dt"')[1].split("</li>")[0]  # the year from date = {{2020}}


def test_citations_in_an_image_alt_stay_as_written_and_the_image_stays_whole(quirks_site):
    parsed = parse_html((quirks_site / "quirks" / "index.html").read_text())
    images = [attrs for tag, attrs in parsed.elements if tag == "img" and attrs.get("src") == "../chart.png"]
    assert images == [{"alt": "Chart from [@atkinson2005] and [@cheminais2009]", "src": "../chart.png"}]


def test_an_attribute_list_on_a_citation_styles_it_and_the_note_is_kept(quirks_site):
    html = (quirks_site / "quirks" / "index.html").read_text()
    assert "evidence-cite data-n" not in html.replace('<evidence-cite data-n="0"></evidence-cite> is', "")
    marker = re.search(r'<sup class="evidence-ref important" id="endnote-ref-([a-z]+)"[^>]*>', html)
    assert marker, "the marker lost its class or is missing"
    notes = html.split('id="notes"')[1]
    assert f'id="endnote-{marker.group(1)}"' in notes and "Cheminais, 2009" in notes
    assert re.search(r'<a class="evidence-cite quiet" id="[^"]+" [^>]*>Atkinson et al\. \(2007\)</a>', html)


def test_a_hand_written_placeholder_stays_as_written(quirks_site):
    html = (quirks_site / "quirks" / "index.html").read_text()
    assert 'A page about the plugin: <evidence-cite data-n="0"></evidence-cite> is its placeholder.' in html


def test_bibliography_command_in_code_stays_code_and_in_text_places_the_notes(quirks_site):
    html = (quirks_site / "quirks" / "index.html").read_text()
    assert "<pre><code>\\bibliography\n</code></pre>" in html
    assert html.index('id="notes"') < html.index("After the notes.")


def test_a_problem_names_the_line_of_the_citation_not_of_the_same_text_in_code(fixture_project):
    text = page("Write \\[@nokey] for a literal,\nor `[@nokey]`:\n\n```\n[@nokey]\n```\nHere [@nokey] cited.")
    problems = checked(fixture_project, "", {"quirks.md": text})
    assert [(p.kind, p.location()) for p in problems] == [("key_not_found", "docs/quirks.md:12")]


@pytest.mark.parametrize("text", [
    "@misc{dup, author = {First, A}, year = {2000}}\n@misc{\n  dup,\n  author = {Second, B}, year = {2001}}\n",
    "\ufeff@misc{dup, author = {First, A}, year = {2000}}\n@misc{dup, author = {Second, B}, year = {2001}}\n",
], ids=["key_on_next_line", "byte_order_mark"])
def test_a_duplicate_key_is_reported_wherever_the_key_is_written(text):
    from mkdocs_plugins.evidence.bibliography import load_library
    from mkdocs_plugins.evidence.problems import ProblemList

    problems = ProblemList()
    load_library([(text, "bib/x.bib")], problems)
    assert [(p.kind, p.location()) for p in problems] == [("duplicate_key", "bib/x.bib:2")]


def test_an_entry_using_a_string_macro_is_exported_usable_on_its_own():
    from mkdocs_plugins.evidence.bibtidy import entry_texts, pybtex_view

    text = ('@string{wcpp = {Wales Centre for Public Policy}}\n@string{city = "Cardiff"}\n'
            "@techreport{r, author = {Ng, A}, title = {T}, institution = wcpp, address = city # {, UK},\n"
            "  month = jan, year = 2021}\n")
    alone = entry_texts(text)["r"]
    assert pybtex_view(alone)["entries"]["r"]["fields"] == pybtex_view(text)["entries"]["r"]["fields"]
    assert "wcpp" not in alone and "month       = jan" in alone  # BibTeX's month macros stand alone


class CountingText(str):
    """A text that adds up how many characters `count` scans: linear work stays near its length."""

    scanned = 0

    def count(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        CountingText.scanned += max(0, end - start)
        return str.count(self, sub, start, end)

    def find(self, sub, start=0, end=None):
        found = str.find(self, sub, start, end)
        CountingText.scanned += (len(self) if found == -1 else found + len(sub)) - start
        return found

    def rfind(self, sub, start=0, end=None):
        found = str.rfind(self, sub, start, end)
        CountingText.scanned += (len(self) if end is None else end) - max(found, start)
        return found


def test_entry_lines_and_the_tidy_reader_count_each_newline_once():
    from mkdocs_plugins.evidence.bibliography import entry_lines
    from mkdocs_plugins.evidence.bibtidy import read_bib

    text = CountingText("".join(f"@misc{{k{n},\n  author = {{A, B}},\n  year = {{2000}}\n}}\n" for n in range(2000)))
    CountingText.scanned = 0
    assert entry_lines(text)["k1999"] == [4 * 1999 + 1]
    assert CountingText.scanned <= 2 * len(text)
    CountingText.scanned = 0
    assert read_bib(text).entries[-1].line == 4 * 1999 + 1
    assert CountingText.scanned <= 2 * len(text)


def _traced_lines(function) -> int:
    """Python lines run by the plugin's own code during `function()`: a count, not a time."""
    import sys

    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if "mkdocs_plugins" in frame.f_code.co_filename:
            if event == "line":
                count += 1
            return tracer
        return None

    sys.settrace(tracer)
    try:
        function()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("keys", ["one", "distinct"])
def test_finding_citation_lines_grows_linearly_with_the_page(keys):
    import markdown

    from mkdocs_plugins.evidence.markdown_ext import CitationExtension

    def work(n: int) -> int:
        lines = [f"Text[@{'k' if keys == 'one' else f'k{i}'}] and @{'k' if keys == 'one' else f'n{i}'} too." for i in range(n)]
        source = "\n\n".join(lines)
        extension = CitationExtension()
        extension.collector.start("page.md", CountingText(source))
        md = markdown.Markdown(extensions=[extension])
        CountingText.scanned = 0
        count = _traced_lines(lambda: md.convert(source))
        assert [g.line for g in extension.collector.groups][-2:] == [2 * n - 1, 2 * n - 1]
        assert CountingText.scanned < 10 * len(source), "the page is searched from the top for each citation"
        return count

    small, large = work(200), work(800)
    assert large < 4.5 * small  # 4x the citations: about 4x the Python lines run (it was 16x)


# Found by the property tests (tests/test_properties.py), beyond the list.
@pytest.mark.parametrize("source, expected", [
    ("[[@a] [@b] [@c]](https://example.org/)", '<a href="https://example.org/">[@a] [@b] [@c]</a>'),
    ('<span title="[@a]">x</span> and <b class="see @a">y</b>', '<span title="[@a]">x</span> and <b class="see @a">y</b>'),
])
def test_citations_in_link_texts_and_html_attributes_stay_as_written(source, expected):
    import markdown

    from mkdocs_plugins.evidence.markdown_ext import CitationExtension

    extension = CitationExtension()
    extension.collector.start("page.md", source)
    html = markdown.Markdown(extensions=[extension]).convert(source)
    assert expected in html and "evidence-cite" not in html
