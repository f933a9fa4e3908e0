"""Labels, year letters, LaTeX decoding, references and bib errors, on real pybtex parses."""

from __future__ import annotations

import pytest

from conftest import REALWORLD_BIB
from mkdocs_plugins.evidence.bibliography import load_library
from mkdocs_plugins.evidence.harvard import format_references
from mkdocs_plugins.evidence.problems import ProblemList


def library_from(text: str):
    problems = ProblemList()
    library = load_library([(text, "bib/test.bib")], problems)
    format_references(list(library.works.values()), library.bib_data.entries)  # every entry, for the tables
    return library, problems


@pytest.mark.parametrize(
    "author, label",
    [
        ("Sloper, Patricia", "Sloper"),
        ("Lutman, E. and Farmer, Elaine", "Lutman and Farmer"),
        ("Abbott, D. and Townsley, R. and Watson, D.", "Abbott et al."),
        ("Cooper, Mick and others", "Cooper et al."),
        ("{Home Office}", "Home Office"),
        ("{The Behavioural Insights Team}", "The Behavioural Insights Team"),
        ("Vale Guerra, Joana and Leit{\\~a}o, Catarina", "Vale Guerra and Leitão"),
        ("van Dongen, Tim and Smith, A. and Jones, B.", "van Dongen et al."),
        ("M{\\\"u}ller, Hans", "Müller"),
    ],
)
def test_short_labels(author, label):
    library, problems = library_from(f"@misc{{k, author = {{{author}}}, year = {{2020}}}}")
    assert not problems
    assert library.get("k").label == label


def test_undated_works_read_no_date():
    library, _ = library_from("@misc{k, author = {Brock, J.}, year = {n.d.}}")
    assert library.get("k").year_text() == "no date"


def test_year_letters_are_assigned_across_the_library_titled_first():
    library, _ = library_from(
        """
        @misc{zeta, author = {Abbott, D. and others}, year = {2005}}
        @article{alpha, author = {Abbott, D. and Townsley, R. and Watson, D.}, title = {Multi-agency}, year = {2005}}
        @misc{solo, author = {Abbott, D.}, year = {2005}}
        """
    )
    assert library.get("alpha").year_text() == "2005a"
    assert library.get("zeta").year_text() == "2005b"
    assert library.get("solo").year_text() == "2005"  # different label, no letter


def test_harvard_reference_with_doi_and_escaped_title():
    library, _ = library_from(
        r"""@article{k, author = {Salmon, Gill and Rapport, Frances},
        title = {Voices <b>loud</b> \& clear}, journal = {Journal of Interprofessional Care},
        volume = {19}, number = {5}, pages = {429--443}, year = {2005}, doi = {10.1080/x}}"""
    )
    html = library.get("k").reference_html
    assert html.startswith("Salmon, G. and Rapport, F. (2005) ‘Voices &lt;b&gt;loud&lt;/b&gt; &amp; clear’")
    assert "<em>Journal of Interprofessional Care</em>, 19(5), pp. 429–443." in html
    assert '<a href="https://doi.org/10.1080/x">10.1080/x</a>' in html
    assert "<b>" not in html


def test_unverified_entries_are_flagged():
    library, _ = library_from("@misc{k, author = {Ball, A.}, year = {2014}, note = {Details not verified}}")
    assert library.get("k").verified is False


def test_syntax_error_names_the_line():
    _, problems = library_from("@misc{good, author = {A, B}, year = {2000}}\n\n@misc{bad,\n  author = {A, B\n}\n")
    syntax = [p for p in problems if p.kind == "bib_syntax"]
    assert len(syntax) == 1
    assert syntax[0].file == "bib/test.bib" and syntax[0].line in (4, 5, 6)
    assert "malformed BibTeX" in syntax[0].message


def test_duplicate_key_names_both_lines():
    _, problems = library_from("@misc{k, author = {A, B}, year = {2000}}\n@misc{K,\n author = {C, D}, year = {2001}}\n")
    (problem,) = problems
    assert problem.kind == "duplicate_key" and problem.line == 2
    assert "bib/test.bib:1" in problem.message


def test_entry_without_author_or_year_is_reported_not_raised():
    library, problems = library_from("@misc{noauthor, title = {T}, year = {2000}}\n@misc{noyear, author = {A, B}}\n")
    assert sorted(p.kind for p in problems) == ["missing_field", "missing_field"]
    assert library.get("noauthor") is None and library.get("noyear") is None


def test_real_world_library_loads_and_formats_without_crashing():
    if not REALWORLD_BIB.exists():
        pytest.skip(f"{REALWORLD_BIB} is absent (a clone outside this workplace)")
    library, problems = library_from(REALWORLD_BIB.read_text(encoding="utf-8"))
    assert len(library.works) >= 80
    assert all(work.reference_html for work in library.works.values())
    assert all(p.kind == "missing_field" for p in problems), [str(p) for p in problems]


def test_a_key_as_the_library_looks_it_up_is_one_shared_string():
    """Citing places, the graph and the letter pages hold the library's own copy of each
    lower-cased key (library_key), not a string per citation, whatever the case written."""
    from mkdocs_plugins.evidence.bibliography import library_key

    library, _ = library_from("@misc{Abbott2005A, author = {Abbott, A.}, year = {2005}}")
    (key,) = library.works
    written = "".join(["ABBOTT", "2005a"])  # a citation's key as written, made at run time
    assert library_key(written) == "abbott2005a" and library_key(written) is key
