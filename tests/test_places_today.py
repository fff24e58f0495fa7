"""Places as issued and today (normalizers.admin_units, extractors.places, revision 0004).

The case table (tests/cases/places_today.json) holds real plans' places of every kind the
reform touches; the seeds' provinces today are asserted; every document of the corpus and of
the development set must come out with its province as issued and today, each with its code.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import CASES, FIXTURES, ROOT, case_params, cases
from kehoach.models.store import Store
from kehoach.normalizers import admin_units
from test_store import db_url  # noqa: F401 - the SQLite and PostgreSQL store fixture

SHARED = ROOT.parent / "shared"
SEEDS = {  # seed → (province as issued, code, province today, code): the asserted values
    "000_1998f8f499f4cb06": ("Quảng Nam", "49", "Đà Nẵng", "48"),
    "001_1b7a66c9567192c6": ("Thanh Hóa", "38", "Thanh Hóa", "38"),
    "002_bd045705af8ce7bb": ("Sơn La", "14", "Sơn La", "14"),
    "003_2d714dcfa58f43ab": ("Bắc Kạn", "06", "Thái Nguyên", "19"),
    "004_c53d2453440e5b6e": ("Đắk Lắk", "66", "Đắk Lắk", "66"),
}


def _plan_path(plan: str) -> Path:
    path = (ROOT.parent / plan) if plan.startswith("shared/") else ROOT / plan
    if plan.startswith("shared/") and not path.exists():
        pytest.skip(f"the shared data is not beside the clone ({path})")
    return path


def _squash(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split()).casefold()


@pytest.fixture
def offline(monkeypatch):
    """The library's geocoder (ArcGIS, over the network) must never be called, and every case
    is resolved afresh, not from another test's cache."""
    from vietnamadminunits.converter import converter_2025

    def refuse(address):  # noqa: ANN001
        raise AssertionError(f"the library tried to geocode {address!r} over the network")

    monkeypatch.setattr(converter_2025, "get_geo_location", refuse)
    admin_units._legacy.cache_clear()
    admin_units._from_2025.cache_clear()
    yield
    admin_units._legacy.cache_clear()
    admin_units._from_2025.cache_clear()


def _names(d: dict) -> dict:
    out = {k: d.get(k) for k in ("province", "district", "commune")}
    out["issued"] = dt.date.fromisoformat(d["issued"]) if d.get("issued") else None
    return out


def _view(place: admin_units.Place | None) -> dict:
    if place is None:
        return {}
    return {
        "era": place.era, "level": place.level,
        "province": place.province and place.province.short, "province_code": place.province and place.province.code,
        "district": place.district and place.district.name, "district_code": place.district and place.district.code,
        "commune": place.commune and place.commune.name, "commune_code": place.commune and place.commune.code,
        "province_today": place.province_today and place.province_today.short,
        "province_today_code": place.province_today and place.province_today.code,
        "commune_today": place.commune_today and place.commune_today.name,
    }


@pytest.mark.parametrize("case", case_params("places_today"))
def test_place_as_issued_and_today(case, offline):
    if "resolve" in case:
        got = admin_units.resolve(**_names(case["resolve"]))
    else:
        context = admin_units.resolve(**_names(case["context"]))
        got = admin_units.resolve_location(case["location"], context)
    view = _view(got)
    assert {k: view.get(k) for k in case["expect"]} == case["expect"]
    # official codes: two digits for a province, three for a district, five for a commune
    assert re.fullmatch(r"\d{2}", view["province_code"]) and re.fullmatch(r"\d{2}", view["province_today_code"])
    assert view["district_code"] is None or re.fullmatch(r"\d{3}", view["district_code"])
    assert view["commune_code"] is None or re.fullmatch(r"\d{5}", view["commune_code"])


@pytest.mark.parametrize("case", case_params("places_today"))
def test_case_quotes_are_the_plans_words(case):
    path = _plan_path(case["plan"])
    assert _squash(case["quote"]) in _squash(path.read_text(encoding="utf-8", errors="replace"))
    if case["named_in_plan"]:
        names = case["resolve"] if "resolve" in case else {}
        unit = case.get("location") or names.get("commune") or names.get("district") or names.get("province")
        assert _squash(admin_units.split_unit(unit)[1]) in _squash(case["quote"])


def test_every_kind_has_cases_from_two_real_plans():
    plans = defaultdict(set)
    for c in cases("places_today"):
        plans[c["kind"]].add(c["plan"])
    required = {"pre2025_province", "pre2025_district", "post2025_commune", "merged_province_name", "city",
                "special_zone"}
    assert set(plans) >= required
    # a kind only one real plan we hold shows is named as such in the table
    single = set(json.loads((CASES / "places_today.json").read_text(encoding="utf-8"))["_meta"]["single_plan_kinds"])
    assert not (single & required)
    assert {k: len(v) for k, v in plans.items() if len(v) < 2 and k not in single} == {}


def test_unknown_names_resolve_to_nothing(offline):
    assert admin_units.resolve() is None
    assert admin_units.resolve(province="Không Có") is None
    # the library matches keywords anywhere: a made-up ward in a real province is that province only
    place = admin_units.resolve(province="Đắk Lắk", commune="phường Không Có", issued=dt.date(2025, 11, 1))
    assert place.level == "province" and place.province.code == "66"


@pytest.mark.parametrize("stem", sorted(SEEDS))
def test_seed_provinces_as_issued_and_today(stem, extracted):
    m = extracted(FIXTURES / "seeds" / f"{stem}.txt").metadata
    assert (m.province_issued, m.province_code, m.province_today, m.province_today_code) == SEEDS[stem]
    assert m.units_era == "before_2025"


def test_seed_district_codes_and_located_items(extracted):
    assert extracted(FIXTURES / "seeds" / "003_2d714dcfa58f43ab.txt").metadata.district_code == "063"
    assert extracted(FIXTURES / "seeds" / "001_1b7a66c9567192c6.txt").metadata.district_code == "406"
    record = extracted(FIXTURES / "seeds" / "000_1998f8f499f4cb06.txt")
    located = {(x.location, x.location_code, x.location_level, x.location_province_today, x.location_province_today_code)
               for x in [*record.amounts, *record.targets] if x.location}
    assert located == {("huyện Phước Sơn", "511", "district", "Đà Nẵng", "48"),
                       ("huyện Bắc Trà My", "515", "district", "Đà Nẵng", "48")}


def _documents(folder: Path) -> list[Path]:
    if not folder.exists():
        pytest.skip(f"the shared data is not beside the clone ({folder})")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in ("README.md", "expected.json"))


@pytest.mark.parametrize("folder", ["corpus", "eval/dev/docs"])
def test_every_corpus_and_dev_document_has_its_province_as_issued_and_today(folder, extracted):
    missing = []
    for path in _documents(SHARED / folder):
        m = extracted(path).metadata
        if not (m.province_issued and re.fullmatch(r"\d{2}", m.province_code or "") and m.province_today
                and re.fullmatch(r"\d{2}", m.province_today_code or "") and m.units_era):
            missing.append(path.name)
    assert missing == []


@pytest.mark.parametrize("stem, province", [
    # 'xã, phường' in the title is what the plan is about; its issuer is the province
    ("q01_nghean-kh695-xa-phuong-khong-ma-tuy.txt", "Nghệ An"),
    ("q18_quangngai-xa-longphung-kh-cai-cach-hanh-chinh-2025.txt", "Quảng Ngãi"),
])
def test_commune_words_and_communes_plans(stem, province, extracted):
    m = extracted(FIXTURES / "heldout" / "docs" / stem).metadata
    assert (m.province_issued, m.province_today) == (province, province)
    if stem.startswith("q01"):
        assert m.admin_level == "province" and m.commune is None
    else:
        assert (m.admin_level, m.commune, m.commune_code, m.units_era) == ("commune", "Xã Long Phụng", "21409",
                                                                           "from_2025")


def test_loading_fills_the_place_columns(db_url, extracted):  # noqa: F811 - the imported fixture
    s = Store(db_url)
    for stem in ("000_1998f8f499f4cb06", "003_2d714dcfa58f43ab"):
        s.load(extracted(FIXTURES / "seeds" / f"{stem}.txt").model_copy(deep=True))
    with s.engine.connect() as conn:
        docs = conn.execute(text(
            "SELECT district, province_issued, province_code, province_today, province_today_code, district_code, "
            "units_era FROM documents ORDER BY province_code")).all()
        items = conn.execute(text(
            "SELECT DISTINCT location, location_code, location_level, location_province_today, "
            "location_province_today_code FROM targets WHERE location IS NOT NULL ORDER BY location_code")).all()
        amounts = conn.execute(text("SELECT COUNT(*) FROM amounts WHERE location_province_today = 'Đà Nẵng'")).scalar()
    assert [tuple(r) for r in docs] == [
        ("Bạch Thông", "Bắc Kạn", "06", "Thái Nguyên", "19", "063", "before_2025"),
        (None, "Quảng Nam", "49", "Đà Nẵng", "48", None, "before_2025"),
    ]
    assert [tuple(r) for r in items] == [("huyện Phước Sơn", "511", "district", "Đà Nẵng", "48"),
                                         ("huyện Bắc Trà My", "515", "district", "Đà Nẵng", "48")]
    assert amounts == 24
