"""Hardening: any input gives a result or one InvalidAnswersError; processes and threads agree."""

from __future__ import annotations

import collections
import json
import math
import multiprocessing
import pickle
import shutil
import types
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painpath
from painpath import testing
from painpath._contract import KEYS
from painpath._rules import default_rules_path
from painpath._samples import sample_answers

# --- strategies ------------------------------------------------------------------------


class BadRepr:
    """A value whose repr fails: error messages must still be built."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class FloatWithBadRepr(float):
    """A float (so a valid bmi) whose own repr fails."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class Age(int):
    """An int subclass, as an IntEnum or numpy-free wrapper would give."""


contract_keys = st.sampled_from(list(KEYS))
"""A key of the answer contract."""

any_keys = st.one_of(
    contract_keys,
    contract_keys.map(str.upper),
    st.text(max_size=30),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(),
    st.tuples(st.text(max_size=3)),
    st.binary(max_size=5),
)
"""Keys a caller might pass: contract keys, near misses, any text, and things that are not text."""

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-5, 600),
    st.floats(),  # nan and inf included
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308]),
    st.text(max_size=20),
    st.sampled_from(sorted({c for spec in KEYS.values() for c in spec.choices})),
    st.binary(max_size=5),
    st.sampled_from([Decimal("NaN"), Decimal("31.5"), Fraction(1, 3), 2j]),
    st.integers(0, 120).map(Age),
    st.floats(10, 80).map(FloatWithBadRepr),
    st.builds(BadRepr),
    st.builds(object),
)
"""Single values of every shape, valid for some key or for none."""

any_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=5), children, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=8,
)
"""Values, nested in lists, tuples, dicts and sets."""

any_mappings = st.dictionaries(any_keys, any_values, max_size=12)
"""Arbitrary mappings, mostly refused."""

near_valid_mappings = st.builds(
    lambda answers, extra: {**answers, **extra},
    testing.answers(),
    st.dictionaries(contract_keys, any_values, max_size=3),
)
"""Valid answers with a few contract keys set to arbitrary values: often still valid."""

non_mappings = st.one_of(
    scalars,
    st.lists(st.tuples(contract_keys, scalars), max_size=3),
    st.sets(st.text(max_size=4), max_size=3),
    st.just(painpath.Answers),
    st.just(iter([("area", "back")])),
    st.just(b'{"area": "back"}'),
    st.just('{"area": "back"}'),
)
"""Things that are not a mapping at all, some of them looking like answers."""


class ReadOnlyAnswers(Mapping[object, object]):
    """A Mapping that is not a dict."""

    def __init__(self, data: dict[object, object]) -> None:
        self._data = data

    def __getitem__(self, key: object) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[object]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


mapping_types = st.sampled_from(
    [dict, collections.OrderedDict, types.MappingProxyType, ReadOnlyAnswers]
)
"""The kinds of mapping a caller might pass."""


# --- helpers ---------------------------------------------------------------------------

BASELINE_ANSWERS = {
    "area": "both",
    "leg_pain": "below_knee",
    "press_up_response": "centralized",
    "knee_pain_location": "front",
    "pain_score": 6,
    "equipment": ["couch", "yoga_strap"],
}


@pytest.fixture(scope="module")
def baseline() -> dict[str, object]:
    return painpath.triage(BASELINE_ANSWERS).to_dict()


def outcome(answers: object) -> painpath.Result | painpath.InvalidAnswersError:
    """Triage; return the result or the InvalidAnswersError. Any other exception escapes."""
    try:
        result = painpath.triage(answers)  # type: ignore[arg-type]
    except painpath.InvalidAnswersError as error:
        return error
    return result


def check_outcome(answers: object, baseline: dict[str, object]) -> None:
    got = outcome(answers)
    if isinstance(got, painpath.Result):
        # A valid result is complete and strict JSON.
        json.dumps(got.to_dict(), allow_nan=False)
        assert got.level in set(painpath.Level)
    else:
        assert got.problems, "an InvalidAnswersError always lists its problems"
        for problem in got.problems:
            assert isinstance(problem.key, str) and problem.message
        assert str(got).splitlines()[0].endswith("with the answers:")
    # Nothing is left half-done: the next valid call gives what it gave before.
    assert painpath.triage(BASELINE_ANSWERS).to_dict() == baseline


fuzz = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestFuzzTriage:
    @fuzz
    @given(answers=any_mappings)
    def test_any_mapping_gives_a_result_or_invalid_answers(self, baseline, answers):
        """Whatever keys and values a mapping holds, triage raises nothing but InvalidAnswersError.

        A caller can catch one exception and show its problems; anything else would
        be a crash in front of a person in pain.
        """
        check_outcome(answers, baseline)

    @fuzz
    @given(answers=near_valid_mappings, kind=mapping_types)
    def test_near_valid_answers_in_any_mapping_type(self, baseline, answers, kind):
        """Valid answers with a few values replaced, in any kind of Mapping, never crash."""
        check_outcome(kind(answers), baseline)

    @settings(max_examples=150, deadline=None)
    @given(answers=non_mappings)
    def test_anything_that_is_not_a_mapping_is_refused(self, baseline, answers):
        """A non-mapping is refused with one problem about 'answers', not a TypeError."""
        got = outcome(answers)
        assert isinstance(got, painpath.InvalidAnswersError)
        assert [p.key for p in got.problems] == ["answers"]
        check_outcome(answers, baseline)

    @settings(max_examples=150, deadline=None)
    @given(answers=testing.invalid_answers())
    def test_refused_answers_leave_the_engine_as_it_was(self, baseline, answers):
        """A refused call changes nothing: the baseline answers keep their result."""
        assert isinstance(outcome(answers), painpath.InvalidAnswersError)
        check_outcome(answers, baseline)

    @settings(max_examples=150, deadline=None)
    @given(answers=st.one_of(any_mappings, near_valid_mappings))
    def test_the_answers_given_are_never_changed(self, answers):
        """triage reads the caller's mapping and its values; it never modifies them."""
        before = pickle.dumps(answers)
        outcome(answers)
        assert pickle.dumps(answers) == before

    def test_hostile_values_still_give_a_clear_message(self):
        """A value whose repr fails is still named in the problem list."""
        error = outcome({"area": "back", "fever": BadRepr(), BadRepr(): 1})
        assert isinstance(error, painpath.InvalidAnswersError)
        fever, key = error.problems
        assert fever.key == "fever" and "BadRepr" in fever.message
        assert "answer keys must be strings" in key.message

    def test_subclasses_of_valid_types_are_accepted(self):
        """An int subclass for an int key and a float subclass for bmi are valid numbers."""
        result = painpath.triage({"area": "knee", "age": Age(40), "bmi": FloatWithBadRepr(31.0)})
        assert result == painpath.triage({"area": "knee", "age": 40, "bmi": 31.0})


# --- processes -------------------------------------------------------------------------


def fixed_batch(count: int = 120, seed: int = 11) -> list[dict[str, object]]:
    """Valid answers with about half the relevant keys answered, reproducibly."""
    return sample_answers(count, seed=seed, true_rate=0.15)


def triage_to_dict(answers: dict[str, object]) -> dict[str, object]:
    return painpath.triage(answers).to_dict()


@pytest.fixture(scope="module")
def batch() -> list[dict[str, object]]:
    return fixed_batch()


@pytest.fixture(scope="module")
def in_process(batch) -> list[dict[str, object]]:
    return [painpath.triage(a).to_dict() for a in batch]


@pytest.mark.slow
class TestProcesses:
    @pytest.mark.parametrize("method", ["fork", "spawn"])
    def test_worker_processes_give_the_in_process_results(self, method, batch, in_process):
        """Workers started by fork or spawn triage exactly as this process does.

        Fork copies a process whose engine is loaded; spawn starts from nothing and
        loads it again. Results also cross the process boundary by pickling.
        """
        painpath.triage(batch[0])  # the engine is loaded before the fork
        context = multiprocessing.get_context(method)
        with context.Pool(2) as pool:
            results = pool.map(painpath.triage, batch, chunksize=16)
            dicts = pool.map(triage_to_dict, batch, chunksize=16)
        assert [r.to_dict() for r in results] == dicts == in_process

    def test_a_fork_while_the_engine_is_busy_does_not_deadlock(self, batch, in_process):
        """A process forked while another thread holds the engine's lock can still triage.

        Without the at-fork reset, the child inherits a lock nobody will release.
        """
        rules = painpath.default_rules()
        context = multiprocessing.get_context("fork")
        with rules._engine._lock, context.Pool(1) as pool:
            pending = pool.map_async(triage_to_dict, batch[:20])
            assert pending.get(timeout=60) == in_process[:20]


# --- threads ---------------------------------------------------------------------------

EXTRA_RULE = '''
[[rule]]
id = "X-HARDEN-1"
title = "Test only: a pain score of 9 or 10 needs a doctor today"
level = "urgent"
rationale = """A rule added only for the thread test, so the two rule sets disagree."""
source = "tests/test_hardening.py"
advice = ["X-HARDEN-1 fired."]
when = { pain_score = { gte = 9 } }
'''


@pytest.fixture(scope="module")
def custom_rules(tmp_path_factory) -> painpath.RuleSet:
    """The shipped rules copied to a tmp directory, with one extra rule."""
    target = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(default_rules_path(), target)
    (target / "99_extra.toml").write_text(EXTRA_RULE, encoding="utf-8")
    return painpath.load_rules(target)


class TestThreadsWithSeveralRuleSets:
    def test_eight_threads_on_two_rule_sets_give_the_sequential_results(self, batch, custom_rules):
        """Threads triaging with different rule sets at once never mix their results.

        Each rule set has its own engine and lock; a result must come from the rule
        set it was asked of, whatever the other threads are doing.
        """
        default = painpath.default_rules()
        jobs = [(rules, answers) for answers in batch for rules in (default, custom_rules)]
        sequential = [painpath.triage(a, rules=r).to_dict() for r, a in jobs]
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(3):
                threaded = list(pool.map(lambda job: painpath.triage(job[1], rules=job[0]), jobs))
                assert [r.to_dict() for r in threaded] == sequential

    def test_the_extra_rule_really_moves_outcomes(self, batch, custom_rules):
        """Some answers get another result with the extra rule (a guard on the guard)."""
        moved = [
            a
            for a in batch
            if painpath.triage(a).to_dict() != painpath.triage(a, rules=custom_rules).to_dict()
        ]
        assert moved and all(a["pain_score"] >= 9 for a in moved)
        assert any(
            painpath.triage(a).level < painpath.triage(a, rules=custom_rules).level for a in moved
        )
