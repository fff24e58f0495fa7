"""Checks made before a reader trusts a file: what it says it will become, refused when too much.

A hostile file is small on disk and large when read: a Word file whose ``document.xml``
inflates to gigabytes, XML whose entities expand a billion times, a PNG of 40,000 × 40,000
pixels, HTML nested a hundred thousand levels deep. Each of these says so before it is
inflated — the ZIP directory declares each member's size, an XML document declares its
entities in a DTD before its first element, an image's header gives its size — so it is refused
from that, in well under a second and without the memory. Each refusal is an ``IngestError`` of a
type in the contract's list: ``too_large``, ``unsafe_xml``, ``image_too_large``, ``too_deep``.
"""
from __future__ import annotations

import io
import warnings
import zipfile
from xml.etree.ElementTree import ParseError

import regex

from kehoach.pipeline.readers.limits import IngestError, Limits

# What a ZIP member may inflate to. Office XML compresses 5–30 times; a member declaring a
# hundredfold more than it takes, and past a few MB, is built to inflate.
MAX_MEMBER_BYTES = 256 << 20
MAX_TOTAL_BYTES = 512 << 20
MAX_RATIO = 100
RATIO_FROM_BYTES = 4 << 20
# The HTML reader walks the tree recursively, a level or two of Python stack a level; pages
# nest tens of levels (layout tables in layout tables), never hundreds.
MAX_HTML_DEPTH = 300


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise IngestError("too_large", f"file of {_mb(size)}, more than the limit of {_mb(limits.max_bytes)} "
                          "(KEHOACH_MAX_MB)")


def check_chars(text: str, limits: Limits, allowance: int = 1) -> None:
    """Refuse a text longer than a plan is (``allowance`` times the limit for markup)."""
    if len(text) > limits.max_chars * allowance:
        what = "characters of markup" if allowance > 1 else "characters of text"
        raise IngestError("too_large", f"{len(text):,} {what}, more than the limit of "
                          f"{limits.max_chars * allowance:,} (plans run to about a million characters)")


def check_zip(data: bytes) -> None:
    """Refuse a ZIP container (a .docx) whose members declare more than a document holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except zipfile.BadZipFile as exc:
        raise IngestError("corrupt_docx", f"Word file cannot be read (BadZipFile: {exc})") from exc
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > MAX_MEMBER_BYTES:
            raise IngestError("too_large", f"'{m.filename}' inflates to {_mb(m.file_size)}, more than the limit "
                              f"of {_mb(MAX_MEMBER_BYTES)} for one part of a Word file")
        if m.file_size > RATIO_FROM_BYTES and m.file_size > MAX_RATIO * max(1, m.compress_size):
            raise IngestError("too_large", f"'{m.filename}' inflates {m.file_size // max(1, m.compress_size)} times "
                              f"(from {_mb(m.compress_size)} to {_mb(m.file_size)}), more than the "
                              f"{MAX_RATIO} times of a real document: a ZIP bomb")
    if total > MAX_TOTAL_BYTES:
        raise IngestError("too_large", f"the Word file inflates to {_mb(total)}, more than the limit of "
                          f"{_mb(MAX_TOTAL_BYTES)}")


def check_xml_members(data: bytes) -> None:
    """Refuse a .docx whose XML parts declare a DTD: Word writes none, and a DTD is where entity
    expansion (billion laughs) and external entities (a file of the machine) are declared.
    defusedxml reads each part only up to its first element, where a DTD must have ended."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for m in z.infolist():
            if not m.filename.endswith((".xml", ".rels")):
                continue
            with z.open(m) as f:
                try:
                    for _ in iterparse(f, events=("start",), forbid_dtd=True):
                        break
                except DefusedXmlException as exc:
                    raise IngestError("unsafe_xml", f"'{m.filename}' declares a DTD ({type(exc).__name__}): "
                                      "entity expansion or external entities, refused") from exc
                except ParseError:
                    continue  # not well-formed: the Word reader says so in its own terms


def check_pixels(width: int, height: int, limits: Limits, what: str = "image") -> None:
    if width * height > limits.max_pixels:
        raise IngestError("image_too_large", f"{what} of {width:,} × {height:,} pixels, more than the limit of "
                          f"{limits.max_pixels:,} pixels")


def open_image(data: bytes, limits: Limits):  # noqa: ANN201 - a PIL image, header read only
    """Pillow's image over ``data`` with its size checked; pixels are not decoded yet."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns past 89 M pixels and refuses past 179 M: the limit here decides
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise IngestError("image_too_large", f"{exc} (limit {limits.max_pixels:,} pixels)") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise IngestError("corrupt_image", f"image cannot be read ({type(exc).__name__}: {exc})") from exc
    check_pixels(*im.size, limits)
    return im


# Before parsing: the HTML parser itself (Lexbor) takes time growing with the square of the
# nesting (40,000 levels: 5 s; 100,000: a minute), so nesting far past any page is refused from
# the tags alone. Elements whose end tag HTML lets a page leave out are not counted.
MAX_MARKUP_DEPTH = 2000
_TAG = regex.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
_UNCOUNTED = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
              "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb",
              "rt", "rp", "colgroup", "caption", "head", "body", "html"}


def check_markup_depth(markup: str) -> None:
    """Refuse markup whose open tags nest past MAX_MARKUP_DEPTH, counted without parsing it."""
    depth = 0
    for m in _TAG.finditer(markup):
        if m.group(3) or m.group(2).lower() in _UNCOUNTED:
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        if depth > MAX_MARKUP_DEPTH:
            raise IngestError("too_deep", f"HTML nested more than {MAX_MARKUP_DEPTH} elements deep: not a page "
                              "a person reads")


def check_html_depth(tree) -> None:  # noqa: ANN001 - a selectolax tree
    """Refuse HTML nested deeper than a page is, found without recursion."""
    root = tree.root
    if root is None:
        return
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_HTML_DEPTH:
            raise IngestError("too_deep", f"HTML nested more than {MAX_HTML_DEPTH} elements deep: not a page "
                              "a person reads")
        child = node.child
        while child is not None:
            if child.tag not in ("-text", "-comment"):
                stack.append((child, depth + 1))
            child = child.next


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MB"
