"""The check-in rules: how they load, the ledger that pins their logic, and safety.

The decisions are the rules' (``rules/checkin/``); these tests run them through the
journal, the way a person meets them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painpath import Journal, Level, RulesError, _ledger, testing
from painpath._checkin import (
    EFFECTS,
    FACT_KEYS,
    default_checkin_rules,
    default_checkin_rules_path,
    load_checkin_rules,
)

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2026, 1, 5)


class TestLoading:
    def test_every_rule_is_cited_and_has_an_outcome(self):
        rules = default_checkin_rules()
        assert len(rules.rules) >= 20
        for rule in rules.rules:
            assert rule.id.startswith("CK-")
            assert rule.title and rule.rationale and rule.source
            assert rule.level or rule.advice or rules.effects[rule.id]
        used = {e for rule in rules.rules for e in rules.effects[rule.id]}
        assert used == set(EFFECTS)

    def test_the_check_in_ledger_is_current(self):
        """When this fails: bump the rule's version, add its CHANGELOG line, then run
        `python -m painpath._ledger --rules rules/checkin --changelog CHANGELOG.md --update`.
        """
        directory = default_checkin_rules_path()
        rules = list(load_checkin_rules(directory).rules)
        ledger = _ledger.read_ledger(directory / _ledger.LEDGER_NAME)
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        assert _ledger.check(rules, ledger, changelog) == []

    def test_a_program_outcome_is_logic_in_the_ledger(self, tmp_path):
        rules = load_checkin_rules(default_checkin_rules_path())
        before = {r.id: _ledger.logic_hash(r) for r in rules.rules}
        text = (default_checkin_rules_path() / "90_checkin.toml").read_text(encoding="utf-8")
        changed = text.replace('program = ["step_back"]', 'program = ["hold_week_1"]', 1)
        (tmp_path / "90_checkin.toml").write_text(changed, encoding="utf-8")
        after = {r.id: _ledger.logic_hash(r) for r in load_checkin_rules(tmp_path).rules}
        assert [rid for rid in before if before[rid] != after[rid]] == ["CK-030"]

    def test_every_problem_of_a_bad_file_at_once(self, tmp_path):
        (tmp_path / "bad.toml").write_text(
            """
[[rule]]
id = "CK-900"
title = "Tests an answer key the check-in facts do not have"
rationale = "x"
source = "y"
when = { sitting_hurts = true }
level = "see_doctor"

[[rule]]
id = "CK-901"
title = "An unknown program outcome, no rationale"
source = "y"
when = { days_missed = { gte = 2 } }
program = ["skip_day"]

[[rule]]
id = "CK-902"
title = "Tests a finding"
rationale = "x"
source = "y"
when = { finding = "pattern.sciatica" }
level = "urgent"
""",
            encoding="utf-8",
        )
        with pytest.raises(RulesError) as caught:
            load_checkin_rules(tmp_path)
        text = str(caught.value)
        assert "CK-900: malformed condition: when.sitting_hurts: unknown test" in text
        assert "CK-901: 'rationale' must be a non-empty string" in text
        assert "CK-901: unknown program outcome 'skip_day'" in text
        assert "CK-902: check-in rules cannot test findings" in text
        assert len(caught.value.problems) == 4

    def test_the_start_findings_the_facts_read_exist(self):
        """start_sciatica and start_high_pain read these triage findings."""
        import painpath

        assert {"pattern.sciatica", "factor.high_pain"} <= set(painpath.default_rules().findings)

    def test_starting_answers_are_facts_under_start(self):
        assert FACT_KEYS["start_pain_score"].high == 10
        assert "start_equipment" not in FACT_KEYS  # lists cannot be tested
        assert "note" not in FACT_KEYS and "date" not in FACT_KEYS


# --- safety, over any check-in ---------------------------------------------------------


checkins = testing.checkins()
EMERGENCY_SIGNS = st.sampled_from(
    [
        {"bladder_or_bowel_change": True},
        {"saddle_numbness": True},
        {"sexual_dysfunction": True},
        {"leg_weakness": "worsening"},
    ]
)


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    path = tmp_path_factory.mktemp("safety") / "journal.sqlite3"
    with Journal(path, clock=lambda: dt.date(2027, 1, 1)) as j:
        j.start({"area": "both", "pain_score": 5, "leg_pain": "buttock"}, start_date=START)
        yield j


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(checkin=checkins, sign=EMERGENCY_SIGNS, day=st.integers(0, 40))
def test_an_emergency_sign_is_an_emergency_and_stops_the_program(journal, checkin, sign, day):
    answers = {**checkin, **sign, "date": (START + dt.timedelta(days=day)).isoformat()}
    outcome = journal.preview(answers)
    assert outcome.level is Level.EMERGENCY
    assert outcome.stopped and outcome.program == ()


@SETTINGS
@given(checkin=checkins, day=st.integers(0, 40))
def test_urgent_or_worse_always_stops_and_level_never_below_a_rule(journal, checkin, day):
    answers = {**checkin, "date": (START + dt.timedelta(days=day)).isoformat()}
    outcome = journal.preview(answers)
    rules = default_checkin_rules()
    levels = [Level(rules.ruleset.by_id[r.rule_id].level or "self_care") for r in outcome.reasons]
    assert outcome.level == max(levels, default=Level.SELF_CARE)
    assert outcome.stopped == (outcome.level >= Level.URGENT)
    if checkin.get("fever") or checkin.get("calf_swelling") or checkin.get("knee_hot_red"):
        assert outcome.level >= Level.URGENT
