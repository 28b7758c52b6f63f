"""JSON Schemas of the answers, a check-in and a result agree with painpath itself."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import painpath
from painpath import testing
from painpath._checkin import CHECKIN_KEYS, validate_checkin
from painpath._cli import main
from painpath._contract import KEYS
from painpath._samples import sample_answers
from painpath._schema import SCHEMAS, answers_schema, checkin_schema, result_schema

many = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The schemas say "format": "date"; a validator checks it only when asked to.
ANSWERS = jsonschema.Draft202012Validator(
    answers_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
RESULT = jsonschema.Draft202012Validator(result_schema())
CHECKIN = jsonschema.Draft202012Validator(
    checkin_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def _as_json(value: object) -> Any:
    """Return what an app in another language would send: the value through JSON text."""
    return json.loads(json.dumps(value, allow_nan=False))


def _accepted(answers: object) -> bool:
    try:
        painpath.Answers.from_mapping(answers)  # type: ignore[arg-type]
    except painpath.InvalidAnswersError:
        return False
    return True


def _integral_float_for_whole_number(doc: dict[str, Any]) -> bool:
    """JSON has one number type: 3.0 is an integer to JSON Schema, not to painpath."""
    return any(
        KEYS[k].kind == "int" and isinstance(v, float) and v.is_integer()
        for k, v in doc.items()
        if k in KEYS
    )


class TestSchemasAreWellFormed:
    @pytest.mark.parametrize("name", sorted(SCHEMAS))
    def test_each_is_a_valid_draft_2020_12_schema(self, name: str):
        schema = SCHEMAS[name]()
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["additionalProperties"] is False

    def test_the_answers_schema_has_every_contract_key_and_requires_area(self):
        schema = answers_schema()
        assert list(schema["properties"]) == list(KEYS)
        assert schema["required"] == ["area"]
        for key, spec in KEYS.items():
            prop = schema["properties"][key]
            if spec.choices and spec.kind == "str":
                assert prop["enum"] == list(spec.choices)
            if spec.kind in ("int", "float"):
                assert (prop["minimum"], prop["maximum"]) == (spec.low, spec.high)

    @pytest.mark.parametrize("name", sorted(SCHEMAS))
    def test_painpath_schema_prints_it(self, name: str):
        out = io.StringIO()
        assert main(["schema", name], stdout=out, stderr=io.StringIO()) == 0
        assert json.loads(out.getvalue()) == SCHEMAS[name]()

    def test_an_unknown_schema_name_is_refused(self):
        err = io.StringIO()
        assert main(["schema", "answer"], stdout=io.StringIO(), stderr=err) == 2
        assert "answers" in err.getvalue()


class TestAnswers:
    @many
    @given(testing.answers())
    def test_every_valid_answer_set_passes(self, answers: dict[str, Any]):
        ANSWERS.validate(_as_json(answers))

    @many
    @given(testing.full_answers())
    def test_every_full_answer_set_passes(self, answers: dict[str, Any]):
        ANSWERS.validate(_as_json(answers))

    @many
    @given(testing.invalid_answers())
    def test_every_invalid_answer_set_that_json_can_carry_fails(self, answers: dict[Any, Any]):
        try:
            doc = _as_json(answers)
        except (TypeError, ValueError):
            assume(False)  # bytes, NaN, tuple keys: not a JSON document at all
        assume(not _integral_float_for_whole_number(doc))
        assert not _accepted(doc)
        assert not ANSWERS.is_valid(doc), doc

    @many
    @given(
        testing.answers(),
        st.sampled_from(list(KEYS)),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-5, 600),
            st.floats(-5, 600, allow_nan=False),
            st.text(max_size=12),
            st.lists(st.text(max_size=8), max_size=3),
        ),
    )
    def test_the_schema_and_painpath_agree_on_any_json_value(
        self, answers: dict[str, Any], key: str, value: Any
    ):
        doc = _as_json({**answers, key: value})
        assume(not _integral_float_for_whole_number(doc))
        assert ANSWERS.is_valid(doc) == _accepted(doc), doc

    def test_missing_area_and_unknown_keys_fail(self):
        assert not ANSWERS.is_valid({})
        assert not ANSWERS.is_valid({"area": "back", "areas": "back"})
        assert ANSWERS.is_valid({"area": "back"})


class TestResults:
    def test_every_sample_result_matches(self):
        levels = set()
        for answers in sample_answers(1500, seed=7, red_flag_rate=0.3):
            result = painpath.triage(answers)
            levels.add(result.level)
            RESULT.validate(_as_json(result.to_dict()))
        assert levels == set(painpath.Level)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(testing.answers())
    def test_every_generated_result_matches(self, answers: dict[str, Any]):
        RESULT.validate(_as_json(painpath.triage(answers).to_dict()))

    def test_a_result_with_an_extra_or_missing_field_fails(self):
        data = painpath.triage({"area": "back"}).to_dict()
        assert not RESULT.is_valid({**data, "levl": "urgent"})
        del data["level"]
        assert not RESULT.is_valid(data)


class TestCheckins:
    def test_a_full_check_in_passes(self):
        checkin = {
            "date": "2026-03-04",
            "pain_score": 3,
            "sessions_done": 2,
            "pain_after_exercise": "settled_within_an_hour",
            "press_up_response": "centralized",
            "leg_pain": "buttock",
            "leg_pain_trend": "better",
            "bladder_or_bowel_change": False,
            "leg_weakness": "none",
            "doctor_cleared": True,
            "note": "walked to the shop",
        }
        CHECKIN.validate(checkin)
        validate_checkin(checkin)

    @pytest.mark.parametrize(
        ("checkin", "why"),
        [
            ({"pain_score": 3}, "date is required"),
            ({"date": "2026-02-30"}, "not a calendar day"),
            ({"date": "20260304"}, "not ISO"),
            ({"date": "2026-03-04", "sessions_done": 21}, "out of range"),
            ({"date": "2026-03-04", "pain_after_exercise": "bad"}, "not a choice"),
            ({"date": "2026-03-04", "note": "x" * 501}, "note too long"),
            ({"date": "2026-03-04", "area": "back"}, "not a check-in key"),
            ({"date": "2026-03-04", "fever": "no"}, "not a boolean"),
        ],
    )
    def test_a_bad_check_in_fails(self, checkin: dict[str, Any], why: str):
        assert not CHECKIN.is_valid(checkin), why
        with pytest.raises(painpath.InvalidAnswersError):
            validate_checkin(checkin)

    def test_the_schema_has_exactly_the_check_in_keys(self):
        assert list(checkin_schema()["properties"]) == list(CHECKIN_KEYS)
        assert checkin_schema()["required"] == ["date"]

    def test_the_check_in_keys_follow_the_answers_where_the_contract_says_so(self):
        props = checkin_schema()["properties"]
        answers = answers_schema()["properties"]
        for key in ("pain_score", "press_up_response", "leg_pain", "leg_weakness", "fever"):
            assert props[key] == answers[key]
        assert math.isclose(props["note"]["maxLength"], 500)


@pytest.mark.parametrize("day", ["0000-00-00", "2026-13-01", "2026-00-10", "2026-01-32"])
def test_a_day_no_calendar_has_fails_even_without_the_format_check(day: str):
    """Found by hypothesis: the answers schema took "0000-00-00", which painpath refuses."""
    doc = {"area": "knee", "start_date": day}
    assert not _accepted(doc)
    assert not ANSWERS.is_valid(doc)
    assert not jsonschema.Draft202012Validator(answers_schema()).is_valid(doc)


def test_the_format_check_refuses_the_30th_of_february():
    doc = {"area": "knee", "start_date": "2026-02-30"}
    assert not _accepted(doc)
    assert not ANSWERS.is_valid(doc)
