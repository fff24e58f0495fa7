"""Reading documents and running the chain over them: ingest, OCR, frame, sections, per-document extraction, batches, the inbox; imports extractors and below."""
__version__ = "0.1.0"
