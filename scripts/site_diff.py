#!/usr/bin/env python3
"""What a change does to the site, for readers' eyes: the change report of a pull request.

    .venv/bin/python scripts/site_diff.py main                 # main against the working tree
    .venv/bin/python scripts/site_diff.py origin/main HEAD     # two commits
    .venv/bin/python scripts/site_diff.py main --format markdown

Builds the site at BASE (a commit, checked out with `git worktree add --detach` in a temporary
folder: the working tree is never touched) and at HEAD (default: the working tree as it is,
saved or not) with scripts/site_snapshot.py, and reports what a reader would see change:
endnotes renumbered (as ranges, with the pages and the cause), added, removed or citing other
works; works newly cited, no longer cited, or whose reference reads differently; pages added,
removed, moved or retitled; Related blocks and evidence-map cells; new build warnings, broken
links and front-matter problems. It informs and never blocks: the exit status is 0 whatever it
finds (2 only when it cannot run, e.g. BASE is not a commit). `scripts/check.py` is the gate.

A commit's snapshot is kept in .cache/site-diff/ (keyed by its tree and this code), so the
report on the next change to the same base builds only the working tree.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "site_snapshot.py"
NO_CHANGE = "No change readers would see."
FRONT_MATTER_KINDS = ("[front_matter]", "[related_not_found]")
# MkDocs' own link validation (validation: in mkdocs.yml) says these.
LINK_WARNING = re.compile(r"link|anchor", re.IGNORECASE)
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


class CannotRun(Exception):
    """The report cannot be made at all (not a git repository, BASE is no commit, ...)."""


# ---------------------------------------------------------------------------------------------
# Building the two snapshots


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise CannotRun(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout.strip()


def code_fingerprint() -> str:
    """Snapshots made by other code are not reused."""
    return hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()[:12]


def start_snapshot(tree: Path, out: Path, site_dir: Path | None = None) -> subprocess.Popen:
    command = [sys.executable, str(SNAPSHOT), str(tree), str(out)]
    if site_dir is not None:
        command += ["--site-dir", str(site_dir)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(tree))
    return subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_snapshot(process: subprocess.Popen, out: Path, what: str) -> dict:
    _, stderr = process.communicate()
    if process.returncode != 0 or not out.is_file():
        raise CannotRun(f"building {what} failed to run:\n{stderr.strip()[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


@dataclass
class Side:
    """One side of the comparison: a commit, or the working tree (commit None)."""

    label: str
    commit: str | None = None
    tree_id: str | None = None


def resolve_side(repo: Path, ref: str | None) -> Side:
    if ref is None:
        return Side("the working tree")
    found = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           capture_output=True, text=True)
    commit = found.stdout.strip()
    if found.returncode != 0 or not commit:
        raise CannotRun(f"{ref!r} is not a commit of this repository. Give a branch, tag or commit, e.g. main.")
    label = commit[:7] if commit.startswith(ref.lower()) else f"{ref} ({commit[:7]})"
    return Side(label, commit, git(repo, "rev-parse", f"{commit}^{{tree}}"))


def snapshots(repo: Path, sides: list[Side], *, use_cache: bool, site_dir: Path | None) -> list[dict]:
    """Both snapshots, built side by side; commits from the cache when it has them."""
    cache = repo / ".cache" / "site-diff"
    results: list[dict | None] = [None] * len(sides)
    with tempfile.TemporaryDirectory(prefix="site-diff-") as temp:
        temp = Path(temp)
        running, worktrees = [], []
        try:
            for index, side in enumerate(sides):
                cached = cache / f"{side.tree_id}-{code_fingerprint()}.json" if side.commit else None
                if cached is not None and use_cache and cached.is_file():
                    results[index] = json.loads(cached.read_text(encoding="utf-8"))
                    continue
                if side.commit is None:
                    tree = repo
                else:
                    tree = temp / f"tree-{index}"
                    git(repo, "worktree", "add", "--detach", "--quiet", str(tree), side.commit)
                    worktrees.append(tree)
                    # The evidence plugin's library cache is keyed by content: share the editor's.
                    (repo / ".cache").mkdir(exist_ok=True)
                    if not (tree / ".cache").exists():
                        (tree / ".cache").symlink_to(repo / ".cache", target_is_directory=True)
                out = temp / f"snapshot-{index}.json"
                keep = site_dir if (site_dir is not None and index == len(sides) - 1) else None
                running.append((index, start_snapshot(tree, out, keep), out, cached))
            for index, process, out, cached in running:
                results[index] = finish_snapshot(process, out, sides[index].label)
                if cached is not None:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    cached.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
        finally:
            for _, process, _, _ in running:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            for tree in worktrees:
                subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)],
                               capture_output=True)
            if worktrees:
                subprocess.run(["git", "-C", str(repo), "worktree", "prune"], capture_output=True)
    return results  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# Writing: the same report as plain text or Markdown


class Plain:
    def title(self, text: str) -> str:
        return f"*{text}*"

    def code(self, text: str) -> str:
        return text

    def text(self, text: str) -> str:
        return text

    def render(self, heading: str, sections: list[tuple[str, list[str]]]) -> str:
        lines = [heading, "=" * len(heading)]
        for name, items in sections:
            lines += ["", name]
            lines += [f"  - {item}" for item in items]
        return "\n".join(lines) + "\n"


class Markdown(Plain):
    SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")

    def text(self, text: str) -> str:
        return self.SPECIAL.sub(r"\\\1", text)

    def title(self, text: str) -> str:
        return f"*{self.text(text)}*"

    def code(self, text: str) -> str:
        return f"`{text.replace('`', '')}`"

    def render(self, heading: str, sections: list[tuple[str, list[str]]]) -> str:
        lines = [f"### {heading}"]
        for name, items in sections:
            lines += ["", f"#### {name}", ""]
            lines += [f"- {item}" for item in items]
        return "\n".join(lines) + "\n"


def times(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def listing(items: list[str], limit: int = 4) -> str:
    if len(items) > limit:
        items = items[:limit] + [f"{len(items) - limit} more"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def changed_words(old: str, new: str, limit: int = 3) -> str:
    """The words that differ, for a reader scanning a long reference: `"A" → "a"`."""
    before, after = old.split(), new.split()
    changes = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        gone, came = " ".join(before[a1:a2]), " ".join(after[b1:b2])
        if op == "replace":
            changes.append(f"“{gone}” → “{came}”")
        elif op == "delete":
            changes.append(f"“{gone}” removed")
        elif op == "insert":
            changes.append(f"“{came}” added")
    if len(changes) > limit:
        changes = changes[:limit] + [f"{len(changes) - limit} more"]
    return "; ".join(changes)


# ---------------------------------------------------------------------------------------------
# Comparing


@dataclass
class Note:
    page: str  # the page's source file, in the base's names
    title: str
    numeral: str
    number: int
    keys: tuple[str, ...]
    text: str


@dataclass
class Comparison:
    base: dict
    head: dict
    fmt: Plain
    sections: list[tuple[str, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base_pages = {p["src"]: p for p in self.base["pages"]}
        self.head_pages = {p["src"]: p for p in self.head["pages"]}
        self.renamed = self._match_renamed()  # head src -> base src
        self.labels = {**self._labels(self.base), **self._labels(self.head)}

    def add(self, name: str, items: list[str]) -> None:
        if items:
            self.sections.append((name, items))

    @staticmethod
    def _labels(snapshot: dict) -> dict[str, str]:
        labels: dict[str, str] = {}
        for page in snapshot["pages"]:
            for key, label in page["labels"].items():
                labels.setdefault(key, label)
        return labels

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def _match_renamed(self) -> dict[str, str]:
        """Pages whose source file changed name: same title, or failing that the same notes."""
        removed = [s for s in self.base_pages if s not in self.head_pages]
        added = [s for s in self.head_pages if s not in self.base_pages]
        matches: dict[str, str] = {}
        for same in (lambda b, h: b["title"] == h["title"],
                     lambda b, h: bool(b["notes"]) and [n["keys"] for n in b["notes"]] == [n["keys"] for n in h["notes"]]):
            for new in added:
                if new in matches:
                    continue
                for old in removed:
                    if old not in matches.values() and same(self.base_pages[old], self.head_pages[new]):
                        matches[new] = old
                        break
        return matches

    def base_name(self, head_src: str) -> str:
        return self.renamed.get(head_src, head_src)

    # --- pages ---------------------------------------------------------------------------

    def pages(self) -> None:
        f = self.fmt
        items = []
        matched = set(self.renamed.values())
        for src, page in self.head_pages.items():
            if src not in self.base_pages and src not in self.renamed:
                items.append(f"added: {f.title(page['title'])} ({f.code(page['url'])})")
        for src, page in self.base_pages.items():
            if src not in self.head_pages and src not in matched:
                items.append(f"removed: {f.title(page['title'])} ({f.code(page['url'])})")
        for new, old in self.renamed.items():
            before, after = self.base_pages[old], self.head_pages[new]
            items.append(f"moved: {f.title(after['title'])} from {f.code(before['url'])} to {f.code(after['url'])}"
                         f" (file {f.code(old)} renamed {f.code(new)})")
        for src, after in self.head_pages.items():
            before = self.base_pages.get(self.base_name(src))
            if before is None:
                continue
            if before["title"] != after["title"]:
                items.append(f"retitled: {f.title(before['title'])} → {f.title(after['title'])} ({f.code(after['url'])})")
            elif before.get("heading") != after.get("heading") and after.get("heading"):
                items.append(f"{f.title(after['title'])} has a new heading: {f.title(before.get('heading', ''))} → "
                             f"{f.title(after['heading'])} ({f.code(after['url'])})")
            if before["in_nav"] and not after["in_nav"]:
                items.append(f"{f.title(after['title'])} is no longer in the navigation")
            elif after["in_nav"] and not before["in_nav"]:
                items.append(f"{f.title(after['title'])} is now in the navigation")
            elif before["nav"] != after["nav"] and after["in_nav"]:
                where = " › ".join(after["nav"]) or "the top level"
                was = " › ".join(before["nav"]) or "the top level"
                items.append(f"{f.title(after['title'])} moved in the navigation: now under {f.text(where)} (was {f.text(was)})")
        items += self._reordered()
        self.add("Pages", items)

    def _reordered(self) -> list[str]:
        """Pages in both navigations whose place among the others changed."""
        base_order = [p["src"] for p in self.base["pages"] if p["in_nav"]]
        head = [p for p in self.head["pages"] if p["in_nav"] and self.base_name(p["src"]) in base_order]
        head_order = [self.base_name(p["src"]) for p in head]
        common = set(head_order)
        base_order = [src for src in base_order if src in common]
        matcher = difflib.SequenceMatcher(None, base_order, head_order, autojunk=False)
        kept = {src for block in matcher.get_matching_blocks() for src in base_order[block.a:block.a + block.size]}
        items = []
        for index, page in enumerate(head):
            section_changed = self.base_pages[head_order[index]]["nav"] != page["nav"]  # said already
            if head_order[index] not in kept and not section_changed:
                before = head[index - 1]["title"] if index else None
                where = f"now after {self.fmt.title(before)}" if before else "now first"
                items.append(f"{self.fmt.title(page['title'])} moved in the navigation: {where}")
        return items

    # --- endnotes --------------------------------------------------------------------------

    def _notes(self, snapshot: dict, rename) -> list[Note]:
        """Every endnote once, on the page that owns it (a view such as the print page repeats them)."""
        seen, notes = set(), []
        for page in snapshot["pages"]:
            for note in page["notes"]:
                if note["numeral"] in seen:
                    continue
                seen.add(note["numeral"])
                notes.append(Note(rename(page["src"]), page["title"], note["numeral"], note["number"],
                                  tuple(note["keys"]), note["text"]))
        return sorted(notes, key=lambda n: n.number)

    def endnotes(self) -> None:
        f = self.fmt
        base = self._notes(self.base, lambda src: src)
        head = self._notes(self.head, self.base_name)
        matcher = difflib.SequenceMatcher(None, [(n.page, n.keys) for n in base], [(n.page, n.keys) for n in head],
                                          autojunk=False)
        moved: list[tuple[Note, Note]] = []
        added: list[Note] = []
        removed: list[Note] = []
        changed: list[tuple[Note, Note]] = []
        reworded: list[tuple[Note, Note]] = []
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            olds, news = base[a1:a2], head[b1:b2]
            if op == "equal":
                for old, new in zip(olds, news):
                    if old.number != new.number:
                        moved.append((old, new))
                    if old.text != new.text:
                        reworded.append((old, new))
                continue
            # A replaced stretch: notes on the same page pair up (their works changed).
            for old in olds:
                partner = next((new for new in news if new.page == old.page), None)
                if partner is None:
                    removed.append(old)
                    continue
                news.remove(partner)
                changed.append((old, partner))
                if old.number != partner.number:
                    moved.append((old, partner))
            added.extend(news)
        # A page that moved in the navigation takes its notes along: renumbered, not removed and added.
        self.moved_with_page = []
        for old in list(removed):
            partner = next((new for new in added if (new.page, new.keys) == (old.page, old.keys)), None)
            if partner is not None:
                removed.remove(old)
                added.remove(partner)
                moved.append((old, partner))
                self.moved_with_page.append((old, partner))

        items = []
        for run in self._runs(moved):
            items.append(self._describe_run(run, added, removed))
        for note in added:
            items.append(f"added: {note.numeral} on {f.title(note.title)}: {f.text(note.text)}")
        for note in removed:
            items.append(f"removed: {note.numeral} on {f.title(note.title)}: {f.text(note.text)}")
        for old, new in changed:
            items.append(f"{new.numeral} on {f.title(new.title)} cites other works: {f.text(old.text)} → {f.text(new.text)}")
        for old, new in reworded:
            items.append(f"{new.numeral} on {f.title(new.title)} reads differently: {f.text(old.text)} → {f.text(new.text)}")
        self.add("Endnotes", items)

    @staticmethod
    def _runs(moved: list[tuple[Note, Note]]) -> list[list[tuple[Note, Note]]]:
        """Consecutive notes that moved by the same amount."""
        runs: list[list[tuple[Note, Note]]] = []
        for old, new in sorted(moved, key=lambda pair: pair[1].number):
            shift = new.number - old.number
            if runs:
                last_old, last_new = runs[-1][-1]
                if last_new.number - last_old.number == shift and new.number == last_new.number + 1:
                    runs[-1].append((old, new))
                    continue
            runs.append([(old, new)])
        return runs

    def _describe_run(self, run, added: list[Note], removed: list[Note]) -> str:
        f = self.fmt
        (first_old, first_new), (last_old, last_new) = run[0], run[-1]
        shift = first_new.number - first_old.number
        direction = "up" if shift > 0 else "down"
        if len(run) == 1:
            what = f"{first_old.numeral} moves {direction} by {times(abs(shift))} (now {first_new.numeral})"
        else:
            what = (f"{first_old.numeral}–{last_old.numeral} move {direction} by {times(abs(shift))} "
                    f"(now {first_new.numeral}–{last_new.numeral})")
        titles = list(dict.fromkeys(new.title for _, new in run))
        if len(titles) <= 3:
            where = "on " + listing([f.title(t) for t in titles])
        else:
            where = f"on {len(titles)} pages, {f.title(titles[0])} to {f.title(titles[-1])}"
        # The cause: every note added or removed before this stretch.
        causes: dict[tuple[str, str], int] = {}
        for note in added:
            if note.number < first_new.number:
                causes[("added on", note.title)] = causes.get(("added on", note.title), 0) + 1
        for note in removed:
            if note.number < first_old.number:
                causes[("removed from", note.title)] = causes.get(("removed from", note.title), 0) + 1
        for old, new in self.moved_with_page:
            if new.number < first_new.number or old.number < first_old.number or (old, new) in run:
                causes[("moved with", new.title)] = causes.get(("moved with", new.title), 0) + 1
        reasons = [f"{'a note was' if n == 1 else times(n) + ' notes were'} {verb} {f.title(title)}"
                   if verb != "moved with" else f"{f.title(title)} moved in the navigation"
                   for (verb, title), n in causes.items()]
        return f"{what}, {where}" + (f": {listing(reasons)}" if reasons else "")

    # --- works -----------------------------------------------------------------------------

    @staticmethod
    def _references(snapshot: dict) -> dict[str, str]:
        for page in snapshot["pages"]:
            if page["references"]:
                return page["references"]
        return {}

    @staticmethod
    def _cited(snapshot: dict) -> set[str]:
        return {key.lower() for page in snapshot["pages"] for key in page["cited"]}

    def works(self) -> None:
        f = self.fmt
        base_refs, head_refs = self._references(self.base), self._references(self.head)
        base_cited, head_cited = self._cited(self.base), self._cited(self.head)
        items = []
        for key in sorted(head_cited - base_cited):
            items.append(f"newly cited: {f.code(key)}: {f.text(head_refs.get(key, self.label(key)))}")
        for key in sorted(base_cited - head_cited):
            items.append(f"no longer cited: {f.code(key)}: {f.text(base_refs.get(key, self.label(key)))}")
        for key in sorted(set(base_refs) & set(head_refs)):
            if base_refs[key] != head_refs[key]:
                items.append(f"reference changed: {f.code(key)} ({f.text(changed_words(base_refs[key], head_refs[key]))}): "
                             f"{f.text(base_refs[key])} → {f.text(head_refs[key])}")
        self.add("Works and references", items)

    # --- Related blocks and the evidence map ----------------------------------------------

    def related(self) -> None:
        f = self.fmt
        items = []
        for src, after in self.head_pages.items():
            before = self.base_pages.get(self.base_name(src))
            old = (before or {}).get("related") or {"see_also": [], "also_cited": {}}
            new = after.get("related") or {"see_also": [], "also_cited": {}}
            if old == new or (before is None and after.get("related")):
                continue  # a new page's block is new as a whole
            parts = []
            gained = [t for t in new["see_also"] if t not in old["see_also"]]
            lost = [t for t in old["see_also"] if t not in new["see_also"]]
            if gained:
                parts.append("see also " + listing([f.title(t) for t in gained], 6) + " added")
            if lost:
                parts.append("see also " + listing([f.title(t) for t in lost], 6) + " removed")
            for title, summary in new["also_cited"].items():
                if title not in old["also_cited"]:
                    parts.append(f"now also cited in {f.title(title)} ({f.text(summary)})")
                elif old["also_cited"][title] != summary:
                    parts.append(f"{f.title(title)}: {f.text(old['also_cited'][title])} → {f.text(summary)}")
            for title, summary in old["also_cited"].items():
                if title not in new["also_cited"]:
                    parts.append(f"no longer also cited in {f.title(title)} (was {f.text(summary)})")
            if not parts and list(new["also_cited"]) != list(old["also_cited"]):
                parts.append("the same pages in a new order")  # only when nothing else explains it
            if parts:
                items.append(f"{f.title(after['title'])}: " + "; ".join(parts))
        self.add("Related blocks", items)

    @staticmethod
    def _map_cells(snapshot: dict, slugs: dict[str, str]) -> tuple[dict[tuple[str, ...], list[str]], dict[str, str]]:
        """Cells by their pair of page slugs (`slugs` renames a renamed page's to the base's)."""
        data = snapshot.get("evidence_map") or {}
        titles = {slugs.get(item["slug"], item["slug"]): item["title"] for value in data.values() if isinstance(value, list)
                  for item in value if isinstance(item, dict) and "slug" in item and "title" in item}
        cells = {}
        for cell in data.get("cells", []):
            axes = tuple(slugs.get(str(value), str(value)) for name, value in sorted(cell.items())
                         if name not in ("count", "works"))
            cells[axes] = list(cell.get("works", []))
        return cells, titles

    def evidence_map(self) -> None:
        f = self.fmt
        base, base_titles = self._map_cells(self.base, {})
        head, head_titles = self._map_cells(self.head, {Path(new).stem: Path(old).stem for new, old in self.renamed.items()})
        titles = {**base_titles, **head_titles}

        def name(pair):
            return " × ".join(f.title(titles.get(slug, slug)) for slug in pair)

        def works(keys):
            return f.text("; ".join(self.label(k) for k in keys))

        items = []
        for pair in sorted(set(base) | set(head)):
            old, new = base.get(pair), head.get(pair)
            if old == new:
                continue
            if old is None:
                items.append(f"new cell {name(pair)}: {plural(len(new), 'work', 'works')} ({works(new)})")
            elif new is None:
                items.append(f"cell gone {name(pair)}: was {plural(len(old), 'work', 'works')} ({works(old)})")
            else:
                change = []
                if [k for k in new if k not in old]:
                    change.append("+ " + works([k for k in new if k not in old]))
                if [k for k in old if k not in new]:
                    change.append("− " + works([k for k in old if k not in new]))
                items.append(f"{name(pair)}: {len(old)} → {plural(len(new), 'work', 'works')} ({', '.join(change)})")
        self.add("Evidence map", items)

    # --- problems --------------------------------------------------------------------------

    @staticmethod
    def _without_lines(message: str) -> str:
        """The same problem after lines moved: `file.md:12:` and `line 12` compare equal."""
        return re.sub(r"(:\d+:|\bline \d+)", ":", message)

    def problems(self) -> None:
        f = self.fmt
        kinds: dict[str, list[str]] = {"Front matter problems": [], "Broken links": [], "Build warnings": []}
        old = Counter(self._without_lines(m) for m in self.base["warnings"])
        for message in self.head["warnings"]:
            key = self._without_lines(message)
            if old[key] > 0:
                old[key] -= 1
                continue
            if message.rstrip().endswith(FRONT_MATTER_KINDS):
                kinds["Front matter problems"].append(f.text(message))
            elif LINK_WARNING.search(message) and "[" not in message.rsplit(" ", 1)[-1]:
                kinds["Broken links"].append(f.text(message))
            else:
                kinds["Build warnings"].append(f.text(message))
        known = {(link["page"], link["href"]) for link in self.base["broken_links"]}
        reported = " ".join(kinds["Broken links"])
        for link in self.head["broken_links"]:
            # MkDocs' validation already named the links written in Markdown.
            if (link["page"], link["href"]) not in known and f"'{link['href']}'" not in reported:
                kinds["Broken links"].append(f"on {f.title(link['title'])} ({f.code(link['page'] or '/')}): a link to "
                                             f"{f.code(link['href'])} leads nowhere")
        for name, items in kinds.items():
            self.add(f"New {name[0].lower()}{name[1:]}", items)
        fixed = sum(old.values())  # the base's warnings the head no longer has
        if fixed > 0:
            self.add("Problems fixed", [f"{plural(fixed, 'warning', 'warnings')} of the base no longer appear"])

    def report(self) -> list[tuple[str, list[str]]]:
        failures = [f"the site at the {side} does not build: {self.fmt.text(snapshot['failure'])}"
                    for side, snapshot in (("base", self.base), ("head", self.head)) if snapshot.get("failure")]
        if failures:  # nothing to compare page by page; the warnings say why
            self.add("The site does not build", failures)
            self.base = {**self.base, "broken_links": []}
            self.head = {**self.head, "broken_links": []}
            self.problems()
            return self.sections
        self.pages()
        self.endnotes()
        self.works()
        self.related()
        self.evidence_map()
        self.problems()
        return self.sections


def render_report(base: dict, head: dict, base_label: str, head_label: str, markdown: bool) -> str:
    fmt = Markdown() if markdown else Plain()
    sections = Comparison(base, head, fmt).report()
    heading = f"Changes readers would see: {base_label} → {head_label}"
    if not sections:
        return fmt.render(heading, []) + ("\n" if not markdown else "\n") + NO_CHANGE + "\n"
    return fmt.render(heading, sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Report what a change does to the site, as readers would see it.")
    parser.add_argument("base", help="the commit to compare with (a branch, tag or commit), e.g. main")
    parser.add_argument("head", nargs="?", help="the commit to report on (default: the working tree)")
    parser.add_argument("--format", choices=["text", "markdown"], default="text",
                        help="plain text for a terminal (default) or Markdown (a pull request's summary)")
    parser.add_argument("--site-dir", type=Path, help="keep the head's built site (English) in this folder")
    parser.add_argument("--no-cache", action="store_true", help="build the base even if .cache/site-diff has it")
    args = parser.parse_args(argv)
    try:
        repo = Path(git(Path.cwd(), "rev-parse", "--show-toplevel"))
        sides = [resolve_side(repo, args.base), resolve_side(repo, args.head)]
        base, head = snapshots(repo, sides, use_cache=not args.no_cache,
                               site_dir=args.site_dir.resolve() if args.site_dir else None)
    except CannotRun as error:
        print(f"site_diff: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(render_report(base, head, sides[0].label, sides[1].label, args.format == "markdown"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
