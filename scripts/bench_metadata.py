"""CPU time a build spends on the page metadata (SiteAssembly.page_head: canonical, hreflang,
description, citation_* tags, Open Graph, JSON-LD; and each reference's COinS), measured inside
real in-process builds with time.process_time, so other processes on the machine barely move it.

    .venv/bin/python scripts/bench_metadata.py mkdocs.yml /tmp/out 5     # the review
    .venv/bin/python scripts/bench_sites.py --size medium --out /tmp/m    # then add a mkdocs.yml with
    # site_url, the evidence plugin (bib_files: [refs.bib], cite_this_page: <a key>, interfaces)

Figures: scripts/BENCHMARK.md, "Page metadata".
"""
import gc, os, statistics, sys, time
os.environ["NO_MKDOCS_2_WARNING"] = "1"
import logging; logging.disable(logging.WARNING)
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_plugins.evidence import assembly, coins

config_file, out, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
spent = [0.0]

def timed(function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start
    return wrapper

assembly.SiteAssembly.page_head = timed(assembly.SiteAssembly.page_head)
coins.coins_html = timed(coins.coins_html)
builds, parts = [], []
for i in range(repeat + 1):
    cfg = load_config(config_file, site_dir=out, strict=False)
    cfg.plugins.on_startup(command="build", dirty=False)
    gc.collect()
    spent[0] = 0.0
    start = time.process_time()
    build(cfg)
    total = time.process_time() - start
    cfg.plugins.on_shutdown()
    if i:  # the first build warms the cache
        builds.append(total); parts.append(spent[0])
b, p = statistics.median(builds), statistics.median(parts)
print(f"{config_file}: build CPU {b:.2f} s, of which page metadata + COinS {p*1000:.0f} ms ({p / b * 100:.1f}%), median of {repeat} warm builds")
