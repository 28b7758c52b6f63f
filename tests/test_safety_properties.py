"""Safety properties of ``painpath.triage()`` over any valid answers.

Each property is an invariant the clinical logic promises for every person, not
just the examples in ``test_findings.py`` and ``test_plan.py``. The answers come
from the public strategies of :mod:`painpath.testing`, so they follow the answer
contract, including keys that were not asked.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

import painpath
from painpath import Level, testing
from painpath.catalog import EQUIPMENT, EXERCISES

PROPERTY = settings(max_examples=150, deadline=None)
FEW = settings(max_examples=30, deadline=None)

RULES = painpath.default_rules()
PRESS_UPS = frozenset({"press_up_on_elbows", "fully_extended_press_up"})
BACK_ROUTINES = frozenset(
    {
        "mckenzie_emergency",
        "prone_rest",
        "si_self_adjustment",
        "reverse_sciatica",
        "sciatica_relief",
        "sciatica_strengthening",
        "stretching",
        "core",
        "foam_rolling",
    }
)
PREGNANCY_CAUTIONS = frozenset({"lies_face_down", "lies_flat_on_back_long"})


def _with(pair: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    answers, extra = pair
    return {**answers, **extra}


any_answers = testing.answers() | testing.full_answers()
"""Any valid answers: a random subset of the keys, or every key the area asks."""

back_answers = st.sampled_from(["back", "both"]).flatmap(
    lambda area: testing.answers(area) | testing.full_answers(area)
)
"""Valid answers in which the back is involved."""

knee_answers = testing.answers("knee") | testing.full_answers("knee")
"""Valid answers for a knee-only complaint: only the questions the knee asks."""

emergency_signs = st.sampled_from(
    [
        {"bladder_or_bowel_change": True},
        {"saddle_numbness": True},
        {"leg_weakness": "worsening"},
    ]
)
"""One sign of cauda equina, or leg weakness that is getting worse."""

answers_with_emergency_sign = st.tuples(any_answers, emergency_signs).map(_with)
"""Any answers with a cauda equina sign or worsening weakness added."""

answers_and_raised_flag = st.tuples(any_answers, testing.raised_red_flags)
"""Any answers, and one red-flag key with the value that raises it."""

pregnant_answers = st.tuples(any_answers, st.just({"pregnant_or_postpartum": True})).map(_with)
"""Any answers from someone pregnant or who gave birth in the last 6 months."""

sciatic_answers = st.tuples(back_answers, st.just({"leg_pain": "below_knee"})).map(_with)
"""Answers with leg pain below the knee, and any SI joint signs."""

peripheralizing_answers = st.tuples(
    back_answers, st.just({"press_up_response": "peripheralized"})
).map(_with)
"""Answers in which press-ups sent the pain further down the leg."""

equipment_lists = st.lists(st.sampled_from(EQUIPMENT), unique=True)
"""Equipment to add to what a person already has."""

timed_answers = st.tuples(
    any_answers, st.integers(5, 60).map(lambda minutes: {"minutes_per_day": minutes})
).map(_with)
"""Answers with a short time limit per day (5 to 60 minutes), which forces choices."""

untimed_answers = any_answers.map(
    lambda answers: {k: v for k, v in answers.items() if k != "minutes_per_day"}
)
"""Any valid answers without a time limit."""

answer_batches = st.lists(any_answers, min_size=8, max_size=24)
"""A batch of answer sets, to run in threads."""


def exercises(result: painpath.Result) -> list[str]:
    return [e.exercise_id for phase in result.plan for e in phase.exercises]


def routines_lost_with_more(answers: dict[str, Any], more: list[str]) -> set[str]:
    """The routines of the plan that are gone once ``more`` equipment is at hand."""
    have = painpath.Answers.from_mapping(answers).available_equipment()
    before = {p.routine_id for p in painpath.triage(answers).plan}
    richer = {**answers, "equipment": sorted(have | set(more))}
    after = {p.routine_id for p in painpath.triage(richer).plan}
    return before - after


def summary(result: painpath.Result) -> str:
    return json.dumps(result.to_dict(), sort_keys=True)


class TestEmergencies:
    @PROPERTY
    @given(answers=answers_with_emergency_sign)
    def test_cauda_equina_or_worsening_weakness_is_always_an_emergency(self, answers):
        """Hours matter for cauda equina and a failing nerve: nothing else answered may soften it,
        and no exercise may be offered instead of the emergency department."""
        result = painpath.triage(answers)
        assert result.level is Level.EMERGENCY
        assert result.plan == ()

    @PROPERTY
    @given(answers=any_answers | testing.with_raised_red_flag())
    def test_emergency_and_urgent_give_no_plan(self, answers):
        """Someone who must see a doctor today or now must not be handed exercises to do instead."""
        result = painpath.triage(answers)
        if result.level >= Level.URGENT:
            assert result.plan == ()
            assert result.stop_if == ()


class TestLevelOnlyRises:
    @PROPERTY
    @given(case=answers_and_raised_flag)
    def test_raising_any_red_flag_never_lowers_the_level(self, case):
        """A warning sign can only make the advice more cautious; if it could lower the level,
        answering honestly could talk someone out of seeing a doctor."""
        answers, (key, value) = case
        before = painpath.triage(answers).level
        after = painpath.triage({**answers, key: value}).level
        assert after >= before

    @PROPERTY
    @given(answers=any_answers)
    def test_the_level_is_the_highest_level_of_the_rules_that_fired(self, answers):
        """The level is explained by the reasons: it is exactly the highest level they cite,
        so no level appears from nowhere and none is silently dropped."""
        result = painpath.triage(answers)
        cited = [r.level for r in result.reasons if r.level is not None]
        assert result.level == max(cited, default=Level.SELF_CARE)


class TestPlanSafety:
    @PROPERTY
    @given(answers=any_answers)
    def test_every_plan_exercise_is_in_the_catalog(self, answers):
        """The plan may only hand out exercises the document describes, with their own names."""
        result = painpath.triage(answers)
        for phase in result.plan:
            assert phase.exercises
            for exercise in phase.exercises:
                assert exercise.exercise_id in EXERCISES
                assert exercise.name == EXERCISES[exercise.exercise_id].name

    @PROPERTY
    @given(answers=any_answers)
    def test_every_plan_exercise_needs_only_equipment_at_hand(self, answers):
        """An exercise that needs a foam roller the person does not have cannot be done; it
        must be swapped for the document's alternative or left out."""
        available = painpath.Answers.from_mapping(answers).available_equipment()
        for phase in painpath.triage(answers).plan:
            for exercise in phase.exercises:
                assert set(EXERCISES[exercise.exercise_id].equipment) <= available

    @PROPERTY
    @given(answers=pregnant_answers)
    def test_pregnancy_never_gets_face_down_or_long_supine_exercises(self, answers):
        """Lying face down is not possible in pregnancy and lying long on the back presses on
        the large veins: such exercises must never reach a pregnant person's plan."""
        for exercise_id in exercises(painpath.triage(answers)):
            assert not PREGNANCY_CAUTIONS & set(EXERCISES[exercise_id].cautions), exercise_id

    @PROPERTY
    @given(answers=sciatic_answers)
    def test_sij_is_never_found_with_pain_below_the_knee(self, answers):
        """Pain below the knee is sciatica; reading it as SI joint pain would give the wrong
        routine for a nerve problem."""
        assert "pattern.sij" not in painpath.triage(answers).findings

    @PROPERTY
    @given(answers=peripheralizing_answers)
    def test_peripheralizing_never_keeps_press_ups(self, answers):
        """Press-ups that send pain down the leg irritate the nerve: the plan must drop the
        emergency press-up routine and every press-up, wherever it appears."""
        result = painpath.triage(answers)
        assert "mckenzie_emergency" not in {p.routine_id for p in result.plan}
        assert not PRESS_UPS & set(exercises(result))

    @PROPERTY
    @given(answers=any_answers)
    def test_the_calming_routine_always_comes_first(self, answers):
        """Press-ups (or the face-down rest) calm the pain before any stretching or strengthening;
        coming later in the plan they would miss their purpose."""
        plan = painpath.triage(answers).plan
        for index, phase in enumerate(plan):
            if phase.routine_id in ("mckenzie_emergency", "prone_rest"):
                assert index == 0
                assert phase.step == 1

    @PROPERTY
    @given(answers=any_answers)
    def test_a_see_doctor_plan_is_always_gentle(self, answers):
        """While a doctor's review is pending, the person should only do the low end of each
        dose; a full-dose plan would contradict the advice to book an appointment."""
        result = painpath.triage(answers)
        if result.level is Level.SEE_DOCTOR:
            for phase in result.plan:
                assert any("gently" in note for note in phase.notes)

    @PROPERTY
    @given(answers=knee_answers)
    def test_a_knee_only_complaint_gets_only_knee_routines(self, answers):
        """Someone who came for their knee must not be handed the back program, with press-ups
        and back stop rules, from answers that only the knee questions asked."""
        result = painpath.triage(answers)
        assert not BACK_ROUTINES & {p.routine_id for p in result.plan}

    @PROPERTY
    @given(answers=any_answers)
    def test_under_18_never_gets_a_plan(self, answers):
        """The program is written for adults; a young person needs a doctor first."""
        result = painpath.triage(answers)
        if "red_flag.young_age" in result.findings:
            assert result.plan == ()


class TestStopRules:
    @PROPERTY
    @given(answers=any_answers)
    def test_stop_rules_go_exactly_with_their_exercises(self, answers):
        """A stop rule for an exercise the plan does not have is noise, and a missing one leaves
        the person without the warning: each is present exactly when its exercise is, and the
        leg-pain rule exactly when press-ups sent the pain down the leg and there is a back plan."""
        result = painpath.triage(answers)
        planned = set(exercises(result))
        stops = {s.id for s in result.stop_if}
        assert ("stop.press_up_spreads" in stops) == bool(PRESS_UPS & planned)
        assert ("stop.numb_leg_massage" in stops) == ("trigger_point_self_massage" in planned)
        back_plan = bool(BACK_ROUTINES & {p.routine_id for p in result.plan})
        peripheralizing = "response.peripheralizing" in result.findings
        assert ("stop.leg_pain_keeps_spreading" in stops) == (peripheralizing and back_plan)

    @PROPERTY
    @given(answers=any_answers)
    def test_every_back_plan_says_when_to_go_to_the_emergency_department(self, answers):
        """Cauda equina can start during the program: every back plan says which new signs
        mean stop and go to an emergency department."""
        result = painpath.triage(answers)
        if BACK_ROUTINES & {p.routine_id for p in result.plan}:
            assert "stop.new_red_flag" in {s.id for s in result.stop_if}


class TestResultShape:
    @PROPERTY
    @given(answers=any_answers)
    def test_findings_are_always_in_the_vocabulary(self, answers):
        """Finding ids are a public contract: a result never carries an id outside it."""
        assert painpath.triage(answers).findings <= set(RULES.findings)

    @PROPERTY
    @given(answers=any_answers)
    def test_reasons_always_cite_shipped_rules(self, answers):
        """Every reason must point to a rule a reviewer can read in rules/."""
        for reason in painpath.triage(answers).reasons:
            assert reason.rule_id in RULES.by_id

    @PROPERTY
    @given(answers=any_answers)
    def test_the_result_is_json_serialisable(self, answers):
        """The result goes to other programs and to records: it must turn into plain JSON and
        come back the same."""
        data = painpath.triage(answers).to_dict()
        assert json.loads(json.dumps(data)) == data


class TestDeterminism:
    @PROPERTY
    @given(answers=any_answers, other=any_answers)
    def test_the_same_answers_give_the_same_result_whatever_ran_before(self, answers, other):
        """One person's result must never depend on whoever was triaged before them."""
        first = painpath.triage(answers)
        painpath.triage(other)
        second = painpath.triage(answers)
        assert second == first
        assert summary(second) == summary(first)

    @FEW
    @given(batch=answer_batches)
    def test_threads_give_the_same_results_as_one_by_one(self, batch):
        """A server triages many people at once: results in threads must equal results in turn."""
        sequential = [summary(painpath.triage(a)) for a in batch]
        with ThreadPoolExecutor(max_workers=8) as pool:
            threaded = list(pool.map(lambda a: summary(painpath.triage(a)), batch))
        assert threaded == sequential


class TestEquipment:
    @PROPERTY
    @given(answers=untimed_answers, more=equipment_lists)
    def test_adding_equipment_never_removes_a_routine(self, answers, more):
        """Having more at hand can only widen the choice of exercises; a routine that vanished
        when someone fetched a foam roller would be absurd and would lose care."""
        assert not routines_lost_with_more(answers, more)

    @PROPERTY
    @example(
        answers={"area": "back", "equipment": [], "minutes_per_day": 15},
        more=["couch"],
    )
    @example(
        answers={
            "area": "back",
            "equipment": ["couch", "pillow", "chair", "tennis_ball"],
            "minutes_per_day": 39,
        },
        more=["yoga_strap"],
    )
    @example(
        answers={
            "area": "back",
            "leg_pain": "below_knee",
            "equipment": ["resistance_band"],
            "minutes_per_day": 17,
        },
        more=["chair"],
    )
    @given(answers=timed_answers, more=equipment_lists)
    def test_adding_equipment_never_removes_a_routine_under_a_time_limit(self, answers, more):
        """The same under a time limit: more equipment may change which exercises fit the day,
        but fetching a couch or a strap must not cost someone a whole routine."""
        assert not routines_lost_with_more(answers, more)


class TestTimeLimit:
    @PROPERTY
    @given(answers=timed_answers)
    def test_each_step_fits_the_time_or_only_kept_exercises_remain(self, answers):
        """The plan must be doable in the time the person has; only exercises a rule insists on
        (the press-ups that calm the pain, say) may overrun it."""
        result = painpath.triage(answers)
        keep = {ex for r in result.reasons for ex in RULES.by_id[r.rule_id].keep}
        budget = answers["minutes_per_day"] * 60
        for step in {p.step for p in result.plan}:
            planned = [e for p in result.plan if p.step == step for e in p.exercises]
            total = sum(e.dose.estimated_seconds() for e in planned)
            assert total <= budget or {e.exercise_id for e in planned} <= keep

    @PROPERTY
    @given(answers=timed_answers)
    def test_every_exercise_dropped_for_time_is_named_with_the_reason(self, answers):
        """Someone short of time must know what they are missing and why, not just get less."""
        untimed = {k: v for k, v in answers.items() if k != "minutes_per_day"}
        full = painpath.triage(untimed)
        timed = painpath.triage(answers)
        kept = {(p.routine_id, e.exercise_id) for p in timed.plan for e in p.exercises}
        named = {entry.id for entry in timed.left_out if entry.reason.startswith("time")}
        for phase in full.plan:
            for exercise in phase.exercises:
                if (phase.routine_id, exercise.exercise_id) not in kept:
                    assert exercise.exercise_id in named or phase.routine_id in named
