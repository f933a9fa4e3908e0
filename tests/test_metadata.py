"""The core of what pages tell crawlers and reference managers (metadata.py), fed real pybtex
libraries: hostile BibTeX values stay inside their attribute or their JSON string, descriptions,
hreflang sets, COinS. The built site is checked as a crawler reads it in test_site_metadata.py."""

from __future__ import annotations

import json
import shutil
from urllib.parse import parse_qs

import pytest

from html_facts import parse_html
from mkdocs_plugins.evidence import coins, json_ld, metadata
from mkdocs_plugins.evidence.bibliography import load_library
from mkdocs_plugins.evidence.problems import ProblemList

HOSTILE = r"""
@techreport{evil,
  author      = {O'Brien-</script>, Zoë and {Centre "for" <Policy> & Co}},
  title       = {</script><script>alert(1)</script> "quoted" & <!-- comment --> \u2028 end},
  institution = {</title><script>alert(2)</script>},
  year        = {2021},
  month       = {may},
  url         = {javascript:alert(3)},
  doi         = {10.1/"><script>alert(4)</script>}
}
@article{plain,
  author  = {Abbott, David and Townsley, Ruth and others},
  title   = {Multi-agency working: what impact does it have?},
  journal = {Health and Social Care in the Community},
  volume  = {13}, number = {2}, pages = {155--163}, year = {2005},
  doi     = {10.1111/j.1365-2524.2005.00544.x}
}
@incollection{chapter,
  author = {Smith, Jane}, title = {A chapter}, booktitle = {A book}, publisher = {Pub},
  year = {2010}, url = {https://example.org/chapter}
}
@book{abook, author = {{Home Office}}, title = {A book of its own}, year = {2001}, isbn = {978-0-00-000000-0}}
@misc{amisc, author = {Doe, John}, year = {n.d.}}
@phdthesis{athesis, author = {Roe, Richard}, title = {A thesis}, school = {Cardiff University}, year = {2019}}
"""


@pytest.fixture(scope="module")
def library():
    problems = ProblemList()
    lib = load_library([(HOSTILE, "hostile.bib")], problems)
    assert not list(problems)
    return lib


def facts(**overrides) -> metadata.PageFacts:
    values = dict(title="Information sharing", url="https://example.org/review/factors/information-sharing/",
                  description="A description.", language="en", site_name="Site",
                  alternates={"en": "https://example.org/review/p/", "cy": "https://example.org/review/cy/p/"},
                  image_url="https://example.org/review/assets/card.png", image_alt="Site")
    values.update(overrides)
    return metadata.PageFacts(**values)


def test_hostile_bibtex_values_stay_inside_their_attributes_and_json(library):
    review = library.get("evil")
    hostile_title = review.fields["title"]
    assert "</script>" in hostile_title
    head = parse_html(metadata.head_html(facts(title='Page </script> "x"'), review, [review, library.get("plain")]))
    # Exactly the elements we wrote: one script, nothing injected by a value.
    tags = [tag for tag, _ in head.elements]
    assert tags.count("script") == 1 and set(tags) <= {"meta", "link", "script"}
    assert all(tag != "script" or attrs == {"type": "application/ld+json"} for tag, attrs in head.elements)
    data = json.loads(head.scripts[0])
    assert data["isPartOf"]["name"] == hostile_title
    assert data["headline"] == 'Page </script> "x"'
    assert data["citation"][0]["name"] == hostile_title
    assert data["publisher"]["name"] == "</title><script>alert(2)</script>"
    assert "url" not in data["citation"][0], "a javascript: URL is no link"
    assert "sameAs" not in data["citation"][0], "a DOI with markup is no DOI"
    metas = {attrs.get("name") or attrs.get("property"): attrs["content"] for tag, attrs in head.elements if tag == "meta"}
    assert metas["citation_technical_report_institution"] == "</title><script>alert(2)</script>"
    assert metas["citation_title"] == f'Page </script> "x" — {hostile_title}'
    authors = [attrs["content"] for tag, attrs in head.elements if attrs.get("name") == "citation_author"]
    assert authors == ["O'Brien-</script>, Zoë", 'Centre "for" <Policy> & Co']


def test_json_for_script_leaves_no_markup_characters():
    text = json_ld.json_for_script({"a": "</script><!--&\u2028"})
    assert not set(text) & {"<", ">", "&", "\u2028"}
    assert json.loads(text) == {"a": "</script><!--&\u2028"}


def test_highwire_tags_follow_the_entry_type(library):
    page = facts()
    tags = dict(metadata.highwire_tags(library.get("plain"), page))
    assert tags["citation_journal_title"] == "Health and Social Care in the Community"
    assert tags["citation_doi"] == "10.1111/j.1365-2524.2005.00544.x"
    thesis = dict(metadata.highwire_tags(library.get("athesis"), page))
    assert thesis["citation_dissertation_institution"] == "Cardiff University"
    report = metadata.highwire_tags(library.get("evil"), page)
    # Google Scholar: a full date is YYYY/MM/DD, otherwise the year alone (May without a day: 2021).
    assert ("citation_publication_date", "2021") in report
    assert ("citation_public_url", page.url) in report
    # `and others` is no author.
    authors = [v for k, v in metadata.highwire_tags(library.get("plain"), page) if k == "citation_author"]
    assert authors == ["Abbott, David", "Townsley, Ruth"]


def test_home_page_is_the_work_itself(library):
    review = library.get("plain")
    assert metadata.page_citation_title(review, facts(is_home=True)) == review.fields["title"]
    assert metadata.page_citation_title(review, facts()) == f"Information sharing — {review.fields['title']}"


@pytest.mark.parametrize("text, expected", [
    ("Atkinson et al. (2002) found this. Then more.", "Atkinson et al. (2002) found this."),
    ("Services, e.g. schools, help. Others do not.", "Services, e.g. schools, help."),
    ("As noted on p. 42 of the report, it works. Next.", "As noted on p. 42 of the report, it works."),
    ("One sentence only", "One sentence only"),
    ("Ends with a quote.” Then another.", "Ends with a quote.”"),
    ("Is it? Yes.", "Is it?"),
])
def test_first_sentence(text, expected):
    assert metadata.first_sentence(text) == expected


def test_a_long_first_sentence_is_cut_at_a_word():
    text = "word " * 200
    description = metadata.first_sentence(text)
    assert len(description) <= metadata.DESCRIPTION_LIMIT and description.endswith("word…")


def test_description_is_the_summary_or_the_first_sentence_without_markers():
    content = ('<h1 id="x">Title</h1>\n<p>Key workers help<sup class="evidence-ref" id="c1"><a class="footnote-ref" '
               'href="#endnote-iv">iv</a></sup>. They <em>link</em> &amp; connect.</p><p>Second.</p>')
    assert metadata.page_description("", content) == "Key workers help."
    assert metadata.page_description("The summary.", content) == "The summary."
    assert metadata.page_description("", "<h1>Only a title</h1>") == ""


def test_alternates_name_every_interface_and_the_default():
    links = metadata.alternates("factors/x/", {"en": "", "cy": "cy/"}, "https://e.org/r/", "en")
    assert links == {"en": "https://e.org/r/factors/x/", "cy": "https://e.org/r/cy/factors/x/",
                     "x-default": "https://e.org/r/factors/x/"}
    # Content in a language no interface has: x-default is the build at the root.
    assert metadata.alternates("", {"cy": "cy/", "en": ""}, "https://e.org/", "fr")["x-default"] == "https://e.org/"


def test_robots_txt_names_the_sitemaps():
    from urllib.robotparser import RobotFileParser

    parser = RobotFileParser()
    parser.parse(metadata.robots_txt(["https://e.org/sitemap.xml", "https://e.org/cy/sitemap.xml"]).splitlines())
    assert parser.site_maps() == ["https://e.org/sitemap.xml", "https://e.org/cy/sitemap.xml"]
    assert parser.can_fetch("Googlebot", "https://e.org/factors/")


def _coins(work) -> dict[str, list[str]]:
    span = parse_html(coins.coins_html(work)).elements[0]
    assert span[0] == "span" and span[1]["class"] == "Z3988"
    return parse_qs(span[1]["title"], strict_parsing=True)


@pytest.mark.parametrize("key, fmt, genre", [
    ("plain", "journal", "article"), ("chapter", "book", "bookitem"), ("abook", "book", "book"),
    ("evil", "book", "report"), ("amisc", "book", "document"), ("athesis", "dissertation", None),
])
def test_coins_genre_follows_the_entry_type(library, key, fmt, genre):
    kev = _coins(library.get(key))
    assert kev["ctx_ver"] == ["Z39.88-2004"]
    assert kev["rft_val_fmt"] == [f"info:ofi/fmt:kev:mtx:{fmt}"]
    assert kev.get("rft.genre") == ([genre] if genre else None)


def test_coins_carry_what_the_entry_states(library):
    kev = _coins(library.get("plain"))
    assert kev["rft.atitle"] == ["Multi-agency working: what impact does it have?"]
    assert kev["rft.jtitle"] == ["Health and Social Care in the Community"]
    assert kev["rft.aulast"] == ["Abbott"] and kev["rft.aufirst"] == ["David"] and kev["rft.au"] == ["Townsley, Ruth"]
    assert (kev["rft.volume"], kev["rft.issue"], kev["rft.spage"], kev["rft.epage"]) == (["13"], ["2"], ["155"], ["163"])
    assert kev["rft_id"] == ["info:doi/10.1111/j.1365-2524.2005.00544.x"]
    chapter = _coins(library.get("chapter"))
    assert chapter["rft.btitle"] == ["A book"] and chapter["rft_id"] == ["https://example.org/chapter"]
    assert _coins(library.get("abook"))["rft.aucorp"] == ["Home Office"]
    assert "rft.date" not in _coins(library.get("amisc"))  # n.d.: no date
    hostile = _coins(library.get("evil"))
    assert "rft_id" not in hostile  # neither the javascript: URL nor the DOI with markup
    assert hostile["rft.btitle"] == [library.get("evil").fields["title"]]


# --- a real build with a hostile review entry --------------------------------------------------

HOSTILE_PAGE = """---
kind: section
---
# A "quoted" & <b>bold</b> page

It cites the review</script>[@evil] and @plain.
"""


def test_a_build_whose_review_entry_is_hostile_publishes_intact_head_elements(fixture_project):
    import shutil

    import yaml

    from conftest import REPO, build_site, set_plugin_options

    (fixture_project / "bib" / "refs.bib").write_text((fixture_project / "bib" / "refs.bib").read_text() + HOSTILE)
    (fixture_project / "docs" / "hostile.md").write_text(HOSTILE_PAGE)
    shutil.copytree(REPO / "overrides", fixture_project / "overrides", ignore=shutil.ignore_patterns("hooks"))
    set_plugin_options(fixture_project, cite_this_page="evil", interfaces={"en": "", "cy": "cy/"})
    config_path = fixture_project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text())
    config["theme"]["custom_dir"] = "overrides"
    config["site_url"] = "https://example.org/</script>/"
    config["nav"].append({'A "quoted" & </script> page': "hostile.md"})
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    site = build_site(fixture_project, strict=True)

    review_title = load_library([(HOSTILE, "h.bib")], ProblemList()).get("evil").fields["title"]
    for page in (site / "hostile" / "index.html", site / "index.html"):
        text = page.read_text(encoding="utf-8")
        head = parse_html(text[: text.index("</head>")])
        scripts = [attrs for tag, attrs in head.elements if tag == "script"]
        assert {"type": "application/ld+json"} in scripts
        assert scripts.count({"type": "application/ld+json"}) == 1
        # Material's own inline scripts aside, no script holds a value from the .bib.
        assert not [script for script in head.scripts if "alert(" in script and not script.startswith("{")]
        data = json.loads(next(s for s in head.scripts if s.startswith("{")))
        assert data["isPartOf"]["name"] == review_title
        metas = {attrs.get("name") or attrs.get("property"): attrs.get("content") for tag, attrs in head.elements if tag == "meta"}
        assert metas["citation_title"].endswith(review_title)
        assert metas["citation_technical_report_institution"] == "</title><script>alert(2)</script>"
        links = {attrs["hreflang"]: attrs["href"] for tag, attrs in head.elements if tag == "link" and "hreflang" in attrs}
        assert links["cy"].startswith("https://example.org/%3C/script%3E/cy/") or links["cy"].startswith("https://example.org/</script>/cy/")
    hostile = parse_html((site / "hostile" / "index.html").read_text(encoding="utf-8").split("</head>")[0])
    data = json.loads(next(s for s in hostile.scripts if s.startswith("{")))
    assert data["headline"] == 'A "quoted" & </script> page'
    metas = {attrs.get("name") or attrs.get("property"): attrs.get("content") for tag, attrs in hostile.elements if tag == "meta"}
    assert metas["citation_title"] == f'A "quoted" & </script> page — {review_title}'
    assert metas["description"] == metas["og:description"] and metas["description"] == "It cites the review and Abbott et al. (2005b)."
    assert sorted(item.get("name") for item in data["citation"]) == sorted([review_title, "Multi-agency working: what impact does it have?"])


@pytest.mark.parametrize("value", ["plain", "a b&c=d/e?f#g%h+i", "Zoë Ó Súilleabháin – “quoted” 漢字 😀", "~_.-", "\x00\x7f"])
def test_kev_quote_encodes_as_urllib_does(value):
    from urllib.parse import quote, unquote

    assert coins.kev_quote(value) == quote(value, safe="")
    assert unquote(coins.kev_quote(value)) == value


def test_a_page_that_stands_for_another_gives_its_address_and_stays_out_of_the_sitemap(fixture_project, expect_warnings, caplog):
    """Front matter `canonical: <source path>` (a view of other pages): canonical link and og:url
    are that page's address, no hreflang, citation_* or JSON-LD of its own, not in sitemap.xml.
    A name that is no page of the site stops the build, naming the file."""
    import shutil
    import xml.etree.ElementTree as ET

    import yaml
    from mkdocs.exceptions import Abort

    from conftest import REPO, build_site, set_plugin_options

    shutil.copytree(REPO / "overrides", fixture_project / "overrides")
    set_plugin_options(fixture_project, cite_this_page="abbott2005b", interfaces={"en": "", "cy": "cy/"})
    config_path = fixture_project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text())
    config["theme"]["custom_dir"] = "overrides"
    config["site_url"] = "https://example.org/review/"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    view = fixture_project / "docs" / "all.md"
    view.write_text("---\ncanonical: factors/index.md\n---\n# All factors\n\nEvery factor on one page[@abbott2005b].\n")
    site = build_site(fixture_project)

    head = parse_html((site / "all" / "index.html").read_text(encoding="utf-8").split("</head>")[0])
    links = [attrs for tag, attrs in head.elements if tag == "link"]
    metas = {attrs.get("name") or attrs.get("property"): attrs.get("content") for tag, attrs in head.elements if tag == "meta"}
    assert [link["href"] for link in links if link.get("rel") == "canonical"] == ["https://example.org/review/factors/"]
    assert metas["og:url"] == "https://example.org/review/factors/"
    assert not [link for link in links if "hreflang" in link]
    assert not [name for name in metas if name and name.startswith("citation_")]
    assert not [attrs for tag, attrs in head.elements if tag == "script" and attrs.get("type") == "application/ld+json"]
    # The page it stands for keeps its own address and metadata.
    factors = parse_html((site / "factors" / "index.html").read_text(encoding="utf-8").split("</head>")[0])
    assert {"rel": "canonical", "href": "https://example.org/review/factors/"} in [a for t, a in factors.elements if t == "link"]
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://example.org/review/factors/" in locs and "https://example.org/review/all/" not in locs

    view.write_text("---\ncanonical: factors/missing.md\n---\n# All factors\n")
    expect_warnings(r"docs/all\.md: canonical: 'factors/missing\.md' is not a page of this site")
    shutil.rmtree(site)
    with pytest.raises(Abort):
        build_site(fixture_project)
    assert not list(site.rglob("*.html")), "a page was written before the build stopped"  # checked before writing
    assert any("docs/all.md: canonical: 'factors/missing.md' is not a page of this site" in r.getMessage() for r in caplog.records)
