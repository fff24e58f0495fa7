"""Dates as Vietnamese documents write them: 18/01/2022, 23.6.2021, 'ngày 03 tháng 3 năm 2022',
and the partial dates of drafts ('ngày    tháng 3 năm 2023')."""
from __future__ import annotations

import datetime as dt

import regex

# day/month/year with '/', '.' or '-' and stray spaces
NUMERIC_DATE = r"(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>(?:19|20)\d{2})"
LONG_DATE = r"ngày\s*(?P<ld>\d{1,2})?\s*tháng\s*(?P<lm>\d{1,2})?\s*năm\s*(?P<ly>(?:19|20)\d{2})"
DATE_AFTER_NUMBER = regex.compile(
    rf"[\s,]*(?:ban hành\s+)?(?:ngày\s*{NUMERIC_DATE}|{LONG_DATE})", regex.IGNORECASE)
LONG_DATE_RE = regex.compile(LONG_DATE, regex.IGNORECASE)


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
    return day, month, year
