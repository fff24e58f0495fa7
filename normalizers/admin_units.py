"""Administrative units as a plan was issued under them and as they are today.

On 1 July 2025 the 63 provinces became 34 and the district level was abolished (Nghị quyết
202/2025/QH15 and the Standing Committee's resolutions on the communes). A plan of Quảng Nam
(2023) belongs to today's Đà Nẵng; a plan of Bắc Kạn's Bạch Thông district to Thái Nguyên.

The units, their official codes (the General Statistics Office's list) and the legacy → 2025
conversion come from ``vietnamadminunits`` (its bundled data, never the network: see
docs/places.md for why this library). This module only decides which era a name belongs to,
feeds the library names it can read, and checks that what it answers is the unit asked for —
the library matches keywords anywhere in its input, so an unchecked answer could be a ward
whose name merely contains the words.

Pure functions; the library's answers are cached once per process (``resolve`` is called for
every document and every located amount, target and task).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal, Optional

import regex

from kehoach.catalogs import load

# the day the 34 provinces and their communes took effect
REFORM_DATE = dt.date(2025, 7, 1)

Era = Literal["before_2025", "from_2025"]
Level = Literal["province", "district", "commune"]


@dataclass(frozen=True)
class Unit:
    name: str  # the official name with its unit word: 'Tỉnh Quảng Nam', 'Huyện Bạch Thông'
    short: str  # without it: 'Quảng Nam', 'Bạch Thông'
    code: str  # the official code: '49' (province), '063' (district), '20992' (commune)
    level: Level
    unit: str  # the unit word in lower case: tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu


@dataclass(frozen=True)
class Place:
    """A place as issued (``era`` says under which units) and what it is part of today."""
    era: Era
    province: Optional[Unit]
    district: Optional[Unit] = None
    commune: Optional[Unit] = None
    province_today: Optional[Unit] = None
    commune_today: Optional[Unit] = None  # a commune's successor; a special zone for an island district

    @property
    def unit(self) -> Optional[Unit]:
        """The most specific unit named."""
        return self.commune or self.district or self.province

    @property
    def level(self) -> Optional[Level]:
        return self.unit.level if self.unit else None


@cache
def _library():
    """The library's parser and converter, imported on first use (loading its data takes a second)."""
    from vietnamadminunits import ParseMode, convert_address, parse_address
    from vietnamadminunits.parser.utils import key_normalize

    return parse_address, convert_address, ParseMode, key_normalize


@cache
def _unit_words() -> dict[str, str]:
    """unit word → level ('province', 'province_or_district', 'district', 'commune'), longest first."""
    words = {w["word"]: w["level"] for w in load("admin_units")["unit_words"]}
    return dict(sorted(words.items(), key=lambda kv: -len(kv[0])))


@cache
def _unit_prefix() -> regex.Pattern:
    alts = "|".join(regex.escape(w) for w in _unit_words())
    return regex.compile(rf"^\s*(?P<unit>{alts})\s+(?P<name>\S.*?)\s*$", regex.IGNORECASE)


def split_unit(name: str) -> tuple[Optional[str], str]:
    """('huyện', 'Bắc Trà My') of 'huyện Bắc Trà My'; (None, 'Quảng Nam') of a bare name."""
    m = _unit_prefix().match(name or "")
    if not m:
        return None, (name or "").strip()
    unit = m.group("unit").lower()
    return ("thành phố" if unit == "tp." else unit), m.group("name")


def unit_level(word: Optional[str]) -> Optional[str]:
    """The level a unit word names ('province_or_district' for 'thành phố')."""
    return _unit_words().get(word.lower()) if word else None


@cache
def _legacy_wards(province_key: str) -> dict[str, set[str]]:
    """A pre-2025 province's commune keywords ('xathachkim', 'thachkim') → its districts' names."""
    from vietnamadminunits.parser import parser_legacy

    found: dict[str, set[str]] = {}
    for district_key, wards in parser_legacy.DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED.get(province_key, {}).items():
        district = parser_legacy.DICT_PROVINCE_DISTRICT[province_key][district_key]["district"]
        for ward in wards.values():
            for keyword in ward["wardKeywords"]:
                found.setdefault(keyword, set()).add(district)
    return found


def _district_of_commune(province_key: str, commune: str) -> Optional[str]:
    """The one district of the province with a commune of that name (a plan rarely names both)."""
    word, name = split_unit(commune)
    wards = _legacy_wards(province_key)
    districts = wards.get(_library()[3](f"{word or ''}{name}")) or wards.get(_key(name)) or set()
    return next(iter(districts)) if len(districts) == 1 else None


def _key(name: Optional[str]) -> str:
    # the library's own normal form (no accents, no spaces, lower case): 'Đăk R’lấp' = 'Đắk R'Lấp'
    return _library()[3](split_unit(name or "")[1].replace("’", "'"))


def _same(asked: Optional[str], short: Optional[str]) -> bool:
    return not asked or (short is not None and _key(asked) == _key(short))


def _unit(name, short, code, level: Level, word) -> Optional[Unit]:
    if not name or not code:
        return None
    unit = (word or split_unit(name)[0] or "").lower()
    return Unit(name=name, short=short or split_unit(name)[1], code=str(code), level=level, unit=unit)


def _province_unit(u) -> Optional[Unit]:  # noqa: ANN001 - the library's AdminUnit
    return _unit(u.province, u.short_province, u.province_code, "province", None)


def _address(*parts: Optional[str]) -> str:
    # no more than three parts: with four the library would read the first as a street and
    # geocode it over the network
    return ", ".join(p for p in parts if p)


@lru_cache(maxsize=4096)
def _legacy(province: Optional[str], district: Optional[str], commune: Optional[str]) -> Optional[Place]:
    parse, convert, mode, _ = _library()
    if commune and not district and province:
        known = parse(province, mode=mode.LEGACY, keep_street=False, level=1)
        district = _district_of_commune(known.province_key, commune) if known.province_key else None
        if district is None:
            return None
    level = 3 if commune else 2 if district else 1
    u = parse(_address(commune, district, province), mode=mode.LEGACY, keep_street=False, level=level)
    if not u.province_key or not _same(province, u.short_province):
        return None
    if district and not _same(district, u.short_district):
        return None
    if commune and not _same(commune, u.short_ward):
        return None
    # converted from the library's own names, so that it reads exactly the unit found
    today = convert(_address(u.ward, u.district, u.province))
    return Place(
        era="before_2025",
        province=_province_unit(u),
        district=_unit(u.district, u.short_district, u.district_code, "district", u.district_type),
        commune=_unit(u.ward, u.short_ward, u.ward_code, "commune", u.ward_type),
        province_today=_province_unit(today),
        commune_today=_unit(today.ward, today.short_ward, today.ward_code, "commune", today.ward_type),
    )


@lru_cache(maxsize=4096)
def _from_2025(province: Optional[str], commune: Optional[str]) -> Optional[Place]:
    parse, _, mode, _ = _library()
    u = parse(_address(commune, province), mode=mode.FROM_2025, keep_street=False, level=2 if commune else 1)
    if not u.province_key or not _same(province, u.short_province):
        return None
    if commune and not _same(commune, u.short_ward):
        return None
    prov = _province_unit(u)
    ward = _unit(u.ward, u.short_ward, u.ward_code, "commune", u.ward_type)
    return Place(era="from_2025", province=prov, commune=ward, province_today=prov, commune_today=ward)


def _era_order(issued: Optional[dt.date], district: Optional[str], era: Optional[Era]) -> tuple[Era, Era]:
    # a district is a unit of before the reform; an undated plan is read as older first, since
    # every province name of today was also a province (or its city) before it
    if era == "from_2025" or (era is None and not district and issued is not None and issued >= REFORM_DATE):
        return "from_2025", "before_2025"
    return "before_2025", "from_2025"


def resolve(province: Optional[str] = None, district: Optional[str] = None, commune: Optional[str] = None,
            issued: Optional[dt.date] = None, era: Optional[Era] = None) -> Optional[Place]:
    """The place named by these names (each with or without its unit word) as issued, and today.

    The era of the issue date (or ``era``, where the caller knows it) is tried first, then the
    other: an old name in a new plan, a new ward in an undated one. A name the library does not
    know as that unit is dropped, the smallest first: a known province with an unknown district
    is still that province.
    """
    province, district, commune = (n.strip() if n and n.strip() else None for n in (province, district, commune))
    if not (province or district or commune):
        return None
    for which in _era_order(issued, district, era):
        tries = [(commune, district), (None, district), (None, None)] if which == "before_2025" \
            else [(commune, None), (None, None)]
        for c, d in dict.fromkeys(tries):
            if not (province or c or d):
                continue
            found = _legacy(province, d, c) if which == "before_2025" else _from_2025(province, c)
            if found is not None:
                return found
    return None


def resolve_location(location: Optional[str], context: Optional[Place]) -> Optional[Place]:
    """An item's ``location`` ('huyện Phước Sơn', 'xã Long Phụng', 'tỉnh Quảng Nam') read inside
    its document's place: a district or commune of the document's province, in its era."""
    if not location:
        return None
    word, _ = split_unit(location)
    level = unit_level(word)
    era = context.era if context else None
    province = context.province.short if context and context.province else None
    if level == "province" or level == "province_or_district":
        # 'thành phố Cần Thơ' is a province, 'thành phố Hội An' a city of one
        as_province = resolve(location, era=era)
        if as_province is not None or level == "province":
            return as_province
    if level in ("district", "province_or_district"):
        found = resolve(province, district=location, era="before_2025")
        if (found is None or found.district is None) and context is not None:
            # a plan of today's Lào Cai naming 'huyện Yên Bình', a district of the Yên Bái that
            # merged into it: the district's own province, where that is part of the plan's today
            elsewhere = resolve(district=location, era="before_2025")
            if elsewhere is not None and elsewhere.district is not None and \
                    elsewhere.province_today == context.province_today:
                return elsewhere
        return found
    if level == "commune":
        district = context.district.short if context and context.district else None
        return resolve(province, district=district, commune=location, era=era)
    return None


def issued_date(year: Optional[int], month: Optional[int] = None, day: Optional[int] = None) -> Optional[dt.date]:
    """A partial issue date as the day it can be compared by: the reform year needs its month."""
    if year is None:
        return None
    if year == REFORM_DATE.year and month is None:
        return None  # 2025 without a month: either side of 1 July
    return dt.date(year, month or 1, day or 1)
