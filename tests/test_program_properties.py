"""Safety properties of the 21-day program over any valid answers (``painpath.testing``).

Each property is a promise of clinical.md "The 21-day program" for every person:
the program has 21 days (or none when a doctor is needed today), never lowers a dose
from one week to the next, never holds an exercise a finding forbids, never asks for
an exercise twice in a day, starts on the non-dominant side where the document says
so, and fits the time available.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import painpath
from painpath import Level, testing
from painpath._program import ProgramState, build_program
from painpath.catalog import EXERCISES

PROPERTY = settings(max_examples=120, deadline=None)

#: clinical.md, "What each finding forbids", written out independently of the rules.
FORBIDS: dict[str, frozenset[str]] = {
    "response.peripheralizing": frozenset({"extends_spine"}),
    "factor.osteoporosis": frozenset({"flexes_spine_loaded", "twists_spine"}),
    "factor.pregnancy": frozenset({"lies_face_down", "lies_flat_on_back_long", "loads_abdomen"}),
    "pattern.knee_locking": frozenset({"forces_knee_straight", "loads_knee"}),
    "pattern.knee_injury": frozenset({"forces_knee_straight", "loads_knee"}),
}
#: The exercises the document says to start on the non-dominant side.
NON_DOMINANT_FIRST = frozenset({"kneeling_hip_flexor_stretch", "hip_flexor_stretch_arm_raised"})
OTHER = {"left": "right", "right": "left"}

any_answers = testing.answers()
with_sides = st.builds(
    lambda answers, dominant, painful: {
        **answers,
        "dominant_side": dominant,
        "painful_side": painful,
    },
    testing.answers(),
    st.sampled_from(["left", "right"]),
    st.sampled_from(["left", "right", "both", "center"]),
)


def exercises(day: Any) -> list[Any]:
    return [e for s in day.sessions for e in s.exercises]


def rank(pair: tuple[float, float] | None) -> tuple[float, float]:
    return (0, 0) if pair is None else pair


class TestProgramProperties:
    @PROPERTY
    @given(any_answers)
    def test_twenty_one_days_or_none_when_a_doctor_is_needed_today(self, answers):
        """Emergency and urgent: no program at all; otherwise 21 days or none (no plan)."""
        result = painpath.triage(answers)
        if result.level >= Level.URGENT:
            assert result.program == ()
        elif result.plan:
            assert [d.day for d in result.program] == list(range(1, 22))
        else:
            assert result.program == ()

    @PROPERTY
    @given(any_answers)
    def test_doses_never_fall_from_one_week_to_the_next(self, answers):
        """An exercise's dose in week 2 is at least week 1's, and week 3 at least week 2's."""
        program = painpath.triage(answers).program
        if not program:
            return
        weekly = [
            {e.exercise_id: e.dose for e in exercises(program[first])} for first in (0, 7, 14)
        ]
        for before, after in itertools.pairwise(weekly):
            for exercise_id, dose in after.items():
                if exercise_id not in before:
                    continue
                old = before[exercise_id]
                for field in ("hold_seconds", "reps", "duration_minutes", "breaths"):
                    assert rank(getattr(dose, field)) >= rank(getattr(old, field)), exercise_id
                assert (dose.sets or 1) >= (old.sets or 1), exercise_id

    @PROPERTY
    @given(any_answers)
    def test_no_day_holds_an_exercise_a_finding_forbids(self, answers):
        """clinical.md's forbids hold on every day, and no excluded exercise comes back."""
        result = painpath.triage(answers)
        forbidden = set().union(*(FORBIDS.get(f, frozenset()) for f in result.findings))
        in_plan = {e.exercise_id for p in result.plan for e in p.exercises}
        for day in result.program:
            for entry in exercises(day):
                assert not forbidden & set(EXERCISES[entry.exercise_id].cautions), entry
                assert entry.exercise_id in in_plan

    @PROPERTY
    @given(any_answers, st.integers(1, 21))
    def test_no_exercise_twice_in_a_day(self, answers, unlock):
        """Once a day each, with stage 2 locked or unlocked on any day."""
        result = painpath.triage(answers)
        program = build_program(result, answers, state=ProgramState(stage_two_from=unlock))
        for day in (*result.program, *program):
            ids = [e.exercise_id for e in exercises(day)]
            assert len(ids) == len(set(ids))

    @PROPERTY
    @given(with_sides)
    def test_non_dominant_side_first_where_the_document_says(self, answers):
        """The hip flexor stretches start on the side that is not the dominant one."""
        result = painpath.triage(answers)
        program = build_program(result, answers, state=ProgramState(stage_two_from=1))
        for day in program:
            for entry in exercises(day):
                if entry.exercise_id in NON_DOMINANT_FIRST:
                    assert entry.first_side == OTHER[answers["dominant_side"]]
                    assert f"your {entry.first_side} knee" in entry.steps[0]

    @PROPERTY
    @given(any_answers)
    def test_week_one_stage_two_is_short(self, answers):
        """A week-1 day of stage 2 has at most 8 exercises across its parts."""
        for day in painpath.triage(answers).program[:7]:
            stage_two = [e for s in day.sessions if s.stage.startswith("2") for e in s.exercises]
            assert len(stage_two) <= 8

    @PROPERTY
    @given(any_answers)
    def test_see_doctor_keeps_week_one_doses(self, answers):
        """Waiting for a doctor, every day of the program is at week-1 doses."""
        result = painpath.triage(answers)
        if result.level is Level.SEE_DOCTOR:
            assert all(s.dose_week == 1 for d in result.program for s in d.sessions)

    @PROPERTY
    @given(any_answers)
    def test_no_placeholder_reaches_a_person(self, answers):
        """No "{first}", "{hold}" or other placeholder is left in any step of any day."""
        for day in painpath.triage(answers).program:
            for entry in exercises(day):
                assert not any("{" in step or "}" in step for step in entry.steps)

    @PROPERTY
    @given(any_answers, st.integers(5, 60))
    def test_every_day_fits_the_time_available(self, answers, minutes):
        """minutes_per_day bounds every day, but for exercises a rule never drops."""
        answers = {**answers, "minutes_per_day": minutes}
        result = painpath.triage(answers)
        kept = {e for r in painpath.default_rules().rules for e in r.keep}
        for day in result.program:
            if all(e.exercise_id in kept for e in exercises(day)):
                continue
            assert sum(e.dose.estimated_seconds() for e in exercises(day)) <= minutes * 60
