"""painpath.triage_many(): many records, in order, on several processes."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

import painpath
from painpath._fhir import questionnaire_response
from painpath._samples import sample_answers

BAD = {"area": "elbow"}


def test_in_process_results_are_in_order_and_equal_triage():
    records = sample_answers(200, seed=5, red_flag_rate=0.3)
    results = list(painpath.triage_many(records, workers=1))
    assert results == [painpath.triage(r) for r in records]


@pytest.mark.slow
def test_on_two_processes_results_are_in_order_and_equal_triage():
    records = sample_answers(700, seed=6, red_flag_rate=0.3)
    results = list(painpath.triage_many(records, workers=2))
    assert results == [painpath.triage(r) for r in records]


@pytest.mark.slow
def test_bad_records_are_returned_in_place_or_raised():
    records = [{"area": "back"}, BAD, {"area": "knee"}] * 100
    outcomes = list(painpath.triage_many(records, workers=2, errors="return"))
    assert len(outcomes) == 300
    for record, outcome in zip(records, outcomes, strict=True):
        if record is BAD:
            assert isinstance(outcome, painpath.InvalidAnswersError)
            assert [p.key for p in outcome.problems] == ["area"]
        else:
            assert outcome == painpath.triage(record)
    seen = []
    with pytest.raises(painpath.InvalidAnswersError):
        for result in painpath.triage_many(records, workers=2):
            seen.append(result)
    assert seen == [painpath.triage({"area": "back"})]


@pytest.mark.slow
def test_a_loaded_rule_set_reaches_the_workers(tmp_path: Path):
    copy = shutil.copytree(painpath.default_rules().origin, tmp_path / "rules")
    rules = painpath.load_rules(copy)
    records = sample_answers(150, seed=8, red_flag_rate=0.5)
    results = list(painpath.triage_many(records, rules=rules, workers=2, mp_context="spawn"))
    assert results == [painpath.triage(r, rules=rules) for r in records]


def test_questionnaire_responses_are_records_too():
    records = [questionnaire_response({"area": "back", "saddle_numbness": True}), {"area": "knee"}]
    levels = [r.level for r in painpath.triage_many(records, workers=1)]
    assert levels == [painpath.Level.EMERGENCY, painpath.triage({"area": "knee"}).level]


def test_records_are_read_lazily():
    def endless():
        while True:
            yield {"area": "back"}

    many = painpath.triage_many(endless(), workers=1)
    assert next(many).level == painpath.triage({"area": "back"}).level
    many.close()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"workers": 0}, ValueError),
        ({"workers": True}, ValueError),
        ({"errors": "ignore"}, ValueError),
        ({"rules": "rules/"}, TypeError),
    ],
)
def test_bad_arguments_are_refused_clearly(kwargs, error):
    with pytest.raises(error):
        next(painpath.triage_many([{"area": "back"}], **kwargs))


# --- the pool's safety, shared with painpath batch (issue 8, issue 12) ---------------------


def endless():
    while True:
        yield {"area": "back", "spasm": True}


def gone(pid: int, seconds: float = 10.0) -> bool:
    """Whether a process has ended (or is a zombie) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_killed_worker_is_a_broken_pool_not_a_hang():
    """A worker killed mid-run raises BrokenProcessPool within seconds, then no worker is left."""
    many = painpath.triage_many(endless(), workers=2)
    next(many)
    workers = multiprocessing.active_children()
    assert workers
    os.kill(workers[0].pid, signal.SIGKILL)  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(BrokenProcessPool):
        for _ in many:
            assert time.monotonic() - started < 30, "still yielding 30 s after a worker died"
    assert all(gone(w.pid) for w in workers)  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_workers_die_with_a_killed_parent(method):
    """SIGKILL of a program in the middle of triage_many: its workers end too."""
    code = (
        "import multiprocessing, sys, painpath\n"
        "def endless():\n"
        "    while True:\n"
        "        yield {'area': 'knee'}\n"
        "if __name__ == '__main__':\n"
        f"    many = painpath.triage_many(endless(), workers=2, mp_context={method!r})\n"
        "    next(many)\n"
        "    print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
        "    for _ in many:\n"
        "        pass\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert parent.stdout is not None
        helpers = [int(pid) for pid in parent.stdout.readline().split()]
        assert helpers
        parent.kill()
        parent.wait(timeout=30)
        assert [pid for pid in helpers if not gone(pid)] == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.communicate(timeout=30)


@pytest.mark.slow
def test_forkserver_workers_give_the_in_process_results():
    records = sample_answers(150, seed=9, red_flag_rate=0.3)
    results = list(painpath.triage_many(records, workers=2, mp_context="forkserver"))
    assert results == list(painpath.triage_many(records, workers=1))


@pytest.mark.slow
def test_ctrl_c_leaves_to_the_parent_and_the_pool_stops():
    """The workers ignore Ctrl-C; the parent's KeyboardInterrupt stops and closes the pool."""
    many = painpath.triage_many(endless(), workers=2)
    next(many)
    workers = multiprocessing.active_children()
    for worker in workers:
        os.kill(worker.pid, signal.SIGINT)  # type: ignore[arg-type]
    for _ in range(200):
        next(many)  # the workers go on
    many.close()
    assert all(gone(w.pid) for w in workers)  # type: ignore[arg-type]
