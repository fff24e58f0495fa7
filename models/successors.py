"""Agencies over time: who holds an agency's duties on a given day, after the 2025 reform.

The successions are data (catalogs/agency_successors.json, each with the document that made it);
these are pure functions over them. They live in the models layer, not among the normalizers,
because the store fills its ``agency_successors`` table with them and the store may not import
a layer above it; they read nothing but the catalogs.

A succession passes an agency's duties on the day after it ``ends``: to one successor (share
``all``), or to a main successor and to others for the duties their words name (share ``main``
and ``part``: the Sở Lao động - Thương binh và Xã hội went to the Sở Nội vụ, its poverty work to
the Sở Nông nghiệp và Môi trường, …). Successions chain (a district Phòng merged in March 2025
ended with the district level on 30 June 2025), so a successor 'as of' a day follows the chain
up to that day.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal, Optional

from kehoach.catalogs import load

Share = Literal["all", "main", "part"]
MAX_CHAIN = 8  # successions never chain this deep; a longer chain is a cycle in the catalog


@dataclass(frozen=True)
class Source:
    key: str
    document: str  # 'Nghị định 45/2025/NĐ-CP'
    date: str  # ISO date the document was issued

    def cite(self) -> str:
        d = dt.date.fromisoformat(self.date)
        return f"{self.document} ngày {d.day:02d}/{d.month:02d}/{d.year}"


@dataclass(frozen=True)
class Successor:
    catalog_id: str
    name: str  # the successor's canonical name
    share: Share  # of the agency as written: all, the main successor, or a part of its duties
    duties: tuple[str, ...]  # a part's duties, in words ('giảm nghèo', …); empty for all/main
    since: dt.date  # the day the duties passed to it (the last step of the chain)
    source: Source  # the document that made the last step


@dataclass(frozen=True)
class _Step:
    ends: dt.date
    source: Source
    to: tuple[tuple[str, Share, tuple[str, ...]], ...]
    level_words: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower case without diacritics, đ as d: how a duty's words are compared."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").split())


@cache
def _catalog() -> tuple[dict[str, str], dict[str, _Step], dict[str, list[_Step]]]:
    names = {a["id"]: a["canonical"] for a in load("agencies")["agencies"]}
    data = load("agency_successors")
    sources = {k: Source(k, v["document"], v["date"]) for k, v in data["sources"].items()}

    def step(entry: dict, level_words=()) -> _Step:
        to = tuple((t["id"], t["share"], tuple(t.get("duties", ()))) for t in entry["to"])
        return _Step(dt.date.fromisoformat(entry["ends"]), sources[entry["source"]], to, tuple(level_words))

    by_id = {e["from"]: step(e) for e in data["successions"]}
    by_level: dict[str, list[_Step]] = {}
    for e in data.get("by_level", []):
        by_level.setdefault(e["catalog_id"], []).append(step(e, e["level_words"]))
    return names, by_id, by_level


def _step_for(catalog_id: str, name: Optional[str]) -> Optional[_Step]:
    _, by_id, by_level = _catalog()
    if catalog_id in by_id:
        return by_id[catalog_id]
    if name:
        # the level word written after the name: 'Ủy ban nhân dân huyện Bạch Thông'; compared
        # with its diacritics, since without them 'quận' is the 'quan' of 'có liên quan'
        key = unicodedata.normalize("NFC", name).lower()
        for s in by_level.get(catalog_id, []):
            if any(_contains(key, unicodedata.normalize("NFC", w)) for w in s.level_words):
                return s
    return None


def successors(catalog_id: Optional[str], name: Optional[str] = None,
               on: Optional[dt.date] = None) -> list[Successor]:
    """Who holds the duties of agency ``catalog_id`` (named ``name`` in the plan) on day ``on``
    (today by default), the main or whole successor first; empty while the agency itself still
    exists on that day, or when the catalog does not know it."""
    if not catalog_id:
        return []
    return list(_successors(catalog_id, name, on or dt.date.today()))


@lru_cache(maxsize=4096)  # the store asks for every agency name of every document it loads
def _successors(catalog_id: str, name: Optional[str], on: dt.date) -> tuple[Successor, ...]:
    step = _step_for(catalog_id, name)
    if step is None or on <= step.ends:
        return ()
    return tuple(_merge(_follow(step, on, "all", (), 0)))


def _follow(step: _Step, on: dt.date, share: Share, duties: tuple[str, ...], depth: int) -> list[Successor]:
    if depth > MAX_CHAIN:
        raise ValueError("a succession in agency_successors.json does not end: the catalog has a cycle")
    names = _catalog()[0]
    out = []
    for to_id, to_share, to_duties in step.to:
        # relative to the agency as written: a part of anything is a part, the whole of a main is the main
        now: Share = to_share if share == "all" else ("part" if "part" in (share, to_share) else "main")
        kept = to_duties or duties
        nxt = _step_for(to_id, names[to_id])
        if nxt is not None and on > nxt.ends:
            out += _follow(nxt, on, now, kept, depth + 1)
        else:
            out.append(Successor(to_id, names[to_id], now, kept if now == "part" else (),
                                 step.ends + dt.timedelta(days=1), step.source))
    return out


_RANK = {"all": 0, "main": 1, "part": 2}


def _merge(found: list[Successor]) -> list[Successor]:
    """One successor once: several routes to it (a Phòng's main and parts all ending in the
    commune's Ủy ban nhân dân) keep the widest share and every duty named."""
    best: dict[str, Successor] = {}
    for s in found:
        had = best.get(s.catalog_id)
        if had is None or _RANK[s.share] < _RANK[had.share]:
            duties = () if s.share != "part" else tuple(dict.fromkeys((had.duties if had else ()) + s.duties))
            best[s.catalog_id] = Successor(s.catalog_id, s.name, s.share, duties, s.since, s.source)
        elif had.share == "part" and s.share == "part":
            best[s.catalog_id] = Successor(had.catalog_id, had.name, "part",
                                           tuple(dict.fromkeys(had.duties + s.duties)), had.since, had.source)
    return sorted(best.values(), key=lambda s: _RANK[s.share])


def successor_for_task(catalog_id: Optional[str], name: Optional[str] = None, task: Optional[str] = None,
                       on: Optional[dt.date] = None) -> Optional[Successor]:
    """The one successor that holds a given duty on day ``on``: the part whose words the task
    names ('rà soát hộ nghèo' → the Sở Nông nghiệp và Môi trường), else the main or whole
    successor; None while the agency still exists."""
    found = successors(catalog_id, name, on)
    if not found:
        return None
    key = fold(task or "")
    for s in found:
        if s.share == "part" and any(_contains(key, fold(w)) for w in s.duties):
            return s
    return found[0]


def _contains(text_key: str, word_key: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word_key)}(?![\w])", text_key) is not None
