import pytest

from kehoach.pipeline.extract import extract_text
from conftest import cases


@pytest.mark.parametrize("text,expected", cases("targets"), ids=lambda x: str(x)[:40])
def test_targets(text, expected):
    rec = extract_text("KẾ HOẠCH\nThử nghiệm\nI. MỤC TIÊU\n2. Mục tiêu cụ thể đến năm 2025\n" + text + "\n")
    got = [[t.target, t.target_max, t.unit, t.baseline, t.comparator, t.direction] for t in rec.targets]
    assert got == expected
    for t in rec.targets:
        assert t.year == 2025


def test_targets_need_an_objective_or_a_goal_word():
    text = ("KẾ HOẠCH\nThử nghiệm\nIII. NỘI DUNG\n1. Dự án 2\nĐã hỗ trợ 25 lớp cho 875 lao động; bố trí "
            "tối thiểu bằng 50% mức vốn.\nTriển khai tối thiểu 08 mô hình, dự án đa dạng hóa sinh kế.\n")
    got = [(t.target, t.unit, t.comparator) for t in extract_text(text).targets]
    assert got == [(8.0, "mô hình, dự án", "ge")]
