"""Lighthouse on every page type, as a reader on a phone gets them; results into BENCHMARK.md.

    .venv/bin/python scripts/lighthouse.py               # the review (English + Welsh), 3 runs a page
    .venv/bin/python scripts/lighthouse.py --synthetic   # plus the 1,000-page / 10,000-entry site (and its floor)

Lighthouse is the npm package pinned in package.json (12.2.3; `npm ci` installs it), driving
Debian's Chromium (CHROME_PATH=/usr/bin/chromium, headless, no sandbox, no GPU, no background
networking), with its default mobile settings (Moto G Power screen, simulated slow 4G and 4x CPU
slowdown). The site is served from 127.0.0.1 by `gzip_server` below, which compresses text as
GitHub Pages does and sends the same Cache-Control, under a path (`/review/`) as Pages serves a
project site (`https://OWNER.github.io/REPOSITORY/`), and the review is built for that address:
canonical links, hreflang and the sitemap have the shape they have in production. Each page is run 3 times: the table gives the
median of each score and metric, and names every failing accessibility, best-practices or SEO
audit. The section between the `lighthouse` markers of scripts/BENCHMARK.md is replaced.

Not part of `make test` (about 20 s a run on 2 cores); tests/browser/test_lighthouse_audits.py runs
the deterministic categories (accessibility, best practices, SEO) there.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --disable-default-apps --disable-extensions "
                "--no-first-run --disable-dev-shm-usage")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {  # audit id -> column
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
# The review's page types (site paths; the Welsh interface under cy/).
REVIEW_PAGES = {
    "home": "",
    "factor page": "factors/key-worker/",
    "References": "references/",
    "evidence map": "evidence-map/",
    "Figure 1": "figure-1/",
    "print view": "print/",
    "Welsh factor page": "cy/factors/key-worker/",
}
BENCH_MD = ROOT / "scripts" / "BENCHMARK.md"
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".bib", ".ris", ".map")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (as GitHub Pages serves text)."""

    cache: dict = {}

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


SERVED_UNDER = "review/"  # the path a GitHub Pages project site lives under


def gzip_server(site: Path, under: str = SERVED_UNDER):
    """(server, base URL) serving `site` at http://127.0.0.1:PORT/<under>, in a thread.

    The folder may still be empty: start the server first, then build for its address."""
    site.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="served-", dir=site.parent))  # the host's root: `under` only
    (root / under.strip("/")).symlink_to(site.resolve(), target_is_directory=True)
    handler = functools.partial(type("Handler", (GzipHandler,), {"cache": {}}), directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/{under}"


def run_lighthouse(url: str, categories=CATEGORIES, timeout: float = 300) -> dict:
    """One Lighthouse run (mobile, default throttling); the JSON report (lhr)."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci` (package.json pins lighthouse).")
    env = dict(os.environ, CHROME_PATH=CHROME_PATH)
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(categories)}",
               "--max-wait-for-load=60000"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse {url} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def failing_audits(lhr: dict, category: str) -> list[str]:
    """Audits of a category that count towards its score and do not pass."""
    failing = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            failing.append(ref["id"])
    return failing


def summarise(lhrs: list[dict]) -> dict:
    scores = {c: statistics.median(round(l["categories"][c]["score"] * 100) for l in lhrs) for c in CATEGORIES}
    metrics = {name: statistics.median(l["audits"][audit]["numericValue"] for l in lhrs) for audit, name in METRICS.items()}
    failing = sorted({a for l in lhrs for c in CATEGORIES[1:] for a in failing_audits(l, c)})
    slow = sorted({a for l in lhrs for a in failing_audits(l, "performance")
                   if l["audits"][a]["score"] is not None and l["audits"][a]["score"] < 0.9})
    diagnostics = lhrs[0]["audits"]
    return {
        "scores": scores, "metrics": metrics, "failing": failing, "slow": slow,
        "dom_size": diagnostics.get("dom-size", {}).get("numericValue"),
        "transfer_kb": statistics.median(l["audits"]["total-byte-weight"]["numericValue"] for l in lhrs) / 1024,
        "runs": [round(l["categories"]["performance"]["score"] * 100) for l in lhrs],
    }


def measure(base: str, pages: dict[str, str], runs: int) -> dict[str, dict]:
    results = {}
    for name, path in pages.items():
        load = os.getloadavg()[0]  # the machine's other work at the time (2 cores)
        lhrs = []
        for _ in range(runs):
            lhrs.append(run_lighthouse(base + path))
        results[name] = dict(summarise(lhrs), path=path, load=max(load, os.getloadavg()[0]))
        s = results[name]
        print(f"{name:28} perf {s['scores']['performance']:>3} (runs {s['runs']}) a11y {s['scores']['accessibility']} "
              f"bp {s['scores']['best-practices']} seo {s['scores']['seo']} {s['failing'] or ''}", flush=True)
    return results


def build(config: Path, site_dir: Path, cwd: Path, site_url: str | None = None) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url:
        env["SITE_URL"] = site_url
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site_dir)],
                   cwd=cwd, check=True, env=env)


def build_review(site: Path, site_url: str) -> None:
    """The review into `site`, at the address it is served from (mkdocs.yml reads SITE_URL).

    Built for that address, the absolute links in each page's head (hreflang, the feed) are
    same-origin, as in production: Material fetches sitemap.xml relative to every
    `<link rel=alternate>`, and a build for another address would make those fetches fail.
    """
    build(ROOT / "mkdocs.yml", site, ROOT, site_url)
    build(ROOT / "mkdocs.cy.yml", site / "cy", ROOT, site_url)


def build_floor(out: Path) -> Path:
    """The floor: plain Material (no plugin, no overrides) with the review's home page text."""
    import yaml

    project = out / "floor"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text((ROOT / "docs" / "index.md").read_text(encoding="utf-8"), encoding="utf-8")
    config = {"site_name": "Plain Material floor", "site_description": "The same text on plain Material.",
              "theme": {"name": "material", "font": False}, "plugins": ["search"]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    build(project / "mkdocs.yml", project / "site", project)
    return project / "site"


# A 1,000-page site's navigation: top-level sections as tabs, and only the open section's pages in
# the sidebar (Material renders every page of the nav into every page without navigation.prune:
# 3,000 elements and 200 KB of HTML per page at 1,000 pages). README, "Large sites".
LARGE_SITE_FEATURES = ["content.footnote.tooltips", "navigation.tabs", "navigation.sections",
                       "navigation.indexes", "navigation.prune"]


def build_synthetic(out: Path) -> tuple[Path, Path, str]:
    """The benchmark's 1,000-page / 10,000-entry site with this site's theme, and the floor: the
    same pages on plain Material (no plugin, hooks or overrides; citations left as text), with the
    same navigation features. (site, floor site, largest References part)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_sites
    import yaml

    pages, entries, cites = bench_sites.SIZES["large"]
    generated = bench_sites.write_site(out / "large", pages, entries, cites)
    config = {
        "site_name": "Citation benchmark (1,000 pages, 10,000 entries)",
        "site_description": "A synthetic evidence site for the benchmark.",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "custom_dir": str(ROOT / "overrides"),
                  "features": LARGE_SITE_FEATURES},
        "hooks": [str(ROOT / "hooks" / "theme_assets.py")],
        "nav": [*generated.nav, {"References": "references.md"}, {"Evidence map": "evidence-map.md"},
                {"Figure 1": "figure-1.md"}],
        "plugins": ["search", {"evidence": {"bib_files": ["refs.bib"]}}],
    }
    path = generated.root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    site = generated.root / "site"
    build(path, site, generated.root)
    floor = {"site_name": config["site_name"], "site_description": config["site_description"],
             "docs_dir": "docs", "theme": {"name": "material", "font": False, "features": LARGE_SITE_FEATURES},
             "nav": generated.nav, "plugins": ["search"]}
    floor_path = generated.root / "mkdocs.floor.yml"
    floor_path.write_text(yaml.safe_dump(floor, sort_keys=False), encoding="utf-8")
    build(floor_path, generated.root / "site-floor", generated.root)
    parts = [p.parent for p in (site / "references").glob("*/index.html")]
    largest = max(parts, key=lambda p: (p / "index.html").stat().st_size)
    return site, generated.root / "site-floor", f"references/{largest.name}/"


def table(results: dict[str, dict]) -> str:
    lines = ["| page | perf (3 runs) | a11y | best pr. | SEO | FCP | LCP | TBT | CLS | SI | DOM | transfer | load | failing audits |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    for name, s in results.items():
        m, sc = s["metrics"], s["scores"]
        failing = ", ".join(f"`{a}`" for a in s["failing"]) or "none"
        lines.append(
            f"| {name} (`/{s['path']}`) | **{sc['performance']:.0f}** ({', '.join(map(str, s['runs']))}) | {sc['accessibility']:.0f} "
            f"| {sc['best-practices']:.0f} | {sc['seo']:.0f} | {m['FCP'] / 1000:.1f} s | {m['LCP'] / 1000:.1f} s "
            f"| {m['TBT']:.0f} ms | {m['CLS']:.3f} | {m['SI'] / 1000:.1f} s | {s['dom_size'] or 0:,.0f} "
            f"| {s['transfer_kb']:,.0f} KB | {s['load']:.1f} | {failing} |")
    return "\n".join(lines)


def write_benchmark_md(section: str) -> None:
    text = BENCH_MD.read_text(encoding="utf-8")
    block = f"{START}\n{section}\n{END}"
    if START in text and END in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    BENCH_MD.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per page (the median is reported; default 3)")
    parser.add_argument("--synthetic", action="store_true", help="also the 1,000/10,000 site's References pages")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARK.md as it is")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()[0]
    version = json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    chromium = subprocess.run([CHROME_PATH, "--version"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="lighthouse-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        out = Path(tmp)
        server, base = gzip_server(build_floor(out))
        results = measure(base, {"floor: plain Material, same home text": ""}, args.runs)
        server.shutdown()
        site = out / "site"
        server, base = gzip_server(site)
        build_review(site, base)
        results.update(measure(base, REVIEW_PAGES, args.runs))
        server.shutdown()
        if args.synthetic:
            large, floor, part = build_synthetic(out)
            server, base = gzip_server(floor)
            results.update(measure(base, {"1,000/10,000 floor: plain Material, same pages, home": ""}, args.runs))
            server.shutdown()
            server, base = gzip_server(large)
            results.update(measure(base, {"1,000/10,000: home": "",
                                          "1,000/10,000: References (letters)": "references/",
                                          "1,000/10,000: References, largest part": part}, args.runs))
            server.shutdown()
    load_after = os.getloadavg()[0]
    section = (
        f"## Lighthouse, mobile ({started})\n\n"
        f"`scripts/lighthouse.py{' --synthetic' if args.synthetic else ''}`: Lighthouse {version} in {chromium}, "
        f"default mobile settings (simulated slow 4G, 4x CPU slowdown), the site served gzipped from 127.0.0.1 "
        f"under `/{SERVED_UNDER}` (as Pages serves a project site) and built for that address; "
        f"median of {args.runs} runs per page (each run's performance score in brackets). DOM is the number of "
        f"elements; transfer is what the page and everything it loads weigh over the wire; load is the "
        f"machine's 1-minute load average (2 cores) before or after the page's runs, whichever is higher "
        f"({load_before:.0f} at the start, {load_after:.0f} at the end): Lighthouse's simulated "
        f"throttling scales the CPU time it observes, so a busy machine lowers every performance score, "
        f"the floor's too; accessibility, best practices and SEO do not depend on it.\n\n" + table(results) + "\n"
    )
    print(section)
    if not args.no_write:
        write_benchmark_md(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
