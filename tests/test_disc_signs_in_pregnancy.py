"""Disc signs in pregnancy: the forward bends wait, though the press-ups cannot be done (PL-019)."""

from __future__ import annotations

import painpath
from painpath.catalog import EXERCISES

PREGNANT_WITH_DISC_SIGNS = {
    "area": "back",
    "onset": "sudden_no_injury",
    "cough_sneeze_worse": True,
    "pregnant_or_postpartum": True,
}


def _flexion(exercise_id: str) -> bool:
    return "flexes_spine" in EXERCISES[exercise_id].cautions


class TestDiscSignsInPregnancy:
    def test_no_forward_bend_in_the_plan_or_on_any_day(self):
        """No press-ups can centralize the pain, so no flexion stretch starts on day 1."""
        result = painpath.triage(PREGNANT_WITH_DISC_SIGNS)
        assert "pattern.herniation_signs" in result.findings
        assert result.plan, "the pattern's routines still run"
        for phase in result.plan:
            assert not [e.exercise_id for e in phase.exercises if _flexion(e.exercise_id)]
        for day in result.program:
            for session in day.sessions:
                assert not [e.exercise_id for e in session.exercises if _flexion(e.exercise_id)]

    def test_the_result_names_what_waits_and_why(self):
        result = painpath.triage(PREGNANT_WITH_DISC_SIGNS)
        waiting = {item.id for item in result.left_out if item.rule_id == "PL-019"}
        assert "knees_to_chest" in waiting
        assert any(r.rule_id == "PL-019" for r in result.reasons)

    def test_centralized_pain_lets_the_forward_bends_back(self):
        """Once the pain is known to have centralized, the flexion stretches are allowed."""
        result = painpath.triage({**PREGNANT_WITH_DISC_SIGNS, "press_up_response": "centralized"})
        assert not any(r.rule_id == "PL-019" for r in result.reasons)
        ids = {e.exercise_id for phase in result.plan for e in phase.exercises}
        assert any(_flexion(i) for i in ids)

    def test_without_pregnancy_the_press_ups_come_first(self):
        answers = {**PREGNANT_WITH_DISC_SIGNS, "pregnant_or_postpartum": False}
        result = painpath.triage(answers)
        assert not any(r.rule_id == "PL-019" for r in result.reasons)
        assert result.plan[0].routine_id == "mckenzie_emergency"
