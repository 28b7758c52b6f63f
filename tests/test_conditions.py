"""The condition language means what it says, at any size the rule files may use."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import painpath
from painpath._engines.durable import _terms

KEYS = [
    "fever",
    "spasm",
    "sitting_hurts",
    "cough_sneeze_worse",
    "hard_to_stand_up",
    "keeps_shifting_position",
    "tender_dimple",
    "groin_or_front_thigh_pain",
    "thigh_to_chest_hurts",
    "bending_forward_hurts",
]


def one_rule(tmp_path, when: str) -> painpath.RuleSet:
    (tmp_path / "r.toml").write_text(
        textwrap.dedent(
            f"""
            [[rule]]
            id = "C-1"
            title = "t"
            rationale = "r"
            source = "s"
            level = "urgent"
            when = {when}
            """
        ),
        encoding="utf-8",
    )
    return painpath.load_rules(tmp_path)


def fires(rules: painpath.RuleSet, answers: dict[str, object]) -> bool:
    return painpath.triage({"area": "back", **answers}, rules=rules).level.value == "urgent"


@pytest.fixture(scope="module")
def three_of_ten(tmp_path_factory):
    of = ", ".join(f"{{ {key} = true }}" for key in KEYS)
    return one_rule(tmp_path_factory.mktemp("c"), f"{{ at_least = 3, of = [{of}] }}")


@pytest.fixture(scope="module")
def not_three_of_ten(tmp_path_factory):
    of = ", ".join(f"{{ {key} = true }}" for key in KEYS)
    return one_rule(tmp_path_factory.mktemp("c"), f"{{ not = {{ at_least = 3, of = [{of}] }} }}")


answer_values = st.fixed_dictionaries(
    {},
    optional={key: st.booleans() for key in KEYS},
)


class TestAtLeast:
    @settings(max_examples=200, deadline=None)
    @given(answers=answer_values)
    def test_at_least_three_of_ten_counts_yes_answers(self, three_of_ten, answers):
        """'at least 3 of 10' holds exactly when 3 or more answers are yes.

        Ten parts make 120 combinations, more than the engine holds in one pattern:
        the compiler splits them, and the meaning must not change.
        """
        expected = sum(1 for value in answers.values() if value is True) >= 3
        assert fires(three_of_ten, answers) == expected

    @settings(max_examples=200, deadline=None)
    @given(answers=answer_values)
    def test_its_negation_is_the_complement(self, not_three_of_ten, answers):
        """'not (at least 3 of 10)' holds exactly when fewer than 3 answers are yes."""
        expected = sum(1 for value in answers.values() if value is True) < 3
        assert fires(not_three_of_ten, answers) == expected


class TestNotAsked:
    @pytest.mark.parametrize(
        ("when", "answers", "expected"),
        [
            ("{ fever = true }", {}, False),
            ("{ fever = false }", {}, False),
            ("{ not = { fever = true } }", {}, True),
            ("{ leg_pain = { not = 'none' } }", {}, False),
            ("{ not = { leg_pain = 'none' } }", {}, True),
            ("{ age = { lt = 18 } }", {}, False),
            ("{ not = { age = { gte = 18 } } }", {}, True),
            ("{ fever = { asked = false } }", {}, True),
            ("{ fever = { asked = true } }", {"fever": False}, True),
        ],
    )
    def test_a_question_not_asked_fails_every_answer_test(self, tmp_path, when, answers, expected):
        """A test of an answer is false when the question was not asked; 'not' flips it."""
        assert fires(one_rule(tmp_path, when), answers) is expected


class TestEngineLimits:
    def test_a_pattern_the_engine_refuses_is_a_rules_error(self, tmp_path, monkeypatch):
        """If the engine refuses a compiled rule, loading names the file and the rule."""
        monkeypatch.setattr(_terms, "MAX_GROUPS", 100)  # switch the splitting off
        of = ", ".join(f"{{ {key} = true }}" for key in KEYS[:8])
        with pytest.raises(painpath.RulesError) as info:
            one_rule(tmp_path, f"{{ at_least = 3, of = [{of}] }}")
        [problem] = info.value.problems
        assert (problem.file, problem.rule_id) == ("r.toml", "C-1")
        assert "more tests than the engine can hold" in problem.message
        assert "error code" not in problem.message
