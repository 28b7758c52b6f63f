"""The public API: what painpath exports, and the shape of a result."""

from __future__ import annotations

import json

import pytest

import painpath


class TestExportedMembers:
    def test_all_is_pinned(self):
        """The public names are exactly these; changing them is a visible API change."""
        assert sorted(painpath.__all__) == sorted(
            [
                "AnswerProblem",
                "Answers",
                "CatalogError",
                "CheckinOutcome",
                "EngineError",
                "InvalidAnswersError",
                "Journal",
                "JournalDay",
                "JournalEntry",
                "JournalError",
                "LeftOut",
                "Level",
                "PainpathError",
                "Phase",
                "PlanExercise",
                "Reason",
                "Result",
                "RuleProblem",
                "RuleSet",
                "RulesError",
                "StopRule",
                "__version__",
                "answers_from_fhir",
                "catalog",
                "default_rules",
                "load_rules",
                "triage",
                "triage_many",
            ]
        )

    def test_every_exported_name_exists(self):
        """Every name in __all__ is importable from painpath."""
        for name in painpath.__all__:
            assert hasattr(painpath, name), name

    def test_errors_share_one_base_and_their_builtin(self):
        """Each error derives from PainpathError and from the built-in it means."""
        assert issubclass(painpath.InvalidAnswersError, painpath.PainpathError)
        assert issubclass(painpath.InvalidAnswersError, ValueError)
        assert issubclass(painpath.RulesError, ValueError)
        assert issubclass(painpath.CatalogError, ValueError)
        assert issubclass(painpath.EngineError, RuntimeError)

    def test_version_comes_from_the_package_metadata(self):
        """__version__ is the installed distribution's version."""
        from importlib.metadata import version

        assert painpath.__version__ == version("painpath")


class TestLevel:
    def test_levels_are_ordered(self):
        """emergency > urgent > see_doctor > self_care."""
        L = painpath.Level
        assert L.EMERGENCY > L.URGENT > L.SEE_DOCTOR > L.SELF_CARE
        assert max(L) is L.EMERGENCY and min(L) is L.SELF_CARE

    def test_values_are_the_contract_strings(self):
        """The enum values are the contract's strings."""
        assert [level.value for level in painpath.Level] == [
            "self_care",
            "see_doctor",
            "urgent",
            "emergency",
        ]

    def test_comparing_with_a_string_is_refused(self):
        """A level does not silently compare with a plain string."""
        with pytest.raises(TypeError):
            _ = painpath.Level.URGENT > "self_care"  # type: ignore[operator]

    def test_every_level_says_what_to_do(self):
        """Each level has a plain-words meaning."""
        for level in painpath.Level:
            assert level.meaning.endswith(".")


class TestResult:
    def test_result_is_frozen(self):
        """A result cannot be changed after the fact."""
        result = painpath.triage({"area": "knee"})
        with pytest.raises(AttributeError):
            result.level = painpath.Level.EMERGENCY  # type: ignore[misc]

    def test_to_dict_is_json_ready(self):
        """to_dict() gives plain data that json.dumps accepts and that round-trips."""
        result = painpath.triage({"area": "both", "leg_pain": "below_knee", "bmi": 31.5})
        data = result.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert data["level"] == result.level.value
        assert data["findings"] == sorted(result.findings)
        for key in ("level", "findings", "plan", "stop_if", "advice", "unscreened", "reasons"):
            assert key in data
        phase = data["plan"][0]
        assert {"routine_id", "title", "frequency", "move_on", "exercises"} <= set(phase)
        assert {"rule_id", "title", "rationale", "source"} <= set(data["reasons"][0])

    def test_to_json_matches_to_dict(self):
        """to_json() is to_dict() as JSON text."""
        result = painpath.triage({"area": "back", "spasm": True})
        assert json.loads(result.to_json()) == result.to_dict()

    def test_answers_object_and_mapping_give_the_same_result(self):
        """triage() takes the library's Answers object as well as a mapping."""
        mapping = {"area": "back", "leg_pain": "buttock", "spasm": True}
        answers = painpath.Answers.from_mapping(mapping)
        assert painpath.triage(answers) == painpath.triage(mapping)

    def test_bad_answers_raise_one_clear_error(self):
        """Several bad answers give one InvalidAnswersError naming each key, value and rule."""
        with pytest.raises(painpath.InvalidAnswersError) as info:
            painpath.triage({"area": "leg", "age": 400, "fevr": True})
        text = str(info.value)
        assert "'area'" in text and "'leg'" in text
        assert "'age'" in text and "400" in text
        assert "'fevr'" in text and "did you mean 'fever'" in text
        assert {p.key for p in info.value.problems} == {"area", "age", "fevr"}
