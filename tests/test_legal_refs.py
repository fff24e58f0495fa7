import pytest

from kehoach.pipeline.extract import extract_text
from kehoach.extractors.legal_refs import extract_legal_refs
from conftest import alone, case_params


@pytest.mark.parametrize("case", case_params("legal_refs"))
def test_citations(case):
    doc = alone(case["text"])
    refs = extract_legal_refs(doc.nt, doc.frame, doc.sections, own_number=None)
    assert [[r.type, r.number, r.date] for r in refs] == case["refs"]
    assert [r.raw for r in refs] == case["raw"]


def test_provenance_and_role():
    text = ("KẾ HOẠCH\nThực hiện công tác giảm nghèo\n"
            "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;\n"
            "I. MỤC TIÊU\nThực hiện Kế hoạch số 108/KH-UBND ngày 13/4/2022 của UBND huyện.\n")
    rec = extract_text(text)
    first, second = rec.legal_refs
    assert first.role == "basis" and second.role == "implements"
    assert first.issuer == "Thủ tướng Chính phủ"
    assert second.issuer == "Ủy ban nhân dân huyện"
    for ref in rec.legal_refs:
        assert text[ref.span[0]:ref.span[1]] == ref.raw
        assert ref.raw.startswith(("Quyết định", "Kế hoạch"))
    assert second.section == next(s.id for s in rec.sections if s.label == "I")


@pytest.mark.parametrize("case", case_params("legal_refs", "issuers"))
def test_issuer_from_the_words_or_the_number(case):
    doc = alone(case["text"])
    (ref,) = extract_legal_refs(doc.nt, doc.frame, doc.sections, own_number=None)
    assert ref.issuer == case["issuer"]
