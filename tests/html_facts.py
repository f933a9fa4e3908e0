"""HTML as a browser tokenizes it, for tests: every start tag with its attributes, and the text of
each <script> element (the standard library's HTMLParser, which follows the HTML5 tokenizer)."""

from __future__ import annotations

from html.parser import HTMLParser


class Elements(HTMLParser):
    """`elements`: (tag, attributes) of every start tag, in order; `scripts`: each <script>'s text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse_html(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser
