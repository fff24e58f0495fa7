"""PDF files: the text layer page by page (pdfplumber), OCR for the pages without a usable one.

Each page is read on its own: a damaged page loses itself with a warning, not the document; a
page whose text layer is missing, broken or not Vietnamese goes to OCR (``page_needs_ocr``).
Lines keep their PDF layout — set in bold, how far across the text block they reach, how wide
their first word is — for the layout stage to tell headings and wrapped lines apart.
"""
from __future__ import annotations

import dataclasses

import regex

from kehoach.models.records import RawDocument, Table, TableCell
from kehoach.normalizers.encodings import from_tcvn3, from_vni, is_capitals_font, repair_mojibake, to_latin1
from kehoach.normalizers.text import match_key, vietnamese_ratio
from kehoach.pipeline.readers.pdf_backend import TextLayer
from kehoach.pipeline.readers.limits import IngestError, Limits

# A page whose text layer has fewer letters than this is treated as an image.
MIN_PAGE_LETTERS = 25
MIN_VIETNAMESE_RATIO = 0.08
# A line is bold when this share of its characters are set in a bold font.
BOLD_SHARE = 0.9


def page_needs_ocr(text: str) -> str | None:
    """Why a page's text layer cannot be used (None: it can)."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_PAGE_LETTERS:
        return "no text layer"
    broken = text.count("(cid:") * 6 + text.count("\ufffd") + sum(1 for c in text if "\ue000" <= c <= "\uf8ff")
    if broken > 0.02 * max(1, len(text)):
        return "broken font encoding"
    if letters >= 150 and vietnamese_ratio(text) < MIN_VIETNAMESE_RATIO:
        return "text layer without Vietnamese diacritics"
    return None


def _page_text(lines: list[dict], offset: int, layout: dict[int, tuple[bool, float, float]]) -> str:
    """The page's text, one line per text line, recording each line's weight and reach."""
    if not lines:
        return ""
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    width = max(right - left, 1.0)
    out = []
    pos = offset
    for ln in lines:
        text = ln["text"]
        chars = [c for c in ln.get("chars", ()) if not c["text"].isspace()]
        bold = bool(chars) and sum("bold" in c.get("fontname", "").lower() for c in chars) >= BOLD_SHARE * len(chars)
        first_word = text.split(" ", 1)[0]
        lead = (chars[len(first_word) - 1]["x1"] - ln["x0"]) / width if 0 < len(first_word) <= len(chars) else 0.0
        layout[pos] = (bold, (ln["x1"] - left) / width, lead)
        out.append(text)
        pos += len(text) + 1
    return "\n".join(out)


# A page is searched for tables when it draws ruling lines, or when its text announces one
MIN_RULINGS = 6
# a budget table's unit note: only then are text-aligned tables looked for (the text strategy is slow)
_TABLE_CUES = ("đơn vị tính", "đvt")


@dataclasses.dataclass
class PageTable:
    """A table as its page shows it, before a table that runs on over pages is joined into one."""
    rows: list[list[str]]
    page: int  # 1-based, its first page
    last_page: int = 0  # its last page once joined (0: ``page``)
    ruled: bool = True
    text_above: bool = False  # words above it on its page (a caption, a unit note), page numbers aside
    text_below: bool = False  # words below it on its (last) page
    # where each cell's text starts in the document's text, when the reader knows (an OCR'd
    # page's table writes its cells itself); None: the cells are searched for in reading order
    starts: list[list[int]] | None = None

    @property
    def end_page(self) -> int:
        return self.last_page or self.page


def _pdf_tables(pdf: TextLayer, index: int, page_text: str, lines: list[dict]) -> list[PageTable]:
    """The tables of a page, by pdfplumber's table finder: ruled tables where the page draws
    lines, text-aligned ones where it only announces a table ('Đơn vị tính', 'STT'). Cells are
    placed in the text later (their text is searched in reading order)."""
    key = match_key(page_text)
    ruled = pdf.rulings(index) >= MIN_RULINGS
    if not ruled and not any(c in key for c in _TABLE_CUES):
        return []
    out = []
    for found in pdf.found_tables(index, ruled=ruled):
        rows = [[" ".join((cell or "").split()) for cell in raw_row] for raw_row in found.rows]
        rows = [r for r in rows if any(r)]
        width = max((len(r) for r in rows), default=0)
        above = any(_words(ln) and ln["bottom"] <= found.top for ln in lines)
        below = any(_words(ln) and ln["top"] >= found.bottom for ln in lines)
        # a text-aligned 'table' is kept only when it looks like one: three columns or more, two of
        # them mostly numbers; otherwise it is prose the finder cut into pieces. A ruled one of a
        # single row at the top of a page may be the last row of a table run on from the page before.
        if (len(rows) >= 2 or (ruled and rows and not above)) and \
                (ruled or (width >= 3 and len(rows) >= 3 and _numeric_columns(rows) >= 2)):
            out.append(PageTable(rows, index + 1, ruled=ruled, text_above=above, text_below=below))
    return out


# a page number printed above or below the text: '2', '- 2 -', 'Trang 2', '2/5'
_PAGE_NUMBER = regex.compile(r"^[\s\-–—]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[\s\-–—]*$", regex.IGNORECASE)


def _words(line: dict) -> bool:
    """A line that says something: not blank, not a page number."""
    text = line["text"].strip()
    return bool(text) and not _PAGE_NUMBER.match(text)


# the rows at the top of a table that may be its header, repeated on the pages it runs on to
MAX_HEADER_ROWS = 4
# a row that numbers the columns under the header: '1 | 2 | 3', '(1) | (2) | (3)', 'A | B | 1'
_COLUMN_NUMBER = regex.compile(r"^\(?\s*(?:\d{1,2}|[A-Z])\s*\)?$")
_NUMBER_CELL = regex.compile(r"^[-+]?\d[\d.,\s]*%?$")
# a row's number: '31', '1.2', 'II', 'a', '-' (a body row, not a header)
_ROW_NUMBER = regex.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.?|[a-zđA-HĐ][.)]?|[-+*])$")


def _row_key(row: list[str]) -> tuple[str, ...]:
    """A row compared as a repeated header: without spaces and the parentheses of '(1)'."""
    return tuple("".join(c.split()).strip("()") for c in row)


# two OCR readings of one header row differ in at most this share of their characters
OCR_HEADER_DIFFERENCE = 0.25


def _alike(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two readings of one row by OCR: the same cells filled, their texts nearly the same."""
    from kehoach.normalizers.text import edit_distance

    if len(a) != len(b) or [bool(x) for x in a] != [bool(y) for y in b]:
        return False
    joined_a, joined_b = "|".join(a).lower(), "|".join(b).lower()
    return edit_distance(joined_a, joined_b) <= OCR_HEADER_DIFFERENCE * max(len(joined_a), len(joined_b), 1)


def _column_numbers(row: list[str]) -> bool:
    cells = [c for c in row if c.strip()]
    return len(cells) >= 2 and all(_COLUMN_NUMBER.match(c.strip()) for c in cells)


def _looks_like_header(row: list[str]) -> bool:
    """A row that heads a table of its own: words in most cells and no number, or the columns'
    numbers; not a body row ('31 | Dự án … | 820 | …') nor the rest of one cut by the page end."""
    cells = [c for c in row if c.strip()]
    if _column_numbers(row):
        return True
    if len(cells) < max(2, len(row) / 2):
        return False
    return not _ROW_NUMBER.match(row[0].strip()) and not any(_NUMBER_CELL.match(c.strip()) for c in cells)


def continuation(prev: PageTable, nxt: PageTable) -> int | None:
    """How many of ``nxt``'s top rows repeat ``prev``'s header when ``nxt`` continues ``prev`` on
    the next page; None when it is a table of its own.

    A browser or a word processor breaks a long table at the page end and, by choice, repeats its
    header rows (or only the row numbering its columns) at the top of the next page. The pages' two
    tables are one when nothing but a page number stands between them — a caption or a unit note
    above the second starts a new table, and so does text below the first — they have the same
    columns, and the second's top rows are the first's header or no header at all."""
    if not (prev.ruled and nxt.ruled) or nxt.page != prev.end_page + 1 or prev.text_below or nxt.text_above:
        return None
    width = max(len(r) for r in prev.rows)
    if not nxt.rows or max(len(r) for r in nxt.rows) != width:
        return None
    head = [_row_key(r) for r in prev.rows[:MAX_HEADER_ROWS]]
    # an OCR'd page reads the repeated header a little differently each time ('Tổng mức đầu tư',
    # 'Tổng mức đẩutƯ'): there the rows need only be alike
    same = _alike if nxt.starts is not None else (lambda a, b: a == b)
    repeated, j = 0, 0
    while repeated < len(nxt.rows) and j < len(head):  # the header's rows in order, some left out
        if same(_row_key(nxt.rows[repeated]), head[j]):
            repeated += 1
        j += 1
    if repeated == 0 and _looks_like_header(nxt.rows[0]):
        return None
    return repeated


def join_continued(found: list[PageTable]) -> list[PageTable]:
    """The tables of a document, those that run on over pages each joined into one: its rows
    appended, the repeated header left out."""
    out: list[PageTable] = []
    for table in found:
        drop = continuation(out[-1], table) if out else None
        if drop is None:
            out.append(dataclasses.replace(table))
            continue
        prev = out[-1]
        if prev.starts is not None and table.starts is not None:
            prev.starts = prev.starts + table.starts[drop:]
        else:
            prev.starts = None
        prev.rows = prev.rows + table.rows[drop:]
        prev.last_page, prev.text_below = table.end_page, table.text_below
    return out


def _as_table(found: PageTable, text: str = "") -> Table:
    # a text layer's cells have no source offsets: they are searched for in reading order from
    # the table's first page, so the rows of the pages it runs on to are found on those pages.
    # An OCR'd table's cells have theirs, kept while the text still holds the cell there (a
    # heading numeral repaired after OCR may have moved a row: it is searched for then).
    if found.starts is None:
        return Table([[TableCell(c, -1) for c in row] for row in found.rows], found.page)
    return Table([[TableCell(c, at if at >= 0 and text[at:at + len(c)] == c else -1)
                   for c, at in zip(row, starts)] for row, starts in zip(found.rows, found.starts)], found.page)


_NUMERIC = regex.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d+)?$")


def _numeric_columns(rows: list[list[str]]) -> int:
    width = max(len(r) for r in rows)
    count = 0
    for k in range(width):
        cells = [r[k] for r in rows[1:] if k < len(r) and r[k]]
        if cells and sum(bool(_NUMERIC.match(c)) for c in cells) >= 0.7 * len(cells):
            count += 1
    return count


def read_pdf(data: bytes, path: str, digest: str, ocr: bool = True, limits: Limits | None = None) -> RawDocument:
    limits = limits or Limits.from_env()
    pdf = TextLayer(data)  # a PdfError for a file it cannot open is an IngestError
    pages, plain, warnings, tables = [], [], [], []
    with pdf:
        limits.check_pages(pdf.page_count)
        for i in range(pdf.page_count):
            limits.check_time(f"reading page {i + 1} of {pdf.page_count}")
            page = pdf.page(i)
            if page.warning:
                warnings.append(page.warning)
            pages.append(page.lines)
            plain.append(page.text)
            tables.extend(_pdf_tables(pdf, i, page.text, page.lines))
            pdf.release(i)
    legacy = _legacy_encoding(plain)
    if legacy:
        for lines in pages:
            _convert_lines(lines, legacy)
        plain = ["\n".join(ln["text"] for ln in lines) for lines in pages]
        warnings.append(f"text layer in the legacy {legacy.upper()} encoding, converted to Unicode")
    reasons = {i: r for i, r in enumerate((page_needs_ocr(t) for t in plain), start=1) if r}
    ocred = ocr_or_error(data, digest, sorted(reasons), warnings, limits) if ocr and reasons else {}
    repair_numbering(ocred)
    return _assemble(path, digest, data, pages, plain, reasons, ocred, warnings, tables)


def repair_numbering(ocred: dict) -> None:
    """The roman headings of the OCR'd pages, numbered as their sequence calls for."""
    from kehoach.pipeline.readers.ocr import repair_heading_sequence

    order = sorted(p for p, page in ocred.items() if page.text)
    for p, text in zip(order, repair_heading_sequence([ocred[p].text for p in order])):
        ocred[p] = dataclasses.replace(ocred[p], text=text)


def _legacy_encoding(plain: list[str]) -> str | None:
    """'tcvn3' or 'vni' when the text layer is legacy-encoded text shown as Latin-1 letters."""
    found = repair_mojibake("\n".join(plain)[:30000])
    return found.encoding if found else None


def _convert_lines(lines: list[dict], encoding: str) -> None:
    convert = from_tcvn3 if encoding == "tcvn3" else from_vni
    for ln in lines:
        text = convert(to_latin1(ln["text"]) or ln["text"])
        fonts = [c.get("fontname", "") for c in ln.get("chars", ()) if not c["text"].isspace()]
        # a line set in a capitals font (.VnTimeH) carries lower-case codes
        if fonts and sum(is_capitals_font(f) for f in fonts) >= BOLD_SHARE * len(fonts):
            text = text.upper()
        ln["text"] = text


def _assemble(path, digest, data, pages, plain, reasons, ocred, warnings, tables) -> RawDocument:  # noqa: ANN001
    texts, methods, starts, needing_ocr = [], [], [], []
    layout: dict[int, tuple[bool, float, float]] = {}
    offset = 0
    for i, lines in enumerate(pages, start=1):
        starts.append(offset)
        if i in ocred:
            text = ocred[i].text
            methods.append({"page": i, "method": ocred[i].method, "confidence": ocred[i].confidence,
                            "reason": reasons[i]})
        else:
            text = _page_text(lines, offset, layout) if i not in reasons else plain[i - 1]
            methods.append({"page": i, "method": "text", "reason": reasons.get(i)})
            if i in reasons:
                needing_ocr.append(i)
        texts.append(text)
        offset += len(text) + 1
    if ocred and sum(1 for t in texts for c in t if c.isalpha()) < MIN_PAGE_LETTERS:
        if all(p.method == "blank" for p in ocred.values()) and len(ocred) == len(pages):
            raise IngestError("no_text", f"all {len(pages)} pages are blank: nothing to read")
        raise IngestError("no_text", f"no readable text: the {len(pages)} pages have no text layer and OCR found none")
    if needing_ocr and len(needing_ocr) == len(pages):
        why = next((w for w in warnings if "OCR unavailable" in w), "")
        raise IngestError("needs_ocr", f"no page of {len(pages)} has a usable text layer; the document needs OCR"
                          + (f" ({why})" if why else ""))
    tables = _document_tables(tables, ocred, starts, "\f".join(texts))
    blank = [m["page"] for m in methods if m["method"] == "blank"]
    if blank:
        warnings.append(f"blank pages (not sent to OCR): {_ranges(blank)}")
    doc = RawDocument(path=path, sha256=digest, format="pdf", size_bytes=len(data),
                      text="\f".join(texts), page_starts=starts, paged=True,
                      pages_needing_ocr=needing_ocr, warnings=warnings, line_layout=layout,
                      page_methods=methods, tables=tables)
    if needing_ocr:
        doc.warnings.append(f"pages without a usable text layer (need OCR): {needing_ocr}")
    return doc


def _document_tables(found: list[PageTable], ocred: dict, starts: list[int], text: str) -> list[Table]:
    """The document's tables: the text layer's and the OCR'd pages' in page order, those that run
    on over pages joined."""
    found = [t for t in found if t.page not in ocred]  # a broken text layer's 'tables' are not read
    for p in sorted(ocred):
        for t in ocred[p].tables:
            found.append(PageTable(t.rows, p, ruled=True, text_above=t.text_above, text_below=t.text_below,
                                   starts=[[starts[p - 1] + at if at >= 0 else -1 for at in row] for row in t.starts]))
    found.sort(key=lambda t: t.page)
    tables = [_as_table(t, text) for t in join_continued(found) if len(t.rows) >= 2]
    for table in tables:  # cells without an offset are searched for from the start of their page
        table.source_start = starts[table.page - 1]
    return tables


def _ranges(pages: list[int]) -> str:
    out, start = [], None
    for i, p in enumerate(pages):
        if start is None:
            start = p
        if i + 1 == len(pages) or pages[i + 1] != p + 1:
            out.append(f"{start}" if start == p else f"{start}–{p}")
            start = None
    return ", ".join(out)


def ocr_or_error(data: bytes, digest: str, pages: list[int], warnings: list[str], limits: Limits,
                 kind: str = "pdf") -> dict:
    """OCR of ``pages``; no engine is a warning (the caller decides), time running out an error."""
    from kehoach.pipeline.readers.ocr import OcrTimeout, OcrUnavailable, ocr_pages

    try:
        return ocr_pages(data, digest, pages, kind=kind, deadline=limits.deadline)
    except OcrUnavailable as exc:
        warnings.append(f"OCR unavailable: {exc}")
        return {}
    except OcrTimeout as exc:
        raise IngestError("timeout", f"gave up after {limits.max_seconds:g} s: {exc} "
                          "(KEHOACH_MAX_SECONDS or --max-seconds)") from exc

