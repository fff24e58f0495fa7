"""Documents extracted in worker processes that are stopped when one passes its time or memory.

A hostile file can hold up a reader or an extractor in C code (a parser, an inflater, a regular
expression) where no Python check runs, and a process cannot give back what it allocated there.
So every document of a batch is read and extracted in a worker process watched from the calling
process: past the document's time limit (and a grace for the reader's own clean ``timeout``) or
its memory limit, the worker and whatever it started (Tesseract) are killed, the document gets a
``timeout`` or ``out_of_memory`` record, and a fresh worker takes the next document. A worker that
dies on its own (a crash in a C library) gives ``worker_crashed``. Workers live for many
documents: the models the extractors load once (spaCy, underthesea) are not loaded per document.

Workers start from a forkserver (a clean single-threaded process: the flows run in threads,
and forking a threaded process can deadlock) that has the extractors imported.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

import psutil

from kehoach.pipeline.extract import Outcome, error_record, extract_path
from kehoach.pipeline.readers import Limits
from kehoach.pipeline.readers.ocr import OCR_WORKERS_ENV

# After the document's own limit, the reader's check gets this long to end it with its own
# message before the worker is killed.
GRACE_SECONDS = 2.0
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Job:
    path: str
    include_text: bool
    ocr: bool
    limits: Limits


def _die_with_parent() -> None:
    """Linux: the worker is killed when the process that started it (the forkserver, which
    exits with the calling process) goes, so a killed run leaves no worker behind."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # not glibc: the worker ends when it next reads its closed pipe
        return
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _serve(conn, one_ocr_process: bool) -> None:  # noqa: ANN001 - a multiprocessing Connection
    """The worker's loop: a job in, its outcome out, until the pipe closes or None comes."""
    _die_with_parent()
    if one_ocr_process:  # the other workers have the other cores
        os.environ[OCR_WORKERS_ENV] = "1"
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        outcome = extract_path(job.path, include_text=job.include_text, ocr=job.ocr, limits=job.limits)
        outcome.peak_memory = _peak_rss()
        conn.send(outcome)


def _peak_rss() -> int:
    """The most memory this worker (or a Tesseract it waited for) has held, in bytes: what the
    watcher's polls could miss between two looks."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * 1024  # Linux counts kilobytes


def _context():  # noqa: ANN202
    ctx = multiprocessing.get_context("forkserver")
    # the administrative units' library loads its data (about a second) when imported: once in
    # the forkserver, not again in every worker (normalizers.admin_units imports it on first use)
    ctx.set_forkserver_preload(["kehoach.pipeline.extract", "vietnamadminunits"])
    return ctx


def _tree_memory(proc: psutil.Process) -> int:
    """Resident bytes of the worker and of what it started (Tesseract, OCR processes: their own
    pages only, as forked children share the worker's)."""
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            mi = child.memory_info()
        except psutil.NoSuchProcess:
            continue
        total += max(0, mi.rss - getattr(mi, "shared", 0))
    return total


class WorkerStopped(RuntimeError):
    """The pool was stopped, or the calling process is exiting: the document was not finished and
    gets no record (a run that claimed it gives it back, or the next run reclaims it)."""


_stopping = threading.Event()
_live: "set[Worker]" = set()


def _stop_all() -> None:
    """At exit, before Python waits for its threads: stop every worker now, so that threads
    waiting on a document (ours, Prefect's) end instead of holding the exit for its time limit."""
    _stopping.set()
    for w in list(_live):
        w.kill()


# the hook concurrent.futures uses to end its own threads at exit; it runs before threads are joined
threading._register_atexit(_stop_all)


def _crash_message(proc) -> str:  # noqa: ANN001 - a multiprocessing Process
    proc.join(1)
    code = proc.exitcode
    how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit status {code}"
    return f"the worker reading this document ended ({how}) before giving a result"


class Worker:
    """One worker process, started when first needed and again after it was stopped."""

    def __init__(self, one_ocr_process: bool = False, stopping: Optional[threading.Event] = None):
        self.one_ocr_process = one_ocr_process
        self.stopping = stopping or threading.Event()  # set: no document is started or waited for
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        ctx = _context()
        here, there = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(there, self.one_ocr_process), daemon=True,
                                 name="kehoach-worker")
        self._proc.start()
        there.close()
        self._conn = here
        _live.add(self)

    def run(self, job: Job) -> Outcome:
        """The outcome of ``job``: the worker's, or an error record when it had to be stopped."""
        t0 = time.monotonic()
        if _stopping.is_set() or self.stopping.is_set():
            raise WorkerStopped(f"stopped before it started: {job.path}")
        for attempt in (1, 2):  # a worker that died idle (or at its start) is replaced once
            if self._proc is None or not self._proc.is_alive():
                self._start()
            proc, conn = self._proc, self._conn  # kept: an exit may stop the worker from another thread
            try:
                conn.send(job)
                break
            except OSError:  # BrokenPipeError: it is gone
                if attempt == 2:
                    return self._stopped(job, t0, "worker_crashed", _crash_message(proc))
                self.kill()
        watched = psutil.Process(proc.pid)
        deadline = t0 + job.limits.max_seconds + GRACE_SECONDS
        peak = 0
        while True:
            try:
                if _stopping.is_set() or self.stopping.is_set():
                    raise WorkerStopped(f"stopped with the process that ran it: {job.path}")
                if conn.poll(POLL_SECONDS):
                    outcome = conn.recv()
                    outcome.peak_memory = max(outcome.peak_memory or 0, peak)
                    return outcome
                ended = not proc.is_alive()
            except (EOFError, OSError):  # the pipe closed: the worker died, or was stopped under us
                ended = True
            if ended:
                if _stopping.is_set() or self.stopping.is_set():
                    raise WorkerStopped(f"stopped with the process that ran it: {job.path}")
                return self._stopped(job, t0, "worker_crashed", _crash_message(proc))
            try:
                used = _tree_memory(watched)
            except psutil.NoSuchProcess:
                continue  # it just ended: the next poll sees why
            peak = max(peak, used)
            if used > job.limits.max_memory:
                return self._stopped(job, t0, "out_of_memory",
                                     f"stopped at {used >> 20} MiB, over the limit of {job.limits.max_memory >> 20} MiB "
                                     "for one document (KEHOACH_MAX_MEMORY_MB or --max-memory-mb)", peak)
            if time.monotonic() > deadline:
                return self._stopped(job, t0, "timeout",
                                     f"stopped after {job.limits.max_seconds:g} s, reading and extraction not "
                                     "finished (KEHOACH_MAX_SECONDS or --max-seconds)", peak)

    def _stopped(self, job: Job, t0: float, type_: str, message: str, peak: int = 0) -> Outcome:
        self.kill()
        return Outcome(error_record(job.path, type_, message, max_bytes=job.limits.max_bytes),
                       time.monotonic() - t0, 0, peak_memory=peak or None)

    def kill(self) -> None:
        """Stop the worker and everything it started, now."""
        proc, conn = self._proc, self._conn
        if proc is None:
            return
        self._proc = self._conn = None
        _live.discard(self)
        try:
            family = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        proc.kill()
        for p in family:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        proc.join(5)
        conn.close()

    def close(self) -> None:
        """Let the worker finish its loop; kill it if it does not."""
        if self._proc is None:
            return
        try:
            self._conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self._proc.join(5)
        self.kill()


class WorkerPool:
    """``size`` workers, each document given to whichever is free; results in the order given.
    Safe to use from several threads at once (the flows' batches): together they never run
    more than ``size`` documents."""

    def __init__(self, size: int):
        self.size = size
        self._idle: "queue.SimpleQueue[Worker]" = queue.SimpleQueue()
        self._stop = threading.Event()
        self._all = [Worker(one_ocr_process=size > 1, stopping=self._stop) for _ in range(size)]
        for w in self._all:
            self._idle.put(w)
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="kehoach-watch")

    def _run(self, job: Job) -> Outcome:
        worker = self._idle.get()
        try:
            return worker.run(job)
        finally:
            self._idle.put(worker)

    def extract(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        yield from self._threads.map(self._run, jobs)

    def stop(self) -> None:
        """Kill every worker now; documents in flight and waiting raise ``WorkerStopped``."""
        self._stop.set()
        for w in self._all:
            w.kill()

    def shutdown(self) -> None:
        self._threads.shutdown(wait=True)
        for w in self._all:
            w.close()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, exc_type, *exc) -> None:  # noqa: ANN001, ANN002
        if exc_type is not None:  # Ctrl-C, an error of the caller: do not wait for documents in flight
            self.stop()
        self.shutdown()


_shared: dict[int, WorkerPool] = {}
_shared_lock = threading.Lock()


def shared_pool(size: int) -> WorkerPool:
    """One long-lived pool of ``size`` workers per process, for callers that run several batches
    at once (the flows' tasks run in threads)."""
    with _shared_lock:
        if size not in _shared:
            _shared[size] = WorkerPool(size)
        return _shared[size]


def stop_shared_pools() -> None:
    """Stop the shared pools of this process (a run that is ending on a signal or an error:
    its batches must not wait for their documents); the next caller gets fresh ones."""
    with _shared_lock:
        pools = list(_shared.values())
        _shared.clear()
    for pool in pools:
        pool.stop()


def can_start_workers() -> bool:
    """False inside a daemonic process (a Dask worker), which may not start processes of its own."""
    return not multiprocessing.current_process().daemon


def run_jobs(jobs: list[Job], workers: int, pool: Optional[WorkerPool] = None) -> Iterator[Outcome]:
    """Each job's outcome in order: in ``pool``, in a pool of ``workers`` started for these jobs,
    or — inside a process that may not start workers — here, with the readers' own checks only."""
    if pool is not None:
        yield from pool.extract(jobs)
    elif not can_start_workers():
        for j in jobs:
            yield extract_path(j.path, include_text=j.include_text, ocr=j.ocr, limits=j.limits)
    else:
        with WorkerPool(max(1, min(workers, len(jobs)))) as own:
            yield from own.extract(jobs)
