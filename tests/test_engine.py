"""The rules engine: order independence, isolation, threads, and errors that never leak."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings

import painpath
from painpath import testing
from painpath._engine import CompiledRules
from painpath._rules import default_rules_path
from painpath._samples import sample_answers


def shuffled_copy(target: Path, seed: int) -> Path:
    """Copy the shipped rules with the files renamed and the rules of each file shuffled."""
    rng = random.Random(seed)
    target.mkdir()
    files = sorted(f for f in default_rules_path().glob("*.toml") if f.name != "LEDGER.toml")
    names = [f"f{i:02d}.toml" for i in range(len(files))]
    rng.shuffle(names)
    for source, name in zip(files, names, strict=True):
        text = source.read_text(encoding="utf-8")
        head, *blocks = re.split(r"(?m)^(?=\[\[(?:rule|stop|finding)\]\])", text)
        rng.shuffle(blocks)
        body = head + "".join(b if b.endswith("\n\n") else b.rstrip("\n") + "\n\n" for b in blocks)
        tomllib.loads(body)  # still valid TOML
        (target / name).write_text(body, encoding="utf-8")
    return target


def summary(result: painpath.Result) -> tuple[object, ...]:
    return (
        result.level,
        result.findings,
        frozenset(r.rule_id for r in result.reasons),
        tuple(p.routine_id for p in result.plan),
        frozenset(e.exercise_id for p in result.plan for e in p.exercises),
        frozenset(s.id for s in result.stop_if),
    )


@pytest.fixture(scope="module")
def reordered(tmp_path_factory):
    base = tmp_path_factory.mktemp("reordered")
    return [painpath.load_rules(shuffled_copy(base / f"s{seed}", seed)) for seed in (1, 2, 3)]


class TestOrderIndependence:
    @settings(max_examples=150, deadline=None)
    @given(answers=testing.answers())
    def test_rule_order_never_changes_the_result(self, reordered, answers):
        """Negation over derived findings does not depend on the order rules are written or fire in.

        ``pattern.nonspecific`` (no sciatica, SIJ or herniation signs) and
        ``pattern.knee_mechanical`` (no knee red flag or injury) would be wrong if
        they could fire before the findings they negate.
        """
        expected = summary(painpath.triage(answers))
        for rules in reordered:
            assert summary(painpath.triage(answers, rules=rules)) == expected

    def test_nonspecific_is_not_found_beside_sciatica_in_any_order(self, reordered):
        """The classic stratification case: sciatica is derived, and nonspecific negates it."""
        answers = {"area": "back", "leg_pain": "below_knee"}
        for rules in [painpath.default_rules(), *reordered]:
            result = painpath.triage(answers, rules=rules)
            assert "pattern.sciatica" in result.findings
            assert "pattern.nonspecific" not in result.findings


class TestIsolation:
    @settings(max_examples=60, deadline=None)
    @given(first=testing.answers(), second=testing.answers())
    def test_nothing_from_one_call_reaches_the_next(self, first, second):
        """The same answers give the same result whatever was triaged before."""
        alone = painpath.triage(second).to_dict()
        painpath.triage(first)
        assert painpath.triage(second).to_dict() == alone

    def test_many_calls_leave_no_live_sessions(self):
        """Each evaluation deletes its engine session (the engine caps live sessions at 1,024)."""
        for i in range(2_000):
            painpath.triage({"area": "back", "age": 18 + i % 80, "spasm": bool(i % 2)})
        assert painpath.triage({"area": "back", "spasm": True}).findings >= {"pattern.acute_spasm"}

    def test_answers_nothing_matches_still_work(self, tmp_path):
        """A rule set that ignores the answers given returns a clean result (no session made)."""
        (tmp_path / "r.toml").write_text(
            '[[rule]]\nid = "X-1"\ntitle = "t"\nrationale = "r"\nsource = "s"\n'
            'level = "urgent"\nwhen = { fever = true }\n',
            encoding="utf-8",
        )
        rules = painpath.load_rules(tmp_path)
        for _ in range(3):
            assert painpath.triage({"area": "knee"}, rules=rules).level is painpath.Level.SELF_CARE
        assert painpath.triage({"area": "knee", "fever": True}, rules=rules).level.value == "urgent"


class TestThreads:
    def test_eight_threads_give_the_sequential_results(self):
        """Triage is correct when called from many threads at once."""
        batch = _fixed_batch()
        sequential = [painpath.triage(a).to_dict() for a in batch]
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(3):
                threaded = list(pool.map(lambda a: painpath.triage(a).to_dict(), batch))
                assert threaded == sequential


def _fixed_batch() -> list[dict[str, object]]:
    return sample_answers(80, seed=7)


class TestEngineErrors:
    def test_an_action_error_becomes_an_engine_error(self, monkeypatch):
        """An exception inside a rule action is reported as EngineError, never swallowed."""
        rules = painpath.load_rules(default_rules_path())

        def broken(self, ev, index, sid):
            raise ZeroDivisionError("boom")

        monkeypatch.setattr(CompiledRules, "_fire", broken)
        with pytest.raises(painpath.EngineError, match="ZeroDivisionError") as info:
            painpath.triage({"area": "back", "spasm": True}, rules=rules)
        assert isinstance(info.value, painpath.PainpathError)
        assert isinstance(info.value.__cause__, ZeroDivisionError)

    def test_the_engine_recovers_after_an_error(self, monkeypatch):
        """After an engine error the same rule set evaluates correctly again."""
        rules = painpath.load_rules(default_rules_path())
        original = CompiledRules._fire
        monkeypatch.setattr(CompiledRules, "_fire", lambda *a: 1 / 0)
        with pytest.raises(painpath.EngineError):
            painpath.triage({"area": "back", "spasm": True}, rules=rules)
        monkeypatch.setattr(CompiledRules, "_fire", original)
        result = painpath.triage({"area": "back", "spasm": True}, rules=rules)
        assert "pattern.acute_spasm" in result.findings

    def test_keyboard_interrupt_in_an_action_is_not_swallowed(self, monkeypatch):
        """Ctrl-C during an evaluation reaches the caller as KeyboardInterrupt."""
        rules = painpath.load_rules(default_rules_path())

        def interrupt(self, ev, index, sid):
            raise KeyboardInterrupt

        monkeypatch.setattr(CompiledRules, "_fire", interrupt)
        with pytest.raises(KeyboardInterrupt):
            painpath.triage({"area": "back", "spasm": True}, rules=rules)

    def test_engine_exceptions_are_wrapped(self, monkeypatch):
        """A failure of the engine itself surfaces as EngineError, not the engine's own type."""
        rules = painpath.load_rules(default_rules_path())
        native = rules._engine._native

        class Exploding:
            def __getattr__(self, name):
                return getattr(native, name)

            @staticmethod
            def assert_fact(handle, payload):
                raise RuntimeError("engine exploded")

        monkeypatch.setattr(rules._engine, "_native", Exploding())
        with pytest.raises(painpath.EngineError, match="engine exploded"):
            painpath.triage({"area": "back"}, rules=rules)


class TestPrivateHost:
    def test_no_global_durable_host_is_used(self):
        """Loading rules registers nothing in durable.lang's global host."""
        import durable.lang as lang

        before = set(lang._rulesets) if hasattr(lang, "_rulesets") else set()
        painpath.load_rules(default_rules_path())
        after = set(lang._rulesets) if hasattr(lang, "_rulesets") else set()
        assert after == before

    def test_no_background_threads_are_started(self):
        """A rule set starts no timer threads of its own."""
        import threading

        before = threading.active_count()
        for _ in range(3):
            painpath.load_rules(default_rules_path())
        assert threading.active_count() == before


def test_shuffled_copy_really_reorders(tmp_path):
    """The order-independence fixture does move rules around (a guard on the guard)."""
    copy = shuffled_copy(tmp_path / "x", 1)
    original = [r.id for r in painpath.default_rules().rules]
    shuffled = [r.id for r in painpath.load_rules(copy).rules]
    assert sorted(original) == sorted(shuffled) and original != shuffled
    shutil.rmtree(copy)


class TestSessionLifecycle:
    def test_rule_sets_that_ignore_the_answers_do_not_crash_the_engine(self, tmp_path):
        """Sessions opened only by gate or level facts are cleaned up safely.

        Deleting a session the C engine never fully created segfaults it; this ran
        in a subprocess so that a crash fails the test instead of killing the suite.
        """
        (tmp_path / "r.toml").write_text(
            '[[rule]]\nid = "X-2"\ntitle = "t"\nrationale = "r"\nsource = "s"\n'
            'advice = ["a"]\nwhen = { level = "urgent" }\n',
            encoding="utf-8",
        )
        probe = (
            "import painpath, sys\n"
            f"path = {str(tmp_path)!r}\n"
            "for _ in range(40):\n"
            "    rules = painpath.load_rules(path)\n"
            "    for area in ('back', 'knee', 'both', 'back', 'knee'):\n"
            "        painpath.triage({'area': area}, rules=rules)\n"
            "print('ok')\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "ok"
