"""The journal's promises across processes: a killed check-in, and two at once.

Each test starts real processes (``python -c``) on one journal file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from painpath import Journal

pytestmark = pytest.mark.slow

START = dt.date(2026, 1, 1)
CLOCK = dt.date(2027, 12, 31)
ANSWERS = {"area": "back", "pain_score": 5, "leg_pain": "buttock", "bladder_or_bowel_change": False}

_PRELUDE = textwrap.dedent(
    f"""
    import datetime as dt, json, os, sys, time
    from painpath import Journal, InvalidAnswersError
    journal = Journal(sys.argv[1], clock=lambda: dt.date({CLOCK.year}, {CLOCK.month}, {CLOCK.day}))
    """
)


def checkin_for(n: int) -> dict[str, object]:
    """The check-in of day ``n`` (from 0): every field derived from ``n``."""
    return {
        "date": (START + dt.timedelta(days=n)).isoformat(),
        "pain_score": n % 11,
        "sessions_done": n % 7,
        "note": f"day {n} " + "x" * (n % 50),
    }


def python(code: str, *args: str, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "journal.sqlite3"
    with Journal(target, clock=lambda: CLOCK) as journal:
        journal.start(ANSWERS, start_date=START)
    return target


@pytest.mark.parametrize("wait", [0.0, 0.013, 0.031])
def test_sigkill_in_a_loop_of_check_ins_leaves_every_recorded_check_in_whole(path, wait):
    loop = python(
        f"""
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        from test_journal_promises import checkin_for
        for n in range(700):
            journal.checkin(checkin_for(n))
            print(n, flush=True)
        """,
        str(path),
    )
    assert loop.stdout is not None
    for _ in range(12):  # let it get going, then kill it wherever it is
        if not loop.stdout.readline():
            pytest.fail(loop.communicate()[1])
    time.sleep(wait)
    loop.send_signal(signal.SIGKILL)
    rest, _ = loop.communicate(timeout=30)
    assert loop.returncode == -signal.SIGKILL
    reported = len(rest.splitlines()) + 12

    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with Journal(path, clock=lambda: CLOCK) as journal:
        entries = journal.history()[1:]
        # every check-in it reported is there, and at most the one in flight besides
        assert reported <= len(entries) <= reported + 1
        for n, entry in enumerate(entries):
            assert dict(entry.answers) == {k: v for k, v in checkin_for(n).items() if k != "date"}
            assert entry.date == checkin_for(n)["date"]
            assert entry.reasons  # the outcome was stored with it
        # and it still takes the next check-in
        journal.checkin(checkin_for(len(entries)))


def _racers(path, dates):
    """Start one process per date; all wait for a signal file, then check in at once."""
    go = path.parent / "go"
    code = """
        go = sys.argv[2]
        while not os.path.exists(go):
            time.sleep(0.001)
        try:
            outcome = journal.checkin({"date": sys.argv[3], "pain_score": 4})
            print(json.dumps({"ok": outcome.date}))
        except InvalidAnswersError as error:
            print(json.dumps({"refused": str(error)}))
    """
    procs = [python(code, str(path), str(go), date) for date in dates]
    time.sleep(1.0)  # both have opened the journal and are waiting
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    return results


def test_two_processes_checking_in_at_once_are_both_recorded(path):
    results = _racers(path, ["2026-01-02", "2026-01-03"])
    assert sorted(r["ok"] for r in results) == ["2026-01-02", "2026-01-03"]
    with Journal(path, clock=lambda: CLOCK) as journal:
        assert [e.date for e in journal.history()[1:]] == ["2026-01-02", "2026-01-03"]


def test_the_same_date_twice_at_once_is_refused_once_with_a_clear_error(path):
    results = _racers(path, ["2026-01-05", "2026-01-05"])
    assert sorted(results, key=str) == sorted(
        [{"ok": "2026-01-05"}, {"refused": results[0].get("refused") or results[1]["refused"]}],
        key=str,
    )
    refused = next(r["refused"] for r in results if "refused" in r)
    assert "'date' 2026-01-05 already has a check-in (one per day)" in refused
    with Journal(path, clock=lambda: CLOCK) as journal:
        assert [e.date for e in journal.history()[1:]] == ["2026-01-05"]


_FORK_WHILE_LOCKED = textwrap.dedent(
    """
    import os, sys, threading, time
    from painpath import Journal
    journal = Journal(sys.argv[1])
    held, release = threading.Event(), threading.Event()

    def hold():
        with journal._lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    pid = os.fork()
    if pid == 0:
        os._exit(0 if journal._lock.acquire(timeout=5) else 1)
    release.set()
    thread.join()
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))
    """
)


class TestFork:
    def test_a_fork_while_another_thread_uses_the_journal_leaves_the_child_unblocked(
        self, tmp_path
    ):
        """The journal's lock is among the locks a forked child gets back unlocked."""
        done = subprocess.run(
            [sys.executable, "-c", _FORK_WHILE_LOCKED, str(tmp_path / "j.sqlite")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
