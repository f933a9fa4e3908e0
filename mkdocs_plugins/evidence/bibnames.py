"""BibTeX names as data: split as BibTeX splits them, for RIS, CSL-JSON and Harvard author lists.

Pure Python (no pybtex), so a warm build that reads exports from the cache never imports pybtex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from .bibliography import Work, initials, latex_to_text


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


def persons(work: Work, role: str) -> list[Name]:
    """The names of a role, as BibTeX splits them (`and others` included)."""
    return [parse_name(name) for name in work.persons.get(role, [])]


def plain_text(value: str) -> str:
    return latex_to_text(value).strip()


def is_others(person) -> bool:
    return " ".join(person.last_names).lower() == "others" and not person.first_names


def name_parts(person, decode=plain_text) -> dict[str, str]:
    """CSL name: family/given/particle/suffix, or `literal` for a corporate `{Home Office}`.
    `decode` turns each part's LaTeX into text."""
    last = person.last_names
    if len(last) == 1 and last[0].startswith("{") and last[0].endswith("}") and not (
            person.first_names or person.middle_names or person.prelast_names):
        return {"literal": decode(last[0])}
    parts = {"family": decode(" ".join(last))}
    given = " ".join(person.first_names + person.middle_names)
    if given:
        parts["given"] = decode(given)
    if person.prelast_names:
        parts["non-dropping-particle"] = decode(" ".join(person.prelast_names))
    if person.lineage_names:
        parts["suffix"] = decode(" ".join(person.lineage_names))
    return parts


def harvard_names(work: Work) -> str:
    """`Abbott, D., Townsley, R. and Watson, D.`, `et al.` for `and others`; plain text."""
    everyone = persons(work, "author") or persons(work, "editor")
    named = [p for p in everyone if not is_others(p)]
    parts = []
    for person in named:
        family = latex_to_text(" ".join(person.prelast_names + person.last_names))
        given = initials(person.first_names + person.middle_names)
        lineage = latex_to_text(" ".join(person.lineage_names))
        parts.append(", ".join(filter(None, [family, lineage, given])))
    if not parts:
        return work.label
    if len(named) < len(everyone):
        return ", ".join(parts) + " et al."
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

