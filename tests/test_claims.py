"""Claims on the inbox: two runs never take the same file, a dead run's files go back."""
import os
import signal
import subprocess
import sys
import time

from kehoach.pipeline.inbox import CLAIMS, RunClaim, dead_runs, reclaim


def _inbox(tmp_path, n):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    for i in range(n):
        (inbox / ("sub" if i % 3 == 0 else ".") / f"plan{i:03d}.txt").write_text(f"Kế hoạch {i}", encoding="utf-8")
    return inbox


def test_a_file_is_taken_by_one_run_only(tmp_path):
    inbox = _inbox(tmp_path, 3)
    a, b = RunClaim(inbox, 1), RunClaim(inbox, 2)
    f = inbox / "plan001.txt"
    taken = a.take(f)
    assert taken == inbox / CLAIMS / "1" / "plan001.txt" and taken.exists()
    assert b.take(f) is None
    assert a.original(taken) == f
    assert a.give_back(taken) == f and f.exists()
    a.release()
    b.release()
    assert not (inbox / CLAIMS / "1").exists() and not (inbox / CLAIMS / "1.lock").exists()


RACE = """
import sys
from pathlib import Path
from kehoach.pipeline.inbox import RunClaim
inbox, run = Path(sys.argv[1]), int(sys.argv[2])
claim = RunClaim(inbox, run)
files = sorted(p for p in inbox.rglob('*.txt') if '.claimed' not in p.parts)
got = [str(claim.original(t)) for t in (claim.take(p) for p in files) if t is not None]
print('\\n'.join(got))
"""


def test_two_processes_racing_over_an_inbox_share_it_without_overlap(tmp_path):
    inbox = _inbox(tmp_path, 300)
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(inbox), str(run)], stdout=subprocess.PIPE, text=True)
             for run in (11, 12)]
    taken = [set(p.communicate(timeout=60)[0].split()) for p in procs]
    assert not (taken[0] & taken[1])
    assert len(taken[0] | taken[1]) == 300


HOLD = """
import sys, time
from pathlib import Path
from kehoach.pipeline.inbox import RunClaim
claim = RunClaim(Path(sys.argv[1]), 77)
for name in ('plan001.txt', 'plan002.txt', 'sub/plan003.txt'):
    claim.take(Path(sys.argv[1]) / name)
print('claimed', flush=True)
time.sleep(60)
"""


def test_a_killed_runs_claims_go_back_and_a_live_runs_stay(tmp_path):
    inbox = _inbox(tmp_path, 6)
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(inbox)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "claimed"
    assert dead_runs(inbox) == []  # alive: its lock is held
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(0.1)
    assert dead_runs(inbox) == [77]
    back = reclaim(inbox, 77)
    assert sorted(p.relative_to(inbox).as_posix() for p in back) == ["plan001.txt", "plan002.txt", "sub/plan003.txt"]
    assert dead_runs(inbox) == [] and not (inbox / CLAIMS / "77").exists()
