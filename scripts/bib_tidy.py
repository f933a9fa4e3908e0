#!/usr/bin/env python3
"""Tidy the .bib files so pull-request diffs stay readable; no value is ever changed.

    .venv/bin/python scripts/bib_tidy.py            # rewrite the site's .bib files in place
    .venv/bin/python scripts/bib_tidy.py --check    # only report files that are not tidy (exit 1)
    .venv/bin/python scripts/bib_tidy.py --diff     # show what would change

Entries are sorted by key within each section (comment blocks stay where they are, as
written), fields come in a fixed order, aligned, each value in braces. Before writing, the
result is read back with pybtex and compared field by field, name by name with the
original: if anything differs the file is left alone and the command fails.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs_plugins.evidence.bibtidy import BibTidyError, tidy_text  # noqa: E402
from mkdocs_plugins.evidence.project import load_project  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Normalise .bib files (sorted entries, fixed field order, braces) without changing any value.",
    )
    parser.add_argument("files", nargs="*", type=Path,
                        help="the .bib files (default: the ones mkdocs.yml names for the evidence plugin)")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not tidy")
    parser.add_argument("--diff", action="store_true", help="change nothing; print the changes tidying would make")
    parser.add_argument("--no-sort", action="store_true", help="keep the entries in their order")
    args = parser.parse_args(argv)

    files = args.files or load_project(Path(args.config_file)).bib_paths
    status = 0
    for path in files:
        try:
            before = path.read_text(encoding="utf-8")
            after = tidy_text(before, sort=not args.no_sort)
        except OSError as error:
            print(f"{path}: cannot read: {error}", file=sys.stderr)
            status = 2
            continue
        except BibTidyError as error:
            where = f"{path}:{error.line}" if error.line else str(path)
            print(f"{where}: error: {error}. Nothing was changed; fix the file (scripts/check.py shows the problem).",
                  file=sys.stderr)
            status = 2
            continue
        if after == before:
            continue
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                before.splitlines(keepends=True), after.splitlines(keepends=True), f"{path}", f"{path} (tidy)"))
        if args.check or args.diff:
            print(f"{path}: not tidy (run scripts/bib_tidy.py)", file=sys.stderr)
            status = max(status, 1)
        else:
            path.write_text(after, encoding="utf-8")
            print(f"{path}: tidied", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
