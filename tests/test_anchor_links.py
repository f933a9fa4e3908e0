"""MkDocs' check of links to anchors (`validation: anchors: warn`, as the review's mkdocs.yml sets
it) still knows the ids the plugin writes after rendering: endnotes, their markers, references,
the Notes heading. The plugin hands MkDocs only the ids some page's Markdown links to."""

from __future__ import annotations

import pytest

from conftest import build_site


def link_from_a_page(project, links: str) -> None:
    page = project / "docs" / "factors" / "information-sharing.md"
    page.write_text(page.read_text() + f"\n{links}\n")


def test_links_to_the_plugins_ids_pass_the_strict_check(fixture_project):
    link_from_a_page(fixture_project, "See [the first note](../index.md#endnote-i), [its marker](../index.md#endnote-ref-i), "
                                      "[the notes](../index.md#notes) and [a reference](../references.md#ref-cheminais2009).")
    site = build_site(fixture_project, strict=True, validation={"anchors": "warn"})
    html = (site / "factors" / "information-sharing" / "index.html").read_text()
    assert 'href="../../references/#ref-cheminais2009"' in html and 'href="../../#endnote-i"' in html


@pytest.mark.parametrize("target", ["../index.md#endnote-xcix", "../index.md#endnote-ref-xcix",
                                    "../references.md#ref-nosuchwork2001"])
def test_a_link_to_a_missing_endnote_or_reference_fails_the_strict_build(fixture_project, caplog, expect_warnings, target):
    link_from_a_page(fixture_project, f"See [this]({target}).")
    expect_warnings(r"contains a link .*" + target.rpartition("#")[2], r"Aborted|strict")
    with pytest.raises(Exception):
        build_site(fixture_project, strict=True, validation={"anchors": "warn"})
    assert any(target.rpartition("#")[2] in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_where_mkdocs_keeps_no_links_to_anchors_every_id_is_given(fixture_project, caplog, expect_warnings, monkeypatch):
    """`Page.links_to_anchors` is not a documented API: a page without it means every id the
    plugin writes is given to MkDocs, so its check still passes good links and fails bad ones."""
    from types import SimpleNamespace

    from mkdocs_plugins.evidence import plugin

    assert plugin._linked_anchors([SimpleNamespace(title="a page of another MkDocs")]) is None
    monkeypatch.setattr(plugin, "_linked_anchors", lambda pages: None)
    link_from_a_page(fixture_project, "See [the first note](../index.md#endnote-i) and [a reference](../references.md#ref-cheminais2009).")
    build_site(fixture_project, strict=True, validation={"anchors": "warn"})

    link_from_a_page(fixture_project, "See [this](../index.md#endnote-xcix).")
    expect_warnings(r"contains a link .*endnote-xcix", r"Aborted|strict")
    with pytest.raises(Exception):
        build_site(fixture_project, strict=True, validation={"anchors": "warn"})
