"""Dates: one module spells them (normalizers/dates.py) for the metadata, the citations and the
deadlines, and a date that does not exist is no date."""
import pytest

from kehoach.normalizers.dates import LONG_DATE_RE, NUMERIC_DATE_RE, iso_date, parts
from kehoach.normalizers.deadlines import deadline_phrase, normalize_deadline


@pytest.mark.parametrize("text,expected", [
    ("trước ngày 30/6/2026", "2026-06-30"),
    ("hoàn thành trước 30.6.2026", "2026-06-30"),
    ("ngày 15 tháng 3 năm 2026", "2026-03-15"),
    # no 31 February: the day is refused, the year it names still stands
    ("trước ngày 31/2/2026", "2026"),
    ("ngày 29/2/2025", "2025"),
    ("ngày 29/2/2024", "2024-02-29"),  # a leap year
    ("ngày 31 tháng 4 năm 2026", "2026"),
    ("Quý IV/2026", "2026-Q4"),
    ("tháng 6/2026", "2026-06"),
])
def test_deadlines_refuse_dates_that_do_not_exist(text, expected):
    assert normalize_deadline(text) == expected


def test_the_phrase_of_a_deadline_uses_the_same_patterns():
    assert deadline_phrase("Sở Tài chính hoàn thành trước ngày 30/6/2026.") == "hoàn thành trước ngày 30/6/2026"
    assert deadline_phrase("báo cáo trong quý IV/2026") == "trong quý IV/2026"


@pytest.mark.parametrize("text,expected", [
    ("18/01/2022", (18, 1, 2022)),
    ("31/2/2026", (None, 2, 2026)),  # the month and year of an impossible date are kept
    ("31-12-2025", (31, 12, 2025)),
])
def test_parts_of_a_numeric_date(text, expected):
    assert parts(NUMERIC_DATE_RE.search(text)) == expected


def test_parts_of_a_partial_long_date():
    assert parts(LONG_DATE_RE.search("ngày    tháng 3 năm 2023")) == (None, 3, 2023)
    assert iso_date(None, 3, 2023) is None and iso_date(30, 2, 2024) is None
