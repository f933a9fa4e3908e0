"""MkDocs' config schema for the plugin, derived from the plain `Options` (one default per option)."""

from __future__ import annotations

import dataclasses
import typing

from mkdocs.config import base
from mkdocs.config import config_options as c

from .options import Options


def _config_option(hint, default):
    """The MkDocs config option for one field of `Options`."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return c.Choice(args, default=default)
    if origin is list:
        return c.ListOfItems(c.Type(args[0]), default=[])
    if origin is dict:
        return c.Type(dict, default={})
    if type(None) in args:  # `str | None`, `dict | str | None`
        types = tuple(arg for arg in args if arg is not type(None))
        return c.Optional(c.Type(types[0] if len(types) == 1 else types))
    return c.Type(hint, default=default)


def _schema() -> dict:
    hints = typing.get_type_hints(Options)
    return {
        option.name: _config_option(hints[option.name], option.default)
        for option in dataclasses.fields(Options)
    }


EvidenceConfig = type("EvidenceConfig", (base.Config,), {"__doc__": "The evidence plugin's options (see options.py).", **_schema()})
