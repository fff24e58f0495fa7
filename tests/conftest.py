from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CASES = Path(__file__).parent / "cases"
GOLDEN = Path(__file__).parent / "golden"
SEED_TEXTS = sorted((FIXTURES / "seeds").glob("*.txt"))
SEED_PDFS = sorted((FIXTURES / "pdf").glob("*.pdf"))


def cases(name: str, key: str = "cases") -> list:
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))[key]


_records: dict[Path, object] = {}


@pytest.fixture(scope="session")
def extracted():
    """Extraction of a fixture file, computed once per test session."""
    from kehoach.pipeline.extract import extract_path

    def get(path: Path):
        if path not in _records:
            _records[path] = extract_path(path).record
        return _records[path]
    return get
