"""Vietnamese administrative conventions kept as data: the bottom of the package map, importing nothing of kehoach.

Every rule that encodes a convention (heading names, document types, units, agencies, glyph
damage) reads its table from a JSON file beside this module, so the conventions can be
reviewed and extended without touching code. Files are read once per process.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed JSON catalog ``name`` (without ``.json``)."""
    with resources.files(__name__).joinpath(f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)
