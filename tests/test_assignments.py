import pytest

from kehoach.normalizers.agencies import canonical_name
from kehoach.pipeline.extract import extract_text
from conftest import cases


@pytest.mark.parametrize("surface,canonical", cases("agencies"))
def test_canonical_agency_names(surface, canonical):
    assert canonical_name(surface) == canonical


PLAN = """KẾ HOẠCH
Thử nghiệm
III. NỘI DUNG
1. Dự án 2: Đa dạng hóa sinh kế
a) Mục tiêu
Hỗ trợ đa dạng hóa sinh kế.
b) Phân công thực hiện
- Phòng Lao động - Thương binh và Xã hội: Chủ trì, phối hợp với các đơn vị có liên quan và UBND các xã, thị trấn hướng dẫn thực hiện.
- UBND các xã, thị trấn; các cơ sở giáo dục nghề nghiệp: Tổ chức triển khai thực hiện.
2. Dự án 3: Hỗ trợ phát triển sản xuất
2.1. Tiểu dự án 2: Cải thiện dinh dưỡng
Đơn vị thực hiện: Phòng NN&PTNT chủ trì phối hợp với Trung tâm Y tế huyện tổ chức thực hiện.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính: Chủ trì tham mưu phân bổ kinh phí sự nghiệp.
2. Phòng Văn hoá - Thông tin
Chủ trì triển khai tiểu dự án 1 thuộc dự án 6 và Dự án 7.
3. Đề nghị Ủy ban Mặt trận Tổ quốc huyện và các tổ chức chính trị - xã hội
Giám sát, phản biện xã hội.
"""


def test_assignments_from_components_and_the_organisation_section():
    rec = extract_text(PLAN)
    got = [(a.component, a.lead, a.coordinating) for a in rec.assignments]
    assert got == [
        ("Dự án 2", "Phòng Lao động - Thương binh và Xã hội",
         ["các đơn vị có liên quan", "Ủy ban nhân dân xã, phường, thị trấn"]),
        ("Dự án 2", "Ủy ban nhân dân xã, phường, thị trấn", []),
        ("Dự án 2", "các cơ sở giáo dục nghề nghiệp", []),
        ("Dự án 3 > Tiểu dự án 2", "Phòng Nông nghiệp và Phát triển nông thôn", ["Trung tâm Y tế huyện"]),
        (None, "Sở Tài chính", []),
        ("Dự án 6 > Tiểu dự án 1", "Phòng Văn hóa - Thông tin", []),
        ("Dự án 7", "Phòng Văn hóa - Thông tin", []),
        (None, "Ủy ban Mặt trận Tổ quốc huyện và các tổ chức chính trị - xã hội", []),
    ]
    tasks = {a.lead: a.task for a in rec.assignments}
    assert tasks["Sở Tài chính"] == "Chủ trì tham mưu phân bổ kinh phí sự nghiệp"
    for a in rec.assignments:
        assert PLAN[a.span[0]:a.span[1]].strip()
