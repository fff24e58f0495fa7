"""Document metadata from the header block, the title and the signature block.

Where the header block is missing (converters often drop the two-column table), the issuer
and its place come from the body: the preamble's 'UBND huyện Quảng Xương ban hành Kế hoạch…'
and the title's 'trên địa bàn huyện …'. A district's province is taken from the text only
when the gazetteer confirms that the province the text names contains the district.
"""
from __future__ import annotations

from functools import cache

import regex

from kehoach.normalizers import places
from kehoach.normalizers.dates import LONG_DATE, LONG_DATE_RE, NUMERIC_DATE, parts
from kehoach.normalizers.names import IssuerName, canonical_issuer
from kehoach.normalizers.offsets import NormText
from kehoach.normalizers.text import alternation, fold, is_caps
from kehoach.catalogs import load
from kehoach.models.records import Frame, Metadata, PartialDate, Period, Signer
from kehoach.extractors.context import Component, Document
from kehoach.extractors import header as header_rules

_MOTTO = regex.compile(r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam|doc\s+lap\s*[-–]\s*tu\s+do\s*[-–]\s*hanh\s+phuc")
_DOC_NUMBER = regex.compile(r"\bSố\s*[:.]?\s*(?P<num>\d{1,6})?\s*(?P<rest>/\s*[\p{L}\d&]+(?:\s*[-–/.]\s*[\p{L}\d&]+)*)")
_NAME_WORD = r"\p{Lu}[\p{Ll}’']*(?:[’']\p{Lu}?\p{Ll}*)?"
_PLACE_BEFORE_DATE = regex.compile(rf"(?P<place>(?:TP\.\s*)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*,\s*ngày", regex.IGNORECASE)
_UNIT = r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)"
_PLACE_NAME = rf"(?:{_NAME_WORD}|\d{{1,2}})(?:\s+(?:{_NAME_WORD}|\d{{1,2}})){{0,3}}"
_BODY_ISSUES_PLAN = regex.compile(
    # not a cited document's issuer ('Quyết định … của Ủy ban nhân dân tỉnh X về ban hành Kế hoạch …')
    rf"(?<!của\s)(?P<body>Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND)\s*(?:\(\s*(?:UBND|HĐND)\s*\)\s*)?"
    rf"(?P<unit>{_UNIT})\b\s*(?P<place>{_PLACE_NAME})?\s*(?:\(.*?\)\s*)?"
    r"(?:xây dựng|ban hành|triển khai|thực hiện|tổ chức|xây dựng và ban hành)\s+(?:\S+\s+){0,3}?kế hoạch",
    regex.IGNORECASE)
_ON_TERRITORY = regex.compile(rf"(?:trên địa bàn|tại|của)\s+(?P<unit>{_UNIT})\s+(?P<place>{_PLACE_NAME})")
_PROVINCE_MENTION = regex.compile(rf"\b(?:tỉnh|thành phố)\s+(?P<place>{_PLACE_NAME})")
_PERIOD_RANGE = regex.compile(r"(?:giai đoạn|thời kỳ|từ năm|năm)?\s*(?P<a>(?:19|20)\d{2})\s*"
                              r"(?:[-–—]|đến(?: hết)?(?: năm)?)\s*(?P<b>(?:19|20)\d{2})", regex.IGNORECASE)
# 'đến năm 2025, tầm nhìn đến năm 2030': the vision year is not the plan's end
_PERIOD_UNTIL = regex.compile(r"(?<!tầm nhìn\s)đến(?: hết)? năm\s+(?P<b>(?:19|20)\d{2})", regex.IGNORECASE)
_CITED_DATE = regex.compile(rf"\bsố\s*[:.]?\s*\d[\p{{L}}\d/.&-]*\s*,?\s*(?:{LONG_DATE}|ngày\s*{NUMERIC_DATE})",
                             regex.IGNORECASE)
_PERIOD_YEAR = regex.compile(r"(?<!đến )\bnăm\s+(?P<y>(?:19|20)\d{2})", regex.IGNORECASE)
# the sentence by which the issuer issues the plan, up to 'như sau' or its colon
_ISSUING_SENTENCE = regex.compile(
    r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND)[^.:;\n]{0,60}?"
    r"(?:xây dựng|ban hành)\s+(?:\S+\s+){0,3}?kế hoạch[^:\n]{0,400}?"
    r"(?=\s*(?:như sau|cụ thể như sau|với các nội dung|:))",
    regex.IGNORECASE)
# 'Thời gian thực hiện: …' opening a paragraph or a numbered item ('3. Thời gian thực hiện …'),
# not 'thời gian' inside a sentence
_TIME_SCOPE = regex.compile(r"(?m)^(?:[\dIVX]+\.\s*|\p{Ll}\)\s*|[-+•]\s*)?"
                            r"Thời gian(?: thực hiện)?[^:\n]{0,30}:\s*(?P<text>[^\n]{0,120})",
                            regex.IGNORECASE)


@cache
def _signer_titles() -> list[tuple[str, str]]:
    return sorted(((fold(t), t) for t in load("signature")["titles"]), key=lambda x: -len(x[0]))


@cache
def _not_names() -> set[str]:
    return {fold(x) for x in load("signature")["not_a_name"]}


def _para_texts(nt: NormText, start: int, end: int) -> list[str]:
    return [nt.text[p.start:p.end] for p in nt.paragraphs[start:end]]


def _header_block(nt: NormText, frame: Frame) -> str:
    """The header paragraphs without the national motto, one per line."""
    # the motto may wrap onto a line of its own ('… CHỦ NGHĨA' / 'VIỆT NAM', read by OCR from
    # a narrow column): it is cut out of the block as a whole, across line ends
    paras = nt.paragraphs
    if frame.header_start >= len(paras):
        return ""
    end = header_rules.header_end(nt, frame).offset
    # a converted header table keeps its cell ends ('ỦY BAN NHÂN DÂN | CỘNG HÒA …'), a captured
    # page its escaped line ends ('\\r\\n'): each cell is a line of the header
    text = "\n".join(cell for cell, _, _ in header_rules.cells(nt.text[paras[frame.header_start].start:end], 0))
    folded = fold(text)
    pieces, last = [], 0
    for m in _MOTTO.finditer(folded):
        pieces.append(text[last:m.start()])
        last = m.end()
    pieces.append(text[last:])
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


_BODY_START = regex.compile(
    r"\s(?=(?:ỦY BAN|UỶ BAN|UBND|HĐND|HỘI ĐỒNG|SỞ|PHÒNG|(?<!ỦY |UỶ )BAN|TRUNG TÂM|VĂN PHÒNG|BỘ|CỤC|CHI CỤC)\s)")


@cache
def _cut_committee() -> regex.Pattern:
    units = alternation(u["word"] for u in load("admin_units")["unit_words"])
    return regex.compile(rf"^(?:Y\s+)?BAN\s+NHÂN\s+DÂN\s+(?=(?:{units})\s)", regex.IGNORECASE)


def _restore_committee(text: str) -> str:
    """'BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI', 'Y BAN NHÂN DÂN TỈNH KON TUM': the people's committee
    whose first word the capture cut off (left on the line above, or its 'Ủ' glyph dropped)."""
    m = _cut_committee().match(text)
    return f"ỦY BAN NHÂN DÂN {text[m.end():]}" if m else text


def _issuer_from_header(header: str) -> tuple[IssuerName | None, IssuerName | None]:
    """(the issuing body, the body above it in a two-level header such as 'UBND HUYỆN X / UBND XÃ Y')."""
    caps = []
    for line in header.split("\n"):
        line = regex.sub(r"\bSố\s*[:.].*$", "", line).strip()
        if regex.search(r",\s*ngày\b", line):
            continue
        if is_caps(line, 3, 0.8):
            caps.append(line)
        elif caps:
            break
    if not caps:
        return None, None
    joined = _restore_committee(" ".join(caps))
    issuer = canonical_issuer(joined)
    # 'UBND TỈNH X  SỞ Y': the lower body issues; its unit and place come from the upper one
    for m in _BODY_START.finditer(joined):
        upper = canonical_issuer(joined[:m.start()])
        if upper is None or upper.unit is None:
            continue
        lower = canonical_issuer(joined[m.end():])
        if lower is None:
            break
        if lower.unit:
            return lower, upper
        return IssuerName(f"{lower.name} {upper.unit} {upper.place}", lower.body, upper.unit,
                          upper.unit_level, upper.place), None
    return issuer, None


def _body_window(nt: NormText, frame: Frame) -> str:
    """The start of the body: the preamble, which ends with the sentence naming the issuer."""
    end = nt.paragraphs[min(frame.body_end, len(nt.paragraphs)) - 1].end if nt.paragraphs else 0
    start = nt.paragraphs[frame.body_start].start if frame.body_start < len(nt.paragraphs) else 0
    return nt.text[start:min(end, start + 6000)]


def _issuer_from_body(nt: NormText, frame: Frame, title: str | None) -> IssuerName | None:
    window = _body_window(nt, frame)
    found = _BODY_ISSUES_PLAN.search(window)
    if not found:
        return None
    unit = found.group("unit").lower()
    place = found.group("place")
    if not place:
        for source in (title or "", window):
            t = _ON_TERRITORY.search(source)
            if t and t.group("unit").lower() == unit:
                place = t.group("place")
                break
    body = "Hội đồng nhân dân" if fold(found.group("body")) in ("hdnd", "hoi dong nhan dan") else "Ủy ban nhân dân"
    return canonical_issuer(f"{body} {unit} {place or ''}".strip())


_UNIT_OF_PLACE = regex.compile(rf"^\W*(?P<unit>{_UNIT})\s+(?P<place>.+?)\W*$", regex.IGNORECASE)


def _unit_place(text: str | None) -> tuple[str, str] | None:
    """('tỉnh', 'Bắc Ninh') of 'Tỉnh Bắc Ninh', the way a portal names the issuing place."""
    m = _UNIT_OF_PLACE.match(text or "")
    return (m.group("unit").lower(), m.group("place")) if m else None


def _known_place(unit: str, place: str) -> str | None:
    """The gazetteer's spelling of ``place`` as a unit of kind ``unit``, if it knows one."""
    # 'thành phố Bắc Ninh' is the city inside tỉnh Bắc Ninh: a province only where the province is a city
    if unit in ("tỉnh", "thành phố") and (p := places.province(place)) and p.unit == unit:
        return p.name
    if unit in ("huyện", "quận", "thị xã", "thành phố") and (found := places.districts(place)):
        return found[0].name
    return None


def _complete_issuer(issuer: IssuerName, place_line: str | None, portal_issuer: str | None,
                     mentions: str) -> IssuerName:
    """'Ủy ban nhân dân' (or '… tỉnh') whose header lost the line with the unit and place.

    A two-column header converted with its cell ends often keeps only the first line of the
    issuer ('ỦY BAN NHÂN DÂN'). The place line ('Bắc Ninh, ngày …') names where the body sits;
    the unit comes from the body's own words ('Ủy ban nhân dân tỉnh ban hành …'), the portal's
    'Nơi ban hành: Tỉnh Bắc Ninh', or the title or text naming that place with its unit ('… TỈNH
    BẮC NINH'). The gazetteer must know the place as a unit of that kind.
    """
    portal = _unit_place(portal_issuer)
    place = place_line or (portal[1] if portal else None)
    if not place:
        return issuer
    units = [issuer.unit] if issuer.unit else []
    if portal and fold(portal[1]) == fold(place):
        units.append(portal[0])
    # the mention nearest the top (the title before the body) names the unit
    key = " ".join(fold(mentions).split())
    where = " ".join(fold(place).split())
    found_at = {u: key.find(f"{fold(u)} {where}") for u in ("tỉnh", "thành phố", "huyện", "quận", "thị xã")}
    units += sorted((u for u, at in found_at.items() if at >= 0), key=found_at.get)
    for unit in units:
        known = _known_place(unit, place)
        if known:
            found = canonical_issuer(f"{issuer.body} {unit} {known}")
            if found is not None and found.place:
                return found
    return issuer


@cache
def _bodies_with_units() -> set[str]:
    """The bodies whose name goes on with a unit: 'Ủy ban nhân dân' + 'tỉnh Bắc Ninh'."""
    return {fold(b["name"]) for b in load("admin_units")["bodies"]}


def _admin_level(issuer: IssuerName | None) -> str | None:
    if issuer is None:
        return None
    if issuer.unit_level == "province_or_district":
        # a centrally-run city (Cần Thơ) is a province; 'thành phố Bắc Ninh', named like its province, is not
        p = places.province(issuer.place) if issuer.place else None
        return "province" if p is not None and p.unit == "thành phố" else "district"
    if issuer.unit_level:
        return issuer.unit_level
    national = {fold(n) for n in load("admin_units")["national_issuers"]}
    if fold(issuer.body) in national or fold(issuer.body).startswith("bo "):
        return "national"
    return None


def _province_for_district(district: str, text: str) -> str | None:
    candidates = {p.province for p in places.districts(district)}
    if not candidates:
        return None
    for m in _PROVINCE_MENTION.finditer(text):
        words = m.group("place").split()
        for n in range(len(words), 0, -1):
            p = places.province(" ".join(words[:n]))
            if p and p.name in candidates:
                return p.name
    return None


_DISTRICT_MENTION = regex.compile(rf"\b(?:huyện|quận|thị xã)\s+(?P<place>{_PLACE_NAME})")


def _district_named(text: str) -> str | None:
    """The district a commune plan names most often ('UBND huyện Như Xuân'), if the gazetteer knows it."""
    counts: dict[str, int] = {}
    for m in _DISTRICT_MENTION.finditer(text):
        words = m.group("place").split()
        for n in range(len(words), 0, -1):
            found = places.districts(" ".join(words[:n]))
            if found:
                counts[found[0].name] = counts.get(found[0].name, 0) + 1
                break
    return max(counts, key=counts.get) if counts else None


def _period_of(text: str) -> Period | None:
    # 'Chỉ thị số 19/CT-TTg ngày 16 tháng 7 năm 2021': the year of a cited document's date is not the plan's
    text = _CITED_DATE.sub(" ", text)
    rng = _PERIOD_RANGE.search(text)
    year = next((m for m in _PERIOD_YEAR.finditer(text)
                 if not (rng and rng.start() <= m.start() < rng.end())), None)
    if rng:
        a, b = int(rng.group("a")), int(rng.group("b"))
        # 'Kế hoạch năm 2023 thực hiện Chương trình … giai đoạn 2021-2025' is a plan for 2023
        if year and a <= int(year.group("y")) <= b:
            return Period(start=int(year.group("y")), end=int(year.group("y")))
        if a <= b:
            return Period(start=a, end=b)
    until = _PERIOD_UNTIL.search(text)
    if until:
        return Period(start=None, end=int(until.group("b")))
    if year:
        return Period(start=int(year.group("y")), end=int(year.group("y")))
    return None


def _period(title: str | None, nt: NormText, frame: Frame) -> Period | None:
    """The plan's years: from its title; where the title gives none, or only the end year ('ĐẾN
    NĂM 2030'), from the line 'Thời gian thực hiện: Từ năm 2025 đến hết năm 2030' that agrees
    with it; a page that lost its title names them in the sentence issuing the plan ('UBND tỉnh
    xây dựng Kế hoạch … đến năm 2025, tầm nhìn đến năm 2030 như sau')."""
    found = _period_of(title) if title else None
    if found is None or found.start is None:
        scope = next((p for m in _TIME_SCOPE.finditer(nt.text) if (p := _period_of(m.group("text")))), None)
        if scope is not None and (found is None or scope.end == found.end):
            found = scope
    if found is None and title is None:
        m = _ISSUING_SENTENCE.search(_body_window(nt, frame))
        if m:
            found = _period_of(LONG_DATE_RE.sub(" ", m.group(0)))
    return found


def _signer(nt: NormText, frame: Frame) -> Signer | None:
    """The name and title of the signature block closing the plan.

    A plan that a decision carries is often printed without a signature of its own: the
    decision's signer (above the plan) signed it.
    """
    found = _signer_in(_para_texts(nt, frame.body_end, len(nt.paragraphs)))
    if (found is None or found.name is None) and frame.plan_type_para is not None and frame.type_para is not None:
        start = header_rules.closing_start(nt, frame.type_para + 1, frame.plan_type_para)
        if start is not None:
            decision = _signer_in(_para_texts(nt, start, frame.plan_type_para))
            if decision is not None and decision.name:
                return decision
    return found


def _is_name(candidate: str) -> bool:
    words = candidate.split()
    return (2 <= len(words) <= 5 and all(regex.fullmatch(_NAME_WORD, w) for w in words)
            and fold(candidate) not in _not_names() and not any(fold(w) in ("ky", "dau") for w in words))


def _title_at_end(text: str) -> str | None:
    """The signer's title a line ends with: 'KT. CHỦ TỊCH' / 'PHÓ CHỦ TỊCH' → 'Phó Chủ tịch'."""
    key = " ".join(fold(regex.sub(r"\[.*?\]|\(.*?\)", " ", text)).split())
    key = regex.sub(r"^(?:tm|kt|tl|tuq|q|t/m|k/t)\s*\.\s*", "", key)
    for folded_title, canonical in _signer_titles():
        if key == folded_title or key.endswith(" " + folded_title):
            return canonical
    return None


# a name set after the title on the same line ('PHÓ CHỦ TỊCH Hồ Thị Nguyên Thảo'), or, in a
# signature column flattened into the 'Nơi nhận' list, after a recipient ('…; Nguyễn Thế Phước')
_NAME_AT_END = regex.compile(rf"(?P<head>.*?)(?:\s+|;\s*)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}})\s*$")
# the signature column glued to the recipients: '- Như Điều 3; KT. CHỦ TỊCH'
_GLUED_SIGNATURE = regex.compile(r";\s+(?:(?:TM|KT|T/M|K/T|TL|TUQ)\s*\.|\p{Lu}{2,}(?:\s+\p{Lu}{2,})*\s*$)")


NAME_AFTER_TITLE_LINES = 4  # the title's lines, a seal or '[daky]', then the name


def _signer_in(closing: list[str]) -> Signer | None:
    if not closing:
        return None
    name = title = None
    name_idx = None
    # the name stands a few lines under the signer's title ('KT. GIÁM ĐỐC' / 'PHÓ GIÁM ĐỐC' /
    # 'Hoàng Văn Thuân'): read there first, so that an appendix after the signature (a team's
    # list of members) does not lend its names
    bare = [t.strip(" []()*_") for t in closing]
    for t_idx, text in enumerate(bare):
        if _title_at_end(text) and not _is_name(text):
            for j in range(t_idx + 1, min(len(closing), t_idx + 1 + NAME_AFTER_TITLE_LINES)):
                candidate = bare[j]
                if _is_name(candidate):
                    # the title is the last one above the name ('KT. CHỦ TỊCH' / 'PHÓ CHỦ TỊCH')
                    titles = (_title_at_end(closing[k].strip(" *_")) for k in range(j - 1, t_idx - 1, -1))
                    return Signer(name=candidate, title=next((x for x in titles if x), None))
            break
    glued = any(_GLUED_SIGNATURE.search(t) for t in closing)
    for i in range(len(closing) - 1, -1, -1):
        candidate = bare[i]
        if _is_name(candidate):
            name, name_idx = candidate, i
            break
        m = _NAME_AT_END.match(candidate)
        if m and _is_name(m.group("name")):
            head = m.group("head").rstrip()
            # the name follows its title in capitals, or a recipient where the columns were run together
            caps_run = regex.search(r"(?:^|\s)((?:[^\s\p{Ll}]+\s+)*[^\s\p{Ll}]+)$", head)
            title_here = _title_at_end(caps_run.group(1)) if caps_run and is_caps(caps_run.group(1), 3) else None
            if title_here or (glued and candidate[len(head):].lstrip().startswith(";")):
                name, name_idx, title = m.group("name"), i, title_here
                break
    search = closing[:name_idx] if name_idx is not None else closing
    for text in reversed(search):
        if title:
            break
        title = _title_at_end(text)
    if name is None and title is None:
        return None
    return Signer(name=name, title=title)


def _doc_number(header: str) -> tuple[str | None, str | None]:
    """(number or None when blank, the code after the slash)."""
    m = _DOC_NUMBER.search(header)
    if not m:
        return None, None
    rest = regex.sub(r"\s+", "", m.group("rest")).replace("–", "-")
    number = f"{m.group('num')}{rest}" if m.group("num") else None
    return number, rest.lstrip("/")


def _issue_date(header: str) -> PartialDate | None:
    m = LONG_DATE_RE.search(header)
    if not m:
        return None
    day, month, year = parts(m)
    return PartialDate(year=year, month=month, day=day)


def _place(header: str) -> str | None:
    m = _PLACE_BEFORE_DATE.search(header)
    if not m:
        return None
    words = m.group("place").split()
    # keep the trailing title-case words: '/KH-UBND Quảng Nam' → 'Quảng Nam'
    keep = []
    for w in reversed(words):
        if w.isupper() and len(w) > 1 and w != "TP.":
            break
        keep.insert(0, w)
    return " ".join(keep) or None


def _type_from_code(code: str | None) -> str | None:
    if not code:
        return None
    # '2018/QĐ-UBND': a year may stand before the type's code
    first = next((part for part in regex.split(r"[-/]", code) if not part.isdigit()), "")
    for t in load("doc_types")["types"]:
        if first in t["codes"]:
            return t["id"]
    return None


def extract_metadata(nt: NormText, frame: Frame) -> Metadata:
    header = _header_block(nt, frame)
    title = title_text(nt, frame)
    title_str = title[0] if title else None
    page = _page_lines(nt, frame)
    portal = _portal_values(page)
    place_line = _place(header)
    number, code = _doc_number(header)
    from_wrapper = []
    if number is None:
        # the portal's block, else the page's own name of the document (title line, address)
        number = _valid_number(portal.get("doc_number")) or _page_number(page)
        if number:
            code = _code_of(number)
            from_wrapper.append("doc_number")
    issuer, parent, issuer_from_portal = _issuer(nt, frame, header, title_str, portal, code, place_line)
    if issuer_from_portal:
        from_wrapper.append("issuer")
    level = _admin_level(issuer)
    province, district = _province_district(issuer, level, parent, header, nt)
    meta = Metadata(
        doc_type=frame.doc_type or _type_from_code(code),
        title=title_str,
        issuer=issuer.name if issuer else None,
        admin_level=level,
        province=province,
        district=district,
        doc_number=number,
        place=place_line,
        issue_date=_issue_date(header),
        period=_period(title_str, nt, frame),
        signer=_signer(nt, frame),
    )
    meta.from_wrapper.extend(from_wrapper)
    _fill_from_wrapper(meta, portal)
    # a header with neither 'Số:' nor a date did not survive the capture
    header_lost = not _DOC_NUMBER.search(header) and _issue_date(header) is None
    if header_lost and (meta.signer is None or meta.signer.name is None):
        _signer_from_wrapper(meta, portal)
    return meta


def _page_lines(nt: NormText, frame: Frame) -> list[str]:
    """The capture's own lines before the plan: the portal's block, the page's title, its address."""
    if frame.header_start == 0 and nt.paragraphs and regex.match(r"^(?:URL:\s*)?https?://", nt.text[:20]):
        return _para_texts(nt, 0, 1)  # a capture without a header still has its address
    return _para_texts(nt, 0, frame.header_start)


def _code_of(number: str) -> str | None:
    """'KH-UBND' of '51/KH-UBND', 'QĐ-UBND' of '52/2018/QĐ-UBND'."""
    code = number.split("/", 1)[1] if "/" in number else ""
    return regex.sub(r"^(?:19|20)\d{2}/", "", code) or None


def _issuer(nt: NormText, frame: Frame, header: str, title: str | None, portal: dict[str, str],
            code: str | None, place_line: str | None) -> tuple[IssuerName | None, IssuerName | None, bool]:
    """(issuer, the body above it, whether the portal's block named it).

    The header names it; where the header lost it or its place, the body's sentence issuing the
    plan, the portal's block and the place line complete it.
    """
    issuer, parent = _issuer_from_header(header) if header else (None, None)
    if issuer is None or issuer.unit is None:
        from_body = _issuer_from_body(nt, frame, title)
        if from_body and (issuer is None or fold(from_body.body) == fold(issuer.body)):
            issuer = from_body
    from_portal = False
    if issuer is None or issuer.place is None:
        named = _issuer_from_wrapper(portal.get("issuer"), code)
        if named is not None and (issuer is None or fold(named.body) == fold(issuer.body)):
            issuer, from_portal = named, True
    if issuer is not None and issuer.place is None and fold(issuer.body) in _bodies_with_units():
        mentions = " ".join(filter(None, [title, header])) + "\n" + _body_window(nt, frame)
        issuer = _complete_issuer(issuer, place_line, portal.get("issuer"), mentions)
    return issuer, parent, from_portal


def _province_district(issuer: IssuerName | None, level: str | None, parent: IssuerName | None,
                       header: str, nt: NormText) -> tuple[str | None, str | None]:
    province = district = None
    if issuer and issuer.place:
        if level == "province":
            p = places.province(issuer.place)
            province = p.name if p else issuer.place
        elif level == "district":
            district = issuer.place
            province = _province_for_district(district, header + "\n" + nt.text)
        elif level == "commune":
            district = parent.place if parent is not None and parent.unit_level == "district" \
                else _district_named(nt.text)
            if district:
                province = _province_for_district(district, header + "\n" + nt.text)
    return province, district


def _signer_from_wrapper(meta: Metadata, values: dict[str, str]) -> None:
    """The portal's 'Người ký', only where the page lost the plan's header: the block then stands
    in for header and signature. Where the header is there, the page is the document, and a
    signature it does not show (an excerpt that stops before the end) is not claimed."""
    name = values.get("signer", "")
    if 2 <= len(name.split()) <= 5 and all(w[:1].isupper() for w in name.split()):
        meta.signer = Signer(name=name, title=meta.signer.title if meta.signer else None)
        meta.from_wrapper.append("signer")


@cache
def _portal_labels() -> tuple[regex.Pattern, dict[str, str]]:
    """One pattern for every label of a portal's block, and each label's field ('' : not read)."""
    words = load("document")
    field_of = {_label_key(label): field for field, labels in words["portal_fields"].items() for label in labels}
    for label in words["portal_other_labels"]:
        field_of.setdefault(_label_key(label), "")
    labels = [*(x for xs in words["portal_fields"].values() for x in xs), *words["portal_other_labels"]]
    pattern = regex.compile(rf"(?:^|(?<=\s))(?P<label>{alternation(labels)})(?P<colon>\s*:)?(?=\s|$)", regex.IGNORECASE)
    return pattern, field_of


def _label_key(label: str) -> str:
    return " ".join(fold(label).split())


def _portal_values(lines: list[str]) -> dict[str, str]:
    """field → value of a portal's block about the document.

    The block comes as 'Số hiệu: 160/KH-UBND', as two fields a line ('Số hiệu: 51/KH-UBND Loại
    văn bản: Kế hoạch'), as table rows ('| Số hiệu | 186/KH-UBND |', 'Số hiệu: | 612/QĐ-UBND |
    Loại văn bản: | Quyết định |'), as a label without its colon ('Số, ký hiệu 1798/KH-UBND'), or
    with the value in the next cell or on the next line. A label opens a cell, or follows a value
    on the same line when it carries its colon; the value ends where the next label begins.
    """
    pattern, field_of = _portal_labels()
    unknown = {fold(x) for x in load("document")["portal_unknown"]}
    cells = [c.strip(" *•·-\t") for line in lines for c in line.split("|")]
    cells = [c for c in cells if c]
    out: dict[str, str] = {}
    for i, cell in enumerate(cells):
        found = [m for m in pattern.finditer(cell) if m.start() == 0 or m.group("colon")]
        if not found or found[0].start() != 0:
            continue
        for k, m in enumerate(found):
            field = field_of.get(_label_key(m.group("label")), "")
            stop = found[k + 1].start() if k + 1 < len(found) else len(cell)
            value = cell[m.end():stop].strip(" :")
            if not value and k + 1 == len(found) and i + 1 < len(cells) and not pattern.match(cells[i + 1]):
                value = cells[i + 1]
            if field and field not in out and value and fold(value) not in unknown:
                out[field] = value
    return out


_NUMBER = r"\d{1,6}(?:/(?:19|20)\d{2})?/\p{Lu}[\p{L}\d&]*(?:-[\p{L}\d&]+)*"


def _valid_number(value: str | None) -> str | None:
    """'51/KH-UBND' as the portal gives it, without spaces; None for what is not a number."""
    value = regex.sub(r"\s+", "", value or "")
    return value if regex.fullmatch(_NUMBER, value) else None


@cache
def _page_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    names = [name for t in load("doc_types")["types"] for name in t["names"]]
    # the page's title line: 'Kế hoạch 186/KH-UBND năm 2025 phát triển …'
    title = regex.compile(rf"^(?:URL:\s*)?(?:https?://\S+\s+)?(?:{alternation(names)})\s+(?:số\s+)?"
                          rf"(?P<num>{_NUMBER})(?=[\s,.;:]|$)",
                          regex.IGNORECASE)
    # its address: '…/ke-hoach-186-kh-ubnd-2025-…', '…/ke-hoach-54kh-ubnd-nam-2020-…'
    slugs = sorted({"-".join(fold(n).split()) for n in names}, key=len, reverse=True)
    slug = regex.compile(rf"(?:/|-)(?:{'|'.join(slugs)})-(?:so-)?(?P<num>\d{{1,6}})(?P<glued>-?)"
                         r"(?:(?P<year>(?:19|20)\d{2})-)?(?P<code>[a-z]+)-(?P<issuer>[a-z]+)(?=[-./]|$)")
    return title, slug


@cache
def _codes_by_fold() -> dict[str, str]:
    """Printed form of a number's codes by their letters without diacritics: 'qd' → 'QĐ', 'hdnd' → 'HĐND'."""
    out: dict[str, str] = {}
    for t in load("doc_types")["types"]:
        for c in t["codes"]:
            out.setdefault(fold(c), c)
    for c in load("issuer_codes")["codes"]:
        out.setdefault(fold(c["code"]), c["code"])
    return out


def _page_number(lines: list[str]) -> str | None:
    """The number a page names its document by, in its title line or its address, where the
    document's own header did not survive the capture."""
    title, slug = _page_patterns()
    for line in lines:
        m = title.match(line.strip())
        if m and (number := _valid_number(m.group("num"))):
            return number
    codes = _codes_by_fold()
    for line in lines:
        for url in regex.findall(r"https?://\S+", line):
            m = slug.search(url.lower())
            if not m or m.group("code") not in codes or m.group("issuer") not in codes:
                continue
            num = m.group("num")
            if not m.group("glued") and len(num) > 4 and regex.search(r"(?:19|20)\d{2}$", num):
                continue  # '412019qd': number and year run together, no telling where they part
            year = f"/{m.group('year')}" if m.group("year") else ""
            return f"{num}{year}/{codes[m.group('code')]}-{codes[m.group('issuer')]}"
    return None


def _issuer_from_wrapper(value: str | None, code: str | None) -> IssuerName | None:
    """The issuer a portal's block names: a body ('Ủy ban nhân dân tỉnh Lạng Sơn'), or a place
    ('Tỉnh Bắc Ninh') whose body the number's code names ('…/KH-UBND')."""
    if not value:
        return None
    found = canonical_issuer(value)
    if found is not None and found.unit is not None and found.place:
        return found
    place = _unit_place(value)
    body_code = (code or "").split("-")[-1]
    names = {fold(c["code"]): c["name"] for c in load("issuer_codes")["codes"]}
    body = canonical_issuer(names.get(fold(body_code), "")) if body_code else None
    if place and body is not None and fold(body.body) in _bodies_with_units():
        known = _known_place(*place)
        if known:
            return canonical_issuer(f"{body.body} {place[0]} {known}")
    return None


def _fill_from_wrapper(meta: Metadata, values: dict[str, str]) -> None:
    """What the portal's block says, where the plan's own header is silent (never over it)."""
    if meta.issue_date is None and (m := regex.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})",
                                                          values.get("issue_date", ""))):
        meta.issue_date = PartialDate(year=int(m.group(3)), month=int(m.group(2)), day=int(m.group(1)))
        meta.from_wrapper.append("issue_date")
    if meta.doc_type is None and values.get("doc_type"):
        key = " ".join(fold(values["doc_type"]).split())
        doc_type = next((t for name, t in _type_names() if key == name), None)
        if doc_type:
            meta.doc_type = doc_type
            meta.from_wrapper.append("doc_type")


@cache
def _type_names() -> list[tuple[str, str]]:
    return [(fold(name), t["id"]) for t in load("doc_types")["types"] for name in t["names"]]


_TITLE_CUT = regex.compile(r"\s(?=(?:Căn cứ|Thực hiện|Xét đề nghị)\s)")


def title_text(nt: NormText, frame: Frame) -> tuple[str, tuple[int, int]] | None:
    if not frame.title_paras:
        # a title run on after the header's cells in the same paragraph
        span = header_rules.header_end(nt, frame).title
        return (nt.text[span[0]:span[1]].strip(" *_:"), span) if span else None
    start = nt.paragraphs[frame.title_paras[0]].start
    end = nt.paragraphs[frame.title_paras[-1]].end
    text = " ".join(nt.text[nt.paragraphs[i].start:nt.paragraphs[i].end] for i in frame.title_paras)
    # a title joined with the first preamble sentence ('… 2022-2025 Thực hiện Nghị quyết …')
    m = _TITLE_CUT.search(text, 20)
    if m and len(text) > 250:
        text = text[:m.start()]
        end = start + len(text)
    # '… NĂM 2023 (Kèm theo Quyết định số 254/QĐ-UBND …)': the note of the decision carrying the
    # plan, run into the title's line, is not the title
    m = _attached_note().search(text, 20)
    if m:
        text = text[:m.start()]
        end = start + len(text)
    return text.strip(" *_:"), (start, end)


@cache
def _attached_note() -> regex.Pattern:
    return regex.compile(rf"\s*\(\s*(?:{alternation(load('document')['attachment_phrases'])})\b", regex.IGNORECASE)


def _run(doc: Document) -> None:
    doc.record.metadata = extract_metadata(doc.nt, doc.frame)


COMPONENT = Component("metadata", requires=("nt", "frame"), assigns=("metadata",), run=_run)
