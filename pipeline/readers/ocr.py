"""OCR of scanned pages with Tesseract's Vietnamese model, page by page, on every core.

Why pytesseract and not OCRmyPDF: kehoach needs the text and a confidence per page, not a new
PDF; pytesseract's ``image_to_data`` gives both in one Tesseract call per page, while OCRmyPDF
would rasterise, OCR and then rebuild a PDF whose text layer we would read back. Pages are
rendered with pypdfium2 (already there for pdfplumber) and recognised in a process pool, one
Tesseract thread each (OMP_THREAD_LIMIT=1), so the cores are not oversubscribed. Results are
cached on disk by (document sha256, page, engine version and settings): a re-run does not OCR
again.
"""
from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable

import regex

from kehoach.catalogs import load

# Pages are rendered at the resolution of their scanned image, kept within these bounds; with
# no image to go by, at DEFAULT_DPI. Measured on the scan fixtures (docs/ocr.md): rendering a
# 200 dpi scan at 300 dpi costs 35% more time and reads no better.
MIN_DPI, MAX_DPI, DEFAULT_DPI = 200, 400, 300
LANG = "vie"
PSM = 4  # one column of text of varying sizes: the body of a plan
# how words become lines (2: the header's and signature's columns read apart; 6: tables rebuilt on
# their grid, their rules painted out before OCR); cached text of another is stale
TEXT_LAYOUT = 6
OCR_WORKERS_ENV = "KEHOACH_OCR_WORKERS"  # processes for one document's pages (default: every core)
SETTINGS_VERSION = "5"  # 3: deskew; 4: item numbers read with a comma; 5: resolution found again, blank pages


@dataclass
class OcrTable:
    """A table of an OCR'd page (``readers.ocr_tables``): its rows of cell texts and where each
    cell's text starts in the page's text (-1: an empty cell)."""
    rows: list[list[str]]
    starts: list[list[int]]
    text_above: bool = False  # words above it on its page (a caption, a unit note), page numbers aside
    text_below: bool = False


@dataclass
class OcrPage:
    page: int  # 1-based
    text: str
    confidence: float | None  # mean word confidence, 0-100
    method: str = "tesseract"
    tables: list[OcrTable] = field(default_factory=list)

    def __post_init__(self) -> None:
        # read back from the cache as plain dicts
        self.tables = [t if isinstance(t, OcrTable) else OcrTable(**t) for t in self.tables]


class OcrUnavailable(RuntimeError):
    pass


@cache
def tesseract_version() -> str:
    import pytesseract

    if not shutil.which("tesseract"):
        raise OcrUnavailable("tesseract is not installed (Debian packages tesseract-ocr tesseract-ocr-vie)")
    try:
        langs = pytesseract.get_languages(config="")
    except Exception as exc:  # noqa: BLE001
        raise OcrUnavailable(f"tesseract does not run: {exc}") from exc
    if LANG not in langs:
        raise OcrUnavailable("Tesseract's Vietnamese model is missing (Debian package tesseract-ocr-vie)")
    return str(pytesseract.get_tesseract_version())


def _cache_dir() -> Path:
    root = os.environ.get("KEHOACH_OCR_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kehoach", "ocr")
    return Path(root)


def _cache_key(sha256: str, page: int) -> str:
    settings = (f"{sha256}|{page}|tesseract {tesseract_version()}|{LANG}|psm{PSM}|dpi{MIN_DPI}-{MAX_DPI}"
                f"|text{TEXT_LAYOUT}"
                f"|v{SETTINGS_VERSION}")
    return hashlib.sha256(settings.encode()).hexdigest()


def _from_cache(key: str) -> OcrPage | None:
    path = _cache_dir() / key[:2] / f"{key}.json"
    try:
        return OcrPage(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _to_cache(key: str, page: OcrPage) -> None:
    path = _cache_dir() / key[:2] / f"{key}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(page), ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs time


@dataclass
class _Segment:
    """Words of one OCR line that stand together, with their horizontal extent."""
    words: list[str]
    left: int
    right: int
    index: list[int]  # the words' rows in Tesseract's data


# a gap between two words wider than this many line heights parts two columns ('Nơi nhận:' list
# | 'TM. ỦY BAN NHÂN DÂN'; 'ỦY BAN NHÂN DÂN' | 'CỘNG HÒA XÃ HỘI …')
COLUMN_GAP_HEIGHTS = 3.0
# the header is among a page's first lines; the signature block opens with 'Nơi nhận'
HEADER_LINES = 10
MAX_ZONE_SEGMENTS = 4
_SIGNATURE_OPEN = regex.compile(r"^(?:Nơi|N[oơ]i)\s+nh[ậa]n", regex.IGNORECASE)


def _lines_from_data(data: dict, first_page: bool = True) -> tuple[str, float | None]:
    """The page's text from Tesseract's words (a page without tables: see ``_page_from_data``)."""
    text, conf, _ = _page_from_data(data, first_page)
    return text, conf


def _page_from_data(data: dict, first_page: bool = True, grids: list | None = None
                    ) -> tuple[str, float | None, list[OcrTable]]:
    """The page's text and tables from Tesseract's words. Lines keep Tesseract's order, except in
    the two places where a plan sets two columns side by side — the header (issuer | motto, number
    | place and date) and the signature block (recipients | signer): there each column is read top
    to bottom by the words' positions, so the columns do not interleave line by line. The words
    inside a table's grid (``ocr_tables``) are its cells: the table is written where it stands,
    one line a row, its cells in order, and each cell's place in the text is kept. Tesseract's
    slips are repaired line by line outside tables, in a cell within it."""
    from kehoach.pipeline.readers import ocr_tables

    grids = grids or []
    in_grid = ocr_tables.words_in_grids(data, grids) if grids else {}
    lines: dict[tuple[int, int, int], list[int]] = {}
    confs = []
    for i, word in enumerate(data["text"]):
        if not (word or "").strip():
            continue
        conf = float(data["conf"][i])
        if conf >= 0:
            confs.append(conf)
        if i in in_grid:
            continue
        lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    ordered = [sorted(idx, key=lambda i: data["left"][i]) for _, idx in sorted(lines.items())]
    segments = [_segments(data, idx) for idx in ordered]
    width = _text_width(segments)
    out: list[str] = []
    tables: list[OcrTable] = []
    pending = list(range(len(grids)))
    offset = 0

    def emit(line: str, repair: bool = True) -> None:
        nonlocal offset
        line = repair_ocr_text(line) if repair else line
        out.append(line)
        offset += len(line) + 1

    def emit_tables(before: float | None) -> None:
        """The tables whose top stands above ``before`` (None: all that are left)."""
        while pending and (before is None or grids[pending[0]].top <= before):
            g = pending.pop(0)
            words = [i for i, k in in_grid.items() if k == g]
            rows = ocr_tables.grid_rows(data, grids[g], words)
            rows = [r for r in rows if any(r)]
            if not rows:
                continue
            starts = []
            for row in rows:
                line, at = "", []
                for cell in row:
                    if not cell:
                        at.append(-1)
                        continue
                    line += " " if line else ""
                    at.append(offset + len(line))
                    line += cell
                starts.append(at)
                emit(line, repair=False)
            tables.append(OcrTable(rows, starts))
            tables[-1].text_above = any(_says_something(ln) for ln in out[:len(out) - len(rows)])
            table_end[id(tables[-1])] = len(out)

    table_end: dict[int, int] = {}
    k = 0
    while k < len(segments):
        emit_tables(min(data["top"][i] for seg in segments[k] for i in seg.index))
        zone = _two_column_zone(segments, k, first_page, width)
        if zone:
            for line in _read_columns(data, segments[k:k + zone], width):
                emit(line)
            k += zone
        else:
            emit(" ".join(w for seg in segments[k] for w in seg.words))
            k += 1
    emit_tables(None)
    for t in tables:
        t.text_below = any(_says_something(ln) for ln in out[table_end[id(t)]:])
    conf = round(sum(confs) / len(confs), 1) if confs else None
    return "\n".join(out), conf, tables


# a page number printed above or below the text: '2', '- 2 -', 'Trang 2', '2/5'
_PAGE_NUMBER = regex.compile(r"^[\s\-–—]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[\s\-–—]*$", regex.IGNORECASE)


def _says_something(line: str) -> bool:
    """A line with words: not blank, not a page number, not a speck read as a letter or two."""
    return len(line.strip()) > 2 and not _PAGE_NUMBER.match(line)


def _segments(data: dict, idx: list[int]) -> list[_Segment]:
    heights = sorted(data["height"][i] for i in idx)
    gap = COLUMN_GAP_HEIGHTS * max(heights[len(heights) // 2], 1)
    out: list[_Segment] = []
    for i in idx:
        left, right = data["left"][i], data["left"][i] + data["width"][i]
        if out and left - out[-1].right <= gap:
            out[-1].words.append(data["text"][i].strip())
            out[-1].right = right
            out[-1].index.append(i)
        else:
            out.append(_Segment([data["text"][i].strip()], left, right, [i]))
    return out


def _two_column_zone(segments: list[list[_Segment]], k: int, first_page: bool, width: float) -> int:
    """How many lines from ``k`` on form a header (the first page's top) or a signature block set
    in two columns (0: none)."""
    first = " ".join(segments[k][0].words)
    signature = bool(_SIGNATURE_OPEN.match(first))
    header = first_page and k < HEADER_LINES
    if not (header or signature) or (len(segments[k]) == 1 and _is_body_line(segments[k][0], width)):
        return 0
    n = 0
    while k + n < len(segments) and (signature or k + n < HEADER_LINES):
        line = segments[k + n]
        # a line across both columns ends the zone; a stamp or a signature scrawl may add specks
        if n and (len(line) > MAX_ZONE_SEGMENTS or (len(line) == 1 and _is_body_line(line[0], width))):
            break
        n += 1
    two = sum(len(line) == 2 for line in segments[k:k + n])
    return n if two >= 2 else 0


def _text_width(segments: list[list[_Segment]]) -> float:
    """How wide the page's text runs, from its leftmost to its rightmost word."""
    lefts = [line[0].left for line in segments if line]
    rights = [line[-1].right for line in segments if line]
    return (max(rights) - min(lefts)) if lefts else 1


def _is_body_line(seg: _Segment, width: float) -> bool:
    """A line that runs across both columns: body text, not a column's line."""
    return seg.right - seg.left > 0.6 * (width or 1)


def _read_columns(data: dict, lines: list[list[_Segment]], width: float) -> list[str]:
    """The zone's words column by column, each column's lines rebuilt from the words' heights
    (Tesseract may join a recipient line and the signer's line, or two recipient lines, when the
    page is a little askew); a fragment of body text running across both columns comes first."""
    splits = sorted((line[0].right + line[-1].left) / 2 for line in lines if len(line) == 2)
    split = splits[len(splits) // 2]
    body = [seg for line in lines for seg in line if seg.left < split < seg.right and _is_body_line(seg, width)]
    columns: tuple[list[int], list[int]] = ([], [])
    for line in lines:
        for seg in line:
            if seg in body:
                continue
            for i in seg.index:
                columns[data["left"][i] + data["width"][i] / 2 > split].append(i)
    out = [" ".join(seg.words) for seg in body]
    for words in columns:
        out.extend(_rebuild_lines(data, words))
    return out


def _rebuild_lines(data: dict, words: list[int]) -> list[str]:
    rows: list[list[int]] = []
    for i in sorted(words, key=lambda i: data["top"][i] + data["height"][i] / 2):
        middle = data["top"][i] + data["height"][i] / 2
        last = rows[-1] if rows else None
        if last and abs(middle - _middle(data, last)) <= 0.5 * max(data["height"][j] for j in last):
            last.append(i)
        else:
            rows.append([i])
    return [" ".join(data["text"][i].strip() for i in sorted(row, key=lambda i: data["left"][i])) for row in rows]


def _middle(data: dict, row: list[int]) -> float:
    return sum(data["top"][i] + data["height"][i] / 2 for i in row) / len(row)


def deskew_angle(image, max_angle: float = 4.0, step: float = 0.25) -> float:
    """The rotation (degrees) that makes text lines horizontal: the angle whose row profile of
    dark pixels is sharpest, searched on a reduced copy of the page."""
    import numpy as np
    from PIL import Image

    small = image.convert("L")
    small.thumbnail((900, 900))
    ink = Image.fromarray((np.asarray(small) < 150).astype(np.uint8) * 255)
    best, best_score = 0.0, -1.0
    angle = -max_angle
    while angle <= max_angle + 1e-9:
        rows = np.asarray(ink.rotate(angle, resample=Image.NEAREST, fillcolor=0), dtype=np.float32).sum(axis=1)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = angle, score
        angle += step
    return best


# A page is blank when, seen small (where a speck of dust averages away), fewer than BLANK_INK
# of its pixels are dark: a scanner left running, the back of a sheet.
BLANK_INK = 0.002
DARK = 160


BLANK_CHECK_DPI = 40  # about 330 px across an A4 page


def ink_coverage(image) -> float:  # noqa: ANN001 - a PIL image
    """Share of dark pixels of ``image`` reduced to about BLANK_CHECK_DPI."""
    import numpy as np

    small = image.convert("L")
    small.thumbnail((330, 470))
    return float((np.asarray(small) < DARK).mean())


class _Document:
    """The document whose pages this process reads: opened once per worker, not once a page
    (a task carries a page number, not the file's bytes)."""

    def __init__(self, kind: str, data: bytes):
        self.kind, self.data = kind, data
        self._raster = None

    def raster(self):  # noqa: ANN201
        from kehoach.pipeline.readers.pdf_backend import Raster

        if self._raster is None:
            self._raster = Raster(self.data)
        return self._raster

    def close(self) -> None:
        if self._raster is not None:
            self._raster.close()
            self._raster = None

    def is_blank(self, index: int) -> bool:
        """Is the page white? A PDF page is looked at rendered small: a blank scan costs milliseconds."""
        if self.kind != "pdf":
            return ink_coverage(self.image(index)) < BLANK_INK
        return ink_coverage(self.raster().render(index, BLANK_CHECK_DPI)) < BLANK_INK

    def image(self, index: int):  # noqa: ANN201 - a PIL image in grey at its scanned resolution
        from PIL import Image

        if self.kind == "pdf":
            dpi = self.raster().native_dpi(index) or DEFAULT_DPI
            return self.raster().render(index, min(MAX_DPI, max(MIN_DPI, dpi)))
        image = Image.open(io.BytesIO(self.data))
        image.seek(index)
        dpi = (image.info.get("dpi") or (0, 0))[0]
        image = image.convert("L")
        if dpi and dpi > MAX_DPI:  # a 600 dpi scan reads no better than a 300 dpi one, and slower
            scale = DEFAULT_DPI / dpi
            image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
        return image


_open: "_Document | None" = None
_deadline: float | None = None  # the document's, as time.monotonic(): Tesseract is not given longer


def _open_document(kind: str, data: bytes, deadline: float | None = None) -> None:
    global _open, _deadline
    if _open is not None:
        _open.close()
    _open = _Document(kind, data)
    _deadline = deadline


class TesseractTimeout(RuntimeError):
    """Tesseract was still on a page when the document's time ran out (it was stopped)."""


def _ocr_one(index: int) -> OcrPage:
    """OCR page ``index`` (0-based) of the document this process has open."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import pytesseract

    if _open.is_blank(index):
        return OcrPage(page=index + 1, text="", confidence=None, method="blank")
    image = _open.image(index)
    angle = deskew_angle(image)
    if abs(angle) >= 0.5:  # a slant Tesseract's layout analysis would cut into columns
        from PIL import Image

        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    from kehoach.pipeline.readers import ocr_tables

    h_rules, v_rules, rule_mask, size = ocr_tables.find_rulings(image)
    grids = ocr_tables.find_grids(h_rules, v_rules, size)
    if grids:  # Tesseract reads rules as '|' and 'l' and breaks its lines at them
        image, grids = ocr_tables.prepare(image, rule_mask, grids)
    # pytesseract kills Tesseract after ``timeout`` seconds (0: none) and says so in a RuntimeError
    timeout = max(1.0, _deadline - time.monotonic()) if _deadline is not None else 0
    try:
        result = pytesseract.image_to_data(image, lang=LANG, config=f"--oem 1 --psm {PSM}",
                                           output_type=pytesseract.Output.DICT, timeout=timeout)
    except RuntimeError as exc:
        if "timeout" not in str(exc).lower():
            raise
        raise TesseractTimeout(f"Tesseract stopped on page {index + 1} after {timeout:.0f} s") from exc
    if grids:
        remaining = max(1.0, _deadline - time.monotonic()) if _deadline is not None else 0
        ocr_tables.reread_empty_cells(image, grids, result, LANG, timeout=remaining)
    text, conf, tables = _page_from_data(result, first_page=index == 0, grids=grids)
    return OcrPage(page=index + 1, text=text, confidence=conf, tables=tables)


class OcrTimeout(RuntimeError):
    """The document's time ran out; ``done`` holds the pages recognised before it did."""

    def __init__(self, done: dict[int, OcrPage], message: str):
        super().__init__(message)
        self.done = done


def ocr_pages(data: bytes, sha256: str, pages: list[int], workers: int | None = None, kind: str = "pdf",
              deadline: float | None = None) -> dict[int, OcrPage]:
    """OCR the 1-based ``pages`` of ``data`` (a PDF, or the frames of an image file); cached pages
    are not recognised again, blank ones not at all. Past ``deadline`` (a ``time.monotonic()``
    value) no page is started and ``OcrTimeout`` is raised."""
    tesseract_version()
    out: dict[int, OcrPage] = {}
    todo = []
    for p in pages:
        cached = _from_cache(_cache_key(sha256, p))
        if cached is not None:
            out[p] = cached
        else:
            todo.append(p)
    if not todo:
        return out
    # inside a document worker of ``kehoach extract -j`` the cores are already taken
    workers = workers or int(os.environ.get(OCR_WORKERS_ENV) or 0) or min(len(todo), os.cpu_count() or 1)
    if multiprocessing.current_process().daemon:
        # a daemonic process (the document worker of a one-file `kehoach extract`, a Dask worker)
        # may not start processes: its pages are read here, one after another
        workers = 1
    queue = [p - 1 for p in todo]

    def keep(r: OcrPage) -> None:
        _to_cache(_cache_key(sha256, r.page), r)
        out[r.page] = r

    def late() -> bool:
        return deadline is not None and time.monotonic() > deadline

    try:
        _run(kind, data, queue, workers, deadline, keep, late)
    except TesseractTimeout as exc:
        raise OcrTimeout(out, f"OCR stopped with {len(queue) + 1} of {len(pages)} pages not read ({exc})") from exc
    if queue:
        raise OcrTimeout(out, f"OCR stopped with {len(queue)} of {len(pages)} pages not read")
    return out


def _run(kind: str, data: bytes, queue: list[int], workers: int, deadline: float | None,
         keep: Callable[[OcrPage], None], late: Callable[[], bool]) -> None:
    if workers == 1:
        _open_document(kind, data, deadline)
        try:
            while queue and not late():
                keep(_ocr_one(queue.pop(0)))
        finally:
            _open.close()
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_open_document,
                                 initargs=(kind, data, deadline)) as pool:
            # two pages in flight per worker at most, so that a deadline stops the work within seconds
            running: set = set()
            while queue or running:
                while queue and len(running) < 2 * workers and not late():
                    running.add(pool.submit(_ocr_one, queue.pop(0)))
                if not running:
                    break
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    keep(fut.result())


# --- what Tesseract gets wrong in this genre -------------------------------------------------

# a digit group cut by a space ('1 291 615', '1. 291.615') or written with commas ('1,291,615')
_SPACED_GROUPS = regex.compile(
    r"(?<![\d.,])(\d{1,3})(?:[ ][.,]?[ ]?|[.,][ ])(\d{3})(?:(?:[ ]?[.,][ ]?|[ ])(\d{3}))?(?=\s*(?:triệu|tỷ|nghìn|ngàn|đồng))"
    r"|(?<![\d.,])(\d{1,3}),(\d{3}),(\d{3})(?![\d,])")
_ROMAN_CONFUSION = load("document")["ocr_roman_confusions"]  # 'Il' for 'II', 'V1' for 'VI' ...
_NUMBER_COMMA = regex.compile(r"^(\d{1,2}(?:\.\d{1,2})*),(?=\s+\p{Lu})", regex.MULTILINE)  # '5, Tiếp tục' for '5. Tiếp tục'
_HEADING_START = regex.compile(r"^(?P<mark>[IlV1]{1,4})(?P<sep>\s*[.,]\s+)(?=\p{Lu}{2})", regex.MULTILINE)


def repair_ocr_text(text: str) -> str:
    """Repair Tesseract's slips that break extraction: digit groups and roman numerals of headings.

    '1. 291.615 triệu' / '1,291,615 triệu' / '1 291 615 triệu' become '1.291.615 triệu'; an
    'Il. NỘI DUNG' or 'V1, TỔ CHỨC' heading becomes 'II. NỘI DUNG', 'VI. TỔ CHỨC', and an item
    number read with a comma ('5, Tiếp tục …') gets its point back.
    """
    def groups(m: regex.Match) -> str:
        return ".".join(g for g in m.groups() if g)
    text = _SPACED_GROUPS.sub(groups, text)
    text = _NUMBER_COMMA.sub(r"\1.", text)

    def roman(m: regex.Match) -> str:
        mark = _ROMAN_CONFUSION.get(m.group("mark"), m.group("mark"))
        return mark + ". "
    return _HEADING_START.sub(roman, text)


# --- numerals of headings, repaired from their sequence ---------------------------------------

# A roman heading as OCR may read it: a run of glyphs that stand for I, V and X ('Il', 'HI', '1V',
# 'ÏI'), a point or comma, and a heading in capitals. Within one part of a plan the numerals rise
# one by one, so a numeral that breaks the run is read as the one the run expects.
_ROMAN_GLYPHS = "IVXlH1|!ÍÌÏĨỈỊ"  # a token of digits alone stays arabic: '1. MỤC ĐÍCH' is a heading too
_ROMAN_HEAD = regex.compile(
    rf"^(?P<tok>[{_ROMAN_GLYPHS}]{{1,5}})(?P<sep>\s*[.,:]\s*|\s+[-–]\s+)(?P<body>\p{{Lu}}[\p{{Lu}}\d\s,;:()/\-–]{{2,}})$")
_GLYPH_VALUE = str.maketrans({"l": "I", "1": "I", "|": "I", "!": "I", "Í": "I", "Ì": "I", "Ï": "I", "Ĩ": "I",
                              "Ỉ": "I", "Ị": "I"})
_PART_HEAD = regex.compile(r"^(?:PHẦN|Phần)\s+\S+|^[A-HĐ]\s*[.)]\s+\p{Lu}{2}|^(?:PHỤ LỤC|Phụ lục|KẾ HOẠCH)\b")


def _glyph_reading(tok: str) -> str:
    """The numeral a token of roman-like glyphs spells: 'Il' → 'II', 'HI' → 'III' ('H' is two I's)."""
    return tok.translate(_GLYPH_VALUE).replace("H", "II")


def repair_heading_sequence(pages: list[str]) -> list[str]:
    """Give the roman headings of an OCR'd document the numerals their sequence calls for.

    'I. MỤC TIÊU' right after 'I. MỤC ĐÍCH, YÊU CẦU' (no part heading between) is II; 'HI.' is
    III; 'I.MỤC' gets its space. A part heading (PHẦN …, A./B.) starts the run again.
    """
    from kehoach.normalizers.numbers import roman_value, to_roman
    from kehoach.normalizers.text import edit_distance

    expected = 1
    out = []
    for page in pages:
        lines = page.split("\n")
        for k, line in enumerate(lines):
            if _PART_HEAD.match(line):
                expected = 1
                continue
            m = _ROMAN_HEAD.match(line)
            if not m or m.group("tok").isdigit() or not any(c.isalpha() for c in m.group("body")[:3]):
                continue
            read = _glyph_reading(m.group("tok"))
            value = roman_value(read)
            want = to_roman(expected)
            # a numeral may jump ahead (a plan that skips one, an excerpt that starts at IV), but
            # one that falls back, or does not spell a numeral, is a misreading of the one expected
            if (value is None or value < expected) and edit_distance(read, want) <= 1:
                value = expected
            if value is None:
                continue
            sep = m.group("sep").strip() or "."
            lines[k] = f"{to_roman(value)}{'.' if sep in ',.:' else ' ' + sep} {m.group('body')}"
            expected = value + 1
        out.append("\n".join(lines))
    return out
