"""The ``kehoach`` command line: the top of the package map; nothing imports it."""
from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape  # messages carry brackets ("pip install 'kehoach[export]'") markup would eat
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kehoach.pipeline import __version__
from kehoach.models.records import record_json
from kehoach.pipeline.inputs import collect_inputs, skip_reason
from kehoach.pipeline.readers import DEFAULT_MAX_MEMORY, DEFAULT_MAX_PAGES, DEFAULT_MAX_SECONDS, Limits

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Vietnamese plan documents (KẾ HOẠCH) into clean, queryable data.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
MAX_SKIPPED_SHOWN = 20  # files left out of a folder, listed with the reason; the rest are counted


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Files or folders (walked recursively)."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="JSON Lines file to write; '-' for standard output."),
    db: Optional[str] = typer.Option(None, "--db", help="Load into this database URL (sqlite:///… or postgresql+psycopg://…)."),
    store: bool = typer.Option(False, "--store", help="Load into the configured database: KEHOACH_DATABASE_URL or ./kehoach.db."),
    include_text: bool = typer.Option(False, "--include-text",
                                      help="Add the normalised text each span points into."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR pages without a usable text layer."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="Documents extracted at once, in processes (default: every core)."),
    max_pages: Optional[int] = typer.Option(None, "--max-pages", min=1,
                                            help=f"Give up on a document longer than this (default {DEFAULT_MAX_PAGES}, or KEHOACH_MAX_PAGES)."),
    max_seconds: Optional[float] = typer.Option(None, "--max-seconds", min=0,
                                                help=f"Give up on a document after this long (default {DEFAULT_MAX_SECONDS:g}, or KEHOACH_MAX_SECONDS)."),
    max_memory_mb: Optional[int] = typer.Option(None, "--max-memory-mb", min=64,
                                                help=f"Stop a document's worker past this memory (default {DEFAULT_MAX_MEMORY >> 20}, or KEHOACH_MAX_MEMORY_MB)."),
) -> None:
    """Extract every document under PATHS to one JSON Lines record per document, and load them."""
    from kehoach.pipeline.batch import default_workers, process_files, record_outcome, run_status

    if out is None and db is None and not store:
        err.print("[red]error:[/] say where the records go: --out FILE.jsonl, --db URL or --store")
        raise typer.Exit(EXIT_USAGE)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/] no such file or folder: {escape(', '.join(missing))}")
        raise typer.Exit(EXIT_USAGE)
    files, skipped = collect_inputs(paths)
    if not files:
        err.print("[red]error:[/] no documents found in the given paths (PDF, Word .docx, HTML, text, Markdown, "
                  "PNG/JPEG/TIFF images)")
        raise typer.Exit(EXIT_USAGE)
    the_store = _open_store(db) if (db or store) else None
    run_id = the_store.start_run("extract", __version__) if the_store else None
    t0 = time.perf_counter()
    failures = pages = checks = 0
    statuses: dict[str, int] = {}
    sink = None if out is None else (sys.stdout if out == "-" else open(out, "w", encoding="utf-8"))
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, transient=True,
                        disable=quiet or len(files) < 2)
    try:
        with progress:
            task = progress.add_task(f"extracting {len(files)} documents", total=len(files))
            limits = Limits.from_env()
            limits = dataclasses.replace(limits, max_pages=max_pages or limits.max_pages,
                                         max_seconds=limits.max_seconds if max_seconds is None else max_seconds,
                                         max_memory=(max_memory_mb << 20) if max_memory_mb else limits.max_memory)
            results = process_files(files, the_store, workers=jobs or default_workers(),
                                    include_text=include_text, ocr=not no_ocr, limits=limits)
            for result in results:
                if sink is not None:
                    sink.write(record_json(result.record) + "\n")
                    sink.flush()
                if the_store is not None:
                    record_outcome(the_store, run_id, result)
                pages += result.pages
                checks += len(result.record.checks)
                statuses[result.status] = statuses.get(result.status, 0) + 1
                if result.failed:
                    failures += 1
                    progress.console.print(f"[yellow]failed[/] {escape(result.path)}: {escape(result.reason or '')}")
                progress.advance(task)
    finally:
        if sink is not None and sink is not sys.stdout:
            sink.close()
        seconds = time.perf_counter() - t0
        if the_store is not None:
            the_store.finish_run(run_id, run_status(len(files), failures),
                                 documents=len(files), pages=pages, failures=failures,
                                 checks_raised=checks, duration_seconds=seconds)
    if not quiet:
        for f in skipped[:MAX_SKIPPED_SHOWN]:
            err.print(f"[dim]skipped[/] {escape(str(f))}: {escape(skip_reason(f))}")
        if len(skipped) > MAX_SKIPPED_SHOWN:
            err.print(f"[dim]skipped[/] … and {len(skipped) - MAX_SKIPPED_SHOWN} more")
        line = (f"{len(files)} documents, {pages} pages, {failures} failed, {seconds:.2f} s"
                + (f"; {len(skipped)} files skipped for their kind" if skipped else ""))
        if the_store is not None:
            line += "; store: " + ", ".join(f"{n} {k}" for k, n in sorted(statuses.items())) + f" ({the_store.url})"
        err.print(line, markup=False)
    raise typer.Exit(EXIT_SOME_FAILED if failures else EXIT_OK)


def _open_store(db: Optional[str]):
    from kehoach.models.store import Store

    try:
        return Store(db)
    except Exception as exc:
        err.print(f"[red]error:[/] cannot open the database: {type(exc).__name__}: {escape(str(exc).splitlines()[0])}")
        raise typer.Exit(EXIT_USAGE)


@app.command()
def ingest(
    inbox: Path = typer.Argument(..., help="The inbox folder to load new and changed documents from."),
    archive: Optional[Path] = typer.Option(None, help="Where finished files go (default: archive/ beside the inbox)."),
    quarantine: Optional[Path] = typer.Option(None, help="Where failed files go (default: quarantine/ beside the inbox)."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL (default: KEHOACH_DATABASE_URL or sqlite:///kehoach.db)."),
    dask: bool = typer.Option(False, "--dask", help="Process documents in parallel on a local Dask cluster."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Use this Dask scheduler (or KEHOACH_DASK_ADDRESS)."),
    settle_seconds: float = typer.Option(10.0, help="Files modified more recently than this wait for the next run."),
) -> None:
    """Run the nightly ingestion flow once over INBOX (what cron or an operator calls)."""
    if not inbox.is_dir():
        err.print(f"[red]error:[/] not a folder: {escape(str(inbox))}")
        raise typer.Exit(EXIT_USAGE)
    from kehoach.flows.nightly import dask_runner, nightly_ingest

    runner = nightly_ingest
    if dask or dask_address or os.environ.get("KEHOACH_DASK_ADDRESS"):
        runner = nightly_ingest.with_options(task_runner=dask_runner(dask_address))
    summary = runner(inbox=str(inbox), archive=str(archive) if archive else None,
                     quarantine=str(quarantine) if quarantine else None, db=db, settle_seconds=settle_seconds)
    err.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in summary.items()), markup=False)
    raise typer.Exit(EXIT_SOME_FAILED if summary.get("failed") else EXIT_OK)


@app.command("export")
def export_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write into (created if missing)."),
    fmt: str = typer.Option("csv", "--format", "-f", help="csv, parquet or xlsx."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL (default: KEHOACH_DATABASE_URL or sqlite:///kehoach.db)."),
) -> None:
    """Write the store's views (budget_lines, target_lines, assignment_lines, citations) and documents
    as CSV (UTF-8 with BOM), Parquet or one xlsx workbook."""
    from kehoach.models.export import export
    from kehoach.models.extras import MissingExtra

    if fmt not in ("csv", "parquet", "xlsx"):
        err.print(f"[red]error:[/] --format is csv, parquet or xlsx, not {escape(repr(fmt))}")
        raise typer.Exit(EXIT_USAGE)
    s = _open_store(db)
    t0 = time.perf_counter()
    try:
        counts = export(s.engine, fmt, out)
    except MissingExtra as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE)
    where = out / "kehoach.xlsx" if fmt == "xlsx" else out
    err.print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" rows → {where} ({time.perf_counter() - t0:.2f} s)",
              markup=False)


@app.command("report")
def report_cmd(
    what: Optional[str] = typer.Argument(None, help="A document's file, or the sha256 (or its start) of a stored one; "
                                                    "none: every stored document (with --out DIR)."),
    out: Path = typer.Option(..., "--out", "-o", help="FILE.html for one document, or a folder for every stored one."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL for stored documents."),
) -> None:
    """Write the review page(s): the plan's text with every extracted item highlighted."""
    from kehoach.pipeline.review import highlight_counts, render, render_index

    if what and Path(what).exists():
        import kehoach

        rec = kehoach.extract(what, include_text=True)
        if rec.error is not None:
            err.print(f"[red]error:[/] {escape(str(what))}: {rec.error.type}: {escape(rec.error.message)}")
            raise typer.Exit(EXIT_SOME_FAILED)
        target = out / (Path(what).stem + ".html") if out.is_dir() else out
        target.write_text(render(rec), encoding="utf-8")
        err.print(f"{target}: {', '.join(f'{k} {v}' for k, v in highlight_counts(rec).items())}", markup=False)
        return
    from kehoach.models.readback import read_record, stored_shas

    s = _open_store(db)
    if what:
        try:
            rec = read_record(s.engine, what)
        except LookupError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))} (and no such file)")
            raise typer.Exit(EXIT_USAGE)
        target = out / f"{rec.source.sha256[:12]}.html" if out.is_dir() else out
        target.write_text(render(rec), encoding="utf-8")
        err.print(f"{target}", markup=False)
        return
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for sha in stored_shas(s.engine):
        rec = read_record(s.engine, sha)
        name = f"{sha[:12]}.html"
        (out / name).write_text(render(rec), encoding="utf-8")
        entries.append({"href": name, "title": rec.metadata.title or Path(rec.source.path).name,
                        "issuer": rec.metadata.issuer, "number": rec.metadata.doc_number,
                        "amounts": len(rec.amounts), "targets": len(rec.targets),
                        "assignments": len(rec.assignments), "refs": len(rec.legal_refs), "checks": len(rec.checks)})
    from kehoach.models.obligations import duties
    from kehoach.pipeline.review.agencies import agency_pages
    from kehoach.pipeline.review.indicators import render_indicators, series

    shared = series(s.engine)
    (out / "indicators.html").write_text(render_indicators(shared), encoding="utf-8")
    (out / "index.html").write_text(render_index(entries, indicators="indicators.html"), encoding="utf-8")
    agency_files = agency_pages(duties(s.engine))
    for name, page in agency_files.items():
        (out / name).write_text(page, encoding="utf-8")
    err.print(f"{len(entries)} pages, index.html, indicators.html ({len(shared)} indicators) and "
              f"{len(agency_files) - 1} agency pages with agencies.html → {out}", markup=False)


@app.command("search")
def search_cmd(
    query: str = typer.Argument(..., help='Words, "a phrase", prefix* and -excluded words; diacritics optional.'),
    province: Optional[str] = typer.Option(None, "--province", "-p", help="Only plans of this province (diacritics optional)."),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help="Only hits of this kind: text, target, amount or assignment."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL (default: KEHOACH_DATABASE_URL or sqlite:///kehoach.db)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json (one array of hits, each naming its plan)."),
    limit: int = typer.Option(20, "--limit", "-n", min=0, help="Plans shown at most (0: all)."),
    per_plan: int = typer.Option(3, "--per-plan", min=1, help="Hits shown per plan."),
    site: str = typer.Option("", "--site", help="Folder of the review pages (kehoach report --out DIR), for the links."),
) -> None:
    """Search the stored plans' text, targets, amounts and assignments, with or without diacritics."""
    from kehoach.models.search import hit_dicts, search

    if fmt not in ("table", "json"):
        err.print(f"[red]error:[/] --format is table or json, not {escape(repr(fmt))}")
        raise typer.Exit(EXIT_USAGE)
    s = _open_store(db)
    t0 = time.perf_counter()
    try:
        result = search(s.engine, query, province=province, kind=kind, limit=limit, per_plan=per_plan)
    except ValueError as exc:  # a query with no word to look for, a kind that is none of KINDS
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE)
    seconds = time.perf_counter() - t0
    if fmt == "json":
        import json

        typer.echo(json.dumps(hit_dicts(result, site), ensure_ascii=False, indent=1))
    else:
        _print_hits(result, site)
    if result.provinces == []:
        err.print(f"no stored plan is of the province {escape(repr(province))}")
    err.print(f"{result.total_plans} plans, {result.total_matches} hits ({seconds:.2f} s)", markup=False)


def _print_hits(result, site: str) -> None:  # noqa: ANN001
    """Each plan (title, number, issuer) and under it its hits: kind, section, snippet with the
    matched words in bold, and the link into its review page."""
    from rich.text import Text

    from kehoach.models.search import review_link

    out = Console(highlight=False, soft_wrap=True)
    for rank, p in enumerate(result.plans, 1):
        head = " · ".join(x for x in (p.number, p.issuer, p.province) if x)
        out.print(Text(f"{rank}. {p.title or p.path}", style="bold"), Text(f"  {head}  ({p.matches} hits)", style="dim"))
        for h in p.hits:
            where = " ".join(x for x in (h.section_label, (h.section_heading or "")[:50]) if x) or "—"
            line = Text(f"   [{h.kind}] {where}: ", style="cyan")
            shown = Text(h.snippet)
            for s, e in h.marks:
                shown.stylize("bold yellow", s, e)
            out.print(line + shown)
            out.print(Text(f"      {review_link(p.sha256, h.span_start, site)}", style="dim"))


@app.command("tasks")
def tasks_cmd(
    agency: Optional[str] = typer.Option(None, "--agency", "-a", help="An agency as today or as a plan named it "
                                         "('Sở Tài chính', 'So Tai chinh', 'Sở KH&ĐT'): its own duties and those it inherited."),
    province: Optional[str] = typer.Option(None, "--province", "-p", help="Plans of this province (as issued or today)."),
    due_before: Optional[str] = typer.Option(None, "--due-before", help="Due on or before this day: 2026-06-30, "
                                             "30/6/2026, 'Quý IV/2026', 2026."),
    db: Optional[str] = typer.Option(None, "--db", help="Database URL (default: KEHOACH_DATABASE_URL or sqlite:///kehoach.db)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json (one array of duties, each naming its plan)."),
) -> None:
    """Who owes what by when: duties of every stored plan, across the 2025 reform."""
    from kehoach.models.obligations import due_date, duties, table_rows, to_csv, to_json
    from kehoach.normalizers.agencies import canonical_name, catalog_agency
    from kehoach.normalizers.deadlines import normalize_deadline

    if fmt not in ("table", "csv", "json"):
        err.print(f"[red]error:[/] --format is table, csv or json, not {escape(repr(fmt))}")
        raise typer.Exit(EXIT_USAGE)
    until = due_date(normalize_deadline(due_before)) if due_before else None
    if due_before and until is None:
        err.print(f"[red]error:[/] --due-before: no date in {escape(repr(due_before))} (try 2026-06-30 or 'Quý IV/2026')")
        raise typer.Exit(EXIT_USAGE)
    cid = name = None
    if agency:
        name = canonical_name(agency)
        found = catalog_agency(name)
        cid = found.id if found else None
        if found and found.level not in ("any_local", "any_level"):
            name = None  # the catalog id says it all; a Ủy ban nhân dân needs its level and place
    s = _open_store(db)
    got = duties(s.engine, catalog_id=cid, name=name, province=province, due_before=until)
    if fmt == "json":
        typer.echo(to_json(got))
    elif fmt == "csv":
        sys.stdout.write(to_csv(got))
    else:
        from rich.table import Table

        out = Console(highlight=False)
        out.width = max(out.width, 160)  # a pipe gets 80 columns: too narrow for a task and its plan
        table = Table("Hạn", "Cơ quan hôm nay", "Giao cho", "Vai trò", "Nhiệm vụ", "Kế hoạch", show_lines=False)
        for row in table_rows(got, width=70):
            table.add_row(*(escape(c) for c in row))
        out.print(table)
    inherited = sum(d.inherited for d in got)
    err.print(f"{len(got)} duties in {len({d.plan.sha256 for d in got})} plans"
              + (f", {inherited} inherited" if inherited else ""), markup=False)


db_app = typer.Typer(help="The relational store: migrations and counts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
DB_OPTION = typer.Option(None, "--db", help="Database URL (default: KEHOACH_DATABASE_URL or sqlite:///kehoach.db).")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head"), db: Optional[str] = DB_OPTION) -> None:
    """Migrate the database to REVISION (the newest by default)."""
    from kehoach.models.store import Store, current_revision, upgrade

    s = Store(db, migrate=False)
    upgrade(s.engine, revision)
    s.sync_catalog()
    typer.echo(f"{s.url}: at revision {current_revision(s.engine)}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. 0001 or base."),
                 db: Optional[str] = DB_OPTION) -> None:
    """Migrate the database down to REVISION."""
    from kehoach.models.store import Store, current_revision, downgrade

    s = Store(db, migrate=False)
    downgrade(s.engine, revision)
    typer.echo(f"{s.url}: at revision {current_revision(s.engine)}")


@db_app.command("stats")
def db_stats(db: Optional[str] = DB_OPTION) -> None:
    """Rows per table."""

    s = _open_store(db)
    counts = s.stats()
    width = max(len(k) for k in counts)
    for name, n in counts.items():
        typer.echo(f"{name:<{width}}  {n:>8}")


@app.command()
def version() -> None:
    """Print the pipeline version."""
    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
