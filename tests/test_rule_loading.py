"""Loading rule files: every mistake gives one clear error naming the file and the rule."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import painpath
from painpath._rules import default_rules_path

GOOD_RULE = """
[[finding]]
id = "pattern.custom"
meaning = "A custom finding."

[[rule]]
id = "CU-001"
title = "Custom rule"
finding = "pattern.custom"
level = "see_doctor"
rationale = "Because a test needs it."
source = "test"
when = { fever = true }
"""


def write(tmp_path: Path, text: str, name: str = "custom.toml") -> Path:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(painpath.RulesError) as info:
        painpath.load_rules(path)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, painpath.PainpathError)
    return [str(p) for p in info.value.problems]


class TestShippedRules:
    def test_default_rules_load(self):
        """The rules that ship with painpath load without a problem."""
        rules = painpath.default_rules()
        assert len(rules.rules) > 40

    def test_every_rule_has_id_title_rationale_source(self):
        """Every shipped rule carries an id, a title, a rationale and a source."""
        for rule in painpath.default_rules().rules:
            assert rule.id and rule.title and rule.rationale and rule.source, rule.id

    def test_rule_ids_are_unique(self):
        """Rule ids are never reused."""
        ids = [rule.id for rule in painpath.default_rules().rules]
        assert len(ids) == len(set(ids))

    def test_rationale_is_short(self):
        """A clinician can check a rationale in a few sentences."""
        for rule in painpath.default_rules().rules:
            sentences = [s for s in rule.rationale.replace("?", ".").split(". ") if s.strip()]
            assert len(sentences) <= 4, rule.id

    def test_every_finding_of_the_vocabulary_is_set_by_a_rule(self):
        """No finding of the vocabulary is dead: some rule sets each one."""
        rules = painpath.default_rules()
        set_by_rules = {rule.finding for rule in rules.rules if rule.finding}
        assert set(rules.findings) == set_by_rules

    def test_every_stop_rule_is_used(self):
        """Every declared stop rule is referenced by some rule."""
        rules = painpath.default_rules()
        used = {sid for rule in rules.rules for sid in rule.stop_if}
        assert set(rules.stops) == used

    def test_every_routine_can_be_chosen(self):
        """Each of the ten routines of the contract is chosen by some rule."""
        rules = painpath.default_rules()
        chosen = {ref.id for rule in rules.rules for ref in rule.routines}
        assert chosen == set(painpath.catalog.ROUTINES)

    def test_loading_the_shipped_directory_again_gives_an_independent_rule_set(self):
        """Loading the default directory twice gives two working, separate rule sets."""
        again = painpath.load_rules(default_rules_path())
        assert again is not painpath.default_rules()
        answers = {"area": "back", "bladder_or_bowel_change": True}
        assert painpath.triage(answers, rules=again).level is painpath.Level.EMERGENCY


class TestRuleFileMistakes:
    def test_unknown_answer_key(self, tmp_path):
        """A condition on a key that is not in the contract names the file, rule and key."""
        text = GOOD_RULE.replace("{ fever = true }", "{ feverr = true }")
        [problem] = problems_of(write(tmp_path, text))
        assert "custom.toml" in problem and "CU-001" in problem and "'feverr'" in problem

    def test_bad_answer_value(self, tmp_path):
        """A value outside the contract names the value and what is allowed."""
        text = GOOD_RULE.replace("{ fever = true }", '{ leg_pain = "below-knee" }')
        [problem] = problems_of(write(tmp_path, text))
        assert "'below-knee'" in problem and "'below_knee'" in problem and "CU-001" in problem

    def test_unknown_finding(self, tmp_path):
        """A rule setting or testing an undeclared finding is refused, with a suggestion."""
        text = GOOD_RULE.replace('finding = "pattern.custom"', 'finding = "pattern.custon"')
        [problem] = problems_of(write(tmp_path, text))
        assert "unknown finding 'pattern.custon'" in problem and "pattern.custom" in problem

    def test_unknown_routine_and_exercise(self, tmp_path):
        """Unknown routine and exercise ids are each reported."""
        text = GOOD_RULE + textwrap.dedent(
            """
            routines = [{ id = "yoga", step = 1, order = 1 }]
            keep = ["handstand"]
            """
        )
        problems = problems_of(write(tmp_path, text))
        assert any("unknown routine 'yoga'" in p for p in problems)
        assert any("unknown exercise 'handstand'" in p for p in problems)

    def test_duplicate_rule_id_across_files(self, tmp_path):
        """The same rule id in two files is refused, naming both files."""
        write(tmp_path, GOOD_RULE, "a.toml")
        second = GOOD_RULE.split("[[rule]]")[1]
        write(tmp_path, "[[rule]]" + second, "b.toml")
        [problem] = problems_of(tmp_path)
        assert "b.toml" in problem and "a.toml" in problem and "duplicate rule id" in problem

    @pytest.mark.parametrize(
        ("condition", "message"),
        [
            ("{ at_least = 3, of = [{ fever = true }, { spasm = true }] }", "at_least"),
            ("{ all = [] }", "non-empty list"),
            ("{ fever = true, spasm = true }", "one test per table"),
            ('{ age = { lt = "ten" } }', "must be a number"),
            ("{ bogus = 1 }", "unknown test 'bogus'"),
            ('{ level = "critical" }', "unknown level"),
            ('{ equipment = "couch" }', "list"),
            ('{ leg_pain = { maybe = "none" } }', "unknown operator"),
        ],
    )
    def test_malformed_condition(self, tmp_path, condition, message):
        """A malformed condition is refused with the rule id and what is wrong."""
        text = GOOD_RULE.replace("{ fever = true }", condition)
        [problem] = problems_of(write(tmp_path, text))
        assert "CU-001" in problem and "malformed condition" in problem and message in problem

    def test_missing_fields_and_unknown_keys(self, tmp_path):
        """Missing title, rationale or source and a misspelt key are all reported together."""
        text = """
        [[rule]]
        id = "CU-002"
        levle = "urgent"
        when = { fever = true }
        """
        problems = problems_of(write(tmp_path, text))
        joined = "\n".join(problems)
        for needed in ("'title'", "'rationale'", "'source'", "'levle'", "did you mean 'level'"):
            assert needed in joined
        assert all("CU-002" in p for p in problems)

    def test_all_problems_of_all_files_together(self, tmp_path):
        """Problems in several files are reported in one error."""
        write(tmp_path, GOOD_RULE.replace("{ fever = true }", "{ feverr = true }"), "a.toml")
        write(tmp_path, "this is = = not toml", "b.toml")
        problems = problems_of(tmp_path)
        assert any(p.startswith("a.toml") for p in problems)
        assert any(p.startswith("b.toml") and "not valid TOML" in p for p in problems)

    def test_negation_cycle_is_refused(self, tmp_path):
        """A finding that depends on its own absence cannot be ordered and is refused."""
        text = """
        [[finding]]
        id = "pattern.loop"
        meaning = "Loops."

        [[rule]]
        id = "CU-003"
        title = "Loop"
        finding = "pattern.loop"
        rationale = "Test."
        source = "test"
        when = { not = { finding = "pattern.loop" } }
        """
        [problem] = problems_of(write(tmp_path, text))
        assert "CU-003" in problem and "cycle" in problem

    def test_missing_directory(self, tmp_path):
        """A path that does not exist is one clear error, not an OSError."""
        [problem] = problems_of(tmp_path / "nope")
        assert "no such file or directory" in problem


class TestCustomRules:
    def test_custom_rules_directory_runs(self, tmp_path):
        """A user's own rules directory loads and triages."""
        rules = painpath.load_rules(write(tmp_path, GOOD_RULE))
        result = painpath.triage({"area": "back", "fever": True}, rules=rules)
        assert result.level is painpath.Level.SEE_DOCTOR
        assert result.findings == {"pattern.custom"}
        assert [r.rule_id for r in result.reasons] == ["CU-001"]

    def test_custom_rules_beside_the_defaults_do_not_break_them(self, tmp_path):
        """Loading a custom rule set leaves the default rules' results unchanged."""
        answers = {"area": "back", "fever": True, "steroids_or_immunosuppressed": True}
        before = painpath.triage(answers).to_dict()
        custom = painpath.load_rules(write(tmp_path, GOOD_RULE))
        painpath.triage(answers, rules=custom)
        assert painpath.triage(answers).to_dict() == before

    def test_a_copy_of_the_defaults_can_be_extended(self, tmp_path):
        """Copying the shipped rules and adding a file gives the defaults plus the new rule."""
        target = tmp_path / "rules"
        shutil.copytree(default_rules_path(), target)
        extra = GOOD_RULE.replace("{ fever = true }", "{ pain_score = { gte = 9 } }")
        write(target, extra, "zz_custom.toml")
        rules = painpath.load_rules(target)
        result = painpath.triage({"area": "knee", "pain_score": 9}, rules=rules)
        assert "pattern.custom" in result.findings
        assert "pattern.knee_mechanical" in result.findings

    def test_rules_argument_must_be_a_rule_set(self):
        """Passing something else as rules is a clear TypeError."""
        with pytest.raises(TypeError, match="RuleSet"):
            painpath.triage({"area": "back"}, rules="rules/")  # type: ignore[arg-type]


def test_load_rules_refuses_a_non_path_clearly():
    """Something that is not a path is a clear TypeError, not a failure deep in pathlib."""
    with pytest.raises(TypeError, match="directory or file path"):
        painpath.load_rules(42)  # type: ignore[arg-type]


def refused(path: Path, engine: str = "durable") -> painpath.RulesError:
    """Load ``path`` and return the RulesError (any other exception fails the test)."""
    with pytest.raises(painpath.RulesError) as info:
        painpath.load_rules(path, engine=engine)
    return info.value


def nested(depth: int) -> str:
    return "{ not = " * depth + "{ fever = true }" + " }" * depth


class TestHostileRuleFiles:
    """Files an attacker (or an accident) can put in a rules directory: one RulesError each."""

    def test_utf16_file(self, tmp_path):
        """A UTF-16 file (Windows editors) says so and how to fix it, naming the file."""
        (tmp_path / "w.toml").write_bytes(GOOD_RULE.encode("utf-16"))
        [problem] = refused(tmp_path).problems
        assert (
            problem.file == "w.toml" and "UTF-16" in problem.message and "UTF-8" in problem.message
        )

    def test_undecodable_bytes(self, tmp_path):
        """Bytes that are not UTF-8 name the offset, not a raw UnicodeDecodeError."""
        (tmp_path / "b.toml").write_bytes(GOOD_RULE.encode() + b"\n# \xff\xfe\x80\n")
        [problem] = refused(tmp_path).problems
        assert problem.file == "b.toml" and "not UTF-8" in problem.message

    def test_a_utf8_bom_is_accepted(self, tmp_path):
        """A UTF-8 byte order mark (some editors add one) is not a mistake."""
        (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + GOOD_RULE.encode())
        assert [r.id for r in painpath.load_rules(tmp_path).rules] == ["CU-001"]

    @pytest.mark.parametrize("depth", [40, 500, 1000, 1500])
    def test_deeply_nested_condition(self, tmp_path, depth):
        """A condition nested 40 to 1,500 deep is refused by depth, never a RecursionError."""
        write(tmp_path, GOOD_RULE.replace("{ fever = true }", nested(depth)))
        [problem] = refused(tmp_path).problems
        assert problem.file == "custom.toml"
        assert "nest" in problem.message and "32" in problem.message

    def test_the_deepest_allowed_condition_loads(self, tmp_path):
        """Nesting up to the limit works with both engines."""
        write(tmp_path, GOOD_RULE.replace("{ fever = true }", nested(30)))
        for engine in ("durable", "python"):
            rules = painpath.load_rules(tmp_path, engine=engine)
            assert painpath.triage({"area": "back", "fever": True}, rules=rules).level.value == (
                "see_doctor"
            )

    def test_symlink_to_dev_zero(self, tmp_path):
        """A symlink to /dev/zero is refused at once (it would fill memory)."""
        (tmp_path / "zero.toml").symlink_to("/dev/zero")
        [problem] = refused(tmp_path).problems
        assert problem.file == "zero.toml" and "not a regular file" in problem.message

    def test_fifo_named_like_a_rule_file(self, tmp_path):
        """A FIFO called x.toml is refused without waiting for a writer."""
        import os
        import threading

        os.mkfifo(tmp_path / "x.toml")
        outcome: list[BaseException] = []
        thread = threading.Thread(target=lambda: outcome.append(refused(tmp_path)), daemon=True)
        thread.start()
        thread.join(timeout=20)
        assert not thread.is_alive(), "load_rules hung on a FIFO"
        [problem] = outcome[0].problems  # type: ignore[attr-defined]
        assert problem.file == "x.toml" and "not a regular file" in problem.message

    def test_fifo_given_as_the_path(self, tmp_path):
        """A FIFO given directly is refused too."""
        import os

        os.mkfifo(tmp_path / "x.toml")
        [problem] = refused(tmp_path / "x.toml").problems
        assert "not a regular file" in problem.message

    def test_huge_file(self, tmp_path):
        """A file over the size limit is refused, naming the limit."""
        (tmp_path / "big.toml").write_text(GOOD_RULE + "#" * 1_100_000 + "\n", encoding="utf-8")
        [problem] = refused(tmp_path).problems
        assert problem.file == "big.toml" and "larger than 1,000,000 bytes" in problem.message


LETTERS = "abcdefghijklmnop"


class TestConditionsTooLarge:
    """Conditions that expand combinatorially for durable-rules are refused fast."""

    @pytest.mark.parametrize(
        "when",
        [
            "{ all = ["
            + ", ".join(
                f'{{ any = [{{ finding = "pattern.f{i}a" }}, {{ finding = "pattern.f{i}b" }}] }}'
                for i in LETTERS
            )
            + "] }",
            "{ at_least = 12, of = ["
            + ", ".join(
                f"{{ {k} = true }}"
                for k in [
                    "fever",
                    "spasm",
                    "sitting_hurts",
                    "cancer_history",
                    "osteoporosis",
                    "tender_dimple",
                    "hard_to_stand_up",
                    "saddle_numbness",
                    "knee_locking",
                    "knee_hot_red",
                    "knee_giving_way",
                    "constant_night_pain",
                ]
                * 2
            )
            + "] }",
        ],
        ids=["all-of-16-any-pairs", "at-least-12-of-24"],
    )
    def test_refused_in_well_under_a_second_with_how_to_split(self, tmp_path, when):
        """Named rule, the word 'too large', and how to split it; no minutes, no gigabytes."""
        import time

        findings = "".join(
            f'[[finding]]\nid = "pattern.f{i}{s}"\nmeaning = "m"\n\n' for i in LETTERS for s in "ab"
        )
        write(tmp_path, findings + GOOD_RULE.replace("{ fever = true }", when))
        start = time.perf_counter()
        [problem] = refused(tmp_path).problems
        assert time.perf_counter() - start < 5
        assert (problem.file, problem.rule_id) == ("custom.toml", "CU-001")
        assert "too large" in problem.message and "Split it" in problem.message

    def test_the_python_engine_takes_them(self, tmp_path):
        """The Python engine evaluates such a condition directly (it expands nothing)."""
        of = ", ".join(f"{{ age = {{ gte = {a} }} }}" for a in range(20, 44))
        write(tmp_path, GOOD_RULE.replace("{ fever = true }", f"{{ at_least = 12, of = [{of}] }}"))
        rules = painpath.load_rules(tmp_path, engine="python")
        assert painpath.triage({"area": "back", "age": 31}, rules=rules).level.value == "see_doctor"
        assert painpath.triage({"area": "back", "age": 30}, rules=rules).level.value == "self_care"


class TestEngineArgument:
    def test_unknown_engine(self, tmp_path):
        """An unknown engine name is one ValueError naming the choices."""
        with pytest.raises(ValueError, match="'durable', 'python'"):
            painpath.load_rules(write(tmp_path, GOOD_RULE), engine="drools")

    def test_rule_set_says_its_engine(self, tmp_path):
        """A rule set knows and shows its engine."""
        rules = painpath.load_rules(write(tmp_path, GOOD_RULE), engine="python")
        assert rules.engine_name == "python" and "python" in repr(rules)
