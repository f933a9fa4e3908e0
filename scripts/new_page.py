#!/usr/bin/env python3
"""Create an evidence page (a kind of the site's evidence schema) with valid front matter, and list it in the navigation.

    .venv/bin/python scripts/new_page.py factor "Joint supervision" --group team-working \
        --summary "Managers from different agencies supervise staff together."
    .venv/bin/python scripts/new_page.py outcome "Fewer placement moves" --summary "..." --related key-worker

The kinds and groups are the schema's (here factor, with groups, and outcome). The page goes
to docs/<kind>s/<slug>.md (docs/factors/<slug>.md). In mkdocs.yml's nav it is added after the
last page of the same kind (and, for a kind with groups, the same group), or after the page you
name with --after. Nothing is overwritten; mkdocs.yml keeps its comments.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs_plugins.evidence.pages import read_page_meta  # noqa: E402
from mkdocs_plugins.evidence.schema import SchemaError  # noqa: E402
from mkdocs_plugins.evidence.problems import ProblemList  # noqa: E402
from mkdocs_plugins.evidence.project import load_project, load_yaml  # noqa: E402


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def yaml_scalar(value: str) -> str:
    """One YAML scalar on one line, quoted only if it must be."""
    text = yaml.safe_dump(value, width=10_000, allow_unicode=True).strip()
    return text[:-3].strip() if text.endswith("\n...") or text.endswith("...") else text


def nav_paths(items) -> list[str]:
    paths = []
    for item in items or []:
        if isinstance(item, str):
            paths.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                paths.extend(nav_paths(value) if isinstance(value, list) else [value] if isinstance(value, str) else [])
    return paths


def page_text(kind: str, title: str, group: str | None, summary: str, related: list[str]) -> str:
    lines = ["---", f"kind: {kind}"]
    if group:
        lines.append(f"group: {group}")
    lines.append(f"summary: {yaml_scalar(summary)}")
    lines.append(f"related: [{', '.join(related)}]")
    lines += ["---", "", f"# {title}", "",
              "<!-- Write the page here. How to cite a work: CONTRIBUTING.md, \"Citing a work\". -->", ""]
    return "\n".join(lines)


def insert_in_nav(config_text: str, anchor_path: str, entry: str) -> str:
    """A nav line `- Title: path` after the line that lists `anchor_path`, same indentation."""
    pattern = re.compile(rf"^(?P<indent>[ \t]*)-[ \t]+(?:.*:[ \t]+)?['\"]?{re.escape(anchor_path)}['\"]?[ \t]*(?:#.*)?$",
                         re.MULTILINE)
    match = pattern.search(config_text)
    if match is None:
        raise SystemExit(f"mkdocs.yml: no nav line for {anchor_path}; add the page to nav by hand.")
    line = f"\n{match.group('indent')}- {entry}"
    return config_text[:match.end()] + line + config_text[match.end():]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Create an evidence page with valid front matter and add it to the navigation.")
    parser.add_argument("kind", help="what the page is about: a kind of the site's evidence schema")
    parser.add_argument("title", help="the page title (its H1 and its name in the navigation)")
    parser.add_argument("--summary", required=True, help="one sentence, shown on index pages and the evidence map")
    parser.add_argument("--group", help="for a kind with groups: one of its groups")
    parser.add_argument("--related", default="", help="comma-separated slugs of related evidence pages")
    parser.add_argument("--slug", help="file name without .md (default: from the title)")
    parser.add_argument("--after", help="slug of the page the new one follows in the navigation")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    parser.add_argument("--dry-run", action="store_true", help="show what would be written; change nothing")
    args = parser.parse_args(argv)

    project = load_project(Path(args.config_file))
    try:
        schema = project.schema
    except SchemaError as error:
        parser.error(str(error))
    if args.kind not in schema.kinds:
        parser.error(f"kind '{args.kind}': use one of {', '.join(schema.kinds) or '(the schema declares none)'}")
    groups = schema.kinds[args.kind].groups
    if groups and args.group not in groups:
        parser.error(f"a {args.kind} page needs --group {' or --group '.join(groups)}")
    if not groups and args.group:
        parser.error(f"--group is only for kinds with groups ({args.kind} has none)")
    slug = args.slug or slugify(args.title)
    if not slug:
        parser.error("cannot make a file name from the title: give --slug")
    folder = f"{args.kind}s"
    uri = f"{folder}/{slug}.md"
    target = project.docs_dir / uri

    metas = {}
    for path in project.pages():
        meta = read_page_meta(project.src_uri(path), project.display(path), path.read_text(encoding="utf-8"),
                              ProblemList(), schema)
        metas[meta.src_uri] = meta
    evidence_slugs = {m.slug: m for m in metas.values() if m.is_evidence_page}
    if target.exists() or slug in evidence_slugs:
        where = project.display(target) if target.exists() else evidence_slugs[slug].display_path
        print(f"error: {where} already uses the slug '{slug}'. Choose another title or --slug.", file=sys.stderr)
        return 1
    related = [s.strip() for s in args.related.split(",") if s.strip()]
    unknown = [s for s in related if s not in evidence_slugs]
    if unknown:
        print(f"error: --related {', '.join(unknown)}: not the slug of any {' or '.join(schema.kinds)} page "
              f"(slugs: {', '.join(sorted(evidence_slugs))}).", file=sys.stderr)
        return 1

    nav = nav_paths(project.nav)
    if args.after:
        anchors = [p for p in nav if Path(p).stem == args.after]
        if not anchors:
            print(f"error: --after {args.after}: no page with that slug in the nav.", file=sys.stderr)
            return 1
        anchor = anchors[0]
    else:
        same = [p for p in nav if p in metas and metas[p].kind == args.kind
                and (not groups or metas[p].group == args.group)]
        if not same:
            index = f"{folder}/index.md"
            if groups or index not in nav:
                print(f"error: no {args.kind} page{' of group ' + args.group if args.group else ''} in the nav to "
                      "put the new page after: use --after <slug>.", file=sys.stderr)
                return 1
            same = [index]
        anchor = same[-1]

    text = page_text(args.kind, args.title, args.group, args.summary, related)
    config_text = project.config_file.read_text(encoding="utf-8")
    new_config = insert_in_nav(config_text, anchor, f"{yaml_scalar(args.title)}: {uri}")
    if uri not in nav_paths((load_yaml(new_config) or {}).get("nav")):
        print("error: could not add the page to the nav of mkdocs.yml; nothing was changed.", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"would write {project.display(target)}:\n{text}\nwould add to the nav of mkdocs.yml after {anchor}:\n"
              f"  - {yaml_scalar(args.title)}: {uri}")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    project.config_file.write_text(new_config, encoding="utf-8")
    print(f"created {project.display(target)} and added it to the nav after {anchor}.\n"
          f"Next: write the page, then run scripts/check.py.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
