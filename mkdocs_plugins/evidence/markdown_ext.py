"""Python-Markdown extension: citations become placeholders, recorded with their line.

Working inside Markdown (not with a regex over the source) means code spans, fenced and
indented code, escaped brackets and link URLs are never touched: Markdown has already
set them aside when the inline processors run.
"""

from __future__ import annotations

import bisect
import re
import secrets
import sys
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .citations import KEY, CitationGroup, CitationSyntaxError, narrative, parse_bracketed

PLACEHOLDER_TAG = "evidence-cite"
# A token no page can know, so a placeholder written by hand in a page (a page documenting the
# plugin, say) stays the text it is instead of being taken for a citation. Placeholders never
# reach the published HTML, so the build stays byte-identical.
PLACEHOLDER_TOKEN = secrets.token_hex(8)
# Markdown writes attributes in lexical order; attr_list (`[@a]{: .important }`) may add some.
PLACEHOLDER_RE = re.compile(r'<evidence-cite((?: [\w:-]+="[^"]*")*?) data-n="(\d+)" data-t="'
                            + PLACEHOLDER_TOKEN + r'"((?: [\w:-]+="[^"]*")*)></evidence-cite>')

# `[ ... @ ... ]` not followed by `(` or `[` (those are links, handled by Markdown).
BRACKETED_RE = r"\[(?P<inside>[^\[\]]*@[^\[\]]*)\](?![\(\[])"
# The same, when no link syntax follows: not `(`, `[` or ` [` (a reference link's id).
EARLY_BRACKETED_RE = r"\[(?P<inside>[^\[\]]*@[^\[\]]*)\](?![\(\[])(?! \[)"
# `@key`, optionally `@key [p. 42]`; '@' must start a word (so e-mail addresses never match).
# '@' comes first so the regex engine can jump between '@'s (8x faster than a leading lookbehind);
# the lookbehind then refuses an '@' preceded by anything but the start, a space, ( or a quote.
NARRATIVE_RE = rf"@(?<![^\s(\"'“‘]@)(?P<key>{KEY})(?:\s\[(?P<locator>[^\[\]@]*)\])?"


# Where a citation's text cannot be the citation: fenced code (```/~~~), code spans, and
# the character after a backslash. Only to find lines; what is a citation is Markdown's call.
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


_NARRATIVE_BEFORE = re.compile(r"[\s(\"'“‘]")


def _code_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of fenced blocks and code spans, sorted; linear in the text."""
    regions = []
    opened = None
    for match in _FENCE.finditer(text):
        fence = match.group(1)
        if opened is None:
            opened = (match.start(), fence)
        elif fence[0] == opened[1][0] and len(fence) >= len(opened[1]):
            end = text.find("\n", match.end())
            regions.append((opened[0], len(text) if end == -1 else end))
            opened = None
    if opened is not None:
        regions.append((opened[0], len(text)))
    fenced = regions[:]
    for match in _CODE_SPAN.finditer(text):
        if "\n\n" not in match.group(0) and not _inside(fenced, match.start()):
            regions.append((match.start(), match.end()))
    return sorted(regions)


def _inside(regions: list[tuple[int, int]], position: int) -> bool:
    index = bisect.bisect_right(regions, (position, float("inf"))) - 1
    return index >= 0 and regions[index][0] <= position < regions[index][1]


@dataclass
class PageCollector:
    """Citations found while one page renders, with the line each was written on."""

    display_path: str = ""
    text: str = ""
    line_offset: int = 0  # front matter lines MkDocs removed before rendering
    groups: list[CitationGroup] = field(default_factory=list)
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)  # (kind, line, message)
    _claimed: set[int] = field(default_factory=set)
    _next: dict[str, int] = field(default_factory=dict)  # written text -> where to search from
    _last: int = 0  # the position claimed last
    _line_starts: list[int] | None = None
    _code: list[tuple[int, int]] | None = None

    def start(self, display_path: str, markdown: str, line_offset: int = 0) -> None:
        self.display_path = display_path
        self.text = markdown
        self.line_offset = line_offset
        self.groups = []
        self.errors = []
        self._claimed = set()
        self._next = {}
        self._last = 0
        self._line_starts = self._code = None  # computed on the first citation

    def locate(self, written: str) -> int | None:
        """Line (1-based, as in the file) of the first unclaimed occurrence of `written` that is
        not code or escaped text. Markdown hands citations over block by block, in order: a text
        is searched from its own previous occurrence, a new text from the start of the block (the
        blank line before) of the last one found, and from the top only if that finds nothing.
        So a page costs about one pass, not one scan from the top per citation."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
            self._code = _code_regions(self.text) if "`" in self.text or "~~~" in self.text else []
        probe = written.split("\n")[0]
        if not probe:
            return None
        text = self.text
        start = self._next.get(probe)
        if start is None:
            start = text.rfind("\n\n", 0, self._last) + 1
        narrative_probe = probe[0] == "@"
        fallback = None
        # From the likely place on, then from the top: Markdown may hand a block over out of order.
        for start in (start, 0) if start else (0,):
            position = start
            while (position := text.find(probe, position)) != -1:
                if position in self._claimed:
                    pass
                elif narrative_probe and position and not _NARRATIVE_BEFORE.match(text, position - 1):
                    # The `@a` of `[@a]`, or a link text `[@a](...)`: only if nothing is better.
                    fallback = position if fallback is None else fallback
                else:
                    if (position and text[position - 1] == "\\") or (self._code and _inside(self._code, position)):
                        fallback = position if fallback is None else fallback  # if nothing better: still a line
                    else:
                        break
                position += 1
            if position != -1:
                self._next[probe] = position + 1
                break
        else:
            if fallback is None:
                return None
            position = fallback
        self._claimed.add(position)
        self._last = position
        return bisect.bisect_right(self._line_starts, position) + self.line_offset

    def add(self, group: CitationGroup) -> int:
        group.line = self.locate(group.source)
        self.groups.append(group)
        return len(self.groups) - 1

    def error(self, kind: str, written: str, message: str) -> None:
        self.errors.append((kind, self.locate(written), message))

    def placed_groups(self, html: str) -> dict[str, CitationGroup]:
        """Placeholder number -> group, for the placeholders in the rendered `html`, in text order
        (citations that ended up literal, in link texts, have none)."""
        # Kept to the end of the build: one copy of each number for all pages (50,000 at 1,000 pages).
        return {sys.intern(match.group(2)): self.groups[int(match.group(2))] for match in PLACEHOLDER_RE.finditer(html)}


def _placeholder(index: int) -> etree.Element:
    element = etree.Element(PLACEHOLDER_TAG)
    element.set("data-n", str(index))
    element.set("data-t", PLACEHOLDER_TOKEN)
    return element


def _inside_tag(data: str, start: int) -> bool:
    """Is `start` inside an HTML tag written in the text (`<span title="[@a]">`)? Markdown keeps
    raw HTML as it is, but only after the citation patterns have run: an attribute value holding
    a citation must stay text, never become markup inside the tag."""
    opening = data.rfind("<", 0, start)
    return opening > data.rfind(">", 0, start) and bool(_TAG_START.match(data, opening))


_TAG_START = re.compile(r"</?[A-Za-z]")


class BracketedCitationProcessor(InlineProcessor):
    """`[@a; @b]`. The `early` instance runs before Markdown's link patterns, which otherwise
    scan every citation's brackets for a link first (a quarter of Markdown's time at 20
    citations a page); it leaves anything a link could claim to the late instance, below them."""

    def __init__(self, pattern: str, collector: PageCollector, early: bool = False):
        super().__init__(pattern)
        self.collector = collector
        self.early = early

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        if _inside_tag(data, m.start(0)):
            return None, None, None
        if self.early:
            start = m.start(0)
            if data.rfind("[", 0, start) > data.rfind("]", 0, start):  # inside a link text or image alt: not here
                return None, None, None
            # After `![`: the image's alt text may hold it, and Markdown flattens whatever was
            # claimed there to its text (nothing, for a placeholder). Markdown reads images first.
            if data.rfind("![", 0, start) != -1:
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
        if _inside_tag(data, m.start(0)):
            return None, None, None
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
                # From the last: unwrapping a child moves the ones after it.
                for index, child in reversed(list(enumerate(parent))):
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
