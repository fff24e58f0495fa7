"""Real plans (fixtures/real/README.md says where each came from), against answers checked by hand."""
from conftest import FIXTURES

LAOCAI = FIXTURES / "real" / "17_laocai-chi-thi-11-quan-ly-khoang-san.docx"


def test_the_lao_cai_draft_header(extracted):
    m = extracted(LAOCAI).metadata
    assert (m.issuer, m.doc_number, m.issue_date.year, m.issue_date.month) == (
        "Ủy ban nhân dân tỉnh Lào Cai", None, 2026, None)
    assert m.title.startswith("Triển khai thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy")
    assert m.title.endswith("trên địa bàn tỉnh Lào Cai")


def test_the_lao_cai_task_table(extracted):
    rec = extracted(LAOCAI)
    rows = {(a.lead, a.deadline, a.deadline_normalized) for a in rec.assignments if a.deadline}
    # rows of the appendix table, read off the document by hand
    assert {("Sở Nông nghiệp và Môi trường", "Xong trong tháng 5/2026", "2026-05"),
            ("Sở Công Thương", "Thường xuyên", "continuous"),
            ("Sở Nội vụ", "Hàng năm", "yearly"),
            ("Thanh tra tỉnh", "Hàng năm", "yearly"),
            ("Thuế tỉnh", "Hàng năm", "yearly"),
            ("Công an tỉnh", "Xong trong Quý II/2026", "2026-Q2")} <= rows
    assert not any(a.lead.startswith("(") for a in rec.assignments)  # the column-number row is header
    for a in rec.assignments:
        assert rec.text[a.span[0]:a.span[1]]
