"""Web pages (.html, .htm): the page's text as Markdown, without the portal's menus.

selectolax (the Lexbor HTML5 parser) builds the tree. What a person does not read as the
document — scripts, styles, navigation, menus, search forms, footers, share buttons, lists of
related documents — is dropped by element and by the class or id that names it; the rest is
written block by block: headings and whole-bold blocks as **bold**, list items as lines, tables
as pipe tables (the header table of a plan, its budget and task tables). The plan's own header
is found later, wherever the page puts it (``pipeline.frame``); what stands before it is the
capture's wrapper.
"""
from __future__ import annotations

import regex

from kehoach.models.records import RawDocument
from kehoach.pipeline.readers.guards import check_html_depth, check_markup_depth

_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe",
              "svg", "button", "select", "input", "textarea", "header", "menu", "dialog", "object"]
# class or id words of page furniture on portals and legal databases
_CHROME = regex.compile(
    r"(?:^|[\s_-])(?:menu|nav|navbar|breadcrumbs?|footer|sidebar|side-bar|related|lien-quan|vb-lien-quan|"
    r"share|social|comment|search|tim-kiem|banner|advert|ads?|login|popup|modal|cookie|toolbar|"
    r"pagination|tags?|widget|header-top|top-bar)(?:$|[\s_-])", regex.IGNORECASE)
_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
           "blockquote", "center", "dd", "dt", "dl", "address", "figure", "figcaption", "body", "html"}
_BOLD = {"b", "strong"}
_SPACES = regex.compile(r"[ \t\u00a0\r\n]+")


def _is_chrome(node) -> bool:  # noqa: ANN001
    attrs = node.attributes
    words = " ".join(v for k, v in attrs.items() if k in ("class", "id", "role") and v)
    return bool(words and _CHROME.search(words)) or attrs.get("aria-hidden") == "true"


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.preformatted = 0  # characters written from <pre>
        self.line: list[tuple[str, bool]] = []  # (text, bold)

    def text(self, s: str, bold: bool) -> None:
        if s:
            self.line.append((s, bold))

    def flush(self, heading: bool = False) -> None:
        text = _SPACES.sub(" ", "".join(t for t, _ in self.line)).strip()
        if text:
            letters = "".join(t for t, _ in self.line if any(c.isalpha() for c in t))
            bold = heading or (bool(letters) and all(b for t, b in self.line if any(c.isalpha() for c in t)))
            self.blocks.append(f"**{text}**" if bold and len(text) < 400 else text)
        self.line = []


def _cell_text(node) -> str:  # noqa: ANN001
    return _SPACES.sub(" ", node.text(separator=" ")).strip().replace("|", "/")


def _owner(node):  # noqa: ANN001, ANN202
    p = node.parent
    while p is not None and p.tag != "table":
        p = p.parent
    return p


def _is_layout_table(node) -> bool:  # noqa: ANN001
    """A table that lays out the page (the document in a cell) rather than holding data."""
    for cell in node.css("td, th"):
        if _owner(cell).mem_id != node.mem_id:
            return True  # a table inside a cell: the outer one is layout
        if len(cell.css("p")) >= 3 or len(cell.text()) > 1500:
            return True
    return False


# a colspan or rowspan past this is a page's layout trick, not a table's merged cells
MAX_SPAN = 20


def _span(cell, name: str) -> int:  # noqa: ANN001
    value = str(cell.attributes.get(name) or "1").strip()
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def _table(node, out: _Writer) -> None:  # noqa: ANN001
    if _is_layout_table(node):
        for cell in node.css("td, th"):
            if _owner(cell).mem_id == node.mem_id:
                out.flush()
                _walk(cell, out)
                out.flush()
        return
    rows = []
    # a cell merged down over rows (rowspan) stands in the rows below too: its text is written again
    # there, as the Word reader writes a vertically merged cell, so the cells after it keep their
    # columns ('STT' and 'Nội dung' over two header rows, the years under 'Dự kiến' beside them)
    below: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered)
    for tr in node.css("tr"):
        if _owner(tr).mem_id != node.mem_id:
            continue
        cells = [c for c in tr.iter() if c.tag in ("td", "th")]
        texts: list[str] = []

        def carried() -> None:
            while len(texts) in below:
                col = len(texts)
                text, left = below.pop(col)
                texts.append(text)
                if left > 1:
                    below[col] = (text, left - 1)
        for c in cells:
            carried()
            span = _span(c, "colspan")
            down = _span(c, "rowspan")
            text = _cell_text(c)
            if down > 1:
                for k in range(span):
                    below[len(texts) + k] = (text if k == 0 else "", down - 1)
            texts += [text] + [""] * (span - 1)
        carried()
        if any(texts):
            rows.append(texts)
    if not rows:
        return
    out.flush()
    width = max(len(r) for r in rows)
    if width == 1:  # a layout table of one column: its cells are paragraphs
        out.blocks += [r[0] for r in rows]
        return
    lines = []
    for i, r in enumerate(rows):
        lines.append("| " + " | ".join(r + [""] * (width - len(r))) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    out.blocks.append("\n".join(lines))


def _walk(node, out: _Writer, bold: bool = False) -> None:  # noqa: ANN001
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.text(child.text_content or "", bold)
            continue
        if tag in _DROP_TAGS or tag == "-comment" or _is_chrome(child):
            continue
        if tag == "table":
            _table(child, out)
        elif tag == "pre":
            _preformatted(child, out)
        elif tag == "br":
            out.flush()
        elif tag in _BLOCKS:
            out.flush()
            heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
            _walk(child, out, bold or heading)
            out.flush(heading=heading)
        else:
            _walk(child, out, bold or tag in _BOLD or _styled_bold(child))


_LINE_SPACES = regex.compile(r"[ \t\u00a0]+")


def _preformatted(node, out: _Writer) -> None:  # noqa: ANN001
    """A <pre> keeps its line breaks (pdftotext's HTML and some portals put a whole plan in one):
    each run of lines a block, its lines kept, blank lines between blocks."""
    out.flush()
    block: list[str] = []
    for line in node.text(deep=True, separator="").replace("\r\n", "\n").split("\n"):
        line = _LINE_SPACES.sub(" ", line).strip()
        if line:
            block.append(line)
        elif block:
            out.blocks.append("\n".join(block))
            out.preformatted += len(out.blocks[-1])
            block = []
    if block:
        out.blocks.append("\n".join(block))
        out.preformatted += len(out.blocks[-1])


def _styled_bold(node) -> bool:  # noqa: ANN001
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    return "font-weight:bold" in style or "font-weight:700" in style


# A page that is mostly one <pre> is a text file in a wrapper: its lines are read as a text
# file's (hard wraps undone by the layout stage), not as Markdown paragraphs.
PREFORMATTED_SHARE = 0.8


def _convert(markup: str) -> tuple[str, bool]:
    """The page's text as Markdown, and whether it is mostly preformatted text."""
    from selectolax.lexbor import LexborHTMLParser

    check_markup_depth(markup)  # the parser's own time grows with the square of the nesting
    tree = LexborHTMLParser(markup)
    check_html_depth(tree)  # the walk below recurses a level of Python stack per level of HTML
    root = tree.body or tree.root
    out = _Writer()
    if root is not None:
        _walk(root, out)
    out.flush()
    text = "\n\n".join(out.blocks) + "\n"
    return text, out.preformatted >= PREFORMATTED_SHARE * max(1, sum(len(b) for b in out.blocks))


def html_to_markdown(markup: str) -> str:
    return _convert(markup)[0]


def read_html(text: str, path: str, digest: str, size: int) -> RawDocument:
    converted, preformatted = _convert(text)
    return RawDocument(path=path, sha256=digest, format="html", size_bytes=size, text=converted,
                       markup="" if preformatted else "md")
