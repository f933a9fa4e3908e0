"""Every content check of the site without building it: `scripts/check.py` runs these.

The same core as the build: `load_library` for the .bib files, `read_page_meta` and
`check_related` for front matter, and the Markdown extension (with the site's own
markdown_extensions) for citations and their lines. On top, checks only editors need:
entries missing a field their type needs (warning), cited entries not yet verified and
entries no page cites (notices).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown import Markdown

from .bibliography import Library, load_library, read_sources
from .compat import narrative_enabled
from .markdown_ext import CitationExtension, PageCollector
from .pages import PageMeta, check_related, read_page_meta, split_body
from .problems import Problem, ProblemList
from .project import MKDOCS_BUILTIN_EXTENSIONS, Project
from .registry import check_keys

ERROR, WARNING, NOTICE = "error", "warning", "notice"

# Fields an entry type needs (BibTeX and biblatex); a tuple means "one of these".
REQUIRED_FIELDS: dict[str, list[tuple[str, ...]]] = {
    "article": [("title",), ("journal", "journaltitle")],
    "book": [("title",), ("publisher",)],
    "inbook": [("title",), ("chapter", "pages"), ("publisher",)],
    "incollection": [("title",), ("booktitle",), ("publisher",)],
    "inproceedings": [("title",), ("booktitle",)],
    "conference": [("title",), ("booktitle",)],
    "mastersthesis": [("title",), ("school", "institution")],
    "phdthesis": [("title",), ("school", "institution")],
    "thesis": [("title",), ("school", "institution")],
    "techreport": [("title",), ("institution",)],
    "report": [("title",), ("institution",)],
    "online": [("title",), ("url", "doi", "eprint")],
    "unpublished": [("title",), ("note",)],
    "manual": [("title",)],
    "booklet": [("title",)],
    "proceedings": [("title",)],
}
# Every other kind is an error: the strict build fails on it.
LEVELS = {"missing_type_field": WARNING, "unverified_cited": NOTICE, "uncited": NOTICE}


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    library: Library | None = None
    cited: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)  # key -> places

    def count(self, level: str) -> int:
        return sum(1 for p in self.problems if p.level == level)


def markdown_for(project: Project, collector: PageCollector) -> Markdown:
    """The site's Markdown (its extensions, MkDocs' built-ins) plus the citation extension."""
    names = [name for name in project.extensions
             if name not in ("evidence_citations", "mkdocs_plugins.evidence.standalone")]
    configs = {name: config for name, config in project.extension_configs.items() if name in names}
    extension = CitationExtension(collector, narrative=narrative_enabled(project.options))
    try:
        return Markdown(extensions=[extension, *names], extension_configs=configs)
    except Exception:  # an extension whose options need MkDocs (!!python/name:...): MkDocs' own set
        return Markdown(extensions=[extension, *MKDOCS_BUILTIN_EXTENSIONS])


def check_required_fields(library: Library, problems: ProblemList) -> None:
    """Verified entries lacking a field their type needs (unverified ones are expected to)."""
    for work in library.works.values():
        if not work.verified:
            continue
        present = {name for name, value in work.raw_fields.items() if value.strip()}
        for alternatives in REQUIRED_FIELDS.get(work.entry_type, []):
            if not present.intersection(alternatives):
                wanted = " or ".join(alternatives)
                problems.add(
                    "missing_type_field", work.file, work.line,
                    f"@{work.entry_type} entry '{work.key}' has no {wanted}. Add it if a source states it, "
                    "or use a type that does not need it (@misc).",
                    level=WARNING,
                )


def run_checks(project: Project) -> CheckResult:
    problems = ProblemList()
    sources, read_problems = read_sources(project.bib_paths, project.root)
    problems.extend(read_problems)
    library = load_library(sources, problems, unverified_marker=project.unverified_marker)
    check_required_fields(library, problems)

    metas: list[PageMeta] = []
    texts: dict[str, str] = {}
    collector = PageCollector()
    md = markdown_for(project, collector)
    cited: dict[str, list[tuple[str, int | None]]] = {}
    schema = project.schema
    for path in project.pages():
        display = project.display(path)
        uri = project.src_uri(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            problems.add("page_unreadable", display, None, f"cannot read the page: {error}.")
            continue
        texts[uri] = text
        metas.append(read_page_meta(uri, display, text, problems, schema))
        body, offset = split_body(text)
        collector.start(display, body, offset)
        md.reset()
        html = md.convert(body)
        for kind, line, message in collector.errors:
            problems.add(kind, display, line, message)
        for group in collector.placed_groups(html).values():
            check_keys(group, library, display, problems)
            for key in group.keys:
                cited.setdefault(key.lower(), []).append((display, group.line))
    check_related(metas, problems, texts, schema)

    for work in library.works.values():
        places = cited.get(work.key.lower())
        if places and not work.verified:
            where = f"{places[0][0]}:{places[0][1]}" if places[0][1] else places[0][0]
            more = f" and {len(places) - 1} other place(s)" if len(places) > 1 else ""
            problems.add("unverified_cited", work.file, work.line,
                         f"entry '{work.key}' is cited ({where}{more}) but its details are not yet verified.",
                         level=NOTICE)
        elif not places:
            problems.add("uncited", work.file, work.line,
                         f"entry '{work.key}' is not cited on any page.", level=NOTICE)

    result = CheckResult(library=library, cited=cited)
    for problem in problems:
        level = LEVELS.get(problem.kind, ERROR)
        result.problems.append(Problem(problem.kind, problem.file, problem.line, problem.message, level))
    result.problems.sort(key=lambda p: (_LEVEL_ORDER[p.level], p.file, p.line or 0))
    return result


_LEVEL_ORDER = {ERROR: 0, WARNING: 1, NOTICE: 2}


def format_plain(problem: Problem) -> str:
    """`docs/index.md:12: error: message [kind]`."""
    return f"{problem.location()}: {problem.level}: {problem.message} [{problem.kind}]"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command: the pull request shows it on the line."""
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    props.append(f"title={_escape_property(problem.kind)}")
    return f"::{problem.level} {','.join(props)}::{_escape_data(problem.message)}"
