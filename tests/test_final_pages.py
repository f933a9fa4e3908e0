"""Each page's final HTML is written as MkDocs writes the page, unless a hook reads pages in on_env.

Real Material builds of the fixture site: the site is the same either way, and a hook handling
on_env after the plugin (the review's print view does) still reads every page's final HTML there.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import yaml

from conftest import build_site


def use_hooks(project: Path, **hooks: str) -> None:
    """Write each hook's source to `project/<name>.py` and make them mkdocs.yml's hooks, in order."""
    for name, source in hooks.items():
        (project / f"{name}.py").write_text(source)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["hooks"] = [f"{name}.py" for name in hooks]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))

# A hook that reads every page in on_env, after the plugin, the way hooks/print_view.py does.
READER_HOOK = '''
import json
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-200)
def on_env(env, config, files):
    seen = {file.src_uri: file.page.content for file in files.documentation_pages() if file.page is not None}
    Path(config.config_file_path).with_name("seen.json").write_text(json.dumps(seen))
    return env
'''


# A plugin reading each page as MkDocs writes it, after every other (scripts/site_snapshot.py does).
WRITER_HOOK = '''
import json
from pathlib import Path

from mkdocs.plugins import event_priority

seen = {}


@event_priority(-1000)
def on_post_page(output, page, config):
    seen[page.file.src_uri] = page.content
    Path(config.config_file_path).with_name("written.json").write_text(json.dumps(seen))
    return output
'''


def test_a_hook_reading_each_page_as_it_is_written_sees_its_final_html(fixture_project):
    use_hooks(fixture_project, writer=WRITER_HOOK)
    build_site(fixture_project)
    written = json.loads((fixture_project / "written.json").read_text())
    assert '<ol class="evidence-notes">' in written["factors/key-worker.md"]
    assert 'class="evidence-references"' in written["references.md"]


def _differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [str(left / name) for name in comparison.left_only + comparison.right_only]
    found += [str(left / name) for name in comparison.common_files
              if not filecmp.cmp(left / name, right / name, shallow=False)]
    for name in comparison.common_dirs:
        found += _differences(left / name, right / name)
    return found


def test_a_hook_reading_pages_in_on_env_sees_final_html_and_the_site_is_the_same(fixture_project, tmp_path):
    one_at_a_time = build_site(fixture_project)
    kept = shutil.copytree(one_at_a_time, tmp_path / "one-at-a-time")

    use_hooks(fixture_project, reader=READER_HOOK)
    shutil.rmtree(one_at_a_time)
    all_at_once = build_site(fixture_project)

    assert _differences(kept, all_at_once) == []
    seen = json.loads((fixture_project / "seen.json").read_text())
    # The hook read each page as readers get it: markers numbered, Notes written, References listed.
    assert '<ol class="evidence-notes">' in seen["factors/key-worker.md"]
    assert "evidence:" not in seen["factors/key-worker.md"]  # no marker left for the plugin to fill
    assert 'class="evidence-references"' in seen["references.md"]
    notes = (kept / "factors" / "key-worker" / "index.html").read_text()
    assert '<ol class="evidence-notes">' in notes


# Takes a weak reference to the plugin's state of the build, and looks at it where Material's
# search plugin writes its index (on_post_build, priority 0): the peak of a large build.
RELEASE_HOOK = '''
import gc
import json
import weakref
from pathlib import Path

from mkdocs.plugins import event_priority

state = {}


@event_priority(1000)  # before the evidence plugin's own on_env, which stays the last one
def on_env(env, config, files):
    state["site"] = weakref.ref(config.plugins["evidence"].site)
    return env


@event_priority(0)
def on_post_build(config):
    Path(config.config_file_path).with_name("released.json").write_text(json.dumps(state["site"]() is None))
'''


def test_the_sites_state_is_let_go_before_search_writes_its_index(fixture_project):
    """At 10,000 works the library, citations and graph are 20 MB that the search index's
    serialisation would otherwise add to (scripts/BENCHMARK.md, scale targets of issue 15)."""
    use_hooks(fixture_project, release=RELEASE_HOOK)
    site = build_site(fixture_project)
    assert json.loads((fixture_project / "released.json").read_text()) is True
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(doc["location"].startswith("references/") for doc in index["docs"])


def test_generated_html_given_in_parts_is_placed_as_the_joined_string():
    from mkdocs_plugins.evidence.final_pages import placed

    parts = ["<ul>", "<li>Dvořák</li>", "</ul>"]
    for text in ["<p>a</p>M<p>b</p>", "M", "<p>a</p>M<p>b</p>M", "no marker"]:
        assert placed(text, "M", parts) == text.replace("M", "".join(parts))
        assert placed(text, "M", "<i>x</i>") == text.replace("M", "<i>x</i>")
    assert parts == ["<ul>", "<li>Dvořák</li>", "</ul>"]  # the parts are not changed


# Notes which pages' final HTML left the evidence map in parts, to be joined into the written page.
DEFER_SPY = '''
import json
from pathlib import Path

from mkdocs.plugins import event_priority

deferred = []


@event_priority(1000)  # before the evidence plugin's own on_env, which stays the last one
def on_env(env, config, files):
    deferred.clear()  # the module is loaded once per process, the build may be a second one
    site = config.plugins["evidence"].site
    final_page = site.final_page

    def spy(src_uri, page, defer=False):
        final = final_page(src_uri, page, defer)
        if final.parts is not None:
            deferred.append(src_uri)
        return final
    site.final_page = spy
    return env


def on_post_build(config):
    Path(config.config_file_path).with_name("deferred.json").write_text(json.dumps(deferred))
'''

# Another plugin reading the written page: the map must then be whole in on_post_page.
POST_PAGE_READER = '''
def on_post_page(output, page, config):
    return output
'''


def test_the_evidence_map_joined_into_the_written_page_reads_as_when_whole(fixture_project, tmp_path):
    """With no other plugin reading pages after this one, the map's parts are joined into the
    page the theme rendered (one copy of 10 MB at 1,000 pages, not three); the site is the same
    as when another plugin's on_post_page needs the map whole in the page."""
    use_hooks(fixture_project, spy=DEFER_SPY)
    deferred = shutil.copytree(build_site(fixture_project), tmp_path / "deferred")
    assert json.loads((fixture_project / "deferred.json").read_text()) == ["evidence-map.md"]

    use_hooks(fixture_project, spy=DEFER_SPY, reader=POST_PAGE_READER)
    whole = build_site(fixture_project)
    assert json.loads((fixture_project / "deferred.json").read_text()) == []
    assert _differences(deferred, whole) == []
    page = (whole / "evidence-map" / "index.html").read_text()
    assert page.count('<table class="evidence-map">') == 1 and "evidence:" not in page


# Another plugin reading the written site before the evidence plugin's on_post_build, with the
# evidence map written last (a hook moves it to the end of the files MkDocs writes in turn).
EARLY_SITE_READER = '''
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files


def on_files(files, config):
    map_last = sorted(files, key=lambda file: file.src_uri == "evidence-map.md")
    return Files(map_last)


@event_priority(200)
def on_post_build(config):
    page = Path(config.site_dir, "evidence-map", "index.html").read_text(encoding="utf-8")
    Path(config.config_file_path).with_name("map-seen.html").write_text(page, encoding="utf-8")
'''


def test_a_plugin_reading_the_site_before_this_ones_post_build_finds_the_map_whole(fixture_project, tmp_path):
    """A plugin whose on_post_build runs before this plugin's reads the written map page whole
    (not the marker it is rendered around when nothing else reads pages), even when it is the
    last page MkDocs writes."""
    use_hooks(fixture_project, spy=DEFER_SPY, early=EARLY_SITE_READER)
    site = build_site(fixture_project)
    assert json.loads((fixture_project / "deferred.json").read_text()) == []
    seen = (fixture_project / "map-seen.html").read_text(encoding="utf-8")
    assert seen == (site / "evidence-map" / "index.html").read_text(encoding="utf-8")
    assert seen.count('<table class="evidence-map">') == 1 and "evidence:" not in seen


def test_without_mkdocs_registry_of_handlers_every_page_is_written_the_safe_way(fixture_project, tmp_path, monkeypatch):
    """MkDocs' registry of each event's handlers is not a documented API. Where a MkDocs keeps
    it elsewhere, the plugin writes every final page in on_env and the map whole: the same site."""
    from mkdocs_plugins.evidence import plugin

    use_hooks(fixture_project, spy=DEFER_SPY)
    usual = shutil.copytree(build_site(fixture_project), tmp_path / "usual")
    assert json.loads((fixture_project / "deferred.json").read_text()) == ["evidence-map.md"]

    monkeypatch.setattr(plugin, "_handlers", lambda config: None)
    safe = build_site(fixture_project)
    assert json.loads((fixture_project / "deferred.json").read_text()) == []
    assert _differences(usual, safe) == []
