"""Deterministic synthetic MkDocs sites for the citation benchmark.

Used by ``scripts/bench.py``; can also be run on its own to write one site::

    .venv/bin/python scripts/bench_sites.py --size small --out /tmp/bench-site

A site is ``<out>/docs/*.md`` plus ``<out>/refs.bib``. The mkdocs.yml files
(one per variant) are written by ``bench.py``, not here.

Everything is drawn from ``random.Random(seed)``, so the same arguments always
give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# name: (pages, entries, citations per page)
SIZES = {
    "small": (25, 100, 10),
    "medium": (200, 1_000, 20),
    "large": (1_000, 10_000, 20),
}

SURNAMES = [
    "Smith", "Jones", "Williams", "Taylor", "Davies", "Brown", "Evans", "Wilson",
    "Thomas", "Roberts", "Johnson", "Lewis", "Walker", "Robinson", "Wood",
    "Thompson", "White", "Watson", "Jackson", "Wright", "Green", "Harris",
    "Cooper", "King", "Lee", "Martin", "Clarke", "James", "Morgan", "Hughes",
    "Edwards", "Hill", "Moore", "Clark", "Harrison", "Scott", "Young", "Morris",
    "Hall", "Ward", "Turner", "Carter", "Phillips", "Mitchell", "Patel",
    "Adams", "Campbell", "Anderson", "Allen", "Cook", "Bailey", "Parker",
    "Miller", "Davis", "Murphy", "Price", "Bell", "Baker", "Griffiths",
    "Kelly", "Simpson", "Marshall", "Collins", "Bennett", "Cox", "Richardson",
    "Fox", "Gray", "Rose", "Chapman", "Hunt", "Robertson", "Shaw", "Reynolds",
    "Lloyd", "Ellis", "Richards", "Russell", "Wilkinson", "Khan", "Graham",
    "Stewart", "Reid", "Murray", "Powell", "Palmer", "Holmes", "Rogers",
    "Stevens", "Walsh", "Hunter", "Thomson", "Matthews", "Ross", "Owen",
    "Mason", "Knight", "Kennedy", "Butler", "Saunders", "Okafor", "Nguyen",
    "Kowalski", "Rossi", "Schmidt", "Jansen", "Hansen", "Sato", "Chen",
]

# Surnames with LaTeX accents, and the plain ASCII used for their cite keys.
ACCENTED_SURNAMES = [
    ("Leit{\\~a}o", "Leitao"),
    ("M{\\\"u}ller", "Muller"),
    ("Garc{\\'\\i}a", "Garcia"),
    ("Nu{\\~n}ez", "Nunez"),
    ("Bj{\\\"o}rk", "Bjork"),
    ("Gon{\\c{c}}alves", "Goncalves"),
    ("J{\\o}rgensen", "Jorgensen"),
    ("Dvo{\\v{r}}{\\'a}k", "Dvorak"),
    ("Ren{\\'e}", "Rene"),
    ("Br{\\aa}ten", "Braaten"),
]

FIRST_NAMES = [
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael",
    "Linda", "David", "Elizabeth", "Sarah", "Rhys", "Cerys", "Gareth", "Sian",
    "Dylan", "Megan", "Owain", "Ffion", "Aled", "Nia", "Priya", "Amir",
    "Chloe", "Tom", "Anna", "Ben", "Kate", "Helen", "Mark", "Paul", "Ruth",
]
ACCENTED_FIRST_NAMES = ["Fran{\\c{c}}ois", "Jos{\\'e}", "Ren{\\'e}e", "Zo{\\\"e}", "In{\\^e}s"]

CORPORATE_AUTHORS = [
    ("{Home Office}", "HomeOffice"),
    ("{Welsh Government}", "WelshGovernment"),
    ("{Department for Education}", "DepartmentforEducation"),
    ("{Care Inspectorate Wales}", "CareInspectorateWales"),
    ("{National Audit Office}", "NationalAuditOffice"),
    ("{Ofsted}", "Ofsted"),
    ("{Social Care Wales}", "SocialCareWales"),
    ("{NSPCC}", "NSPCC"),
]

JOURNALS = [
    "Child and Family Social Work", "Children and Youth Services Review",
    "British Journal of Social Work", "Child Abuse \\& Neglect",
    "Journal of Interprofessional Care", "Adoption \\& Fostering",
    "Child Care in Practice", "Journal of Children's Services",
    "Health and Social Care in the Community", "Public Administration",
]
PUBLISHERS = [
    ("Policy Press", "Bristol"), ("Routledge", "London"),
    ("Jessica Kingsley Publishers", "London"), ("Sage", "London"),
    ("Oxford University Press", "Oxford"), ("Palgrave Macmillan", "Basingstoke"),
]
INSTITUTIONS = [
    "Wales Centre for Public Policy", "Cardiff University",
    "Research in Practice", "Centre for Social Justice",
    "Early Intervention Foundation", "What Works for Children's Social Care",
    "Coram", "University of Bristol",
]

TITLE_WORDS = (
    "multi-agency working outcomes children looked after care leavers foster "
    "placement stability integrated services partnership collaboration "
    "information sharing governance leadership trust professional boundaries "
    "safeguarding early intervention mental health education attainment "
    "participation voice workforce training co-location joint commissioning "
    "evaluation systematic review qualitative study practice framework "
    "accountability resilience transitions wellbeing corporate parenting"
).split()

LOREM = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
    "tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam "
    "quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo "
    "consequat duis aute irure in reprehenderit voluptate velit esse cillum "
    "fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt "
    "culpa qui officia deserunt mollit anim id est laborum agency partnership "
    "practitioners outcomes placement carers services evidence review young "
    "people families support"
).split()

NARRATIVE_VERBS = ["argue", "found", "report", "note", "suggest", "describe", "show"]


@dataclass
class Entry:
    key: str
    type: str
    fields: dict[str, str] = field(default_factory=dict)
    persons: list[str] = field(default_factory=list)  # BibTeX "author" parts

    def to_bibtex(self) -> str:
        lines = [f"@{self.type}{{{self.key},"]
        lines.append(f"  author = {{{' and '.join(self.persons)}}},")
        for name, value in self.fields.items():
            lines.append(f"  {name} = {{{value}}},")
        lines.append("}")
        return "\n".join(lines)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", text)


def _title(rng: random.Random, words: int | None = None) -> str:
    n = words or rng.randint(4, 10)
    ws = rng.sample(TITLE_WORDS, n)
    title = " ".join(ws)
    title = title[0].upper() + title[1:]
    if rng.random() < 0.3:
        title += ": a " + rng.choice(["review", "case study", "mixed-methods study", "realist evaluation"])
    if rng.random() < 0.1:
        title += " in {Wales}"
    return title


def _person(rng: random.Random) -> tuple[str, str]:
    """One personal name as BibTeX text, and the ASCII surname for keys."""
    if rng.random() < 0.12:
        last, last_ascii = rng.choice(ACCENTED_SURNAMES)
    else:
        last = last_ascii = rng.choice(SURNAMES)
    first = rng.choice(ACCENTED_FIRST_NAMES) if rng.random() < 0.05 else rng.choice(FIRST_NAMES)
    style = rng.random()
    if style < 0.55:
        return f"{last}, {first}", last_ascii
    if style < 0.8:
        initials = f"{first[0]}." + (f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.4 else "")
        if first.startswith(("Fran", "Jos", "Ren", "Zo", "In")):
            initials = f"{first[0]}."
        return f"{last}, {initials}", last_ascii
    return f"{first} {last}", last_ascii


def generate_entries(n: int, rng: random.Random) -> list[Entry]:
    entries: list[Entry] = []
    keys: set[str] = set()
    # Roughly 8% of entries copy the full author list and year of an earlier
    # entry, so author-date styles must add a/b suffixes.
    for i in range(n):
        collide = entries and rng.random() < 0.08
        if collide:
            model = rng.choice(entries)
            persons = list(model.persons)
            year = model.fields["year"]
            key_surname = model.key_surname  # type: ignore[attr-defined]
        else:
            year = str(rng.randint(1995, 2023))
            if rng.random() < 0.08:
                corp, key_surname = rng.choice(CORPORATE_AUTHORS)
                persons = [corp]
            else:
                r = rng.random()
                count = 1 if r < 0.35 else 2 if r < 0.65 else rng.randint(3, 6)
                people = [_person(rng) for _ in range(count)]
                persons = [p for p, _ in people]
                key_surname = people[0][1]
        title = _title(rng)
        first_word = re.sub(r"[^a-z]", "", title.split()[0].lower())
        base = f"{key_surname.lower()}{year}{first_word}"
        key, k = base, 2
        while key in keys:
            key, k = f"{base}{k}", k + 1
        keys.add(key)

        r = rng.random()
        f: dict[str, str] = {"title": title, "year": year}
        if persons[0].startswith("{") and r < 0.45:
            r = 0.6  # corporate authors write reports, not articles
        if r < 0.45:
            etype = "article"
            first_page = rng.randint(1, 900)
            f.update(
                journal=rng.choice(JOURNALS),
                volume=str(rng.randint(1, 60)),
                number=str(rng.randint(1, 12)),
                pages=f"{first_page}--{first_page + rng.randint(5, 30)}",
                doi=f"10.{rng.randint(1000, 9999)}/bench.{year}.{i:05d}",
            )
        elif r < 0.65:
            etype = "book"
            publisher, address = rng.choice(PUBLISHERS)
            f.update(publisher=publisher, address=address)
            if rng.random() < 0.3:
                f["edition"] = rng.choice(["2nd", "3rd"])
        elif r < 0.85:
            etype = "techreport"
            f.update(
                institution=rng.choice(INSTITUTIONS),
                number=f"WP-{rng.randint(1, 99)}",
                url=f"https://example.org/reports/{year}/{i:05d}.pdf",
            )
        else:
            etype = "misc"
            f.update(
                howpublished=rng.choice(["Briefing paper", "Conference presentation", "Online resource"]),
                note=f"Accessed {rng.randint(1, 28)} March {rng.randint(2019, 2024)}",
            )
        e = Entry(key=key, type=etype, fields=f, persons=persons)
        e.key_surname = key_surname  # type: ignore[attr-defined]
        entries.append(e)
    return entries


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(LOREM) for _ in range(rng.randint(8, 18))]
    return " ".join(words)


class _KeyPicker:
    """Cycles through every key in a shuffled order, so each entry is cited
    at least once when there are at least as many citations as entries."""

    def __init__(self, keys: list[str], rng: random.Random):
        self.keys = list(keys)
        self.rng = rng
        self.order: list[str] = []

    def pick(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            if not self.order:
                self.order = list(self.keys)
                self.rng.shuffle(self.order)
            k = self.order.pop()
            if k not in out:
                out.append(k)
            elif len(self.keys) <= n:
                break
        return out


def _citation(rng: random.Random, picker: _KeyPicker) -> tuple[str, bool]:
    """Return (citation text, is_narrative)."""
    r = rng.random()
    if r < 0.40:
        return f"[@{picker.pick(1)[0]}]", False
    if r < 0.65:
        keys = picker.pick(rng.randint(2, 4))
        return "[" + "; ".join(f"@{k}" for k in keys) + "]", False
    if r < 0.85:
        loc = rng.choice([
            f"p. {rng.randint(2, 300)}",
            f"pp. {(a := rng.randint(2, 300))}-{a + rng.randint(1, 9)}",
            f"ch. {rng.randint(1, 12)}",
        ])
        return f"[@{picker.pick(1)[0]}, {loc}]", False
    return f"@{picker.pick(1)[0]}", True


@dataclass
class PagePlan:
    path: str  # inside docs/
    kind: str  # factor, outcome or section
    group: str = ""
    title: str = ""
    related: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return Path(self.path).stem


def plan_pages(pages: int, rng: random.Random) -> list[PagePlan]:
    """Lay the site out like the real review: an introduction, a factors section
    and an outcomes section (each with an index page), in navigation order."""
    width = max(3, len(str(pages)))
    plans = [PagePlan("index.md", "section", title="Introduction")]
    if pages >= 6:
        evidence = pages - 3
        n_factors = max(1, round(evidence * 0.6))
        plans.append(PagePlan("factors/index.md", "section", title="What makes multi-agency working effective?"))
        for i in range(1, n_factors + 1):
            group = "governance" if rng.random() < 0.5 else "team-working"
            plans.append(PagePlan(f"factors/factor-{i:0{width}d}.md", "factor", group))
        plans.append(PagePlan("outcomes/index.md", "section", title="Why it matters for outcomes"))
        for i in range(1, evidence - n_factors + 1):
            plans.append(PagePlan(f"outcomes/outcome-{i:0{width}d}.md", "outcome"))
    else:
        for i in range(2, pages + 1):
            kind = "factor" if i % 2 else "outcome"
            group = ("governance" if rng.random() < 0.5 else "team-working") if kind == "factor" else ""
            plans.append(PagePlan(f"{kind}-{i:0{width}d}.md", kind, group))
    slugs = [p.slug for p in plans if p.kind != "section"]
    for plan in plans:
        if plan.kind == "section":
            continue
        topic = " ".join(rng.sample(TITLE_WORDS, rng.randint(2, 4)))
        number = int(plan.slug.rsplit("-", 1)[1])
        plan.title = f"{plan.kind.capitalize()} {number}: {topic[0].upper() + topic[1:]}"
        others = [s for s in slugs if s != plan.slug]
        plan.related = rng.sample(others, min(len(others), rng.randint(0, 3)))
    return plans


def generate_page(plan: PagePlan, cites: int, rng: random.Random, picker: _KeyPicker) -> str:
    """Markdown (front matter + prose with `cites` citations) for one planned page."""
    summary = _sentence(rng).capitalize() + "."
    fm = f"kind: {plan.kind}\n"
    if plan.group:
        fm += f"group: {plan.group}\n"
    if plan.kind != "section":
        fm += f'summary: "{summary}"\n'
    if plan.related:
        fm += f"related: [{', '.join(plan.related)}]\n"
    title = plan.title

    n_par = rng.randint(4, 7)
    paragraphs: list[list[str]] = []
    for _ in range(n_par):
        paragraphs.append([_sentence(rng) for _ in range(rng.randint(3, 6))])
    # Spread citations over random sentences (several may land in one sentence).
    slots = [(p, s) for p, par in enumerate(paragraphs) for s in range(len(par))]
    placed: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    for _ in range(cites):
        placed.setdefault(rng.choice(slots), []).append(_citation(rng, picker))

    out = [f"---\n{fm}---\n", f"# {title}\n"]
    for p, par in enumerate(paragraphs):
        if p and p % 3 == 0:
            out.append(f"## {' '.join(rng.sample(LOREM, 3)).capitalize()}\n")
        sentences = []
        for s, sent in enumerate(par):
            narrative = []
            trailing = []
            for text, is_narr in placed.get((p, s), []):
                (narrative if is_narr else trailing).append(text)
            for text in narrative:
                # "As @key argue, ..." -- spaces either side of the key.
                sent = f"As {text} {rng.choice(NARRATIVE_VERBS)}, {sent}"
            sent = sent[0].upper() + sent[1:]
            if trailing:
                sent += " " + " ".join(trailing)
            sentences.append(sent + ".")
        out.append(" ".join(sentences) + "\n")
    return "\n".join(out)


@dataclass
class Site:
    root: Path
    docs_dir: Path
    bib: Path
    nav: list
    pages: int
    entries: int
    cites: int


def write_site(out: Path, pages: int, entries: int, cites: int, seed: int = 1) -> Site:
    """Write ``out/docs/**.md`` and ``out/refs.bib``; return the nav (in page order).

    ``pages`` counts every page: the introduction and, from 6 pages up, the two
    section index pages (factors/, outcomes/) are among them; the rest are
    factor (60%) and outcome pages. Every page carries ``cites`` citations.
    """
    rng = random.Random(f"bench-{seed}-{pages}-{entries}-{cites}")
    out.mkdir(parents=True, exist_ok=True)
    docs = out / "docs"
    docs.mkdir(exist_ok=True)
    ents = generate_entries(entries, rng)
    bib = out / "refs.bib"
    bib.write_text("\n\n".join(e.to_bibtex() for e in ents) + "\n", encoding="utf-8")
    picker = _KeyPicker([e.key for e in ents], rng)
    plans = plan_pages(pages, rng)
    nav: list = []
    section: list | None = None
    for plan in plans:
        text = generate_page(plan, cites, rng, picker)
        path = docs / plan.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if plan.path.endswith("/index.md"):
            section = [plan.path]
            nav.append({"Factors" if plan.path.startswith("factors") else "Outcomes": section})
        elif section is not None:
            section.append({plan.title: plan.path})
        else:
            nav.append({plan.title: plan.path})
    return Site(root=out, docs_dir=docs, bib=bib, nav=nav, pages=pages, entries=entries, cites=cites)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--pages", type=int)
    ap.add_argument("--entries", type=int)
    ap.add_argument("--cites", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    p, e, c = SIZES[a.size]
    site = write_site(a.out, a.pages or p, a.entries or e, a.cites or c, a.seed)
    print(f"wrote {site.pages} pages, {site.entries} entries to {site.root}")


if __name__ == "__main__":
    main()
