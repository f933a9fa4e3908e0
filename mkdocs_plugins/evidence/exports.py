"""Exports built with the site: the library as BibTeX, RIS and CSL-JSON files, each entry's
BibTeX and RIS under its reference (to copy, or to save: the file is made in the browser from
that text by assets/evidence.js, so the site holds no file per entry), and a "Cite this page" block.

Only what the .bib states is exported: no field is guessed or filled in. LaTeX in values is
decoded to Unicode for RIS and CSL-JSON (`Leit{\\~a}o` -> `Leitão`); the BibTeX exports keep
the entries as written (tidied, `bibtidy`). `and others` has no RIS or CSL equivalent and is
left out of the name lists there (the BibTeX keeps it). `annote` (the editors' provenance
notes) is kept in the BibTeX only.

Every text from BibTeX or a page title that goes into HTML is escaped with `render.esc`.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import shutil
import tempfile
from pathlib import Path
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from .bibliography import Library, Work, initials, latex_to_text
from .render import esc

MONTHS = {name: index for index, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

CSL_TYPES = {
    "article": "article-journal", "book": "book", "booklet": "pamphlet", "inbook": "chapter",
    "incollection": "chapter", "inproceedings": "paper-conference", "conference": "paper-conference",
    "manual": "report", "mastersthesis": "thesis", "phdthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "unpublished": "manuscript", "online": "webpage",
    "proceedings": "book", "misc": "document",
}
RIS_TYPES = {
    "article": "JOUR", "book": "BOOK", "booklet": "PAMP", "inbook": "CHAP", "incollection": "CHAP",
    "inproceedings": "CPAPER", "conference": "CPAPER", "manual": "RPRT", "mastersthesis": "THES",
    "phdthesis": "THES", "thesis": "THES", "techreport": "RPRT", "report": "RPRT", "unpublished": "UNPB",
    "online": "ELEC", "proceedings": "CONF", "misc": "GEN",
}
# Name roles and the plain fields each format takes, in output order.
CSL_NAMES = {"author": "author", "editor": "editor", "translator": "translator"}
RIS_NAMES = {"author": "AU", "editor": "A2", "translator": "A4"}


def _fields(work: Work) -> dict[str, str]:
    return work.raw_fields or work.fields


@dataclass
class Name:
    """A BibTeX name split as BibTeX does (the attribute names are pybtex's)."""

    first_names: list[str]
    prelast_names: list[str]
    last_names: list[str]
    lineage_names: list[str]
    middle_names: list[str] = dataclass_field(default_factory=list)


def _split_top_level(text: str, separators: str) -> list[str]:
    """Split at separator characters outside braces."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth == 0 and char in separators:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _is_lower(word: str) -> bool:
    """BibTeX's von test: the first letter outside braces (or of a `{\\'e}` accent) is lower case."""
    depth = 0
    for index, char in enumerate(word):
        if char == "{":
            if depth == 0 and word[index + 1:index + 2] == "\\":
                command = re.match(r"\\[A-Za-z]+|\\.", word[index + 1:])
                rest = word[index + 1 + (command.end() if command else 1):]
                letter = re.search(r"[A-Za-z]", rest)
                return bool(letter and letter.group(0).islower())
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isalpha():
            return char.islower()
    return False


def parse_name(name: str) -> Name:
    """`van der Berg, Jr, Jan`, `Jan van der Berg`, `{Home Office}`: pure Python, no pybtex."""
    parts = [part.strip() for part in _split_top_level(name.strip(), ",")]

    def words(text: str) -> list[str]:
        return [w for w in _split_top_level(text, " \t\n~") if w]

    if len(parts) == 1:
        tokens = words(parts[0])
        if len(tokens) <= 1:
            return Name([], [], tokens, [])
        lower = [i for i, w in enumerate(tokens[:-1]) if _is_lower(w)]
        if not lower:
            return Name(tokens[:-1], [], tokens[-1:], [])
        return Name(tokens[:lower[0]], tokens[lower[0]:lower[-1] + 1], tokens[lower[-1] + 1:], [])
    first = words(parts[-1])
    lineage = words(parts[1]) if len(parts) >= 3 else []
    tokens = words(parts[0])
    von = []
    while len(tokens) > 1 and _is_lower(tokens[0]):
        von.append(tokens.pop(0))
    return Name(first, von, tokens, lineage)


def _persons(work: Work, role: str) -> list[Name]:
    """The names of a role, as BibTeX splits them (`and others` included)."""
    return [parse_name(name) for name in work.persons.get(role, [])]


def _text(value: str) -> str:
    return latex_to_text(value).strip()


def _is_others(person) -> bool:
    return " ".join(person.last_names).lower() == "others" and not person.first_names


def _name_parts(person) -> dict[str, str]:
    """CSL name: family/given/particle/suffix, or `literal` for a corporate `{Home Office}`."""
    last = person.last_names
    if len(last) == 1 and last[0].startswith("{") and last[0].endswith("}") and not (
            person.first_names or person.middle_names or person.prelast_names):
        return {"literal": _text(last[0])}
    parts = {"family": _text(" ".join(last))}
    given = " ".join(person.first_names + person.middle_names)
    if given:
        parts["given"] = _text(given)
    if person.prelast_names:
        parts["non-dropping-particle"] = _text(" ".join(person.prelast_names))
    if person.lineage_names:
        parts["suffix"] = _text(" ".join(person.lineage_names))
    return parts


def _year(fields: dict[str, str]) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) as stated by year/month or date; None where not stated."""
    date = _text(fields.get("date", ""))
    match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date)
    if match:
        return tuple(int(g) if g else None for g in match.groups())  # type: ignore[return-value]
    year = _text(fields.get("year", ""))
    if not re.fullmatch(r"\d{4}", year):
        return None, None, None
    month_text = _text(fields.get("month", "")).lower()
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text[:3])
    return int(year), month, None


def _pages(value: str) -> tuple[str, str, str]:
    """('155-163', '155', '163') from `155--163`."""
    text = _text(value).replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*-+\s*", "-", text)
    first, _, last = text.partition("-")
    return text, first, last


def _notes(fields: dict[str, str]) -> list[str]:
    return [_text(fields[name]) for name in ("howpublished", "note") if fields.get(name, "").strip()]


def csl_item(work: Work) -> dict:
    """One CSL-JSON item from what the entry states."""
    fields = _fields(work)
    item: dict = {"id": work.key, "type": CSL_TYPES.get(work.entry_type, "document")}
    for role, variable in CSL_NAMES.items():
        names = [_name_parts(p) for p in _persons(work, role) if not _is_others(p)]
        if names:
            item[variable] = names
    simple = {
        "title": ["title"], "container-title": ["journal", "journaltitle", "booktitle"],
        "collection-title": ["series"], "volume": ["volume"], "edition": ["edition"],
        "publisher": ["publisher", "institution", "school", "organization"],
        "publisher-place": ["address", "location"], "DOI": ["doi"], "URL": ["url"], "ISBN": ["isbn"],
        "ISSN": ["issn"], "PMID": ["pmid"], "PMCID": ["pmcid"], "genre": ["type"], "abstract": ["abstract"],
        "chapter-number": ["chapter"],
    }
    for variable, names in simple.items():
        for name in names:
            if fields.get(name, "").strip():
                item[variable] = _text(fields[name])
                break
    if fields.get("number", "").strip():
        item["issue" if item["type"] == "article-journal" else "number"] = _text(fields["number"])
    if fields.get("pages", "").strip():
        item["page"] = _pages(fields["pages"])[0]
    year, month, day = _year(fields)
    if year:
        item["issued"] = {"date-parts": [[part for part in (year, month, day) if part]]}
    urldate = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", _text(fields.get("urldate", "")))
    if urldate:
        item["accessed"] = {"date-parts": [[int(g) for g in urldate.groups()]]}
    notes = _notes(fields)
    if notes:
        item["note"] = ". ".join(notes)
    if fields.get("keywords", "").strip():
        item["keyword"] = _text(fields["keywords"])
    return item


def ris_record(work: Work) -> list[tuple[str, str]]:
    """One RIS record as (tag, value) lines, `TY` first and `ER` last."""
    fields = _fields(work)
    lines = [("TY", RIS_TYPES.get(work.entry_type, "GEN")), ("ID", work.key)]
    for role, tag in RIS_NAMES.items():
        for person in _persons(work, role):
            if _is_others(person):
                continue
            parts = _name_parts(person)
            if "literal" in parts:
                lines.append((tag, parts["literal"]))
                continue
            family = " ".join(filter(None, [parts.get("non-dropping-particle"), parts["family"]]))
            name = ", ".join(filter(None, [family, parts.get("given"), parts.get("suffix")]))
            lines.append((tag, name))

    def add(tag: str, *names: str) -> None:
        for name in names:
            if fields.get(name, "").strip():
                lines.append((tag, _text(fields[name])))
                return

    add("TI", "title")
    add("T2", "journal", "journaltitle", "booktitle")
    add("T3", "series")
    add("VL", "volume")
    add("IS", "number")
    if fields.get("pages", "").strip():
        _, first, last = _pages(fields["pages"])
        lines.append(("SP", first))
        if last:
            lines.append(("EP", last))
    add("ET", "edition")
    add("PB", "publisher", "institution", "school", "organization")
    add("CY", "address", "location")
    add("M3", "type")
    year, month, day = _year(fields)
    if year:
        lines.append(("PY", str(year)))
        if month:
            lines.append(("DA", f"{year}/{month:02d}/{f'{day:02d}' if day else ''}/"))
    add("DO", "doi")
    add("UR", "url")
    add("SN", "isbn", "issn")
    add("Y2", "urldate")
    add("AB", "abstract")
    for keyword in (k.strip() for k in _text(fields.get("keywords", "")).split(",")):
        if keyword:
            lines.append(("KW", keyword))
    for note in _notes(fields):
        lines.append(("N1", note))
    lines.append(("ER", ""))
    return lines


def ris_text(records: list[list[tuple[str, str]]], newline: str = "\n") -> str:
    out = []
    for record in records:
        out.extend(f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}" for tag, value in record)
        out.append("")
    return newline.join(out)


def file_stems(keys: list[str]) -> dict[str, str]:
    """A file name (and HTML id) stem for each key: letters, digits, '-' and '_' only, unique."""
    stems: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        stem = re.sub(r"[^A-Za-z0-9_-]", "_", key) or "entry"
        candidate, n = stem, 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate.lower())
        stems[key.lower()] = candidate
    return stems


@dataclass
class EntryExports:
    """Per entry (lower-cased key): what the References page and "Cite this page" show."""

    bibtex: dict[str, str]  # entry as BibTeX
    ris: dict[str, str]  # RIS record
    stems: dict[str, str]  # file stem (for ids and download names)
    names: dict[str, str]  # Harvard author list (for "Cite this page")


@dataclass
class Exports(EntryExports):
    """Everything exported, computed once per build from the library and its sources."""

    library_bibtex: str = ""
    library_ris: str = ""
    library_csl: str = ""

    def library_files(self) -> dict[str, str]:
        """Extension -> the whole library in that format."""
        return {"bib": self.library_bibtex, "ris": self.library_ris, "json": self.library_csl}


def build_exports(library: Library, sources: list[tuple[str, str]]) -> Exports:
    """`sources` as given to load_library: (text, display path) pairs."""
    from .bibtidy import BibTidyError, entry_texts  # only when the exports are not cached
    bibtex: dict[str, str] = {}
    for text, _ in sources:
        try:
            for key, formatted in entry_texts(text).items():
                bibtex.setdefault(key, formatted)
        except BibTidyError:
            pass  # a syntax problem is reported by the library; entries keep their fallback below
    works = list(library.works.values())
    keys = [work.key for work in works]
    records = {work.key.lower(): ris_record(work) for work in works}
    for work in works:
        bibtex.setdefault(work.key.lower(), _fallback_bibtex(work))
    if len(sources) == 1:
        library_bibtex = sources[0][0]
    else:
        library_bibtex = "\n".join(f"% ---- {path} ----\n\n{text.rstrip()}\n" for text, path in sources)
    csl = [csl_item(work) for work in works]
    return Exports(
        library_bibtex=library_bibtex,
        library_ris=ris_text(list(records.values()), newline="\r\n"),
        library_csl=json.dumps(csl, indent=2, ensure_ascii=False) + "\n",
        bibtex={key.lower(): bibtex[key.lower()] for key in keys},
        ris={key: ris_text([record]) for key, record in records.items()},
        stems=file_stems(keys),
        names={work.key.lower(): harvard_names(work) for work in works},
    )


LIBRARY_FILE_NAMES = {"bib": "references.bib", "ris": "references.ris", "json": "references.json"}


class StoredExports:
    """The exports of one library, kept in a cache folder when there is one.

    The whole-library files stay on disk (MkDocs copies them; at 10,000 entries they are 20 MB);
    the per-entry texts are read only when a page asks for them. A folder whose key file does
    not match, or a part that cannot be read, means the exports are built again, never trusted.
    """

    def __init__(self, library: Library, sources: list[tuple[str, str]], cache_dir: Path | None,
                 cache_key: str | None):
        self._library, self._sources = library, sources
        self.folder = cache_dir / f"exports-{cache_key[:32]}" if cache_dir and cache_key else None
        self._key = cache_key
        self._built: Exports | None = None
        if not self._stored():
            self._built = build_exports(library, sources)
            self._store(self._built)

    def _stored(self) -> bool:
        try:
            return (self.folder is not None and (self.folder / "key").read_text(encoding="utf-8") == self._key
                    and all((self.folder / name).is_file() for name in [*LIBRARY_FILE_NAMES.values(), "entries.json"]))
        except OSError:
            return False

    def _store(self, exports: Exports) -> None:
        if self.folder is None:
            return
        temporary = None
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(dir=self.folder.parent, prefix=".exports-"))
            for extension, text in exports.library_files().items():
                (temporary / LIBRARY_FILE_NAMES[extension]).write_text(text, encoding="utf-8", newline="")
            entries = {name: getattr(exports, name) for name in ("bibtex", "ris", "stems", "names")}
            (temporary / "entries.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
            (temporary / "key").write_text(self._key, encoding="utf-8")  # last: marks the folder complete
            shutil.rmtree(self.folder, ignore_errors=True)
            os.replace(temporary, self.folder)
        except OSError:
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)
            self.folder = None  # a read-only checkout still builds, from memory

    def library_files(self) -> dict[str, str | Path]:
        """Extension -> the file's text, or the path of its stored copy."""
        if self._built is not None and self.folder is None:
            return self._built.library_files()
        return {extension: self.folder / name for extension, name in LIBRARY_FILE_NAMES.items()}

    @functools.cached_property
    def entries(self) -> EntryExports:
        if self._built is not None:
            return self._built
        try:
            return EntryExports(**json.loads((self.folder / "entries.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            self._built = build_exports(self._library, self._sources)  # unreadable: build, don't trust
            self._store(self._built)
            return self._built


# --- HTML ------------------------------------------------------------------------------------


def _copy_button(target_id: str, text: str, label: str) -> str:
    """Material's clipboard (no JavaScript of ours) copies the target's text."""
    return (f'<button type="button" class="md-button evidence-copy" data-clipboard-target="#{target_id}" '
            f'aria-label="{esc(label)}">{esc(text)}</button>')


def downloads_html(strings: dict[str, str], link: dict[str, str]) -> str:
    """The library as files: `link` maps 'bib' / 'ris' / 'json' to URLs."""
    return (
        f'<p class="evidence-downloads">{esc(strings["download_library"])}: '
        f'<a href="{esc(link["bib"])}" download>BibTeX (references.bib)</a>, '
        f'<a href="{esc(link["ris"])}" download>RIS (references.ris)</a>, '
        f'<a href="{esc(link["json"])}" download>CSL-JSON (references.json)</a></p>'
    )


def _export_text(target_id: str, text: str) -> str:
    """Text to copy or save. The id sits on a wrapper: Material renames the id of every <pre>
    holding <code> (to `__code_<id>`), which would break the buttons' targets."""
    return f'<div class="evidence-export-text" id="{target_id}"><pre><code>{esc(text)}</code></pre></div>'


def _download_button(target_id: str, filename: str, media_type: str, newline: str, text: str) -> str:
    """Hidden until evidence.js runs; it saves the target's text as `filename`."""
    return (f'<button type="button" class="md-button evidence-download" hidden data-download-target="{target_id}" '
            f'data-filename="{esc(filename)}" data-type="{media_type}" data-newline="{newline}">{esc(text)}</button>')


# (label, extension, media type, line ends of the downloaded file)
ENTRY_FORMATS = (("BibTeX", "bib", "application/x-bibtex", "lf"), ("RIS", "ris", "application/x-research-info-systems", "crlf"))


def entry_export_html(work: Work, exports: EntryExports, strings: dict[str, str]) -> str:
    """Under one reference: BibTeX and RIS to copy, or to save as a file (made in the browser)."""
    key = work.key.lower()
    stem = exports.stems[key]
    name = f"{work.label} {work.year_text(strings['no_date'])}"
    parts = [f'<details class="evidence-export"><summary>{esc(strings["cite_formats"])}</summary>']
    for kind, extension, media_type, newline in ENTRY_FORMATS:
        text = exports.bibtex[key] if extension == "bib" else exports.ris[key]
        target = f"{extension}-{stem}"
        filename = f"{stem}.{extension}"
        parts.append(
            f'{_export_text(target, text.rstrip())}\n'
            f'<p>{_copy_button(target, strings["copy"].format(format=kind), strings["copy_of"].format(format=kind, work=name))} '
            f'{_download_button(target, filename, media_type, newline, strings["download"].format(file=filename))}</p>'
        )
    parts.append("</details>")
    return "\n".join(parts)


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """Plain text (a page title) as a BibTeX value."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


def _fallback_bibtex(work: Work) -> str:
    """An entry from the parsed fields, for the rare entry the tidy reader could not split out."""
    fields = [(role, " and ".join(names)) for role, names in work.persons.items()] + list(work.raw_fields.items())
    width = max((len(name) for name, _ in fields), default=0)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{work.entry_type}{{{work.key},\n{body}\n}}"


def page_bibtex(review: Work, page_title: str, page_url: str | None, page_key: str) -> str:
    """The page as an @incollection of the review, from the review's own fields (as written)."""
    raw = _fields(review)
    fields = []
    if review.persons.get("author"):
        fields.append(("author", " and ".join(review.persons["author"])))
    fields.append(("title", latex_escape(page_title)))
    if raw.get("title"):
        fields.append(("booktitle", raw["title"]))
    publisher = raw.get("publisher") or raw.get("institution") or raw.get("organization")
    if publisher:
        fields.append(("publisher", publisher))
    if raw.get("year"):
        fields.append(("year", raw["year"]))
    fields.append(("note", "Web edition"))
    if page_url:
        fields.append(("url", page_url))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@incollection{{{page_key},\n{body}\n}}"


def harvard_names(work: Work) -> str:
    """`Abbott, D., Townsley, R. and Watson, D.`, `et al.` for `and others`; plain text."""
    persons = _persons(work, "author") or _persons(work, "editor")
    named = [p for p in persons if not _is_others(p)]
    parts = []
    for person in named:
        family = latex_to_text(" ".join(person.prelast_names + person.last_names))
        given = initials(person.first_names + person.middle_names)
        lineage = latex_to_text(" ".join(person.lineage_names))
        parts.append(", ".join(filter(None, [family, lineage, given])))
    if not parts:
        return work.label
    if len(named) < len(persons):
        return ", ".join(parts) + " et al."
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def page_harvard_html(review: Work, names: str, page_title: str, page_url: str | None) -> str:
    """`Peixoto Gomes, L. (2021) <em>Title</em>. Institution. Web edition, ‘Page’. Available at: URL.`"""
    fields = review.fields
    text = f"{esc(names)} ({esc(review.year or 'n.d.')})"  # no a/b: that letter is this site's
    if fields.get("title"):
        text += f" <em>{esc(fields['title'])}</em>."
    publisher = fields.get("publisher") or fields.get("institution") or fields.get("organization")
    if publisher:
        text += f" {esc(publisher)}."
    text += f" Web edition, ‘{esc(page_title)}’."
    if page_url:
        text += f' Available at: <a href="{esc(page_url)}">{esc(page_url)}</a>.'
    return text


def cite_page_html(review: Work, names: str, page_title: str, page_url: str | None, page_key: str,
                   strings: dict[str, str]) -> str:
    """The "Cite this page" block: Harvard text and BibTeX, each with a copy button."""
    harvard = page_harvard_html(review, names, page_title, page_url)
    bibtex = page_bibtex(review, page_title, page_url, page_key)
    return (
        f'<details class="evidence-cite-page">\n<summary>{esc(strings["cite_this_page"])}</summary>\n'
        f'<p>{esc(strings["cite_this_page_intro"])}</p>\n'
        f'<p id="evidence-cite-harvard" class="evidence-cite-harvard">{harvard}</p>\n'
        f'<p>{_copy_button("evidence-cite-harvard", strings["copy"].format(format=strings["harvard"]), strings["copy_of"].format(format=strings["harvard"], work=strings["this_page"]))}</p>\n'
        f'{_export_text("evidence-cite-bibtex", bibtex)}\n'
        f'<p>{_copy_button("evidence-cite-bibtex", strings["copy"].format(format="BibTeX"), strings["copy_of"].format(format="BibTeX", work=strings["this_page"]))}</p>\n'
        f"</details>"
    )


def page_key(review_key: str, page_url: str) -> str:
    """`peixotogomes2021-factors-key-worker` (the home page: `peixotogomes2021-web`)."""
    path = re.sub(r"(index)?\.html$", "", page_url).strip("/")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-").lower()
    return f"{review_key}-{slug or 'web'}"


class SiteExports:
    """What the plugin asks for: the export files, and the HTML added to the pages.

    `references_page` is the References page's path in docs/ (the library files sit beside
    it); `review_key` names the work every page's "Cite this page" block cites (None: no block).
    """

    def __init__(self, library: Library, sources: list[tuple[str, str]], strings: dict[str, str], *,
                 references_page: str, review_key: str | None, site_url: str | None, problems=None,
                 config_path: str = "mkdocs.yml", cache_dir: Path | None = None, cache_key: str | None = None):
        self.library = library
        self.strings = strings
        self.exports = StoredExports(library, sources, cache_dir, cache_key)
        folder = posixpath.dirname(references_page)
        self.library_uris = {ext: posixpath.join(folder, f"references.{ext}") for ext in ("bib", "ris", "json")}
        self.references_page = references_page
        self.site_url = (site_url or "").rstrip("/") + "/" if site_url else None
        self.review = library.get(review_key) if review_key else None
        if review_key and self.review is None and problems is not None:
            problems.add("key_not_found", config_path, None,
                         f"cite_this_page names '{review_key}', which is not in the bibliography. "
                         "Give the key of the work this site republishes.")

    def files(self) -> dict[str, str | Path]:
        """URI in the site -> the file's text, or the path of a stored copy."""
        return {self.library_uris[extension]: file for extension, file in self.exports.library_files().items()}

    def downloads(self, relative) -> str:
        """The line linking the library files, above the references; `relative(uri)` links from the page."""
        return downloads_html(self.strings, {ext: relative(uri) for ext, uri in self.library_uris.items()})

    def entry_html(self, work: Work) -> str:
        """The export block under one reference (render_references' `extra`)."""
        return entry_export_html(work, self.exports.entries, self.strings)

    def cite_this_page(self, page_title: str, page_url: str) -> str:
        """The page's "Cite this page" block, or "" when no `cite_this_page` work is set."""
        if self.review is None:
            return ""
        url = self.site_url + page_url if self.site_url is not None else None
        key = page_key(self.review.key, page_url)
        names = self.exports.entries.names.get(self.review.key.lower(), self.review.label)
        return "\n" + cite_page_html(self.review, names, page_title, url, key, self.strings)
