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
    assert list(group.citations) == citations


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
