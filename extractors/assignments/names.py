"""The one agency-name parser of the assignments: where a party's name starts and ends in a line
('Sở Tài chính chủ trì …', 'UBND các xã, phường tăng cường …'), the parties of a joint lead, the
partners after 'phối hợp với', and the duty that follows the name. Every source of assignments
(organisation items, assignment paragraphs and labelled lines, inline duties, task tables) reads
its parties here."""
from __future__ import annotations

from functools import cache

import regex

from kehoach.catalogs import load
from kehoach.normalizers import pos
from kehoach.normalizers.agencies import canonical_name, matcher, split_parties
from kehoach.normalizers.layout import MARKER
from kehoach.normalizers.text import alternation, match_key
MAX_TASK_WORDS = 40
# A line's lead agency stands at its start: the agency matcher looks no further than this …
LEAD_WINDOW = 200
# … a run-in lead ('Sở Tài chính: chủ trì …') ends at a colon no further in than this (the longest
# agency list the seeds and corpus put before a colon is ~180 characters) …
RUNIN_LEAD_CHARS = 240
# … and a collective lead named by its head word alone ('Các phòng, ban, ngành là thành viên …')
# is a phrase of at most this many words; a longer one is a sentence, not a name
MAX_COLLECTIVE_LEAD_WORDS = 25


@cache
def _cat() -> dict:
    return load("assignments")


@cache
def _heads() -> regex.Pattern:
    return regex.compile(rf"^(?:{alternation(_cat()['agency_heads'])})(?!\w)", regex.IGNORECASE)


def _strip_marker(text: str) -> tuple[int, str]:
    m = MARKER.match(text)
    if m:
        rest = text[m.end():]
        off = m.end() + len(rest) - len(rest.lstrip())
        rest = rest.lstrip()
        m2 = regex.match(r"^[+\-]\s+", rest)  # '- + Ngân sách …'
        if m2:
            off += m2.end()
            rest = rest[m2.end():]
        return off, rest
    return 0, text


def _strip_request(text: str) -> str:
    """The text without what stands before the agency: 'Đề nghị …', 'Căn cứ Kế hoạch này, …'."""
    pre = _PREAMBLE_CLAUSE.match(text)
    if pre and _agency_like(text[pre.end():].split(" chủ trì")[0][:LEAD_WINDOW]):
        text = text[pre.end():]
    key = match_key(text)
    for p in sorted(_cat()["request_prefixes"], key=len, reverse=True):
        if key.startswith(p + " "):
            return text[len(p) + 1:].lstrip()
    return text


def _agency_like(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    if not_a_body(text):
        return False  # 'Phòng chống sốt xuất huyết', 'Giám sát dịch bệnh': headings of work, not bodies
    found = matcher().find(text)
    return bool(found and found[0].start == 0) or bool(_heads().match(match_key(text)))


def not_a_body(text: str) -> bool:
    """A heading about work, money or time rather than a body ('Kinh phí thực hiện …', 'Quá
    trình thực hiện nếu có khó khăn …'), even where it stands as an organisation section's item."""
    return bool(_not_bodies().match(match_key(text.strip())))


@cache
def _not_bodies() -> regex.Pattern:
    return regex.compile(rf"^(?:{alternation(_cat()['not_bodies'])})(?!\w)")


def _parties(lead_text: str, whole: str | None = None) -> list[str]:
    """The canonical names of the parties a lead phrase names: one, or each of a joint lead
    ('Sở Tài chính và Ủy ban nhân dân các xã, phường'); ``whole`` is the catalog's name when
    the phrase is exactly one known agency."""
    parts = split_parties(lead_text)
    if len(parts) > 1:
        return [canonical_name(x) for x in parts]
    return [whole or canonical_name(lead_text)]


def _lead_names(text: str) -> list[str]:
    """Names of the agencies that open ``text`` ('UBND các xã, thị trấn; các cơ sở …')."""
    out = []
    for part in regex.split(r"\s*;\s*", text):
        part = part.strip(" ,.-")
        if part and _agency_like(part):
            out.extend(_parties(part))
    return out


def _lead_phrase(text: str) -> str:
    """The agency a line opens with, up to the first verb of its task (a listed verb, or the
    first word the tagger calls a verb outside a name the catalog knows)."""
    key = match_key(text)
    m = _name_stops().search(key)
    phrase = text[:m.start()] if m and len(key[:m.start()].split()) >= 2 else text
    phrase = _with_partners(text, phrase[:_names_end(phrase[:LEAD_WINDOW])] or phrase)
    return phrase.strip(" ,;:.")


def _with_partners(text: str, phrase: str) -> str:
    """'Ủy ban MTTQ tỉnh và các đoàn thể tỉnh …': a collective joined by 'và' is one party."""
    rest = text[len(phrase):]
    m = regex.match(r"\s*và\s+(?=(?:các\s+)?\p{L})", rest)
    if not m:
        return phrase
    tail = rest[m.end():]
    more = tail[:_names_end(tail[:LEAD_WINDOW])]
    return phrase + rest[:m.end()] + more if more.strip() and _agency_like(more) else phrase


def _coordinating(text: str) -> list[str]:
    """The partners after 'phối hợp (chặt chẽ) với': the list ends where its verb begins."""
    key = match_key(text)
    m = regex.search(r"phối hợp(?:\s+chặt chẽ)?(?:\s+với|\s+cùng)?\s+", key)
    if not m:
        return []
    hard = regex.search(r"[;:.(]|$", key[m.end():])
    span_text = text[m.end():m.end() + hard.start()]
    span_text = span_text[:_names_end(span_text)]
    if not span_text.strip():
        return []
    protected = [(a.start, a.end) for a in matcher().find(span_text)]
    pieces, last = [], 0
    for sm in regex.finditer(r"\s+và\s+|,\s+(?=(?:UBND|Ủy ban|Uỷ ban|Phòng|Sở|Trung tâm|Văn phòng|Ban|các|Hội|Đoàn)\b)",
                             span_text):
        if any(a < sm.start() < b for a, b in protected):
            continue
        pieces.append(span_text[last:sm.start()])
        last = sm.end()
    pieces.append(span_text[last:])
    return [canonical_name(p) for p in (x.strip(" ,.") for x in pieces) if p]


def _names_end(text: str) -> int:
    """Where a list of agency names stops: the first verb, adverb or preposition outside a name
    the catalog knows ('Văn phòng UBND tỉnh | khẩn trương …', 'các sở, ngành | triển khai …')."""
    protected = [(a.start, a.end) for a in matcher().find(text)]
    key = match_key(text)
    allowed = [(m.start(), m.end()) for w in _cat()["party_modifiers"]
               for m in regex.finditer(rf"(?<!\w){regex.escape(w)}(?!\w)", key)]
    stops = {m.start() for m in _name_stops().finditer(key)}
    seen_name = False
    for w in pos.words(text):
        inside = any(a <= w.start < b for a, b in protected + allowed)
        # a word written with its capital continues a proper name ('Ban Quản lý …', 'Ban Chỉ đạo')
        proper = seen_name and w.text[:1].isupper()
        if seen_name and not inside and not proper and (w.tag in pos.NAME_ENDS or w.start in stops):
            return w.start
        seen_name = seen_name or inside or w.tag.startswith("N") or w.text[:1].isupper()
    return len(text)


@cache
def _name_stops() -> regex.Pattern:
    words = _cat()["coordination_stops"] + _cat()["lead_verbs"] + ["phối hợp"]
    # 'tổ chức' is a verb, but 'các tổ chức chính trị - xã hội' are parties
    return regex.compile(rf"(?<!\w)(?<!các\s)(?<!những\s)(?:{alternation(words)})(?!\w)"
                         r"(?!\s+(?:chính trị|đoàn thể|xã hội|hội|thành viên|có liên quan|liên quan|cá nhân))")


@cache
def _inline_verbs() -> regex.Pattern:
    """The role words that follow a lead ('chủ trì', 'có trách nhiệm' …)."""
    return regex.compile(rf"(?<!\w)(?:{alternation(_cat()['inline_lead_verbs'])})(?!\w)")


def _task(text: str) -> str | None:
    """The duty itself: the first sentence, without the role words before it ('chủ trì, phối hợp
    với Sở X tham mưu …' → 'tham mưu …')."""
    text = _without_roles(text.strip(" :.-"))
    if not text:
        return None
    first = regex.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(";.")
    words = first.split()
    return " ".join(words[:MAX_TASK_WORDS]) or None


def _without_roles(text: str) -> str:
    key = match_key(text)
    m = _inline_verbs().match(key)
    if not m:
        return text
    rest_at = m.end() + len(key[m.end():]) - len(key[m.end():].lstrip(" ,"))
    c = regex.match(r"phối hợp(?:\s+chặt chẽ)?(?:\s+với|\s+cùng)?\s+", key[rest_at:])
    if c:
        after = rest_at + c.end()
        hard = regex.search(r"[;:.(]|$", key[after:])
        rest_at = after + _names_end(text[after:after + hard.start()])
    return text[rest_at:].strip(" ,:.-") or text


def _split_agencies(text: str) -> list[str]:
    """The parties a table cell or a labelled line lists: split at ';' and line ends, then before
    each body named with its capital ('Sở Văn hóa, Thể thao và Du lịch' stays one)."""
    out = []
    for piece in regex.split(r"\s*[;\n]\s*", text):
        out.extend(canonical_name(_before_duty(p)) for p in split_parties(piece.strip(" ,.;-"))
                   if p and not _is_role_label(p))
    return out


def _before_duty(party: str) -> str:
    """A cell that goes on from the name into the duty ('Sở Khoa học và Công nghệ thúc đẩy, theo
    dõi, báo cáo chỉ tiêu', 'Sở KH&CN chủ trì hướng dẫn, tổng hợp'): the name. A list goes on after
    its comma ('Sở, ban, ngành, tổ chức chính trị - xã hội' is one party)."""
    end = _names_end(party)
    name = party[:end].rstrip()
    return name if name and not name.endswith(",") and end < len(party) else party


def _is_role_label(text: str) -> bool:
    """A column's or a line's label, not a party ('Đơn vị thực hiện', a header row repeated)."""
    key = match_key(text).strip(" :.")
    return any(key == w or key.startswith(w + " ") and len(key.split()) <= len(w.split()) + 2
               for words in _cat()["role_labels"].values() for w in words)


@cache
def _party_head() -> regex.Pattern:
    return regex.compile(rf"^(?:{alternation(_cat()['party_heads'])})(?![\p{{L}}])")


def _named_agency(text: str) -> bool:
    """A heading that names a body: one the catalog knows, or a head noun with its capital
    ('Sở, ban, ngành liên quan', 'Báo và Phát thanh, Truyền hình Cần Thơ'), not 'Các kết quả'."""
    text = text.strip()
    if not_a_body(text):
        return False
    found = matcher().find(text)
    return bool(found and found[0].start == 0) or bool(_party_head().match(text))
_PREAMBLE_CLAUSE = regex.compile(r"^(?:Căn cứ|Trên cơ sở|Theo|Để|Nhằm)\b[^,;]*,\s*")
