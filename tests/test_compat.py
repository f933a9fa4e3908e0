"""mkdocs-bibtex users: a site written for mkdocs-bibtex 4.4 builds with only the plugin name changed."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from conftest import build_site, set_plugin_options

from mkdocs_plugins.evidence.compat import (
    bib_paths_from_options, holds_command, lines_outside_code, option_messages,
    replace_commands,
)

BIBTEX_SITE = Path(__file__).resolve().parent / "fixtures" / "bibtex_site"


def copy_bibtex_site(tmp_path: Path, as_written: bool = False) -> Path:
    """The mkdocs-bibtex site with the plugin renamed; unless `as_written`, also without the two
    options the plugin's warning says to remove (so strict builds pass)."""
    project = tmp_path / "bibtex_site"
    shutil.copytree(BIBTEX_SITE, project)
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert text.count("  - bibtex:") == 1
    config.write_text(text.replace("  - bibtex:", "  - evidence:"))  # the only change
    if not as_written:
        set_plugin_options(project, csl_file=None, footnote_format=None)
    return project


def test_a_mkdocs_bibtex_site_builds_with_only_the_plugin_name_changed(tmp_path, caplog, expect_warnings):
    project = copy_bibtex_site(tmp_path, as_written=True)
    expect_warnings(r"^mkdocs-bibtex option\(s\) csl_file, footnote_format in mkdocs.yml have no effect")
    site = build_site(project)
    home = (site / "index.html").read_text()
    # [@key] and [see @key, p. 12; @key] are endnotes; @key in the text is narrative.
    assert re.findall(r'<sup class="evidence-ref" id="endnote-ref-([^"]+)"[^>]*>', home) == ["i", "ii"]
    assert "Brown (2020)" in home
    # \bibliography: the Notes stand where the command stood, before the following section; the
    # author's own heading right above it ("Sources on this page") gives way to the Notes' heading.
    notes, after = home.index('<h2 id="notes">'), home.index('id="after-the-sources"')
    assert notes < after and 'id="sources-on-this-page"' not in home
    assert "\\bibliography" not in home
    assert "see <a" in home and "p. 12" in home
    # The author's own Markdown footnote still works next to the endnotes.
    assert 'class="footnote"' in home and "An ordinary Markdown footnote." in home
    # \full_bibliography on the user's references.md: every entry, uncited ones too.
    references = (site / "references" / "index.html").read_text()
    ids = re.findall(r'<li id="ref-([^"]+)" class="evidence-reference">', references)
    assert sorted(ids) == ["brown2020", "smith2019", "uncited2018"]
    assert "\\full_bibliography" not in references
    assert "Every work in the bibliography:" in references  # the user's page, not a generated one
    # The options with no effect are named in one warning that says what to do; done, the
    # strict build passes.
    warnings = [r.getMessage() for r in caplog.records
                if r.name == "mkdocs.plugins.evidence" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].endswith("Remove them from the plugin's options."), warnings
    set_plugin_options(project, csl_file=None, footnote_format=None)
    build_site(project, strict=True)


def test_bib_dir_reads_every_bib_file_below_it(tmp_path):
    project = copy_bibtex_site(tmp_path)
    set_plugin_options(project, bib_file=None, bib_dir="bibs")
    (project / "refs.bib").rename(project / "bibs" / "refs.bib")
    (project / "docs" / "methods.md").write_text("# Methods\n\nSee [@green2021] and [@smith2019].\n")
    site = build_site(project, strict=True)
    assert 'data-key="green2021"' in (site / "methods" / "index.html").read_text()


def test_enable_inline_citations_false_keeps_at_key_literal(tmp_path):
    project = copy_bibtex_site(tmp_path)
    set_plugin_options(project, enable_inline_citations=False)
    site = build_site(project, strict=True)
    home = (site / "index.html").read_text()
    assert "As @brown2020 argues" in home
    assert len(re.findall(r'<sup class="evidence-ref"', home)) == 2


def test_unknown_key_in_a_bibtex_site_fails_the_strict_build(tmp_path, caplog, expect_warnings):
    project = copy_bibtex_site(tmp_path)
    (project / "docs" / "methods.md").write_text("# Methods\n\nA typo[@smtih2019].\n")
    expect_warnings("smtih2019", "citation problem")
    try:
        build_site(project, strict=True)
    except Exception:
        pass
    else:
        raise AssertionError("the build should have failed")
    assert any("docs/methods.md:3: citation key 'smtih2019'" in r.getMessage() for r in caplog.records)


def test_option_mapping_without_mkdocs(tmp_path):
    root = tmp_path
    (root / "bibs" / "sub").mkdir(parents=True)
    for name in ("bibs/b.bib", "bibs/sub/a.bib", "one.bib"):
        (root / name).write_text("")
    assert bib_paths_from_options({}, root) == [root / "bib/references.bib"]
    assert bib_paths_from_options({"bib_file": "one.bib"}, root) == [root / "one.bib"]
    assert bib_paths_from_options({"bib_dir": "bibs"}, root) == [root / "bibs/b.bib", root / "bibs/sub/a.bib"]
    assert bib_paths_from_options({"bib_files": ["x.bib"], "bib_file": "x.bib"}, root) == [root / "x.bib"]
    assert option_messages({"bib_file": "https://api.zotero.org/users/1/items"}) == []  # fetched: test_bib_url
    assert "only http(s) addresses are" in option_messages({"bib_file": "ftp://example.org/refs.bib"})[0]
    text = "Text [@a].\n  \\bibliography  \nMore\n\\full_bibliography\n`\\bibliography` inline stays"
    out = replace_commands(text)
    assert out.split("\n") == ["Text [@a].", "<!-- evidence:notes -->", "More", "<!-- evidence:references -->",
                               "`\\bibliography` inline stays"]


def test_commands_in_fenced_code_stay_code():
    text = "Text.\n\n```\n\\bibliography\n```\n\n~~~~ text\n\\full_bibliography\n~~~~\n\n\\bibliography\n"
    assert replace_commands(text).split("\n") == ["Text.", "", "```", "\\bibliography", "```", "", "~~~~ text",
                                                  "\\full_bibliography", "~~~~", "", "<!-- evidence:notes -->", ""]


# Where `\bibliography` stands, and whether Python-Markdown renders it as code there.
COMMAND_PLACES = {
    "a paragraph": ("Text.\n\n\\bibliography\n", False),
    "three spaces in": ("Text.\n\n   \\bibliography\n", False),
    "a paragraph's indented line": ("Text\n    \\bibliography\n", False),
    "indented code": ("Text.\n\n    \\bibliography\n", True),
    "a tab in": ("Text.\n\n\t\\bibliography\n", True),
    "the first line, indented": ("    \\bibliography\n", True),
    "indented code, over a blank line": ("Text.\n\n    code\n\n    \\bibliography\n", True),
    "after indented code": ("Text.\n\n    code\n\\bibliography\n", False),
    "indented under a heading": ("# Head\n    \\bibliography\n", True),
    "fenced code": ("Text.\n\n```\n\\bibliography\n```\n", True),
    "a list item's paragraph": ("- item\n\n    \\bibliography\n", False),
    "a numbered item's paragraph": ("1. item\n\n    \\bibliography\n", False),
    "a list item's code": ("- item\n\n        \\bibliography\n", True),
    "a list item's paragraph after its code": ("- item\n\n        code\n\n    \\bibliography\n", False),
    "a nested item's paragraph": ("- item\n    - nested\n\n        \\bibliography\n", False),
    "a nested item's code": ("- item\n    - nested\n\n            \\bibliography\n", True),
    "after the list ends": ("- item\n\nText.\n\n    \\bibliography\n", True),
}


@pytest.mark.parametrize("place", COMMAND_PLACES)
def test_a_command_is_a_command_only_where_python_markdown_renders_no_code(place):
    import markdown

    text, is_code = COMMAND_PLACES[place]
    # What Python-Markdown makes of the page (fenced_code: a fence is code, as with superfences).
    rendered = markdown.markdown(text, extensions=["fenced_code"])
    assert bool(re.search(r"<code>[^<]*\\bibliography", rendered)) == is_code, rendered
    assert "\\bibliography" in rendered
    lines = text.split("\n")
    found = [index for index, line in lines_outside_code(lines) if line == "\\bibliography"]
    assert found == ([] if is_code else [index for index, line in enumerate(lines) if line.strip() == "\\bibliography"])
    assert holds_command(text, "\\bibliography") is not is_code
    assert ("<!-- evidence:notes -->" in replace_commands(text)) is not is_code
