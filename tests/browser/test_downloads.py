"""Saving one reference as BibTeX or RIS from the References page (assets/evidence.js)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("extension, newline", [("bib", "\n"), ("ris", "\r\n")])
def test_a_reference_downloads_as_a_file_with_the_text_shown(session, extension, newline):
    page = session.open("references/")
    item = page.locator("#ref-abbott2005a")
    item.locator("details.evidence-export summary").click()
    shown = item.locator(f"#{extension}-abbott2005a").inner_text()
    button = item.get_by_role("button", name=f"Download abbott2005a.{extension}")
    assert button.is_visible()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"abbott2005a.{extension}"
    saved = Path(download.path()).read_bytes().decode("utf-8")
    assert saved == shown.strip().replace("\n", newline) + newline
    assert "abbott" in saved.lower() and ("@" in saved if extension == "bib" else saved.startswith("TY  - "))


def test_without_javascript_the_download_buttons_stay_hidden(session_factory):
    page = session_factory(java_script_enabled=False).open("references/")
    page.locator("#ref-abbott2005a details.evidence-export summary").click()
    assert page.locator("#ref-abbott2005a button.evidence-download").count() == 2
    assert not page.locator("#ref-abbott2005a button.evidence-download").first.is_visible()
    assert page.locator("#bib-abbott2005a").is_visible()  # the text is still there to copy


def test_copy_puts_the_entry_on_the_clipboard(session_factory):
    session = session_factory(permissions=["clipboard-read", "clipboard-write"])
    page = session.open("references/")
    item = page.locator("#ref-abbott2005a")
    item.locator("details.evidence-export summary").click()
    item.get_by_role("button", name="Copy BibTeX for Abbott et al. 2005a").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == item.locator("#bib-abbott2005a").inner_text().strip()
    assert copied.startswith("@article{abbott2005a,")
