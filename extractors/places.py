"""Places as issued and today: the document's province, district or commune and every located
item's place, with their official codes, before and after the 1 July 2025 reform.

Runs last: it reads what the metadata, amounts, targets and assignments extractors found and
adds the codes (``normalizers.admin_units`` does the resolving); it changes no existing field.
"""
from __future__ import annotations

from typing import Optional

import regex

from kehoach.extractors.context import Component, Document
from kehoach.models.records import Metadata, Section
from kehoach.normalizers import admin_units
from kehoach.normalizers.admin_units import Place
from kehoach.normalizers.places import place_heading

# the commune-level unit that issued a plan: 'Ủy ban nhân dân xã Long Phụng' → 'xã Long Phụng'
_COMMUNE_ISSUER = regex.compile(r"\b(?P<place>(?:xã|phường|thị trấn|đặc khu)\s+\p{Lu}.*)$", regex.IGNORECASE)


def document_place(meta: Metadata) -> Optional[Place]:
    """The unit that issued the plan, from its province, district and (for a commune's plan) the
    commune its issuer names; a plan whose header names no unit falls back on its place line."""
    d = meta.issue_date
    issued = admin_units.issued_date(d.year, d.month, d.day) if d else None
    commune = None
    if meta.admin_level == "commune" and meta.issuer:
        m = _COMMUNE_ISSUER.search(meta.issuer)
        commune = m.group("place") if m else None
    place = admin_units.resolve(meta.province, meta.district, commune, issued=issued)
    if place is None and meta.admin_level != "national" and not (meta.province or meta.district or commune):
        # 'Lào Cai, ngày 10 tháng 3 năm 2026' under an issuer without its province ('Sở Công Thương')
        place = admin_units.resolve(meta.place, issued=issued)
        if place is not None and place.level != "province":
            place = None
    return place


def fill_metadata(meta: Metadata, place: Optional[Place]) -> None:
    if place is None:
        return
    meta.units_era = place.era
    if place.province:
        meta.province_issued, meta.province_code = place.province.short, place.province.code
    if place.district:
        meta.district_code = place.district.code
    if place.commune:
        meta.commune, meta.commune_code = place.commune.name, place.commune.code
    if place.province_today:
        meta.province_today, meta.province_today_code = place.province_today.short, place.province_today.code


def _chain(sections: dict[str, Section], sid: Optional[str]) -> list[Section]:
    chain = []
    while sid is not None and sid in sections and len(chain) < 64:
        chain.append(sections[sid])
        sid = sections[sid].parent
    return chain


def _run(doc: Document) -> None:
    record = doc.record
    place = document_place(record.metadata)
    fill_metadata(record.metadata, place)
    sections = {s.id: s for s in record.sections}
    for a in record.assignments:
        if a.location is None:
            # the tasks under a heading that is a place ('Huyện Phước Sơn') are that place's
            a.location = next((p for p in (place_heading(s.heading) for s in _chain(sections, a.section)) if p), None)
    for item in [*record.amounts, *record.targets, *record.assignments]:
        found = admin_units.resolve_location(item.location, place)
        if found is not None and found.unit is not None:
            item.location_code, item.location_level = found.unit.code, found.unit.level
            if found.province_today:
                item.location_province_today = found.province_today.short
                item.location_province_today_code = found.province_today.code


COMPONENT = Component("places", requires=("metadata", "amounts", "targets", "assignments"), assigns=("places",),
                      run=_run)
