"""Clinical logic version 2: the new findings at their boundaries, what each forbids.

Everything goes through the public surface (``painpath.triage`` and the result), and
the properties draw answers from :mod:`painpath.testing`. The version-1 levels the
last property compares with are a frozen copy (``tests/fixtures/v1_levels.json``),
made once from the version-1 rules and never recomputed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import painpath
from painpath import Level, testing
from painpath.catalog import EXERCISES

PROPERTY = settings(max_examples=150, deadline=None)

EMERGENCY, URGENT = Level.EMERGENCY, Level.URGENT
SEE_DOCTOR, SELF_CARE = Level.SEE_DOCTOR, Level.SELF_CARE

FIXTURE = Path(__file__).parent / "fixtures" / "v1_levels.json"

#: The red-flag keys version 2 adds, with the answer that raises each.
V2_RED_FLAGS = {
    "sexual_dysfunction": True,
    "upper_back_pain": True,
    "pain_unchanged_by_position": True,
    "calf_swelling": True,
}

#: clinical.md, "What each finding forbids", written out here independently of the rules.
FORBIDS: dict[str, frozenset[str]] = {
    "response.peripheralizing": frozenset({"extends_spine"}),
    "factor.osteoporosis": frozenset({"flexes_spine_loaded", "twists_spine"}),
    "factor.pregnancy": frozenset({"lies_face_down", "lies_flat_on_back_long", "loads_abdomen"}),
    "pattern.knee_locking": frozenset({"forces_knee_straight", "loads_knee"}),
    "pattern.knee_injury": frozenset({"forces_knee_straight", "loads_knee"}),
}

#: Findings that hold every dose at week 1 (the low end) until a doctor has been seen.
WEEK_ONE_HOLD = ("neuro.stable_weakness", "factor.spinal_surgery", "factor.osteoporosis")

OTTAWA_CLEAR = {"knee_can_bear_weight": True, "knee_can_bend_90": True, "age": 30}
SCIATICA = {"area": "back", "leg_pain": "below_knee", "leg_pain_sides": "one"}


def triage(**answers: Any) -> painpath.Result:
    return painpath.triage(answers)


def in_plan(result: painpath.Result) -> list[str]:
    return [e.exercise_id for phase in result.plan for e in phase.exercises]


def left_out(result: painpath.Result) -> dict[str, painpath.LeftOut]:
    return {entry.id: entry for entry in result.left_out}


def fired(result: painpath.Result) -> set[str]:
    return {reason.rule_id for reason in result.reasons}


# --- each new finding, found and not found at its boundary ------------------------------


class TestNewPainOver50:
    @pytest.mark.parametrize(("age", "found"), [(49, False), (50, True), (51, True), (90, True)])
    def test_first_episode_at_the_age_boundary(self, age, found):
        """A first episode is a red flag from 50 on: see_doctor; at 49 it is not."""
        result = triage(area="back", first_episode=True, age=age)
        assert ("red_flag.new_pain_over_50" in result.findings) is found
        assert result.level is (SEE_DOCTOR if found else SELF_CARE)

    def test_not_a_first_episode(self):
        """Pain like this before: no red flag, whatever the age."""
        result = triage(area="back", first_episode=False, age=70)
        assert "red_flag.new_pain_over_50" not in result.findings
        assert result.level is SELF_CARE

    def test_age_not_given(self):
        """An age that was not asked cannot set it off (the age is asked of everyone)."""
        assert "red_flag.new_pain_over_50" not in triage(area="back", first_episode=True).findings


class TestFractureRiskAt70:
    @pytest.mark.parametrize("area", ["back", "knee", "both"])
    @pytest.mark.parametrize(("age", "found"), [(69, False), (70, True), (85, True)])
    def test_a_strain_at_the_age_boundary(self, area, age, found):
        """A strain at 70 or over is a fracture risk: urgent, for any area."""
        result = triage(area=area, onset="strain", age=age)
        assert ("red_flag.fracture_risk" in result.findings) is found
        if found:
            assert result.level is URGENT
            assert result.plan == ()
        else:
            assert result.level < URGENT

    @pytest.mark.parametrize("onset", ["gradual", "sudden_no_injury"])
    def test_no_strain_at_70(self, onset):
        """At 70 without a strain there is no fracture-risk finding."""
        result = triage(area="back", onset=onset, age=70)
        assert "red_flag.fracture_risk" not in result.findings
        assert result.level is SELF_CARE

    def test_version_1_fracture_risk_still_holds(self):
        """Thin bones with a strain at any age stays urgent (RF-009 unchanged)."""
        result = triage(area="back", onset="strain", age=40, osteoporosis=True)
        assert "red_flag.fracture_risk" in result.findings
        assert result.level is URGENT


class TestPainScore:
    @pytest.mark.parametrize(
        ("score", "finding", "level"),
        [
            (0, None, SELF_CARE),
            (6, None, SELF_CARE),
            (7, "factor.high_pain", SELF_CARE),
            (8, "factor.high_pain", SELF_CARE),
            (9, "factor.severe_pain", SEE_DOCTOR),
            (10, "factor.severe_pain", SEE_DOCTOR),
        ],
    )
    def test_boundaries(self, score, finding, level):
        """6 is nothing; 7 and 8 start gently at self_care; 9 and 10 need a doctor."""
        result = triage(area="back", pain_score=score)
        pain = {f for f in result.findings if f in ("factor.high_pain", "factor.severe_pain")}
        assert pain == ({finding} if finding else set())
        assert result.level is level

    @pytest.mark.parametrize("score", [7, 8, 9])
    def test_high_pain_starts_at_the_low_end_of_every_dose(self, score):
        """From 7 on, every range in the plan is at its low end."""
        result = triage(area="back", pain_score=score)
        assert result.plan
        for phase in result.plan:
            for exercise in phase.exercises:
                for pair in (exercise.dose.hold_seconds, exercise.dose.reps):
                    assert pair is None or pair[0] == pair[1], exercise.exercise_id

    def test_six_keeps_the_full_range(self):
        """Below 7 the doses keep their range (nothing else asks for gentleness here)."""
        result = triage(area="back", pain_score=6)
        doses = [e.dose for p in result.plan for e in p.exercises]
        assert any(d.reps and d.reps[0] < d.reps[1] for d in doses)


class TestUpperBackPain:
    def test_found_see_doctor(self):
        """Pain also between the shoulder blades: see a doctor in the coming days."""
        result = triage(area="back", upper_back_pain=True)
        assert "red_flag.upper_back_pain" in result.findings
        assert result.level is SEE_DOCTOR

    def test_with_cancer_urgent(self):
        """With a history of cancer it is urgent, and its own rule says why."""
        result = triage(area="back", upper_back_pain=True, cancer_history=True)
        assert result.level is URGENT
        levels = {r.level for r in result.reasons if r.finding == "red_flag.upper_back_pain"}
        assert URGENT in levels

    def test_not_found(self):
        """No upper back pain: no finding, self-care."""
        result = triage(area="back", upper_back_pain=False)
        assert "red_flag.upper_back_pain" not in result.findings
        assert result.level is SELF_CARE


class TestNonMechanicalPain:
    def test_found_see_doctor(self):
        """Pain that nothing changes is not mechanical: see a doctor."""
        result = triage(area="back", pain_unchanged_by_position=True)
        assert "red_flag.non_mechanical_pain" in result.findings
        assert result.level is SEE_DOCTOR

    @pytest.mark.parametrize("extra", ["cancer_history", "unexplained_weight_loss"])
    def test_with_cancer_or_weight_loss_urgent(self, extra):
        """With cancer or weight loss without trying it is urgent (weight loss alone is not)."""
        result = triage(area="back", pain_unchanged_by_position=True, **{extra: True})
        assert result.level is URGENT
        levels = {r.level for r in result.reasons if r.finding == "red_flag.non_mechanical_pain"}
        assert URGENT in levels

    def test_not_found(self):
        """Pain that changes with position: no finding."""
        result = triage(area="back", pain_unchanged_by_position=False)
        assert "red_flag.non_mechanical_pain" not in result.findings
        assert result.level is SELF_CARE


class TestPossibleDvt:
    @pytest.mark.parametrize("area", ["knee", "both"])
    def test_found_urgent_without_a_plan(self, area):
        """A swollen, warm or tender calf: possible clot, urgent, no exercises."""
        result = triage(area=area, calf_swelling=True)
        assert "red_flag.possible_dvt" in result.findings
        assert result.level is URGENT
        assert result.plan == ()

    def test_not_found(self):
        """No calf swelling: no finding."""
        result = triage(area="knee", calf_swelling=False)
        assert "red_flag.possible_dvt" not in result.findings
        assert result.level is SELF_CARE


class TestCaudaEquinaExtended:
    @pytest.mark.parametrize("area", ["back", "both", "knee"])
    def test_sexual_dysfunction_is_an_emergency(self, area):
        """A new loss of sexual function is a cauda equina sign: emergency, no plan."""
        result = triage(area=area, sexual_dysfunction=True)
        assert "red_flag.cauda_equina" in result.findings
        assert result.level is EMERGENCY
        assert result.plan == ()

    def test_not_found(self):
        """Answered no: no cauda equina finding."""
        result = triage(area="back", sexual_dysfunction=False)
        assert "red_flag.cauda_equina" not in result.findings


class TestStableWeakness:
    def test_found_see_doctor_and_week_one_doses(self):
        """Stable weakness needs a doctor, and the plan holds week-1 doses meanwhile."""
        result = triage(area="back", leg_weakness="stable")
        assert "neuro.stable_weakness" in result.findings
        assert "red_flag.progressive_weakness" not in result.findings
        assert result.level is SEE_DOCTOR
        assert "PL-018" in fired(result)
        assert result.plan

    @pytest.mark.parametrize("weakness", ["none", "worsening"])
    def test_not_found(self, weakness):
        """No weakness, or worsening weakness (the emergency rule), is not this finding."""
        assert "neuro.stable_weakness" not in triage(area="back", leg_weakness=weakness).findings


class TestKneeLocking:
    @pytest.mark.parametrize("injury", [{"knee_injury": "none"}, {}])
    def test_locking_without_injury_see_doctor(self, injury):
        """A knee that locks with no injury (or the injury not asked): see a doctor."""
        result = triage(area="knee", knee_locking=True, **injury)
        assert "pattern.knee_locking" in result.findings
        assert result.level is SEE_DOCTOR

    def test_locking_after_an_injury_is_the_structural_red_flag(self):
        """With an injury the urgent structural rule applies instead."""
        result = triage(area="knee", knee_locking=True, knee_injury="twist", **OTTAWA_CLEAR)
        assert "pattern.knee_locking" not in result.findings
        assert "red_flag.knee_structural" in result.findings
        assert result.level is URGENT

    def test_not_found(self):
        """A knee that does not lock: no finding."""
        result = triage(area="knee", knee_locking=False, knee_injury="none")
        assert "pattern.knee_locking" not in result.findings
        assert result.level is SELF_CARE


class TestOsteoporosisAndSurgery:
    @pytest.mark.parametrize("onset", [None, "gradual", "sudden_no_injury"])
    def test_osteoporosis_alone_see_doctor(self, onset):
        """Osteoporosis without a strain now needs a doctor (v2), with week-1 doses."""
        answers = {"area": "back", "osteoporosis": True}
        if onset:
            answers["onset"] = onset
        result = painpath.triage(answers)
        assert "factor.osteoporosis" in result.findings
        assert result.level is SEE_DOCTOR
        assert "PL-018" in fired(result)

    def test_osteoporosis_with_strain_stays_urgent(self):
        """With a strain the fracture-risk red flag keeps it urgent."""
        result = triage(area="back", osteoporosis=True, onset="strain")
        assert {"factor.osteoporosis", "red_flag.fracture_risk"} <= result.findings
        assert result.level is URGENT

    def test_spinal_surgery_see_doctor(self):
        """A previous spinal operation: see a doctor, week-1 doses meanwhile."""
        result = triage(area="back", previous_spinal_surgery=True)
        assert "factor.spinal_surgery" in result.findings
        assert result.level is SEE_DOCTOR
        assert "PL-018" in fired(result)

    @pytest.mark.parametrize("key", ["osteoporosis", "previous_spinal_surgery"])
    def test_not_found(self, key):
        """Answered no: no finding, self-care."""
        result = triage(area="back", **{key: False})
        assert not {"factor.osteoporosis", "factor.spinal_surgery"} & result.findings
        assert result.level is SELF_CARE


# --- what each finding forbids -----------------------------------------------------------


class TestForbids:
    def test_peripheralizing_leaves_out_every_back_arching_exercise(self):
        """Locust, superman and the press-ups are left out and named; prone lying stays."""
        result = triage(**SCIATICA, press_up_response="peripheralized")
        plan = in_plan(result)
        out = left_out(result)
        for exercise_id in (
            "press_up_on_elbows",
            "fully_extended_press_up",
            "locust_pose",
            "alternating_superman",
        ):
            assert exercise_id not in plan
            assert "down the leg" in out[exercise_id].reason
        assert "prone_lying" in plan

    def test_peripheralizing_leaves_out_the_adductor_assisted_extension(self):
        """The core routine loses its back extensions too."""
        result = triage(area="back", press_up_response="peripheralized")
        assert "adductor_assisted_back_extension" not in in_plan(result)
        assert "adductor_assisted_back_extension" in left_out(result)
        assert "abdominal_draw_in" in in_plan(result)

    def test_osteoporosis_leaves_out_loaded_flexion_and_twisting(self):
        """Knees to chest, double knee to chest and the twists go; flat-back stretches stay."""
        result = triage(area="back", osteoporosis=True)
        plan = in_plan(result)
        for exercise_id in (
            "knees_to_chest",
            "draw_in_double_knee_to_chest",
            "spinal_rotation_twist",
            "seated_glute_stretch",
        ):
            assert exercise_id not in plan
            assert "thin bones" in left_out(result)[exercise_id].reason
        assert "hamstring_stretch_lying" in plan

    def test_pregnancy_leaves_out_the_planks_and_double_knee_to_chest(self):
        """Planks and the double knee to chest strain the stomach wall in pregnancy."""
        result = triage(area="back", pregnant_or_postpartum=True)
        for exercise_id in ("plank", "side_plank", "draw_in_double_knee_to_chest"):
            assert exercise_id not in in_plan(result)
            assert "pregnancy" in left_out(result)[exercise_id].reason

    @pytest.mark.parametrize(
        "knee",
        [
            {"knee_locking": True, "knee_injury": "none"},
            {"knee_injury": "twist", **OTTAWA_CLEAR},
            {"knee_giving_way": True, "knee_injury": "none"},
        ],
    )
    def test_a_locking_or_injured_knee_is_never_forced_straight_or_loaded(self, knee):
        """No knee extension pushed with the hands, no squat, lunge or kneeling."""
        result = triage(area="both", **knee)
        for exercise_id in in_plan(result):
            cautions = set(EXERCISES[exercise_id].cautions)
            assert not cautions & {"forces_knee_straight", "loads_knee", "kneels"}, exercise_id
        assert "couch_quad_stretch" in left_out(result)

    @pytest.mark.parametrize("minutes", [5, 8, 10, 15, 20, 30, 45])
    def test_time_fitting_never_swaps_in_a_forbidden_alternative(self, minutes):
        """The 30-second kneeling stretch does not replace the groin stretch on a hurt knee."""
        result = triage(
            **{**SCIATICA, "area": "both"},
            knee_injury="twist",
            **OTTAWA_CLEAR,
            minutes_per_day=minutes,
        )
        assert "kneeling_hip_flexor_stretch" not in in_plan(result)


# --- properties ---------------------------------------------------------------------------


any_answers = testing.answers() | testing.full_answers()
"""Any valid answers: a random subset of the keys, or every key the area asks."""


@st.composite
def answers_and_v2_flag(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Any answers, and one version-2 red flag that their area calls for."""
    answers = draw(any_answers)
    keys = [k for k in V2_RED_FLAGS if k in testing.relevant_keys(answers["area"])]
    return answers, draw(st.sampled_from(keys))


class TestProperties:
    @PROPERTY
    @given(answers_and_v2_flag())
    def test_adding_a_v2_red_flag_never_lowers_the_level(self, pair):
        """Raising a new red flag on top of any answers can only keep or raise the level."""
        answers, key = pair
        before = painpath.triage(answers).level
        after = painpath.triage({**answers, key: V2_RED_FLAGS[key]}).level
        assert after >= before

    @PROPERTY
    @given(any_answers)
    def test_no_plan_holds_an_exercise_its_findings_forbid(self, answers):
        """clinical.md's forbids, read independently of the rules, hold for every plan."""
        result = painpath.triage(answers)
        forbidden = set().union(*(FORBIDS.get(f, frozenset()) for f in result.findings))
        for exercise_id in in_plan(result):
            assert not forbidden & set(EXERCISES[exercise_id].cautions), exercise_id

    @PROPERTY
    @given(any_answers)
    def test_no_plan_holds_an_exercise_a_fired_rule_excludes(self, answers):
        """Every exclusion of every rule that fired holds for the plan, by id and by caution."""
        result = painpath.triage(answers)
        rules = painpath.default_rules().by_id
        for reason in result.reasons:
            exclusion = rules[reason.rule_id].exclude
            if exclusion is None:
                continue
            for exercise_id in in_plan(result):
                assert exercise_id not in exclusion.exercises
                assert not set(exclusion.cautions) & set(EXERCISES[exercise_id].cautions)

    @PROPERTY
    @given(any_answers)
    def test_every_forbidden_exercise_is_named_with_a_reason(self, answers):
        """What a finding forbids and a routine would have had is named in left_out."""
        result = painpath.triage(answers)
        if not result.plan:
            return
        forbidden = set().union(*(FORBIDS.get(f, frozenset()) for f in result.findings))
        named = left_out(result)
        routines = painpath.catalog.ROUTINES
        for phase in result.plan:
            for item in routines[phase.routine_id].items:
                exercise = EXERCISES[item.exercise_id]
                if forbidden & set(exercise.cautions):
                    assert exercise.id in named, exercise.id
                    assert named[exercise.id].reason.strip()

    @PROPERTY
    @given(any_answers)
    def test_sexual_dysfunction_is_always_an_emergency_with_no_plan(self, answers):
        """Whatever else was answered, a new loss of sexual function means go now."""
        result = painpath.triage({**answers, "sexual_dysfunction": True})
        assert result.level is EMERGENCY
        assert result.plan == ()
        assert "red_flag.cauda_equina" in result.findings

    @PROPERTY
    @given(any_answers)
    def test_week_one_hold_findings_keep_every_dose_at_its_low_end(self, answers):
        """Stable weakness, spinal surgery or osteoporosis: no dose above its low end."""
        result = painpath.triage(answers)
        if not set(WEEK_ONE_HOLD) & result.findings:
            return
        for phase in result.plan:
            for exercise in phase.exercises:
                for pair in (exercise.dose.hold_seconds, exercise.dose.reps):
                    assert pair is None or pair[0] == pair[1], exercise.exercise_id

    @PROPERTY
    @given(any_answers)
    def test_flexion_waits_for_the_second_step_with_herniation_signs_or_sciatica(self, answers):
        """With herniation signs or sciatica no flexion stretch is in the first step.

        The spec: the flexion stretches wait for stage 2, which starts only when the
        pain has centralized; without a stage 1 (no press-ups in pregnancy), stage 2
        starts on day 1. So a flexion stretch is never in stage 1, and is in the first
        step only when there is no stage 1 and the pain was reported centralized
        (PL-019 leaves them out otherwise).
        """
        result = painpath.triage(answers)
        if not {"pattern.herniation_signs", "pattern.sciatica"} & result.findings:
            return
        centralized = "response.centralizing" in result.findings
        has_stage_one = any(phase.stage == "1" for phase in result.plan)
        for phase in result.plan:
            if phase.stage == "1" or (phase.step == 1 and (has_stage_one or not centralized)):
                for exercise in phase.exercises:
                    assert "flexes_spine" not in EXERCISES[exercise.exercise_id].cautions


class TestProgramDays:
    """The 21-day program is laid out from the plan: the forbids hold on every day."""

    @PROPERTY
    @given(any_answers)
    def test_no_program_day_holds_an_exercise_its_findings_forbid(self, answers):
        """clinical.md's forbids hold for every exercise of every day, later ones included."""
        result = painpath.triage(answers)
        forbidden = set().union(*(FORBIDS.get(f, frozenset()) for f in result.findings))
        for day in result.program:
            for session in day.sessions:
                ids = [e.exercise_id for e in session.exercises]
                ids += [later.exercise_id for later in session.later]
                for exercise_id in ids:
                    assert not forbidden & set(EXERCISES[exercise_id].cautions), (
                        day.day,
                        exercise_id,
                    )

    @PROPERTY
    @given(any_answers)
    def test_week_one_hold_findings_keep_every_day_at_week_one(self, answers):
        """Stable weakness, spinal surgery or osteoporosis: no day goes past week 1's doses."""
        result = painpath.triage(answers)
        if not set(WEEK_ONE_HOLD) & result.findings:
            return
        for day in result.program:
            assert day.holds, day.day
            for session in day.sessions:
                assert session.dose_week == 1, (day.day, session.routine_id)

    @pytest.mark.parametrize(
        "answers",
        [
            {"area": "back", "leg_weakness": "stable"},
            {"area": "back", "previous_spinal_surgery": True},
            {"area": "back", "osteoporosis": True},
        ],
    )
    def test_the_hold_is_shown_every_day(self, answers):
        """Each hold finding alone gives 21 days, all at week-1 doses, the hold said in words."""
        result = painpath.triage(answers)
        assert len(result.program) == 21
        assert all(day.holds for day in result.program)
        assert {s.dose_week for d in result.program for s in d.sessions} == {1}


class TestVersion1Levels:
    def test_the_frozen_copy_is_the_version_1_one(self):
        """The fixture holds answer sets valid in version 1 only, and was made before v2."""
        data = json.loads(FIXTURE.read_text(encoding="utf-8"))
        assert data["contract_version"] == 1
        assert len(data["cases"]) >= 800
        v2_keys = {*V2_RED_FLAGS, "first_episode", "previous_spinal_surgery", "start_date"}
        for case in data["cases"]:
            assert not v2_keys & set(case["answers"])
        levels = {case["level"] for case in data["cases"]}
        assert levels == {"emergency", "urgent", "see_doctor", "self_care"}

    def test_version_2_never_gives_a_lower_level(self):
        """Every frozen version-1 answer set gets at least its version-1 level."""
        data = json.loads(FIXTURE.read_text(encoding="utf-8"))
        lower = []
        moved = 0
        for case in data["cases"]:
            now = painpath.triage(case["answers"]).level
            if now < Level(case["level"]):
                lower.append((case["answers"], case["level"], now.value))
            moved += now > Level(case["level"])
        assert not lower, lower[:3]
        # The v2 rules do move some version-1 answers up (stable weakness, osteoporosis...).
        assert moved > 0
