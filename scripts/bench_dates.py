#!/usr/bin/env python3
"""What "Last updated" and What's new cost: `mkdocs build` with and without them, in a real git
repository. See scripts/BENCHMARK.md, "Dates and What's new".

Variants (each build its own process, interleaved, the evidence cache warm):

  no-dates     the evidence plugin alone
  dates        + mkdocs-git-revision-date-localized-plugin (one `git log` per page)
  dates+news   + the plugin's What's new page and Atom feed (GitPython reads the history)

Sites:
  review       a clone of this repository (its real history), built from its mkdocs.yml
  pages=N      a synthetic site (scripts/bench_sites.py) of N pages, committed on 30 days
               (the first commit adds everything, then a few pages and entries change each day)

    .venv/bin/python scripts/bench_dates.py --site review --repeat 5
    .venv/bin/python scripts/bench_dates.py --site 1000 --entries 1000 --repeat 3
    .venv/bin/python scripts/bench_dates.py --site 1000 --parts --repeat 5   # the git readings alone
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_sites  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ["no-dates", "dates", "dates+news"]
DATE_PLUGIN = {"git-revision-date-localized": {"fallback_to_build_date": True, "strict": False}}


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def synthetic_repo(work: Path, pages: int, entries: int, cites: int, days: int = 30) -> tuple[Path, dict]:
    site = bench_sites.write_site(work / "site", pages, entries, cites)
    rng = random.Random(1)
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", "first", date="2026-01-01T09:00:00Z")
    docs = sorted((site.root / "docs").rglob("*.md"))
    for day in range(2, days + 1):
        for path in rng.sample(docs, min(5, len(docs))):
            path.write_text(path.read_text(encoding="utf-8") + f"\nEdited on day {day}.\n", encoding="utf-8")
        bib = site.root / "refs.bib"
        bib.write_text(bib.read_text(encoding="utf-8") + f"\n@misc{{added{day},\n  author = {{Added, A.}},\n  year = {{2026}}\n}}\n", encoding="utf-8")
        git(site.root, "add", "-A")
        git(site.root, "commit", "-q", "-m", f"day {day}", date=f"2026-01-{day:02d}T09:00:00Z")
    config = {"site_name": "Dates benchmark", "site_url": "https://example.org/", "docs_dir": "docs",
              "theme": {"name": "material", "font": False}, "nav": site.nav,
              "plugins": ["search", {"evidence": {"bib_files": ["refs.bib"]}}]}
    return site.root, config


def review_repo(work: Path) -> tuple[Path, dict]:
    clone = work / "review"
    subprocess.run(["git", "clone", "-q", f"file://{ROOT}", str(clone)], check=True)
    from mkdocs_plugins.evidence.project import load_yaml
    config = load_yaml((clone / "mkdocs.yml").read_text(encoding="utf-8"))
    config["strict"] = False
    config["site_url"] = "https://example.org/"
    return clone, config


def variant_config(config: dict, variant: str) -> dict:
    config = yaml.safe_load(yaml.safe_dump(config))
    plugins = [p for p in config["plugins"] if not (isinstance(p, dict) and "git-revision-date-localized" in p)]
    for plugin in plugins:
        if isinstance(plugin, dict) and "evidence" in plugin:
            plugin["evidence"].pop("whats_new_page", None)
            if variant == "dates+news":
                plugin["evidence"]["whats_new_page"] = "whats-new.md"
    if variant != "no-dates":
        plugins.insert(1, DATE_PLUGIN)
    config["plugins"] = plugins
    config["nav"] = [item for item in config.get("nav", []) if item != {"What's new": "whats-new.md"}]
    if variant == "dates+news":
        config["nav"].append({"What's new": "whats-new.md"})
    return config


def build(python: Path, project: Path, config: Path, out: Path) -> tuple[float, float, float]:
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    process = subprocess.Popen([str(python), "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
                               cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed: {config}\n{process.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cpu_now() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def parts(project: Path, bibs: list[Path], repeat: int) -> None:
    """The two git readings alone, in this process: the date plugin's (one `git log` per page,
    in a pool of min(10, cores) processes, as its on_files does) and What's new's (history.py)."""
    import multiprocessing

    from mkdocs_git_revision_date_localized_plugin.util import Util

    from mkdocs_plugins.evidence.history import read_history

    pages = [str(path) for path in sorted((project / "docs").rglob("*.md"))]

    def dates() -> None:
        util = Util(config={"fallback_to_build_date": True, "strict": False, "enable_git_follow": True},
                    mkdocs_dir=str(project))
        with multiprocessing.Pool(processes=min(10, multiprocessing.cpu_count())) as pool:
            stamps = pool.starmap(util.get_git_commit_timestamp, [(page, False) for page in pages])
        assert all(hash_ for hash_, _ in stamps), "a page without a commit"

    def history() -> None:
        assert read_history(project, project / "docs", bibs, 50).changes

    print(f"{len(pages)} pages, {repeat} runs each, median (min)")
    print("| reading | wall s | CPU s (with git processes) |")
    print("| --- | --: | --: |")
    for name, step in (("date plugin: last commit of every page", dates), ("What's new: history of docs/ and .bib", history)):
        walls, cpus = [], []
        for _ in range(repeat):
            start, cpu = time.perf_counter(), cpu_now()
            step()
            walls.append(time.perf_counter() - start)
            cpus.append(cpu_now() - cpu)
        print(f"| {name} | {statistics.median(walls):.2f} ({min(walls):.2f}) | {statistics.median(cpus):.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", default="review", help="`review`, or a number of pages (synthetic)")
    parser.add_argument("--entries", type=int, default=1000, help="synthetic: .bib entries")
    parser.add_argument("--cites", type=int, default=20, help="synthetic: citations per page")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parts", action="store_true",
                        help="time only the git readings (date plugin, What's new), not whole builds")
    args = parser.parse_args()
    python = Path(sys.executable)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.site == "review":
            project, config = review_repo(work)
        else:
            project, config = synthetic_repo(work, int(args.site), args.entries, args.cites)
        if args.parts:
            bibs = [project / "refs.bib"] if args.site != "review" else [project / "bib" / "references.bib"]
            parts(project, bibs, args.repeat)
            return 0
        out = Path("/dev/shm") / f"bench-dates-{os.getpid()}" if Path("/dev/shm").is_dir() else work / "out"
        configs = {}
        for variant in VARIANTS:
            configs[variant] = project / f"mkdocs.bench-{variant}.yml"
            configs[variant].write_text(yaml.safe_dump(variant_config(config, variant), sort_keys=False))
        samples: dict[str, list[tuple[float, float, float]]] = {v: [] for v in VARIANTS}
        for variant in VARIANTS:  # untimed: fills the evidence cache and the OS page cache
            build(python, project, configs[variant], out)
        for repetition in range(args.repeat):
            order = VARIANTS[repetition % 3:] + VARIANTS[:repetition % 3]
            for variant in order:
                samples[variant].append(build(python, project, configs[variant], out))
        shutil.rmtree(out, ignore_errors=True)
        pages = len(list((project / "docs").rglob("*.md")))
    base = statistics.median(s[0] for s in samples["no-dates"])
    print(f"site: {args.site} ({pages} pages in docs/), {args.repeat} timed builds per variant, median (min)")
    print("| variant | wall s | CPU s | peak RSS MB | wall vs no-dates |")
    print("| --- | --: | --: | --: | --: |")
    for variant in VARIANTS:
        walls = [s[0] for s in samples[variant]]
        cpu = statistics.median(s[1] for s in samples[variant])
        rss = max(s[2] for s in samples[variant])
        median = statistics.median(walls)
        print(f"| {variant} | {median:.2f} ({min(walls):.2f}) | {cpu:.2f} | {rss:.0f} | +{median - base:.2f} s ({median / base:.2f}x) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
