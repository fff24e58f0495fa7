"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI-Windows and Windows-1258, to Unicode NFC.

Offices typed plans in TCVN3 (.VnTime fonts) and VNI long after Unicode; their files reach us
as bytes that are not UTF-8, and their PDFs as text layers that read like 'Uû ban nh©n d©n'
(each legacy byte shown as the Latin-1 character of the same code). The conversion tables are
data (catalogs/encodings.json, with a case table in tests/cases/encodings.json). A decoding is
chosen when it turns the text into Vietnamese — the share of frequent Vietnamese syllables
among its words — never by the look of the bytes alone.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import regex

from kehoach.catalogs import load

# A text is Vietnamese when at least this share of its words are among the frequent syllables
# of plans ('của', 'và', 'các' …): ~0.25–0.4 in real plans, ~0 in mojibake or other languages.
MIN_COMMON_SHARE = 0.12
_WORD = regex.compile(r"[\p{L}\p{M}]+")


@cache
def _cat() -> dict:
    return load("encodings")


@cache
def _common() -> frozenset[str]:
    return frozenset(_cat()["common_syllables"])


@cache
def _tcvn3_table() -> dict[int, str]:
    """Latin-1 code point → letter: a TCVN3 byte shown as the Latin-1 character of its code."""
    return {int(k, 16): v for k, v in _cat()["tcvn3"].items()}


@cache
def _vni_pattern() -> tuple[regex.Pattern, dict[str, str]]:
    table = _cat()["vni"]
    seqs = sorted(table, key=len, reverse=True)
    return regex.compile("|".join(regex.escape(s) for s in seqs)), table


def common_share(text: str) -> float:
    """Share of the words of ``text`` that are frequent Vietnamese syllables."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if not words:
        return 0.0
    common = _common()
    return sum(w in common for w in words) / len(words)


def is_vietnamese(text: str) -> bool:
    return common_share(text) >= MIN_COMMON_SHARE


def from_tcvn3(text: str) -> str:
    """TCVN3 mojibake (or bytes decoded as Latin-1) → Unicode NFC; one character for one."""
    return unicodedata.normalize("NFC", text.translate(_tcvn3_table()))


def from_vni(text: str) -> str:
    """VNI-Windows mojibake → Unicode NFC ('Uûy ban' → 'Ủy ban')."""
    pattern, table = _vni_pattern()
    return unicodedata.normalize("NFC", pattern.sub(lambda m: table[m.group(0)], text))


def to_latin1(text: str) -> str | None:
    """The text as the Latin-1 characters its legacy bytes show as, or None if it has others
    (cp1252's typographic characters in 0x80–0x9F are mapped back to their bytes)."""
    out = []
    for c in text:
        if ord(c) < 0x100:
            out.append(c)
            continue
        try:
            out.append(chr(c.encode("cp1252")[0]))
        except UnicodeEncodeError:
            return None
    return "".join(out)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # 'tcvn3', 'vni', 'cp1258'


def decode_legacy_bytes(data: bytes) -> Decoded | None:
    """Bytes that are not UTF-8: the legacy decoding that gives Vietnamese, or None."""
    candidates = [("cp1258", unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")))]
    latin = data.decode("latin-1")
    candidates += [("tcvn3", from_tcvn3(latin)), ("vni", from_vni(latin))]
    return _best(candidates)


def repair_mojibake(text: str) -> Decoded | None:
    """A text layer or text file that shows legacy bytes as Latin-1 letters: the conversion that
    gives Vietnamese, or None when the text is already Vietnamese or no conversion helps."""
    if is_vietnamese(text):
        return None
    latin = to_latin1(text)
    if latin is None:
        return None
    return _best([("tcvn3", from_tcvn3(latin)), ("vni", from_vni(latin))])


def _best(candidates: list[tuple[str, str]]) -> Decoded | None:
    scored = [(common_share(t), name, t) for name, t in candidates]
    share, name, text = max(scored)
    return Decoded(text, name) if share >= MIN_COMMON_SHARE else None


_UPPER_FONT = regex.compile(r"\.?Vn[A-Za-z]*H(?:\b|$)")


def is_capitals_font(fontname: str) -> bool:
    """A TCVN3 font that draws the lower-case codes as capitals ('.VnTimeH', '.VnArialH')."""
    return bool(_UPPER_FONT.search(fontname.split("+")[-1]))
