"""Cited legal and party documents: 'Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng …'.

The number is found first, whatever its shape (state: 90/QĐ-TTg, 36/2021/QĐ-TTg,
4110/LĐTBXH-VPQGGN, 24/2021/QH15; party: 05-CT/TW), tolerant to the spaces and line breaks
PDF extraction leaves inside it; the type comes from the word before it ('Quyết định số'),
else from the type code inside the number; then the date and the issuer after it. A document
cited many times is one reference; a number whose year contradicts its date ('27/2020/NĐ-CP
ngày 19/4/2022') or lacks its issuer ('24/2021/NQ') joins the well-formed citation of the same
document when the document cites it too.
"""
from __future__ import annotations

from functools import cache

import regex

from kehoach.normalizers.dates import DATE_AFTER_NUMBER, iso_date, parts
from kehoach.normalizers.names import canonical_issuer
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import edit_distance, match_key
from kehoach.catalogs import load
from kehoach.models.records import Frame, LegalRef, Section
from kehoach.models.sections import innermost
from kehoach.extractors.context import Component, Document

# A code segment: upper case letters and digits, with one trailing lower-case letter only when
# the word ends there ('TTg', 'TTr'): in '05-CT/TWcủa' the code is 'TW'.
_CODE = r"[A-ZĐ][A-ZĐ0-9&]*(?:[a-zđ](?![\p{L}\p{M}]))?"
_SEP = r"\s*[-–]\s*"
DOC_NUMBER = regex.compile(
    rf"""(?<![\p{{L}}\d/.,-])
    (?P<number>
        (?P<serial>\d{{1,5}})
        (?:
            \s*/\s*(?:(?P<year>(?:19|20)\d{{2}})\s*/\s*)?(?P<codes>{_CODE}(?:{_SEP}{_CODE}){{0,3}})
          | {_SEP}(?P<ptype>{_CODE})\s*/\s*(?P<plevel>{_CODE})
        )
    )""",
    regex.VERBOSE,
)
_ISSUER_AFTER = regex.compile(
    r"[\s,]*(?:của|do)\s+(?P<issuer>.+?)(?=\s+(?:về|v/v|phê duyệt|quy định|ban hành|hướng dẫn|"
    r"thực hiện|giao|triển khai|tại|sửa đổi|bổ sung|thành lập|kiện toàn)\b|\s*[;,.()\n“\"]|$)",
    regex.IGNORECASE)
_ROLE_BASIS = regex.compile(r"^\W*căn cứ\b", regex.IGNORECASE)
_ROLE_IMPLEMENTS = regex.compile(r"^\W*(?:thực hiện|triển khai)\b", regex.IGNORECASE)


@cache
def _type_words() -> tuple[regex.Pattern, dict[str, str]]:
    names: dict[str, str] = {}
    for t in load("doc_types")["types"]:
        for name in t["names"]:
            names[match_key(name)] = t["id"]
    alternation = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    # the type word, 'số' and at most a few words between ('Quyết định phân bổ vốn số …' is
    # rare; 'các Nghị quyết số:' is common)
    pattern = regex.compile(rf"(?P<type>{alternation})\s*(?:số\s*[:.]?\s*)?$")
    return pattern, names


@cache
def _abbreviated_type() -> regex.Pattern:
    """'QĐ số 90/QĐ-TTg', 'NQ số …': a type code written as the type word, before 'số'."""
    codes = sorted(_code_types(), key=len, reverse=True)
    return regex.compile(rf"(?<![\p{{L}}])(?P<code>{'|'.join(map(regex.escape, codes))})\s+số\s*[:.]?\s*$")


@cache
def _code_types() -> dict[str, str]:
    out = {}
    for t in load("doc_types")["types"]:
        for code in t["codes"]:
            out[code] = t["id"]
    return out


def _type_from_number(m: regex.Match) -> str:
    codes = _code_types()
    if m.group("ptype"):
        return codes.get(m.group("ptype"), "other")
    first = regex.split(r"\s*[-–]\s*", m.group("codes"))[0]
    if first in codes:
        return codes[first]
    if regex.fullmatch(r"QH\d*", first):
        return "luat"
    return "cong_van"  # a number with no type code is a công văn (Nghị định 30/2020/NĐ-CP)


@cache
def _issuer_codes() -> dict[str, str]:
    """Issuer codes of document numbers whose body is unambiguous ('TTg' → Thủ tướng Chính phủ)."""
    out = {}
    for c in load("issuer_codes")["codes"]:
        if c.get("level") in ("central", "central_ministry") and "(" not in c["name"] and " - expansion" not in c["name"]:
            # aliases such as 'LĐTBXH' are also what a provincial department writes: left out
            if regex.fullmatch(r"[\p{L}\d&]+", c["code"]):
                out[c["code"]] = c["name"]
    return out


def issuer_from_number(number: str) -> str | None:
    """'90/QĐ-TTg' → 'Thủ tướng Chính phủ', '27/2022/NĐ-CP' → 'Chính phủ' (None when the code is local)."""
    codes = regex.split(r"[/-]", number)
    for code in reversed(codes[1:]):
        if code in _issuer_codes():
            return _issuer_codes()[code]
    return None


def _clean_number(raw: str) -> str:
    return regex.sub(r"\s+", "", raw).replace("–", "-")


def _dedupe_key(ref: LegalRef) -> str:
    return ref.number.upper()


def extract_legal_refs(nt: NormText, frame: Frame, sections: list[Section],
                       own_number: str | None = None) -> list[LegalRef]:
    text, key = nt.text, nt.key
    type_re, type_names = _type_words()
    header_end = nt.paragraphs[frame.header_end].start if frame.header_end and nt.paragraphs else 0
    found: dict[str, LegalRef] = {}
    prev_end, prev_type = -10, None
    for m in DOC_NUMBER.finditer(text):
        if m.start() < header_end:
            continue
        number = _clean_number(m.group("number"))
        if own_number and number.upper() == own_number.upper():
            continue
        before = key[max(0, m.start() - 40):m.start()]
        tm = type_re.search(before)
        am = None if tm else _abbreviated_type().search(text[max(0, m.start() - 40):m.start()])
        start = m.start()
        if tm:
            doc_type = type_names[tm.group("type")]
            start = m.start() - (len(before) - tm.start())
        elif am:
            doc_type = _code_types()[am.group("code")]
            start = m.start() - (min(40, m.start()) - am.start())
        elif prev_type and regex.fullmatch(r"[\s,;:]*(?:và|hoặc)?\s*(?:số\s*)?", key[prev_end:m.start()] or " "):
            doc_type = prev_type  # 'các Nghị quyết số 364/NQ-HĐND, 365/NQ-HĐND'
        else:
            doc_type = _type_from_number(m)
            if regex.search(r"(?:số|Số)\s*[:.]?\s*$", text[max(0, m.start() - 8):m.start()]) is None \
                    and doc_type == "cong_van" and not m.group("year"):
                # a bare 'A/B-C' with neither a type word nor 'số' is too weak a signal
                continue
        end = m.end()
        date = None
        dm = DATE_AFTER_NUMBER.match(text, m.end())
        if dm:
            date = iso_date(*parts(dm))
            end = dm.end()
        issuer = None
        im = _ISSUER_AFTER.match(text, end)
        if im and len(im.group("issuer")) <= 80:
            parsed = canonical_issuer(im.group("issuer"))
            issuer = parsed.name if parsed else im.group("issuer")
            end = im.end()
        if issuer is None:
            issuer = issuer_from_number(number)
        ref = LegalRef(type=doc_type, number=number, date=date, issuer=issuer,
                       role=_role(nt, start), raw=text[start:end], span=(start, end),
                       page=nt.page_at(start), section=_id(innermost(sections, start)))
        prev_end, prev_type = m.end() if not dm else dm.end(), doc_type
        k = _dedupe_key(ref)
        if k in found:
            first = found[k]
            first.mentions += 1
            if first.date is None and ref.date:
                first.date = ref.date
            if first.issuer is None and ref.issuer:
                first.issuer = ref.issuer
        else:
            found[k] = ref
    return _merge_variants(list(found.values()))


def _role(nt: NormText, pos: int) -> str:
    p = nt.paragraphs[nt.paragraph_index_at(pos)] if nt.paragraphs else None
    head = nt.text[p.start:pos] if p else ""
    if _ROLE_BASIS.match(head):
        return "basis"
    if _ROLE_IMPLEMENTS.match(head):
        return "implements"
    return "cites"


def _id(section: Section | None) -> str | None:
    return section.id if section else None


_PARTS = regex.compile(r"^(?P<serial>\d+)(?:/(?P<year>\d{4}))?/(?P<codes>.+)$")


def _near(a: str, b: str, most: int = 2) -> bool:
    """Are two codes within ``most`` single-character edits of each other (and of one length ±1)?"""
    return abs(len(a) - len(b)) <= 1 and edit_distance(a, b) <= most


def _merge_variants(refs: list[LegalRef]) -> list[LegalRef]:
    """Fold a mistyped citation into the well-formed one of the same document."""
    drop: set[int] = set()
    for i, a in enumerate(refs):
        pa = _PARTS.match(a.number)
        if not pa or i in drop:
            continue
        for j, b in enumerate(refs):
            if j == i or j in drop or a.type != b.type:
                continue
            pb = _PARTS.match(b.number)
            if not pb or pa.group("serial") != pb.group("serial"):
                continue
            if a.date and b.date and a.date != b.date:
                continue
            same_codes = pa.group("codes") == pb.group("codes")
            date_year = (a.date or b.date or "")[:4]
            # '27/2020/NĐ-CP ngày 19/4/2022' beside '27/2022/NĐ-CP ngày 19/4/2022'
            wrong_year = (same_codes and pa.group("year") and pb.group("year")
                          and pa.group("year") == date_year and pb.group("year") != date_year)
            # '24/2021/NQ' beside '24/2021/QH15': the short one lost its issuer
            lost_issuer = (pa.group("year") == pb.group("year") and pa.group("year")
                           and pb.group("codes") in _code_types() and pa.group("codes") != pb.group("codes"))
            # '36/2021/QĐ- T18' (OCR) beside '36/2021/QĐ-TTg ngày 13/12/2021': one or two glyphs
            # misread in the issuer's code of an undated citation
            misread = (pa.group("year") == pb.group("year") and pa.group("year") and a.date and not b.date
                       and not same_codes and _near(pa.group("codes"), pb.group("codes"))
                       and issuer_from_number(a.number) is not None and issuer_from_number(b.number) is None)
            if wrong_year or lost_issuer or misread:
                a.mentions += b.mentions
                a.date = a.date or b.date
                drop.add(j)
    return [r for k, r in enumerate(refs) if k not in drop]


def _run(doc: Document) -> None:
    doc.record.legal_refs = extract_legal_refs(doc.nt, doc.frame, doc.sections, own_number=doc.record.metadata.doc_number)


COMPONENT = Component("legal_refs", requires=("nt", "frame", "sections", "metadata"), assigns=("legal_refs",), run=_run)
