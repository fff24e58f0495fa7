"""Which shared indicator a target measures: a key of catalogs/indicators.json, or None.

Plans word one indicator many ways: 'tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều', 'Tỷ lệ hộ nghèo
(theo chuẩn đa chiều)', 'giảm tỷ lệ hộ nghèo đa chiều bình quân' are one series; 'tỷ lệ hộ cận
nghèo' is another. Words are underthesea's segmentation (its model loads once per process, on
first use): the catalog's filler words ('theo', 'chuẩn nghèo', 'của', 'các' …) are dropped only
where they stand as words of their own, so 'theo' goes but 'tiêu chuẩn' stays; the rest is
compared syllable by syllable, so a phrase the segmenter cuts differently ('hộ cận | nghèo',
'hộ | cận nghèo') still matches. The longest alias that ends nearest the value wins.

A target that says by how much an indicator moves ('Tỷ lệ hộ nghèo đa chiều giảm từ 6-7%/năm',
'mức giảm tỷ lệ hộ nghèo … từ 1,5-2,0%', 'Phấn đấu giảm tỷ lệ hộ nghèo, hộ cận nghèo: 8,56%')
is not a value of the indicator itself: it goes to the entry's ``change_key`` when its unit is
per year, the words say so ('mức giảm', 'hàng năm', 'điểm %'), or the verb 'giảm'/'tăng' takes
the value directly — no 'còn', 'xuống', 'dưới', 'đạt', 'là' between — and no baseline is given.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from kehoach.catalogs import load
from kehoach.normalizers.text import match_key, matching_close


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    direction: str
    units: tuple[str, ...]
    change_key: str | None
    kind: str  # 'level' or 'change'


@dataclass(frozen=True)
class _Syl:
    text: str
    word_start: bool  # the first syllable of a word


@cache
def _segment():  # noqa: ANN202
    from underthesea import word_tokenize

    return word_tokenize


@cache
def _norm_rules() -> dict:
    return load("indicators")["normalise"]


@cache
def _abbreviations() -> regex.Pattern:
    abbr = _norm_rules()["abbreviations"]
    return regex.compile(r"(?<!\w)(" + "|".join(regex.escape(a) for a in sorted(abbr, key=len, reverse=True)) + r")(?!\w)")


@lru_cache(maxsize=4096)
def _syllables(text: str) -> tuple[_Syl, ...]:
    """The syllables of ``text`` in order, lower case, fillers and punctuation out, a syllable
    repeated right after itself read once."""
    rules = _norm_rules()
    key = match_key(text)
    key = _abbreviations().sub(lambda m: rules["abbreviations"][m.group(1)], key)
    key = regex.sub(r"[^\w\s]", " ", key)
    spellings = rules["spellings"]
    fillers = {tuple(f.split()) for f in rules["fillers"]}
    words: list[list[str]] = []
    for w in _segment()(key):
        syls = [spellings.get(s, s) for s in w.replace("_", " ").split()]
        if syls:
            words.append(syls)
    # a filler is dropped where it is a run of whole words: 'theo chuẩn' but not 'tiêu chuẩn'
    longest = max((len(f) for f in fillers), default=0)
    out: list[_Syl] = []
    i = 0
    while i < len(words):
        dropped = False
        for n in range(1, len(words) - i + 1):
            run = tuple(s for w in words[i:i + n] for s in w)
            if len(run) > longest:
                break
            if run in fillers:
                i += n
                dropped = True
                break
        if dropped:
            continue
        for j, s in enumerate(words[i]):
            if out and out[-1].text == s:
                continue
            out.append(_Syl(s, j == 0))
        i += 1
    return tuple(out)


@cache
def catalog() -> dict[str, Indicator]:
    out = {}
    for e in load("indicators")["indicators"]:
        out[e["key"]] = Indicator(key=e["key"], label=e["label"], unit=e["unit"], direction=e["direction"],
                                  units=tuple(e.get("units", [e["unit"]])), change_key=e.get("change_key"),
                                  kind=e.get("kind", "level"))
    return out


@cache
def _aliases() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """(syllables of an alias, key) by the alias's first syllable, normalised as the texts are."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for e in load("indicators")["indicators"]:
        for a in e["aliases"]:
            syls = tuple(s.text for s in _syllables(a))
            if syls:
                out.setdefault(syls[0], []).append((syls, e["key"]))
    return out


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    key: str


def _hits(syls: tuple[_Syl, ...]) -> list[_Hit]:
    texts = [s.text for s in syls]
    markers = {tuple(m.split()) for m in _norm_rules()["place_markers"]}
    hits = []
    for i, first in enumerate(texts):
        for alias, key in _aliases().get(first, ()):
            n = len(alias)
            if tuple(texts[i:i + n]) != alias:
                continue
            # 'các xã có tỷ lệ hộ nghèo cao': the indicator describes a place
            if any(tuple(texts[max(0, i - len(m)):i]) == m for m in markers):
                continue
            hits.append(_Hit(i, i + n, key))
    return hits


def _unit_fits(entry: Indicator, unit: str | None) -> bool:
    if unit is None:
        return True
    u = match_key(unit).strip()
    return any(u.startswith(match_key(p)) for p in entry.units)


def _phrase_in(syls: list[str], phrase: str) -> bool:
    p = phrase.split()
    return any(syls[i:i + len(p)] == p for i in range(len(syls) - len(p) + 1))


def _states_change(before: list[str], gap: list[str], unit: str | None, has_baseline: bool) -> bool:
    rules = _norm_rules()
    if unit and "/năm" in match_key(unit).replace(" ", ""):
        return True
    if before[-2:] in (["mức", "giảm"], ["mức", "tăng"]):
        return True
    if any(_phrase_in(gap, w) for w in rules["change_words"]):
        return True
    if has_baseline or any(_phrase_in(gap, w) for w in rules["level_words"]):
        return False
    verb = any(v in gap for v in rules["verbs"]) or (before[-1:] and before[-1] in rules["verbs"])
    return bool(verb)


@cache
def _gap_syllables() -> frozenset[str]:
    rules = _norm_rules()
    return frozenset(s for w in rules["gap_words"] + rules["level_words"] + rules["change_words"] + rules["verbs"]
                     for s in w.split())


def _joins(syllable: str) -> bool:
    """A syllable that may stand between an indicator and its value."""
    return syllable.isdigit() or syllable in _gap_syllables()


def without_parentheses(text: str) -> str:
    """``text`` without its closed parenthetical remarks ('(trong đó: tỷ lệ hộ nghèo là …)')."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "(":
            close = matching_close(text, i)
            if close < len(text):
                i = close + 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def indicator_key(indicator: str, unit: str | None, context: str = "", has_baseline: bool = False) -> str | None:
    """The catalog key of the indicator a target measures.

    ``indicator`` is the target's indicator; ``context`` the words before its value in its
    sentence (its own value excluded), read when the indicator names none and to see whether
    the value is where the indicator ends or by how much it moves; ``has_baseline``: the target
    says where it starts ('giảm từ 55,15% xuống còn 22,06%'), so its value is a level.
    """
    cat = catalog()
    hit = None
    own = _syllables(indicator)
    # the indicator's own words first: the longest alias ending last
    for h in sorted(_hits(own), key=lambda h: (h.end, h.end - h.start), reverse=True):
        if _unit_fits(cat[h.key], unit) or cat[h.key].change_key:
            hit = h
            break
    key = hit.key if hit else None
    if key is not None and not cat[key].change_key:
        return key if _unit_fits(cat[key], unit) else None  # nothing in the context can change it
    ctx = _syllables(without_parentheses(context)) if context else ()
    ctx_texts = [s.text for s in ctx]
    # where that indicator stands before the value (or, with none, the nearest one named there)
    near = sorted(_hits(ctx), key=lambda h: (h.end, h.end - h.start), reverse=True)
    placed = next((h for h in near if key is None or h.key == key), None)
    if key is None and placed is not None and not all(_joins(s) for s in ctx_texts[placed.end:]):
        placed = None  # other words stand between: what is named there is not what the value measures
    if key is None:
        if placed is None:
            return None
        key = placed.key
    before = ctx_texts[:placed.start] if placed else [s.text for s in own[:hit.start]] if hit else []
    gap = ctx_texts[placed.end:] if placed else ([s.text for s in own[hit.end:]] if hit else [])
    entry = cat[key]
    if entry.change_key and _states_change(before, gap, unit, has_baseline):
        entry = cat[entry.change_key]
    return entry.key if _unit_fits(entry, unit) else None
