"""Readers report problems, editors edit: "Suggest a correction" on every page, endnote and
reference, and "Edit this page", in both interface languages, followed to where they lead: the
issue form in .github/ISSUE_TEMPLATE/ with its fields prefilled, and the page's file in docs/."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from mkdocs_plugins.evidence.project import load_yaml

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = {
    "en": {"prefix": "", "suggest": "Suggest a correction", "note": "Suggest a correction to endnote {}",
           "reference": "Suggest a correction to the reference {}", "edit": "Edit this page"},
    "cy": {"prefix": "cy/", "suggest": "Awgrymu cywiriad", "note": "Awgrymu cywiriad i ôl-nodyn {}",
           "reference": "Awgrymu cywiriad i'r cyfeirnod {}", "edit": "Golygu'r dudalen hon"},
}


def repo_url() -> str:
    """What the build used: REPO_URL (CI sets it), else mkdocs.yml's documented default."""
    config = load_yaml((ROOT / "mkdocs.yml").read_text())
    name, default = config["repo_url"]  # !ENV [REPO_URL, default]
    assert name == "REPO_URL"
    return os.environ.get("REPO_URL", default).rstrip("/")


def form_fields() -> set[str]:
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "correction.yml").read_text())
    return {item["id"] for item in form["body"] if "id" in item}


def follow(href: str, page_url: str) -> dict[str, str]:
    """The issue form a correction link opens, and what it fills in."""
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == repo_url() + "/issues/new"
    query = {name: values[0] for name, values in parse_qs(parts.query, strict_parsing=True).items()}
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / query.pop("template")).is_file()
    assert set(query) - {"title"} <= form_fields(), "every prefilled field exists in the form"
    assert query["page"].endswith(page_url) and query["title"].startswith("Correction: ")
    return query


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_note_reference_and_page_links_to_the_prefilled_form(session, language):
    words = LANGUAGES[language]
    page = session.open(words["prefix"] + "factors/key-worker/")
    numeral = page.locator("ol.evidence-notes > li").first.get_attribute("id").removeprefix("endnote-")
    note_link = page.get_by_role("link", name=words["note"].format(numeral), exact=True)
    assert note_link.inner_text() == words["suggest"]
    fields = follow(note_link.get_attribute("href"), "factors/key-worker/")
    assert fields["title"] == f"Correction: A key worker, endnote {numeral}"
    assert fields["concerns"].startswith(f"Endnote {numeral} (")
    whole_page = page.locator("p.evidence-correction-page a")
    assert whole_page.inner_text() == words["suggest"]
    assert "concerns" not in follow(whole_page.get_attribute("href"), "factors/key-worker/")
    page.emulate_media(media="print")  # on paper a link is no use: none is printed
    assert not whole_page.is_visible() and not note_link.is_visible()
    page.emulate_media(media="screen")

    page = session.open(words["prefix"] + "references/")
    link = page.get_by_role("link", name=words["reference"].format("Abbott et al., 2005a"), exact=True)
    fields = follow(link.get_attribute("href"), "references/")
    assert fields["concerns"] == "Reference abbott2005a: Abbott et al., 2005a"
    assert not session.foreign


@pytest.mark.parametrize("language", LANGUAGES)
def test_edit_this_page_opens_the_pages_own_file_and_generated_pages_have_none(session, language):
    words = LANGUAGES[language]
    page = session.open(words["prefix"] + "factors/key-worker/")
    edit = page.locator("a[rel=edit]")
    assert edit.get_attribute("title") == words["edit"]
    href = edit.get_attribute("href")
    assert href == repo_url() + "/edit/main/docs/factors/key-worker.md"
    assert (ROOT / "docs" / "factors" / "key-worker.md").is_file()
    for generated in ("references/", "evidence-map/", "figure-1/", "print/"):
        page = session.open(words["prefix"] + generated)
        assert page.locator("a[rel=edit]").count() == 0, f"{generated}: no file in docs/ to edit"
        if generated != "print/":  # the print view gathers every page, each with its own link
            assert page.locator("p.evidence-correction-page a").count() == 1
