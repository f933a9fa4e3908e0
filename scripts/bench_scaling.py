#!/usr/bin/env python3
"""Time what must grow linearly with the input: a large .bib, and many citations on one page.

    .venv/bin/python scripts/bench_scaling.py                 # 5 MB .bib, 10,000 citations
    .venv/bin/python scripts/bench_scaling.py --mb 5 50       # and a 50 MB .bib
    .venv/bin/python scripts/bench_scaling.py --code /path    # the plugin from another checkout

Prints one Markdown table row per measurement (best of --repeat runs, in-process wall time):
line counting of the .bib (`entry_lines`), the tidy/export reader (`read_bib`), `load_library`
(pybtex's parse included) and Markdown with and without the citation extension. Figures go in
scripts/BENCHMARK.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path


def bib_text(megabytes: float, seed: int = 1) -> str:
    """Entries shaped like the review's (authors, title, journal, pages, DOI, a note)."""
    rng = random.Random(seed)
    words = "multi agency working children looked after outcomes services care partnership review".split()
    out, size, number = [], 0, 0
    while size < megabytes * 1_000_000:
        title = " ".join(rng.choice(words) for _ in range(8)).capitalize()
        entry = (f"@article{{key{number},\n  author  = {{Surname{number % 97}, Anna and Other, Ben and Third, Cy}},\n"
                 f"  title   = {{{title}}},\n  journal = {{Journal of {rng.choice(words).capitalize()}}},\n"
                 f"  volume  = {{{number % 40}}}, number = {{{number % 4}}}, pages = {{{number % 300}--{number % 300 + 9}}},\n"
                 f"  year    = {{{1990 + number % 35}}},\n  doi     = {{10.1000/x{number}}},\n  note    = {{Checked 50% of it}}\n}}\n\n")
        out.append(entry)
        size += len(entry)
        number += 1
    return "".join(out)


def page_text(citations: int, one_key: bool) -> str:
    lines = []
    for n in range(citations):
        key = "key1" if one_key else f"key{n}"
        lines.append(f"Sentence {n} with a citation[@{key}] and more words.")
        if n % 10 == 9:
            lines.append("")
    return "---\nkind: section\n---\n# Many\n\n" + "\n".join(lines) + "\n"


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="+", default=[5.0], help=".bib sizes in MB (default 5)")
    parser.add_argument("--citations", type=int, default=10_000, help="citations on one page (default 10,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement, best kept (default 3)")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="checkout whose mkdocs_plugins/ is measured (default: this one)")
    parser.add_argument("--skip-load", action="store_true", help="leave out load_library (pybtex's parse)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code))

    import markdown

    from mkdocs_plugins.evidence.bibliography import entry_lines, load_library
    from mkdocs_plugins.evidence.bibtidy import read_bib
    from mkdocs_plugins.evidence.markdown_ext import CitationExtension
    from mkdocs_plugins.evidence.problems import ProblemList

    print("| measurement | input | seconds |\n| --- | --- | --- |")
    for megabytes in args.mb:
        text = bib_text(megabytes)
        label = f"{megabytes:g} MB .bib ({text.count('@article'):,} entries)"
        print(f"| .bib line counting (`entry_lines`) | {label} | {best(lambda: entry_lines(text), args.repeat):.2f} |", flush=True)
        print(f"| tidy/export reader (`read_bib`) | {label} | {best(lambda: read_bib(text), args.repeat):.2f} |", flush=True)
        if not args.skip_load:
            seconds = best(lambda: load_library([(text, "bib/x.bib")], ProblemList()), 1)
            print(f"| `load_library` (pybtex parse included) | {label} | {seconds:.2f} |", flush=True)
    for one_key in (False, True):
        source = page_text(args.citations, one_key)
        body = source.split("---\n", 2)[2]
        label = f"{args.citations:,} citations on one page, {'one key' if one_key else 'distinct keys'}"
        plain = best(lambda: markdown.Markdown().convert(body), args.repeat)

        def cited():
            extension = CitationExtension()
            extension.collector.start("page.md", body, 3)
            markdown.Markdown(extensions=[extension]).convert(body)

        print(f"| Markdown alone | {label} | {plain:.2f} |", flush=True)
        print(f"| Markdown + citations (lines found) | {label} | {best(cited, args.repeat):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
