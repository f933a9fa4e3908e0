#!/usr/bin/env python3
"""Benchmark `mkdocs build` with and without citation plugins.

Variants, run side by side and interleaved (one build of each variant per
repetition, the order rotated each repetition):

  plain           Material + search, citations left as text (the floor)
  evidence-cold   this project's `evidence` plugin, its cache emptied before each build
  evidence-warm   the same, cache kept (one untimed warm-up build first)
  plain-pages     plain + a stub page wherever the plugin generates a page
  plain-content   plain-pages, each page's content replaced by the evidence build's final
                  content (search given the same text): what publishing that content costs
                  through the theme and search, without the plugin's own work
  mkdocs-bibtex   mkdocs-bibtex 4.4.0, simple (pybtex, non-CSL) mode, same .bib

Every build is its own process:
    <venv>/bin/python -m mkdocs build -q -f <site>/mkdocs.<variant>.yml -d <tmp>
Wall time is measured around the process; peak memory is the child's ru_maxrss
from os.wait4(). Before the timed repetitions each variant gets one untimed
build without -q whose warnings are collected and reported.

All builds run in .venv-bench/ (created on first use: `pip install
mkdocs-bibtex==4.4.0 -e .`), so every variant sees identical versions of
mkdocs, Material, Markdown and pybtex. See scripts/BENCHMARK.md.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_sites  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
BIBTEX_PIN = "mkdocs-bibtex==4.4.0"
VARIANTS = ["plain", "plain-pages", "plain-content", "evidence-cold", "evidence-warm", "mkdocs-bibtex"]
SIZE_CHOICES = ["review", *bench_sites.SIZES, "custom"]
# The review's evidence schema (factor/outcome pages, map, Figure 1); the synthetic sites use it too.
REVIEW_SCHEMA = ROOT / "evidence.yml"
WARN_RE = re.compile(r"^(WARNING|ERROR)\s*-\s*(.*)$")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- venv

def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_bench_venv(venv: Path, install: bool) -> Path:
    """Create/refresh .venv-bench with mkdocs-bibtex and the project (editable)."""
    py = venv_python(venv)
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    want = hashlib.sha256(pyproject + BIBTEX_PIN.encode()).hexdigest()
    stamp = venv / ".bench-stamp"
    if py.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return py
    if not install:
        if py.exists():
            log(f"note: {venv} may be stale (pyproject.toml changed); --no-install given, using it as is")
            return py
        sys.exit(f"{venv} does not exist; run without --no-install to create it")
    if not py.exists():
        log(f"creating {venv} ...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    log(f"installing {BIBTEX_PIN} and the project (-e .) into {venv} ...")
    with open(venv / "pip.log", "w") as fh:
        r = subprocess.run(
            [str(py), "-m", "pip", "install", BIBTEX_PIN, "-e", str(ROOT)],
            stdout=fh, stderr=subprocess.STDOUT,
        )
    if r.returncode:
        sys.exit(f"pip install failed; see {venv / 'pip.log'}")
    stamp.write_text(want + "\n")
    return py


PROBE = r"""
import json, sys
from importlib.metadata import entry_points, version
out = {}
eps = {e.name: e for e in entry_points(group="mkdocs.plugins")}
for name, dist in (("evidence", "mkdocs-evidence"), ("bibtex", "mkdocs-bibtex")):
    try:
        cls = eps[name].load()
        opts = {}
        for key, opt in getattr(cls, "config_scheme", ()):
            d = getattr(opt, "default", None)
            opts[key] = d if isinstance(d, (str, int, float, bool, type(None), list)) else repr(d)
        out[name] = {"ok": True, "version": version(dist), "options": opts}
    except Exception as e:
        out[name] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
for dist in ("mkdocs", "mkdocs-material", "Markdown", "pybtex"):
    out.setdefault("versions", {})[dist] = version(dist)
print(json.dumps(out))
"""


def probe(py: Path) -> dict:
    r = subprocess.run([str(py), "-c", PROBE], capture_output=True, text=True, cwd=ROOT)
    if r.returncode:
        sys.exit(f"probe of {py} failed:\n{r.stderr}")
    return json.loads(r.stdout)


# --------------------------------------------------------------------------- configs

class _Tagged:
    """A YAML node with a custom tag (e.g. !!python/name:..., !ENV) kept verbatim."""

    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: _Tagged("!" + suffix, node))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(node.tag, node))
_Dumper.add_representer(_Tagged, lambda dumper, t: t.node)


def dump_yaml(data: dict, path: Path) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _plugin_name(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def _plugins_as_list(plugins) -> list:
    if plugins is None:
        return []
    if isinstance(plugins, dict):
        return [{k: v} if v else k for k, v in plugins.items()]
    return list(plugins)


def _ensure_ext(cfg: dict, ext: str) -> None:
    exts = cfg.get("markdown_extensions") or []
    names = [e if isinstance(e, str) else next(iter(e)) for e in exts]
    if ext not in names:
        exts = list(exts) + [ext]
    cfg["markdown_extensions"] = exts


@dataclass
class Variant:
    name: str
    py: Path
    config: Path
    cache_dir: Path | None = None  # removed before every timed build (cold)
    skip: str | None = None
    samples: list[dict] = field(default_factory=list)
    warmup: dict | None = None
    source: Path | None = None  # a config built once, untimed, before the warm-up (plain-content)


def evidence_cache_opts(options: dict, root: Path, variant: str) -> tuple[dict, Path | None, str | None]:
    """Plugin options for a cold/warm run, the dir to wipe for cold, or a skip reason."""
    if "cache_dir" in options:
        cache = root / f".bench-cache-{variant}"
        opts = {"cache_dir": str(cache)}
        if "cache" in options:
            opts["cache"] = True
        return opts, (cache if variant == "evidence-cold" else None), None
    if "cache" in options:
        return {"cache": variant == "evidence-warm"}, None, None
    if variant == "evidence-warm":
        return {}, None, "the evidence plugin has no `cache`/`cache_dir` option, so warm == cold"
    return {}, None, None


def synthetic_schema() -> dict:
    """The review's schema, its figure's link boxes pointing at the index pages a synthetic site has."""
    schema = yaml.safe_load(REVIEW_SCHEMA.read_text(encoding="utf-8"))
    for box in schema.get("figure", {}).get("boxes", []):
        if "link" in box:
            box["link"] = box["link"].split("/")[0] + "/index.md"
    return schema


def generated_pages(probe_out: dict, options: dict | None = None, schema: dict | None = None) -> list[tuple[str, str]]:
    """(path in docs, nav title) of each page the evidence plugin generates."""
    defaults = probe_out["evidence"].get("options") or {}
    schema = schema or {}
    pages = []
    if schema.get("evidence_map"):
        pages.append((schema["evidence_map"].get("page", "evidence-map.md"), "Evidence map"))
    if schema.get("figure"):
        figure = schema["figure"]
        pages.append((figure.get("page", f"{figure.get('id', 'figure')}.md"), "Figure"))
    path = (options or {}).get("references_page") or defaults.get("references_page")
    if isinstance(path, str) and path:
        pages.append((path, "References"))
    return pages


LETTER_PAGES = """
import json, sys
from pathlib import Path
from mkdocs_plugins.evidence.bibliography import load_library
from mkdocs_plugins.evidence.problems import ProblemList
from mkdocs_plugins.evidence.reference_pages import split_references
bib, page, size = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
library = load_library([(bib.read_text(encoding="utf-8"), bib.name)], ProblemList())
parts = split_references(list(library.works.values()), page, size, "Other")
print(json.dumps([[part.src_uri, "References: " + part.label] for part in parts]))
"""


def references_letter_pages(bib: Path, references_page: str, page_size: int) -> list[tuple[str, str]]:
    """(path in docs, title) of each letter page the plugin splits References into when the
    library holds more than `page_size` works (reference_pages.py), so that the `plain-pages`
    floor renders as many pages through the theme as the evidence build does.

    Worked out in a child process: on Linux a build's ru_maxrss starts from this process's size
    when it forks, and a library of 10,000 works loaded here made every variant's peak 110 MB."""
    r = subprocess.run([sys.executable, "-c", LETTER_PAGES, str(bib), references_page, str(page_size)],
                       capture_output=True, text=True, cwd=ROOT, check=True)
    return [tuple(item) for item in json.loads(r.stdout)]


def docs_with_stubs(docs: Path, dest: Path, pages: list[tuple[str, str]]) -> Path:
    """A copy of docs/ plus one short page where the plugin would generate each page.

    The `plain-pages` floor: the same pages and nav as the evidence build, without citations,
    notes or generated content. (`plain` lacks those pages, and MkDocs warns about the nav.)
    """
    if not dest.exists():
        shutil.copytree(docs, dest)
        for path, title in pages:
            (dest / path).parent.mkdir(parents=True, exist_ok=True)
            (dest / path).write_text(f"# {title}\n\nThis page is generated by the citation plugin.\n", encoding="utf-8")
    return dest


# plain-content: an evidence build writes each page's final content and the text it gives search
# (CONTENT_SOURCE_HOOK, once, untimed); the plain-pages build then puts them in place of its own
# (CONTENT_HOOK). So evidence-warm minus plain-content is the plugin's own work, and
# plain-content minus plain what the content it publishes costs the theme and search.
CONTENT_DIR = ".bench-content"
CONTENT_SOURCE_HOOK = '''"""bench.py, plain-content: write each page's final content and its search text."""
import os
from mkdocs.plugins import event_priority

def _path(config, page, suffix):
    path = os.path.join(os.path.dirname(config.config_file_path), "{dir}", page.file.src_uri + suffix)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path

@event_priority(50)  # after the evidence plugin gave search its text (100), before search reads it (0)
def on_page_context(context, page, config, nav):
    with open(_path(config, page, ".search.html"), "w", encoding="utf-8") as out:
        out.write(page.content)
    return context

@event_priority(100)  # the final content, before any other plugin lets it go
def on_post_page(output, page, config):
    with open(_path(config, page, ".html"), "w", encoding="utf-8") as out:
        out.write(page.content)
    return output
'''.replace("{dir}", CONTENT_DIR)
CONTENT_HOOK = '''"""bench.py, plain-content: each page's content and search text as the evidence build wrote them."""
import os
from mkdocs.plugins import CombinedEvent, event_priority

def _read(config, page, suffix):
    path = os.path.join(os.path.dirname(config.config_file_path), "{dir}", page.file.src_uri + suffix)
    with open(path, encoding="utf-8") as source:
        return source.read()

def on_page_content(html, page, config, files):
    return _read(config, page, ".html")

@event_priority(50)
def _search_text(context, page, config, nav):
    page.content = _read(config, page, ".search.html")
    return context

@event_priority(-50)
def _full_content(context, page, config, nav):
    page.content = _read(config, page, ".html")
    return context

on_page_context = CombinedEvent(_search_text, _full_content)
'''.replace("{dir}", CONTENT_DIR)


def content_configs(var: Variant, config_of: Callable[[str, Variant], dict | None]) -> None:
    """Write plain-content's config (plain-pages' with CONTENT_HOOK) and its source build's (the
    evidence build with CONTENT_SOURCE_HOOK, `var.source`), beside var.config."""
    root = var.config.parent
    source = Variant("evidence-content-source", var.py, root / "mkdocs.plain-content-source.yml")
    evidence_cfg, pages_cfg = config_of(source.name, source), config_of("plain-pages", var)
    var.skip, var.source = source.skip, source.config  # no evidence plugin, no content to serve
    shutil.rmtree(root / CONTENT_DIR, ignore_errors=True)
    (root / "bench_content_source.py").write_text(CONTENT_SOURCE_HOOK, encoding="utf-8")
    (root / "bench_content.py").write_text(CONTENT_HOOK, encoding="utf-8")
    dump_yaml({**evidence_cfg, "hooks": [*(evidence_cfg.get("hooks") or []), "bench_content_source.py"]}, var.source)
    dump_yaml({**pages_cfg, "hooks": [*(pages_cfg.get("hooks") or []), "bench_content.py"]}, var.config)


def write_configs(wanted: list[str], py: Path, root: Path,
                  config_of: Callable[[str, Variant], dict | None]) -> list[Variant]:
    """A Variant for each wanted name, its config written beside the site unless it is skipped
    (None from `config_of`: it wrote the config itself)."""
    out = []
    for v in wanted:
        var = Variant(v, py, root / f"mkdocs.{v}.yml")
        cfg = config_of(v, var)
        if cfg is not None and not var.skip:
            dump_yaml(cfg, var.config)
        out.append(var)
    return out


def synthetic_configs(site: bench_sites.Site, label: str, probe_out: dict, py: Path,
                      wanted: list[str]) -> list[Variant]:
    base = {
        "site_name": f"Citation benchmark ({label})",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "nav": site.nav,
    }
    schema = synthetic_schema()
    pages = generated_pages(probe_out, schema=schema)
    nav_with_pages = [*site.nav, *({title: path} for path, title in pages)]

    @functools.cache  # plain-pages and plain-content both ask: a child process loading the library
    def letter_pages() -> list[tuple[str, str]]:
        defaults = probe_out["evidence"].get("options") or {}
        return references_letter_pages(site.root / "refs.bib", defaults.get("references_page", "references.md"),
                                       int(defaults.get("references_page_size") or 0))

    def config_of(v: str, var: Variant) -> dict | None:
        cfg = dict(base)
        if v == "plain":
            cfg["plugins"] = ["search"]
        elif v == "plain-content":
            return content_configs(var, config_of)
        elif v == "plain-pages":
            # References' letter pages too: not in the nav, as in the evidence build.
            docs_with_stubs(site.root / "docs", site.root / "docs-plain-pages", pages + letter_pages())
            cfg.update(plugins=["search"], docs_dir="docs-plain-pages", nav=nav_with_pages)
        elif v.startswith("evidence"):
            ev = probe_out["evidence"]
            if not ev["ok"]:
                var.skip = f"evidence plugin cannot be imported ({ev['error']})"
            else:
                opts, var.cache_dir, var.skip = evidence_cache_opts(ev["options"], site.root, v)
                cfg["plugins"] = ["search", {"evidence": {"bib_files": ["refs.bib"], "schema": schema, **opts}}]
                # The plugin generates these pages; list them in the nav like the real site does.
                cfg["nav"] = nav_with_pages
        elif v == "mkdocs-bibtex":
            bt = probe_out["bibtex"]
            if not bt["ok"]:
                var.skip = f"mkdocs-bibtex cannot be imported ({bt['error']})"
            cfg["plugins"] = ["search", {"bibtex": {"bib_file": "refs.bib"}}]
            cfg["markdown_extensions"] = ["footnotes"]
        return cfg

    return write_configs(wanted, py, site.root, config_of)


def review_configs(work: Path, probe_out: dict, py: Path, wanted: list[str]) -> list[Variant] | str:
    """Copy the real site (docs/, bib/, mkdocs.yml) and derive one config per variant."""
    docs = ROOT / "docs"
    if not any(docs.rglob("*.md")):
        return "docs/ has no Markdown yet"
    root = work / "review"
    shutil.copytree(docs, root / "docs")
    if (ROOT / "bib").is_dir():
        shutil.copytree(ROOT / "bib", root / "bib")
    original = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    custom_dir = (original.get("theme") or {}).get("custom_dir") if isinstance(original.get("theme"), dict) else None
    if custom_dir and (ROOT / custom_dir).is_dir():
        shutil.copytree(ROOT / custom_dir, root / custom_dir)
    for hook in original.get("hooks") or []:  # hooks/ lives outside custom_dir
        (root / hook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / hook, root / hook)
    # The standalone extension is listed for Zensical: it would do the plugin's work in the
    # variants without the plugin (under the plugin it is taken out anyway).
    original["markdown_extensions"] = [
        item for item in original.get("markdown_extensions") or []
        if not (item == "evidence_citations" or (isinstance(item, dict) and "evidence_citations" in item))]
    plugins = _plugins_as_list(original.get("plugins"))
    ev_entry = next((p for p in plugins if _plugin_name(p) == "evidence"), None)
    ev_opts = dict(ev_entry["evidence"] or {}) if isinstance(ev_entry, dict) else {}
    schema = ev_opts.get("schema")
    if isinstance(schema, str):  # a file beside mkdocs.yml
        shutil.copy(ROOT / schema, root / schema)
        schema = yaml.safe_load((ROOT / schema).read_text(encoding="utf-8"))
    bib_files = ev_opts.get("bib_files") or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bib").glob("*.bib"))
    others = [p for p in plugins if _plugin_name(p) != "evidence"]

    def config_of(v: str, var: Variant) -> dict | None:
        cfg = dict(original)
        cfg["strict"] = False  # warnings are counted in the warm-up build instead
        if v == "plain":
            cfg["plugins"] = others
        elif v == "plain-content":
            return content_configs(var, config_of)
        elif v == "plain-pages":
            cfg["plugins"] = others
            cfg["docs_dir"] = "docs-plain-pages"
            docs_with_stubs(root / "docs", root / "docs-plain-pages", generated_pages(probe_out, ev_opts, schema))
        elif v.startswith("evidence"):
            ev = probe_out["evidence"]
            if not ev["ok"]:
                var.skip = f"evidence plugin cannot be imported ({ev['error']})"
            else:
                opts, var.cache_dir, var.skip = evidence_cache_opts(ev["options"], root, v)
                cfg["plugins"] = others + [{"evidence": {**ev_opts, **opts}}]
        elif v == "mkdocs-bibtex":
            if not bib_files:
                var.skip = "no .bib file found for the real site"
            elif len(bib_files) > 1:
                log(f"note: mkdocs-bibtex takes one bib_file; using {bib_files[0]} of {bib_files}")
            cfg["plugins"] = others + [{"bibtex": {"bib_file": bib_files[0] if bib_files else ""}}]
            _ensure_ext(cfg, "footnotes")
        return cfg

    return write_configs(wanted, py, root, config_of)


# --------------------------------------------------------------------------- running

# valgrind's summary line: "==123== Collected : 20418874761"
COLLECTED_RE = re.compile(r"^==\d+== Collected : (\d+)$", re.M)


def run_build(var: Variant, out_dir: Path, quiet: bool, timeout: float, instructions: bool = False) -> dict:
    """One `mkdocs build` in its own process: wall seconds, child max RSS, output; with
    `instructions`, run under valgrind's callgrind and count the instructions it executes."""
    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [str(var.py), "-m", "mkdocs", "build", "-f", str(var.config), "-d", str(out_dir)]
    if quiet:
        cmd.insert(4, "-q")
    if instructions:
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd]
    # NO_MKDOCS_2_WARNING: silence Material's end-of-life banner (printed on every build).
    env = dict(os.environ, NO_COLOR="1", NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=so, stderr=se,
                                cwd=var.config.parent, env=env)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4 ourselves
        so.seek(0)
        se.seek(0)
        text = so.read().decode(errors="replace") + se.read().decode(errors="replace")
    shutil.rmtree(out_dir, ignore_errors=True)
    counted = COLLECTED_RE.search(text) if instructions else None
    if instructions and counted is None and proc.returncode == 0:
        raise SystemExit(f"valgrind printed no instruction count for {var.name}:\n{text[-2000:]}")
    return {
        "instructions": int(counted.group(1)) if counted else None,
        "seconds": wall,
        "cpu_seconds": ru.ru_utime + ru.ru_stime,
        "max_rss_mb": ru.ru_maxrss / 1024,  # Linux: KiB
        "returncode": proc.returncode,
        "output": text,
    }


def warnings_of(text: str) -> list[str]:
    return [f"{m.group(1)} - {m.group(2)}" for line in text.splitlines() if (m := WARN_RE.match(line))]


def default_out_root() -> Path | None:
    """/dev/shm when it is a writable tmpfs: writing the site to the disk adds noise unrelated to
    the build (on this machine, deleting and creating hundreds of folders per build on ext4 with
    `discard` moved the same build by up to 30%). None: the work directory."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def bench_one(label: str, variants: list[Variant], repeat: int, work: Path, timeout: float,
              out_root: Path | None = None, instructions: bool = False) -> None:
    out_base = Path(tempfile.mkdtemp(prefix="mkdocs-bench-out-", dir=out_root)) if out_root else work
    active = [v for v in variants if not v.skip]
    for v in variants:
        if v.skip:
            log(f"[{label}] skip {v.name}: {v.skip}")
    for v in active:  # plain-content's source: the evidence build that writes the content it serves
        if v.source is not None:
            log(f"[{label}] {v.name}: writing the evidence build's content ...")
            made = run_build(Variant(f"{v.name} source", v.py, v.source), out_base / f"out-{v.name}", quiet=True,
                             timeout=timeout)
            if made["returncode"]:
                v.skip = f"its source build failed (exit {made['returncode']}):\n" + made["output"][-3000:]
                log(f"[{label}] {v.name}: {v.skip}")
    active = [v for v in active if not v.skip]
    # Untimed warm-up (also fills the warm cache, compiles .pyc, warms the page cache).
    for v in active:
        log(f"[{label}] warm-up {v.name} ...")
        v.warmup = run_build(v, out_base / f"out-{v.name}", quiet=False, timeout=timeout)
        v.warmup["warnings"] = warnings_of(v.warmup["output"])
        log(f"[{label}] warm-up {v.name}: {v.warmup['seconds']:.2f} s, {len(v.warmup['warnings'])} warning(s)")
        if v.warmup["returncode"]:
            v.skip = f"build failed (exit {v.warmup['returncode']}):\n" + v.warmup["output"][-3000:]
            log(f"[{label}] {v.name}: {v.skip}")
    active = [v for v in active if not v.skip]
    for rep in range(repeat):
        order = active[rep % len(active):] + active[: rep % len(active)] if active else []
        for v in order:
            if v.cache_dir is not None:
                shutil.rmtree(v.cache_dir, ignore_errors=True)
            s = run_build(v, out_base / f"out-{v.name}", quiet=True, timeout=timeout, instructions=instructions)
            if s["returncode"]:
                log(f"[{label}] {v.name} rep {rep + 1} FAILED (exit {s['returncode']}):\n{s['output'][-2000:]}")
            else:
                s.pop("output")
            v.samples.append(s)
            counted = f", {s['instructions']:,} instructions" if s.get("instructions") else ""
            log(f"[{label}] rep {rep + 1}/{repeat} {v.name}: {s['seconds']:.2f} s, {s['max_rss_mb']:.0f} MB{counted}")
    if out_base != work:
        shutil.rmtree(out_base, ignore_errors=True)


def summarise(label: str, dims: str, variants: list[Variant]) -> list[dict]:
    rows = []
    ok = {v.name: [s for s in v.samples if s["returncode"] == 0] for v in variants}
    def median_of(name: str, what: str) -> float | None:
        return statistics.median(s[what] for s in ok[name]) if ok.get(name) else None

    plain, pages_floor = median_of("plain", "seconds"), median_of("plain-pages", "seconds")
    # CPU ratios too: on a shared or virtual machine a build's wall time moves by a fifth between
    # runs, its CPU time (user + system) less; the minimum is the run least disturbed.
    plain_cpu, pages_floor_cpu = median_of("plain", "cpu_seconds"), median_of("plain-pages", "cpu_seconds")
    counted = all(s.get("instructions") for name in ok for s in ok[name])
    plain_ins = median_of("plain", "instructions") if counted else None
    pages_floor_ins = median_of("plain-pages", "instructions") if counted else None
    content_cpu = median_of("plain-content", "cpu_seconds")  # the plugin's own work is what lies above it
    content_ins = median_of("plain-content", "instructions") if counted else None
    for v in variants:
        good = ok[v.name]
        row = {"size": label, "dims": dims, "variant": v.name, "runs": len(good),
               "failed": len(v.samples) - len(good), "skipped": v.skip}
        if good:
            med = statistics.median(s["seconds"] for s in good)
            med_cpu = statistics.median(s["cpu_seconds"] for s in good)
            row.update(
                median_s=med,
                min_s=min(s["seconds"] for s in good),
                median_cpu_s=med_cpu,
                min_cpu_s=min(s["cpu_seconds"] for s in good),
                ratio_to_plain=(med / plain) if plain else None,
                ratio_to_plain_pages=(med / pages_floor) if pages_floor else None,
                cpu_ratio_to_plain=(med_cpu / plain_cpu) if plain_cpu else None,
                cpu_ratio_to_plain_pages=(med_cpu / pages_floor_cpu) if pages_floor_cpu else None,
                cpu_ratio_to_plain_content=(med_cpu / content_cpu) if content_cpu else None,
                peak_rss_mb=max(s["max_rss_mb"] for s in good),
                samples_s=[round(s["seconds"], 4) for s in good],
                cpu_samples_s=[round(s["cpu_seconds"], 4) for s in good],
            )
            if counted:
                ins = statistics.median(s["instructions"] for s in good)
                row.update(instructions=ins, instruction_samples=[s["instructions"] for s in good],
                           instructions_ratio_to_plain=(ins / plain_ins) if plain_ins else None,
                           instructions_ratio_to_plain_pages=(ins / pages_floor_ins) if pages_floor_ins else None,
                           instructions_ratio_to_plain_content=(ins / content_ins) if content_ins else None)
        if v.warmup:
            row["warnings"] = v.warmup["warnings"]
        rows.append(row)
    return rows


def markdown_table(rows: list[dict]) -> str:
    head = ("| size | variant | median s | min s | ratio to plain | ratio to plain-pages | median CPU s | min CPU s "
            "| CPU ratio to plain / plain-pages | peak RSS MB | runs | warnings |")
    lines = [head, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in rows:
        size = f"{r['size']} ({r['dims']})" if r["dims"] else r["size"]
        if "median_s" not in r:
            why = (r["skipped"] or "no successful run").splitlines()[0]
            lines.append(f"| {size} | {r['variant']} | skipped: {why} | | | | | | | | 0 | |")
            continue
        ratio = f"{r['ratio_to_plain']:.2f}×" if r["ratio_to_plain"] else "n/a"
        ratio_pages = f"{r['ratio_to_plain_pages']:.2f}×" if r.get("ratio_to_plain_pages") else "n/a"
        cpu_ratios = " / ".join(f"{r[key]:.2f}×" if r.get(key) else "n/a"
                                for key in ("cpu_ratio_to_plain", "cpu_ratio_to_plain_pages"))
        lines.append(
            f"| {size} | {r['variant']} | {r['median_s']:.2f} | {r['min_s']:.2f} | {ratio} | {ratio_pages} | "
            f"{r['median_cpu_s']:.2f} | {r['min_cpu_s']:.2f} | {cpu_ratios} | {r['peak_rss_mb']:.0f} | {r['runs']}{' (+%d failed)' % r['failed'] if r['failed'] else ''} | "
            f"{len(r.get('warnings', []))} |"
        )
    if any(r.get("instructions") for r in rows):
        lines += ["", "| size | variant | instructions (valgrind) | ratio to plain | ratio to plain-pages "
                  "| ratio to plain-content |", "|---|---|--:|--:|--:|--:|"]
        for r in rows:
            if r.get("instructions"):
                ratios = [f"{r[key]:.3f}×" if r.get(key) else "n/a"
                          for key in ("instructions_ratio_to_plain", "instructions_ratio_to_plain_pages",
                                      "instructions_ratio_to_plain_content")]
                lines.append(f"| {r['size']} | {r['variant']} | {r['instructions']:,.0f} | {' | '.join(ratios)} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="small",
                    help=f"one or more of {', '.join(SIZE_CHOICES)}, comma-separated (default: small); "
                         "'custom' needs --pages/--entries/--cites")
    ap.add_argument("--pages", type=int, help="custom size: number of pages")
    ap.add_argument("--entries", type=int, help="custom size: number of BibTeX entries")
    ap.add_argument("--cites", type=int, help="custom size: citations (groups, single, locator, narrative) per page")
    ap.add_argument("--repeat", type=int, default=5, help="timed builds per variant (default 5; large: 1)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated subset of {','.join(VARIANTS)}")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--venv", type=Path, default=BENCH_VENV, help="virtualenv the builds run in (default .venv-bench)")
    ap.add_argument("--no-install", action="store_true", help="do not create/refresh the bench virtualenv")
    ap.add_argument("--workdir", type=Path, help="where sites are generated (default: a temp dir, removed after)")
    ap.add_argument("--keep", action="store_true", help="keep the generated sites")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before one build is killed (x60 with --instructions)")
    ap.add_argument("--out-on-disk", action="store_true",
                    help="write the built sites under the work directory, not in /dev/shm (tmpfs)")
    ap.add_argument("--instructions", action="store_true",
                    help="run every timed build under valgrind's callgrind and report the instructions it "
                         "executes: the same count whatever else the machine does (about 50x slower; "
                         "needs valgrind, Debian's package)")
    ap.add_argument("--force-large", action="store_true",
                    help="run 'large' even with --repeat > 1 or when medium/plain took over 60 s")
    a = ap.parse_args()

    sizes = [s.strip() for s in a.size.split(",") if s.strip()]
    if (a.pages or a.entries or a.cites) and "custom" not in sizes:
        sizes = ["custom"] if sizes == ["small"] else sizes + ["custom"]
    for s in sizes:
        if s not in SIZE_CHOICES:
            ap.error(f"unknown size {s!r}")
    if a.instructions and not shutil.which("valgrind"):
        ap.error("--instructions needs valgrind (apt-get install valgrind)")
    timeout = a.timeout * (60 if a.instructions else 1)  # callgrind runs a build about 50x slower
    wanted = [v.strip() for v in a.variants.split(",") if v.strip()]
    for v in wanted:
        if v not in VARIANTS:
            ap.error(f"unknown variant {v!r}")
    if "plain" not in wanted:
        log("note: 'plain' not selected, ratios will be n/a")

    py = ensure_bench_venv(a.venv.resolve(), install=not a.no_install)
    # Byte-compile the plugin, as a regular (non-editable) pip install does; otherwise every timed
    # build would recompile it from source (this machine sets PYTHONDONTWRITEBYTECODE).
    subprocess.run([str(py), "-m", "compileall", "-q", str(ROOT / "mkdocs_plugins")], check=True,
                   stdout=subprocess.DEVNULL)
    pr = probe(py)
    if not pr["evidence"]["ok"]:
        log(f"note: evidence variants will be skipped: {pr['evidence']['error']}")
    else:
        log(f"evidence plugin options: {pr['evidence']['options']}")

    work = a.workdir.resolve() if a.workdir else Path(tempfile.mkdtemp(prefix="mkdocs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    medium_plain = None
    try:
        for size in sizes:
            repeat = a.repeat
            if size == "review":
                sw = work / "review-run"
                shutil.rmtree(sw, ignore_errors=True)
                sw.mkdir()
                variants = review_configs(sw, pr, py, wanted)
                if isinstance(variants, str):
                    log(f"[review] skipped: {variants}")
                    rows.append({"size": "review", "dims": "", "variant": "*", "runs": 0, "failed": 0,
                                 "skipped": variants})
                    continue
                dims = ""
            else:
                if size == "custom":
                    if not (a.pages and a.entries and a.cites):
                        ap.error("custom size needs --pages, --entries and --cites")
                    p, e, c = a.pages, a.entries, a.cites
                else:
                    p, e, c = bench_sites.SIZES[size]
                if size == "large" and not a.force_large:
                    if medium_plain is not None and medium_plain > 60:
                        log(f"[large] skipped: medium plain build took {medium_plain:.0f} s (> 60 s)")
                        rows.append({"size": "large", "dims": "", "variant": "*", "runs": 0, "failed": 0,
                                     "skipped": f"medium plain took {medium_plain:.0f} s > 60 s"})
                        continue
                    if repeat > 1:
                        log("[large] limiting to --repeat 1 (use --force-large to override)")
                        repeat = 1
                dims = f"{p} p / {e} e / {c} c"
                site_root = work / f"{size}-{p}-{e}-{c}-s{a.seed}"
                shutil.rmtree(site_root, ignore_errors=True)
                t0 = time.perf_counter()
                site = bench_sites.write_site(site_root, p, e, c, a.seed)
                log(f"[{size}] generated {p} pages / {e} entries / {c} cites per page "
                    f"in {time.perf_counter() - t0:.1f} s at {site_root}")
                variants = synthetic_configs(site, size, pr, py, wanted)
            bench_one(size, variants, repeat, work, timeout, None if a.out_on_disk else default_out_root(),
                      instructions=a.instructions)
            new = summarise(size, dims, variants)
            rows.extend(new)
            if size == "medium":
                medium_plain = next((r.get("median_s") for r in new if r["variant"] == "plain"), None)
            print(markdown_table(new) + "\n", file=sys.stderr, flush=True)
    finally:
        if a.keep or a.workdir:
            log(f"sites kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(markdown_table(rows))
    print(f"\nmedian/min = wall seconds of `mkdocs build` over the timed runs; CPU = user+sys of the build "
          f"(less sensitive to other load on the machine), its ratios the medians'; peak RSS = max ru_maxrss of the "
          f"build process; warnings = WARNING/ERROR lines of the untimed warm-up build. "
          f"mkdocs {pr['versions']['mkdocs']}, mkdocs-material {pr['versions']['mkdocs-material']}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs.")
    for r in rows:
        if r.get("warnings"):
            print(f"\n{r['size']} / {r['variant']}: {len(r['warnings'])} warning(s) in the warm-up build")
            shown = r["warnings"] if r["variant"].startswith("evidence") else r["warnings"][:5]
            for w in shown:
                print(f"    {w}")
            if len(shown) < len(r["warnings"]):
                print(f"    ... ({len(r['warnings']) - len(shown)} more)")
    if a.json:
        meta = {
            "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
            "versions": pr["versions"], "bibtex": pr["bibtex"], "evidence": pr["evidence"],
            "seed": a.seed, "repeat": a.repeat, "variants": wanted,
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        a.json.write_text(json.dumps({"meta": meta, "results": rows}, indent=2, default=str) + "\n")
        log(f"wrote {a.json}")
    failed = any(r.get("failed") for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
