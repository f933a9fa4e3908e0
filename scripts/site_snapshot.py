#!/usr/bin/env python3
"""Build one tree of the site and record what readers see, as JSON (for scripts/site_diff.py).

    python scripts/site_snapshot.py TREE OUT.json [--site-dir DIR]

Runs a real `mkdocs build` of TREE/mkdocs.yml (strict mode off, so that every problem is
counted instead of stopping the build) with TREE's own plugin code first on sys.path, so an
older commit is built by the code it had. While MkDocs writes each page, a recording plugin
reads the page's final HTML with BeautifulSoup (a real HTML parser) and keeps: title, address,
place in the navigation, endnotes (numeral, works, text), works cited, the Related block, the
References entries; after the build, the evidence map (its JSON), the warnings MkDocs and the
plugins logged, and the links in the pages that lead nowhere.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import posixpath
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# The tree's own code (mkdocs_plugins/, hooks) wins over the installed package.
TREE = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else None
if TREE is not None:
    sys.path[:] = [str(TREE)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from bs4 import BeautifulSoup  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.plugins import BasePlugin, event_priority  # noqa: E402

# What the recorder reads: the evidence plugin's class names (render.py, render_graph.py).
NOTES, REFERENCES, RELATED, ALSO_CITED = "evidence-notes", "evidence-references", "evidence-related", "evidence-also-cited"
CITES = ("evidence-cite", "evidence-work", "evidence-missing")  # elements naming a work by data-key
CORRECTION = "evidence-correction"  # "Suggest a correction" links: not part of a note's text
NOTE_PREVIEW = "evidence-note-preview"  # the full references a marker's preview shows: not the note's text
MAP_JSON = "evidence-map.json"


def text_of(element) -> str:
    """The text as a reader sees it, whitespace folded."""
    return re.sub(r"\s+", " ", element.get_text()).strip()


def _items(soup, tag: str, list_class: str, item: str = "li") -> list:
    return [li for block in soup.find_all(tag, class_=list_class) for li in block.find_all(item, recursive=False)]


def read_page(html: str) -> dict:
    """Everything the report compares, from one page's content HTML.

    find_all with class filters rather than CSS selectors: a third of the time on the review.
    """
    soup = BeautifulSoup(html, "html.parser")
    ids, links, cited, labels = set(), set(), [], {}
    for element in soup.find_all(True):
        attrs = element.attrs
        if "id" in attrs:
            ids.add(attrs["id"])
        href = attrs.get("href") if element.name == "a" else None
        if href:
            links.add(href)
            if "#ref-" in href:  # the label where a page shows it whole: "Abbott et al., 2005b"
                label = text_of(element)
                if ", " in label and "(" not in label:
                    labels.setdefault(href.rsplit("#ref-", 1)[1], label)
        if "data-key" in attrs and set(attrs.get("class", ())) & set(CITES):
            cited.append(attrs["data-key"])
    notes = []
    for item in _items(soup, "ol", NOTES):
        keys = [el["data-key"] for el in item.find_all(attrs={"data-key": True})]
        for hidden in item.find_all(class_=("evidence-note-numeral", "footnote-backref", CORRECTION, NOTE_PREVIEW)):
            hidden.decompose()
        notes.append({"numeral": item.get("id", "").removeprefix("endnote-"), "number": int(item.get("value") or 0),
                      "keys": keys, "text": text_of(item)})
    references = {}
    for item in _items(soup, "ul", REFERENCES):
        first = item.find("p")
        if first is not None:
            for hidden in first.find_all(class_=CORRECTION):
                hidden.decompose()
            references[item.get("id", "").removeprefix("ref-")] = text_of(first)
    related = None
    blocks = soup.find_all("section", class_=RELATED)
    if len(blocks) == 1:  # several: a view gathering other pages (the print view), not compared
        also = {}
        for item in _items(blocks[0], "ul", ALSO_CITED):
            link, summary = item.find("a"), item.find("summary")
            if link is not None:
                also[text_of(link)] = text_of(summary) if summary is not None else ""
        see_also = [text_of(a) for p in blocks[0].find_all("p", recursive=False) for a in p.find_all("a")]
        related = {"see_also": see_also, "also_cited": also}
    heading = soup.find("h1")
    if heading is not None:
        for link in heading.find_all("a", class_="headerlink"):
            link.decompose()
    return {
        "heading": text_of(heading) if heading is not None else "",
        "notes": notes,
        "cited": sorted(set(cited)),
        "references": references,
        "related": related,
        "labels": labels,
        "ids": sorted(ids),
        "links": sorted(links),
    }


class Recorder(BasePlugin):
    """Reads every page as MkDocs writes it (after every other plugin and hook)."""

    def __init__(self) -> None:
        self.pages: dict[str, dict] = {}
        self.nav_order: list[str] = []

    @event_priority(-1000)
    def on_nav(self, nav, config, files):
        self.nav_order = [page.file.src_uri for page in nav.pages]
        return nav

    @event_priority(-1000)
    def on_post_page(self, output, page, config):
        record = read_page(page.content or "")
        record.update(src=page.file.src_uri, url=page.url, title=page.title or "",
                      nav=[section.title for section in reversed(page.ancestors) if section.title])
        self.pages[page.file.src_uri] = record
        return output


class WarningLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def broken_links(pages: list[dict], site_dir: Path) -> list[dict]:
    """Links in page content whose page, file or anchor does not exist in the built site."""
    by_url = {page["url"]: page for page in pages}
    ids = {page["url"]: set(page["ids"]) for page in pages}
    broken = []
    for page in pages:
        for href in page["links"]:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("//"):
                continue
            target = urlsplit(urljoin("http://site/" + page["url"], href))
            path = unquote(target.path).lstrip("/")
            url = path[: -len("index.html")] if path.endswith("index.html") else path
            if url in by_url or (url == "" and "" in by_url):
                if target.fragment and unquote(target.fragment) not in ids[url]:
                    broken.append({"page": page["url"], "title": page["title"], "href": href})
            elif not (site_dir / posixpath.normpath(path or ".")).exists():
                broken.append({"page": page["url"], "title": page["title"], "href": href})
    return broken


def snapshot(tree: Path, site_dir: Path) -> dict:
    """Build the tree into site_dir; what readers would see, or the reason it did not build."""
    log = WarningLog()
    logging.getLogger("mkdocs").addHandler(log)
    recorder = Recorder()
    failure = None
    try:
        config = load_config(str(tree / "mkdocs.yml"), strict=False, site_dir=str(site_dir))
        config.plugins["site-diff-recorder"] = recorder
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Exception, SystemExit) as error:  # noqa: BLE001 (MkDocs' Abort is a SystemExit; the report says which)
        failure = f"{type(error).__name__}: {error}".strip()
    order = {src: i for i, src in enumerate(recorder.nav_order)}
    pages = sorted(recorder.pages.values(), key=lambda p: (order.get(p["src"], len(order)), p["src"]))
    for page in pages:
        page["in_nav"] = page["src"] in order
    evidence_map = None
    map_file = site_dir / MAP_JSON
    if failure is None and map_file.is_file():
        evidence_map = json.loads(map_file.read_text(encoding="utf-8"))
    links = broken_links(pages, site_dir) if failure is None else []
    for page in pages:
        del page["ids"], page["links"]
    return {"failure": failure, "pages": pages, "evidence_map": evidence_map,
            "warnings": log.messages, "broken_links": links}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path, help="folder holding mkdocs.yml")
    parser.add_argument("out", type=Path, help="where to write the JSON")
    parser.add_argument("--site-dir", type=Path, help="keep the built site here (default: a temporary folder)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if args.site_dir:
        data = snapshot(args.tree.resolve(), args.site_dir.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="site-diff-") as folder:
            data = snapshot(args.tree.resolve(), Path(folder) / "site")
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
