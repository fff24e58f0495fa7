import pytest
from hypothesis import given, settings, strategies as st

from kehoach.normalizers.layout import normalize_layout
from kehoach.pipeline.readers import read_bytes
from conftest import SEED_PDFS, SEED_TEXTS, case_params


def paragraphs(fmt: str, text: str) -> list[str]:
    raw = read_bytes(text.encode(), f"doc.{fmt}")
    raw.format = fmt
    nt = normalize_layout(raw)
    return [nt.text[p.start:p.end] for p in nt.paragraphs]


@pytest.mark.parametrize("case", case_params("layout"))
def test_unwrapping(case):
    assert paragraphs(case["format"], case["text"]) == case["paragraphs"]


WORD = st.text(alphabet="abcdeghiklmnopqrstuvxyàáảãạđêôơư", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(WORD, min_size=1, max_size=14), min_size=1, max_size=25))
def test_every_word_maps_back_to_itself(lines):
    source = "\n".join(" ".join(words) for words in lines)
    raw = read_bytes(source.encode(), "doc.txt")
    nt = normalize_layout(raw)
    pos = 0
    for word in nt.text.replace("\n", " ").split(" "):
        if not word:
            pos += 1
            continue
        start = nt.text.index(word, pos)
        src = nt.to_source(start)
        assert source[src:src + len(word)] == word
        pos = start + len(word)


@pytest.mark.parametrize("path", SEED_TEXTS + SEED_PDFS, ids=lambda p: p.name)
def test_section_headings_point_at_the_source(path, extracted):
    from kehoach.pipeline.readers import read_document

    record = extracted(path)
    raw = read_document(path)
    nt = normalize_layout(raw)
    assert nt.text[:50] and record.sections
    for s in record.sections:
        if s.heading_span is None:
            continue
        start, end = s.heading_span
        first_word = nt.text[start:end].split()[0]
        src = nt.to_source(start)
        assert raw.text[src:src + len(first_word)].replace("ƣ", "ư").replace("Ƣ", "Ư") == first_word
        if raw.paged:
            assert s.pages and all(1 <= p <= raw.page_count for p in s.pages)
