"""From source lines to logical paragraphs: undo hard wraps, drop page furniture, strip markup.

PDF text and converter output break a paragraph wherever the page's line ended, and some
converters add a blank line after every line. Blank lines are therefore no evidence here
(except in Markdown, where they are the paragraph rule). A line break is kept where the next
line opens a numbered or bulleted item, where capitals start or stop (headings, header
blocks), where the previous line ended a sentence, or where it ended well short of the
page width; a line that starts in lower case always continues the one before.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from kehoach.catalogs import load
from kehoach.normalizers.offsets import NormText, TextBuilder
from kehoach.normalizers.text import alternation, is_caps, nfc, repair_glyphs, repair_syllables
from kehoach.models.records import Paragraph, RawDocument

# An item marker at the start of a line: roman and letter parts, 1. / 1.1 / 1.1.1., a) đ),
# (1), bullets, Điều/Phần/Chương/Mục. '1.263 triệu' is not one: groups of three digits are
# thousands, not sub-numbers.
MARKER = regex.compile(
    r"""^(?:
        [IVXLC]{1,7}\s*(?:[.:)]|[-–](?=\s))
      | [A-ZĐ][.)]
      | \d{1,2}(?:\.\d{1,2}){1,3}\.?
      | \d{1,2}\s*[.)]
      | [a-zđ]\s*[).]
      | \(\s*(?:\d{1,2}|[a-zđ])\s*\)
      | [-+•*–—●▪○]
      | (?:Điều|ĐIỀU|Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+(?:\d{1,3}|[IVXLC]{1,7}|thứ\s+\w+|THỨ\s+\w+)\s*[.:]?
    )(?=\s|$)""",
    regex.VERBOSE,
)
SEPARATOR = regex.compile(r"^[\s\-–—_=*.•~]{3,}$")
PAGE_NUMBER = regex.compile(r"^[\s\-–—]*(?:(?:Trang|trang|Page)\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?[\s\-–—]*$")
SENTENCE_END = regex.compile(r"[.;:!?…]['\"”’)]*$")
_MD_HEADING = regex.compile(r"^\s{0,3}(#{1,6})\s+")
_MD_TABLE_RULE = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_ESCAPE = regex.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_WORD = regex.compile(r"\S+")
_DASH_ITEM = regex.compile(r"^[-–]\s")
# 'Tiểu Dự án 2' / 'giai đoạn 2021' + '- …': a line that stops on a number or a connector
# word is cut inside 'X - Y', so the dash that opens the next line is a hyphen
_WORDS = load("document")
# A line 'fills the width' - so the sentence it carries may wrap onto the next - when it reaches
# this far across the PDF's text block; justified lines reach ~1.0, a paragraph's last line
# or a centred heading stops well short, and 0.85 parts them on the seed PDFs and scans ...
FULL_REACH = 0.85
NEARLY_FULL = 0.75  # a wrapped line of a ragged or hand-broken paragraph, with a full line after it
FORCED_WRAP = 0.97  # the next word's width plus a space's, with the block's right edge ragged
# ... and, without PDF geometry (text files), when it holds this share of the document's usual
# line length in characters (proportional fonts make characters a rougher measure)
FULL_CHARS = 0.72
_DASH_JOINS = regex.compile(rf"(?:\d|\b(?:{alternation(_WORDS['hyphen_joins'])}))$")
# Words that open a paragraph of the preamble or the closing; capitalised at a line start
# they begin a new paragraph even after a full-width line (a centred title's last line).
_OPENERS = regex.compile(rf"^(?:{alternation(_WORDS['paragraph_openers'])})\b")
# 'ỦY BAN NHÂN DÂN TỈNH …' under a decision's title: the authority that decides (as in the frame)
_AUTHORITY_LINE = regex.compile(rf"^(?:{alternation(_WORDS['authority_openers'])})\b")
_CONNECTOR_END = regex.compile(rf"(?:,|\b(?:{alternation(_WORDS['connector_words'])}))$")


@dataclass(slots=True)
class _Line:
    words: list[tuple[str, int]]  # (word, source offset)
    page: int
    heading_hint: bool = False
    hard_break: bool = False  # Markdown: a paragraph ends after this line
    blank_before: bool = False
    bold: bool | None = None  # PDF: the whole line is set in bold
    cell: bool = False  # a cell of a table row
    reach: float | None = None  # PDF: how far across the text block the line reaches (0–1)
    lead: float = 0.0  # PDF: the width of its first word, as a share of the block's width

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words)


@dataclass
class _Stats:
    width: float
    unwrapped: bool
    blank_lines_are_breaks: bool = False


def _words(line: str, offset: int) -> list[tuple[str, int]]:
    out = []
    for m in _WORD.finditer(line):
        w = repair_glyphs(nfc(m.group(0)))
        if w:
            out.append((w, offset + m.start()))
    return out


def _md_words(line: str, offset: int) -> list[tuple[str, int]]:
    """Words of a Markdown line without emphasis markers and escapes."""
    out = []
    for m in _WORD.finditer(line):
        w, start = m.group(0), offset + m.start()
        stripped = w.lstrip("*_")
        start += len(w) - len(stripped)
        # emphasis may sit inside a word's punctuation: '(*qua' … 'hội*)'
        w = stripped.rstrip("*_").replace("*", "")
        w = _MD_ESCAPE.sub(r"\1", w)
        w = repair_glyphs(nfc(w))
        if w:
            out.append((w, start))
    return out


def _source_lines(raw: RawDocument) -> list[tuple[int, str, int]]:
    """(source offset, line text with same-length repairs, page index) for every line."""
    out = []
    pos = 0
    page = 0
    for line in raw.text.split("\n"):
        for j, part in enumerate(line.split("\f")):
            if j:
                page += 1
            # a page captured with its source's escapes keeps a literal '\r\n' where a line ended
            at = 0
            for m in _LITERAL_BREAK.finditer(part):
                out.append((pos + at, repair_syllables(part[at:m.start()]), page))
                at = m.end()
            out.append((pos + at, repair_syllables(part[at:]), page))
            pos += len(part) + 1
    return out


_LITERAL_BREAK = regex.compile(r"\\r\\n")


def _drop_page_furniture(lines: list[tuple[int, str, int]], paged: bool, npages: int) -> set[int]:
    """Indices of page numbers and running headers/footers."""
    drop: set[int] = set()
    if paged:
        by_page: dict[int, list[int]] = {}
        for i, (_, text, page) in enumerate(lines):
            if text.strip():
                by_page.setdefault(page, []).append(i)
        edges: dict[str, set[int]] = {}
        for page, idx in by_page.items():
            for i in idx[:2] + idx[-2:]:
                text = lines[i][1].strip()
                if PAGE_NUMBER.match(text):
                    drop.add(i)
                else:
                    shape = regex.sub(r"\d+", "#", text)
                    edges.setdefault(shape, set()).add(page)
        if npages >= 3:
            repeated = {s for s, pages in edges.items() if len(pages) >= max(3, 0.6 * npages)}
            for page, idx in by_page.items():
                for i in idx[:2] + idx[-2:]:
                    if regex.sub(r"\d+", "#", lines[i][1].strip()) in repeated:
                        drop.add(i)
    else:
        # a lone number between text lines, rising through the document, is a page number
        last = 0
        for i, (_, text, _) in enumerate(lines):
            t = text.strip()
            if t.isdigit() and len(t) <= 3 and last < int(t) and (last == 0 or int(t) <= last + 10):
                if _beside_cell_bar(lines, i):
                    continue  # a table cell of a portal conversion ('|' / '5' / '|'), not a page number
                drop.add(i)
                last = int(t)
    return drop


def _beside_cell_bar(lines: list[tuple[int, str, int]], i: int) -> bool:
    """Whether the nearest text line before or after line ``i`` is a lone '|' cell end."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and not lines[j][1].strip():
            j += step
        if 0 <= j < len(lines) and lines[j][1].strip() == "|":
            return True
    return False


def _to_lines(raw: RawDocument) -> list[_Line]:
    src = _source_lines(raw)
    drop = _drop_page_furniture(src, raw.paged, len(raw.page_starts))
    markdown = raw.is_markdown
    lines: list[_Line] = []
    blank = False
    for i, (offset, text, page) in enumerate(src):
        if i in drop:
            continue
        if not text.strip():
            blank = True
            if markdown and lines:
                lines[-1].hard_break = True
            continue
        if markdown:
            lines.extend(_markdown_lines(text, offset, page, blank))
        else:
            ln = _Line(_words(text, offset), page, blank_before=blank)
            if offset in raw.line_layout:
                ln.bold, ln.reach, ln.lead = raw.line_layout[offset]
                ln.heading_hint = ln.bold
            lines.append(ln)
        blank = False
    return [ln for ln in lines if ln.words]


def _markdown_lines(text: str, offset: int, page: int, blank: bool) -> list[_Line]:
    if _MD_TABLE_RULE.match(text):
        return []
    if text.lstrip().startswith("|"):
        # a table row: each cell is a line of its own (header tables hold issuer and motto)
        out = []
        pos = 0
        for cell in text.split("|"):
            if cell.strip():
                ln = _Line(_md_words(cell, offset + pos), page, blank_before=True, hard_break=True, cell=True)
                out.append(ln)
            pos += len(cell) + 1
        return out
    hard = text.endswith("  ") or text.rstrip().endswith("\\")
    heading = False
    m = _MD_HEADING.match(text)
    body_start = 0
    if m:
        heading = True
        body_start = m.end()
    body = text[body_start:].rstrip().rstrip("\\")
    core = body.strip()
    if not heading and len(core) > 4 and core[:1] in "*_" and core[-1:] in "*_":
        heading = True  # a line set entirely in bold or italics
    words = _md_words(body, offset + body_start)
    return [_Line(words, page, heading_hint=heading, hard_break=hard or heading, blank_before=blank)]


def _first_alpha(text: str) -> str:
    for c in text:
        if c.isalpha():
            return c
        if c.isdigit():
            return c
    return ""


def _stats(lines: list[_Line]) -> _Stats:
    lengths = sorted(len(ln.text) for ln in lines)
    if not lengths:
        return _Stats(width=80, unwrapped=False)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    median = lengths[len(lengths) // 2]
    blanks = sum(1 for ln in lines if ln.blank_before)
    # a converter that puts a blank line after every line says nothing with it; where blank
    # lines are rare, they mark paragraph ends
    return _Stats(width=max(width, 20), unwrapped=median > 200,
                  blank_lines_are_breaks=blanks < 0.35 * len(lines))


def _continues(prev: _Line, nxt: _Line, stats: _Stats, markdown: bool) -> bool:
    """Does ``nxt`` carry on the paragraph that ``prev`` belongs to?"""
    ntext, ptext = nxt.text, prev.text
    if prev.reach is not None:
        # … or when the next line's first word would not have fitted after it: a ragged-right
        # line is as full as the words allowed
        full_width = (prev.reach >= FULL_REACH or prev.reach + nxt.lead >= FORCED_WRAP
                      # a long line inside a block of full lines: the sentence runs on
                      or (prev.reach >= NEARLY_FULL and (nxt.reach or 0.0) >= FULL_REACH))
    else:
        full_width = len(ptext) >= FULL_CHARS * stats.width
    if SEPARATOR.match(ntext) or SEPARATOR.match(ptext):
        return False
    if MARKER.match(ntext):
        # 'Tiểu Dự án 2' + '- Dự án 1 …': a dash after a full line that ends mid-clause is a
        # hyphen of the sentence, not a bullet
        return (not markdown and not stats.unwrapped and bool(_DASH_ITEM.match(ntext))
                and full_width and bool(_DASH_JOINS.search(ptext)))
    if prev.bold is not None and nxt.bold is not None and prev.bold != nxt.bold:
        return False  # a bold heading line and body text never share a paragraph
    first = _first_alpha(ntext)
    if markdown:
        if prev.heading_hint or nxt.heading_hint:
            return False
        if first.islower() and not SENTENCE_END.search(ptext):
            return True  # a sentence cut by a stray blank line ('… phối hợp' + '' + 'với …')
        return not (prev.hard_break or nxt.blank_before)
    if stats.unwrapped:
        return first.islower()
    if first.islower() or first.isdigit() or not first:
        return True
    pcaps, ncaps = is_caps(ptext, 3), is_caps(ntext, 3)
    if pcaps != ncaps:
        return False
    if ncaps and _AUTHORITY_LINE.match(ntext) and not _CONNECTOR_END.search(ptext.lower()):
        return False  # 'ỦY BAN NHÂN DÂN TỈNH …' under a decision's title: the authority that decides
    if pcaps and MARKER.match(ptext) and not SENTENCE_END.search(ptext):
        return True  # a numbered heading in capitals wraps early: it is centred or bold
    if ptext.endswith(";"):
        # items of a run-on list ('…: 73.999 triệu đồng …);' + 'Vốn sự nghiệp: 2.557 …') stay
        # in their sentence; a new 'Căn cứ …' or a marked item still starts its own paragraph
        return not _OPENERS.match(ntext)
    if SENTENCE_END.search(ptext):
        return False
    if _CONNECTOR_END.search(ptext):
        return True  # '… của Chính phủ,' + 'Chỉ thị số …': a clause cannot end on a comma
    if not full_width:
        return False
    if stats.blank_lines_are_breaks and nxt.blank_before:
        return False
    if _OPENERS.match(ntext) and not _CONNECTOR_END.search(ptext):
        return False
    return True


_GLUE = regex.compile(r"(?:[\p{Lu}\d]-|/)$")


def normalize_layout(raw: RawDocument) -> NormText:
    """Build the normalised text of ``raw``: one logical paragraph per line."""
    lines = _to_lines(raw)
    markdown = raw.is_markdown
    stats = _stats(lines)
    out = TextBuilder()
    paragraphs: list[Paragraph] = []
    para_start = 0
    hint = cell = False
    prev: _Line | None = None
    for ln in lines:
        if prev is not None and _continues(prev, ln, stats, markdown):
            # document numbers split at a hyphen or slash ('4662/QĐ-' + 'UBND') rejoin whole
            sep = "" if _GLUE.search(prev.words[-1][0]) and ln.words[0][0][:1].isupper() else " "
            out.add(sep, None)
        else:
            if prev is not None:
                paragraphs.append(Paragraph(para_start, len(out), hint, cell))
                out.add("\n", None)
            para_start = len(out)
            hint = ln.heading_hint
            cell = ln.cell
        for k, (w, src) in enumerate(ln.words):
            if k:
                out.add(" ", None)
            out.add(w, src)
        prev = ln
    if prev is not None:
        paragraphs.append(Paragraph(para_start, len(out), hint, cell))
    return NormText(text=out.text(), norm_starts=out.norm_starts, src_starts=out.src_starts,
                    page_starts=raw.page_starts, paged=raw.paged, paragraphs=paragraphs)
