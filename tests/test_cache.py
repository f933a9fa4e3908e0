"""The on-disk library cache: what invalidates it, what it ignores, and that it changes nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import build_site, set_plugin_options
from mkdocs_plugins.evidence.cache import cache_key

SOURCES = [("@misc{k, author = {A, B}, year = {2000}}", "bib/refs.bib")]


def key(**overrides):
    options = {"version": "1", "language": "en", "unverified_marker": "not verified"} | overrides
    return cache_key(SOURCES, **options)


def test_key_changes_with_bib_text_version_and_options():
    assert key() == key()
    assert key(version="2") != key()
    assert key(unverified_marker="unchecked") != key()
    assert cache_key([("@misc{k, author = {A, B}, year = {2001}}", "bib/refs.bib")], version="1",
                     language="en", unverified_marker="not verified") != key()


def test_key_changes_when_the_formatting_code_changes(tmp_path):
    from mkdocs_plugins.evidence import cache

    assert key(code="a") != key(code="b")
    folder = tmp_path / "evidence"
    folder.mkdir()
    for module in Path(cache.__file__).parent.glob("*.py"):
        (folder / module.name).write_bytes(module.read_bytes())
    before = cache.code_fingerprint(folder)
    assert before == cache.code_fingerprint()  # the same files: the same fingerprint
    (folder / "harvard.py").write_text((folder / "harvard.py").read_text() + "\n# edited\n")
    assert cache.code_fingerprint.__wrapped__(folder) != before
    (folder / "weblinks.py").write_text((folder / "weblinks.py").read_text() + "\n# edited\n")
    edited_helper = cache.code_fingerprint.__wrapped__(folder)
    (folder / "weblinks.py").write_bytes((Path(cache.__file__).parent / "weblinks.py").read_bytes())
    assert edited_helper != cache.code_fingerprint.__wrapped__(folder)  # any module, not a list


def site_html(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def cache_files(project):
    return sorted((project / ".cache" / "evidence").glob("library-*.sqlite"))


def site_files(site):
    """Pages and the library exports (references.bib/.ris/.json), as bytes."""
    return site_html(site) | {name: (site / name).read_bytes() for name in ("references.bib", "references.ris", "references.json")}


def test_warm_and_cold_builds_are_byte_identical(fixture_project):
    cold = site_files(build_site(fixture_project, strict=True))
    assert len(cache_files(fixture_project)) == 1
    warm = site_files(build_site(fixture_project, strict=True))
    assert cold == warm


def test_a_damaged_exports_cache_is_rebuilt_not_trusted(fixture_project):
    set_plugin_options(fixture_project, cite_this_page="cheminais2009")
    good = site_files(build_site(fixture_project, strict=True))
    (folder,) = (fixture_project / ".cache" / "evidence").glob("exports-*")
    entries = folder / "entries.sqlite"
    count = rows(entries, "entries")
    damages = [
        lambda: entries.write_text("{not json"),
        lambda: entries.write_bytes(entries.read_bytes()[: entries.stat().st_size // 2]),  # cut short
        lambda: change(entries, "DELETE FROM entries WHERE position > 0"),  # a database of one entry
        lambda: (folder / "references.ris").unlink(),
        lambda: (folder / "key").write_text("another key"),
    ]
    for damage in damages:
        damage()
        assert site_files(build_site(fixture_project, strict=True)) == good
        assert rows(entries, "entries") == count  # repaired


def test_a_changed_bib_makes_a_new_cache_entry_and_new_output(fixture_project):
    build_site(fixture_project, strict=True)
    bib = fixture_project / "bib" / "refs.bib"
    bib.write_text(bib.read_text().replace("Effective Multi-Agency Partnerships", "Effective Partnerships, revised"))
    site = build_site(fixture_project, strict=True)
    assert len(cache_files(fixture_project)) == 2
    assert "Effective Partnerships, revised" in (site / "references" / "index.html").read_text()


def rows(path, table):
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def change(path, statement):
    connection = sqlite3.connect(path)
    connection.execute(statement)
    connection.commit()
    connection.close()


def dump(path):
    connection = sqlite3.connect(path)
    lines = list(connection.iterdump())
    connection.close()
    return lines


def test_a_corrupt_cache_file_is_ignored_and_rewritten(fixture_project):
    good_site = site_html(build_site(fixture_project, strict=True))
    (path,) = cache_files(fixture_project)
    good, good_bytes = dump(path), path.read_bytes()
    corruptions = [
        lambda: path.write_text("{not json"),
        lambda: path.write_text(""),
        lambda: path.write_bytes(good_bytes[: len(good_bytes) // 2]),  # cut short
        lambda: change(path, "UPDATE meta SET value = '1' WHERE name = 'format'"),  # another format
        lambda: change(path, "UPDATE meta SET value = 'x' WHERE name = 'key'"),  # another library
        lambda: change(path, "UPDATE works SET heavy = '{\"fields\"' WHERE lower = 'abbott2005a'"),
        lambda: change(path, "UPDATE works SET light = '[1, 2]' WHERE lower = 'abbott2005a'"),
        lambda: change(path, "DROP TABLE works"),
    ]
    for corrupt in corruptions:
        corrupt()
        assert site_html(build_site(fixture_project, strict=True)) == good_site
        assert dump(path) == good


def test_a_warm_build_reads_each_cited_reference_from_the_cache_once(fixture_project):
    """Notes, previews and the References page show a work's reference many times; the cache
    file is asked for it once (the last 1,024 read are kept)."""
    from mkdocs_plugins.evidence.cache import LibraryCache

    build_site(fixture_project, strict=True)
    (path,) = cache_files(fixture_project)
    connection = sqlite3.connect(path)
    library_key = dict(connection.execute("SELECT name, value FROM meta"))["key"]
    connection.close()
    library, _ = LibraryCache(path.parent).load(library_key)
    store = library.works["abbott2005a"]._store
    queries = []
    store.connection.set_trace_callback(queries.append)
    texts = [library.works[lower].reference_html for lower in ["abbott2005a", *library.works, "abbott2005a"]]
    assert texts[0] == texts[-1] and "Abbott" in texts[0]
    assert sum("reference_html" in query for query in queries) == len(library.works)


def test_a_pages_references_are_read_from_the_cache_in_one_query(fixture_project):
    """At 10,000 works the works a page's notes show are rarely among the last 1,024 read: the
    page asks for all of them at once, then each note reads its references from memory."""
    from mkdocs_plugins.evidence.cache import LibraryCache

    build_site(fixture_project, strict=True)
    (path,) = cache_files(fixture_project)
    connection = sqlite3.connect(path)
    library_key = dict(connection.execute("SELECT name, value FROM meta"))["key"]
    one_by_one = dict(connection.execute("SELECT lower, reference_html FROM works"))
    connection.close()
    library, _ = LibraryCache(path.parent).load(library_key)
    queries = []
    library.store.connection.set_trace_callback(queries.append)
    page = [work.key for work in list(library.works.values())[:12]]
    library.read_references([*page, page[0].upper()])  # a key cited twice, written another way
    texts = [library.get(key).reference_html for key in page]
    assert texts == [one_by_one[key.lower()] for key in page] and all(texts)
    assert len(queries) == 1
    library.read_references(page)  # kept already: nothing asked
    assert len(queries) == 1


def stored_library(project):
    """The library a warm build of `project` reads, and the one-by-one answers of its cache file."""
    from mkdocs_plugins.evidence.cache import LibraryCache

    build_site(project, strict=True)
    (path,) = cache_files(project)
    connection = sqlite3.connect(path)
    library_key = dict(connection.execute("SELECT name, value FROM meta"))["key"]
    rows = {lower: (html, coins) for lower, html, coins in connection.execute(
        "SELECT lower, reference_html, coins_html FROM works")}
    connection.close()
    return LibraryCache(path.parent).load(library_key)[0], rows


def test_a_references_pages_coins_are_read_from_the_cache_in_one_query(fixture_project):
    """A References page of 100 works asks for their COinS spans in one query, not one a work."""
    library, rows = stored_library(fixture_project)
    queries = []
    library.store.connection.set_trace_callback(queries.append)
    page = [work.key for work in library.works.values() if rows[work.key.lower()][1]][:12]
    library.read_coins([*page, page[0].upper()])
    spans = [library.get(key).coins_html for key in page]
    assert spans == [rows[key.lower()][1] for key in page] and all('class="Z3988"' in span for span in spans)
    assert len(queries) == 1
    assert library.get(page[0]).coins_html == spans[0]  # handed out once, then let go: the file again
    assert len(queries) == 2


def test_the_works_to_format_are_found_in_one_query(fixture_project):
    """Which listed works have no formatted reference in the cache: one query, not a read of
    every reference (10,000 at 10,000 works); the same answer as reading each."""
    from mkdocs_plugins.evidence.bibliography import Work

    bib = fixture_project / "bib" / "refs.bib"
    bib.write_text(bib.read_text() + "\n@misc{neverCited, author = {Q, R}, year = {2001}, title = {Not listed}}\n")
    library, rows = stored_library(fixture_project)
    works = list(library.works.values())
    blank = [work for work in works if not rows[work.key.lower()][0]]
    assert [work.key for work in blank] == ["neverCited"]  # no page cites it: never formatted
    queries = []
    library.store.connection.set_trace_callback(queries.append)
    assert library.unformatted(works) == blank
    assert len(queries) == 1 and not any("reference_html FROM" in query for query in queries)
    set_this_build = Work.reference_html.set_this_build
    assert set_this_build(blank[0]) is None and set_this_build(works[0]) is None  # only the file holds them
    assert len(queries) == 1  # and asking did not read it
    blank[0].reference_html = "<p>formatted this build</p>"  # formatted now: not asked again
    assert set_this_build(blank[0]) == "<p>formatted this build</p>"
    assert library.unformatted(works) == []


def test_works_compare_without_reading_the_cache(fixture_project):
    """Two works are equal when they are the same entry of the same text, from what is held in
    memory: comparing works read from the cache asks the cache file for nothing."""
    from mkdocs_plugins.evidence.bibliography import load_library
    from mkdocs_plugins.evidence.problems import ProblemList

    library, _ = stored_library(fixture_project)
    bib = fixture_project / "bib" / "refs.bib"
    parsed = load_library([(bib.read_text(encoding="utf-8"), "bib/refs.bib")], ProblemList())
    queries = []
    library.store.connection.set_trace_callback(queries.append)
    stored = list(library.works.values())
    assert stored == list(parsed.works.values())  # the same entries, read from the cache or parsed
    assert stored[0] != stored[1] and stored[0] != parsed.works[stored[1].key.lower()]
    assert queries == []


def test_entries_files_read_the_cache_a_chunk_at_a_time(fixture_project, monkeypatch):
    """An entries file (a References page's BibTeX and RIS) reads its entries in one query per
    chunk (500; 4 here), with the same text as reading each entry alone."""
    from mkdocs_plugins.evidence import cache, library_exports
    from mkdocs_plugins.evidence.exports import entries_json
    from mkdocs_plugins.evidence.strings import strings_for

    library, _ = stored_library(fixture_project)
    (folder,) = (fixture_project / ".cache" / "evidence").glob("exports-*")
    works = list(library.works.values())
    one_by_one = library_exports._open_entries(folder / "entries.sqlite", len(works))
    one_by_one.read_each = iter  # each entry read alone when asked for
    at_once = library_exports._open_entries(folder / "entries.sqlite", len(works))
    queries = []
    at_once._connection.set_trace_callback(queries.append)
    monkeypatch.setattr(cache, "READ_AT_ONCE", 4)  # the one limit, cache.ReadAhead's
    strings = strings_for("en")
    text = entries_json(works, at_once, strings)
    assert text == entries_json(works, one_by_one, strings)
    assert len(works) > 8 and len(queries) == -(-len(works) // 4)
    at_once.read(work.key.lower() for work in works)  # more than a chunk at once: none held
    assert at_once.stems[works[0].key.lower()] == one_by_one.stems[works[0].key.lower()]
    assert len(queries) == -(-len(works) // 4) + 1
    queries.clear()  # a References page's export buttons: their stems only, in one query
    page = [work.key.lower() for work in works[:3]]
    at_once.read(page, ("stem",))
    assert [at_once.stems[lower] for lower in page] == [one_by_one.stems[lower] for lower in page]
    assert len(queries) == 1 and "bibtex" not in queries[0]
    assert at_once.bibtex[page[0]] == one_by_one.bibtex[page[0]] and len(queries) == 2  # not read with them


def test_a_rebuild_reads_each_bib_file_once(fixture_project, monkeypatch):
    """What rebuilds from the .bib text (the exports of an unreadable cache) reads each file once
    and checks it against the cache key once, not once per item it asks for, and lets it go."""
    from mkdocs_plugins.evidence.library_exports import build_exports
    from mkdocs_plugins.evidence.options import Options
    from mkdocs_plugins.evidence.site_library import SiteLibrary

    (fixture_project / "bib" / "more.bib").write_text(
        "@misc{zz2001, author = {Q, R}, year = {2001}, title = {More}}\n", encoding="utf-8")
    read_text, reads = Path.read_text, []

    def counted(path, *args, **kwargs):
        reads.append(path.name)
        return read_text(path, *args, **kwargs)

    for files in (["bib/refs.bib"], ["bib/refs.bib", "bib/more.bib"]):
        library = SiteLibrary(Options.from_mapping({"bib_files": files}), fixture_project)
        texts = [read_text(fixture_project / name, encoding="utf-8") for name in files]
        reads.clear()
        with monkeypatch.context() as patched:
            patched.setattr(Path, "read_text", counted)
            exports = build_exports(library.library, library.sources)
        assert sorted(reads) == sorted(Path(name).name for name in files)
        if len(files) == 1:
            assert exports.library_bibtex == texts[0]
        else:
            assert all(f"% ---- {name} ----" in exports.library_bibtex for name in files)
            assert "zz2001" in exports.bibtex and "zz2001" in exports.library_bibtex


def test_a_warm_build_reads_each_references_coins_from_the_cache(fixture_project, monkeypatch):
    """The COinS span under each reference is made once, kept with the reference (at 10,000 works
    making them took 2 s of every build); a warm build shows the same spans without making any."""
    from mkdocs_plugins.evidence import coins

    cold = site_files(build_site(fixture_project, strict=True))
    (path,) = cache_files(fixture_project)
    connection = sqlite3.connect(path)
    stored = dict(connection.execute("SELECT lower, coins_html FROM works WHERE reference_html != ''"))
    connection.close()
    references = "\n".join(text.decode() for name, text in cold.items() if name.startswith("references/"))
    assert stored and all(span.startswith('<span class="Z3988"') and span in references for span in stored.values())

    def made(work):
        raise AssertionError(f"COinS of {work.key} made again on a warm build")

    monkeypatch.setattr(coins, "coins_span", made)
    assert site_files(build_site(fixture_project, strict=True)) == cold


def test_bib_problems_are_reported_on_warm_builds_too(fixture_project, caplog, expect_warnings):
    bib = fixture_project / "bib" / "refs.bib"
    bib.write_text(bib.read_text() + "\n@misc{noyear, author = {Q, R}}\n")
    expect_warnings("noyear")
    for _ in range(2):
        caplog.clear()
        build_site(fixture_project, strict=False)
        assert any("entry 'noyear' has no year" in r.getMessage() for r in caplog.records)


def test_cache_can_be_turned_off(fixture_project):
    set_plugin_options(fixture_project, cache=False)
    build_site(fixture_project, strict=True)
    assert cache_files(fixture_project) == []


def test_a_warm_build_does_not_import_pybtex(fixture_project):
    build_site(fixture_project, strict=True)
    script = (
        "import sys; from mkdocs.config import load_config; from mkdocs.commands.build import build;"
        f"c = load_config({str(fixture_project / 'mkdocs.yml')!r}, site_dir={str(fixture_project / 'site2')!r});"
        "c.plugins.on_startup(command='build', dirty=False); build(c);"
        "print('pybtex' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_bib_text_is_read_again_when_a_rebuild_needs_it_and_must_be_the_same(fixture_project):
    """A warm build holds no .bib text (10,000 works: 3 MB): what rebuilds from it (the exports of
    an unreadable cache) reads the file again, and a file edited since the build began is an
    error, never exports of one text beside a library of another."""
    from mkdocs_plugins.evidence.options import Options
    from mkdocs_plugins.evidence.problems import SiteError
    from mkdocs_plugins.evidence.site_library import SiteLibrary

    bib = fixture_project / "bib" / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    library = SiteLibrary(Options.from_mapping({"bib_files": ["bib/refs.bib"]}), fixture_project)
    assert not any(isinstance(value, str) and value == text for value in vars(library).values())
    assert list(library.sources) == [(text, "bib/refs.bib")] and len(library.sources) == 1
    bib.write_text(text.replace("Effective Multi-Agency Partnerships", "Effective Partnerships"), encoding="utf-8")
    try:
        list(library.sources)
    except SiteError as error:
        assert "bib/refs.bib changed" in str(error) and "Build again" in str(error)
    else:
        raise AssertionError("an edited .bib was read as the build's library")
