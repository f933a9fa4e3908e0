"""`mkdocs serve` (real server, real file watching): editing the .bib rebuilds the site."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from conftest import copy_fixture_site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


def start_serve(project) -> tuple[subprocess.Popen, int]:
    """`mkdocs serve` on a free port. The port is free when chosen but may be taken before the
    server binds it (another test, another engineer's build): then the server exits, and it is
    started again on another port, instead of the test failing."""
    for _ in range(10):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/"
        if wait_for(lambda: server.poll() is not None or fetch(url), 300) and server.poll() is None:
            return server, port
        server.wait(timeout=30)
    raise AssertionError("mkdocs serve did not start on any of ten free ports")


def test_serve_rebuilds_when_the_bib_changes(tmp_path):
    project = copy_fixture_site(tmp_path)
    server, port = start_serve(project)
    url = f"http://127.0.0.1:{port}/references/"
    try:
        first = fetch(url)
        assert first and "Effective Multi-Agency Partnerships" in first
        bib = project / "bib" / "refs.bib"
        bib.write_text(bib.read_text().replace("Effective Multi-Agency Partnerships", "Partnerships That Work"))
        rebuilt = wait_for(lambda: (page := fetch(url)) and "Partnerships That Work" in page, 300)
        assert rebuilt, "the References page did not change after the .bib was edited"
    finally:
        server.terminate()
        server.wait(timeout=30)
