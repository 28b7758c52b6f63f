"""The fast path of ``triage()`` and its deferred results mean exactly the full path.

``triage()`` checks a plain dict of plainly valid answers with table lookups
(``painpath._answers.plain_inputs``) and builds reasons, advice, plan and program
when first read. These tests hold both to the slow, obvious path: the full check of
``Answers.from_mapping`` and a result whose every field is built at once.
"""

from __future__ import annotations

import copy
import gc
import math
import pickle
import threading
import weakref
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import painpath
from painpath import testing
from painpath._answers import Answers, details, plain_inputs
from painpath._result import DEFERRED, DEFERRED_BY, Result
from painpath._rules import default_rules_path
from painpath._samples import sample_answers


def full_path(data: Any) -> tuple[dict[str, Any], tuple[Any, ...]] | None:
    """What the full check makes of ``data``: the fact and details, or None if refused."""
    try:
        checked = Answers.from_mapping(data)
    except painpath.InvalidAnswersError:
        return None
    return checked.fact(), details(checked)


def agrees(data: Any) -> None:
    """The fast path takes only what the full check takes, and reads it the same."""
    fast = plain_inputs(data)
    slow = full_path(data)
    if fast is None:
        return  # the full check runs instead: nothing to compare
    assert slow is not None, f"the fast path took answers the full check refuses: {data!r}"
    fact, source = fast
    assert fact == slow[0]
    assert [type(v) for v in fact.values()] == [type(slow[0][k]) for k in fact]
    assert details(source) == slow[1]


class TestFastPathMeansTheFullCheck:
    def test_every_sample_takes_the_fast_path_and_agrees(self):
        samples = sample_answers(3000, seed=13, answered=0.6, true_rate=0.4, red_flag_rate=0.1)
        for data in samples:
            assert plain_inputs(data) is not None, data
            agrees(data)

    @settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
    @given(testing.answers())
    def test_valid_answers(self, data):
        assert plain_inputs(data) is not None
        agrees(data)

    @settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
    @given(testing.invalid_answers())
    def test_invalid_answers_never_take_the_fast_path(self, data):
        assert plain_inputs(data) is None
        assert full_path(data) is None

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("fever", 1),  # equals True, is not a bool
            ("fever", 0.0),
            ("age", True),  # equals 1, is not an int
            ("age", 40.0),
            ("age", 121),
            ("age", -1),
            ("age", 10**100),
            ("pain_score", 11),
            ("leg_pain", "Below_knee"),
            ("leg_pain", b"below_knee"),
            ("leg_pain", ["below_knee"]),
            ("bmi", math.nan),
            ("bmi", math.inf),
            ("bmi", 9.99),
            ("bmi", True),
            ("bmi", "30"),
            ("start_date", "2026-02-30"),
            ("start_date", "20260101"),
            ("start_date", "\uff12\uff10\uff12\uff16-01-01"),  # full-width digits
            ("start_date", 20260101),
            ("equipment", ["chair", 1]),
            ("equipment", ["chair", ["couch"]]),
            ("equipment", "chair"),
            ("equipment", {"chair"}),
            ("fever", None),
        ],
    )
    def test_a_value_the_contract_refuses(self, key, value):
        data = {"area": "back", key: value}
        assert plain_inputs(data) is None
        assert full_path(data) is None

    @pytest.mark.parametrize(
        "data",
        [
            {"area": "knee", "bmi": 31},  # a whole bmi is a float in the fact
            {"area": "knee", "bmi": 31.5, "equipment": ["chair", "chair", "couch"]},
            {"area": "back", "equipment": []},
            {"area": "back", "equipment": ("chair",)},  # a tuple: the full check
            {"area": "back", "start_date": "2026-02-28", "minutes_per_day": 5},
            {"area": "both", "dominant_side": "left", "painful_side": "right"},
        ],
    )
    def test_values_the_fast_path_changes_or_leaves_to_the_full_check(self, data):
        assert full_path(data) is not None
        agrees(data)

    def test_subclasses_and_other_mappings_get_the_full_check(self):
        class Text(str):
            pass

        class Answers_(dict):
            pass

        assert plain_inputs({"area": Text("back")}) is None
        assert plain_inputs(Answers_(area="back")) is None
        agrees({Text("area"): "back"})  # a str subclass key: found by equality, as a dict does
        assert plain_inputs({"area": "back", 1: True}) is None
        assert plain_inputs({}) is None
        assert plain_inputs([("area", "back")]) is None

    def test_the_input_is_read_once_and_never_kept(self):
        data = {"area": "back", "equipment": ["chair"], "age": 40}
        result = painpath.triage(data, rules=painpath.default_rules("python"))
        data["equipment"].append("couch")
        data["age"] = "forty"
        fresh = painpath.triage(
            {"area": "back", "equipment": ["chair"], "age": 40},
            rules=painpath.default_rules("python"),
        )
        assert result == fresh


@pytest.fixture(scope="module", params=["durable", "python"])
def rules(request: pytest.FixtureRequest) -> painpath.RuleSet:
    return painpath.default_rules(request.param)


def eager(result: Result) -> Result:
    """The same result, every field built and passed to the constructor."""
    return Result(**{name: getattr(result, name) for name in Result.__dataclass_fields__})


class TestDeferredResults:
    def test_fields_are_built_on_first_read_and_then_kept(self, rules):
        result = painpath.triage({"area": "back", "leg_pain": "below_knee"}, rules=rules)
        assert DEFERRED_BY in result.__dict__
        plan = result.plan
        assert DEFERRED_BY not in result.__dict__
        assert result.plan is plan
        assert "program" not in result.__dict__  # the 21 days: only when read
        assert set(DEFERRED) - {"program"} <= set(result.__dict__)
        program = result.program
        assert program and result.program is program
        assert set(DEFERRED) <= set(result.__dict__)

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(testing.answers())
    def test_a_deferred_result_equals_one_built_at_once(self, data):
        rules = painpath.default_rules("python")
        deferred = painpath.triage(data, rules=rules)
        built = eager(painpath.triage(data, rules=rules))
        assert deferred == built
        assert hash(deferred) == hash(built)
        assert repr(deferred) == repr(built)
        assert deferred.to_dict() == built.to_dict()

    def test_pickling_and_copying_build_it_first(self, rules):
        result = painpath.triage({"area": "knee", "knee_swelling": "gradual"}, rules=rules)
        again = pickle.loads(pickle.dumps(result))
        assert DEFERRED_BY not in again.__dict__
        assert again == result
        assert copy.deepcopy(painpath.triage({"area": "both"}, rules=rules)).to_dict() == (
            painpath.triage({"area": "both"}, rules=rules).to_dict()
        )

    def test_threads_reading_first_at_once_see_the_same_result(self, rules):
        samples = sample_answers(40, seed=3)
        for data in samples:
            result = painpath.triage(data, rules=rules)
            seen: list[dict[str, Any]] = []
            start = threading.Barrier(4)

            def read(
                result: Result = result,
                start: threading.Barrier = start,
                seen: list[dict[str, Any]] = seen,
            ) -> None:
                start.wait()
                seen.append(result.to_dict())

            threads = [threading.Thread(target=read) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert len(seen) == 4
            assert all(s == seen[0] for s in seen)
            assert seen[0] == painpath.triage(data, rules=rules).to_dict()

    @pytest.mark.parametrize("engine", ["durable", "python"])
    def test_a_result_outlives_its_rule_set_and_then_frees_it(self, engine):
        rules = painpath.load_rules(default_rules_path(), engine=engine)
        ref = weakref.ref(rules)
        result = painpath.triage({"area": "back", "spasm": True}, rules=rules)
        del rules
        gc.collect()
        assert ref() is not None  # the result holds it until its plan is built
        assert result.plan and result.program
        del result
        gc.collect()
        assert ref() is None

    def test_the_decision_is_made_in_the_call(self, rules):
        """Level and findings are in the result before anything is read from it."""
        result = painpath.triage({"area": "back", "bladder_or_bowel_change": True}, rules=rules)
        state = result.__dict__
        assert state["level"] is painpath.Level.EMERGENCY
        assert "red_flag.cauda_equina" in state["findings"]
        assert not {"level", "findings"} & set(DEFERRED)


@pytest.mark.parametrize(
    "data",
    [
        {"area": "back", "age": 40},
        {"area": "knee", "equipment": ["chair"], "bmi": 30},
        {"resourceType": "x"},
    ],
)
def test_answers_objects_and_mappings_give_the_same_result(data, rules):
    try:
        expected = painpath.triage(Answers.from_mapping(data), rules=rules)
    except painpath.InvalidAnswersError:
        with pytest.raises(painpath.InvalidAnswersError):
            painpath.triage(data, rules=rules)
        return
    assert painpath.triage(data, rules=rules) == expected


def test_the_python_engine_source_holds_no_text_from_a_rule_file():
    """Every answer key and value, and every finding, is a constant passed in by name."""
    import io
    import tokenize

    rules = painpath.load_rules(default_rules_path(), engine="python")
    source = rules._engine.source  # type: ignore[attr-defined]
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    assert not [t.string for t in tokens if t.type == tokenize.STRING]
    comments = {t.string for t in tokens if t.type == tokenize.COMMENT}
    assert all(c.startswith("# stratum ") for c in comments), comments
    assert rules.fired_ids({"area": "back", "fever": True})  # and it runs
