"""Python-Markdown extension: citations become placeholders, recorded with their line.

Working inside Markdown (not with a regex over the source) means code spans, fenced and
indented code, escaped brackets and link URLs are never touched: Markdown has already
set them aside when the inline processors run.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .citations import KEY, CitationGroup, CitationSyntaxError, narrative, parse_bracketed

PLACEHOLDER_TAG = "evidence-cite"
PLACEHOLDER_RE = re.compile(r'<evidence-cite data-n="(\d+)"></evidence-cite>')

# `[ ... @ ... ]` not followed by `(` or `[` (those are links, handled by Markdown).
BRACKETED_RE = r"\[(?P<inside>[^\[\]]*@[^\[\]]*)\](?![\(\[])"
# The same, when no link syntax follows: not `(`, `[` or ` [` (a reference link's id).
EARLY_BRACKETED_RE = r"\[(?P<inside>[^\[\]]*@[^\[\]]*)\](?![\(\[])(?! \[)"
# `@key`, optionally `@key [p. 42]`; '@' must start a word (so e-mail addresses never match).
# '@' comes first so the regex engine can jump between '@'s (8x faster than a leading lookbehind);
# the lookbehind then refuses an '@' preceded by anything but the start, a space, ( or a quote.
NARRATIVE_RE = rf"@(?<![^\s(\"'“‘]@)(?P<key>{KEY})(?:\s\[(?P<locator>[^\[\]@]*)\])?"


@dataclass
class PageCollector:
    """Citations found while one page renders, with the line each was written on."""

    display_path: str = ""
    lines: list[str] = field(default_factory=list)
    line_offset: int = 0  # front matter lines MkDocs removed before rendering
    groups: list[CitationGroup] = field(default_factory=list)
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)  # (kind, line, message)
    _claimed: set[tuple[int, int]] = field(default_factory=set)

    def start(self, display_path: str, markdown: str, line_offset: int = 0) -> None:
        self.display_path = display_path
        self.lines = markdown.split("\n")
        self.line_offset = line_offset
        self.groups = []
        self.errors = []
        self._claimed = set()

    def locate(self, written: str) -> int | None:
        """Line (1-based, as in the file) of the first unclaimed occurrence of `written`."""
        probe = written.split("\n")[0]
        for number, text in enumerate(self.lines):
            start = 0
            while (column := text.find(probe, start)) != -1:
                if (number, column) not in self._claimed:
                    self._claimed.add((number, column))
                    return number + 1 + self.line_offset
                start = column + 1
        return None

    def add(self, group: CitationGroup) -> int:
        group.line = self.locate(group.source)
        self.groups.append(group)
        return len(self.groups) - 1

    def error(self, kind: str, written: str, message: str) -> None:
        self.errors.append((kind, self.locate(written), message))

    def placed_groups(self, html: str) -> dict[str, CitationGroup]:
        """Placeholder number -> group, for the placeholders in the rendered `html`, in text order
        (citations that ended up literal, in link texts, have none)."""
        return {match.group(1): self.groups[int(match.group(1))] for match in PLACEHOLDER_RE.finditer(html)}


def _placeholder(index: int) -> etree.Element:
    element = etree.Element(PLACEHOLDER_TAG)
    element.set("data-n", str(index))
    return element


class BracketedCitationProcessor(InlineProcessor):
    """`[@a; @b]`. The `early` instance runs before Markdown's link patterns, which otherwise
    scan every citation's brackets for a link first (a quarter of Markdown's time at 20
    citations a page); it leaves anything a link could claim to the late instance, below them."""

    def __init__(self, pattern: str, collector: PageCollector, early: bool = False):
        super().__init__(pattern)
        self.collector = collector
        self.early = early

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        if self.early:
            start = m.start(0)
            if data.rfind("[", 0, start) > data.rfind("]", 0, start):  # inside a link text or image alt: not here
                return None, None, None
        try:
            group = parse_bracketed(m.group("inside"))
        except CitationSyntaxError as error:
            if not self.early:  # the late instance sees it too: report it once
                self.collector.error(error.kind, m.group(0), str(error))
            return None, None, None
        if group is None:
            return None, None, None
        return _placeholder(self.collector.add(group)), m.start(0), m.end(0)


class NarrativeCitationProcessor(InlineProcessor):
    def __init__(self, pattern: str, collector: PageCollector):
        super().__init__(pattern)
        self.collector = collector

    def handleMatch(self, m, data):  # noqa: N802
        group = narrative(m.group("key"), m.group("locator") or "")
        group.source = m.group(0)
        return _placeholder(self.collector.add(group)), m.start(0), m.end(0)


class LinkTextRestorer(Treeprocessor):
    """Citations inside link texts stay literal: put their source text back."""

    def __init__(self, md: Markdown, collector: PageCollector):
        super().__init__(md)
        self.collector = collector

    def run(self, root):
        for link in root.iter("a"):
            for parent in list(link.iter()):
                for index, child in enumerate(list(parent)):
                    if child.tag == PLACEHOLDER_TAG:
                        self._unwrap(parent, index, child)
        return None

    def _unwrap(self, parent, index, child):
        number = int(child.get("data-n"))
        group = self.collector.groups[number]
        group.mode = "literal"
        text = group.source + (child.tail or "")
        if index == 0:
            parent.text = (parent.text or "") + text
        else:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + text
        parent.remove(child)


class CitationExtension(Extension):
    """Register with `markdown.Markdown(extensions=[CitationExtension()])`.

    Inside MkDocs the plugin owns the collector. Used alone (docstrings, other
    generators), use `standalone.EvidenceExtension`, which also resolves the placeholders.
    `narrative=False` leaves `@key` in running text alone (only `[...]` cites).
    """

    def __init__(self, collector: PageCollector | None = None, narrative: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.collector = collector or PageCollector()
        self.narrative = narrative

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # `\@name` is a literal '@', as in pandoc
        # Below links (160), autolinks (120) and e-mail autolinks (110), so those claim
        # their text first; above emphasis, so `*see [@a]*` still works.
        md.inlinePatterns.register(BracketedCitationProcessor(BRACKETED_RE, self.collector), "evidence_bracketed", 106)
        # Above links (170/160) and below code spans (190) and escapes (180); not before ` [ref]`.
        md.inlinePatterns.register(BracketedCitationProcessor(EARLY_BRACKETED_RE, self.collector, early=True),
                                   "evidence_bracketed_early", 175)
        if self.narrative:
            md.inlinePatterns.register(NarrativeCitationProcessor(NARRATIVE_RE, self.collector), "evidence_narrative", 105)
        md.treeprocessors.register(LinkTextRestorer(md, self.collector), "evidence_link_text", 1)


def makeExtension(**kwargs) -> CitationExtension:  # noqa: N802
    return CitationExtension(**kwargs)
