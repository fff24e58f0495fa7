from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CASES = Path(__file__).parent / "cases"
GOLDEN = Path(__file__).parent / "golden"
SEED_TEXTS = sorted((FIXTURES / "seeds").glob("*.txt"))
SEED_PDFS = sorted((FIXTURES / "pdf").glob("*.pdf"))
# the fixture builders (fixtures/word_lists.py) serve the tests that write inputs of their own
sys.path.insert(0, str(FIXTURES))


def cases(name: str, key: str = "cases") -> list:
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))[key]


_records: dict[Path, object] = {}


@pytest.fixture(scope="session")
def extracted():
    """Extraction of a fixture file, computed once per test session."""
    from kehoach.pipeline.extract import extract_path

    def get(path: Path):
        if path not in _records:
            _records[path] = extract_path(path, include_text=True).record
        return _records[path]
    return get


def case_params(name: str, key: str = "cases") -> list:
    """The cases of a table as pytest params, each named by its id (its 'why' is in the table)."""
    return [pytest.param(c, id=c["id"]) for c in cases(name, key)]


def alone(text: str, kind: str = "budget", heading: str = "Thử nghiệm"):
    """A rule family's input without the rest of the chain: the normalised text of ``text`` and
    one section of ``kind`` holding all of it, so that a segmentation change cannot break a case."""
    from kehoach.extractors.context import Document
    from kehoach.models.records import Frame, RawDocument, Record, Section, Source
    from kehoach.normalizers.layout import normalize_layout

    raw = RawDocument(path="<case>", sha256="", format="txt", size_bytes=len(text.encode()), text=text)
    nt = normalize_layout(raw)
    frame = Frame(type_para=None, doc_type=None, title_paras=[], body_start=0, body_end=len(nt.paragraphs),
                  header_end=0)
    section = Section(id="s1", parent=None, level=1, label="I", heading=heading, kind=kind,
                      span=(0, len(nt.text)), pages=[])
    record = Record(source=Source(path="<case>", sha256="", format="txt"), sections=[section])
    return Document(nt=nt, frame=frame, record=record)
