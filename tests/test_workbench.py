"""The researchers' workbench: the Python API, pandas frames, exports, and the review page in a real browser."""
import csv
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from sqlalchemy import text

import kehoach
from kehoach.pipeline.review import highlight_counts, render
from conftest import FIXTURES, SEED_TEXTS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_python_api_gives_the_cli_s_records():
    rec = kehoach.extract(SEED_TEXTS[0])
    assert rec.error is None and rec.metadata.issuer == "Ủy ban nhân dân tỉnh Quảng Nam"
    again = kehoach.extract_text(SEED_TEXTS[0].read_text(encoding="utf-8"))
    assert [a.value_million_vnd for a in again.amounts] == [a.value_million_vnd for a in rec.amounts]
    many = list(kehoach.extract_many(SEED_TEXTS, workers=2))
    assert [r.source.path for r in many] == [str(p) for p in SEED_TEXTS]  # the order given
    assert [r.model_dump() for r in many] == [kehoach.extract(p).model_dump() for p in SEED_TEXTS]


def test_records_become_pandas_frames():
    records = [kehoach.extract(p) for p in SEED_TEXTS[:2]]
    frames = kehoach.to_frames(records)
    for name in ("amounts", "targets", "assignments", "legal_refs", "sections", "checks"):
        assert len(frames[name]) == sum(len(getattr(r, name)) for r in records), name
    amounts = frames["amounts"]
    assert {"document_sha256", "value_million_vnd", "span_start", "span_end"} <= set(amounts.columns)
    assert isinstance(amounts["value_million_vnd"].iloc[0], Decimal)  # money stays exact
    assert len(records[0].frames()["amounts"]) == len(records[0].amounts)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from kehoach.models.store import Store
    from kehoach.pipeline.batch import process_files

    url = f"sqlite:///{tmp_path_factory.mktemp('wb') / 'store.db'}"
    store = Store(url)
    list(process_files(SEED_TEXTS, store))
    return store


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_exports_hold_every_row_of_every_view(loaded, fmt, tmp_path):
    from kehoach.models.export import EXPORTED, export

    counts = export(loaded.engine, fmt, tmp_path)
    with loaded.engine.connect() as conn:
        for name in EXPORTED:
            assert counts[name] == conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar(), name
    if fmt == "csv":
        raw = (tmp_path / "budget_lines.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        assert len(rows) == counts["budget_lines"] and "Quảng Nam" in {r["province"] for r in rows}
    elif fmt == "parquet":
        import duckdb

        got = duckdb.sql(f"SELECT province, funding_source, SUM(value_million_vnd) AS m FROM "
                         f"'{tmp_path / 'budget_lines.parquet'}' WHERE funding_source = 'central' GROUP BY 1, 2").fetchall()
        assert ("Quảng Nam", "central", Decimal("937400")) in got
        import pandas as pd

        assert len(pd.read_parquet(tmp_path / "assignment_lines.parquet")) == counts["assignment_lines"]
    else:
        import openpyxl

        book = openpyxl.load_workbook(tmp_path / "kehoach.xlsx", read_only=True)
        assert book.sheetnames == list(EXPORTED)
        assert book["budget_lines"].max_row == counts["budget_lines"] + 1


def test_a_missing_extra_is_named(monkeypatch, loaded, tmp_path):
    import builtins

    from kehoach.models.export import export
    from kehoach.models.extras import MissingExtra

    real = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("no pyarrow")
        return real(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    monkeypatch.delitem(__import__("sys").modules, "pyarrow", raising=False)
    monkeypatch.delitem(__import__("sys").modules, "pyarrow.parquet", raising=False)
    with pytest.raises(MissingExtra, match=r"pip install 'kehoach\[export\]'"):
        export(loaded.engine, "parquet", tmp_path)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (make test installs it)")
@pytest.mark.parametrize("seed", [SEED_TEXTS[0], SEED_TEXTS[3], FIXTURES / "docx" / "004_c53d2453440e5b6e.docx"],
                         ids=lambda p: p.name)
def test_the_review_page_in_a_real_browser(seed, tmp_path):
    rec = kehoach.extract(seed, include_text=True)
    page = tmp_path / "report.html"
    page.write_text(render(rec), encoding="utf-8")
    import re

    # self-contained: nothing is loaded from the network (SVG namespace names are not loads)
    assert not re.search(r"""(?:src|href)\s*=\s*["']https?:|@import|<link""", page.read_text(encoding="utf-8"))
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                          "--dump-dom", page.as_uri() + "#selftest"], capture_output=True, text=True, timeout=120).stdout
    found = json.loads(dom.split('<pre id="selftest">', 1)[1].split("</pre>", 1)[0].replace("&amp;", "&"))
    counts = found["counts"]
    assert counts == highlight_counts(rec)
    assert (counts["amount"], counts["target"], counts["ref"], counts["lead"]) == (
        len(rec.amounts), len(rec.targets), len(rec.legal_refs), len(rec.assignments))
    first = min(rec.amounts, key=lambda a: (a.span[0], -a.span[1]))
    assert found["clicked"].startswith("Kinh phí: " + __import__("kehoach.normalizers.numbers", fromlist=["x"])
                                       .format_vn(first.value_million_vnd) + " triệu đồng")
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,900",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.stat().st_size > 20000


def test_the_report_command_writes_pages_and_an_index(loaded, tmp_path):
    from typer.testing import CliRunner

    from kehoach.cli import app

    result = CliRunner().invoke(app, ["report", "--db", loaded.url, "--out", str(tmp_path / "pages")])
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    plan_pages = [p for p in pages if not p.startswith("agenc")]  # the agencies' pages: tests/test_obligations.py
    assert "index.html" in plan_pages and "indicators.html" in plan_pages and len(plan_pages) == len(SEED_TEXTS) + 2
    assert "agencies.html" in pages and "agency-so-tai-chinh.html" in pages
    index = (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr>") == len(SEED_TEXTS) + 1
    assert 'href="indicators.html"' in index
    # the poverty rate across the three seed plans that state it, a chart and a row per target
    # linking to its plan's page
    shared = (tmp_path / "pages" / "indicators.html").read_text(encoding="utf-8")
    section = shared[shared.index('<section id="ty_le_ho_ngheo'):]
    section = section[:section.index("</section>")]
    assert "Tỷ lệ hộ nghèo (chuẩn nghèo đa chiều) (%)" in section and "3 kế hoạch" in section
    assert section.count("<svg") == 1
    # provinces as they are today: Quảng Nam's plan is Đà Nẵng's
    for province, value in (("Đà Nẵng", "16,98"), ("Đà Nẵng", "19,45"), ("Thanh Hóa", "1,32"), ("Sơn La", "1")):
        assert f"<td>{province}</td>" in section and f'<td class="n">{value}</td>' in section
    linked = {name for name in pages if f'href="{name}"' in section}
    assert len(linked) == 3
