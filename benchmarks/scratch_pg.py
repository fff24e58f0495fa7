"""A PostgreSQL schema of its own for one benchmark run, dropped afterwards (the database is shared)."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError


@contextmanager
def scratch_schema(admin_url: str) -> Iterator[Optional[str]]:
    """The URL of a fresh schema in ``admin_url``'s database, or None (and a line saying why)
    when the server is not reachable."""
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as exc:
        print(f"PostgreSQL: not reachable ({exc.__class__.__name__}); skipped")
        yield None
        return
    try:
        yield f"{admin_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
