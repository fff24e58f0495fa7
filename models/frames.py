"""Records as pandas frames, one per list of items, for notebooks (pandas is an optional extra).

``to_frames(records)`` gives amounts, targets, assignments, legal_refs, sections and checks:
one row per item, each with its document's path and sha256; money stays exact (Decimal).
"""
from __future__ import annotations

from typing import Iterable

from kehoach.models.extras import need
from kehoach.models.records import Record

LISTS = ("amounts", "targets", "assignments", "legal_refs", "sections", "checks")


def to_frames(records: Iterable[Record]) -> dict:
    """{'amounts': DataFrame, …}: one row per item, with document_path and document_sha256."""
    pd = need("pandas", "frames")
    rows: dict[str, list[dict]] = {name: [] for name in LISTS}
    for rec in records:
        keys = {"document_path": rec.source.path, "document_sha256": rec.source.sha256,
                "document_title": rec.metadata.title, "province": rec.metadata.province}
        for name in LISTS:
            for item in getattr(rec, name):
                data = item.model_dump(mode="python")
                span = data.pop("span", None) or data.pop("spans", None)
                if isinstance(span, tuple):
                    data["span_start"], data["span_end"] = span
                rows[name].append({**keys, **data})
    return {name: pd.DataFrame(items) for name, items in rows.items()}
