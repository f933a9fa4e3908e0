"""Browser tests: the built site in Debian's Chromium, driven by Playwright for Python.

The site is built once per session (English into the temp folder, the Welsh interface into its
cy/ folder, as `make site` does) and served by `http.server` on 127.0.0.1 on a free port. One
browser serves the whole session; each test opens its own context. Chromium runs with its
background networking off, and every context records any request to another host (for the
privacy test).

Without /usr/bin/chromium the tests skip on a developer machine and fail in CI (CI=true), so CI
never passes without running them. Never `playwright install`: the browser comes from Debian.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
]
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _build(config: str, site_dir: Path, site_url: str) -> None:
    # site_url is the test server's address: absolute links in the head (the feed, hreflang)
    # then stay on it, and Material's requests for them (sitemap.xml) too.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site_dir)],
        cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict -f {config} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test output clean
        pass


@pytest.fixture(scope="session")
def _server(tmp_path_factory):
    """The server first (its port is the site's address), serving the folder built next."""
    site = tmp_path_factory.mktemp("browser") / "site"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def built_site(_server) -> Path:
    site, url = _server
    _build("mkdocs.yml", site, url)
    _build("mkdocs.cy.yml", site / "cy", url)
    return site


@pytest.fixture(scope="session")
def base_url(_server, built_site) -> str:
    return _server[1]


def _page_paths(site: Path, prefix: str = "") -> list[str]:
    root = site / prefix if prefix else site
    paths = []
    for index in sorted(root.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if not prefix and rel.split("/")[0] == "cy":
            continue
        if rel.split("/")[-1] in {"search", "assets"}:
            continue
        paths.append("" if rel == "." else rel + "/")
    return paths


@pytest.fixture(scope="session")
def english_pages(built_site) -> list[str]:
    """Site paths of every English page ('' is the home page), the print view included."""
    return _page_paths(built_site)


@pytest.fixture(scope="session")
def welsh_pages(built_site) -> list[str]:
    return _page_paths(built_site, "cy")


@pytest.fixture(scope="session")
def all_pages(english_pages, welsh_pages) -> list[str]:
    return english_pages + welsh_pages


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover
        _unavailable(f"playwright not installed: {error}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Session:
    """A browser context bound to the local server; requests elsewhere are refused and listed."""

    def __init__(self, browser, base_url: str, **options):
        self.base_url = base_url
        self.foreign: list[str] = []
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("reduced_motion", "reduce")
        options.setdefault("service_workers", "block")
        self.context = browser.new_context(**options)
        # A listener, not a route: it sees every request (documents, scripts, fonts, workers'
        # fetches) without slowing each one down. The machine has no route to other hosts anyway.
        self.context.on("request", self._record)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()

    def _record(self, request):
        url = request.url
        if not (url.startswith(self.base_url) or url.startswith(("data:", "blob:", "about:"))):
            self.foreign.append(url)

    def open(self, path: str, wait_until: str = "load"):
        self.page.goto(self.base_url + path, wait_until=wait_until)
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def session_factory(browser, base_url):
    sessions = []

    def make(**options) -> Session:
        session = Session(browser, base_url, **options)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def session(session_factory) -> Session:
    return session_factory()
