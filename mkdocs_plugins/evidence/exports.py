"""Exports built with the site: the library as BibTeX, RIS and CSL-JSON files, each entry's
BibTeX and RIS under its reference (to copy, or to save: the file is made in the browser from
that text by assets/evidence.js, so the site holds no file per entry), and a "Cite this page" block.
The per-entry texts are not printed under each reference: they sit in one small entries file per
References page, which evidence.js reads when a reader opens an entry's "BibTeX and RIS".

The data itself is made in `library_exports.py`.

Every text from BibTeX or a page title that goes into HTML is escaped with `render.esc`.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from .bibliography import Library, Work
from .library_exports import EntryExports, StoredExports, fields_of
from .render import esc

# --- HTML ------------------------------------------------------------------------------------


def _copy_button(target_id: str, text: str, label: str) -> str:
    """Material's clipboard (no JavaScript of ours) copies the target's text."""
    return (f'<button type="button" class="md-button evidence-copy" data-clipboard-target="#{target_id}" '
            f'aria-label="{esc(label)}">{esc(text)}</button>')


def downloads_html(strings: dict[str, str], link: dict[str, str]) -> str:
    """The library as files: `link` maps 'bib' / 'ris' / 'json' to URLs."""
    return (
        f'<p class="evidence-downloads">{esc(strings["download_library"])}: '
        f'<a href="{esc(link["bib"])}" download>BibTeX (references.bib)</a>, '
        f'<a href="{esc(link["ris"])}" download>RIS (references.ris)</a>, '
        f'<a href="{esc(link["json"])}" download>CSL-JSON (references.json)</a></p>'
    )


def _export_text(target_id: str, text: str) -> str:
    """Text to copy or save. The id sits on a wrapper: Material renames the id of every <pre>
    holding <code> (to `__code_<id>`), which would break the buttons' targets."""
    return f'<div class="evidence-export-text" id="{target_id}"><pre><code>{esc(text)}</code></pre></div>'


# (label, extension, media type, line ends of the downloaded file)
ENTRY_FORMATS = (("BibTeX", "bib", "application/x-bibtex", "lf"), ("RIS", "ris", "application/x-research-info-systems", "crlf"))


def entry_export_html(work: Work, exports: EntryExports, strings: dict[str, str]) -> str:
    """Under one reference: a "BibTeX and RIS" disclosure button. The entry's text, Copy and
    Download buttons are made by assets/evidence.js when it is pressed, from the page's entries
    file (`entries_json`), so the page carries no per-entry text. (A button, not a <details>:
    Material styles every <details> as a box with icons, which cost a long list layout time.)"""
    stem = exports.stems[work.key.lower()]
    return (f'<button type="button" class="evidence-export" data-entry="{stem}" aria-expanded="false">'
            f'{esc(strings["cite_formats"])}</button>')


def entries_json(works: list[Work], exports: EntryExports, strings: dict[str, str]) -> str:
    """What evidence.js needs to fill a reference's disclosure: per file stem, the name in the
    Copy button's label (`Abbott et al. 2005a`) and the entry's BibTeX and RIS text."""
    entries = {}
    for work in exports.read_each(works):  # from the cache, a chunk of entries a query
        key = work.key.lower()
        name = f"{work.label} {work.year_text(strings['no_date'])}"
        entries[exports.stems[key]] = [name, exports.bibtex[key].rstrip(), exports.ris[key].rstrip()]
    data = {
        "strings": {name: strings[name] for name in ("copy", "copy_of", "download")},
        "formats": [list(entry_format) for entry_format in ENTRY_FORMATS],
        "entries": entries,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """Plain text (a page title) as a BibTeX value."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)



def page_bibtex(review: Work, page_title: str, page_url: str | None, page_key: str, version: str | None = None) -> str:
    """The page as an @incollection of the review, from the review's own fields (as written)."""
    raw = fields_of(review)
    fields = []
    if review.persons.get("author"):
        fields.append(("author", " and ".join(review.persons["author"])))
    fields.append(("title", latex_escape(page_title)))
    if raw.get("title"):
        fields.append(("booktitle", raw["title"]))
    publisher = raw.get("publisher") or raw.get("institution") or raw.get("organization")
    if publisher:
        fields.append(("publisher", publisher))
    if raw.get("year"):
        fields.append(("year", raw["year"]))
    fields.append(("note", latex_escape(f"Web edition. {version}") if version else "Web edition"))
    if page_url:
        fields.append(("url", page_url))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@incollection{{{page_key},\n{body}\n}}"



def page_harvard_html(review: Work, names: str, page_title: str, page_url: str | None,
                      version: str | None = None) -> str:
    """`Surname, A. (2021) <em>Title</em>. Institution. Web edition, ‘Page’. [Version.] Available at: URL.`"""
    fields = review.fields
    text = f"{esc(names)} ({esc(review.year or 'n.d.')})"  # no a/b: that letter is this site's
    if fields.get("title"):
        text += f" <em>{esc(fields['title'])}</em>."
    publisher = fields.get("publisher") or fields.get("institution") or fields.get("organization")
    if publisher:
        text += f" {esc(publisher)}."
    text += f" Web edition, ‘{esc(page_title)}’."
    if version:
        text += f' <span class="evidence-cite-version">{esc(version)}</span>'
    if page_url:
        text += f' Available at: <a href="{esc(page_url)}">{esc(page_url)}</a>.'
    return text


def cite_page_html(review: Work, names: str, page_title: str, page_url: str | None, page_key: str,
                   strings: dict[str, str], version: str | None = None) -> str:
    """The "Cite this page" block: Harvard text and BibTeX, each with a copy button.

    `version` says which version was read (`Last updated 27 November 2026; version v1.2.`)."""
    harvard = page_harvard_html(review, names, page_title, page_url, version)
    bibtex = page_bibtex(review, page_title, page_url, page_key, version)
    return (
        f'<details class="evidence-cite-page">\n<summary>{esc(strings["cite_this_page"])}</summary>\n'
        f'<p>{esc(strings["cite_this_page_intro"])}</p>\n'
        f'<p id="evidence-cite-harvard" class="evidence-cite-harvard">{harvard}</p>\n'
        f'<p>{_copy_button("evidence-cite-harvard", strings["copy"].format(format=strings["harvard"]), strings["copy_of"].format(format=strings["harvard"], work=strings["this_page"]))}</p>\n'
        f'{_export_text("evidence-cite-bibtex", bibtex)}\n'
        f'<p>{_copy_button("evidence-cite-bibtex", strings["copy"].format(format="BibTeX"), strings["copy_of"].format(format="BibTeX", work=strings["this_page"]))}</p>\n'
        f"</details>"
    )


def page_key(review_key: str, page_url: str) -> str:
    """`smith2021-topics-key-idea` (the home page: `smith2021-web`)."""
    path = re.sub(r"(index)?\.html$", "", page_url).strip("/")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-").lower()
    return f"{review_key}-{slug or 'web'}"


class SiteExports:
    """What the plugin asks for: the export files, and the HTML added to the pages.

    `references_page` is the References page's path in docs/ (the library files sit beside
    it); `review_key` names the work every page's "Cite this page" block cites (None: no block).
    """

    def __init__(self, library: Library, sources: list[tuple[str, str]], strings: dict[str, str], *,
                 references_page: str, review_key: str | None, site_url: str | None, problems=None,
                 config_path: str = "mkdocs.yml", cache_dir: Path | None = None, cache_key: str | None = None):
        self.library = library
        self.strings = strings
        self.exports = StoredExports(library, sources, cache_dir, cache_key)
        folder = posixpath.dirname(references_page)
        self.library_uris = {ext: posixpath.join(folder, f"references.{ext}") for ext in ("bib", "ris", "json")}
        self.references_page = references_page
        self.site_url = (site_url or "").rstrip("/") + "/" if site_url else None
        self.review = library.get(review_key) if review_key else None
        if review_key and self.review is None and problems is not None:
            problems.add("key_not_found", config_path, None,
                         f"cite_this_page names '{review_key}', which is not in the bibliography. "
                         "Give the key of the work this site republishes.")

    def files(self) -> dict[str, str | Path]:
        """URI in the site -> the file's text, or the path of a stored copy."""
        return {self.library_uris[extension]: file for extension, file in self.exports.library_files().items()}

    def downloads(self, relative) -> str:
        """The line linking the library files, above the references; `relative(uri)` links from the page."""
        return downloads_html(self.strings, {ext: relative(uri) for ext, uri in self.library_uris.items()})

    def read_stems(self, works: list[Work]) -> None:
        """The stems of works listed next (a References page's export buttons), read in one go."""
        self.exports.entries.read((work.key.lower() for work in works), ("stem",))

    def entry_html(self, work: Work) -> str:
        """The closed export disclosure under one reference (render_references' `extra`)."""
        return entry_export_html(work, self.exports.entries, self.strings)

    def entries_file(self, works: list[Work]) -> str:
        """The entries file of a References page listing `works` (read by evidence.js on demand)."""
        return entries_json(works, self.exports.entries, self.strings)

    @staticmethod
    def entries_uri(page_uri: str) -> str:
        """`references.md` -> `references.entries.json`, beside the page's source path."""
        return posixpath.splitext(page_uri)[0] + ".entries.json"

    def cite_this_page(self, page_title: str, page_url: str, version: str | None = None) -> str:
        """The page's "Cite this page" block, or "" when no `cite_this_page` work is set."""
        if self.review is None:
            return ""
        url = self.site_url + page_url if self.site_url is not None else None
        key = page_key(self.review.key, page_url)
        names = self.exports.entries.names.get(self.review.key.lower(), self.review.label)
        return "\n" + cite_page_html(self.review, names, page_title, url, key, self.strings, version)
