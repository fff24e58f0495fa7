"""Dates as Vietnamese documents write them: 18/01/2022, 23.6.2021, 'ngày 03 tháng 3 năm 2022',
and the partial dates of drafts ('ngày    tháng 3 năm 2023')."""
from __future__ import annotations

import datetime as dt

import regex

# The one place dates are spelled out: the metadata, the legal references and the deadlines all
# use these. A year is 19xx or 20xx.
YEAR = r"(?:19|20)\d{2}"
# day/month/year with '/', '.' or '-' (the same both times) and stray spaces
NUMERIC_DATE = rf"(?P<d>\d{{1,2}})\s*(?P<sep>[/.\-])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<y>{YEAR})"
# 'ngày 03 tháng 3 năm 2022', also a draft's 'ngày    tháng 3 năm 2023'
LONG_DATE = rf"ngày\s*(?P<ld>\d{{1,2}})?\s*tháng\s*(?P<lm>\d{{1,2}})?\s*năm\s*(?P<ly>{YEAR})"
# the same with every part written
FULL_LONG_DATE = rf"ngày\s*(?P<ld>\d{{1,2}})\s*tháng\s*(?P<lm>\d{{1,2}})\s*năm\s*(?P<ly>{YEAR})"
DATE_AFTER_NUMBER = regex.compile(
    rf"[\s,]*(?:ban hành\s+)?(?:ngày\s*{NUMERIC_DATE}|{LONG_DATE})", regex.IGNORECASE)
LONG_DATE_RE = regex.compile(LONG_DATE, regex.IGNORECASE)
NUMERIC_DATE_RE = regex.compile(NUMERIC_DATE)
FULL_LONG_DATE_RE = regex.compile(FULL_LONG_DATE, regex.IGNORECASE)


def iso_date(day: int | None, month: int | None, year: int | None) -> str | None:
    """ISO date, or None when a part is missing or the date does not exist."""
    if not (day and month and year):
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parts(m: regex.Match) -> tuple[int | None, int | None, int | None]:
    """(day, month, year) of a match of DATE_AFTER_NUMBER or LONG_DATE_RE."""
    def grab(*names):
        for n in names:
            try:
                v = m.group(n)
            except IndexError:
                continue
            if v:
                return int(v)
        return None
    day, month, year = grab("d", "ld"), grab("m", "lm"), grab("y", "ly")
    if month is not None and not 1 <= month <= 12:
        month = None
    if day is not None and not 1 <= day <= 31:
        day = None
    if day and month and year and iso_date(day, month, year) is None:
        day = None  # '31/2/2026' names no day: the month and year stand
    return day, month, year
