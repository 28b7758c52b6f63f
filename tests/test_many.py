"""painpath.triage_many(): many records, in order, on several processes."""

from __future__ import annotations

import shutil
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
