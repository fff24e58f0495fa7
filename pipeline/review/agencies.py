"""The review site's agencies: an index of the agencies that hold duties today, and a page per
agency listing its duties across plans — those the 2025 reform passed to it from an agency it
replaced marked inherited — each linking to the plan's review page at the duty's section."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from kehoach.models.obligations import Duty
from kehoach.pipeline.review.page import _env


@dataclass(frozen=True)
class AgencyEntry:
    name: str  # who holds the duties today
    href: str
    duties: int
    plans: int
    inherited: int
    provinces: str


def _slug(name: str) -> str:
    """A file name from an agency's name: 'Sở Tài chính' → 'so-tai-chinh'."""
    text = unicodedata.normalize("NFD", name.lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "co-quan"


def agency_pages(found: list[Duty]) -> dict[str, str]:
    """File name → HTML: 'agencies.html' (the index) and 'agency-<name>.html' per agency today."""
    by_agency: dict[str, list[Duty]] = defaultdict(list)
    for d in found:
        by_agency[d.agency_today].append(d)
    pages, entries, used = {}, [], set()
    for name in sorted(by_agency, key=lambda n: (-len(by_agency[n]), n)):
        duties = by_agency[name]
        slug = _slug(name)
        while f"agency-{slug}.html" in used:  # two names that fold alike keep two pages
            slug += "-2"
        href = f"agency-{slug}.html"
        used.add(href)
        provinces = sorted({d.plan.province_today or d.plan.province_issued or "—" for d in duties})
        entries.append(AgencyEntry(name, href, len(duties), len({d.plan.sha256 for d in duties}),
                                   sum(d.inherited for d in duties), ", ".join(provinces)))
        pages[href] = _env().get_template("agency.html.j2").render(
            name=name, duties=duties, plans=entries[-1].plans, inherited=entries[-1].inherited)
    pages["agencies.html"] = _env().get_template("agencies.html.j2").render(agencies=entries)
    return pages
