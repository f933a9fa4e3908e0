"""Front matter as data: what each page is (a kind of the evidence schema, or a section), checked at build start."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

from .problems import ProblemList
from .schema import Schema
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 5x faster
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass
class PageMeta:
    """One page's front matter, validated."""

    src_uri: str
    display_path: str
    kind: str = "section"  # a kind of the schema, or section
    group: str = ""
    summary: str = ""
    related: list[str] = field(default_factory=list)
    title: str = ""

    @functools.cached_property
    def slug(self) -> str:
        """`topics/key-idea.md` -> `key-idea` (what `related:` lists)."""
        return PurePosixPath(self.src_uri).stem

    @property
    def is_evidence_page(self) -> bool:
        """A page of one of the schema's kinds (read_page_meta accepts no other)."""
        return self.kind != "section"


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """(front matter dict, body, number of lines the front matter takes)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    data = yaml.load(match.group(1) or "", Loader=_SafeLoader)
    if data is not None and not isinstance(data, dict):
        raise TypeError(f"it holds {type(data).__name__} data, not name: value lines")
    return data or {}, text[match.end():], match.group(0).count("\n")


def split_body(text: str) -> tuple[str, int]:
    """(body, number of front matter lines), without parsing the YAML (read_page_meta does that)."""
    match = _FRONT_MATTER.match(text)
    return (text[match.end():], match.group(0).count("\n")) if match else (text, 0)


# A tag, comment or declaration start: `<b`, `</b`, `<!--`, `<?`.
_MARKUP = re.compile(r"<[A-Za-z/!?]")


def has_markup(text: str) -> bool:
    return bool(_MARKUP.search(text))


def _line_of(text: str, name: str) -> int | None:
    match = re.search(rf"^{re.escape(name)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _construct_error_line(text: str) -> int | None:
    """Line (in the page) of the first front matter value YAML parses but cannot build, such as
    the date `2021-02-30`: PyYAML raises a plain ValueError without a position."""
    match = _FRONT_MATTER.match(text)
    try:
        root = yaml.compose(match.group(1) or "", Loader=_SafeLoader) if match else None
    except yaml.YAMLError:
        return None
    loader = _SafeLoader("")
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except (ValueError, TypeError, yaml.YAMLError):
                return node.start_mark.line + 2  # +1 for the '---' line, +1 as lines count from 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    return None


def _wrong_type(problems: ProblemList, display_path: str, text: str, name: str, value, wanted: str) -> None:
    problems.add("front_matter", display_path, _line_of(text, name),
                 f"{name}: {value!r} is not {wanted}. Write it as in: {_EXAMPLES[name]}")


_EXAMPLES = {
    "kind": "kind: <one of the site's kinds>", "group": "group: <one group of that kind>",
    "summary": "summary: One sentence.", "related": "related: [a-page-slug, another-slug]", "title": "title: Plain text",
}


def read_page_meta(src_uri: str, display_path: str, text: str, problems: ProblemList,
                   schema: Schema | None = None) -> PageMeta:
    """Parse and check one page's front matter against the schema's kinds and groups (no schema:
    every page is a section); problems name the file and the line. Values of any YAML type are
    checked, never trusted: a list where a word belongs is a problem, not a crash."""
    try:
        data, body, _ = split_front_matter(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add("front_matter", display_path, mark.line + 2 if mark else 1,
                     f"front matter is not valid YAML: {getattr(error, 'problem', error)}. Check the lines between the '---' markers.")
        data, body = {}, text
    except (ValueError, TypeError) as error:  # valid YAML whose value cannot be built: a date like 2021-02-30
        line = _construct_error_line(text)
        problems.add("front_matter", display_path, line or 1,
                     f"front matter holds a value YAML cannot read: {error}. A date is written YYYY-MM-DD "
                     "and must exist; put other text in quotes." if line else
                     f"front matter cannot be read: {error}. Write one name: value per line, e.g. kind: section.")
        data, body = {}, split_body(text)[0]
    wrong = {name for name in ("kind", "group", "summary", "title")
             if data.get(name) is not None and not isinstance(data[name], (str, int, float))}
    for name in sorted(wrong):
        _wrong_type(problems, display_path, text, name, data[name], "a single value")
        data[name] = None
    meta = PageMeta(src_uri, display_path)
    kinds = schema.kinds if schema is not None else {}
    kind = data.get("kind") or "section"
    if kind != "section" and kind not in kinds:
        names = ", ".join([*kinds, "section"])
        fix = f"use one of {names}." if kinds else (
            "this site declares no evidence kinds (the evidence plugin's schema option): remove the line.")
        problems.add("front_matter", display_path, _line_of(text, "kind"), f"unknown kind '{kind}': {fix}")
        kind = "section"
    meta.kind = kind
    group = data.get("group") or ""
    groups = kinds[kind].groups if kind in kinds else {}
    if groups:
        if group not in groups and "group" not in wrong:
            problems.add("front_matter", display_path, _line_of(text, "group") or _line_of(text, "kind"),
                         f"{kind} page needs group: {' or '.join(groups)} (found '{group or 'nothing'}').")
        meta.group = group if group in groups else ""
    elif group:
        grouped = [name for name, spec in kinds.items() if spec.groups]
        problems.add("front_matter", display_path, _line_of(text, "group"),
                     f"group '{group}' is only for {' and '.join(grouped) or 'grouped'} pages "
                     f"(this page is kind: {kind}); remove it.")
    meta.summary = str(data.get("summary") or "").strip()
    if meta.is_evidence_page and not meta.summary:
        problems.add("front_matter", display_path, _line_of(text, "kind"),
                     f"{kind} page has no summary: add summary: <one sentence> (shown on index pages and the evidence map).")
    related = data.get("related") or []
    if isinstance(related, str):
        related = [related]
    if not isinstance(related, list) or not all(isinstance(slug, str) for slug in related):
        _wrong_type(problems, display_path, text, "related", data.get("related"), "a list of page slugs")
        related = [slug for slug in related if isinstance(slug, str)] if isinstance(related, list) else []
    meta.related = related
    title = data.get("title")
    if title is not None and has_markup(str(title)):
        # The theme prints a front-matter title into the page header as it is: markup there
        # would run in readers' browsers.
        problems.add("front_matter", display_path, _line_of(text, "title"),
                     f"title '{title}' contains HTML markup, which the theme would print unescaped: "
                     "write the title as plain text.")
        title = _MARKUP.sub("", str(title))
    h1 = _H1.search(body)
    meta.title = str(title or (h1.group(1).strip() if h1 else meta.slug))
    return meta


def check_related(metas: list[PageMeta], problems: ProblemList, texts: dict[str, str],
                  schema: Schema | None = None) -> None:
    """Every `related:` slug must name an evidence page; slugs must be unique."""
    slugs: dict[str, PageMeta] = {}
    for meta in metas:
        if not meta.is_evidence_page:
            continue
        if meta.slug in slugs:
            problems.add("front_matter", meta.display_path, 1,
                         f"slug '{meta.slug}' is also used by {slugs[meta.slug].display_path}: rename one file.")
        slugs[meta.slug] = meta
    kinds = " or ".join(schema.kinds) if schema is not None and schema.kinds else "evidence"
    for meta in metas:
        for slug in meta.related:
            if slug not in slugs:
                import difflib  # only when something is misspelt
                close = difflib.get_close_matches(slug, list(slugs), n=1, cutoff=0.6)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                problems.add("related_not_found", meta.display_path, _line_of(texts.get(meta.src_uri, ""), "related"),
                             f"related: '{slug}' is not the slug of any {kinds} page.{hint} "
                             "Slugs are file names without .md.")
