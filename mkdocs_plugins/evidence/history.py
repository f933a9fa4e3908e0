"""The site's history, read from git with GitPython: what changed on which day, and the version built.

What's new lists, per day, the pages changed under the docs folder and the works added, removed
or changed in the .bib files; "Cite this page" names the version read (a release tag, else the
commit). Nothing here imports MkDocs. Git is optional: a copy without `.git` or a shallow clone
still builds, and `SiteHistory.notice` says what is missing and how to get it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .bibliography import ENTRY_START  # the library's own idea of where an entry starts


@dataclass
class DayOfChanges:
    """Everything committed to the sources on one day (UTC), newest day first in `SiteHistory`."""

    day: dt.date
    updated: dt.datetime  # the newest commit of the day
    pages: list[str] = field(default_factory=list)  # docs paths (`guide/setup.md`), first seen first
    pages_removed: list[str] = field(default_factory=list)
    works_added: list[str] = field(default_factory=list)  # BibTeX keys
    works_removed: list[str] = field(default_factory=list)
    works_changed: list[str] = field(default_factory=list)
    first_version: bool = False  # the day the sources were first committed: everything is "added"

    @property
    def anchor(self) -> str:
        return self.day.isoformat()


@dataclass
class SiteHistory:
    changes: list[DayOfChanges] = field(default_factory=list)
    commit: str | None = None  # HEAD, abbreviated
    tag: str | None = None  # a tag pointing at HEAD (the release), if any
    shallow: bool = False
    notice: str | None = None  # why dates or history fall back, for the build log

    @property
    def version(self) -> str | None:
        """`v1.2` for a tagged release, else the commit (`4c04f33`); None without git."""
        return self.tag or self.commit

    @property
    def latest(self) -> dt.datetime | None:
        """When the sources last changed: the date of a page the plugin generates from all of them."""
        return self.changes[0].updated if self.changes else None


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


_SKIPPED = {"comment", "string", "preamble"}


def _bib_entries(text: str) -> dict[str, str]:
    """Key (lower case) -> the entry's fields without spacing, sorted, so re-aligning or
    re-ordering them (bib_tidy) changes nothing. Entries are cut at the next `@type{key,` and
    split at top-level commas: no parse, since every commit's .bib is read (10,000 entries at
    the largest benchmark size). Comment lines after an entry are left out."""
    starts = [m for m in ENTRY_START.finditer(text) if m.group(1).lower() not in _SKIPPED]
    entries = {}
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        lines = [line for line in text[match.start():end].split("\n") if not line.lstrip().startswith("%")]
        packed = "".join("".join(lines).split())
        body = packed[packed.find(match.group(1)) + len(match.group(1)) + 1:]
        body = body[:-1] if body.endswith(("}", ")")) else body  # the entry's closing brace
        fields, depth, start = [], 0, 0
        for position, char in enumerate(body):
            if char in "{(":
                depth += 1
            elif char in "})":
                depth -= 1
            elif char == "," and depth == 0:
                fields.append(body[start:position])
                start = position + 1
        fields.append(body[start:])
        entries[match.group(2).lower()] = "\n".join(sorted(field for field in fields[1:] if field))
    return entries


def _entries_of(blob, cache: dict) -> dict[str, str]:
    """A .bib blob's entries; each blob read once (a commit's new .bib is the next one's old)."""
    if blob is None:
        return {}
    if blob.hexsha not in cache:
        cache[blob.hexsha] = _bib_entries(blob.data_stream.read().decode("utf-8", errors="replace"))
    return cache[blob.hexsha]


def read_history(root: Path, docs_dir: Path, bib_paths: list[Path], days: int = 50) -> SiteHistory:
    """The last `days` days with commits touching `docs_dir` or a .bib file, newest first.

    `root` is any folder inside the repository (mkdocs.yml's). Merge commits are skipped: their
    changes are in the commits they merge. In a shallow clone the oldest commit fetched is left
    out, since git shows it as adding every file.
    """
    try:
        import git  # GitPython (a dependency of mkdocs-git-revision-date-localized-plugin)
    except ImportError:  # pragma: no cover - installed with the plugin
        return SiteHistory(notice="GitPython is not installed: no page history. pip install GitPython.")
    try:
        repo = git.Repo(root, search_parent_directories=True)
        head = repo.head.commit
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError) as error:
        return SiteHistory(notice=(
            f"{root} is not in a git repository with commits ({type(error).__name__}), a copy without "
            ".git perhaps: pages show the build date as their last update and What's new lists nothing. "
            "Build from a clone with its full history for the real dates."))
    except git.GitCommandNotFound:
        return SiteHistory(notice="git is not installed: pages show the build date as their last update "
                                  "and What's new lists nothing. Install git.")
    try:
        with repo:
            return _read(repo, head, docs_dir, bib_paths, days)
    except git.GitCommandError as error:  # e.g. a checkout git calls "dubious ownership"
        return SiteHistory(notice=f"git could not read the history ({str(error.stderr).strip()}): pages show "
                                  "the build date as their last update and What's new lists nothing.")


def _read(repo, head, docs_dir: Path, bib_paths: list[Path], days: int) -> SiteHistory:
    """read_history() in an open repository."""
    top = Path(repo.working_tree_dir).resolve()

    def inside(path: Path) -> str | None:
        path = Path(path).resolve()
        return path.relative_to(top).as_posix() if path.is_relative_to(top) else None

    docs = inside(docs_dir)
    bibs = {bib for bib in map(inside, bib_paths) if bib}
    folders = sorted(bibs | ({docs} if docs else set()))
    history = SiteHistory(commit=repo.git.rev_parse("--short", head.hexsha))
    if not folders:
        history.notice = f"neither {docs_dir} nor a .bib file is in the repository at {top}: What's new lists nothing."
        return history
    tags = repo.git.tag("--points-at", head.hexsha, "--sort=-creatordate").split()
    history.tag = tags[0] if tags else None
    shallow_file = Path(repo.common_dir) / "shallow"
    boundary = set(shallow_file.read_text().split()) if shallow_file.exists() else set()
    history.shallow = bool(boundary)
    by_day: dict[dt.date, DayOfChanges] = {}
    blobs: dict[str, dict[str, str]] = {}  # .bib blob -> its entries
    oldest_read = None
    complete = True  # the oldest day listed holds the first commit of the sources
    for commit in repo.iter_commits(head, paths=folders, no_merges=True):
        oldest_read = commit
        if commit.hexsha in boundary:
            complete = False
            break
        when = commit.committed_datetime.astimezone(dt.timezone.utc)
        day = when.date()
        if day not in by_day:
            if len(by_day) == days:
                complete = False
                break
            by_day[day] = DayOfChanges(day, when)
        _record(by_day[day], commit, docs, bibs, folders, blobs)
    if complete and by_day:
        by_day[min(by_day)].first_version = True
    if history.shallow and oldest_read is not None and oldest_read.hexsha in boundary:
        first = oldest_read.committed_datetime.astimezone(dt.timezone.utc).date().isoformat()
        history.notice = (
            f"shallow clone: history before {first} is missing, so pages not changed since then show "
            f"{first} as their last update and What's new starts there. Fetch the full history "
            "(git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0).")
    history.changes = sorted(by_day.values(), key=lambda change: change.day, reverse=True)
    return history


def _record(entry: DayOfChanges, commit, docs: str | None, bibs: set[str], folders: list[str], cache: dict) -> None:
    """Add one commit's changed pages and works to its day (commits come newest first)."""
    import git

    if commit.parents:
        diffs = commit.parents[0].diff(commit, paths=folders)  # renames detected (-M)
    else:
        diffs = commit.diff(git.NULL_TREE, paths=folders)  # against nothing: every file added
    prefix = "" if docs in (None, ".") else docs + "/"
    for diff in diffs:
        new_path = None if diff.deleted_file else diff.b_path
        old_path = None if diff.new_file else diff.a_path
        path = new_path or old_path
        if docs is not None and path.startswith(prefix) and path.endswith(".md"):
            if new_path:
                _add(entry.pages, new_path[len(prefix):])
            else:
                _add(entry.pages_removed, old_path[len(prefix):])
        if new_path in bibs or old_path in bibs:
            before = _entries_of(diff.a_blob, cache) if old_path in bibs else {}
            after = _entries_of(diff.b_blob, cache) if new_path in bibs else {}
            for key, text in after.items():
                if key not in before:
                    _add(entry.works_added, key)
                elif text != before[key]:
                    _add(entry.works_changed, key)
            for key in before:
                if key not in after:
                    _add(entry.works_removed, key)
