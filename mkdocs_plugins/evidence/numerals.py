"""Endnote numerals: lower-roman (the review's), upper-roman or arabic."""

from __future__ import annotations

NUMERAL_STYLES = ("lower-roman", "upper-roman", "arabic")

_ROMAN = [
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
]


def to_roman(number: int) -> str:
    if number < 1:
        raise ValueError(f"roman numerals start at 1, got {number}")
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def format_numeral(number: int, style: str = "lower-roman") -> str:
    if style == "lower-roman":
        return to_roman(number)
    if style == "upper-roman":
        return to_roman(number).upper()
    if style == "arabic":
        return str(number)
    raise ValueError(f"unknown numeral style {style!r}; use one of {', '.join(NUMERAL_STYLES)}")
