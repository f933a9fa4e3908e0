"""The evidence schema: what kinds of evidence page a site has, and what is generated from them.

Read from the plugin's `schema` option: a mapping written in mkdocs.yml, or the path (relative
to mkdocs.yml) of a YAML file holding it. Without one, a site has no evidence pages: citations,
endnotes and a References page only.

    kinds:                       # each page says `kind: <name>` in its front matter
      <name>:
        label: {en: ..., cy: ...}        # one page of the kind (a string: every language)
        plural: {en: ..., cy: ...}       # the kind's pages together (default: label)
        groups:                          # optional; then every page of the kind needs `group:`
          <slug>: {en: ..., cy: ...}
    evidence_map:                # optional: a table, pages of one kind x pages of another
      rows: <kind>
      columns: <kind>
      page: evidence-map.md
      title / caption / intro / description / as_list / no_pair: labels (defaults are generic)
    figure:                      # optional: a flow of boxes joined by arrows, every box a link
      id: model                  # HTML id; `<!-- evidence:model -->` places it in a page
      page: model.md
      title / caption / description: labels
      arrow: "→"
      boxes:
        - {name: ..., kind: <kind>, title: label}          # lists the kind's pages (by group)
        - {name: ..., text: label, link: page.md#anchor}   # a box that links to a page

Every error names the file, the setting, what is wrong and how to fix it (`SchemaError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
RESERVED_KINDS = ("section",)  # every page without an evidence kind


class SchemaError(Exception):
    """The schema is wrong; the message names the file and the setting."""


@dataclass(frozen=True)
class Label:
    """A text in each interface language: `text(lang)` falls back to English, then to any."""

    values: tuple[tuple[str, str], ...]

    def text(self, language: str) -> str:
        table = dict(self.values)
        return table.get(language) or table.get("en") or next(iter(table.values()))

    def formatted(self, language: str, **values) -> str:
        return self.text(language).format(**values)


def plain_label(text: str) -> Label:
    return Label((("en", text),))


@dataclass
class Kind:
    name: str
    label: Label
    plural: Label
    groups: dict[str, Label] = field(default_factory=dict)

    @property
    def index_marker(self) -> str:
        """Where an index of the kind's pages goes: `<!-- evidence:<kind>-index -->`."""
        return f"<!-- evidence:{self.name}-index -->"


@dataclass
class EvidenceMap:
    rows: str
    columns: str
    page: str
    title: Label
    caption: Label
    intro: Label
    description: Label
    as_list: Label
    no_pair: Label


@dataclass
class FigureBox:
    name: str
    kind: str | None = None  # a box listing the kind's pages
    title: Label | None = None
    text: Label | None = None  # a box linking to `link`
    link: str | None = None


@dataclass
class Figure:
    id: str
    page: str
    title: Label
    caption: Label
    description: Label
    arrow: str
    boxes: list[FigureBox]

    @property
    def marker(self) -> str:
        return f"<!-- evidence:{self.id} -->"


@dataclass
class Schema:
    source: str  # the file the schema was read from, for messages
    kinds: dict[str, Kind] = field(default_factory=dict)
    evidence_map: EvidenceMap | None = None
    figure: Figure | None = None

    def kind_names(self) -> list[str]:
        return [*self.kinds, *RESERVED_KINDS]


# Generic defaults; a review names its own (see the review's evidence.yml).
DEFAULT_MAP = {
    "title": {"en": "Evidence map", "cy": "Map tystiolaeth"},
    "caption": {"en": "Works cited both on a page of the rows and on a page of the columns",
                "cy": "Gweithiau a ddyfynnir ar dudalen o'r rhesi ac ar dudalen o'r colofnau"},
    "intro": {"en": "Each cell counts the works cited both on the page of its row and on the page of its "
                    "column; open a cell to see them. It shows where the sources overlap, not a measure of "
                    "effect or of the strength of evidence. The same data is available as "
                    "[evidence-map.json](evidence-map.json)."},
    "description": {"en": "Works cited on both a row page and a column page (co-citation: where the sources "
                          "overlap, not measured effects). Pairs that share no work are not listed."},
    "as_list": {"en": "{rows} rows by {columns} columns is too large for a table, so the map is a list: under "
                      "each row, the columns whose pages cite works that its page cites too (pairs that share "
                      "none are left out)."},
    "no_pair": {"en": "no page of the columns cites the same works"},
}
DEFAULT_FIGURE = {"description": {"en": ""}, "caption": {"en": ""}}


class _Reader:
    """Checks one schema mapping; `where` is the dotted setting a message names."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, what: str, fix: str):
        raise SchemaError(f"{self.source}: schema setting '{where or 'schema'}': {what}. {fix}")

    def mapping(self, value, where: str, allowed: tuple[str, ...] | None = None) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping (name: value lines), found {type(value).__name__}",
                      "Indent the settings under it.")
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    import difflib

                    close = difflib.get_close_matches(str(key), allowed, n=1)
                    hint = f"Did you mean '{close[0]}'?" if close else f"Use one of: {', '.join(allowed)}."
                    self.fail(f"{where}.{key}" if where else str(key), "unknown setting", hint)
        return value

    def name(self, value, where: str) -> str:
        if not isinstance(value, str) or not NAME.match(value):
            self.fail(where, f"'{value}' is not a usable name",
                      "Use lower-case letters, digits, '-' and '_', starting with a letter.")
        return value

    def label(self, value, where: str, default=None) -> Label:
        if value is None:
            if default is None:
                self.fail(where, "missing", "Add it: a text, or one text per language ({en: ..., cy: ...}).")
            value = default
        if isinstance(value, str):  # the same text in every language
            return Label((("en", value),))
        if isinstance(value, dict) and value and all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return Label(tuple(value.items()))
        self.fail(where, "expected a text or a mapping of language codes to texts",
                  "Write e.g. label: Intervention, or label: {en: Intervention, cy: Ymyriad}.")

    def page(self, value, where: str, default: str) -> str:
        value = default if value is None else value
        if not isinstance(value, str) or not value.endswith(".md") or value.startswith("/"):
            self.fail(where, f"'{value}' is not a page path", "Give a path inside docs/ ending in .md.")
        return value


def read_schema(data, source: str) -> Schema:
    """Validate a schema mapping (`source`: the file it came from, for messages)."""
    reader = _Reader(source)
    if data is None:
        return Schema(source)
    data = reader.mapping(data, "", ("kinds", "evidence_map", "figure"))
    schema = Schema(source)
    for name, spec in reader.mapping(data.get("kinds") or {}, "kinds").items():
        where = f"kinds.{name}"
        reader.name(name, where)
        if name in RESERVED_KINDS:
            reader.fail(where, f"'{name}' is the kind of every other page", "Choose another name.")
        spec = reader.mapping(spec or {}, where, ("label", "plural", "groups"))
        label = reader.label(spec.get("label"), f"{where}.label")
        groups = {}
        for group, text in reader.mapping(spec.get("groups") or {}, f"{where}.groups").items():
            groups[reader.name(group, f"{where}.groups.{group}")] = reader.label(text, f"{where}.groups.{group}")
        plural = reader.label(spec["plural"], f"{where}.plural") if "plural" in spec else label
        schema.kinds[name] = Kind(name, label, plural, groups)

    def kind_of(value, where):
        if value not in schema.kinds:
            reader.fail(where, f"'{value}' is not a kind declared under kinds",
                        f"Use one of: {', '.join(schema.kinds) or '(none declared)'}.")
        return value

    if data.get("evidence_map") is not None:
        spec = reader.mapping(data["evidence_map"], "evidence_map",
                              ("rows", "columns", "page", *DEFAULT_MAP))
        schema.evidence_map = EvidenceMap(
            rows=kind_of(spec.get("rows"), "evidence_map.rows"),
            columns=kind_of(spec.get("columns"), "evidence_map.columns"),
            page=reader.page(spec.get("page"), "evidence_map.page", "evidence-map.md"),
            **{key: reader.label(spec.get(key), f"evidence_map.{key}", default) for key, default in DEFAULT_MAP.items()},
        )
    if data.get("figure") is not None:
        spec = reader.mapping(data["figure"], "figure",
                              ("id", "page", "title", "caption", "description", "arrow", "boxes"))
        figure_id = reader.name(spec.get("id", "figure"), "figure.id")
        boxes = []
        for index, box in enumerate(spec.get("boxes") or []):
            where = f"figure.boxes[{index}]"
            box = reader.mapping(box, where, ("name", "kind", "title", "text", "link"))
            name = reader.name(box.get("name", f"box-{index + 1}"), f"{where}.name")
            if ("kind" in box) == ("text" in box):
                reader.fail(where, "a box has either kind (it lists those pages) or text and link (it links to a page)",
                            "Give one of the two.")
            if "kind" in box:
                kind = kind_of(box["kind"], f"{where}.kind")
                title = reader.label(box.get("title"), f"{where}.title") if "title" in box else schema.kinds[kind].plural
                boxes.append(FigureBox(name, kind=kind, title=title))
            else:
                link = box.get("link")
                if not isinstance(link, str) or not link.partition("#")[0].endswith(".md"):
                    reader.fail(f"{where}.link", f"'{link}' is not a page",
                                "Give the path of a page in docs/ (optionally with #anchor).")
                boxes.append(FigureBox(name, text=reader.label(box["text"], f"{where}.text"), link=link))
        if not boxes:
            reader.fail("figure.boxes", "the figure has no boxes", "List its boxes, in reading order.")
        arrow = spec.get("arrow", "→")
        if not isinstance(arrow, str):
            reader.fail("figure.arrow", "expected a text", 'Write e.g. arrow: "→".')
        schema.figure = Figure(
            id=figure_id, page=reader.page(spec.get("page"), "figure.page", f"{figure_id}.md"),
            title=reader.label(spec.get("title"), "figure.title"),
            caption=reader.label(spec.get("caption"), "figure.caption", DEFAULT_FIGURE["caption"]),
            description=reader.label(spec.get("description"), "figure.description", DEFAULT_FIGURE["description"]),
            arrow=arrow, boxes=boxes,
        )
    return schema


def load_schema(value, root: Path, config_name: str = "mkdocs.yml") -> Schema:
    """The plugin's `schema` option: None, a mapping (from mkdocs.yml) or a YAML file's path."""
    if value is None or isinstance(value, dict):
        return read_schema(value, config_name)
    if not isinstance(value, str):
        raise SchemaError(f"{config_name}: the evidence plugin's 'schema' option must be a mapping or the path "
                          "of a YAML file (relative to mkdocs.yml).")
    path = root / value
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SchemaError(f"{config_name}: schema file '{value}' cannot be read ({error.strerror}). "
                          "Check the path: it is relative to mkdocs.yml.") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise SchemaError(f"{value}{line}: not valid YAML ({getattr(error, 'problem', error)}). "
                          "Check the indentation and quotes around this line.") from error
    return read_schema(data, value)
