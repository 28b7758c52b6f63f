"""Each answer kind is one home: validation, parsing, description, strategy, FHIR, schema.

Checked over every key of the contract, so a new key or kind is covered at once.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from painpath._contract import AREAS, KEYS, keys_for_area, red_flags_for_area
from painpath._kinds import KINDS

SPECS = list(KEYS.values())


def _text_of(value: object) -> str:
    """How a person would write a value in a CSV cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(value)
    return str(value)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
class TestEveryKey:
    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def test_strategy_values_are_accepted_and_survive_a_csv_cell(self, spec, data):
        """What the strategy draws is accepted, and reads back the same from a CSV cell."""
        value = data.draw(spec.strategy())
        assert spec.accepts(value)
        assume(_text_of(value))  # an empty cell means "not asked", not an empty list
        back = spec.from_cell(_text_of(value))
        assert spec.accepts(back)
        assert spec.normalise(back) == spec.normalise(value)

    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def test_invalid_strategy_values_are_refused(self, spec, data):
        """What the invalid strategy draws is None or a value the key refuses."""
        value = data.draw(spec.type.invalid_strategy(spec))
        assert value is None or not spec.accepts(value)

    def test_samples_are_accepted(self, spec):
        """The reproducible samples of benchmarks are values the key accepts."""
        rng = random.Random(7)
        assert all(spec.accepts(spec.type.sample(spec, rng, 0.5)) for _ in range(50))

    def test_none_and_foreign_values_are_refused_and_described(self, spec):
        """None, and a value of no kind, are refused; the description names what is allowed."""
        assert not spec.accepts(None)
        assert not spec.accepts(object())
        assert spec.allowed() and spec.allowed() in f"{spec.key!r} must be {spec.allowed()}"

    def test_schema_and_fhir_type_match_the_kind(self, spec):
        """The JSON Schema type and the FHIR item type follow the kind."""
        json_type = spec.json_schema()["type"]
        expected = {"bool": "boolean", "str": "string", "list": "array", "int": "integer"}
        assert json_type == {**expected, "float": "number", "date": "string"}[spec.kind]
        assert spec.type.fhir_type in {"boolean", "choice", "integer", "decimal", "date"}

    def test_typed_text_of_a_valid_value_is_taken(self, spec):
        """What the prompt shows as an answer is parsed back to the value."""
        value = spec.type.sample(spec, random.Random(3), 0.5)
        if spec.kind == "bool":
            text = "y" if value else "n"
        elif spec.kind in ("str", "list"):
            items = [value] if spec.kind == "str" else value
            text = " ".join(str(spec.choices.index(v) + 1) for v in items) or "0"
        else:
            text = str(value)
        parsed, problem = spec.from_text(text)
        assert problem is None
        assert spec.normalise(parsed) == spec.normalise(value)

    def test_typed_nonsense_gets_a_hint_not_a_value(self, spec):
        """Nonsense typed at the prompt gives back what to type instead."""
        value, problem = spec.from_text("??")
        assert value is None and problem and problem.startswith("Please")


def test_every_kind_is_used_by_the_contract():
    """No kind is dead code, and every key's kind is one of them."""
    assert {spec.kind for spec in SPECS} == set(KINDS)


def test_areas_are_written_once():
    """The keys each area asks, and its red flags, come from each key's own areas."""
    for area in AREAS:
        asked = keys_for_area(area)
        assert asked == tuple(k for k, s in KEYS.items() if area in s.areas)
        assert set(red_flags_for_area(area)) == {k for k in asked if KEYS[k].group == "red_flag"}
    assert "calf_swelling" not in keys_for_area("back")
    assert "saddle_numbness" not in keys_for_area("knee")
    assert {"saddle_numbness", "calf_swelling"} <= set(keys_for_area("both"))
