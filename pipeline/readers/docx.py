"""Word files (.docx): paragraphs with the numbers Word draws for them, and tables as tables.

docx2python reads the document in order, paragraph by paragraph, with each paragraph's place in
its numbered list (``list_position``) and its runs' bold/italic. Word's automatic numbering is
drawn from the list definitions in ``word/numbering.xml`` — 'I.', '1.', 'a)' as the plan's author
set them — since the label of a heading numbered by Word is not in its text. python-docx alone
would lose those labels.

The result is Markdown, which the layout stage reads like any Markdown file: one paragraph a
block, a whole-bold paragraph as **bold**, tables as pipe tables (the header table of the
issuing body and the motto, the budget and task tables), so every later stage sees one shape.
"""
from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass
from typing import Optional

import regex

from kehoach.models.records import RawDocument
from kehoach.normalizers.numbers import to_roman
from kehoach.normalizers.text import fold
from kehoach.pipeline.readers.limits import IngestError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG = regex.compile(r"</?[a-z][^>]*>")
# docx2python's markers for footnotes, endnotes, comments and images inside the text
_MARKERS = regex.compile(r"----(?:(?:footnote|endnote|comment)\d+|media/[^\s-]+|Image alt text---->.*?<)----")
_SPACES = regex.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class _Level:
    fmt: str  # decimal, upperRoman, lowerLetter, bullet …
    text: str  # '%1.', '%1.%2.', 'Điều %1.'
    start: int


def _numbering(data: bytes) -> dict[tuple[str, int], _Level]:
    """(numId, level) → how Word draws that level's number, from word/numbering.xml."""
    from lxml import etree

    # no entities resolved, nothing fetched: the guards refused DTDs already, this holds anyway
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        try:
            root = etree.fromstring(z.read("word/numbering.xml"), parser)
        except KeyError:
            return {}
    abstract: dict[str, dict[int, _Level]] = {}
    for an in root.iter(f"{_W}abstractNum"):
        levels = {}
        for lvl in an.iter(f"{_W}lvl"):
            def val(tag: str, default: str = "") -> str:
                el = lvl.find(f"{_W}{tag}")
                return el.get(f"{_W}val", default) if el is not None else default
            levels[int(lvl.get(f"{_W}ilvl", "0"))] = _Level(val("numFmt", "decimal"), val("lvlText"),
                                                             int(val("start", "1") or 1))
        abstract[an.get(f"{_W}abstractNumId")] = levels
    out = {}
    for num in root.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        for ilvl, level in abstract.get(ref.get(f"{_W}val"), {}).items():
            out[(num.get(f"{_W}numId"), ilvl)] = level
    return out


def _letter(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def format_number(fmt: str, n: int) -> str:
    """One counter as Word draws it in a list of format ``fmt``."""
    if fmt in ("upperRoman", "lowerRoman"):
        r = to_roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        a = _letter(n)
        return a.upper() if fmt == "upperLetter" else a
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def list_label(levels: dict[tuple[str, int], _Level], num_id: str, counters: list[int]) -> Optional[str]:
    """The number Word draws before a paragraph at ``counters`` of list ``num_id`` ('II.', '1.2.', 'a)')."""
    depth = len(counters) - 1
    level = levels.get((num_id, depth))
    if level is None or level.fmt in ("bullet", "none"):
        return "-" if level is not None and level.fmt == "bullet" else None
    text = level.text or f"%{depth + 1}."

    def one(m: regex.Match) -> str:
        k = int(m.group(1)) - 1
        lv = levels.get((num_id, k), level)
        # docx2python counts each level from 1; Word from the level's start value
        return format_number(lv.fmt, lv.start + counters[k] - 1) if k < len(counters) else ""
    return regex.sub(r"%(\d)", one, text).strip()


def _walk(node):  # noqa: ANN001, ANN202 - docx2python's nested lists of paragraphs
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    else:
        yield node


def _run_text(run) -> str:  # noqa: ANN001
    return html.unescape(_MARKERS.sub("", _TAG.sub("", run.text)))


def _all_bold(par) -> bool:  # noqa: ANN001
    """Is every run with text set in bold? Read from the runs' own properties: docx2python also
    reports a run as bold when its bold is switched off (<w:b w:val="0"/>)."""
    runs = [r for r in par.elem.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{_W}rPr/{_W}b")
        if b is None or b.get(f"{_W}val", "true").lower() in ("0", "false", "off"):
            return False
    return True


def _paragraph(par, levels) -> str:  # noqa: ANN001
    """One paragraph's Markdown: Word's number, its text, bold when all of its words are."""
    runs = [r for r in par.runs if _run_text(r).strip()]
    # docx2python writes its own rendering of the number ('I)\t') as a run: Word's is drawn instead
    if runs and regex.fullmatch(r"\s*(?:[\w.]+\)|--|\*|•)\s*", _run_text(runs[0])) and par.list_position[0]:
        runs = runs[1:]
    text = _SPACES.sub(" ", "".join(_run_text(r) for r in runs)).strip()
    if not text:
        return ""
    num_id, counters = par.list_position
    label = list_label(levels, num_id, counters) if num_id and counters else None
    bold = _all_bold(par)
    line = f"{label} {text}" if label else text
    return f"**{line}**" if bold and len(line) < 400 else line


def _cell_text(cell, levels) -> str:  # noqa: ANN001
    parts = [_paragraph(p, levels).strip("*") for p in _walk(cell)]
    return " ".join(" ".join(p for p in parts if p).split()).replace("|", "/")


_LAYOUT_CUES = regex.compile(r"doc lap\s*-\s*tu do|cong hoa xa hoi chu nghia|^noi nhan|^(?:tm|kt|tl|tuq)\s*\.")


def _layout_table(rows, levels) -> bool:  # noqa: ANN001 - docx2python's rows of cells
    """A table of at most two columns that sets the header or the signature block."""
    width = max(len(r) for r in rows)
    filled = [k for k in range(width) if any(k < len(r) and _cell_text(r[k], levels) for r in rows)]
    if len(filled) > 2:  # an empty spacer column between the two is common
        return False
    return any(_LAYOUT_CUES.search(fold(_cell_text(c, levels)).strip()) for row in rows for c in row)


def read_docx(data: bytes, path: str, digest: str) -> RawDocument:
    from docx2python import docx2python

    try:
        levels = _numbering(data)
        with docx2python(io.BytesIO(data), html=True) as doc:
            body = doc.document_pars
    except (zipfile.BadZipFile, KeyError) as exc:
        raise IngestError("corrupt_docx", f"Word file cannot be read ({type(exc).__name__}: {exc})") from exc
    blocks: list[str] = []
    for table in body:
        rows = [row for row in table if any(_cell_text(c, levels) for c in row)]
        if len(rows) <= 1 and all(len(r) <= 1 for r in rows):
            # a 1×1 'table' is how docx2python hands the body text (and text frames): paragraphs
            for p in _walk(table):
                line = _paragraph(p, levels)
                if line:
                    blocks.append(line)
            continue
        if _layout_table(rows, levels):
            # the header (issuer | motto, number | place and date) and the signature (recipients |
            # signer) are set as borderless two-column tables: each column is read top to bottom,
            # a paragraph a line, as the page shows them — not as a data table's rows
            for col in range(max(len(r) for r in rows)):
                for row in rows:
                    if col < len(row):
                        # a line break in a cell (Shift+Enter) ends a line of the header as a paragraph does
                        lines = (ln.strip(" *") for x in _walk(row[col]) for ln in _paragraph(x, levels).split("\n"))
                        blocks.extend(ln for ln in lines if ln)
            continue
        width = max(len(r) for r in rows)
        lines = []
        for i, row in enumerate(rows):
            cells = [_cell_text(c, levels) for c in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks) + "\n"
    return RawDocument(path=path, sha256=digest, format="docx", size_bytes=len(data), text=text, markup="md")
