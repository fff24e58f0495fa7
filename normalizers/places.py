"""The gazetteer of provinces and districts (before the 2025 reorganisation, when all seeds and
most plans in circulation were written), for canonical names and a district's province."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from kehoach.normalizers.text import fold
from kehoach.catalogs import load

_DISTRICT_TYPES = ("huyện", "quận", "thị xã", "thành phố")


@dataclass(frozen=True)
class Place:
    name: str  # without the unit word: 'Quảng Nam', 'Bắc Trà My'
    unit: str  # tỉnh, thành phố, huyện, quận, thị xã
    province: str  # the province's short name (itself for a province)


def _key(name: str) -> str:
    return " ".join(fold(name).replace("’", "'").split())


@cache
def _index() -> tuple[dict[str, Place], dict[str, list[Place]]]:
    provinces: dict[str, Place] = {}
    districts: dict[str, list[Place]] = {}
    for p in load("provinces")["provinces"]:
        unit = "thành phố" if p["type"].startswith("thanh_pho") else "tỉnh"
        place = Place(p["short"], unit, p["short"])
        for alias in [p["short"], p["name"], *p.get("aliases", [])]:
            provinces.setdefault(_key(alias), place)
        for d in p["districts"]:
            for t in _DISTRICT_TYPES:
                if d.lower().startswith(t + " "):
                    name = d[len(t) + 1:]
                    districts.setdefault(_key(name), []).append(Place(name, t, p["short"]))
                    break
    return provinces, districts


def province(name: str) -> Place | None:
    return _index()[0].get(_key(_strip_unit(name)))


def districts(name: str) -> list[Place]:
    return _index()[1].get(_key(_strip_unit(name)), [])


def _strip_unit(name: str) -> str:
    return regex.sub(r"^(?:tỉnh|thành phố|tp\.?|huyện|quận|thị xã|tx\.?)\s+", "", name.strip(),
                     flags=regex.IGNORECASE)


_PLACE_HEADING = regex.compile(
    r"^(?P<unit>[Hh]uyện|[Tt]hị xã|[Tt]hành phố|[Xx]ã|[Tt]ỉnh)\s+(?P<name>\p{Lu}[\p{Ll}’']*(?:\s+\p{Lu}[\p{Ll}’']*){0,3})$")


def place_heading(heading: str | None) -> str | None:
    """'Huyện Phước Sơn' as a whole heading names the place its items are about: 'huyện Phước Sơn'."""
    m = _PLACE_HEADING.match((heading or "").strip())
    return f"{m.group('unit').lower()} {m.group('name')}" if m else None
