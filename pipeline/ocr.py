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
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import regex

from kehoach.catalogs import load

# Pages are rendered at the resolution of their scanned image, kept within these bounds; with
# no image to go by, at DEFAULT_DPI. Measured on the scan fixtures (docs/ocr.md): rendering a
# 200 dpi scan at 300 dpi costs 35% more time and reads no better.
MIN_DPI, MAX_DPI, DEFAULT_DPI = 200, 400, 300
LANG = "vie"
PSM = 4  # one column of text of varying sizes: the body of a plan
OCR_WORKERS_ENV = "KEHOACH_OCR_WORKERS"  # processes for one document's pages (default: every core)
SETTINGS_VERSION = "4"  # 3: deskew; 4: item numbers read with a comma


@dataclass
class OcrPage:
    page: int  # 1-based
    text: str
    confidence: float | None  # mean word confidence, 0-100
    method: str = "tesseract"


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


def _lines_from_data(data: dict) -> tuple[str, float | None]:
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        conf = float(data["conf"][i])
        if conf >= 0:
            confs.append(conf)
    text = "\n".join(" ".join(words) for _, words in sorted(lines.items()))
    return text, (round(sum(confs) / len(confs), 1) if confs else None)


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


def _ocr_one(args: tuple[bytes, int]) -> OcrPage:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import pypdfium2 as pdfium
    import pytesseract

    data, index = args
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        dpi = _native_dpi(page) or DEFAULT_DPI
        image = page.render(scale=min(MAX_DPI, max(MIN_DPI, dpi)) / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    angle = deskew_angle(image)
    if abs(angle) >= 0.5:  # a slant Tesseract's layout analysis would cut into columns
        from PIL import Image

        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    result = pytesseract.image_to_data(image, lang=LANG, config=f"--oem 1 --psm {PSM}",
                                       output_type=pytesseract.Output.DICT)
    text, conf = _lines_from_data(result)
    return OcrPage(page=index + 1, text=repair_ocr_text(text), confidence=conf)


def _native_dpi(page) -> float | None:  # noqa: ANN001
    """Resolution of the largest image on the page (a scan is one image covering it)."""
    import pypdfium2 as pdfium

    best = None
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, _ = obj.get_px_size()
            left, _, right, _ = obj.get_pos()
        except Exception:  # noqa: BLE001
            continue
        if right - left > 100 and px_w:
            dpi = px_w / ((right - left) / 72)
            best = max(best or 0, dpi)
    return best


def ocr_pages(data: bytes, sha256: str, pages: list[int], workers: int | None = None) -> dict[int, OcrPage]:
    """OCR the 1-based ``pages`` of the PDF ``data``; cached pages are not recognised again."""
    tesseract_version()
    out: dict[int, OcrPage] = {}
    todo = []
    for p in pages:
        cached = _from_cache(_cache_key(sha256, p))
        if cached is not None:
            out[p] = cached
        else:
            todo.append(p)
    if todo:
        # inside a document worker of ``kehoach extract -j`` the cores are already taken
        workers = workers or int(os.environ.get(OCR_WORKERS_ENV) or 0) or min(len(todo), os.cpu_count() or 1)
        if workers == 1:
            results = [_ocr_one((data, p - 1)) for p in todo]
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(_ocr_one, [(data, p - 1) for p in todo]))
        for r in results:
            _to_cache(_cache_key(sha256, r.page), r)
            out[r.page] = r
    return out


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
