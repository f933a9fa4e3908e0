"""mkdocs-bibtex parity: its own example site (tests/fixtures/mkdocs_bibtex_example, copied with its
licence) with only the plugin name changed, and each behaviour its users rely on."""

from __future__ import annotations

import http.server
import logging
import re
import shutil
import socket
import threading
from pathlib import Path

import pytest
import yaml

from conftest import REPO, build_site, set_plugin_options

from mkdocs_plugins.evidence.compat import ignored_options_warning, replace_commands

EXAMPLE = REPO / "tests" / "fixtures" / "mkdocs_bibtex_example"


def renamed(source: Path, tmp_path: Path) -> Path:
    project = tmp_path / source.name
    shutil.copytree(source, project)
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert text.count("  - bibtex:") == 1
    config.write_text(text.replace("  - bibtex:", "  - evidence:"))
    return project


def evidence_messages(caplog, level=logging.WARNING) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.evidence" and r.levelno == level]


def test_mkdocs_bibtex_example_site_builds_with_only_the_plugin_name_changed(tmp_path, caplog, expect_warnings):
    project = renamed(EXAMPLE, tmp_path)
    # What the example itself expects: its [@nonexistent] "should fail on --strict mode".
    expect_warnings("csl_file", "nonexistent")
    site = build_site(project)
    home = (site / "index.html").read_text()
    assert len(re.findall(r'<sup class="evidence-ref"', home)) == 4
    # "## Bibliography" then \bibliography: the Notes, and no empty Bibliography section above them.
    assert 'id="notes"' in home and 'id="bibliography"' not in home and "\\bibliography" not in home
    full = (site / "full_bib" / "index.html").read_text()
    assert sorted(re.findall(r'<li id="ref-([^"]+)" class="evidence-reference">', full)) == [
        "Bivort2016", "test", "test2", "test_citavi"]
    warnings = evidence_messages(caplog)
    assert any(m.startswith("mkdocs-bibtex option(s) csl_file in mkdocs.yml have no effect") for m in warnings)
    assert any("'nonexistent'" in m and m.startswith("docs/index.md:11:") for m in warnings)


@pytest.mark.parametrize("command, listed", [("\\bibliography", ["test"]),
                                             ("\\full_bibliography", ["Bivort2016", "test", "test2", "test_citavi"])])
def test_the_users_own_references_page_holding_either_command_is_the_references_page(tmp_path, command, listed):
    project = renamed(EXAMPLE, tmp_path)
    set_plugin_options(project, csl_file=None)
    (project / "docs" / "full_bib.md").unlink()
    (project / "docs" / "index.md").write_text("# Home\n\nCitation [@test].\n")
    (project / "docs" / "references.md").write_text(f"# Works cited\n\nOur own words.\n\n{command}\n")
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["nav"] = [{"Index": "index.md"}, {"References": "references.md"}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    site = build_site(project, strict=True)
    page = (site / "references" / "index.html").read_text()
    assert "Our own words." in page and "Works cited" in page
    assert sorted(re.findall(r'<li id="ref-([^"]+)" class="evidence-reference">', page)) == listed
    assert 'href="references/#ref-test"' in (site / "index.html").read_text()


def test_an_authors_heading_above_bibliography_gives_way_to_the_notes():
    atx = replace_commands("Text[@a].\n\n## Bibliography\n\n\\bibliography\n\n## Next\n").split("\n")
    assert atx == ["Text[@a].", "", "", "", "<!-- evidence:notes -->", "", "## Next", ""]
    setext = replace_commands("Text.\n\nBibliography\n------------\n\\bibliography\n").split("\n")
    assert setext == ["Text.", "", "", "", "<!-- evidence:notes -->", ""]
    kept = replace_commands("## Sources\n\nSome words of ours.\n\n\\bibliography\n").split("\n")
    assert kept[0] == "## Sources"  # a section with content of its own stays


def test_every_ignored_option_is_named_in_one_warning_even_when_empty():
    message = ignored_options_warning({"footnote_format": "", "csl_file": "x.csl", "csl_file_encoding": "utf-8",
                                       "cite_inline": False, "bib_by_default": False, "enable_inline_citations": True})
    assert message.startswith("mkdocs-bibtex option(s) csl_file, csl_file_encoding, footnote_format, cite_inline, "
                              "bib_by_default in mkdocs.yml have no effect")
    assert message.endswith("Remove them from the plugin's options.")
    assert ignored_options_warning({"bib_by_default": True, "enable_inline_citations": False, "bib_file": "a"}) is None


# --- bib_file as an http(s) address --------------------------------------------------------------

class _BibHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []
    body = b""

    def do_GET(self):  # noqa: N802 (http.server's API)
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-bibtex")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def bib_server():
    """A local HTTP server serving the example's refs.bib (never the internet)."""
    handler = type("Handler", (_BibHandler,), {"requests": [], "body": (EXAMPLE / "refs.bib").read_bytes()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler
    server.shutdown()
    server.server_close()


def url_site(tmp_path: Path, url: str) -> Path:
    project = renamed(EXAMPLE, tmp_path)
    set_plugin_options(project, bib_file=url, csl_file=None, bib_url_timeout=2)
    text = (project / "docs" / "index.md").read_text().replace("Citation [@nonexistent]\n", "")
    (project / "docs" / "index.md").write_text(text)
    return project


def test_a_bib_file_address_is_fetched_once_per_build_and_kept_for_offline_builds(tmp_path, bib_server, caplog):
    server, handler = bib_server
    url = f"http://127.0.0.1:{server.server_address[1]}/users/1/items?format=bibtex"
    project = url_site(tmp_path, url)
    site = build_site(project, strict=True)
    assert handler.requests == ["/users/1/items?format=bibtex"]
    assert 'data-key="test"' in (site / "index.html").read_text()
    # Offline: the address no longer answers; the kept copy builds the same site, and says so.
    server.shutdown()
    server.server_close()
    caplog.clear()
    site = build_site(project, strict=True)
    assert 'data-key="test"' in (site / "index.html").read_text()
    (message,) = [m for m in evidence_messages(caplog, logging.INFO) if url in m]
    assert message.startswith(f"bib_file {url}: could not fetch it (") and "the cached copy from an earlier build was used" in message


def test_a_bib_file_address_that_fails_without_a_kept_copy_names_the_address(tmp_path, caplog, expect_warnings):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/refs.bib"
        project = url_site(tmp_path, url)
        set_plugin_options(project, bib_url_timeout=1)
        expect_warnings(re.escape(url), "citation problem")
        with pytest.raises(Exception):
            build_site(project, strict=True)
    messages = [m for m in evidence_messages(caplog) if url in m]
    assert messages == [f"mkdocs.yml: bib_file {url}: could not fetch it (no answer within 1 s) and there is no "
                        "cached copy from an earlier build. Check the address and the network, or download the file "
                        "into the repository and name its path in bib_file. [bib_unreadable]"]
    assert not [m for m in evidence_messages(caplog) if "key_not_found" in m]  # one error, not one per citation


# --- a missing bib_file or bib_dir ---------------------------------------------------------------

@pytest.mark.parametrize("options, expected", [
    ({"bib_file": "refs-missing.bib"}, "refs-missing.bib: bibliography file not found ("),
    ({"bib_file": None, "bib_dir": "bibs"}, "mkdocs.yml: bib_dir 'bibs' is not a folder ("),
])
def test_a_missing_bib_file_or_dir_is_one_error_naming_the_path(tmp_path, caplog, expect_warnings, options, expected):
    project = renamed(EXAMPLE, tmp_path)
    set_plugin_options(project, csl_file=None, **options)
    expect_warnings(re.escape(expected), "citation problem", "nonexistent")
    with pytest.raises(Exception):
        build_site(project, strict=True)
    warnings = evidence_messages(caplog)
    assert [m for m in warnings if m.startswith(expected)], warnings
    assert not [m for m in warnings if "key_not_found" in m], warnings
