"""Canonical names of issuing bodies: 'ỦY BAN NHÂN DÂN / TỈNH QUẢNG NAM' and 'UBND tỉnh Quảng
Nam' both become 'Ủy ban nhân dân tỉnh Quảng Nam' (the contract's form: abbreviations expanded,
the level word kept, the place name as the gazetteer spells it)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from kehoach.normalizers import places
from kehoach.normalizers.text import fold, is_caps, nfc, title_case_place, tone_canonical
from kehoach.catalogs import load

_WORDS = regex.compile(r"[\p{L}\p{N}&’']+")


@dataclass(frozen=True)
class Body:
    canonical: str
    folded_words: tuple[str, ...]


@cache
def _bodies() -> list[Body]:
    out: dict[tuple[str, ...], str] = {}
    units = load("admin_units")
    for b in units["bodies"]:
        for alias in [b["name"], *b["aliases"]]:
            out.setdefault(_fold_words(alias), b["name"])
    for name in units["national_issuers"]:
        out.setdefault(_fold_words(name), name)
    for a in load("agencies")["agencies"]:
        if _fold_words(a["canonical"])[:2] in (("uy", "ban"), ("hoi", "dong")) and "nhan" in _fold_words(a["canonical"])[:3]:
            continue  # the people's committees and councils are bodies followed by a unit
        for alias in [a["canonical"], *a.get("aliases", [])]:
            out.setdefault(_fold_words(alias), a["canonical"])
    return sorted((Body(c, k) for k, c in out.items() if k), key=lambda b: -len(b.folded_words))


@cache
def _units() -> list[tuple[tuple[str, ...], str, str]]:
    out = []
    for u in load("admin_units")["unit_words"]:
        out.append((_fold_words(u["word"]), u["word"].rstrip("."), u["level"]))
    return sorted(out, key=lambda u: -len(u[0]))


def _fold_words(text: str) -> tuple[str, ...]:
    text = regex.sub(r"\bUBND\b", "Ủy ban nhân dân", text)
    text = regex.sub(r"\bHĐND\b", "Hội đồng nhân dân", text)
    return tuple(fold(w) for w in _WORDS.findall(text.replace("&", " và ")))


@dataclass(frozen=True)
class IssuerName:
    name: str
    body: str
    unit: str | None  # tỉnh, huyện, …
    unit_level: str | None  # province, district, commune, province_or_district
    place: str | None


def _place_case(place: str, unit: str | None) -> str:
    if unit in ("tỉnh", "thành phố"):
        p = places.province(place)
        if p:
            return p.name
    if unit in ("huyện", "quận", "thị xã", "thành phố"):
        found = places.districts(place)
        if found:
            return found[0].name
    if place.isupper() or place.islower():
        return title_case_place(place)
    return place


def canonical_issuer(text: str) -> IssuerName | None:
    """Split 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM' into body, unit and place, with canonical case."""
    text = " ".join(tone_canonical(nfc(text)).split()).strip(" .,;:")
    if not text:
        return None
    words = _WORDS.findall(text.replace("&", " và "))
    folded = _fold_words(text)
    body = None
    for b in _bodies():
        n = len(b.folded_words)
        if folded[:n] == b.folded_words:
            body, rest = b.canonical, list(words)
            # the expanded abbreviation may be longer than what was written: count back
            consumed = _consumed(words, n)
            rest = words[consumed:]
            break
    if body is None:
        if is_caps(text):
            return IssuerName(text[:1] + text[1:].lower(), text[:1] + text[1:].lower(), None, None, None)
        return IssuerName(text, text, None, None, None)
    unit = level = place = None
    rest_folded = tuple(fold(w) for w in rest)
    for uw, uname, ulevel in _units():
        if rest_folded[:len(uw)] == uw and len(rest) > len(uw):
            unit, level = uname.lower(), ulevel
            place = _place_case(" ".join(rest[len(uw):]), unit)
            break
    if unit is None and rest_folded[:1] in (("tinh",), ("huyen",), ("xa",)):
        unit = rest[0].lower()
        level = {"tinh": "province", "huyen": "district", "xa": "commune"}[rest_folded[0]]
    name = body if unit is None else f"{body} {unit}" + (f" {place}" if place else "")
    return IssuerName(name, body, unit, level, place)


def _consumed(words: list[str], n_body_words: int) -> int:
    """How many written words the first ``n_body_words`` expanded words came from."""
    count = taken = 0
    for w in words:
        if taken >= n_body_words:
            break
        taken += 4 if w in ("UBND", "HĐND") else 1
        count += 1
    return count
