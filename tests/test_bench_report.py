"""scripts/bench.py's report: the ratios the scale targets of issue 15 are judged by."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["bench"] = bench
spec.loader.exec_module(bench)
import bench_sites  # noqa: E402  (scripts/, on the path once bench.py is loaded)


def variant(name: str, samples: list[tuple[float, float, int | None]]):
    v = bench.Variant(name=name, py=Path("python"), config=Path(f"mkdocs.{name}.yml"))
    v.samples = [{"seconds": s, "cpu_seconds": c, "instructions": i, "max_rss_mb": 40.0, "returncode": 0}
                 for s, c, i in samples]
    return v


def test_ratios_are_of_medians_in_seconds_cpu_and_instructions():
    rows = bench.summarise("medium", "200 p", [
        variant("plain", [(4.0, 3.0, 100), (9.0, 8.0, 100), (5.0, 4.0, 102)]),
        variant("plain-pages", [(4.4, 3.3, 110), (4.4, 3.3, 110), (4.4, 3.3, 110)]),
        variant("plain-content", [(4.8, 4.0, 120), (4.8, 4.0, 120), (4.8, 4.0, 120)]),
        variant("evidence-warm", [(6.0, 6.0, 135), (5.5, 5.0, 134), (30.0, 30.0, 136)]),
    ])
    evidence = rows[3]
    assert evidence["ratio_to_plain"] == 6.0 / 5.0  # the median, not the mean or the last run
    assert evidence["cpu_ratio_to_plain"] == 6.0 / 4.0
    assert evidence["min_cpu_s"] == 5.0
    assert evidence["instructions_ratio_to_plain"] == 135 / 100
    assert evidence["instructions_ratio_to_plain_pages"] == 135 / 110
    assert evidence["instructions_ratio_to_plain_content"] == 135 / 120  # the plugin's own work
    assert evidence["cpu_ratio_to_plain_content"] == 6.0 / 4.0
    table = bench.markdown_table(rows)
    assert "| medium | evidence-warm | 135 | 1.350× | 1.227× | 1.125× |" in table
    assert "| medium (200 p) | evidence-warm | 6.00 | 5.50 | 1.20× | 1.36× | 6.00 | 5.00 | 1.50× / 1.82× |" in table


def test_no_instruction_table_when_builds_were_only_timed():
    rows = bench.summarise("small", "", [variant("plain", [(1.0, 1.0, None)]), variant("evidence-warm", [(1.2, 1.1, None)])])
    assert "instructions" not in rows[1]
    assert "valgrind" not in bench.markdown_table(rows)


def test_valgrind_summary_line_is_read():
    # The end of a real `valgrind --tool=callgrind` run's output (stderr).
    text = "==25736== Events    : Ir\n==25736== Collected : 20418874761\n==25736== \n==25736== I   refs:      20,418,874,761\n"
    assert int(bench.COLLECTED_RE.search(text).group(1)) == 20418874761


def _article(html: str) -> str:
    """The page's content as the theme shows it: Material's <article>, without the blank lines its
    template leaves where a page's front matter (a generated page has none) turns parts off."""
    start = html.index('<article class="md-content__inner md-typeset">')
    return "\n".join(line for line in html[start:html.index("</article>", start)].splitlines() if line.strip())


def test_plain_content_serves_the_evidence_builds_content_without_the_plugin(tmp_path):
    """plain-content is the floor the plugin's own work is measured above: the same pages, with
    the evidence build's final content and search text, rendered by the theme without the plugin."""
    site = bench_sites.write_site(tmp_path / "site", pages=12, entries=150, cites=8, seed=3)
    py = Path(sys.executable)
    variants = {v.name: v for v in bench.synthetic_configs(site, "tiny", bench.probe(py), py,
                                                            ["plain-pages", "plain-content", "evidence-warm"])}
    content = variants["plain-content"]
    config = bench.yaml.safe_load(content.config.read_text())
    assert config["plugins"] == ["search"] and config["hooks"] == ["bench_content.py"]

    def build(config: Path, out: Path) -> Path:
        subprocess.run([str(py), "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
                       check=True, cwd=config.parent, capture_output=True)
        return out

    build(content.source, tmp_path / "source")
    served = build(content.config, tmp_path / "plain-content")
    evidence = build(variants["evidence-warm"].config, tmp_path / "evidence")
    stubs = build(variants["plain-pages"].config, tmp_path / "plain-pages")

    pages = sorted(path.relative_to(evidence) for path in evidence.rglob("index.html") if "search" not in path.parts)
    letter_pages = [page for page in pages if page.parts[0] == "references" and len(page.parts) == 3]
    assert letter_pages, "150 works: References is split into letter pages"
    for page in pages:
        assert _article((served / page).read_text()) == _article((evidence / page).read_text()), page
    letter = letter_pages[0]
    assert 'id="ref-' in _article((served / letter).read_text())
    assert 'id="ref-' not in _article((stubs / letter).read_text())  # the stub it replaced
    # Search indexes the same text: the notes and link lists left out, as the plugin gives it (the
    # order differs: MkDocs builds generated pages last, stubs among the others).
    def index(site: Path):
        data = json.loads((site / "search/search_index.json").read_text())
        return data["config"], sorted(data["docs"], key=lambda doc: doc["location"])
    assert index(served) == index(evidence)
    assert index(stubs) != index(evidence)
