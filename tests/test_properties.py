"""Property-based tests (hypothesis): each family of input the issue-16 fuzzing broke, generated.

Each test runs a few seconds in `make test` (profile `default`, set in conftest.py). For a longer
search: `HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/test_properties.py`.
A failing example is printed in full and replayed first on the next run (.hypothesis/).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markdown
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from html_facts import parse_html
from mkdocs_plugins.evidence.bibliography import latex_to_text, load_library
from mkdocs_plugins.evidence.bibtidy import BibTidyError, entry_texts, pybtex_view, raw_view, tidy_text
from mkdocs_plugins.evidence.library_exports import build_exports
from mkdocs_plugins.evidence.markdown_ext import PLACEHOLDER_TAG, CitationExtension
from mkdocs_plugins.evidence.pages import read_page_meta
from mkdocs_plugins.evidence.problems import ProblemList
from mkdocs_plugins.evidence.schema import load_schema

REPO = Path(__file__).resolve().parent.parent
SCHEMA = load_schema("evidence.yml", REPO)  # the review's: factor (two groups) x outcome
KINDS = (*SCHEMA.kinds, "section")

# pybtex reads each generated library several times: a third of the examples keeps these to seconds.
FEWER = settings(max_examples=max(20, settings.default.max_examples // 3))

# --- Markdown: citations among code, links, images, attribute lists, HTML and headings -------------

keys = st.sampled_from(["a", "b2", "smith2020", "van.der:berg", "x_y-z"])
words = st.text(alphabet="abc XYZ,.;:!?()'\"-_*%&", min_size=0, max_size=12)
citation = st.one_of(
    st.builds(lambda k: f"[@{k}]", keys),
    st.builds(lambda k, loc: f"[see @{k}, p. {loc}]", keys, st.integers(1, 99)),
    st.builds(lambda a, b: f"[@{a}; @{b}]", keys, keys),
    st.builds(lambda k: f"[-@{k}]", keys),
    st.builds(lambda k: f"@{k}", keys),
    st.just("[@]"), st.just("[@a; see]"), st.just("[mail me@example.org]"),
)
inline = st.one_of(words, citation, words, citation)
text_run = st.lists(inline, min_size=1, max_size=5).map(" ".join)


@st.composite
def code_blocks(draw):
    body = draw(st.lists(st.one_of(citation, words, st.just("\\bibliography")), min_size=1, max_size=3))
    return "code", " ".join(body)


@st.composite
def markdown_fragments(draw):
    kind = draw(st.sampled_from(["para", "code_span", "fence", "link", "image", "attr", "html", "heading", "list"]))
    body = draw(text_run)
    if kind == "code_span":
        code = draw(text_run).replace("`", "")
        return f"{body} `{code}` {body}", ("span", code)
    if kind == "fence":
        code = draw(st.lists(st.one_of(citation, words), min_size=1, max_size=3).map(" ".join))
        return f"```\n{code}\n```", ("fence", code)
    if kind == "link":
        return f"{body} [{draw(text_run)}](https://example.org/{draw(keys)}) {body}", None
    if kind == "image":
        alt = draw(text_run).replace("[", "").replace("]", "") + " " + draw(citation) + " " + draw(citation)
        alt = alt.strip()
        return f"{body} ![{alt}](chart.png)", ("alt", alt)
    if kind == "attr":
        return f"{body} {draw(citation)}{{: .note }} {body}", None
    if kind == "html":
        title = draw(text_run).replace('"', "").replace("<", "").replace("&", "")
        return f'<span title="{title}">x</span> {body}', ("title", title)
    if kind == "heading":
        return f"## {body}", None
    if kind == "list":
        return f"- {body}\n- {draw(text_run)}", None
    return body, None


@given(st.lists(markdown_fragments(), min_size=1, max_size=6))
@example([("- \n- [@a]", None), ("[@b2]", None), ("[@a]", None)])  # a list's citation handed over last
def test_markdown_with_citations_keeps_code_and_attributes_and_places_every_citation(fragments):
    source = "\n\n".join(text for text, _ in fragments)
    extension = CitationExtension()
    extension.collector.start("page.md", source)
    md = markdown.Markdown(extensions=[extension, "attr_list", "fenced_code", "tables", "toc"])
    out = md.convert(source)  # never raises
    placed = extension.collector.placed_groups(out)
    parsed = parse_html(out)
    for _, expected in fragments:
        if expected is None:
            continue
        kind, value = expected
        if kind in ("span", "fence"):
            assert value.strip() in html.unescape(out)
        elif kind == "alt":
            assert value in [attrs.get("alt") for tag, attrs in parsed.elements if tag == "img"]
        elif kind == "title":
            assert value in [attrs.get("title") for tag, attrs in parsed.elements if tag == "span"]
    # Every citation Markdown handed over is either in the page (a placeholder) or literal (link text).
    for index, group in enumerate(extension.collector.groups):
        assert str(index) in placed or group.mode == "literal", (index, group.source)
        assert group.line is not None
    assert len(re.findall(f"<{PLACEHOLDER_TAG} ", out)) == len(placed)


# --- .bib loader on malformed entries ---------------------------------------------------------------

bib_tokens = st.sampled_from([
    "@misc{", "@article{", "@string{", "@comment{", "@preamble{", "key,", "k2,", "author = ", "title = ",
    "year = ", "date = ", "{", "}", "{{", "}}", '"', "#", "%", "\\", "\\'e", "and", "others", ",", "=",
    "\n", " ", "2020", "{2020}", "{{2020}}", "Über", "\ufeff", "(", ")", "jan", "crossref = {k2}",
])


@given(st.lists(bib_tokens, max_size=40).map("".join))
def test_the_bib_loader_turns_any_text_into_works_and_problems_never_an_exception(text):
    problems = ProblemList()
    library = load_library([(text, "bib/x.bib")], problems)
    for work in library.works.values():
        assert work.label and work.line >= 1
    for problem in problems:
        assert problem.kind and problem.file == "bib/x.bib" and problem.message


# --- Front matter of any YAML type ---------------------------------------------------------------------

yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10),
              st.sampled_from(KINDS + ("governance", "team-working", "2021-02-30", "2021-02-28"))),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=8,
)
names = st.sampled_from(["kind", "group", "summary", "related", "title", "reviewed", "other"])


@given(st.one_of(st.dictionaries(names, yaml_values, max_size=6).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
                 yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
                 st.text(max_size=40)))
def test_front_matter_of_any_yaml_type_is_read_or_reported(front_matter):
    text = f"---\n{front_matter}\n---\n# Page\n"
    problems = ProblemList()
    meta = read_page_meta("factors/p.md", "docs/factors/p.md", text, problems, SCHEMA)
    assert meta.kind in KINDS and isinstance(meta.group, str) and isinstance(meta.summary, str)
    assert isinstance(meta.related, list) and all(isinstance(slug, str) for slug in meta.related)
    assert isinstance(meta.title, str)
    assert all(p.kind == "front_matter" and p.line for p in problems)


# --- bib_tidy round-trips every field value ------------------------------------------------------------


@st.composite
def balanced(draw, depth=0):
    """A brace-balanced BibTeX value: text, LaTeX, %, quotes inside braces, nested groups."""
    parts = draw(st.lists(st.one_of(
        st.text(alphabet="abcXYZ 0123,.;:-_'!?&$~^%Ééüß\"", max_size=8),
        st.sampled_from(["\\'e", "{\\~a}", "--", "\\&", "\\%", "``x''", "$x^2$"]),
        *([balanced(depth + 1).map(lambda inner: "{" + inner + "}")] if depth < 2 else []),
    ), max_size=4))
    return "".join(parts)


field_names = st.sampled_from(["title", "journal", "note", "publisher", "url", "pages", "howpublished", "keywords"])


@st.composite
def bib_entries(draw):
    entries = []
    macros = draw(st.booleans())
    head = "@string{org = {Wales Centre}}\n\n" if macros else ""
    for number in range(draw(st.integers(1, 4))):
        fields = draw(st.dictionaries(field_names, balanced(), min_size=1, max_size=4))
        lines = [f"  author = {{{draw(st.sampled_from(['Ng, Anna', 'van der Berg, Jan and others', '{Home Office}']))}}}"]
        for name, value in fields.items():
            quoted = '"' not in value and draw(st.booleans())
            lines.append(f"  {name} = " + (f'"{value}"' if quoted else f"{{{value}}}"))
        lines.append(f"  year = {draw(st.sampled_from(['2020', '{2021}', '{n.d.}']))}")
        if macros:
            lines.append("  institution = org # {, Cardiff}")
        separator = draw(st.sampled_from([",\n", ", ", ",\n\n"]))
        entries.append(f"@{draw(st.sampled_from(['misc', 'Article', 'BOOK']))}{{key{number}," + "\n"
                       + separator.join(lines) + "\n}")
    return head + "\n\n".join(reversed(entries)) + "\n"


@FEWER
@given(bib_entries())
def test_bib_tidy_keeps_every_value_and_is_stable(text):
    try:
        tidy = tidy_text(text)
    except BibTidyError as error:  # only ever because pybtex itself refuses the input
        assert "pybtex cannot read" in str(error)
        return
    assert raw_view(tidy) == raw_view(text) and pybtex_view(tidy) == pybtex_view(text)
    assert tidy_text(tidy) == tidy


@FEWER
@given(bib_entries())
def test_the_three_exports_parse_back_with_the_same_fields(text):
    try:
        original = pybtex_view(text)["entries"]
    except BibTidyError:
        assume(False)
    problems = ProblemList()
    library = load_library([(text, "bib/x.bib")], problems)
    exports = build_exports(library, [(text, "bib/x.bib")])
    # BibTeX: the library file and each entry alone read back as the .bib did (macros expanded).
    assert pybtex_view(exports.library_bibtex)["entries"] == original
    for key, entry in entry_texts(text).items():
        alone = pybtex_view(entry)["entries"]
        assert list(alone.values())[0] == next(v for k, v in original.items() if k.lower() == key)
    # CSL-JSON: valid JSON whose titles are the .bib's, decoded.
    items = {item["id"]: item for item in json.loads(exports.library_csl)}
    # RIS: tag lines, one record per work, titles the .bib's, decoded.
    records = [record for record in exports.library_ris.split("\r\nER  -\r\n") if record.strip()]
    assert len(records) == len(library.works)
    for work in library.works.values():
        title = latex_to_text(work.raw_fields.get("title", "")).strip()
        if title:
            assert items[work.key]["title"] == title
        ris = exports.ris[work.key.lower()]
        assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*|ER  -", line) for line in ris.strip().split("\n")), ris
        tags = dict(line.split("  - ", 1) for line in ris.strip().split("\n") if line.startswith("TI  - "))
        if title and "\n" not in title:
            assert tags.get("TI") == title
