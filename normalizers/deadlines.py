"""When a task is due, as written and in a normalised form.

'Quý IV/2026' → '2026-Q4', 'tháng 6/2026' → '2026-06', 'trước ngày 30/6/2026' → '2026-06-30',
'năm 2026' → '2026', 'Thường xuyên' → 'continuous', 'Hằng năm' → 'yearly', '6 tháng đầu năm
2026' → '2026-H1'. The last date a text names is its deadline ('từ tháng 3 đến tháng 6/2026' is
due in June). Words for recurring and open deadlines live in catalogs/tables.json.
"""
from __future__ import annotations

import regex

from kehoach.normalizers.dates import (FULL_LONG_DATE, FULL_LONG_DATE_RE, NUMERIC_DATE, NUMERIC_DATE_RE, YEAR,
                                       iso_date, parts)
from kehoach.normalizers.numbers import roman_value
from kehoach.normalizers.text import fold

_QUARTER = regex.compile(rf"quý\s+(?P<q>[IVX]{{1,3}}|\d)\s*(?:/|năm|-)\s*(?P<y>{YEAR})", regex.IGNORECASE)
_MONTH = regex.compile(rf"tháng\s+(?P<m>\d{{1,2}})\s*(?:/|năm|-)\s*(?P<y>{YEAR})", regex.IGNORECASE)
_HALF = regex.compile(rf"(?P<n>6|sáu)\s+tháng\s+(?P<which>đầu|cuối)\s+năm\s+(?P<y>{YEAR})", regex.IGNORECASE)
_YEAR = regex.compile(rf"(?<!\d)(?P<y>{YEAR})(?!\d)")
_RECURRING = (("thuong xuyen", "continuous"), ("lien tuc", "continuous"), ("hang nam", "yearly"),
              ("hang nam", "yearly"), ("hang quy", "quarterly"), ("hang thang", "monthly"),
              ("dinh ky", "periodic"))


def normalize_deadline(text: str | None) -> str | None:
    """The normalised deadline of ``text``, or None when it names none."""
    if not text or not text.strip():
        return None
    found: list[tuple[int, str]] = []
    for m in _QUARTER.finditer(text):
        q = roman_value(m.group("q").upper()) or (int(m.group("q")) if m.group("q").isdigit() else None)
        if q and 1 <= q <= 4:
            found.append((m.end(), f"{m.group('y')}-Q{q}"))
    for pattern in (NUMERIC_DATE_RE, FULL_LONG_DATE_RE):
        for m in pattern.finditer(text):
            day = iso_date(*parts(m))  # '31/2/2026' is no date
            if day:
                found.append((m.end(), day))
    for m in _MONTH.finditer(text):
        mo = int(m.group("m"))
        if 1 <= mo <= 12 and not any(s <= m.start() < e for s, e in _spans(text)):
            found.append((m.end(), f"{m.group('y')}-{mo:02d}"))
    for m in _HALF.finditer(text):
        found.append((m.end(), f"{m.group('y')}-{'H1' if m.group('which').lower() == 'đầu' else 'H2'}"))
    if found:
        return max(found)[1]
    key = fold(text)
    for cue, value in _RECURRING:
        if cue in key:
            return value
    years = _YEAR.findall(text)
    return years[-1] if years else None


def _spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for p in (NUMERIC_DATE_RE, FULL_LONG_DATE_RE) for m in p.finditer(text)]


# where a duty says when it is due, in its own words
_DEADLINE = regex.compile(
    r"(?:(?:hoàn thành|xong|thực hiện)\s+)?(?:trước|trong|chậm nhất|xong trong|trước ngày|trong năm|trong quý)\s+"
    rf"(?:ngày\s+{NUMERIC_DATE}|{FULL_LONG_DATE}"
    rf"|quý\s+[IVX]{{1,3}}\s*/\s*{YEAR}|quý\s+[IVX]{{1,3}}\s+năm\s+{YEAR}"
    rf"|tháng\s+\d{{1,2}}\s*/\s*{YEAR}|tháng\s+\d{{1,2}}\s+năm\s+{YEAR}|năm\s+{YEAR}"
    rf"|{NUMERIC_DATE})", regex.IGNORECASE)
_STANDING = regex.compile(r"(?<!\w)(?:thường xuyên|hằng năm|hàng năm|định kỳ hằng năm)(?!\w)", regex.IGNORECASE)


def deadline_phrase(task: str) -> str | None:
    """A deadline stated in a duty's own words ('hoàn thành trước ngày 30/6/2026', 'trong quý IV/2026')."""
    found = list(_DEADLINE.finditer(task))
    if found:
        return found[-1].group(0)
    m = _STANDING.search(task)
    return m.group(0) if m else None
