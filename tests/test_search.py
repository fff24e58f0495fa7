"""Search in Vietnamese (kehoach.models.search, `kehoach search`), on SQLite and on PostgreSQL.

The plans are the five real seed plans; the PostgreSQL tests run in a schema of their own
(test_store's pattern). The cases say what a reader of those plans expects to find.
"""
import json
import re
import subprocess
import sys

import pytest
from sqlalchemy import text

from kehoach.models.search import fold, parse_query, search, hit_dicts
from kehoach.models.store import Store
from conftest import SEED_TEXTS
from test_store import _pg_schema_url, db_url, record_of  # noqa: F401  (db_url: the fixture)

SEED = {p.name[:3]: p for p in SEED_TEXTS}
WORD = re.compile(r"[^\W_]+")

# (query without diacritics, the same with them, seeds that must be among the plans found,
#  words one of that seed's hits must show); from four different plans
CASES = [
    ("ho ngheo", "hộ nghèo", ["000", "001", "002", "003", "004"], {"000": "hộ nghèo"}),
    ('"dong bao dan toc thieu so"', '"đồng bào dân tộc thiểu số"', ["000", "002", "003", "004"],
     {"002": "đồng bào dân tộc thiểu số"}),
    ("DAK LAK", "Đắk Lắk", ["004"], {"004": "Đắk Lắk"}),
    ('"so tai chinh"', '"Sở Tài chính"', ["000", "004"], {"000": "Sở Tài chính"}),
    ("dao tao nghe", "ĐÀO TẠO NGHỀ", ["001", "002", "004"], {"002": "đào tạo"}),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    """A store holding the five seeds, shared by the tests that only read it."""
    if request.param == "sqlite":
        yield Store(f"sqlite:///{tmp_path_factory.mktemp('search') / 'kehoach.db'}")
        return
    admin, schema, url = _pg_schema_url()
    store = Store(url)
    yield store
    store.engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="module")
def store(seeded):
    if not seeded.stats()["documents"]:
        for path in SEED_TEXTS:
            seeded.load(record_of(path))
    return seeded


def _seeds(result) -> list[str]:
    return sorted(p.path.rsplit("/", 1)[-1][:3] for p in result.plans)


@pytest.mark.parametrize("plain, marked, seeds, shown", CASES, ids=[c[0] for c in CASES])
def test_with_and_without_diacritics_the_hits_are_equal(store, plain, marked, seeds, shown):
    bare = search(store.engine, plain, limit=0, per_plan=50)
    accented = search(store.engine, marked, limit=0, per_plan=50)
    assert hit_dicts(bare) == hit_dicts(accented)
    assert set(seeds) <= set(_seeds(bare))
    for seed, words in shown.items():
        plan = next(p for p in bare.plans if p.path.endswith(SEED[seed].name))
        marked_words = [h.snippet[s:e] for h in plan.hits for s, e in h.marks]
        assert words in marked_words


def test_ho_ngheo_finds_all_five_seeds(store):
    result = search(store.engine, "ho ngheo")
    assert _seeds(result) == ["000", "001", "002", "003", "004"]
    assert result.total_plans == 5 and result.total_matches > 100


def test_d_with_stroke_is_d(store):
    assert fold("Đồng bào DÂN TỘC, đường") == "dong bao dan toc, duong"
    by_d = hit_dicts(search(store.engine, "dan toc", limit=0, per_plan=50))
    assert by_d == hit_dicts(search(store.engine, "DÂN TỘC", limit=0, per_plan=50))
    # 'đồng' is found by 'dong' and by 'Đồng'; FTS5 alone would keep its đ apart
    dong = search(store.engine, '"dong bao"', limit=0, per_plan=50)
    assert hit_dicts(dong) == hit_dicts(search(store.engine, '"ĐỒNG BÀO"', limit=0, per_plan=50))
    words = {" ".join(WORD.findall(fold(h.snippet[s:e]))) for p in dong.plans for h in p.hits for s, e in h.marks}
    assert words == {"dong bao"}  # 'đồng, bào' too: any other character separates words, as in FTS5
    assert any(h.snippet[s:e] == "đồng bào" for p in dong.plans for h in p.hits for s, e in h.marks)


def test_a_phrase_matches_its_words_in_order_only(store):
    phrase = search(store.engine, '"hộ cận nghèo"', limit=0, per_plan=1000)
    words = search(store.engine, "hộ cận nghèo", limit=0, per_plan=1000)
    marked = {" ".join(WORD.findall(fold(h.snippet[s:e]))) for p in phrase.plans for h in p.hits for s, e in h.marks}
    assert marked == {"ho can ngheo"}
    assert 0 < phrase.total_matches < words.total_matches
    assert search(store.engine, '"ngheo can ho"').plans == []


def test_the_kind_filter_keeps_that_kind(store):
    targets = search(store.engine, "ho ngheo", kind="target", limit=0, per_plan=1000)
    assert {h.kind for p in targets.plans for h in p.hits} == {"target"}
    q_nam = next(p for p in targets.plans if p.path.endswith(SEED["000"].name))
    assert "tỷ lệ hộ nghèo là 16,98%" in [h.snippet for h in q_nam.hits]
    duties = search(store.engine, '"so tai chinh"', kind="assignment", limit=0, per_plan=1000)
    assert {h.kind for p in duties.plans for h in p.hits} == {"assignment"}
    assert any("chủ trì: Sở Tài chính" in h.snippet for p in duties.plans for h in p.hits)
    amounts = search(store.engine, '"ngan sach trung uong"', kind="amount", limit=0, per_plan=1000)
    assert {h.kind for p in amounts.plans for h in p.hits} == {"amount"}
    assert "Dự án 2 · - Ngân sách trung ương: 5.465 triệu đồng" in [h.snippet for p in amounts.plans for h in p.hits]
    with pytest.raises(ValueError, match="kind is one of"):
        search(store.engine, "ho ngheo", kind="table")


def test_the_province_filter_with_or_without_diacritics(store):
    for name in ("Quảng Nam", "quang nam", "tỉnh Quảng Nam"):
        result = search(store.engine, "ho ngheo", province=name)
        assert _seeds(result) == ["000"] and result.provinces == ["Quảng Nam"]
    none = search(store.engine, "ho ngheo", province="Atlantis")
    assert none.plans == [] and none.provinces == []


@pytest.mark.parametrize("query", ['ho:ngheo', '"ho ngheo', 'ho ngheo"', 'ngheo*', 'ng*', '-ho ngheo', 'AND OR NOT ho',
                                   'ho NEAR(ngheo)', "'ho'", '(ho', 'ho) & !ngheo', "a'b ho", '^ho', 'ho -', 'ho - ngheo',
                                   'ho* *', '{text}: ho', 'ho\\', 'ho%_'])
def test_fts_syntax_characters_are_only_separators(store, query):
    result = search(store.engine, query)
    assert result.total_plans >= 0  # answered, no engine error


def test_syntax_characters_mean_what_they_say(store):
    phrase = hit_dicts(search(store.engine, '"ho ngheo"', limit=0, per_plan=50))
    assert hit_dicts(search(store.engine, "ho:ngheo", limit=0, per_plan=50)) == phrase
    assert hit_dicts(search(store.engine, '"ho ngheo', limit=0, per_plan=50)) == phrase
    excluded = search(store.engine, "ngheo -ho", limit=0, per_plan=1000)
    assert excluded.total_matches > 0
    assert not any("ho" in fold(h.snippet).split() for p in excluded.plans for h in p.hits if h.kind == "text"
                   and not h.snippet.startswith("…") and not h.snippet.endswith("…"))
    prefix = search(store.engine, "nghe*", limit=0, per_plan=1000)
    assert {fold(h.snippet[s:e])[:4] for p in prefix.plans for h in p.hits for s, e in h.marks} == {"nghe"}
    for nothing in ('"', "-", "*", ":", "-ho", '""', "- * :"):
        with pytest.raises(ValueError, match="nothing to search for"):
            parse_query(nothing)


def test_reloading_replaces_and_deleting_removes(db_url):  # noqa: F811
    s = Store(db_url)
    rec = record_of(SEED["000"])
    assert s.load(rec).status == "loaded"
    assert _seeds(search(s.engine, "Bắc Trà My")) == ["000"]
    changed = rec.model_copy(deep=True)
    changed.text = rec.text.replace("Bắc Trà My", "Quxyzw Abc")  # as long: the spans still hold
    changed.assignments, changed.targets, changed.amounts = [], [], []  # their words name it too
    changed.pipeline_version = "next"
    assert s.load(changed).status == "replaced"
    assert search(s.engine, "Bắc Trà My").plans == []
    assert _seeds(search(s.engine, "quxyzw")) == ["000"]
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM search_documents")).scalar() == 1
        if s.engine.dialect.name == "sqlite":
            assert conn.execute(text("SELECT COUNT(*) FROM search_fts")).scalar() == 1
    with s.engine.begin() as conn:
        conn.execute(text("DELETE FROM documents"))
    assert search(s.engine, "quxyzw").plans == [] and search(s.engine, "ho ngheo").plans == []
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM search_documents")).scalar() == 0
        if s.engine.dialect.name == "sqlite":
            assert conn.execute(text("SELECT COUNT(*) FROM search_fts")).scalar() == 0


def test_cli_json_names_the_plan_and_links_the_review_page(db_url):  # noqa: F811
    Store(db_url).load(record_of(SEED["000"]))
    Store(db_url).load(record_of(SEED["004"]))
    proc = subprocess.run([sys.executable, "-m", "kehoach.cli", "search", "ho ngheo", "--db", db_url,
                           "--province", "quang nam", "--kind", "target", "--per-plan", "1", "--format", "json",
                           "--site", "review"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rec = record_of(SEED["000"])
    sha = rec.source.sha256
    assert json.loads(proc.stdout) == [{
        "plan": {"rank": 1, "sha256": sha, "title": rec.metadata.title, "number": None,
                 "issuer": "Ủy ban nhân dân tỉnh Quảng Nam", "province": "Quảng Nam", "path": rec.source.path,
                 "matches": 7},
        "kind": "target", "section": {"label": "1", "heading": "Mục tiêu chung"}, "span": [2799, 2864], "page": None,
        "snippet": "quy mô hộ nghèo và hộ cận nghèo đa chiều cuối kỳ giảm ít nhất 60%",
        "marks": [[7, 15], [19, 21], [26, 31]], "terms": 2, "link": f"review/{sha[:12]}.html#at-2799"}]
    assert rec.text[2799:2864] == "quy mô hộ nghèo và hộ cận nghèo đa chiều cuối kỳ giảm ít nhất 60%"
    assert "1 plans, 7 hits" in proc.stderr
    table = subprocess.run([sys.executable, "-m", "kehoach.cli", "search", "hộ nghèo", "--db", db_url],
                           capture_output=True, text=True)
    assert table.returncode == 0 and "Ủy ban nhân dân tỉnh Quảng Nam" in table.stdout and "#at-" in table.stdout
    bad = subprocess.run([sys.executable, "-m", "kehoach.cli", "search", '"', "--db", db_url],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "nothing to search for" in bad.stderr


def test_the_review_page_has_the_anchor_a_hit_links_to():
    from kehoach.pipeline.review.page import render

    rec = record_of(SEED["000"])
    page = render(rec)
    assert 'id="at-2799"' in page  # the target of the JSON test above
    first_paragraph = rec.text.index("Thực hiện Nghị quyết")
    assert f'id="at-{first_paragraph}"' in page


def test_a_load_queues_its_document_and_the_run_or_the_next_search_indexes_it(db_url):
    # tokenising on each load made loading half as slow again; the words go in once, at the end of
    # the run (or before the next search), and every loaded plan is found
    s = Store(db_url)
    for path in SEED_TEXTS[:2]:
        s.load(record_of(path))
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM search_documents WHERE NOT indexed")).scalar() == 2
    run = s.start_run("extract", "test")
    s.finish_run(run, "ok")
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM search_documents WHERE NOT indexed")).scalar() == 0
    s.load(record_of(SEED_TEXTS[2]))
    found = search(s.engine, "ho ngheo", limit=0)
    assert len(found.plans) == 3
    assert s.index_pending() == 0
