"""Full-text search over the plans' words, with or without diacritics: 'ho ngheo' finds 'hộ nghèo'.

The entries a search returns (its hits), each with its kind, document, section and span:

* ``text`` — a paragraph of the plan's text (one line of the normalised text). Paragraphs, not
  sections: sections nest, so a section's words are also its parent's, and a leaf section can
  run for pages; a paragraph is one statement of the plan, its span is a precise anchor on the
  review page, and it is a snippet that rarely needs cutting.
* ``target`` — a target's indicator and words; ``amount`` — an amount's component, table row
  and column, and the clause it is written in (its sentence up to it); ``assignment`` — a duty's
  task, lead and coordinating agencies, product and deadline.

The index holds one row per document (its text and its items' words): the FTS5 table
search_fts on SQLite, search_documents.words with a GIN index on PostgreSQL (migration 0006).
It finds the plans that have every word of the query; the paragraphs and items that match are
then found in those plans' words here, by one pattern per query term that accepts every
spelling of its letters with or without diacritics — the same on both stores.

A query is words, "quoted phrases", ``word*`` prefixes and ``-word`` exclusions: a plan matches
when each word, phrase and prefix occurs in one of its entries (of ``kind``, when given); a hit
is an entry with at least one of them and no excluded word. Any other character separates
words, so neither engine's own query syntax can come through. Case and diacritics never
matter, nor does đ/Đ against d/D.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Optional, Sequence

from sqlalchemy import text as sql

from kehoach.models.records import Record

KINDS = ("text", "target", "amount", "assignment")
CONFIG = "kehoach_vi"  # PostgreSQL's text search configuration (migration 0006)
SNIPPET_CHARS = 240
CONTEXT_BEFORE = 60  # characters of a long entry shown before its first match
CLAUSE_CHARS = 160  # how far back an amount's clause is looked for
_WORD = re.compile(r"[^\W_]+")
PG_JOINERS = "-/.@:_+~&=?#\\'<>"  # characters PostgreSQL's parser makes part of a token
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_CLAUSE_END = re.compile(r"(?:[;!?\n]|\.(?=\s))\s*")  # not ':' — 'Ngân sách trung ương: 5.465' is one


# --- letters without their diacritics -----------------------------------------------------------

@cache
def _fold_table() -> dict[int, str]:
    """Each Latin letter with diacritics (and every capital) → its base letter in lower case, one
    character for one; đ/Đ → d, which Unicode does not decompose (the stroke is part of the letter)."""
    table = {}
    for cp in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        c = chr(cp)
        base = unicodedata.normalize("NFD", c)[0].lower()
        if len(base) == 1 and base != c and base.isascii() and base.isalpha():
            table[cp] = base
    table[0x110] = table[0x111] = "d"
    return table


def fold(s: str) -> str:
    """Without diacritics or case, đ as d: 'Hộ NGHÈO Đồng' → 'ho ngheo dong'."""
    return s.translate(_fold_table()).lower()


@cache
def _letter_classes() -> dict[str, str]:
    """Each base letter → a regex class of every letter that folds to it, either case."""
    spellings: dict[str, set[str]] = {}
    for cp, base in _fold_table().items():
        spellings.setdefault(base, {base, base.upper()}).add(chr(cp))
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in spellings.items()}


def _fold_d(s: str) -> str:
    return s.replace("đ", "d").replace("Đ", "D")


# --- what is indexed --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    kind: str
    body: str
    span_start: int
    span_end: int
    section: Optional[str] = None  # the record's section id
    page: Optional[int] = None


def passages(text: str) -> list[tuple[int, int]]:
    """The paragraphs of a normalised text: its non-blank lines, without their edge blanks."""
    out, pos = [], 0
    for line in text.split("\n"):
        body = line.strip()
        if body:
            start = pos + len(line) - len(line.lstrip())
            out.append((start, start + len(body)))
        pos += len(line) + 1
    return out


def anchor_offsets(rec: Record) -> set[int]:
    """Where search hits point into a review page: paragraph starts and the items' span starts."""
    spans = [p[0] for p in passages(rec.text or "")]
    spans += [x.span[0] for items in (rec.targets, rec.amounts, rec.assignments) for x in items]
    return set(spans)


def _clause(text: str, start: int, end: int) -> str:
    """The words of an amount's sentence or clause up to and including the amount."""
    window_start = max(0, start - CLAUSE_CHARS)
    cut = 0
    for m in _CLAUSE_END.finditer(text, window_start, start):
        cut = m.end() - window_start
    return text[window_start + cut:end].strip()


def _join(*parts: Optional[str]) -> str:
    return " · ".join(p.strip() for p in parts if p and p.strip())


def item_entries(rec: Record) -> list[Entry]:
    """A record's targets, amounts and assignments as search entries."""
    text = rec.text or ""
    out = []
    for x in rec.targets:
        indicator = x.indicator.strip(" -–•+*")
        body = x.raw if not indicator or indicator.casefold() in x.raw.casefold() else f"{indicator}: {x.raw}"
        out.append(Entry("target", body, x.span[0], x.span[1], x.section, x.page))
    for a in rec.amounts:
        words = a.raw if a.table_row else _clause(text, a.span[0], a.span[1]) or a.raw
        out.append(Entry("amount", _join(a.component, a.table_row, a.table_column, words),
                         a.span[0], a.span[1], a.section, a.page))
    for a in rec.assignments:
        body = _join(a.task, f"chủ trì: {a.lead}" if a.lead else None,
                     f"phối hợp: {', '.join(a.coordinating)}" if a.coordinating else None, a.output, a.deadline)
        if body:
            out.append(Entry("assignment", body, a.span[0], a.span[1], a.section, a.page))
    return out


def queue_document(conn, doc_id: int, rec: Record, section_ids: dict[str, int]) -> None:  # noqa: ANN001
    """Queue a loaded document for the index: its items as entries (their words are indexed with
    its text by ``index_pending``). A replaced document's search_documents row went with its
    other child rows."""
    items = [[e.kind, e.span_start, e.span_end, section_ids.get(e.section) if e.section else None, e.page, e.body]
             for e in item_entries(rec)]
    conn.execute(sql("INSERT INTO search_documents (document_id, items, indexed) VALUES (:d, :items, :no)"),
                 {"d": doc_id, "items": json.dumps(items, ensure_ascii=False), "no": False})


def index_pending(engine) -> int:  # noqa: ANN001
    """Put the words of every queued document (its text and its items) into the index, in one
    transaction; how many. The SQLite index keeps its own copy of the words, so a row goes by
    its rowid (documents.id): a replaced document's old row is replaced."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # PostgreSQL's parser reads '2021-2025' as 2021 and -2025, '1.000' as one number and
            # '6-7%/năm' as a file name: the characters it joins words with become spaces, so it
            # splits words where FTS5 and the query do
            return conn.execute(sql(
                f"UPDATE search_documents s SET indexed = true, words = to_tsvector(CAST('{CONFIG}' AS regconfig), "
                "translate(COALESCE(d.text, '') || E'\\n' || COALESCE((SELECT string_agg(e ->> 5, E'\\n') "
                "FROM json_array_elements(s.items) e), ''), :joiners, :spaces)) "
                "FROM documents d WHERE d.id = s.document_id AND NOT s.indexed"),
                {"joiners": PG_JOINERS, "spaces": " " * len(PG_JOINERS)}).rowcount
        rows = conn.execute(sql("SELECT s.document_id, d.text, s.items FROM search_documents s "
                                "JOIN documents d ON d.id = s.document_id WHERE NOT s.indexed")).all()
        if not rows:
            return 0
        conn.execute(sql("DELETE FROM search_fts WHERE rowid = :d"), [{"d": r[0]} for r in rows])
        conn.execute(sql("INSERT INTO search_fts (rowid, text, items) VALUES (:d, :text, :items)"),
                     [{"d": r[0], "text": _fold_d(r[1] or ""),
                       "items": _fold_d("\n".join(i[5] for i in (json.loads(r[2]) if isinstance(r[2], str) else r[2])))}
                      for r in rows])
        conn.execute(sql("UPDATE search_documents SET indexed = 1 WHERE NOT indexed"))
        return len(rows)


# --- queries -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    words: str  # as the user wrote them
    prefix: bool = False
    negated: bool = False

    @property
    def tokens(self) -> list[str]:
        return _WORD.findall(fold(self.words))

    def pattern(self) -> re.Pattern:
        """Its words in any spelling, separated by anything that is not a letter or digit, up to a
        word's end (a word's start is checked by ``_matches``: a pattern that begins with a letter
        is searched for many times faster than one that begins with a look-behind)."""
        classes = _letter_classes()
        words = ["".join(classes.get(ch, re.escape(ch)) for ch in tok) for tok in self.tokens]
        tail = r"[^\W_]*" if self.prefix else ""
        return re.compile(r"[\W_]+".join(words) + tail + r"(?![^\W_])")


def _matches(pattern: re.Pattern, s: str):  # noqa: ANN201
    """(start, end) of each match of a Term's pattern that starts a word."""
    pos = 0
    while (m := pattern.search(s, pos)) is not None:
        if m.start() and s[m.start() - 1].isalnum():
            pos = m.start() + 1  # inside a word: a match may still begin at the next word
            continue
        yield m.start(), m.end()
        pos = m.end()


def parse_query(query: str) -> list[Term]:
    """Words, "phrases", prefix* and -excluded terms; nothing of an engine's own syntax survives."""
    terms = []
    for m in _TOKEN.finditer(query):
        if m.group(3) is None:
            negated, words, prefix = bool(m.group(1)), m.group(2), False
        else:
            token = m.group(3)
            negated = token.startswith("-") and len(token) > 1
            words = token[1:] if negated else token
            bare = words.rstrip("*")
            prefix = bare != words and re.fullmatch(r"[^\W_]+", bare) is not None
            words = bare if prefix else words
        if _WORD.search(words):
            terms.append(Term(words, prefix, negated))
    if not any(not x.negated for x in terms):
        raise ValueError(f"nothing to search for in {query!r}: give at least one word that is not excluded")
    return terms


def _index_tokens(terms: Sequence[Term]) -> list[tuple[str, bool]]:
    """What the index is asked for: every word of every wanted term (a prefix: its last word)."""
    out = []
    for x in terms:
        if not x.negated:
            toks = x.tokens
            out += [(tok, x.prefix and i == len(toks) - 1) for i, tok in enumerate(toks)]
    return out


def fts5_query(terms: Sequence[Term]) -> str:
    """The FTS5 MATCH expression: each word a quoted string of letters and digits."""
    return " AND ".join(f'"{tok}"' + (" *" if prefix else "") for tok, prefix in _index_tokens(terms))


def pg_tsquery(terms: Sequence[Term]) -> str:
    """The to_tsquery text: each word quoted (letters and digits only), all required."""
    return " & ".join(f"'{tok}'" + (":*" if prefix else "") for tok, prefix in _index_tokens(terms))


# --- results ------------------------------------------------------------------------------------------

@dataclass
class Hit:
    kind: str
    span_start: int
    span_end: int
    page: Optional[int]
    section_label: Optional[str]
    section_heading: Optional[str]
    snippet: str
    marks: list[tuple[int, int]]  # the matched words within the snippet, [start, end)
    terms: int  # how many of the query's terms it has


@dataclass
class PlanHits:
    sha256: str
    title: Optional[str]
    number: Optional[str]
    issuer: Optional[str]
    province: Optional[str]
    path: str
    matches: int  # every matching entry of the plan; `hits` are the best of them
    hits: list[Hit] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    plans: list[PlanHits]
    total_plans: int
    total_matches: int
    provinces: Optional[list[str]] = None  # the stored provinces --province matched, when given


def review_link(sha256: str, span_start: int, site: str = "") -> str:
    """The review page of ``kehoach report --out DIR`` at the hit (the page's anchor ``at-OFFSET``)."""
    page = f"{sha256[:12]}.html#at-{span_start}"
    return f"{site.rstrip('/')}/{page}" if site else page


def _merge(body: str, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Marks in order, overlapping ones and ones apart by blanks only as one ("hộ nghèo")."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(marks):
        if merged and (s <= merged[-1][1] or not body[merged[-1][1]:s].strip()):
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(body: str, marks: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """A window of a long body around its first match, cut at spaces, with '…' where it was cut."""
    if len(body) <= width:
        return body, marks
    first = marks[0] if marks else (0, 0)
    start = max(0, first[0] - CONTEXT_BEFORE)
    if start:
        space = body.find(" ", start, first[0])
        start = space + 1 if space != -1 else start
    end = min(len(body), start + width)
    if end < len(body):
        space = body.rfind(" ", max(start, first[1]), end)
        end = space if space != -1 else end
    prefix, suffix = ("…" if start else ""), ("…" if end < len(body) else "")
    shift = len(prefix) - start
    kept = [(max(s, start) + shift, min(e, end) + shift) for s, e in marks if s < end and e > start]
    return prefix + body[start:end] + suffix, kept


def _provinces(conn, wanted: str) -> list[str]:  # noqa: ANN001
    want = re.sub(r"^(tinh|thanh pho|tp\.?)\s+", "", fold(wanted).strip())
    # a province as issued or as it is today: 'Đà Nẵng' finds Quảng Nam's plans of 2023 too
    stored = [p for (p,) in conn.execute(sql(
        "SELECT province FROM documents WHERE province IS NOT NULL UNION "
        "SELECT province_issued FROM documents WHERE province_issued IS NOT NULL UNION "
        "SELECT province_today FROM documents WHERE province_today IS NOT NULL"))]
    return sorted(p for p in stored if fold(p) == want)


def _candidates(conn, terms: Sequence[Term], provinces: Optional[list[str]]) -> list[int]:  # noqa: ANN001
    """The documents with every wanted word somewhere, best first (bm25; ts_rank_cd)."""
    params: dict = {}
    where = ""
    if provinces is not None:
        listed = ", ".join(f":p{i}" for i in range(len(provinces)))
        where = (f" AND (d.province IN ({listed}) OR d.province_issued IN ({listed})"
                 f" OR d.province_today IN ({listed}))")
        params.update({f"p{i}": p for i, p in enumerate(provinces)})
    if conn.dialect.name == "postgresql":
        params["q"] = pg_tsquery(terms)
        query = (f"SELECT s.document_id FROM search_documents s JOIN documents d ON d.id = s.document_id "
                 f"CROSS JOIN to_tsquery(CAST('{CONFIG}' AS regconfig), :q) AS q "
                 f"WHERE s.words @@ q{where} ORDER BY ts_rank_cd(s.words, q) DESC, s.document_id")
    else:
        params["q"] = fts5_query(terms)
        query = (f"SELECT search_fts.rowid FROM search_fts JOIN documents d ON d.id = search_fts.rowid "
                 f"WHERE search_fts MATCH :q{where} ORDER BY bm25(search_fts), search_fts.rowid")
    return [r[0] for r in conn.execute(sql(query), params)]


def search(engine, query: str, province: Optional[str] = None, kind: Optional[str] = None,  # noqa: ANN001
           limit: int = 20, per_plan: int = 3) -> SearchResult:
    """The plans that match ``query``, best first, each with its best ``per_plan`` hits; ``limit``
    plans at most (0: all). Plans rank as the index ranks their words (bm25 on SQLite, ts_rank_cd
    on PostgreSQL); a plan's hits by how many terms, then how many matches, they have."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind is one of {', '.join(KINDS)}, not {kind!r}")
    terms = parse_query(query)
    patterns = [x.pattern() for x in terms]
    index_pending(engine)  # documents loaded since the last run ended
    with engine.connect() as conn:
        names = _provinces(conn, province) if province is not None else None
        ids = _candidates(conn, terms, names) if names != [] else []
        plans = [p for p in _plans(conn, ids, terms, patterns, kind, per_plan) if p is not None]
    return SearchResult(query, plans[:limit] if limit else plans, len(plans), sum(p.matches for p in plans), names)


def _plans(conn, ids: list[int], terms, patterns, kind, per_plan: int):  # noqa: ANN001, ANN202
    """Each candidate's hits, read from its text and items (None: a plan lacking a wanted term)."""
    if not ids:
        return []
    id_list = ", ".join(str(int(i)) for i in ids)
    docs = {r.id: r for r in conn.execute(sql(
        f"SELECT d.id, d.sha256, d.title, d.doc_number, d.issuer, d.province, d.path, d.text, s.items "
        f"FROM documents d JOIN search_documents s ON s.document_id = d.id WHERE d.id IN ({id_list})"))}
    sections: dict[int, list] = {}
    for r in conn.execute(sql(f"SELECT id, document_id, label, heading, span_start, span_end, page_first, page_last "
                              f"FROM sections WHERE document_id IN ({id_list}) ORDER BY span_start, span_end DESC")):
        sections.setdefault(r.document_id, []).append(r)
    return [_plan(docs[i], sections.get(i, []), terms, patterns, kind, per_plan) for i in ids if i in docs]


def _plan(doc, sections: list, terms, patterns, kind, per_plan: int) -> Optional[PlanHits]:  # noqa: ANN001
    text = doc.text or ""
    by_id = {s.id: s for s in sections}
    found: list[tuple[str, int, int, Optional[object], Optional[int], str, list]] = []  # entries with matches
    if kind in (None, "text"):
        spans = passages(text)
        starts = [p[0] for p in spans]
        matched: dict[int, list[tuple[int, int, int]]] = {}
        for ti, pat in enumerate(patterns):
            for ms, me in _matches(pat, text):
                i = bisect.bisect_right(starts, ms) - 1
                if i >= 0 and me <= spans[i][1]:
                    matched.setdefault(i, []).append((ti, ms - spans[i][0], me - spans[i][0]))
        sec_starts = [s.span_start for s in sections]
        for i, marks in sorted(matched.items()):
            start, end = spans[i]
            sec = _innermost(sections, sec_starts, start)
            page = sec.page_first if sec is not None and sec.page_first == sec.page_last else None
            found.append(("text", start, end, sec, page, text[start:end], marks))
    items = doc.items if isinstance(doc.items, list) else json.loads(doc.items)
    for item_kind, start, end, section_id, page, body in items:
        if kind not in (None, item_kind):
            continue
        marks = [(ti, ms, me) for ti, pat in enumerate(patterns) for ms, me in _matches(pat, body)]
        if marks:
            found.append((item_kind, start, end, by_id.get(section_id), page, body, marks))
    wanted = {i for i, x in enumerate(terms) if not x.negated}
    seen: set[int] = set()
    kept = []
    for entry in found:
        has = {ti for ti, _, _ in entry[6]}
        if has - wanted:  # an excluded word in it
            continue
        seen |= has
        kept.append((len(has), entry))
    if seen != wanted:
        return None
    kept.sort(key=lambda k: (-k[0], -len(k[1][6]), k[1][1]))
    hits = []
    for n_terms, (item_kind, start, end, sec, page, body, marks) in kept[:per_plan]:
        shown, shown_marks = snippet(body, _merge(body, [(s, e) for _, s, e in marks]))
        hits.append(Hit(item_kind, start, end, page, sec.label if sec else None, sec.heading if sec else None,
                        shown, shown_marks, n_terms))
    return PlanHits(doc.sha256, doc.title, doc.doc_number, doc.issuer, doc.province, doc.path, len(kept), hits)


def _innermost(sections: list, starts: list[int], pos: int):  # noqa: ANN001, ANN202
    """The deepest section whose span holds ``pos`` (sections sorted by start, outer first)."""
    i = bisect.bisect_right(starts, pos) - 1
    while i >= 0 and sections[i].span_end <= pos:  # a sibling's subtree that ended before pos
        i -= 1
    # a later-starting section at the same start is inner (sorted by start, then longer first)
    return sections[i] if i >= 0 else None


def hit_dicts(result: SearchResult, site: str = "") -> list[dict]:
    """The hits as JSON-ready objects, best plan first, each naming its plan and linking its review page."""
    out = []
    for rank, p in enumerate(result.plans, 1):
        plan = {"rank": rank, "sha256": p.sha256, "title": p.title, "number": p.number, "issuer": p.issuer,
                "province": p.province, "path": p.path, "matches": p.matches}
        for h in p.hits:
            out.append({"plan": plan, "kind": h.kind, "section": {"label": h.section_label, "heading": h.section_heading},
                        "span": [h.span_start, h.span_end], "page": h.page, "snippet": h.snippet,
                        "marks": [list(m) for m in h.marks], "terms": h.terms,
                        "link": review_link(p.sha256, h.span_start, site)})
    return out


def modelled(name: Optional[str], type_: str, parent_names: dict) -> bool:
    """For Alembic's comparison of the models with a database: the search index is no model
    (the FTS5 table and its shadow tables; PostgreSQL's words column and its GIN index)."""
    if type_ == "table":
        return not (name or "").startswith("search_fts")
    if type_ == "column":
        return not (parent_names.get("table_name") == "search_documents" and name == "words")
    if type_ == "index":
        return name != "ix_search_documents_words"
    return True
