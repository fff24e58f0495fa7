"""Vietnamese numbers: '.' between thousands, ',' before decimals — with the dot decimals some
documents use ('1.32%') read from context — and money in million đồng, exactly (Decimal)."""
from __future__ import annotations

from decimal import Decimal
from functools import cache

import regex

from kehoach.catalogs import load

# 1.291.615 | 1.291.615,5 | 35 | 1,8 | 1.32 (a dot decimal: not groups of three)
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\.?\d)|\d+(?:[.,]\d+)?"
WORD_NUMBERS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
                "chín": 9, "mười": 10}


def parse_number(text: str) -> Decimal:
    """'1.291.615' → 1291615, '1,5' → 1.5, '1.32' → 1.32, '20.452' → 20452."""
    s = regex.sub(r"\s+", "", text)
    if "," in s:
        whole, frac = s.rsplit(",", 1)
        return Decimal(whole.replace(".", "") + "." + frac)
    groups = s.split(".")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return Decimal("".join(groups))
    if len(groups) == 2:
        return Decimal(s)  # one dot with 1, 2 or 4+ digits after it is a decimal point
    return Decimal(s.replace(".", ""))


@cache
def unit_millions() -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in load("money")["units"].items()}


def to_million(value: Decimal, unit_key: str) -> Decimal:
    """Value in million đồng for a folded unit key ('trieu', 'ty', 'nghin', 'dong')."""
    result = value * unit_millions()[unit_key]
    return result.normalize() if result != result.to_integral_value() else result.quantize(Decimal(1))


def format_vn(value: Decimal) -> str:
    """The inverse of parse_number for display: 1291615 → '1.291.615', 1.5 → '1,5'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    frac = value - whole
    text = f"{whole:,}".replace(",", ".")
    if frac:
        text += "," + format(frac.normalize(), "f").split(".")[1]
    return sign + text


_ROMAN = {"I": 1, "V": 5, "X": 10}


def roman_value(label: str) -> int | None:
    """'IV' → 4; None for anything that is not a canonical numeral below 40 (IIII, VV, IC …)."""
    total, prev = 0, 0
    for ch in reversed(label):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total += -v if v < prev else v
        prev = max(prev, v)
    return total if 0 < total < 40 and to_roman(total) == label else None


_ROMAN_WRITING = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                  (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(n: int) -> str:
    """4 → 'IV', 14 → 'XIV' (Word numbers lists past 39 too; section numbers stop below 40)."""
    out = ""
    for v, s in _ROMAN_WRITING:
        while n >= v:
            out += s
            n -= v
    return out
