"""Tables of a scanned page: the grid rebuilt from the ruling lines in the image and Tesseract's
word boxes.

A scanned table is words on a grid. The grid is found in the page image (after deskew): its
horizontal and vertical rules are what is left of the ink after an opening with a long thin
kernel (OpenCV's morphology: milliseconds a page), each rule one connected component with its
extent. Rules that touch form a table; the columns are where its vertical rules stand, the rows
where its horizontal ones do. A cell merged over columns or rows (a header's 'Kế hoạch vốn năm
2026' over three columns, 'STT' over two rows) is where a rule between two grid cells is missing:
those grid cells are one. A table ruled by horizontal lines only takes its columns from the gaps
that run down all its body rows. The rules are then painted out before Tesseract reads the page
(they would be read as '|' and 'l', and break its lines), and each word goes to the cell its
centre falls in; a cell's words are read line by line (a label wrapped over two lines is one).

The result is the rows of cells the other readers give (``models.records.Table`` via
``readers.pdf.PageTable``): a merged cell's text in its first grid cell, empty ones after it
(the table reader carries a header cell over the columns to its right).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

# Kernel lengths for the rules, as shares of the page's width and height (at 200 dpi an A4 page
# is 1654 × 2339 px: 47 px and 33 px) — longer than any stroke of a letter of body type.
H_KERNEL_SHARE, V_KERNEL_SHARE = 1 / 35, 1 / 70
MIN_H_KERNEL, MIN_V_KERNEL = 30, 25
# two rules closer than this are one boundary (a 1-pt border at 200 dpi is 2-3 px; JPEG and a
# residual turn widen it)
SNAP = 8
# a rule covers a cell's side when it runs along this share of it
COVER = 0.6
# a table is at least this wide (share of the page width) and holds at least two rows and columns
MIN_TABLE_WIDTH = 0.25
# a table ruled by horizontal lines only: at least this many rules of about the same extent
MIN_RULES = 3
MAX_RULE_GAP_SHARE = 0.08  # between two of its rules at most this share of the page height
# bounds: a page's tables and the cells of one table (a speckled scan must not make a huge grid)
MAX_TABLES = 8
MAX_CELLS = 4000
# a word of rule remains only ('|', '||', '_', '[') after the rules were painted out
_RULE_WORD = regex.compile(r"^[|_\[\]{}¦—–]+$")
# digit groups of one number read apart inside a cell: '1 291 615', '1,291,615'
_CELL_GROUPS = regex.compile(r"^\d{1,3}(?:(?: |,)\d{3})+$")


@dataclass
class Grid:
    """One table found on the page: its box, the column and row boundaries (pixels of the image
    Tesseract reads) and, per grid cell, the cell it belongs to (its first grid cell)."""
    left: int
    top: int
    right: int
    bottom: int
    xs: list[int]
    ys: list[int]
    owner: list[list[tuple[int, int]]] = field(default_factory=list)
    ruled: bool = True  # vertical rules drawn (False: columns from the words' gaps)
    # each cell's ink in the prepared page (x0, y0, x1, y1), by the cell's first grid cell
    ink: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass
class _Rule:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


def _rules(mask, min_len: int, horizontal: bool) -> list[_Rule]:
    import cv2

    # labelled at half size (a 2x2 block is set when any of its pixels is): a quarter of the
    # pixels, and a rule's extent is wanted to a few pixels only
    small = cv2.resize(mask, (mask.shape[1] // 2, mask.shape[0] // 2), interpolation=cv2.INTER_AREA)
    n, _, stats, _ = cv2.connectedComponentsWithStats((small > 0).view("uint8"), connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        if 2 * (w if horizontal else h) >= min_len:
            out.append(_Rule(int(2 * x), int(2 * y), int(2 * (x + w)), int(2 * (y + h))))
    return out


def find_rulings(image):  # noqa: ANN001, ANN201 - a PIL grey image → (h rules, v rules, ink mask of the rules)
    """The page's horizontal and vertical rules, and a mask of their pixels to paint out."""
    import cv2
    import numpy as np

    cv2.setNumThreads(1)  # one OCR worker a core: OpenCV's own threads would oversubscribe them
    arr = np.asarray(image.convert("L"))
    height, width = arr.shape
    _, ink = cv2.threshold(arr, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    hk = max(MIN_H_KERNEL, int(width * H_KERNEL_SHARE))
    vk = max(MIN_V_KERNEL, int(height * V_KERNEL_SHARE))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    # pieces of one rule broken by grain or a slight turn are joined
    horiz_j = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (SNAP, 3)))
    vert_j = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, SNAP)))
    h_rules = _rules(horiz_j, 2 * hk, True)
    v_rules = _rules(vert_j, vk, False)
    mask = cv2.dilate(cv2.bitwise_or(horiz, vert), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return h_rules, v_rules, mask, (width, height)


def prepare(image, mask, grids: list["Grid"]):  # noqa: ANN001, ANN201 - → (image, the grids kept)
    """The page for Tesseract: its rules painted white (paper), the columns of tables ruled by
    horizontal lines only found from the ink, and each cell's words moved to the top of their cell.

    Why the move: a row whose label wraps over two lines has its numbers set in the middle of
    the row, half a line below the label's first line, and a header cell merged over two rows
    centres its words between them. Tesseract reads such a row as one line of mixed baselines and
    garbles it ('VỐnngânsách', '79. T30'). Set at their cells' tops, the cells' first lines share
    one baseline. Words move up within their own cell only, so each still falls in its cell."""
    import numpy as np
    from PIL import Image

    arr = np.asarray(image.convert("L")).copy()
    arr[mask > 0] = 255
    ink = arr < INK
    kept = []
    for grid in grids:
        if not grid.ruled:
            _columns_from_ink(ink, grid)
        if len(grid.xs) < 3:  # one column: rules under prose, not a table
            continue
        _top_align(arr, ink, grid)
        kept.append(grid)
    return Image.fromarray(arr, "L"), kept


# dark enough to be ink on a grey scan (paper ~245, type ~30, JPEG haze between)
INK = 140
# a cell's inside: this far from its rules (a rule's pixels and their haze are not words)
CELL_MARGIN = 5
CELL_PAD = 3


def _ink_rows(ink_block) -> tuple[int, int] | None:  # noqa: ANN001
    """First and last rows of a block that hold words (a row of two dark pixels or more, in a
    run of two such rows: a speck of dust is not a word)."""
    import numpy as np

    rows = ink_block.sum(axis=1) >= 2
    runs = rows[:-1] & rows[1:]
    found = np.flatnonzero(runs)
    if not len(found):
        return None
    return int(found[0]), int(found[-1]) + 2


def _top_align(arr, ink, grid: "Grid") -> None:  # noqa: ANN001
    cells: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r, row in enumerate(grid.owner):
        for c, own in enumerate(row):
            cells.setdefault(own, []).append((r, c))
    for own, parts in cells.items():
        r0, r1 = min(p[0] for p in parts), max(p[0] for p in parts)
        c0, c1 = min(p[1] for p in parts), max(p[1] for p in parts)
        x0, x1 = grid.xs[c0] + CELL_MARGIN, grid.xs[c1 + 1] - CELL_MARGIN
        y0, y1 = grid.ys[r0] + CELL_MARGIN, grid.ys[r1 + 1] - CELL_MARGIN
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        found = _ink_rows(ink[y0:y1, x0:x1])
        if found is None:
            continue
        top, bottom = found
        shift = max(0, top - CELL_PAD)
        if shift > 2:
            # everything from the first line of words down moves (a thin stroke below the rows
            # counted as words — the stem of a '7' — moves with them)
            block = arr[y0 + shift:y1, x0:x1].copy()
            arr[y0:y1, x0:x1] = 255
            arr[y0:y0 + block.shape[0], x0:x1] = block
        grid.ink[own] = (x0, y0 + top - shift, x1, min(y1, y0 + bottom - shift + CELL_PAD))


# a cell Tesseract left empty though it holds ink is read again on its own (a lone '1' or '0'
# in a cell is taken for a speck on a whole page): the cells side by side in one strip, one call
REREAD_GAP = 60
REREAD_MAX_WIDTH = 4000
MAX_REREAD_CELLS = 300


def reread_empty_cells(image, grids: list[Grid], data: dict, lang: str, timeout: float = 0) -> None:  # noqa: ANN001
    """Read the ink of the cells no word fell in, all in one strip, and add the words found to
    ``data`` at their places on the page (so they fall in their cells)."""
    import numpy as np
    import pytesseract
    from PIL import Image

    filled = set()
    in_grid = words_in_grids(data, grids)
    for i, g in in_grid.items():
        grid = grids[g]
        x0, y0, x1, y1 = _word_box(data, i)
        filled.add((g, grid.owner[_band(grid.ys, (y0 + y1) / 2)][_band(grid.xs, (x0 + x1) / 2)]))
    arr = np.asarray(image.convert("L"))
    crops = []
    for g, grid in enumerate(grids):
        for own, (x0, y0, x1, y1) in grid.ink.items():
            if (g, own) in filled:
                continue
            cols = np.flatnonzero((arr[y0:y1, x0:x1] < INK).sum(axis=0) >= 2)
            if len(cols) == 0:
                continue
            left, right = x0 + int(cols[0]), x0 + int(cols[-1]) + 1
            crops.append((left, y0, right, y1))
    crops = crops[:MAX_REREAD_CELLS]
    if not crops:
        return
    # lay the crops out in lines of a strip, REREAD_GAP apart
    placed, x, y, line_h, width = [], REREAD_GAP, REREAD_GAP, 0, REREAD_GAP
    for left, top, right, bottom in crops:
        w, h = right - left, bottom - top
        if x + w + REREAD_GAP > REREAD_MAX_WIDTH and x > REREAD_GAP:
            x, y, line_h = REREAD_GAP, y + line_h + REREAD_GAP, 0
        placed.append((x, y, left, top, w, h))
        x += w + REREAD_GAP
        line_h = max(line_h, h)
        width = max(width, x)
    strip = np.full((y + line_h + REREAD_GAP, width), 255, dtype=np.uint8)
    for sx, sy, left, top, w, h in placed:
        strip[sy:sy + h, sx:sx + w] = arr[top:top + h, left:left + w]
    found = pytesseract.image_to_data(Image.fromarray(strip, "L"), lang=lang, config="--oem 1 --psm 6",
                                      output_type=pytesseract.Output.DICT, timeout=timeout)
    for k, word in enumerate(found["text"]):
        if not (word or "").strip():
            continue
        cx = found["left"][k] + found["width"][k] / 2
        cy = found["top"][k] + found["height"][k] / 2
        home = next((p for p in placed if p[0] - REREAD_GAP / 2 <= cx <= p[0] + p[4] + REREAD_GAP / 2
                     and p[1] - REREAD_GAP / 2 <= cy <= p[1] + p[5] + REREAD_GAP / 2), None)
        if home is None:
            continue
        sx, sy, left, top, _, _ = home
        for key in data:
            value = found[key][k] if key in found else 0
            if key == "left":
                value = found["left"][k] - sx + left
            elif key == "top":
                value = found["top"][k] - sy + top
            elif key == "block_num":
                value = 10_000  # a block of its own: never one of the page's text lines
            data[key].append(value)


def _columns_from_ink(ink, grid: "Grid") -> None:  # noqa: ANN001
    """Column boundaries of a table without vertical rules: the gaps in the ink that run down
    all its body rows (the header's words may stand across them: a title over a right-aligned
    number column), wider than a space between words."""
    top = grid.ys[1] if len(grid.ys) > 2 else grid.ys[0]
    block = ink[top + CELL_MARGIN:grid.bottom - CELL_MARGIN, grid.left:grid.right]
    cols = block.sum(axis=0) >= 2
    min_gap = max(12, (grid.right - grid.left) // 80)  # wider than a space between words
    bounds, run, last_ink = [grid.left], 0, None
    for x, dark in enumerate(cols):
        if dark:
            if last_ink is not None and run >= min_gap:
                bounds.append(grid.left + x - run // 2)
            last_ink, run = x, 0
        else:
            run += 1
    bounds.append(grid.right)
    grid.xs = bounds
    grid.owner = [[(r, c) for c in range(len(bounds) - 1)] for r in range(len(grid.ys) - 1)]


def _snap(values: list[float]) -> list[int]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [round(sum(g) / len(g)) for g in out]


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def find_grids(h_rules: list[_Rule], v_rules: list[_Rule], size: tuple[int, int]) -> list[Grid]:
    """The tables the rules draw: grids where horizontal and vertical rules meet, and stacks of
    horizontal rules alone (columns found later from the words)."""
    width, height = size
    grids: list[Grid] = []
    # rules that touch are one table: a union of boxes grown by SNAP
    boxes = [[r.x0, r.y0, r.x1, r.y1, [r], []] for r in h_rules]
    for v in v_rules:
        hit = [b for b in boxes if _overlap(v.x0 - SNAP, v.x1 + SNAP, b[0], b[2]) > 0
               and _overlap(v.y0 - SNAP, v.y1 + SNAP, b[1], b[3]) > 0]
        if not hit:
            continue
        first = hit[0]
        for b in hit[1:]:
            first[0], first[1], first[2], first[3] = min(first[0], b[0]), min(first[1], b[1]), max(first[2], b[2]), \
                max(first[3], b[3])
            first[4] += b[4]
            first[5] += b[5]
            boxes.remove(b)
        first[0], first[1], first[2], first[3] = min(first[0], v.x0), min(first[1], v.y0), max(first[2], v.x1), \
            max(first[3], v.y1)
        first[5].append(v)
    loose: list[_Rule] = []
    for x0, y0, x1, y1, hs, vs in boxes:
        if len(vs) >= 2 and len(hs) >= 2 and x1 - x0 >= MIN_TABLE_WIDTH * width:
            grid = _ruled_grid(x0, y0, x1, y1, hs, vs)
            if grid is not None:
                grids.append(grid)
        elif not vs:
            loose.extend(hs)
    grids.extend(_rule_stacks(loose, width, height))
    grids.sort(key=lambda g: g.top)
    return grids[:MAX_TABLES]


def _ruled_grid(x0: int, y0: int, x1: int, y1: int, hs: list[_Rule], vs: list[_Rule]) -> Grid | None:
    xs = _snap([v.xc for v in vs] + [x0, x1])
    ys = _snap([h.yc for h in hs] + [y0, y1])
    xs = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > 2 * SNAP]
    ys = [y for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] > 2 * SNAP]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 2 or n_cols < 2 or n_rows * n_cols > MAX_CELLS:
        return None
    parent = {(i, j): (i, j) for i in range(n_rows) for j in range(n_cols)}

    def root(c: tuple[int, int]) -> tuple[int, int]:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the first grid cell (top, then left) owns the cell

    for i in range(n_rows):
        band = ys[i + 1] - ys[i]
        for j in range(1, n_cols):  # the rule between columns j-1 and j along row i
            if not any(abs(v.xc - xs[j]) <= SNAP and _overlap(v.y0, v.y1, ys[i], ys[i + 1]) >= COVER * band for v in vs):
                join((i, j - 1), (i, j))
    for j in range(n_cols):
        span = xs[j + 1] - xs[j]
        for i in range(1, n_rows):  # the rule between rows i-1 and i along column j
            if not any(abs(h.yc - ys[i]) <= SNAP and _overlap(h.x0, h.x1, xs[j], xs[j + 1]) >= COVER * span for h in hs):
                join((i - 1, j), (i, j))
    owner = [[root((i, j)) for j in range(n_cols)] for i in range(n_rows)]
    return Grid(x0, y0, x1, y1, xs, ys, owner)


def _rule_stacks(rules: list[_Rule], width: int, height: int) -> list[Grid]:
    """Tables ruled by horizontal lines only: three or more long rules of the same extent, close
    above one another. Their columns are left to the words (``xs`` empty)."""
    long = sorted((r for r in rules if r.x1 - r.x0 >= MIN_TABLE_WIDTH * width), key=lambda r: r.yc)
    out, stack = [], []
    for r in long + [None]:
        if r is not None and stack and abs(r.x0 - stack[0].x0) <= 3 * SNAP and abs(r.x1 - stack[0].x1) <= 3 * SNAP \
                and r.yc - stack[-1].yc <= MAX_RULE_GAP_SHARE * height:
            stack.append(r)
            continue
        if len(stack) >= MIN_RULES:
            ys = _snap([s.yc for s in stack])
            out.append(Grid(min(s.x0 for s in stack), ys[0], max(s.x1 for s in stack), ys[-1], [], ys, ruled=False))
        stack = [r] if r is not None else []
    return out


# --- words into cells ------------------------------------------------------------------------

@dataclass
class CellWords:
    words: list[int] = field(default_factory=list)  # rows of Tesseract's data


def _word_box(data: dict, i: int) -> tuple[float, float, float, float]:
    return data["left"][i], data["top"][i], data["left"][i] + data["width"][i], data["top"][i] + data["height"][i]


def words_in_grids(data: dict, grids: list[Grid]) -> dict[int, int]:
    """Which grid each word stands in (its centre), by the word's row in Tesseract's data."""
    out = {}
    for i, word in enumerate(data["text"]):
        if not (word or "").strip():
            continue
        x0, y0, x1, y1 = _word_box(data, i)
        for g, grid in enumerate(grids):
            if grid.contains((x0 + x1) / 2, (y0 + y1) / 2):
                out[i] = g
                break
    return out


def _cell_text(data: dict, words: list[int]) -> str:
    """A cell's words read line by line (a wrapped label is one cell), left to right in a line."""
    rows: list[list[int]] = []
    for i in sorted(words, key=lambda i: data["top"][i] + data["height"][i] / 2):
        mid = data["top"][i] + data["height"][i] / 2
        if rows and abs(mid - sum(data["top"][j] + data["height"][j] / 2 for j in rows[-1]) / len(rows[-1])) \
                <= 0.5 * max(data["height"][j] for j in rows[-1]):
            rows[-1].append(i)
        else:
            rows.append([i])
    text = " ".join(data["text"][i].strip() for row in rows for i in sorted(row, key=lambda i: data["left"][i]))
    if _CELL_GROUPS.match(text):
        text = regex.sub(r"[ ,]", ".", text)  # '1 291 615' → '1.291.615': one number in a number column
    m = _NUMBER_WITH_SPECKS.match(text)
    return m.group("num") if m else text


# a grouped number with a speck read beside it: '39.000.', '- 11.750', '4.750,' ('-' alone, none, stays)
_NUMBER_WITH_SPECKS = regex.compile(r"^[-–.,:;'`]?\s*(?P<num>\d{1,3}(?:\.\d{3})+)\s*[.,:;'`]?$")


def grid_rows(data: dict, grid: Grid, words: list[int]) -> list[list[str]]:
    """The table's rows of cell texts: a merged cell's text in its first grid cell."""
    words = [i for i in words if not _RULE_WORD.match(data["text"][i].strip())]
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    cells: dict[tuple[int, int], list[int]] = {}
    for i in words:
        x0, y0, x1, y1 = _word_box(data, i)
        r = _band(grid.ys, (y0 + y1) / 2)
        c = _band(grid.xs, (x0 + x1) / 2)
        cells.setdefault(grid.owner[r][c], []).append(i)
    rows = [[_cell_text(data, cells[(r, c)]) if (r, c) in cells and grid.owner[r][c] == (r, c) else ""
             for c in range(n_cols)] for r in range(n_rows)]
    return [_column_numbers(row) or row for row in rows]


# a cell of the row numbering the columns as OCR reads it: '(1)', '2)', '@)', 'G)', '(©)'
_NUMBER_CELL = regex.compile(r"^[(\[{]?\s*\S{1,2}\s*[)\]}]$")
_NUMBER_READ = regex.compile(r"^[(\[{]?\s*(\d{1,2})\s*[)\]}]$")


def _column_numbers(row: list[str]) -> list[str] | None:
    """The row numbering the columns ('(1) (2) (3) …'), its misread digits ('@)' for '(3)') put
    back from the ones read right: the columns are numbered one by one. None: not such a row."""
    filled = [(k, c.strip()) for k, c in enumerate(row) if c.strip()]
    if len(filled) < 3 or len(filled) != len(row) or not all(_NUMBER_CELL.match(c) for _, c in filled):
        return None
    read = [(k, int(m.group(1))) for k, c in filled if (m := _NUMBER_READ.match(c))]
    firsts = {n - k for k, n in read}
    if len(read) < 2 or len(firsts) != 1:
        return None
    first = firsts.pop()
    return [f"({first + k})" for k in range(len(row))]


def _band(bounds: list[int], v: float) -> int:
    """The band of ``bounds`` that ``v`` falls in (clamped to the first and last)."""
    for k in range(1, len(bounds) - 1):
        if v < bounds[k]:
            return k - 1
    return len(bounds) - 2
