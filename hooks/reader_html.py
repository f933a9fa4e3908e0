"""MkDocs hook: small changes to the final page HTML for readers (search, language).

Runs in `on_env` after the evidence plugin has written markers, notes and references, and
before Material's search plugin indexes the pages.

- Search: endnote markers (`xiv`), the numerals of the notes and their back-links (↩) get
  `data-search-exclude`, so Material's search does not index them and a query never matches
  every page's Notes by a numeral. The notes' text (authors, years) stays searchable, so a
  surname finds the pages that cite it.
- Language: in the Welsh build (theme.language: cy) the page text stays English (main.html
  wraps it in lang="en"), but the evidence plugin writes some interface strings into it in
  Welsh: the Notes and Related headings and the accessible names of markers and back-links.
  Those elements get lang="cy".
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

_SEARCH_EXCLUDE = [
    re.compile(r'(<sup class="evidence-ref"[^>]*?)(>)'),
    re.compile(r'(<span class="evidence-note-numeral"[^>]*?)(>)'),
    re.compile(r'(<a class="footnote-backref"[^>]*?)(>)'),
]
_INTERFACE_STRINGS = [
    re.compile(r'(<a class="footnote-(?:ref|backref)"[^>]*?)(>)'),
    re.compile(r'(<h2 id="(?:notes|related)"[^>]*?)(>)'),
]


def _add(pattern: re.Pattern, attribute: str, text: str) -> str:
    return pattern.sub(lambda m: m.group(1) + ("" if attribute in m.group(1) else f" {attribute}") + m.group(2), text)


@event_priority(-300)  # after the evidence plugin and the print view
def on_env(env, config, files):
    interface = str(config.theme.get("language") or "en").split("-")[0]
    content_language = str(config.extra.get("content_language") or "en")
    for file in files.documentation_pages():
        page = file.page
        if page is None or not page.content:
            continue
        text = page.content
        for pattern in _SEARCH_EXCLUDE:
            text = _add(pattern, "data-search-exclude", text)
        if interface != content_language:
            for pattern in _INTERFACE_STRINGS:
                text = _add(pattern, f'lang="{interface}"', text)
        page.content = text
    return env
