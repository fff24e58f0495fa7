"""The readers: the room every file enters. Bytes and limits in, a ``RawDocument`` or a typed
refusal (``IngestError``) out.

``read_document`` / ``read_bytes`` (``ingest``) decide the format from the content (``sniff``),
apply the guards (``guards``: file size, ZIP members, XML DTDs, image pixels, text length) and
hand the bytes to the reader of the format: ``pdf`` (over ``pdf_backend``, with ``ocr``),
``docx``, ``html``, ``image``, ``text``. Nothing here imports the rest of the pipeline.
"""
from kehoach.pipeline.readers.ingest import read_bytes, read_document, sha256_bytes
from kehoach.pipeline.readers.limits import (DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY, DEFAULT_MAX_PAGES,
                                             DEFAULT_MAX_SECONDS, IngestError, Limits)
from kehoach.pipeline.readers.sniff import FORMAT_NAMES, MARKDOWN_EXTENSIONS, SUPPORTED_EXTENSIONS, sniff
from kehoach.pipeline.readers.text import markdown_tables

__all__ = ["read_bytes", "read_document", "sha256_bytes", "IngestError", "Limits", "DEFAULT_MAX_BYTES",
           "DEFAULT_MAX_MEMORY", "DEFAULT_MAX_PAGES", "DEFAULT_MAX_SECONDS", "FORMAT_NAMES",
           "MARKDOWN_EXTENSIONS", "SUPPORTED_EXTENSIONS", "sniff", "markdown_tables"]
