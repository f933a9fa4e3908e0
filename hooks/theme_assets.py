"""MkDocs hook: publish only the theme files the site uses, and one copy of them for both
interface languages.

- Source maps (`*.map`, 2.5 MB) are left out, unless `extra.theme_assets.source_maps: true`.
- Search-language files (`assets/javascripts/lunr/`, 1.9 MB) are left out except those the search
  plugin's languages need (none for English alone).
- With `extra.theme_assets.shared_from: ../` (mkdocs.cy.yml: the Welsh interface is built into
  the English site's `cy/` folder), no `assets/` folder is written: the Welsh pages load the
  English build's files, one folder up, so a reader switching language downloads nothing again.
  Both builds use the same theme, plugin and overrides, so those files are the same; the test
  suite checks that a Welsh page loads every stylesheet and script it names.

Only files that come from the theme, `overrides/` or a plugin are concerned: a file the docs
folder holds is published as always.
"""

from __future__ import annotations

import os
import posixpath
import re
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

_removed: set[str] = set()
_settings: dict = {}
# A theme file named in an attribute or in Material's JSON config: "../../assets/x.css".
_RELATIVE = re.compile(r"""(["'])((?:\.\./)*)(assets/[^"'?#\s]+)""")
_ABSOLUTE = re.compile(r"""(["'])(/[^"'?#\s]*?/|/)(assets/[^"'?#\s]+)""")
_LUNR = "assets/javascripts/lunr/"


def _lunr_needed(languages: list[str]) -> set[str]:
    """The lunr files Material's search worker loads for these languages."""
    others = [lang for lang in languages if lang != "en"]
    if not others:
        return set()
    needed = {"min/lunr.stemmer.support.min.js"}
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    for lang in others:
        needed.add(f"min/lunr.{lang}.min.js")
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang == "th":
            needed.add("wordcut.js")
    return {_LUNR + name for name in needed}


def _search_languages(config) -> list[str]:
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search":
            return list(plugin.config.get("lang") or ["en"])
    return ["en"]


@event_priority(-100)  # after the plugins have added their own assets
def on_files(files, config):
    settings = dict(config.extra.get("theme_assets") or {})
    _settings.clear()
    _settings.update(settings)
    _removed.clear()
    docs_dir = os.path.abspath(config.docs_dir)
    keep_lunr = _lunr_needed(_search_languages(config))
    for file in list(files):
        uri = file.src_uri
        if not uri.startswith("assets/"):
            continue
        if file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(docs_dir + os.sep):
            continue  # the author's own file
        unused = (uri.endswith(".map") and not settings.get("source_maps")) or (
            uri.startswith(_LUNR) and uri not in keep_lunr)
        if unused or settings.get("shared_from"):
            files.remove(file)
            if not unused:
                _removed.add(uri)
    return files


def _shared(html: str, config) -> str:
    shared_from = _settings.get("shared_from")
    if not shared_from or not _removed:
        return html

    def relative(match):
        quote, up, path = match.groups()
        return f"{quote}{up}{shared_from}{path}" if path in _removed else match.group(0)

    base = urlsplit(config.site_url or "").path or "/"
    parent = posixpath.normpath(posixpath.join(base, shared_from)).rstrip("/") + "/"

    def absolute(match):
        quote, prefix, path = match.groups()
        return f"{quote}{parent}{path}" if prefix == base and path in _removed else match.group(0)

    return _ABSOLUTE.sub(absolute, _RELATIVE.sub(relative, html))


def on_post_page(output, page, config):
    return _shared(output, config)


def on_post_template(output_content, template_name, config):  # 404.html
    return _shared(output_content, config)
