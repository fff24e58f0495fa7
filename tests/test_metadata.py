import pytest

from kehoach.extractors.metadata import _doc_number, _issue_date, _period_of, _admin_level
from kehoach.normalizers.names import canonical_issuer
from kehoach.pipeline.extract import extract_text
from conftest import case_params


@pytest.mark.parametrize("case", case_params("metadata", "issuer"))
def test_issuer(case):
    issuer = canonical_issuer(case["text"])
    assert (issuer.name, _admin_level(issuer)) == (case["issuer"], case["level"])


@pytest.mark.parametrize("case", case_params("metadata", "period"))
def test_period(case):
    p = _period_of(case["title"])
    assert (p.start, p.end) == (case["start"], case["end"])


@pytest.mark.parametrize("case", case_params("metadata", "number"))
def test_doc_number(case):
    assert _doc_number(case["line"])[0] == case["number"]


@pytest.mark.parametrize("case", case_params("metadata", "date"))
def test_issue_date(case):
    d = _issue_date(case["line"])
    assert [d.year, d.month, d.day] == case["date"]


def test_issuer_and_province_from_the_body_when_the_header_is_missing():
    text = ("KẾ HOẠCH\nThực hiện công tác giảm nghèo năm 2023 trên địa bàn huyện Quảng Xương\n"
            "Căn cứ Kế hoạch số 108/KH-UBND ngày 05/5/2023 của UBND tỉnh về giảm nghèo trên địa bàn tỉnh "
            "Thanh Hóa, UBND huyện Quảng Xương ban hành Kế hoạch như sau:\nI. MỤC TIÊU\nGiảm nghèo.\n")
    m = extract_text(text).metadata
    assert (m.issuer, m.admin_level, m.district, m.province) == (
        "Ủy ban nhân dân huyện Quảng Xương", "district", "Quảng Xương", "Thanh Hóa")
    assert m.issue_date is None and m.doc_number is None


def test_province_is_not_guessed_when_the_text_does_not_name_it():
    text = ("ỦY BAN NHÂN DÂN\nHUYỆN BẠCH THÔNG\nSố: /KH-UBND\nBạch Thông, ngày tháng 3 năm 2023\n"
            "KẾ HOẠCH\nThực hiện công tác giảm nghèo năm 2023\nI. MỤC TIÊU\nGiảm nghèo.\n")
    m = extract_text(text).metadata
    assert (m.issuer, m.district, m.province) == ("Ủy ban nhân dân huyện Bạch Thông", "Bạch Thông", None)


def test_signer():
    text = ("KẾ HOẠCH\nGiảm nghèo năm 2023\nI. MỤC TIÊU\nGiảm nghèo.\nNơi nhận:\n- Như trên;\n"
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n[daky]\nTrần Anh Tuấn\n")
    s = extract_text(text).metadata.signer
    assert (s.name, s.title) == ("Trần Anh Tuấn", "Phó Chủ tịch")


def test_commune_plan_with_its_district_above():
    text = ("ỦY BAN NHÂN DÂN HUYỆN QUẢNG XƯƠNG\nỦY BAN NHÂN DÂN XÃ QUẢNG HẢI\nSố: 15/KH-UBND\n"
            "Quảng Hải, ngày 10 tháng 4 năm 2023\nKẾ HOẠCH\nGiảm nghèo năm 2023 trên địa bàn xã\n"
            "Thực hiện Kế hoạch của UBND huyện Quảng Xương, tỉnh Thanh Hóa;\nI. MỤC TIÊU\nGiảm nghèo.\n")
    m = extract_text(text).metadata
    assert (m.issuer, m.admin_level, m.district, m.province, m.doc_number) == (
        "Ủy ban nhân dân xã Quảng Hải", "commune", "Quảng Xương", "Thanh Hóa", "15/KH-UBND")
    assert (m.issue_date.year, m.issue_date.month, m.issue_date.day) == (2023, 4, 10)


def test_department_under_its_province():
    text = ("UBND TỈNH ĐẮK LẮK\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 123/KH-SLĐTBXH\n"
            "Đắk Lắk, ngày 2 tháng 3 năm 2023\nKẾ HOẠCH\nTập huấn cán bộ giảm nghèo năm 2023\nI. MỤC TIÊU\nNội dung.\n")
    m = extract_text(text).metadata
    assert (m.issuer, m.admin_level, m.province) == (
        "Sở Lao động - Thương binh và Xã hội tỉnh Đắk Lắk", "province", "Đắk Lắk")


def test_commune_plan_names_its_district_in_the_body():
    text = ("ỦY BAN NHÂN DÂN\nXÃ CÁT VÂN\nSố: 14/KH-UBND\nCát Vân, ngày 12 tháng 02 năm 2019\nKẾ HOẠCH\n"
            "Giảm nghèo năm 2019\nCăn cứ kế hoạch số: 16/KH-UBND ngày 25/01/2019 của UBND huyện Như Xuân, "
            "tỉnh Thanh Hóa;\nI. MỤC TIÊU\nGiảm nghèo trên địa bàn huyện Như Xuân.\n")
    rec = extract_text(text)
    m = rec.metadata
    assert (m.admin_level, m.district, m.province) == ("commune", "Như Xuân", "Thanh Hóa")
    assert [(r.number, r.date) for r in rec.legal_refs] == [("16/KH-UBND", "2019-01-25")]


def test_a_blank_number_whose_slash_ocr_lost_still_anchors_the_header():
    # 'Số:      /KH-UBND' scanned comes out 'Số: KH-UBND' (seed 000 and 003 scans; draft plans of
    # Lào Cai Sở Công Thương print 'Số: /KH-SCT')
    from kehoach.pipeline.extract import extract_text
    for number in ("Số: KH-UBND", "Số: /KH-UBND"):
        text = (f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\n{number}\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA\nVIỆT NAM\n"
                "Độc lập - Tự do - Hạnh phúc\nQuảng Nam, ngày tháng 3 năm 2023\nKẾ HOẠCH\nHỗ trợ huyện Phước Sơn\n"
                "Thực hiện Nghị quyết số 24/2021/QH15 ngày 28/7/2021 của Quốc hội.\nI. MỤC TIÊU\nNội dung.\n")
        m = extract_text(text).metadata
        assert (m.issuer, m.province, m.doc_number) == ("Ủy ban nhân dân tỉnh Quảng Nam", "Quảng Nam", None)


def test_the_signer_is_the_name_under_the_title_not_an_appendix_name():
    # a team's task list after the signature names its members (Lào Cai Sở Công Thương KH 3898)
    from kehoach.pipeline.extract import extract_text
    text = ("SỞ CÔNG THƯƠNG\nSố: /KH-SCT\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Lào Cai, ngày tháng 6 năm 2026\nKẾ HOẠCH\nHuấn luyện kỹ thuật an toàn\nI. MỤC ĐÍCH\nNội dung.\n"
            "Nơi nhận:\n- Ban Giám đốc Sở;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nHoàng Văn Thuân\n"
            "PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC\nRà soát điều kiện của học viên\nVũ Việt Linh\nĐỗ Mạnh Cường\n")
    m = extract_text(text).metadata
    assert (m.signer.name, m.signer.title) == ("Hoàng Văn Thuân", "Phó Giám đốc")


def test_a_word_header_and_signature_set_as_tables_read_column_by_column(tmp_path):
    # Word plans set the header and the signature as borderless tables, often with an empty
    # spacer column (Lào Cai Sở Công Thương KH 3898 and Đề án 08)
    import docx

    from kehoach.pipeline.extract import extract_path
    d = docx.Document()
    head = d.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG\nSố: /KH-SCT"
    head.cell(0, 1).text = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLào Cai, ngày tháng 4 năm 2026"
    for line in ("KẾ HOẠCH", "Thực hiện Đề án số 08 về phát triển công nghiệp", "I. MỤC ĐÍCH, YÊU CẦU", "Nội dung."):
        d.add_paragraph(line)
    sign = d.add_table(rows=1, cols=3)
    sign.cell(0, 0).text = "Nơi nhận:\n- Tỉnh ủy (B/c);\n- Lưu: VT."
    sign.cell(0, 2).text = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nTrịnh Văn Thành"
    path = tmp_path / "plan.docx"
    d.save(path)
    rec = extract_path(path).record
    m = rec.metadata
    assert (m.issuer, m.province, m.signer.name) == ("Sở Công Thương tỉnh Lào Cai", "Lào Cai", "Trịnh Văn Thành")


def test_a_cited_decision_s_issuer_is_not_the_plan_s():
    # 'Triển khai Quyết định … của Ủy ban nhân dân tỉnh Đăk Nông về ban hành Kế hoạch …, Ban Chỉ
    # đạo … ban hành Kế hoạch …' (Đắk R'Lấp repost): the province committee issued the decision
    from kehoach.pipeline.extract import extract_text
    text = ("KẾ HOẠCH\nHoạt động của Ban Chỉ đạo chuyển đổi số huyện năm 2023\nTriển khai thực hiện Quyết định số "
            "47/QĐ-UBND ngày 12/01/2023 của Ủy ban nhân dân tỉnh Đăk Nông về ban hành Kế hoạch chuyển đổi số năm "
            "2023, Ban Chỉ đạo ban hành Kế hoạch hoạt động như sau:\nI. MỤC ĐÍCH, YÊU CẦU\nNội dung.\n")
    assert extract_text(text).metadata.issuer is None
