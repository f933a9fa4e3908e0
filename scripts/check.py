#!/usr/bin/env python3
"""Check the site's content without building it: citations, the .bib files, front matter.

    .venv/bin/python scripts/check.py            # file:line: level: message [kind]
    .venv/bin/python scripts/check.py --github   # GitHub annotations on the pull request's lines

Levels: error (the site would not build: fix it), warning (worth fixing), notice (for
information: cited works not yet verified, entries no page cites). Exits 1 if there is
any error (or any warning, with --strict), else 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs_plugins.evidence.checks import ERROR, NOTICE, WARNING, format_github, format_plain, run_checks  # noqa: E402
from mkdocs_plugins.evidence.project import load_project  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run every content check (citations, BibTeX, front matter, related links) without building HTML.",
    )
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    parser.add_argument("--github", action="store_true",
                        help="print GitHub Actions workflow commands (::error file=...,line=...::...) instead of file:line lines")
    parser.add_argument("--no-notices", action="store_true", help="leave out notices (unverified and uncited entries)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--time", action="store_true", help="print how long the checks took")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    config = Path(args.config_file)
    if not config.is_file():
        print(f"{config}: not found. Run this from the repository root, or pass -f path/to/mkdocs.yml.", file=sys.stderr)
        return 2
    result = run_checks(load_project(config))
    shown = [p for p in result.problems if not (args.no_notices and p.level == NOTICE)]
    for problem in shown:
        print(format_github(problem) if args.github else format_plain(problem))
    errors, warnings, notices = result.count(ERROR), result.count(WARNING), result.count(NOTICE)
    summary = f"{errors} error(s), {warnings} warning(s), {notices} notice(s)"
    if args.time:
        summary += f" in {time.perf_counter() - start:.2f} s"
    print(summary, file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
