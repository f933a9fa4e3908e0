""""Suggest a correction" links (corrections.py), the issue form they open and the pull request
template: valid YAML and Markdown, fields that match, reminders that name real commands."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import markdown
import yaml

from mkdocs_plugins.evidence.corrections import FIELDS, CorrectionLinks, form_address
from mkdocs_plugins.evidence.strings import STRINGS

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "correction.yml"
# GitHub's issue forms: top-level keys and body element types it accepts.
FORM_KEYS = {"name", "description", "title", "labels", "assignees", "projects", "type", "body"}
ELEMENT_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def query(href: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(href).query, strict_parsing=True).items()}


def href_of(html: str) -> str:
    import html as html_module
    return html_module.unescape(re.search(r'href="([^"]+)"', html).group(1))


def test_no_form_without_a_repository_or_a_form_name():
    assert form_address(None, "correction.yml") is None
    assert form_address("https://github.com/o/r", None) is None
    assert form_address("https://github.com/o/r/", "correction.yml") == "https://github.com/o/r/issues/new?template=correction.yml"


def test_links_prefill_title_page_and_what_is_concerned_escaped():
    links = CorrectionLinks(form_address("https://github.com/o/r", "correction.yml"), STRINGS["en"],
                            page_title='Us & "them" <b>', page_url="factors/a/", site_url="https://example.org/review/")
    note = links.note("xiv", ["smith2020", "jones2019"])
    assert 'aria-label="Suggest a correction to endnote xiv">Suggest a correction</a>' in note
    assert query(href_of(note)) == {
        "template": "correction.yml", "title": 'Correction: Us & "them" <b>, endnote xiv',
        "page": "https://example.org/review/factors/a/", "concerns": "Endnote xiv (smith2020, jones2019)"}
    assert "<b>" not in note, "every text is escaped in the attribute"
    reference = links.reference("smith2020", "Smith & Co, 2020")
    assert query(href_of(reference))["concerns"] == "Reference smith2020: Smith & Co, 2020"
    assert 'aria-label="Suggest a correction to the reference Smith &amp; Co, 2020"' in reference
    page = links.page()
    assert "aria-label" not in page and "concerns" not in query(href_of(page))


def test_without_site_url_the_page_field_is_the_pages_path():
    links = CorrectionLinks("https://github.com/o/r/issues/new?template=c.yml", STRINGS["cy"], page_title="Hafan", page_url="")
    assert query(href_of(links.page()))["page"] == "/"
    assert ">Awgrymu cywiriad</a>" in links.page()


def test_issue_form_is_a_valid_github_form_with_the_fields_the_links_fill():
    form = yaml.safe_load(FORM.read_text())
    assert set(form) <= FORM_KEYS and {"name", "description", "body"} <= set(form)
    ids = []
    for element in form["body"]:
        assert element["type"] in ELEMENT_TYPES
        if element["type"] == "markdown":
            assert element["attributes"]["value"].strip()
            continue
        assert re.fullmatch(r"[a-z0-9_-]+", element["id"]) and element["attributes"]["label"].strip()
        # Readers of the Welsh interface land here too: "English / Cymraeg".
        english, welsh = element["attributes"]["label"].split(" / ")
        assert english.strip() and welsh.strip()
        ids.append(element["id"])
    assert len(ids) == len(set(ids)), "ids are unique"
    assert set(FIELDS) <= set(ids)
    required = {element["id"] for element in form["body"] if element.get("validations", {}).get("required")}
    assert "concerns" not in required, "a reader coming from the page link has no note to name"
    assert yaml.safe_load((FORM.parent / "config.yml").read_text())["blank_issues_enabled"] is True


def test_pull_request_template_reminds_of_the_check_and_the_change_report():
    text = (ROOT / ".github" / "pull_request_template.md").read_text()
    html = markdown.markdown(text)
    assert html.startswith("<h2>") and html.count('<li>[ ]') >= 3
    for command in ("scripts/check.py", "scripts/site_diff.py", "make changes", "python3 -m http.server -d site"):
        assert command in text
        script = re.match(r"scripts/\S+\.py", command)
        if script:
            assert (ROOT / script.group(0)).is_file()
    assert re.search(r"^changes:", (ROOT / "Makefile").read_text(), re.MULTILINE)
