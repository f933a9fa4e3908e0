"""The citation processor as a plain Python-Markdown extension (docstrings, other generators)."""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import FIXTURE_SITE

from mkdocs_plugins.evidence.standalone import EvidenceExtension

BIB = str(FIXTURE_SITE / "bib" / "refs.bib")
TEXT = """Agencies share[@atkinson2005; @atkinson2007, p. 4]. As @valeguerra2020 report,
it works [-@cheminais2009].

`[@code]` and mail editor@example.org stay literal.
"""


def test_by_module_path_with_extension_configs():
    html = markdown.markdown(TEXT, extensions=["mkdocs_plugins.evidence.standalone"],
                             extension_configs={"mkdocs_plugins.evidence.standalone": {"bib_files": [BIB]}})
    assert '<a class="footnote-ref" href="#endnote-i" aria-label="Endnote i">i</a>' in html
    note = re.search(r'<li id="endnote-i".*?</li>', html, re.DOTALL).group(0)
    assert re.sub(r"<[^>]+>", "", note).startswith("i Atkinson et al., 2005; 2007, p. 4.")
    assert ">Vale Guerra and Leitão (2020)</a>" in html
    assert "(<a class=\"evidence-work\" data-key=\"cheminais2009\" href=\"#ref-cheminais2009\">2009</a>)" in html
    assert "<code>[@code]</code>" in html and "editor@example.org" in html
    # The document's own References list holds every work it cites, with the ids its links use.
    ids = re.findall(r'<li id="ref-([^"]+)"', html)
    assert sorted(ids) == ["atkinson2005", "atkinson2007", "cheminais2009", "valeguerra2020"]
    assert "evidence-cite data-n" not in html


def test_by_entry_point_name():
    html = markdown.markdown("Seen[@abbott2005a].", extensions=["evidence_citations"],
                             extension_configs={"evidence_citations": {"bib_files": BIB}})
    assert 'id="endnote-i"' in html and "Abbott et al., 2005a" in html


def test_each_document_numbers_its_own_notes_and_links_to_a_references_page():
    extension = EvidenceExtension(bib_files=[BIB], references_url="/references/", numerals="arabic")
    md = markdown.Markdown(extensions=[extension])
    first = md.convert("One[@abbott2005a]. Two[@abbott2005b].")
    md.reset()
    second = md.convert("Again[@cheminais2009].")
    assert re.findall(r'id="endnote-(\d+)"', first) == ["1", "2"]
    assert re.findall(r'id="endnote-(\d+)"', second) == ["1"]
    assert 'href="/references/#ref-cheminais2009"' in second
    assert 'id="references"' not in second  # the works are listed on the references page


def test_inside_a_docstring_like_fragment_with_other_extensions():
    docstring = """Load the library.

    !!! note
        Labels follow the review[@atkinson2005].

    | Case | Source |
    | --- | --- |
    | corporate | @homeoffice2014 |
    """
    import inspect

    html = markdown.markdown(inspect.cleandoc(docstring), extensions=[
        EvidenceExtension(bib_files=[BIB]), "admonition", "tables", "toc"])
    assert 'class="admonition note"' in html and 'href="#endnote-i"' in html
    assert ">Home Office (2014)</a>" in html


def test_problems_are_reported_with_their_line(caplog, expect_warnings):
    expect_warnings("abot2005a", "without a key")
    extension = EvidenceExtension(bib_files=[BIB], source_name="module.py")
    html = markdown.markdown("Fine.\n\nTypo[@abot2005a] and [@].", extensions=[extension])
    kinds = [(p.kind, p.file, p.line) for p in extension.problems]
    assert kinds == [("empty_citation", "module.py", 3), ("key_not_found", "module.py", 3)]
    assert 'class="evidence-missing" data-key="abot2005a"' in html
    assert any("Did you mean 'abbott2005a'" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("language, notes", [("en", "Notes"), ("cy", "Nodiadau")])
def test_language(language, notes):
    html = markdown.markdown("X[@abbott2005a].", extensions=[EvidenceExtension(bib_files=[BIB], language=language)])
    assert f'<h2 id="notes">{notes}' in html


def test_toc_gets_one_resolve_per_document_and_clean_headings(monkeypatch, expect_warnings):
    # toc runs the postprocessors on every heading and on the TOC: citations are resolved
    # once, on the whole page, and a heading that cites keeps its own words as id and TOC text.
    expect_warnings("nokey")
    extension = EvidenceExtension(bib_files=[BIB])
    resolved = []
    real_resolve = extension.resolve
    monkeypatch.setattr(extension, "resolve", lambda html: resolved.append(html) or real_resolve(html))
    md = markdown.Markdown(extensions=[extension, "toc"])
    html = md.convert("# Intro\n\n## Why @atkinson2005 matters[@abbott2005a]\n\n## Sharing [@nokey]\n\nText[@cheminais2009].\n")
    assert len(resolved) == 1
    assert [p.kind for p in extension.problems] == ["key_not_found"]  # said once, not once per heading
    assert re.findall(r'<h2 id="([^"]+)"', html) == ["why-matters", "sharing", "notes", "references"]
    assert [child["name"] for child in md.toc_tokens[0]["children"]] == ["Why matters", "Sharing"]
    assert "evidence-cite" not in md.toc and "endnote" not in md.toc and "References" not in md.toc
    assert re.findall(r'id="endnote-([ivx]+)"', html) == ["i", "ii", "iii"]
    assert html.count('<h2 id="references">') == 1


def test_the_library_is_parsed_once_for_many_documents(monkeypatch):
    from mkdocs_plugins.evidence import standalone

    standalone._LIBRARIES.clear()
    parsed = []
    real_load = standalone.load_library
    monkeypatch.setattr(standalone, "load_library", lambda *a, **k: parsed.append(1) or real_load(*a, **k))
    for text in ("One[@abbott2005a].", "Two[@abbott2005b].", "Three[@cheminais2009]."):
        # A new Markdown and a new extension per page, as MkDocs and Zensical make them.
        markdown.markdown(text, extensions=["evidence_citations"], extension_configs={"evidence_citations": {"bib_files": BIB}})
    assert len(parsed) == 1


def test_an_edited_bib_is_read_again(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{smith2020, author = {Smith, Ann}, title = {One}, year = {2020}}\n")
    first = markdown.markdown("[@smith2020]", extensions=[EvidenceExtension(bib_files=[str(bib)])])
    bib.write_text("@book{smith2020, author = {Smith, Ann and Jones, Bo}, title = {One}, year = {2021}}\n")
    second = markdown.markdown("[@smith2020]", extensions=[EvidenceExtension(bib_files=[str(bib)])])
    assert ">Smith, 2020</a>" in first and ">Smith and Jones, 2021</a>" in second


def test_strict_raises_with_every_problem_of_the_document(expect_warnings):
    from mkdocs_plugins.evidence.standalone import CitationProblems

    expect_warnings("abot2005a", "without a key")
    extension = EvidenceExtension(bib_files=[BIB], source_name="docs/page.md", strict=True)
    with pytest.raises(CitationProblems) as raised:
        markdown.markdown("Typo[@abot2005a] and [@].", extensions=[extension])
    message = str(raised.value)
    assert "2 citation problem(s)" in message
    assert "docs/page.md:1: citation key 'abot2005a'" in message and "[empty_citation]" in message
    # Not strict (the default outside Zensical's strict build): logged and kept, the page is written.
    assert "Typo" in markdown.markdown("Typo[@abot2005a].", extensions=[EvidenceExtension(bib_files=[BIB])])


def test_site_mode_gives_a_page_what_the_plugin_gives_it(fixture_project):
    # With site_config, a page rendered on its own (as Zensical or MkDocs without the plugin
    # render it) gets the numerals, notes, links and Related block the plugin's build gives it.
    from conftest import build_site
    from mkdocs_plugins.evidence.pages import split_body

    body, _ = split_body((fixture_project / "docs" / "factors" / "information-sharing.md").read_text(encoding="utf-8"))
    extension = EvidenceExtension(site_config=str(fixture_project / "mkdocs.yml"))
    html = markdown.markdown(body, extensions=["admonition", "tables", "toc", extension])
    built = (build_site(fixture_project) / "factors" / "information-sharing" / "index.html").read_text(encoding="utf-8")

    def plugin_work(text):
        return (re.findall(r'<sup class="evidence-ref" id="([^"]+)"[^>]*><a class="footnote-ref" href="([^"]+)"', text),
                re.findall(r'<li id="(endnote-[^"]+)"', text), re.findall(r'href="([^"]*references/#ref-[^"]+)"', text),
                'id="related"' in text)

    markers, notes, references, related = plugin_work(html)
    assert markers and markers[0][0] != "endnote-ref-i"  # numbered after the pages before it in the nav
    assert (markers, notes, references, related) == plugin_work(built)
