"""What a file is, from its bytes: the content decides the format, not the extension."""
from __future__ import annotations

import io
import zipfile

import regex

TEXT_EXTENSIONS = {".txt", ".text"}
MARKDOWN_EXTENSIONS = {".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# .doc is taken so that a legacy Word file gets a record saying how to convert it
SUPPORTED_EXTENSIONS = ({".pdf", ".docx", ".doc"} | TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS | HTML_EXTENSIONS
                        | IMAGE_EXTENSIONS)

IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
BINARY_MAGIC = {
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
_HTML_START = regex.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                            regex.IGNORECASE | regex.DOTALL)

# what an unreadable file is, for its error record: the content decides, as for a readable one
FORMAT_NAMES = {"pdf": "pdf", "docx": "docx", "doc": "doc", "image": "image", "html": "html", "text": "txt",
                "zip": "zip", "ole": "ole"}


def sniff(data: bytes) -> str:
    """The format the bytes are: pdf, docx, doc, image, html or text (by content, not name)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc" if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data else "ole"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    if _HTML_START.match(data[:4096]):
        return "html"
    return "text"
