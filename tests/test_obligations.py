"""Who owes what by when: the agency_obligations view, models.obligations and `kehoach tasks`,
on SQLite and on PostgreSQL (a scratch schema per test, as in test_store)."""
import csv
import io
import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import FIXTURES
from kehoach.models.obligations import duties
from kehoach.models.store import Store, downgrade, upgrade
from test_store import db_url, record_of  # noqa: F401  (the fixture, SQLite and PostgreSQL)

# two seeds that name the Sở Kế hoạch và Đầu tư (Quảng Nam 2023, Đắk Lắk 2023) and two held-out
# plans with duties of the Sở Tài chính that have deadlines (Đồng Tháp, Bắc Ninh)
PLANS = [FIXTURES / "seeds" / "000_1998f8f499f4cb06.txt", FIXTURES / "seeds" / "004_c53d2453440e5b6e.txt",
         FIXTURES / "heldout" / "docs" / "h07_dongthap-kh552-lo-trinh-doi-moi-cong-nghe-2035.md",
         FIXTURES / "heldout" / "docs" / "h08_bacninh-kh141-nang-luc-xay-dung-phap-luat-2026-2030.md"]
INHERITED_TASK = "a) Chủ trì tổng hợp, thẩm định, tham mưu UBND tỉnh phương án phân bổ vốn đầu tư"
SOURCE_ND45 = "Nghị định 45/2025/NĐ-CP ngày 28/02/2025"


def _loaded(url: str) -> Store:
    s = Store(url)
    for p in PLANS:
        s.load(record_of(p))
    return s


def _tasks(url: str, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "kehoach.cli", "tasks", "--db", url, *args],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_the_view_gives_a_merged_agency_s_duties_to_its_successor(db_url):
    s = _loaded(db_url)
    with s.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT agency, agency_canonical, agency_today, agency_today_catalog_id, inherited, succession_share,"
            " succession_source, role, province_issued, province_today, task, page, span_start, span_end, sha256"
            " FROM agency_obligations WHERE agency_catalog_id = 'so_ke_hoach_dau_tu' ORDER BY sha256")).all()
        words = {r.sha256: conn.execute(text("SELECT text FROM documents WHERE sha256 = :s"), {"s": r.sha256}).scalar()
                 for r in rows}
    assert [tuple(r[:10]) for r in rows] == [
        ("Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "so_tai_chinh", 1, "all", SOURCE_ND45,
         "lead", "Quảng Nam", "Đà Nẵng"),  # Quảng Nam merged into Đà Nẵng
        ("Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "so_tai_chinh", 1, "all", SOURCE_ND45,
         "lead", "Đắk Lắk", "Đắk Lắk")]
    assert rows[0].task.startswith(INHERITED_TASK)
    for r in rows:  # the span covers the duty's words in the plan
        assert r.task[:30] in words[r.sha256][r.span_start:r.span_end]
    # the Sở Lao động - Thương binh và Xã hội gives a row to each holder today, main and parts
    with s.engine.connect() as conn:
        holders = conn.execute(text(
            "SELECT DISTINCT agency_today, succession_share FROM agency_obligations"
            " WHERE agency_catalog_id = 'so_lao_dong_tbxh' ORDER BY succession_share, agency_today")).all()
        own = conn.execute(text("SELECT COUNT(*) FROM agency_obligations WHERE agency_catalog_id = 'so_tai_chinh'"
                                " AND (inherited <> 0 OR agency_today <> 'Sở Tài chính')")).scalar()
    assert [tuple(h) for h in holders] == [("Sở Nội vụ", "main"), ("Công an tỉnh", "part"),
                                           ("Sở Giáo dục và Đào tạo", "part"), ("Sở Nông nghiệp và Môi trường", "part"),
                                           ("Sở Y tế", "part")]
    assert own == 0  # the Sở Tài chính holds its own duties, none inherited


def test_an_agency_s_duties_across_plans_with_the_inherited_marked(db_url):
    s = _loaded(db_url)
    found = duties(s.engine, catalog_id="so_tai_chinh")
    assert len({d.plan.sha256 for d in found}) == 4
    inherited = [d for d in found if d.inherited]
    assert sorted((d.agency, d.plan.province_issued) for d in inherited) == [
        ("Sở Kế hoạch và Đầu tư", "Quảng Nam"), ("Sở Kế hoạch và Đầu tư", "Đắk Lắk")]
    assert {d.agency_today for d in found} == {"Sở Tài chính"}
    # due on or before the end of 2026: the dated duties only, earliest first
    due = duties(s.engine, catalog_id="so_tai_chinh", due_before=__import__("datetime").date(2026, 12, 31))
    assert [(d.deadline, d.due, d.plan.province_issued) for d in due] == [
        ("Từ 01/7/2025", "2025-07-01", "Bắc Ninh"), ("2026", "2026-12-31", "Đồng Tháp")]
    # an agency that is gone, asked for as such: each duty it was given once, with its main holder today
    gone = duties(s.engine, catalog_id="so_lao_dong_tbxh")
    with s.engine.connect() as conn:
        given = conn.execute(text("SELECT COUNT(DISTINCT assignment_agency_id) FROM agency_obligations"
                                  " WHERE agency_catalog_id = 'so_lao_dong_tbxh'")).scalar()
    assert len(gone) == given > 0 and {(d.agency_today, d.succession_share) for d in gone} == {("Sở Nội vụ", "main")}
    # one province, written without diacritics
    assert {d.plan.province_issued for d in duties(s.engine, catalog_id="so_tai_chinh", province="quang nam")} \
        == {"Quảng Nam"}


def test_kehoach_tasks_in_each_format(db_url):
    _loaded(db_url).engine.dispose()
    # json: one array of duties, each naming its plan; the agency written without diacritics
    got = json.loads(_tasks(db_url, "--agency", "so tai chinh", "--format", "json").stdout)
    assert len({d["plan"]["sha256"] for d in got}) == 4
    kh = [d for d in got if d["inherited"]]
    assert [(d["agency"], d["agency_today"], d["succession_source"], d["plan"]["province_issued"],
             d["plan"]["issued"], d["role"]) for d in kh] == [
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính", SOURCE_ND45, "Quảng Nam", "2023-03", "lead"),
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính", SOURCE_ND45, "Đắk Lắk", None, "lead")]
    assert kh[0]["task"].startswith(INHERITED_TASK) and kh[0]["plan"]["review_page"] == kh[0]["plan"]["sha256"][:12] + ".html"
    # csv: the same duties, by value
    rows = list(csv.DictReader(io.StringIO(_tasks(db_url, "--agency", "Sở Tài chính", "--format", "csv").stdout)))
    assert len(rows) == len(got)
    assert sorted((r["agency"], r["inherited"], r["province_issued"]) for r in rows if r["inherited"] == "True") == [
        ("Sở Kế hoạch và Đầu tư", "True", "Quảng Nam"), ("Sở Kế hoạch và Đầu tư", "True", "Đắk Lắk")]
    # the table, with a due date written as plans write it
    proc = _tasks(db_url, "--agency", "Sở TC", "--due-before", "Quý IV/2026")
    assert "0 duties in 0 plans" in proc.stderr  # 'Sở TC' is no name the catalog knows: nothing is guessed
    proc = _tasks(db_url, "--agency", "Sở Tài chính", "--due-before", "Quý IV/2026")
    assert proc.stderr.strip() == "2 duties in 2 plans"
    assert "Từ 01/7/2025" in proc.stdout and "Đồng Tháp" in proc.stdout and "Quảng Nam" not in proc.stdout
    proc = _tasks(db_url, "--agency", "Sở KH&ĐT")  # an agency that is gone: the duties it was given
    assert proc.stderr.strip() == "2 duties in 2 plans, 2 inherited"
    assert "Sở Kế hoạch và Đầu tư (kế thừa)" in proc.stdout


def test_successors_follow_the_catalog_when_the_store_reopens(db_url):
    s = _loaded(db_url)
    with s.engine.begin() as conn:
        conn.execute(text("DELETE FROM agency_successors"))
    s2 = Store(db_url)
    assert {d.agency for d in duties(s2.engine, catalog_id="so_tai_chinh") if d.inherited} == {"Sở Kế hoạch và Đầu tư"}
    downgrade(s2.engine, "0003")
    with s2.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM assignment_lines")).scalar() > 0
    upgrade(s2.engine)
    s2.sync_catalog()
    assert len(duties(s2.engine, catalog_id="so_tai_chinh")) == len(duties(s.engine, catalog_id="so_tai_chinh"))


def test_a_bad_due_date_or_format_is_a_usage_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    for args in (["--due-before", "soon"], ["--format", "xml"]):
        proc = subprocess.run([sys.executable, "-m", "kehoach.cli", "tasks", "--db", url, *args],
                              capture_output=True, text=True)
        assert proc.returncode == 2 and "error:" in proc.stderr


def test_the_review_site_has_a_page_per_agency_with_the_inherited_marked(tmp_path):
    import re

    from kehoach.pipeline.review.agencies import agency_pages

    s = _loaded(f"sqlite:///{tmp_path / 'k.db'}")
    found = duties(s.engine)
    pages = agency_pages(found)
    index = pages["agencies.html"]
    assert '<a href="agency-so-tai-chinh.html">Sở Tài chính</a></td><td>' in index
    page = pages["agency-so-tai-chinh.html"]
    rows = re.findall(r'<tr class="(inherited|)">(.*?)</tr>', page, flags=re.S)
    assert len(rows) == sum(d.agency_today == "Sở Tài chính" for d in found)
    inherited = [body for kind, body in rows if kind == "inherited"]
    assert len(inherited) == 2 and all("Sở Kế hoạch và Đầu tư" in b and "kế thừa" in b and SOURCE_ND45 in b
                                       for b in inherited)
    # each duty links to its plan's review page, at the duty's section
    sha = record_of(PLANS[0]).source.sha256
    assert re.search(rf'<a href="{sha[:12]}\.html#s\d+">', inherited[0] + inherited[1])
    assert len(pages) == 1 + len({d.agency_today for d in found})


def test_the_view_and_its_columns_are_documented():
    import re

    doc = (FIXTURES.parent / "docs" / "schema.md").read_text(encoding="utf-8")
    assert "### agency_obligations" in doc
    s = Store("sqlite://")
    with s.engine.connect() as conn:
        columns = list(conn.execute(text("SELECT * FROM agency_obligations")).keys())
    section = doc.split("### agency_obligations", 1)[1].split("\n## ", 1)[0]
    assert [c for c in columns if c not in set(re.findall(r"[a-z_0-9]+", section))] == []
