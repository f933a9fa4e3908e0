"""Saving and copying one reference as BibTeX or RIS from the References page (assets/evidence.js).

`tests/data/entry_downloads.json` holds, for every entry of the review, the bytes that Chromium
saved from each "Download <key>.bib / .ris" button and the text each "Copy" button put on the
clipboard, captured from the site as it was when every entry's BibTeX and RIS were printed in
the page. The entries are now built in the browser on demand; these tests hold them to those bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TODAY = json.loads((Path(__file__).resolve().parents[1] / "data" / "entry_downloads.json").read_text(encoding="utf-8"))

# Click every Download button with the page's own handler; keep each file it makes (the blob
# given to URL.createObjectURL) instead of saving it, so all of them are read in one go.
SAVE_ALL = """async () => {
  const made = [];
  const create = URL.createObjectURL;
  URL.createObjectURL = blob => { made.push(blob); return create.call(URL, blob); };
  const click = HTMLAnchorElement.prototype.click;
  const names = [];
  HTMLAnchorElement.prototype.click = function () { names.push(this.download); };
  try {
    for (const button of document.querySelectorAll('button.evidence-download')) button.click();
  } finally {
    HTMLAnchorElement.prototype.click = click;
    URL.createObjectURL = create;
  }
  const files = {};
  for (let i = 0; i < made.length; i++) {
    files[names[i]] = Array.from(new Uint8Array(await made[i].arrayBuffer()));
  }
  return files;
}"""


def _open_all(page) -> None:
    """Press every entry's "BibTeX and RIS" and wait until each has its text and buttons."""
    count = page.locator("button.evidence-export").count()
    page.evaluate("document.querySelectorAll('button.evidence-export').forEach(b => b.click())")
    page.wait_for_function("n => document.querySelectorAll('button.evidence-download').length === 2 * n", arg=count)


def test_every_entry_downloads_todays_bytes(session):
    page = session.open("references/")
    ids = page.eval_on_selector_all(".evidence-references > li", "els => els.map(e => e.id)")
    assert sorted(ids) == sorted(TODAY), "the References page lists other entries than when the bytes were captured"
    _open_all(page)
    files = page.evaluate(SAVE_ALL)
    expected = {TODAY[rid][ext]["filename"]: TODAY[rid][ext]["bytes"].encode("utf-8") for rid in TODAY for ext in ("bib", "ris")}
    assert sorted(files) == sorted(expected)
    different = [name for name in expected if bytes(files[name]) != expected[name]]
    assert not different, f"{len(different)} file(s) differ from the captured bytes: {different[:5]}"
    labels = {rid: [page.locator(f"#{rid} button.evidence-download").nth(i).inner_text() for i in (0, 1)]
              for rid in ("ref-abbott2005a", "ref-valeguerra2020")}
    for rid, texts in labels.items():
        assert texts == [TODAY[rid]["bib"]["download_label"], TODAY[rid]["ris"]["download_label"]]


@pytest.mark.parametrize("extension", ["bib", "ris"])
def test_a_reference_saves_as_a_file_through_chromium(session, extension):
    """The real download path: a click on the button, the file Chromium writes to disk."""
    page = session.open("references/")
    for rid in ("ref-abbott2005a", "ref-patsios2010", "ref-valeguerra2020"):
        item = page.locator(f"#{rid}")
        item.locator("button.evidence-export").click()
        button = item.get_by_role("button", name=TODAY[rid][extension]["download_label"])
        with page.expect_download() as info:
            button.click()
        download = info.value
        assert download.suggested_filename == TODAY[rid][extension]["filename"]
        assert Path(download.path()).read_bytes() == TODAY[rid][extension]["bytes"].encode("utf-8"), rid


def test_copy_puts_todays_text_on_the_clipboard(session_factory):
    session = session_factory(permissions=["clipboard-read", "clipboard-write"])
    page = session.open("references/")
    for rid in ("ref-abbott2005a", "ref-bai2009", "ref-valeguerra2020"):
        item = page.locator(f"#{rid}")
        item.locator("button.evidence-export").click()
        for extension in ("bib", "ris"):
            page.evaluate("navigator.clipboard.writeText('')")
            item.get_by_role("button", name=TODAY[rid][extension]["copy_label"]).click()
            page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
            assert page.evaluate("navigator.clipboard.readText()") == TODAY[rid][extension]["copy"], (rid, extension)


def test_the_page_carries_no_entry_text_until_an_entry_is_opened(session):
    """Nothing per entry but a "BibTeX and RIS" button: the text arrives when a reader presses it,
    and a second press hides it again."""
    requests = []
    session.context.on("request", lambda request: requests.append(request.url))
    page = session.open("references/")
    assert page.locator(".evidence-references pre").count() == 0
    assert page.locator(".evidence-references .evidence-export-text").count() == 0
    assert not any(url.endswith(".entries.json") for url in requests), "entries file read on load"
    page.locator("#ref-abbott2005a button.evidence-export").click()
    page.locator("#bib-abbott2005a").wait_for()
    assert sum(url.endswith(".entries.json") for url in requests) == 1
    page.locator("#ref-bai2009 button.evidence-export").click()
    page.locator("#ris-bai2009").wait_for()
    assert sum(url.endswith(".entries.json") for url in requests) == 1, "the entries file is read once"
    control = page.locator("#ref-bai2009 button.evidence-export")
    assert control.get_attribute("aria-expanded") == "true"
    panel = page.locator(f"#{control.get_attribute('aria-controls')}")
    assert panel.is_visible()
    control.click()
    assert control.get_attribute("aria-expanded") == "false" and not panel.is_visible()
    control.click()
    assert panel.is_visible() and page.locator("#ref-bai2009 .evidence-export-panel").count() == 1


def test_without_javascript_no_entry_control_shows_and_the_library_files_remain(session_factory):
    page = session_factory(java_script_enabled=False).open("references/")
    assert page.locator("#ref-abbott2005a button.evidence-export").count() == 1
    assert not page.locator("#ref-abbott2005a button.evidence-export").is_visible()
    for name in ("references.bib", "references.ris", "references.json"):
        assert page.locator(f".evidence-downloads a[href$='{name}']").is_visible()
