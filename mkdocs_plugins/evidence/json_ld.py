"""schema.org JSON-LD for a page: the page as a part of the work the site republishes, with
`citation` = one item per work it cites (`creative_work`).

Escaped for its place: `json_for_script` leaves no `<`, `>` or `&` as such, so nothing in a title
can close the `<script type="application/ld+json">` element.
"""

from __future__ import annotations

import json

from .bibliography import Work
from .weblinks import bare_doi, doi_url
from .work_facts import PageFacts, _field, creators, page_citation_title, publication_date, work_url

SCHEMA_TYPES = {
    "article": "ScholarlyArticle", "book": "Book", "booklet": "Book", "proceedings": "Book",
    "inbook": "Chapter", "incollection": "Chapter", "techreport": "Report", "report": "Report",
    "manual": "Report", "phdthesis": "Thesis", "mastersthesis": "Thesis", "thesis": "Thesis",
    "inproceedings": "ScholarlyArticle", "conference": "ScholarlyArticle", "online": "WebPage",
}


def json_for_script(data) -> str:
    """JSON safe inside `<script type="application/ld+json">`: no `<`, `>` or `&` left as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def creative_work(work: Work) -> dict:
    """One cited work for schema.org: type, name, authors, year, DOI and URL when known."""
    item: dict = {"@type": SCHEMA_TYPES.get(work.entry_type, "CreativeWork")}
    title = _field(work, "title")
    if title:
        item["name"] = title
    authors = [creator.json_ld() for creator in creators(work)]
    if authors:
        item["author"] = authors
    date = publication_date(work, separator="-")
    if date:
        item["datePublished"] = date
    container = _field(work, "journal", "journaltitle", "booktitle")
    if container:
        item["isPartOf"] = {"@type": "Periodical" if work.entry_type == "article" else "Book", "name": container}
    publisher = _field(work, "publisher", "institution", "organization", "school")
    if publisher:
        item["publisher"] = {"@type": "Organization", "name": publisher}
    doi = bare_doi(_field(work, "doi"))
    if doi:
        item["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": doi}
        item["sameAs"] = doi_url(doi)
    url = work_url(work)
    if url:
        item["url"] = url
    return item


def json_ld(review: Work, page: PageFacts, works: list[Work], cited: dict[str, dict] | None = None) -> dict:
    """The page as a part of the republished work, with the works it cites (`cited`: a memo of
    `creative_work` by key, kept across the pages of a build)."""
    review_type = SCHEMA_TYPES.get(review.entry_type, "CreativeWork")
    authors = [creator.json_ld() for creator in creators(review)]
    publisher = _field(review, "institution", "publisher", "organization")
    whole = creative_work(review)
    data: dict = {
        "@context": "https://schema.org",
        "@type": review_type,
        "name": page_citation_title(review, page),
        "headline": page.title or _field(review, "title"),
    }
    if page.url:
        data["@id"] = page.url
        data["url"] = page.url
    if page.description:
        data["description"] = page.description
    if authors:
        data["author"] = authors
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    date = publication_date(review, separator="-")
    if date:
        data["datePublished"] = date
    if page.date_modified:
        data["dateModified"] = page.date_modified
    if page.language:
        data["inLanguage"] = page.language
    if page.image_url:
        data["image"] = page.image_url
    data["isPartOf"] = whole
    memo = cited if cited is not None else {}
    data["citation"] = [memo[work.key] if work.key in memo else memo.setdefault(work.key, creative_work(work))
                        for work in works]
    return data
