#!/usr/bin/env python3
"""Before `zensical build`: write into docs/ the files the evidence plugin adds under MkDocs.

    .venv/bin/python scripts/zensical_prebuild.py && .venv/bin/zensical build --strict

Zensical runs the `evidence_citations` Markdown extension (listed in mkdocs.yml) but no MkDocs
plugin, so it cannot add files of its own. This step runs the extension's site pre-pass and
writes, each only if it changed (all are in .gitignore):

- docs/assets/evidence.css, docs/assets/evidence.js (the plugin's stylesheet and downloads script),
- docs/references.bib, .ris, .json (the library, linked from the References page),
- docs/evidence-map.json,
- bib/.evidence-site-state: changes when a page's citations change another page's output, so
  Zensical, which keeps each unchanged page's last rendering, renders every page again.

It reports the site's problems as scripts/check.py does; exit status 1 if there is any.
`zensical serve` keeps these files up to date by itself once they exist.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs_plugins.evidence.assembly import SiteError  # noqa: E402
from mkdocs_plugins.evidence.sitewide import run_prepass  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the evidence plugin's files into docs/ for a Zensical build.")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    args = parser.parse_args(argv)
    config = Path(args.config_file)
    if not config.is_file():
        print(f"{config}: not found. Run this from the repository root, or pass -f path/to/mkdocs.yml.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        site = run_prepass(config)
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for problem in site.problems:
        print(f"{problem.location()}: error: {problem.message} [{problem.kind}]", file=sys.stderr)
    written = site.write_outputs()
    if site.write_state():
        written.append(site.state_path)
    root = config.resolve().parent
    for path in written:
        print(f"wrote {path.resolve().relative_to(root)}")
    print(f"{len(site.html)} pages read, {len(written)} file(s) written in {time.perf_counter() - start:.2f} s",
          file=sys.stderr)
    return 1 if site.problems else 0


if __name__ == "__main__":
    sys.exit(main())
