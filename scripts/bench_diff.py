#!/usr/bin/env python3
"""Time the change report against one build of the review, for scripts/BENCHMARK.md.

    .venv/bin/python scripts/bench_diff.py [RUNS]

Makes a git repository of the review in a temporary folder (docs/, bib/, overrides/,
mkdocs.yml, committed as main), makes a one-line change (a citation added early on a factor
page), then times, RUNS times each (default 5): one `mkdocs build` (the plugin's cache warm),
`site_diff.py main --no-cache` (base and head built side by side) and `site_diff.py main` (the
base's snapshot cached: one build). Prints medians of wall time and of CPU time (user + system,
all processes): on a shared machine the CPU time is the steadier of the two.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as folder:
        repo = Path(folder) / "review"
        repo.mkdir()
        for name in ("docs", "bib", "overrides", "hooks"):
            shutil.copytree(ROOT / name, repo / name)
        for config in ROOT.glob("*.yml"):  # mkdocs.yml and the files it names (evidence.yml)
            shutil.copy(config, repo / config.name)
        (repo / ".gitignore").write_text(".cache/\nsite/\n")
        git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "review"], check=True)
        page = repo / "docs" / "factors" / "joint-training.md"
        page.write_text(page.read_text().replace("the same processes and language.",
                                                 "the same processes and language[@ceis2016].", 1))
        python, diff = sys.executable, str(ROOT / "scripts" / "site_diff.py")
        cases = {
            "one build (`mkdocs build`, plugin cache warm)": [python, "-m", "mkdocs", "build", "-q", "--site-dir", str(Path(folder) / "site")],
            "`site_diff.py main --no-cache` (two builds side by side)": [python, diff, "main", "--no-cache"],
            "`site_diff.py main` (base cached: one build)": [python, diff, "main"],
        }
        for command in cases.values():  # warm every cache once
            timed(command, repo)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, command in cases.items():
                results[name].append(timed(command, repo))
    build_wall = statistics.median(w for w, _ in results[next(iter(cases))])
    build_cpu = statistics.median(c for _, c in results[next(iter(cases))])
    print("| what | wall (s) | CPU (s) | wall / build | CPU / build |")
    print("| --- | --: | --: | --: | --: |")
    for name, values in results.items():
        wall, cpu = statistics.median(w for w, _ in values), statistics.median(c for _, c in values)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / build_wall:.2f}× | {cpu / build_cpu:.2f}× |")
    print(f"\n{runs} runs each; load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
