"""The Markdown extension on its own: what becomes a citation, what stays literal, and lines."""

from __future__ import annotations

import markdown
import pytest

from mkdocs_plugins.evidence.markdown_ext import CitationExtension


def convert(source: str, offset: int = 0):
    extension = CitationExtension()
    extension.collector.start("docs/page.md", source, offset)
    html = markdown.Markdown(extensions=[extension, "tables", "admonition", "toc", "fenced_code"]).convert(source)
    cited = list(extension.collector.placed_groups(html).values())
    return html, cited, extension.collector


@pytest.mark.parametrize(
    "source",
    [
        "`[@a]` in a code span",
        "```\n[@a] fenced\n```",
        "    [@a] indented code",
        "\\[@a] escaped",
        "mail editor@example.org",
        "<editor@example.org>",
        "[a link](https://example.org/@a)",
        "[see @a](https://example.org/)",
        "[see [@a]](https://example.org/)",
        "![a chart [@a]](chart.png)",
        "[@a][ref]\n\n[ref]: https://example.org/",
        "[@a] [ref]\n\n[ref]: https://example.org/",
        "[text [@a] more][ref]\n\n[ref]: https://example.org/",
        "bare https://example.org/@a",
    ],
)
def test_literal_contexts_stay_untouched(source):
    _, cited, _ = convert(source)
    assert cited == []


@pytest.mark.parametrize(
    "source",
    [
        "A paragraph[@a].",
        "- a list item [@a]",
        "| h |\n| - |\n| cell [@a] |",
        "## Heading [@a]",
        "!!! note\n    admonition [@a]",
        "> quoted [@a]",
        "an open [bracket, then [@a]",
        "*emphasis [@a]*",
    ],
)
def test_citations_work_in_every_block(source):
    _, cited, _ = convert(source)
    assert [g.keys for g in cited] == [["a"]]


def test_groups_come_out_in_text_order_with_modes():
    _, cited, _ = convert("@n said[@a; @b] and [-@c] agreed, as @d [p. 3] noted.")
    assert [(g.mode, g.keys) for g in cited] == [
        ("narrative", ["n"]), ("note", ["a", "b"]), ("parenthetical", ["c"]), ("narrative", ["d"]),
    ]
    assert cited[3].citations[0].locator == "p. 3"


def test_lines_count_from_the_top_of_the_file_including_front_matter():
    _, cited, collector = convert("Intro.\n\nSecond [@a].\n\nThird [@a] and [@].", offset=4)
    assert [g.line for g in cited] == [7, 9]
    assert collector.errors == [("empty_citation", 9, collector.errors[0][2])]
