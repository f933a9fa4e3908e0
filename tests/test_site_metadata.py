"""The built site read as a crawler and a reference manager read it.

Both interfaces are built once, as the Pages workflow builds them (`SITE_URL` set to a deployed
address, English at the root, Welsh in cy/), with real `mkdocs build --strict` runs. Then:
sitemap.xml with an XML parser, robots.txt with the standard library's robots parser, every
page's <head> with an HTML parser (canonical, hreflang, robots, description, Open Graph,
citation_* tags through Zotero's "Embedded Metadata" item-type rules, JSON-LD through a JSON
parser), and the References page's COinS as OpenURL KEV. Expected values come from the .bib
(read with pybtex here) and the Markdown sources, not from the plugin's code.
"""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.robotparser import RobotFileParser

import pytest
import yaml
from pybtex.database import parse_file

from conftest import REVIEW_SITE_URL

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = REVIEW_SITE_URL
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
REVIEW_KEY = "peixotogomes2021"


@pytest.fixture(scope="module")
def site(review_site) -> Path:
    return review_site


class Document(HTMLParser):
    """Elements of a page (tag, attributes, text inside, whether in <head>), and its scripts."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "track"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "head": self.in_head,
                   "ancestors": [(e["tag"], e["attrs"].get("class", "")) for e in self.stack]}
        self.elements.append(element)
        if tag == "head":
            self.in_head = True
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index]["tag"] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def head(self, tag: str, **attrs) -> list[dict]:
        return [e for e in self.elements if e["head"] and e["tag"] == tag
                and all(e["attrs"].get(k) == v for k, v in attrs.items())]

    def metas(self) -> list[tuple[str, str]]:
        """(name or property, content) of every <meta> in <head>, in document order."""
        return [(e["attrs"].get("name") or e["attrs"].get("property") or "", e["attrs"].get("content") or "")
                for e in self.head("meta")]

    def meta(self, name: str) -> list[str]:
        return [content for key, content in self.metas() if key == name]


def parse(path: Path) -> Document:
    document = Document()
    document.feed(path.read_text(encoding="utf-8"))
    document.close()
    return document


def page_files(site: Path, welsh: bool) -> dict[str, Path]:
    """URL path (relative to the build's root) -> file, for every page of one interface."""
    root = site / "cy" if welsh else site
    pages = {}
    for path in sorted(root.rglob("index.html")):
        relative = path.relative_to(root)
        if not welsh and relative.parts[0] == "cy":
            continue
        url = "" if relative.parent == Path(".") else relative.parent.as_posix() + "/"
        pages[url] = path
    return pages


@pytest.fixture(scope="module")
def documents(site) -> dict[tuple[str, str], Document]:
    """(interface, page URL) -> parsed page, for both interfaces."""
    out = {}
    for welsh, language in ((False, "en"), (True, "cy")):
        for url, path in page_files(site, welsh).items():
            out[(language, url)] = parse(path)
    return out


def absolute(language: str, url: str) -> str:
    return SITE_URL + ("cy/" if language == "cy" else "") + url


def is_print_view(url: str) -> bool:
    return url == "print/"


@pytest.fixture(scope="module")
def bib():
    return parse_file(str(ROOT / "bib" / "references.bib")).entries


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_sitemap_lists_every_indexable_page_with_absolute_urls(site, language):
    folder = site / "cy" if language == "cy" else site
    tree = ET.parse(folder / "sitemap.xml")
    assert tree.getroot().tag == f"{{{SITEMAP_NS['sm']}}}urlset"
    locs = [loc.text for loc in tree.getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)]
    assert len(locs) == len(set(locs))
    expected = {absolute(language, url) for url in page_files(site, language == "cy") if not is_print_view(url)}
    assert set(locs) == expected
    assert len(expected) > 30
    for loc in locs:
        parts = urlsplit(loc)
        assert parts.scheme == "https" and parts.netloc == "example.org"


def test_robots_txt_names_the_sitemap_of_both_interfaces(site):
    parser = RobotFileParser()
    parser.parse((site / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert parser.site_maps() == [SITE_URL + "sitemap.xml", SITE_URL + "cy/sitemap.xml"]
    assert parser.can_fetch("Googlebot", SITE_URL + "factors/key-worker/")
    assert not (site / "cy" / "robots.txt").exists(), "one robots.txt, at the root of the site"


def test_every_page_of_both_interfaces_has_its_canonical_url_and_its_twins(documents):
    assert {language for language, _ in documents} == {"en", "cy"}
    english = {url for language, url in documents if language == "en"}
    assert english == {url for language, url in documents if language == "cy"}, "every page has a Welsh twin"
    for (language, url), document in documents.items():
        if is_print_view(url):
            continue  # a view of the review, canonical elsewhere: test_the_print_view_stands_for_the_home_page
        canonical = document.head("link", rel="canonical")
        assert [link["attrs"]["href"] for link in canonical] == [absolute(language, url)], (language, url)
        alternates = {link["attrs"]["hreflang"]: link["attrs"]["href"]
                      for link in document.head("link", rel="alternate") if "hreflang" in link["attrs"]}
        assert alternates == {"en": absolute("en", url), "cy": absolute("cy", url), "x-default": absolute("en", url)}, (language, url)


def test_hreflang_links_are_reciprocal_and_point_at_real_pages(site, documents):
    by_url = {absolute(language, url): document for (language, url), document in documents.items()}
    for (language, url), document in documents.items():
        for link in document.head("link", rel="alternate"):
            if "hreflang" not in link["attrs"]:
                continue  # the What's new feed is an alternate too, of another type
            target = by_url.get(link["attrs"]["href"])
            assert target is not None, f"{language} {url}: hreflang target {link['attrs']['href']} is not a page"
            back = [e["attrs"]["href"] for e in target.head("link", rel="alternate")]
            assert absolute(language, url) in back


def test_no_page_is_noindex(documents):
    for (language, url), document in documents.items():
        assert document.meta("robots") == [], (language, url)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_print_view_stands_for_the_home_page(site, documents, language):
    """The whole review on one page is a view, not a document (issue 11): its canonical address
    is its language's home page (not the domain's root: the site lives under a path), and it is
    in neither sitemap.xml nor the search index; its head claims no document of its own (no
    citation_* tags, JSON-LD or hreflang twins) while its Open Graph card points at the home page.
    Nor does it offer "Cite this page": a citation of it would name an address that is not the
    page search engines give (the home page, whose block readers cite from)."""
    document = documents[(language, "print/")]
    home = absolute(language, "")
    assert [link["attrs"]["href"] for link in document.head("link", rel="canonical")] == [home]
    assert urlsplit(home).path not in ("", "/")
    assert document.meta("og:url") == [home]
    assert [link for link in document.head("link", rel="alternate") if "hreflang" in link["attrs"]] == []
    assert [name for name, _ in document.metas() if name.startswith("citation_")] == []
    assert document.head("script", type="application/ld+json") == []
    assert cite_blocks(document) == []
    assert len(cite_blocks(documents[(language, "")])) == 1
    folder = site / "cy" if language == "cy" else site
    locs = {loc.text for loc in ET.parse(folder / "sitemap.xml").getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)}
    assert home in locs and absolute(language, "print/") not in locs
    index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "" in locations and "factors/key-worker/" in locations
    assert not any(location.startswith("print/") for location in locations)


def cite_blocks(document) -> list[dict]:
    return [e for e in document.elements if e["tag"] == "details" and "evidence-cite-page" in e["attrs"].get("class", "")]


def test_cite_this_page_gives_the_page_address(documents):
    for (language, url), document in documents.items():
        if url == "print/":  # a view of the home page (above)
            continue
        block = cite_blocks(document)
        assert len(block) == 1, (language, url)
        assert f"Available at: {absolute(language, url)}." in block[0]["text"], (language, url)
        assert re.search(r"\burl\s+= \{" + re.escape(absolute(language, url)) + r"\}", block[0]["text"]), (language, url)


# --- scholarly metadata ----------------------------------------------------------------------

# Zotero's "Embedded Metadata" translator (zotero/translators, Embedded Metadata.js, 2024):
# namespaces whose meta tags go to its RDF importer, and the Highwire tags that set the type.
ZOTERO_RDF_PREFIXES = {"bib", "bibo", "dc", "dcterms", "prism", "foaf", "vcard", "link", "z", "eprint", "eprints",
                       "og", "article", "book", "music", "video", "so", "codemeta", "rdf"}
ZOTERO_HIGHWIRE_TYPES = {
    "citation_journal_title": "journalArticle", "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper", "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection", "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}


def zotero_item_type(metas: list[tuple[str, str]]) -> str | None:
    """The item type Zotero's Embedded Metadata translator gives a page (its init()): the last
    Highwire type tag wins; otherwise a bare citation_title guesses journalArticle, and RDF
    data (Open Graph, Dublin Core) without either makes a webpage."""
    hw_type = hw_guess = None
    statements = False
    for names, value in metas:
        if not names or not value:
            continue
        for tag in names.split():
            parts = re.split(r"[.:_]", tag)
            prefix = parts[1].lower() if len(parts) > 2 and parts[1].lower() in ZOTERO_RDF_PREFIXES else parts[0].lower()
            if prefix in ZOTERO_RDF_PREFIXES:
                statements = True
                continue
            short = tag[tag.rfind("citation_"):] if "citation_" in tag else tag
            if short in ZOTERO_HIGHWIRE_TYPES:
                hw_type = ZOTERO_HIGHWIRE_TYPES[short]
            elif short in ("citation_title", "citation_series_title"):
                hw_guess = hw_guess or "journalArticle"
            elif short == "citation_isbn":
                hw_guess = "book"
    if hw_type:
        return hw_type
    return hw_guess or ("webpage" if statements else None)


def test_zotero_item_type_rules_as_ported():
    assert zotero_item_type([("citation_title", "T"), ("og:title", "T")]) == "journalArticle"
    assert zotero_item_type([("og:title", "T")]) == "webpage"
    assert zotero_item_type([("citation_book_title", "B"), ("citation_technical_report_institution", "I")]) == "report"
    assert zotero_item_type([("citation_technical_report_institution", "I"), ("citation_journal_title", "J")]) == "journalArticle"


def _person(bib_person) -> str:
    family = " ".join(bib_person.prelast_names + bib_person.last_names)
    return f"{family}, {' '.join(bib_person.first_names + bib_person.middle_names)}"


def test_every_page_is_a_report_for_zotero_with_the_reviews_own_metadata(documents, bib):
    review = bib[REVIEW_KEY]
    title = review.fields["title"]
    for (language, url), document in documents.items():
        if is_print_view(url):
            continue  # no document of its own: test_the_print_view_stands_for_the_home_page
        metas = document.metas()
        assert zotero_item_type(metas) == "report", (language, url)
        citation_title = document.meta("citation_title")
        assert len(citation_title) == 1 and citation_title[0].endswith(title), (language, url)
        if url == "":
            assert citation_title == [title], "the home page is the review itself"
        else:
            page_title = citation_title[0][: -len(title)].removesuffix(" — ")
            html_title = [e["text"].strip() for e in document.head("title")]
            assert page_title and html_title[0].startswith(page_title + " - "), (language, url, page_title, html_title)
        assert document.meta("citation_author") == [_person(p) for p in review.persons["author"]]
        assert document.meta("citation_publication_date") == [review.fields["year"]]
        assert re.fullmatch(r"\d{4}(/\d{2}/\d{2})?", document.meta("citation_publication_date")[0])
        assert document.meta("citation_technical_report_institution") == [review.fields["institution"]]
        assert document.meta("citation_language") == ["en"], "the pages' text is English in both interfaces"
        assert document.meta("citation_public_url") == [absolute(language, url)]


def _cited_keys(document: Document) -> set[str]:
    """Works the page cites: those its Notes and its in-text citations link."""
    keys = set()
    for element in document.elements:
        classes = element["attrs"].get("class", "").split()
        key = element["attrs"].get("data-key")
        if key is None:
            continue
        in_notes = any(tag == "ol" and "evidence-notes" in cls for tag, cls in element["ancestors"])
        in_text = "evidence-cite" in classes or any("evidence-cite" in cls.split() for _, cls in element["ancestors"])
        if ("evidence-work" in classes and (in_notes or in_text)) or "evidence-cite" in classes:
            keys.add(key.lower())
    return keys


def _json_ld(document: Document) -> dict:
    scripts = document.head("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0]["text"])


def test_json_ld_describes_the_page_and_cites_each_work_once(documents, bib):
    review = bib[REVIEW_KEY]
    titles = {key.lower(): entry.fields.get("title") for key, entry in bib.items()}
    years = {key.lower(): entry.fields.get("year", "") for key, entry in bib.items()}
    cited_somewhere = 0
    for (language, url), document in documents.items():
        if is_print_view(url):
            continue  # no document of its own: test_the_print_view_stands_for_the_home_page
        data = _json_ld(document)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] in ("Report", "ScholarlyArticle")
        assert data["url"] == absolute(language, url) and data["inLanguage"] == "en"
        assert data["author"][0]["familyName"] == review.persons["author"][0].last_names[0] + " " + review.persons["author"][0].last_names[1]
        assert data["publisher"]["name"] == review.fields["institution"]
        assert data["datePublished"] == review.fields["year"]
        assert data["isPartOf"]["name"] == review.fields["title"]
        assert data["name"] == document.meta("citation_title")[0]
        cited = _cited_keys(document)
        assert len(data["citation"]) == len(cited), (language, url)
        named = sorted(item["name"] for item in data["citation"] if "name" in item)
        dated = sorted(item["datePublished"] for item in data["citation"] if "datePublished" in item)
        assert dated == sorted(years[key] for key in cited if re.fullmatch(r"\d{4}", years[key])), (language, url)
        assert named == sorted(titles[key] for key in cited if titles.get(key)), (language, url)
        for item in data["citation"]:
            assert item["@type"] in {"CreativeWork", "ScholarlyArticle", "Book", "Chapter", "Report", "Thesis", "WebPage"}
            assert item["author"]
            for link in (item.get("url"), item.get("sameAs")):
                assert link is None or urlsplit(link).scheme == "https"
        cited_somewhere += bool(cited)
    assert cited_somewhere > 20


def _markdown_keys(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {key.lower() for key in re.findall(r"@([A-Za-z0-9_:./-]*[A-Za-z0-9])", text)}


def test_json_ld_citations_are_the_works_the_markdown_cites(documents):
    """For every factor and outcome page, the cited works are those its source names."""
    for md in sorted((ROOT / "docs").glob("*/*.md")):
        if md.name == "index.md":
            continue
        url = md.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
        data = _json_ld(documents[("en", url)])
        names = {item.get("name") for item in data["citation"]}
        assert len(data["citation"]) == len(_markdown_keys(md)), url
        assert len(names) >= 1


def test_every_page_has_a_description_of_its_own_shared_with_its_cards(site, documents):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    descriptions = {}
    for (language, url), document in documents.items():
        description = document.meta("description")
        assert len(description) == 1 and description[0].strip(), (language, url)
        assert description[0] != config["site_description"]
        assert document.meta("og:description") == description == document.meta("twitter:description")
        for name in ("og:image", "twitter:image"):
            image = document.meta(name)
            assert image == [absolute(language, "assets/social-card.png")], (language, url)
        descriptions.setdefault(description[0], []).append((language, url))
    # Each English page's description is its own (its Welsh twin shares it).
    english = [pages for pages in descriptions.values() if sum(lang == "en" for lang, _ in pages) > 1]
    assert not english, english
    for card in (site / "assets" / "social-card.png", site / "cy" / "assets" / "social-card.png"):
        header = card.read_bytes()[:24]  # served by the site itself: a 1200x630 PNG
        assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1200, 630)


def test_factor_and_outcome_pages_are_described_by_their_summary(documents):
    for md in sorted((ROOT / "docs").glob("*/*.md")):
        front_matter = yaml.safe_load(md.read_text(encoding="utf-8").split("---\n")[1])
        if md.name == "index.md" or not front_matter.get("summary"):
            continue
        url = md.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
        assert documents[("en", url)].meta("description") == [front_matter["summary"].strip()]


def test_no_head_element_reaches_another_host_except_the_reviews_own_address(documents):
    """Canonical, alternates and images point into the site; nothing in <head> is fetched elsewhere."""
    for (language, url), document in documents.items():
        for element in document.head("link") + document.head("script"):
            href = element["attrs"].get("href") or element["attrs"].get("src")
            if href and urlsplit(href).netloc:
                assert href.startswith(SITE_URL), (language, url, href)


# --- COinS -----------------------------------------------------------------------------------

GENRES = {"article": ("journal", "article"), "techreport": ("book", "report"), "book": ("book", "book"),
          "incollection": ("book", "bookitem"), "inbook": ("book", "bookitem"), "misc": ("book", "document")}


def test_every_reference_carries_coins_with_its_genre(site, bib):
    document = parse(site / "references" / "index.html")
    references = [e for e in document.elements if e["tag"] == "li" and "evidence-reference" in e["attrs"].get("class", "")]
    spans = [e for e in document.elements if e["tag"] == "span" and e["attrs"].get("class") == "Z3988"]
    assert len(spans) == len(references) > 70
    for span in spans:
        owner = [cls for tag, cls in span["ancestors"] if tag == "li"]
        assert owner and "evidence-reference" in owner[-1], "each COinS sits in its reference"
    ids = [e["attrs"]["id"].removeprefix("ref-").lower() for e in references]
    entries = {key.lower(): entry for key, entry in bib.items()}
    for key, span in zip(ids, spans):
        entry = entries[key]
        kev = parse_qs(span["attrs"]["title"], strict_parsing=True)
        fmt, genre = GENRES[entry.type.lower()]
        assert kev["ctx_ver"] == ["Z39.88-2004"]
        assert kev["rft_val_fmt"] == [f"info:ofi/fmt:kev:mtx:{fmt}"], key
        assert kev["rft.genre"] == [genre], key
        title = entry.fields.get("title")
        if title:
            field = "rft.atitle" if genre in ("article", "bookitem") else "rft.btitle"
            assert kev[field] == [re.sub(r"[{}]", "", title)], key
        authors = entry.persons.get("author") or entry.persons.get("editor") or []
        first = authors[0]
        if first.first_names:
            assert kev["rft.aulast"] == [" ".join(first.prelast_names + first.last_names)], key
        else:
            assert (kev.get("rft.aulast") or kev.get("rft.aucorp")) == [re.sub(r"[{}]", "", " ".join(first.last_names))], key
        year = entry.fields.get("year", "")
        assert kev.get("rft.date", [""]) == ([year] if re.fullmatch(r"\d{4}", year) else [""]), key
        if entry.fields.get("doi"):
            assert f"info:doi/{entry.fields['doi']}" in kev["rft_id"]
