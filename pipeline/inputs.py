"""Which files of the given paths are documents to read: shared by the CLI and the flows."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kehoach.catalogs import load
from kehoach.pipeline.readers import SUPPORTED_EXTENSIONS


def collect_inputs(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(documents to read sorted by path, files skipped in folders for their extension)."""
    files: set[Path] = set()
    skipped: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in p.rglob("*"):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.suffix.lower() in SUPPORTED_EXTENSIONS:
                    files.add(f)
                else:
                    skipped.append(f)
        else:
            files.add(p)  # named explicitly: read it whatever its extension says
    return sorted(files, key=lambda f: str(f)), sorted(skipped)


def skip_reason(path: Path) -> str:
    """Why a file in a folder is not read: what its extension says it is."""
    ext = path.suffix.lower()
    known = load("document")["skipped_extensions"].get(ext)
    return known or (f"'{ext}' is not a kind of document kehoach reads" if ext else "no extension")
