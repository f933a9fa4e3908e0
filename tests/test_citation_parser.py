"""The parser for the inside of `[...]`: a table of good and bad inputs."""

from __future__ import annotations

import pytest

from mkdocs_plugins.evidence.citations import (
    NOTE, PARENTHETICAL, Citation, CitationSyntaxError, parse_bracketed,
)

GOOD = [
    ("@a", NOTE, [Citation("a")]),
    ("@a; @b", NOTE, [Citation("a"), Citation("b")]),
    ("@a, p. 42", NOTE, [Citation("a", locator="p. 42")]),
    ("see @a; @b, ch. 3", NOTE, [Citation("a", prefix="see"), Citation("b", locator="ch. 3")]),
    ("-@a", PARENTHETICAL, [Citation("a", suppress_author=True)]),
    ("-@a; -@b", PARENTHETICAL, [Citation("a", suppress_author=True), Citation("b", suppress_author=True)]),
    # A `-@` work among others: the group stays an endnote; only that work loses its author.
    ("@a; -@b, p. 3", NOTE, [Citation("a"), Citation("b", locator="p. 3", suppress_author=True)]),
    ("@doe:2020/x.y_z-1, pp. 3-4", NOTE, [Citation("doe:2020/x.y_z-1", locator="pp. 3-4")]),
    ("  @a  ;  @b  ", NOTE, [Citation("a"), Citation("b")]),
    ("see also @a p. 3", NOTE, [Citation("a", prefix="see also", locator="p. 3")]),
]


@pytest.mark.parametrize("inside, mode, citations", GOOD)
def test_good_citations_parse(inside, mode, citations):
    group = parse_bracketed(inside)
    assert group.mode == mode
    assert group.citations == citations


@pytest.mark.parametrize("inside", ["mail me@example.org", "no at sign", "a@b", "x@y; z@w"])
def test_brackets_that_are_not_citations_are_left_alone(inside):
    assert parse_bracketed(inside) is None


@pytest.mark.parametrize(
    "inside, kind",
    [
        ("@", "empty_citation"),
        ("@a;", "empty_citation"),
        ("@a; ; @b", "empty_citation"),
        ("see @", "empty_citation"),
        ("@a; see", "malformed_citation"),
    ],
)
def test_malformed_citations_raise_with_a_kind(inside, kind):
    with pytest.raises(CitationSyntaxError) as raised:
        parse_bracketed(inside)
    assert raised.value.kind == kind


def test_trailing_sentence_punctuation_is_not_part_of_the_key():
    group = parse_bracketed("@a.b.")
    assert group.keys == ["a.b"]


def test_a_citation_written_twice_gives_two_groups_of_their_own():
    """The same `[...]` on many pages is parsed once; each place still gets its own group, so
    numbering one (or unwrapping it from a link text) leaves the other as it was."""
    first, second = parse_bracketed("see @a; @b, p. 3"), parse_bracketed("see @a; @b, p. 3")
    assert first is not second and first.citations is not second.citations
    assert first.citations == second.citations and first.source == second.source == "[see @a; @b, p. 3]"
    first.number, first.numeral, first.mode, first.line = 7, "vii", "literal", 12
    first.citations.append(Citation("c"))
    assert (second.number, second.numeral, second.mode, second.line) == (None, "", NOTE, None)
    assert parse_bracketed("see @a; @b, p. 3").keys == ["a", "b"]
    for _ in range(2):  # a malformed citation is reported every time it is written
        with pytest.raises(CitationSyntaxError):
            parse_bracketed("@a; see")



def test_the_parsed_citations_are_let_go_once_every_page_is_rendered(fixture_project, monkeypatch):
    """Kept while pages render (a citation written on many pages is parsed once), then let go:
    not held to the end of a large build."""
    from conftest import build_site
    from mkdocs_plugins.evidence import assembly, citations

    kept = []
    prepare = assembly.SiteAssembly.prepare

    def prepare_seen(self, *args, **kwargs):
        kept.append(citations._parsed.cache_info().currsize)
        return prepare(self, *args, **kwargs)

    monkeypatch.setattr(assembly.SiteAssembly, "prepare", prepare_seen)
    citations.forget_parsed()
    build_site(fixture_project, strict=True)
    assert kept and kept[0] > 0  # the fixture's citations, kept while its pages rendered
    assert citations._parsed.cache_info().currsize == 0
