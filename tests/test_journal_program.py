"""The program a check-in leaves behind: what the next days hold, journey by journey.

Same fixed clock and explicit dates as ``test_journal.py``; the layout is the
program's (``result.program``), the check-in rules say from which day what holds.
"""

from __future__ import annotations

import pytest

from painpath import Level, catalog
from test_journal import HERNIATION, SEE_DOCTOR_START, START, day, journal, run_days, started

__all__ = ["journal"]  # the fixture, re-used


def stages(program_day):
    return {s.stage: s.routine_id for s in program_day.sessions}


def dose_weeks(program_day):
    return {s.routine_id: s.dose_week for s in program_day.sessions}


def exercises(program_day):
    return [e.exercise_id for s in program_day.sessions for e in s.exercises]


class TestProgramAfterCheckins:
    def test_without_check_ins_stage_2_stays_locked(self, journal):
        started(journal)
        today = journal.today(day(10))
        assert set(stages(today.program_day)) == {"1"}
        assert today.program_day.locked

    def test_stage_2_from_the_day_after_centralizing(self, journal):
        started(journal)
        outcomes = run_days(journal, range(1, 8), d4={"press_up_response": "centralized"})
        program = outcomes[4].program
        assert [d.day for d in program] == list(range(5, 22))
        assert {"1", "2a"} <= set(stages(program[0]))
        assert dose_weeks(program[0])["stretching"] == 1  # stage 2 starts at week 1
        assert set(stages(outcomes[3].program[0])) == {"1"}
        assert journal.today(day(5)).program_day == program[0]

    def test_prone_rest_and_no_extension_after_peripheralizing(self, journal):
        started(journal)
        outcomes = run_days(journal, range(1, 8), d6={"press_up_response": "peripheralized"})
        before, after = outcomes[5].program, outcomes[6].program
        assert stages(before[0])["1"] == "mckenzie_emergency"
        assert all(stages(d)["1"] == "prone_rest" for d in after)
        extends = {e for e, ex in catalog.EXERCISES.items() if "extends_spine" in ex.cautions}
        assert extends  # the catalog marks the press-ups
        assert set(exercises(before[0])) & extends
        assert not any(set(exercises(d)) & extends for d in after)

    def test_a_bad_morning_takes_the_dose_back_a_week(self, journal):
        started(journal)
        outcomes = run_days(
            journal,
            range(1, 15),
            d2={"press_up_response": "centralized"},
            d14={"pain_after_exercise": "worse_next_morning"},
        )
        planned = outcomes[13].program[1]  # day 15 as it stood before day 14's check-in
        after = outcomes[14].program[0]  # day 15 after it
        assert planned.day == after.day == 15
        assert dose_weeks(planned)["mckenzie_emergency"] == 3
        assert dose_weeks(after)["mckenzie_emergency"] == 2

    def test_three_missed_days_take_the_dose_back_a_week(self, journal):
        started(journal)
        outcomes = run_days(journal, [*range(1, 12), 15])  # days 12-14 missed
        assert "CK-032" in {r.rule_id for r in outcomes[15].reasons}
        assert dose_weeks(outcomes[11].program[4])["mckenzie_emergency"] == 3  # day 16
        assert dose_weeks(outcomes[15].program[0])["mckenzie_emergency"] == 2  # day 16

    def test_the_program_stops_on_an_urgent_sign(self, journal):
        started(journal)
        outcome = run_days(journal, [1, 2], d2={"calf_swelling": True})[2]
        assert outcome.level is Level.URGENT and outcome.program == ()
        assert journal.today(day(3)).program_day is None

    def test_see_doctor_holds_week_1_until_a_doctor_clears(self, journal):
        started(journal, SEE_DOCTOR_START)
        outcomes = run_days(journal, range(1, 13), d10={"doctor_cleared": True})
        held = outcomes[9].program[0]  # day 10
        assert held.holds and set(dose_weeks(held).values()) == {1}
        free = outcomes[10].program[0]  # day 11
        assert not free.holds
        assert max(dose_weeks(free).values()) > 1

    def test_a_check_in_see_doctor_holds_a_self_care_start(self, journal):
        started(journal, HERNIATION)
        outcomes = run_days(
            journal,
            range(1, 13),
            d9={"pain_after_exercise": "worse_next_morning"},
            d10={"pain_after_exercise": "worse_next_morning"},
        )
        assert outcomes[10].level is Level.SEE_DOCTOR
        day11 = outcomes[10].program[0]
        assert day11.holds and set(dose_weeks(day11).values()) == {1}
        assert not outcomes[8].program[0].holds


@pytest.mark.parametrize("start", [START])
def test_program_days_are_dated_from_the_start(journal, start):
    started(journal)
    assert journal.today(day(4)).program_day.date == day(4)
