"""The ``kehoach`` command line."""
from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kehoach.pipeline import __version__
from kehoach.pipeline.ingest import SUPPORTED_EXTENSIONS
from kehoach.pipeline.records import Record

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Vietnamese plan documents (KẾ HOẠCH) into clean, queryable data.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


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


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def record_json(record: Record) -> str:
    data = record.model_dump(mode="python", exclude_none=False)
    if data.get("text") is None:
        data.pop("text", None)
    return json.dumps(data, ensure_ascii=False, default=_json_default)


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Files or folders (walked recursively)."),
    out: str = typer.Option(..., "--out", "-o", help="JSON Lines file to write; '-' for standard output."),
    include_text: bool = typer.Option(False, "--include-text",
                                      help="Add the normalised text each span points into."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Extract every document under PATHS to one JSON Lines record per document."""
    from kehoach.pipeline.extract import extract_path

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(EXIT_USAGE)
    files, skipped = collect_inputs(paths)
    if not files:
        err.print("[red]error:[/] no .pdf, .txt or .md documents found in the given paths")
        raise typer.Exit(EXIT_USAGE)
    t0 = time.perf_counter()
    failures = pages = 0
    sink = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, transient=True,
                        disable=quiet or len(files) < 2)
    try:
        with progress:
            task = progress.add_task("extracting", total=len(files))
            for f in files:
                progress.update(task, description=f"extracting {f.name[:40]}")
                outcome = extract_path(f, include_text=include_text)
                sink.write(record_json(outcome.record) + "\n")
                sink.flush()
                pages += outcome.pages
                if outcome.record.error:
                    failures += 1
                    e = outcome.record.error
                    progress.console.print(f"[yellow]failed[/] {f}: {e.type}: {e.message}")
                progress.advance(task)
    finally:
        if sink is not sys.stdout:
            sink.close()
    if not quiet:
        seconds = time.perf_counter() - t0
        line = (f"{len(files)} documents, {pages} pages, {failures} failed, {seconds:.2f} s"
                + (f"; {len(skipped)} files skipped for their extension" if skipped else ""))
        err.print(line)
    raise typer.Exit(EXIT_SOME_FAILED if failures else EXIT_OK)


@app.command()
def version() -> None:
    """Print the pipeline version."""
    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
