"""Tests for painpath.testing: the public strategies stay inside the contract."""

from __future__ import annotations

import datetime
import importlib
import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painpath import Answers, InvalidAnswersError
from painpath import testing as strategies
from painpath._contract import (
    AREAS,
    KEYS,
    RED_FLAG_KEYS,
    SPINAL_RED_FLAG_KEYS,
    red_flags_for_area,
)

BACK_KEYS = {key for key, spec in KEYS.items() if spec.group == "back"}
KNEE_KEYS = {key for key, spec in KEYS.items() if spec.group == "knee"}


def follows_contract(key: object, value: object) -> bool:
    """Check one answer against the contract table, independently of Answers."""
    if not isinstance(key, str) or key not in KEYS:
        return False
    spec = KEYS[key]
    if spec.kind == "bool":
        return type(value) is bool
    if spec.kind == "str":
        return type(value) is str and value in spec.choices
    if spec.kind == "list":
        return type(value) is list and all(item in spec.choices for item in value)
    if spec.kind == "date":
        if type(value) is not str or len(value) != 10 or not value.isascii():
            return False
        try:
            return datetime.date.fromisoformat(value).isoformat() == value
        except ValueError:
            return False
    if type(value) not in ((int,) if spec.kind == "int" else (int, float)):
        return False
    return math.isfinite(value) and spec.low <= value <= spec.high  # type: ignore[arg-type]


def assert_valid(data: dict) -> None:
    assert type(data) is dict
    assert data["area"] in AREAS
    bad = {key: value for key, value in data.items() if not follows_contract(key, value)}
    assert not bad


class TestValues:
    @pytest.mark.parametrize("key", list(KEYS))
    @given(data=st.data())
    def test_values_for_every_key_follow_the_contract(self, key, data):
        """values_for(key) draws only values the contract allows for that key."""
        value = data.draw(strategies.values_for(key))
        assert follows_contract(key, value)
        Answers.from_mapping({"area": "back", key: value})

    @pytest.mark.parametrize("key", list(KEYS))
    @given(data=st.data())
    def test_invalid_values_for_every_key_are_refused(self, key, data):
        """invalid_values_for(key) draws only values Answers refuses for that key."""
        value = data.draw(strategies.invalid_values_for(key))
        mapping = {"area": "back", key: value}
        with pytest.raises(InvalidAnswersError) as info:
            Answers.from_mapping(mapping)
        assert [p.key for p in info.value.problems] == [key]

    def test_unknown_key_refused(self):
        """Asking for values of a key outside the contract is an error."""
        with pytest.raises(InvalidAnswersError):
            strategies.values_for("feverr")

    @given(strategies.areas)
    def test_areas(self, area):
        """areas draws only the three contract areas."""
        assert area in AREAS

    @given(strategies.red_flag_keys)
    def test_red_flag_keys(self, key):
        """red_flag_keys draws only red-flag keys."""
        assert KEYS[key].group == "red_flag"


class TestRelevantKeys:
    def test_back(self):
        """The back asks general, the red flags but the calf, back keys and preferences."""
        keys = set(strategies.relevant_keys("back"))
        assert keys >= BACK_KEYS
        assert set(RED_FLAG_KEYS) - {"calf_swelling"} <= keys
        assert "calf_swelling" not in keys
        assert not keys & KNEE_KEYS

    def test_knee(self):
        """The knee asks knee keys and the non-spinal red flags, not back keys."""
        keys = set(strategies.relevant_keys("knee"))
        assert keys >= KNEE_KEYS
        assert not keys & BACK_KEYS
        assert not keys & set(SPINAL_RED_FLAG_KEYS)

    def test_both(self):
        """Back and knee together ask every key of the contract."""
        assert strategies.relevant_keys("both") == tuple(KEYS)

    def test_unknown_area(self):
        """An area outside the contract is refused."""
        with pytest.raises(InvalidAnswersError):
            strategies.relevant_keys("elbow")


class TestAnswers:
    @given(strategies.answers())
    def test_only_contract_keys_and_values(self, data):
        """answers() draws plain dicts of contract keys with allowed values."""
        assert_valid(data)
        assert set(data) <= set(strategies.relevant_keys(data["area"]))

    @pytest.mark.parametrize("area", AREAS)
    @given(data=st.data())
    def test_area_fixed(self, area, data):
        """answers(area) keeps the area and draws only keys that area asks."""
        drawn = data.draw(strategies.answers(area))
        assert drawn["area"] == area
        assert set(drawn) <= set(strategies.relevant_keys(area))

    @given(strategies.answers("knee", keys=["fever", "bmi"]))
    def test_keys_limit_the_pool(self, data):
        """answers(keys=...) draws only from the keys given, plus area."""
        assert set(data) <= {"area", "fever", "bmi"}
        assert_valid(data)

    @given(strategies.answers())
    def test_contract_order(self, data):
        """Keys come out in contract order."""
        order = list(KEYS)
        assert list(data) == sorted(data, key=order.index)

    @given(strategies.full_answers())
    def test_full_answers_answer_every_relevant_key(self, data):
        """full_answers() answers exactly the keys the area asks."""
        assert_valid(data)
        assert tuple(data) == strategies.relevant_keys(data["area"])


class TestRedFlags:
    @given(strategies.raised_red_flags)
    def test_raised_red_flags(self, pair):
        """raised_red_flags draws a red-flag key with its alarming answer."""
        key, value = pair
        assert key in RED_FLAG_KEYS
        assert value == (True if KEYS[key].kind == "bool" else "worsening")
        assert follows_contract(key, value)

    @pytest.mark.parametrize("area", AREAS)
    @given(data=st.data())
    def test_raised_red_flags_for_area(self, area, data):
        """raised_red_flags_for(area) draws only red flags that area calls for."""
        key, _ = data.draw(strategies.raised_red_flags_for(area))
        assert key in red_flags_for_area(area)

    @given(strategies.with_raised_red_flag())
    def test_with_raised_red_flag(self, data):
        """with_raised_red_flag() is valid and raises at least one flag of its area."""
        assert_valid(data)
        raised = [
            key
            for key in red_flags_for_area(data["area"])
            if data.get(key) == strategies.raising_value(key)
        ]
        assert raised

    def test_raising_value_refuses_other_keys(self):
        """Only red-flag keys have a raising value."""
        with pytest.raises(InvalidAnswersError):
            strategies.raising_value("age")


class TestInvalidAnswers:
    @given(strategies.invalid_answers())
    def test_at_least_one_violation(self, data):
        """invalid_answers() always breaks the contract somewhere, checked independently."""
        assert isinstance(data, dict)
        missing_area = data.get("area") is None
        broken = [k for k, v in data.items() if not follows_contract(k, v)]
        assert missing_area or broken


class TestImport:
    def test_clear_error_without_hypothesis(self, monkeypatch):
        """Without hypothesis, importing painpath.testing says how to install it."""
        monkeypatch.setitem(sys.modules, "hypothesis", None)
        monkeypatch.delitem(sys.modules, "painpath.testing")
        with pytest.raises(ImportError, match=r"pip install 'painpath\[test\]'"):
            importlib.import_module("painpath.testing")
