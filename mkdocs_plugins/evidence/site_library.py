"""The site's library for one build: its sources (.bib files, a bib_dir, a fetched address), read
from the content-keyed cache or parsed with pybtex, and references formatted only when shown."""

from __future__ import annotations

from pathlib import Path

from . import __version__, compat, remote
from .bibliography import load_library, read_sources
from .cache import LibraryCache, cache_key, tidy_cache_folder
from .coins import coins_span
from .options import Options
from .problems import ProblemList, SiteError


class ReadAgain:
    """The library's sources, (text, display path) pairs as read_sources gives them, without
    holding the .bib files' text: the files are read again each time it is gone through, which
    only a rebuild needs once the library is loaded (the exports of an unreadable cache,
    references the cache lacks). At 10,000 works the text is 3 MB that a warm build otherwise
    holds to its end. A use goes through it once (`list(sources)`) and lets the text go after;
    there is no indexing, which would read every file again for each item.

    `digest(sources)` is the cache key of the text as first read: a file edited since is an
    error, never a library of one text with exports of another."""

    def __init__(self, paths: list[Path], root: Path, digest, key: str):
        self._paths, self._root, self._digest, self._key = paths, root, digest, key

    def _read(self) -> list[tuple[str, str]]:
        sources, problems = read_sources(self._paths, self._root)
        if problems or self._digest(sources) != self._key:
            raise SiteError(f"{', '.join(display for _, display in sources) or 'the bibliography'} changed "
                            "or went while the site was being built. Build again.")
        return sources

    def __len__(self) -> int:
        return len(self._paths)

    def __iter__(self):
        return iter(self._read())


class SiteLibrary:
    """`library` (a bibliography.Library), `problems` found reading it, `messages` (INFO) to say."""

    def __init__(self, options: Options, root: Path, config_name: str = "mkdocs.yml"):
        self.options = options
        self.messages: list[str] = []
        # bib_files, bib_file, bib_dir (mkdocs-bibtex's options too; compat.py)
        self.paths = compat.bib_paths_from_options(options, root)
        sources, problems = read_sources(self.paths, root)
        url = compat.remote_bib(options)
        if url is not None:
            fetched = remote.fetch(url, root / options.cache_dir / "remote", options.bib_url_timeout)
            if fetched.text is not None:
                sources.append((fetched.text, url))
                if fetched.used_cache:
                    self.messages.append(fetched.message)  # INFO: an offline --strict build still passes
            else:
                problems.add("bib_unreadable", config_name, None, fetched.message)
        missing_dir = compat.bib_dir_problem(options, root)
        if missing_dir:
            problems.add("bib_unreadable", config_name, None, missing_dir)
        # A missing source is one error; "key not found" for each citation would only repeat it.
        self.incomplete = bool(problems)
        self.sources = sources
        self.cache = LibraryCache(root / options.cache_dir if options.cache else None)
        def digest(sources):
            return cache_key(sources, version=__version__, language="en", unverified_marker=options.unverified_marker)

        self.cache_key = digest(sources)
        cached = self.cache.load(self.cache_key)
        if cached is not None:
            self.library, self.bib_problems = cached
            self.stale = False
        else:
            self.bib_problems = ProblemList()
            self.library = load_library(sources, self.bib_problems, unverified_marker=options.unverified_marker)
            self.stale = True
        problems.extend(self.bib_problems)
        self.problems = problems
        if not self.incomplete and url is None:  # read; what needs the text again reads the files
            self.sources = ReadAgain(self.paths, root, digest, self.cache_key)

    def format_references(self, works) -> None:
        """Format, once, the works about to be shown that the cache did not already hold."""
        missing = self.library.unformatted(works)
        if not missing:
            return
        from .harvard import format_references  # imports pybtex: only on a cache miss

        if self.library.bib_data is None:
            self.library.bib_data = load_library(self.sources, ProblemList(),
                                                 unverified_marker=self.options.unverified_marker).bib_data
        format_references(missing, self.library.bib_data.entries)
        for work in missing:  # shown beside the reference on a References page; kept in the cache with it
            work.coins_html = coins_span(work)
        self.stale = True

    def save(self) -> None:
        """Keep the library (and the references formatted this build) for the next build."""
        if self.stale:
            self.cache.save(self.cache_key, self.library, self.bib_problems)
        tidy_cache_folder(self.cache.directory)  # the newest few entries; what killed builds left
