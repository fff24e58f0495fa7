"""The store's ``agency_successors`` rows: today's holders of the duties of agencies the 2025
reform ended, for every agency name the store holds (models/successors.py decides who)."""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from sqlalchemy import Engine, delete, insert, select

from kehoach.models import tables as t
from kehoach.models.successors import successors


def _rows(agencies: Iterable[tuple[int, str, Optional[str]]], holders: dict[str, int],
          on: dt.date) -> list[dict]:
    out = []
    for agency_id, name, catalog_id in agencies:
        for s in successors(catalog_id, name, on):
            out.append({"agency_id": agency_id, "successor_id": holders[s.catalog_id], "share": s.share,
                        "duties": "; ".join(s.duties) or None, "since": s.since, "source": s.source.cite()})
    return out


# catalog id → agencies row id of the catalog's own name, per database: those rows are written
# when the store opens (sync_catalog, which refreshes this) and never change, so a load need not
# read them again
_HOLDERS: dict[str, dict[str, int]] = {}


def _holders(conn, fresh: bool = False) -> dict[str, int]:
    """Catalog id → the agencies row the catalog wrote (its canonical name)."""
    key = conn.engine.url.render_as_string(hide_password=False)
    if fresh or key not in _HOLDERS:
        at = t.Agency.__table__
        q = select(at.c.catalog_id, at.c.id).where(at.c.catalog_id.is_not(None), at.c.category.is_not(None))
        _HOLDERS[key] = dict(conn.execute(q).all())
    return _HOLDERS[key]


def refresh_all(conn, on: Optional[dt.date] = None) -> int:
    """Recompute every agency's successors as of ``on`` (today): the catalog or the day changed."""
    at, st = t.Agency.__table__, t.AgencySuccessor.__table__
    agencies = conn.execute(select(at.c.id, at.c.name, at.c.catalog_id).where(at.c.catalog_id.is_not(None))).all()
    rows = _rows(agencies, _holders(conn, fresh=True), on or dt.date.today())
    conn.execute(delete(st))
    if rows:
        conn.execute(insert(st), rows)
    return len(rows)


def add_for(engine: Engine, conn, agencies: dict[str, tuple[int, Optional[str]]],
            on: Optional[dt.date] = None) -> int:
    """The successors of agencies new to the store (name → (row id, catalog id)), added when missing."""
    from kehoach.models.store import _upsert

    on = on or dt.date.today()
    ended = [(i, n, c) for n, (i, c) in agencies.items() if c and successors(c, n, on)]
    if not ended:
        return 0
    rows = _rows(ended, _holders(conn), on)
    stmt, rows = _upsert(engine, t.AgencySuccessor.__table__, rows, ["agency_id", "successor_id"])
    conn.execute(stmt, rows)
    return len(rows)
