"""What the editors' scripts need from mkdocs.yml, read without starting MkDocs.

The YAML loader tolerates MkDocs' tags (`!ENV`, `!!python/name:...`), so any mkdocs.yml
reads; nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

from .compat import bib_paths_from_options, remote_bib
from .options import Options
from .remote import cached_path
from .schema import Schema, load_schema

# MkDocs always adds these to the site's markdown_extensions.
MKDOCS_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]


class _LenientLoader(yaml.SafeLoader):
    """Safe loader that reads unknown tags as plain values."""


def _any_tag(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_LenientLoader.add_multi_constructor("", _any_tag)


class _SettingsLoader(_LenientLoader):
    """As MkDocs reads its settings: `!ENV [NAME, default]` is the variable's value, else the default
    (pyyaml-env-tag, MkDocs' own reader of the tag)."""


_SettingsLoader.add_constructor("!ENV", construct_env_tag)


def load_yaml(text: str):
    """mkdocs.yml as written (`!ENV [NAME, default]` stays a list)."""
    return yaml.load(text, Loader=_LenientLoader)  # noqa: S506 (a SafeLoader subclass)


def load_settings(text: str):
    """mkdocs.yml as MkDocs would see it: `!ENV` resolved from the environment."""
    return yaml.load(text, Loader=_SettingsLoader)  # noqa: S506 (a SafeLoader subclass)


@dataclass
class Project:
    """The parts of mkdocs.yml the editors' scripts use."""

    root: Path
    config_file: Path
    docs_dir: Path
    options: dict = field(default_factory=dict)  # the evidence plugin's options as written
    extensions: list[str] = field(default_factory=list)
    extension_configs: dict[str, dict] = field(default_factory=dict)
    nav: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)  # all of mkdocs.yml, `!ENV` resolved

    @property
    def site_url(self) -> str:
        return str(self.settings.get("site_url") or "")

    @property
    def repo_url(self) -> str:
        return str(self.settings.get("repo_url") or "")

    @property
    def bib_paths(self) -> list[Path]:
        """The .bib files; a bib_file address counts by its copy from the last build (never fetched here)."""
        paths = bib_paths_from_options(self.options, self.root)
        url = remote_bib(self.options)
        if url is not None:
            kept = cached_path(url, self.root / str(self.options.get("cache_dir") or Options().cache_dir) / "remote")
            if kept.is_file():
                paths.append(kept)
        return paths

    @property
    def schema(self) -> Schema:
        """The evidence schema the plugin's `schema` option names (SchemaError when it is wrong)."""
        return load_schema(self.options.get("schema"), self.root, self.config_file.name)

    @property
    def unverified_marker(self) -> str:
        return str(self.options.get("unverified_marker", "not verified"))

    def display(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    def pages(self) -> list[Path]:
        """Every markdown page under docs_dir, sorted."""
        return sorted(p for p in self.docs_dir.rglob("*.md") if p.is_file())

    def src_uri(self, path: Path) -> str:
        return path.relative_to(self.docs_dir).as_posix()


def file_stamp(path: Path) -> tuple:
    """(resolved path, size, modification time): what tells an edited file from an unchanged one
    without reading it."""
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def load_project(config_file: Path) -> Project:
    config_file = Path(config_file).resolve()
    data = load_settings(config_file.read_text(encoding="utf-8")) or {}
    root = config_file.parent
    options = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "evidence" in plugin:
            options = plugin["evidence"] or {}
    names, configs = [], {}
    for item in data.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, config in item.items():
                names.append(name)
                configs[name] = config or {}
        else:
            names.append(str(item))
    for name in MKDOCS_BUILTIN_EXTENSIONS:
        if name not in names:
            names.append(name)
    return Project(
        root=root, config_file=config_file, docs_dir=root / str(data.get("docs_dir", "docs")),
        options=options, extensions=names, extension_configs=configs, nav=data.get("nav") or [],
        settings=data,
    )
