"""Agencies over time: who holds a duty after the 2025 reform (models.successors), each case a
name as a real plan wrote it; and the succession catalog's own consistency."""
import datetime as dt
import unicodedata

import pytest

from conftest import ROOT, case_params
from kehoach.catalogs import load
from kehoach.models.obligations import due_date
from kehoach.models.successors import successor_for_task, successors
from kehoach.normalizers.agencies import canonical_name, catalog_id
from kehoach.normalizers.text import tone_canonical


def _plan_text(rel: str) -> str:
    path = (ROOT.parent / rel) if rel.startswith("shared/") else ROOT / rel
    if not path.exists():
        pytest.skip(f"{rel} is not beside this clone")
    return tone_canonical(unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))).lower()


@pytest.mark.parametrize("case", case_params("agency_successors"))
def test_successors_of_a_name_a_plan_wrote(case):
    assert tone_canonical(case["written"]).lower() in _plan_text(case["plan"])
    name = canonical_name(case["written"])
    on = dt.date.fromisoformat(case["on"])
    got = successors(catalog_id(name), name, on)
    assert [[s.catalog_id, s.share] for s in got] == case["expect"]
    if "for_task" in case:
        assert successor_for_task(catalog_id(name), name, case["task"], on).catalog_id == case["for_task"]
    for s in got:  # every step cites its document, issued before the duties passed
        assert s.source.document and dt.date.fromisoformat(s.source.date) < s.since <= on


def test_successions_cite_their_sources_and_name_catalog_agencies():
    agencies = {a["id"]: a for a in load("agencies")["agencies"]}
    data = load("agency_successors")
    for key, src in data["sources"].items():
        assert src["document"] and dt.date.fromisoformat(src["date"]) and src["checked_against"], key
    entries = data["successions"] + data["by_level"]
    for e in entries:
        ids = [e.get("from") or e["catalog_id"]] + [t["id"] for t in e["to"]]
        assert all(i in agencies for i in ids), ids
        assert e["source"] in data["sources"]
        shares = [t["share"] for t in e["to"]]
        assert shares in (["all"], ["main"] + ["part"] * (len(shares) - 1)), e
        assert all(t.get("duties") for t in e["to"] if t["share"] == "part")
    # the agency catalog's own successor field says the same as the main or whole successor
    first = {e["from"]: e["to"][0]["id"] for e in data["successions"]}
    for a in agencies.values():
        if a.get("successor"):
            assert first.get(a["id"]) == a["successor"], a["id"]


def test_an_agency_the_reform_left_alone_or_the_catalog_does_not_know_has_no_successor():
    assert successors("so_y_te") == [] and successors(None) == [] and successor_for_task(None) is None


# deadlines as the assignments extractor normalises them, from real plans (the deadline as written in comments)
DUE = [
    ("2026-Q3", dt.date(2026, 9, 30)),  # corpus 10 (Hà Nội 5G): 'Quý III Năm 2026'
    ("2026-Q2", dt.date(2026, 6, 30)),  # corpus 10: 'Quý IV/2025- Quý II/2026'
    ("2026-05", dt.date(2026, 5, 31)),  # corpus 17 (Lào Cai): 'Xong trong tháng 5/2026'
    ("2030-01-01", dt.date(2030, 1, 1)),  # corpus 17: 'trước ngày 01/01/2030'
    ("2023-02-28", dt.date(2023, 2, 28)),  # dev 18 (Sơn La): 'trước ngày 28/2/2023'
    ("2025", dt.date(2025, 12, 31)),  # corpus 15 (TP HCM): 'Năm 2025 và các năm tiếp theo'
    ("2030", dt.date(2030, 12, 31)),  # dev 09 (Đồng Nai): '2026 - 2030'
    ("2026-H1", dt.date(2026, 6, 30)),
    ("continuous", None),  # corpus 10: 'Thường xuyên'
    ("yearly", None),  # corpus 10: 'Hàng năm'
    (None, None),
]


@pytest.mark.parametrize("normalized,expected", DUE)
def test_the_last_day_a_deadline_allows(normalized, expected):
    assert due_date(normalized) == expected
