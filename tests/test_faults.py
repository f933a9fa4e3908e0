"""Faults around the cache folder and the .bib file: builds killed mid-write, builds running at
once, a cache that cannot be written, an editor's save caught half-way. Each must leave the
site correct and the cache folder tidy."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

from conftest import build_site, set_plugin_options
from mkdocs_plugins.evidence.cache import KEEP

BUILD = ("import sys; from mkdocs.config import load_config; from mkdocs.commands.build import build;"
         "c = load_config(sys.argv[1], site_dir=sys.argv[2]); c.plugins.on_startup(command='build', dirty=False);"
         "build(c)")


def built(site: Path) -> dict[str, bytes]:
    """Every file of a built site except search (its order is not ours), as bytes."""
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and "search" not in p.parts}


def cache_folder(project: Path) -> Path:
    return project / ".cache" / "evidence"


def killed_build(project: Path, patch: str) -> subprocess.CompletedProcess:
    """A build in its own process that SIGKILLs itself where `patch` says, half-way through a write."""
    script = "import os, signal, json\n" + patch + "\n" + BUILD
    return subprocess.run([sys.executable, "-c", script, str(project / "mkdocs.yml"), str(project / "killed")],
                          capture_output=True, text=True, timeout=600)


def test_a_build_killed_while_writing_the_cache_leaves_nothing_the_next_build_keeps(fixture_project):
    in_exports = ("import mkdocs_plugins.evidence.library_exports as module\n"
                  "write = module._write_entries\n"
                  "def killer(path, exports):  # the entries database written, the folder not yet complete\n"
                  "    write(path, exports); os.kill(os.getpid(), signal.SIGKILL)\n"
                  "module._write_entries = killer")
    in_library = ("import mkdocs_plugins.evidence.cache as module\n"
                  "row = module._row\n"
                  "def killer(position, work):  # a few works written, the file not yet complete\n"
                  "    if position == 3: os.kill(os.getpid(), signal.SIGKILL)\n"
                  "    return row(position, work)\n"
                  "module._row = killer")
    for patch, leftover in ((in_exports, ".exports-"), (in_library, ".library-")):
        result = killed_build(fixture_project, patch)
        assert result.returncode == -9, result.stderr[-2000:]
        assert any(p.name.startswith(leftover) for p in cache_folder(fixture_project).iterdir())
    after_kills = built(build_site(fixture_project, strict=True))
    assert not [p.name for p in cache_folder(fixture_project).iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    set_plugin_options(fixture_project, cache=False)
    assert built(build_site(fixture_project, strict=True)) == after_kills


def test_the_cache_folder_keeps_only_the_newest_few_libraries(fixture_project):
    bib = fixture_project / "bib" / "refs.bib"
    original = bib.read_text()
    for save in range(KEEP + 3):
        bib.write_text(original + f"\n% save {save}\n")
        build_site(fixture_project, strict=True)
    names = sorted(p.name for p in cache_folder(fixture_project).iterdir())
    assert len([n for n in names if n.startswith("library-")]) == KEEP
    assert len([n for n in names if n.startswith("exports-")]) == KEEP
    # The entry in use is one of those kept: a warm build finds it and changes nothing.
    before = {p.name: p.stat().st_mtime_ns for p in cache_folder(fixture_project).glob("library-*")}
    build_site(fixture_project, strict=True)
    assert {p.name for p in cache_folder(fixture_project).glob("library-*")} == set(before)


def test_concurrent_cold_builds_all_succeed_and_agree(fixture_project):
    sites = [fixture_project / f"site-{n}" for n in range(4)]
    runs = [subprocess.Popen([sys.executable, "-c", BUILD, str(fixture_project / "mkdocs.yml"), str(site)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for site in sites]
    for run in runs:
        _, stderr = run.communicate(timeout=900)
        assert run.returncode == 0, stderr[-2000:]
    first = built(sites[0])
    assert all(built(site) == first for site in sites[1:])
    assert not [p.name for p in cache_folder(fixture_project).iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_a_cache_folder_that_cannot_be_written_still_builds_the_same_site(fixture_project):
    expected = built(build_site(fixture_project, strict=True))
    # Tests run as root here, which ignores permission bits: a file where the folder should be
    # makes every write fail as a read-only folder would.
    blocked = fixture_project / "blocked"
    blocked.write_text("not a folder")
    set_plugin_options(fixture_project, cache_dir="blocked/evidence")
    assert built(build_site(fixture_project, strict=True)) == expected


def test_a_full_disk_while_writing_the_cache_still_builds_and_leaves_no_partial_file(fixture_project, monkeypatch):
    import mkdocs_plugins.evidence.cache as cache

    expected = built(build_site(fixture_project, strict=True))
    for path in sorted(cache_folder(fixture_project).iterdir()):  # cold again
        subprocess.run(["rm", "-rf", str(path)], check=True)

    row = cache._row

    def full(position, work):  # a few works written, then the disk is full
        if position == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return row(position, work)

    monkeypatch.setattr(cache, "_row", full)
    assert built(build_site(fixture_project, strict=True)) == expected
    assert not list(cache_folder(fixture_project).glob("library-*")) + list(cache_folder(fixture_project).glob("*.tmp"))
    assert not [p for p in cache_folder(fixture_project).iterdir() if p.name.startswith(".")]


def test_a_bib_caught_half_saved_then_saved_builds_the_full_library(fixture_project, expect_warnings):
    """An editor's save truncates the file, then writes it: `mkdocs serve` may rebuild in between."""
    expected = built(build_site(fixture_project, strict=True))
    bib = fixture_project / "bib" / "refs.bib"
    full = bib.read_text()
    expect_warnings("not in the bibliography", "malformed BibTeX", "has no year", "has no author")
    for partial in ("", full[: len(full) // 2], full[: len(full) // 3] + "@misc{"):
        bib.write_text(partial)
        build_site(fixture_project, strict=False)  # warnings, never a traceback
    bib.write_text(full)
    assert built(build_site(fixture_project, strict=True)) == expected
