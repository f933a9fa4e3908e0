"""Relative URLs between site pages (registry.relative_url), as the plugin writes them in links."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from mkdocs_plugins.evidence.registry import relative_url


@pytest.mark.parametrize("target, base, expected", [
    ("references/#ref-abbott2005a", "factors/key-worker/", "../../references/#ref-abbott2005a"),
    ("references/", "references/", "./"),
    ("", "factors/key-worker/", "../../"),
    ("factors/", "", "factors/"),
    ("references.bib", "references/", "../references.bib"),
    ("factors/co-location/", "factors/key-worker/", "../co-location/"),
    # use_directory_urls: false
    ("references.html#ref-x", "factors/key-worker.html", "../references.html#ref-x"),
    ("factors/co-location.html", "factors/key-worker.html", "co-location.html"),
    ("index.html", "index.html", "index.html"),
])
def test_relative_url_examples(target, base, expected):
    assert relative_url(target, base) == expected


def _by_relpath(target: str, base: str) -> str:
    """The definition relative_url must agree with: posixpath.relpath on the site's paths."""
    base_dir = base if (base == "" or base.endswith("/")) else posixpath.dirname(base)
    path, _, fragment = target.partition("#")
    rel = posixpath.relpath("/" + path, "/" + base_dir)
    if (path == "" or path.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel + ("#" + fragment if fragment else "")


def test_relative_url_agrees_with_relpath_for_every_pair_of_site_paths():
    folders = ["", *("/".join(p) for n in (1, 2, 3) for p in itertools.product(["a", "b", "x.y"], repeat=n))]
    urls = [""] + [u for f in folders if f for u in (f + "/", f + ".html", f + "/index.html", f + ".bib")]
    targets = urls + [u + "#ref-k" for u in urls[:20]]
    for target in targets:
        for base in urls:
            assert relative_url(target, base) == _by_relpath(target, base), (target, base)
