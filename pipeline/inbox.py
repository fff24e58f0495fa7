"""The document inbox of the nightly job: what is ready, what to archive, what to quarantine.

Plain functions over the file system, with no Prefect in them, so the flows and the tests use
the same rules: files still being written (modified within the settle time) wait for the next
run; links that point outside the inbox are refused; a finished file moves to
``archive/YYYY-MM-DD/`` and a failed one to ``quarantine/YYYY-MM-DD/`` with a sidecar
``.error.json`` saying why. A file is never overwritten: a name already taken gets a suffix.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from kehoach.pipeline.readers import SUPPORTED_EXTENSIONS

DEFAULT_SETTLE_SECONDS = 10.0


@dataclass
class InboxScan:
    ready: list[Path] = field(default_factory=list)
    settling: list[Path] = field(default_factory=list)  # still being written: next run
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[Path] = field(default_factory=list)  # not a supported extension


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def scan_inbox(inbox: Path, exclude: list[Path] = (), settle_seconds: float = DEFAULT_SETTLE_SECONDS,
               now: float | None = None) -> InboxScan:
    inbox = inbox.resolve()
    excluded = [p.resolve() for p in exclude]
    now = time.time() if now is None else now
    scan = InboxScan()
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not any(_inside((here / d).resolve(), e) for e in excluded))
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith(".error.json"):
                continue
            path = here / name
            if path.is_symlink():
                target = path.resolve()
                if not _inside(target, inbox):
                    scan.refused.append((path, f"symbolic link to {target}, outside the inbox"))
                    continue
                if not target.is_file():
                    scan.refused.append((path, "broken symbolic link"))
                    continue
            if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                scan.skipped.append(path)
                continue
            try:
                st = path.stat()
            except OSError as exc:
                scan.refused.append((path, f"cannot read: {exc.strerror}"))
                continue
            if now - st.st_mtime < settle_seconds:
                scan.settling.append(path)
            else:
                scan.ready.append(path)
    return scan


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _free_name(target: Path) -> Path:
    if not target.exists():
        return target
    for i in range(1, 10000):
        candidate = target.with_name(f"{target.stem}.{i}{target.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(target)


def _dated(root: Path, inbox: Path, path: Path, day: dt.date) -> Path:
    try:
        rel = path.relative_to(inbox)
    except ValueError:
        rel = Path(path.name)
    target = _free_name(root / day.isoformat() / rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def archive_file(path: Path, inbox: Path, archive: Path, day: dt.date | None = None) -> Path:
    target = _dated(archive, inbox.resolve(), path.resolve() if not path.is_symlink() else path, day or dt.date.today())
    shutil.move(str(path), str(target))
    return target


def quarantine_file(path: Path, inbox: Path, quarantine: Path, error: dict, day: dt.date | None = None) -> Path:
    target = _dated(quarantine, inbox.resolve(), path.resolve() if not path.is_symlink() else path, day or dt.date.today())
    shutil.move(str(path), str(target))
    sidecar = target.with_name(target.name + ".error.json")
    sidecar.write_text(json.dumps({"file": target.name, "original_path": str(path), **error,
                                   "quarantined_at": dt.datetime.now(dt.timezone.utc).isoformat()},
                                  ensure_ascii=False, indent=2), encoding="utf-8")
    return target


# --- claims: two runs on one inbox never take the same file -----------------------------------
#
# A run claims a file by renaming it into the inbox's .claimed/<run id>/ folder: a rename is
# atomic, so of two runs (two workers, two cron firings) exactly one gets each file; the other
# finds it gone and leaves it. While a run lives it holds an exclusive lock on
# .claimed/<run id>.lock; a lock that can be taken belongs to a run that died, whose claimed
# files go back into the inbox for the next run.

CLAIMS = ".claimed"


class RunClaim:
    """The claims of one run: its folder and the lock that says it is alive."""

    def __init__(self, inbox: Path, run_id: int):
        import fcntl

        self.inbox = inbox.resolve()
        self.run_id = run_id
        self.folder = self.inbox / CLAIMS / str(run_id)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.inbox / CLAIMS / f"{run_id}.lock", "w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def take(self, path: Path) -> Path | None:
        """Move ``path`` into this run's claims; None when another run took it first."""
        target = self.folder / path.relative_to(self.inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        return target

    def original(self, claimed: Path) -> Path:
        """Where a claimed file was in the inbox."""
        return self.inbox / claimed.relative_to(self.folder)

    def give_back(self, claimed: Path) -> Path:
        """Put a claimed file back where it was (the next run takes it again)."""
        target = _free_name(self.original(claimed))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(claimed, target)
        return target

    def give_back_all(self) -> list[Path]:
        return [self.give_back(f) for f in sorted(self.folder.rglob("*")) if f.is_file() or f.is_symlink()]

    def release(self) -> None:
        """The run is over: its (now empty) claims folder and its lock go."""
        shutil.rmtree(self.folder, ignore_errors=True)
        lock = Path(self._lock.name)
        self._lock.close()
        lock.unlink(missing_ok=True)


def dead_runs(inbox: Path) -> list[int]:
    """Runs that claimed files in this inbox and died: their lock can be taken."""
    import fcntl

    root = inbox.resolve() / CLAIMS
    dead = []
    for lock in sorted(root.glob("*.lock")) if root.is_dir() else []:
        try:
            with open(lock, "a") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fh, fcntl.LOCK_UN)
        except BlockingIOError:
            continue  # alive
        if lock.stem.isdigit():
            dead.append(int(lock.stem))
    return dead


def reclaim(inbox: Path, run_id: int) -> list[Path]:
    """Put a dead run's claimed files back into the inbox (where they were); its lock goes."""
    inbox = inbox.resolve()
    folder = inbox / CLAIMS / str(run_id)
    back = []
    for f in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if f.is_file():
            target = _free_name(inbox / f.relative_to(folder))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(f, target)
            back.append(target)
    shutil.rmtree(folder, ignore_errors=True)
    (inbox / CLAIMS / f"{run_id}.lock").unlink(missing_ok=True)
    return back
