"""The plan, stop rules and advice, per clinical.md "Choosing the plan", "Advice" and "Stop rules".

Each class is one choice the clinical logic makes: which routines, in which order,
with what left out and why, when to stop, and what the advice says.
"""

from __future__ import annotations

from typing import Any

import pytest

import painpath
from painpath import Level
from painpath.catalog import EXERCISES, ROUTINES, dose_of

PRESS_UPS = {"press_up_on_elbows", "fully_extended_press_up"}
EVERYTHING = list(painpath.catalog.EQUIPMENT)
PREGNANCY_CAUTIONS = {"lies_face_down", "lies_flat_on_back_long"}
GENERAL_RED_FLAGS = (
    "fever",
    "unexplained_weight_loss",
    "cancer_history",
    "constant_night_pain",
    "steroids_or_immunosuppressed",
)
KNEE_RED_FLAGS = (*GENERAL_RED_FLAGS, "calf_swelling")
BACK_RED_FLAGS = (
    "bladder_or_bowel_change",
    "saddle_numbness",
    "leg_weakness",
    *GENERAL_RED_FLAGS,
    "osteoporosis",
    "sexual_dysfunction",
    "upper_back_pain",
    "pain_unchanged_by_position",
)

SCIATICA = {"area": "back", "leg_pain": "below_knee", "leg_pain_sides": "one"}
SIJ = {
    "area": "back",
    "leg_pain": "buttock",
    "back_pain": "one_side",
    "tender_dimple": True,
    "hard_to_stand_up": True,
}
NONSPECIFIC = {"area": "back", "leg_pain": "none"}
KNEE = {"area": "knee", "knee_injury": "none"}
#: An injured knee that passes the Ottawa rule: no X-ray needed.
OTTAWA_CLEAR = {"knee_can_bear_weight": True, "knee_can_bend_90": True, "age": 30}


def triage(**answers: Any) -> painpath.Result:
    return painpath.triage(answers)


def routines(result: painpath.Result) -> list[str]:
    return [phase.routine_id for phase in result.plan]


def phase(result: painpath.Result, routine_id: str) -> painpath.Phase:
    (found,) = (p for p in result.plan if p.routine_id == routine_id)
    return found


def exercises(result: painpath.Result) -> list[str]:
    return [e.exercise_id for p in result.plan for e in p.exercises]


def left_out(result: painpath.Result) -> dict[str, str]:
    return {entry.id: entry.reason for entry in result.left_out}


def stops(result: painpath.Result) -> set[str]:
    return {stop.id for stop in result.stop_if}


def advice(result: painpath.Result) -> str:
    return "\n".join(result.advice)


def catalog_dose(routine_id: str, exercise_id: str) -> painpath.catalog.Dose:
    """The dose the catalog gives an exercise in a routine (its own dose when swapped in)."""
    for item in ROUTINES[routine_id].items:
        if item.exercise_id == exercise_id:
            return dose_of(item)
    return EXERCISES[exercise_id].dose


def is_low_end(plan_dose: painpath.catalog.Dose, full: painpath.catalog.Dose) -> bool:
    spans = ("hold_seconds", "reps", "duration_minutes")
    return all(
        (getattr(full, s) is None and getattr(plan_dose, s) is None)
        or getattr(plan_dose, s) == (getattr(full, s)[0], getattr(full, s)[0])
        for s in spans
    )


class TestPressUpsFirst:
    @pytest.mark.parametrize(
        "answers",
        [
            {"area": "back", "spasm": True},
            {"area": "back", "sitting_hurts": True, "cough_sneeze_worse": True},
            {"area": "back", "onset": "sudden_no_injury", "bending_forward_hurts": True},
            SCIATICA,
        ],
        ids=["acute_spasm", "herniation_signs", "herniation_sudden_onset", "sciatica"],
    )
    def test_spasm_herniation_signs_or_sciatica_put_the_press_ups_first(self, answers):
        """Before any stretching or strengthening, the McKenzie press-ups bring the pain down."""
        result = painpath.triage(answers)
        first = result.plan[0]
        assert first.routine_id == "mckenzie_emergency"
        assert first.step == 1
        assert all(p.step > 1 for p in result.plan[1:])
        assert {e.exercise_id for e in first.exercises} == PRESS_UPS

    def test_moving_on_from_the_press_ups_is_centralization(self):
        """The emergency routine's move-on condition is centralization of the pain."""
        move_on = phase(triage(**SCIATICA), "mckenzie_emergency").move_on
        assert "centralized" in move_on

    def test_later_steps_wait_for_the_pain_to_calm(self):
        """The routines after the press-ups say they start once the pain has centralized."""
        for later in triage(**SCIATICA).plan[1:]:
            assert later.stage.startswith("2")
            assert any("centralized" in note for note in later.notes)

    def test_plain_back_pain_does_not_start_with_press_ups(self):
        """Without spasm, herniation signs, sciatica or centralizing, no emergency routine."""
        assert "mckenzie_emergency" not in routines(triage(**NONSPECIFIC))


class TestPeripheralizing:
    @pytest.mark.parametrize(
        "answers",
        [NONSPECIFIC, SCIATICA, {"area": "back", "spasm": True}, SIJ],
        ids=["nonspecific", "sciatica", "spasm", "sij"],
    )
    def test_face_down_rest_instead_of_press_ups(self, answers):
        """Press-ups that send pain down the leg are replaced by lying face down first."""
        result = painpath.triage({**answers, "press_up_response": "peripheralized"})
        assert result.plan[0].routine_id == "prone_rest"
        assert "prone_lying" in [e.exercise_id for e in result.plan[0].exercises]
        assert "mckenzie_emergency" not in routines(result)

    @pytest.mark.parametrize(
        "answers", [NONSPECIFIC, SCIATICA, SIJ], ids=["nonspecific", "sciatica", "sij"]
    )
    def test_no_press_up_anywhere_in_the_plan(self, answers):
        """No press-up in any routine, including the stretching and reverse sciatica routines."""
        result = painpath.triage(
            {**answers, "press_up_response": "peripheralized", "equipment": EVERYTHING}
        )
        assert not PRESS_UPS & set(exercises(result))
        assert set(left_out(result)) >= PRESS_UPS

    @pytest.mark.parametrize(
        "answers",
        [
            NONSPECIFIC,
            SCIATICA,
            {**NONSPECIFIC, "pregnant_or_postpartum": True},
        ],
        ids=["nonspecific", "sciatica", "pregnant"],
    )
    def test_the_stop_rule_says_to_contact_a_doctor_if_pain_keeps_shooting(self, answers):
        """While there is a plan, peripheralizing pain always comes with the stop rule: if it keeps
        shooting down the leg, contact a doctor."""
        result = painpath.triage({**answers, "press_up_response": "peripheralized"})
        assert result.plan
        texts = [f"{s.when} {s.then}" for s in result.stop_if]
        assert any("keeps shooting down" in t and "doctor" in t for t in texts), texts

    def test_the_press_up_stop_rule_goes_with_the_press_ups(self):
        """With no press-ups in the plan, the stop rule about press-ups is not shown."""
        result = triage(**NONSPECIFIC, press_up_response="peripheralized")
        assert "stop.press_up_spreads" not in stops(result)

    def test_worse_leg_pain_keeps_a_gentle_plan_without_press_ups(self):
        """Peripheralizing and worse leg pain: see a doctor, a gentle plan, still no press-up."""
        result = triage(
            **SCIATICA, press_up_response="peripheralized", leg_pain_trend="worse", duration_weeks=1
        )
        assert result.level is Level.SEE_DOCTOR
        assert result.plan
        assert not PRESS_UPS & set(exercises(result))


class TestCentralizing:
    def test_centralizing_keeps_the_press_ups_then_the_patterns_routine(self):
        """Pain that centralizes keeps the press-ups, then goes on to the pattern's routine."""
        result = triage(**NONSPECIFIC, press_up_response="centralized", equipment=EVERYTHING)
        assert routines(result) == ["mckenzie_emergency", "stretching", "core", "foam_rolling"]

    def test_centralizing_sciatica_keeps_the_press_ups_then_the_sciatica_routines(self):
        """Centralizing sciatica: the press-ups first, then the sciatica routines."""
        result = triage(**SCIATICA, press_up_response="centralized", equipment=EVERYTHING)
        assert routines(result)[0] == "mckenzie_emergency"
        assert "reverse_sciatica" in routines(result)
        assert "stop.press_up_spreads" in stops(result)


class TestSIJ:
    def test_self_adjustment_then_reverse_sciatica_plus_relief(self):
        """SI joint pain: the self-adjustment first, then reverse sciatica, plus sciatica relief."""
        result = triage(**SIJ, equipment=EVERYTHING)
        assert routines(result) == ["si_self_adjustment", "reverse_sciatica", "sciatica_relief"]

    def test_the_supine_groin_stretch_is_noted_when_lifting_the_thigh_hurts(self):
        """The supine groin stretch is especially for pain on lifting the thigh to the chest."""
        result = triage(**SIJ, thigh_to_chest_hurts=True, equipment=EVERYTHING)
        (stretch,) = (
            e
            for e in phase(result, "sciatica_relief").exercises
            if e.exercise_id == "supine_groin_stretch"
        )
        assert any("thigh toward your chest" in note for note in stretch.notes)

    def test_short_on_time_the_si_adjustment_keeps_its_place(self):
        """Short on time, the 30-second stretch replaces the 5-minute groin stretch (PL-004)
        and the SI self-adjustment, which the spec puts first, stays."""
        result = triage(**SIJ, thigh_to_chest_hurts=True, equipment=EVERYTHING, minutes_per_day=5)
        assert "supine_groin_stretch" not in exercises(result)
        assert "replaced by" in left_out(result)["supine_groin_stretch"]
        assert result.plan[0].routine_id == "si_self_adjustment"
        assert result.plan[0].exercises[0].exercise_id == "si_resisted_knee_press"

    def test_without_thigh_pain_the_short_stretch_replaces_it_when_time_is_short(self):
        """Short on time, the document's 30-second kneeling hip flexor stretch replaces it."""
        result = triage(**SIJ, equipment=EVERYTHING, minutes_per_day=20)
        assert "supine_groin_stretch" not in exercises(result)
        assert left_out(result)["supine_groin_stretch"].startswith("time")


class TestSciatica:
    def test_press_ups_then_reverse_sciatica_relief_and_strengthening(self):
        """After the press-ups calm the pain: reverse sciatica, relief and band strengthening."""
        result = triage(**SCIATICA, equipment=EVERYTHING)
        assert routines(result) == [
            "mckenzie_emergency",
            "reverse_sciatica",
            "sciatica_relief",
            "sciatica_strengthening",
        ]
        assert [p.step for p in result.plan] == [1, 2, 2, 2]

    def test_without_a_band_the_strengthening_is_dropped_and_named(self):
        """No resistance band: band strengthening is left out, and the result says so."""
        have = [e for e in EVERYTHING if e != "resistance_band"]
        result = triage(**SCIATICA, equipment=have)
        assert "sciatica_strengthening" not in routines(result)
        named = left_out(result)
        assert "sciatica_strengthening" in named
        for item in ROUTINES["sciatica_strengthening"].items:
            assert "resistance band" in named[item.exercise_id]


class TestTwentyOneDayProgram:
    @pytest.mark.parametrize(
        "answers",
        [
            NONSPECIFIC,
            {"area": "back", "onset": "strain", "duration_weeks": 6},
            {"area": "back", "onset": "gradual", "duration_weeks": 20},
        ],
        ids=["nonspecific", "subacute_strain", "chronic"],
    )
    def test_stretching_then_core_then_foam_rolling(self, answers):
        """Non-specific pain and strains: the 21-day program, stretching, core, foam rolling."""
        result = painpath.triage({**answers, "equipment": EVERYTHING})
        assert routines(result) == ["stretching", "core", "foam_rolling"]

    def test_herniation_signs_get_the_program_after_the_press_ups(self):
        """Herniation signs without sciatica: the 21-day program follows the press-ups."""
        result = triage(
            area="back", sitting_hurts=True, cough_sneeze_worse=True, equipment=EVERYTHING
        )
        assert routines(result) == ["mckenzie_emergency", "stretching", "core", "foam_rolling"]


ACUTE_STRAIN = {"area": "back", "onset": "strain", "duration_weeks": 2, "equipment": EVERYTHING}


class TestAcuteStrain:
    def test_doses_start_at_the_low_end(self):
        """An acute strain starts gently: every dose at the low end of its range."""
        result = painpath.triage(ACUTE_STRAIN)
        assert result.plan
        for p in result.plan:
            for e in p.exercises:
                assert is_low_end(e.dose, catalog_dose(p.routine_id, e.exercise_id)), e

    def test_no_planks_in_the_first_week_and_they_are_named(self):
        """No planks in week 1: they join in week 2, and the plan and program say so."""
        result = painpath.triage(ACUTE_STRAIN)
        for planks in ({"plank", "side_plank"},):
            for day in result.program[:7]:
                done = {e.exercise_id for s in day.sessions for e in s.exercises}
                later = {x.exercise_id for s in day.sessions for x in s.later}
                assert not planks & done
                assert planks <= later
            day8 = {e.exercise_id for s in result.program[7].sessions for e in s.exercises}
            assert planks <= day8
        core = phase(result, "core")
        for plank in (e for e in core.exercises if e.exercise_id in {"plank", "side_plank"}):
            assert any("joins in week 2" in note for note in plank.notes)

    def test_a_subacute_strain_gets_planks_and_full_doses(self):
        """From 4 weeks the strain is no longer acute: planks are back, doses as written."""
        result = painpath.triage({**ACUTE_STRAIN, "duration_weeks": 4})
        assert {"plank", "side_plank"} <= set(exercises(result))
        plank = next(e for e in phase(result, "core").exercises if e.exercise_id == "plank")
        assert plank.dose == EXERCISES["plank"].dose


class TestKneeMechanical:
    def test_the_knee_exercises(self):
        """Mechanical knee pain gets the eight McKenzie knee exercises: nine cards, as the
        kneeling knee bend's two parts have two doses."""
        result = triage(**KNEE)
        assert routines(result) == ["knee_mckenzie"]
        assert len(result.plan[0].exercises) == 9

    @pytest.mark.parametrize(("location", "turn"), [("inside", "outward"), ("outside", "inward")])
    def test_the_foot_turns_away_from_the_painful_side(self, location, turn):
        """Inside knee pain turns the foot outward in the standing extension, outside inward."""
        result = triage(**KNEE, knee_pain_location=location)
        (standing,) = (
            e for e in result.plan[0].exercises if e.exercise_id == "knee_extension_standing"
        )
        assert any(f"turn your foot {turn}" in note for note in standing.notes)

    @pytest.mark.parametrize("location", ["front", "back", "whole"])
    def test_other_locations_get_no_turn(self, location):
        """Front, back or whole-knee pain: no note to turn the foot."""
        result = triage(**KNEE, knee_pain_location=location)
        (standing,) = (
            e for e in result.plan[0].exercises if e.exercise_id == "knee_extension_standing"
        )
        assert not any("turn your foot" in note for note in standing.notes)

    @pytest.mark.parametrize("onset", ["sudden_no_injury", "strain", "gradual"])
    @pytest.mark.parametrize("weeks", [2, 8, 20])
    def test_a_knee_complaint_gets_only_the_knee_exercises(self, onset, weeks):
        """However the knee pain started, a knee-only complaint gets the knee routine, not the
        back program and its back stop rules."""
        result = triage(**KNEE, onset=onset, duration_weeks=weeks)
        assert routines(result) == ["knee_mckenzie"]
        assert stops(result) == {"stop.knee_flare"}

    def test_an_injured_knee_gets_no_knee_exercises(self):
        """An injured knee is for a doctor to examine first: no knee exercises meanwhile."""
        result = triage(area="knee", knee_injury="twist", **OTTAWA_CLEAR)
        assert result.level is Level.SEE_DOCTOR
        assert "knee_mckenzie" not in routines(result)


class TestBothAreas:
    def test_one_plan_with_both_pathways(self):
        """Back and knee together: one plan holding the back and the knee routines."""
        result = triage(
            area="both", leg_pain="below_knee", knee_pain_location="inside", equipment=EVERYTHING
        )
        assert result.plan[0].routine_id == "mckenzie_emergency"
        assert {"reverse_sciatica", "sciatica_relief", "knee_mckenzie"} <= set(routines(result))
        assert len(routines(result)) == len(set(routines(result)))

    def test_one_level_the_highest_of_both(self):
        """One level for both areas: the knee's injury makes the whole result see a doctor."""
        result = triage(area="both", leg_pain="none", knee_injury="twist", **OTTAWA_CLEAR)
        assert result.level is Level.SEE_DOCTOR
        assert "stretching" in routines(result)
        assert "knee_mckenzie" not in routines(result)

    def test_an_urgent_knee_withholds_the_back_plan_too(self):
        """An urgent knee red flag means no exercise plan at all, for the back either."""
        result = triage(area="both", leg_pain="none", knee_hot_red=True)
        assert result.level is Level.URGENT
        assert result.plan == ()


class TestEquipment:
    def test_a_tennis_ball_replaces_the_foam_roller(self):
        """No foam roller: the tennis ball release is the document's alternative."""
        have = [e for e in EVERYTHING if e != "foam_roller"]
        result = triage(**NONSPECIFIC, equipment=have)
        rolling = phase(result, "foam_rolling").exercises
        assert [e.exercise_id for e in rolling] == ["tennis_ball_release"]
        assert rolling[0].replaces is not None
        assert not {e for e in exercises(result) if e.startswith("foam_roll")}

    def test_neither_foam_roller_nor_tennis_ball_leaves_foam_rolling_out(self):
        """Without a roller or a ball, foam rolling is left out and named."""
        have = [e for e in EVERYTHING if e not in ("foam_roller", "tennis_ball")]
        result = triage(**NONSPECIFIC, equipment=have)
        assert "foam_rolling" not in routines(result)
        assert "foam_rolling" in left_out(result)

    def test_the_lying_hamstring_stretch_replaces_the_strap(self):
        """No strap: the lying hamstring stretch replaces the strap version."""
        have = [e for e in EVERYTHING if e != "yoga_strap"]
        result = triage(**SCIATICA, equipment=have)
        (stretch,) = (
            e
            for e in phase(result, "reverse_sciatica").exercises
            if e.exercise_id == "hamstring_stretch_lying"
        )
        assert stretch.replaces == "hamstring_strap_stretch"
        assert "hamstring_strap_stretch" not in exercises(result)

    def test_with_a_strap_the_strap_version_is_the_hamstring_stretch(self):
        """The two hamstring stretches are alternatives: with a strap, the strap version only."""
        result = triage(**NONSPECIFIC, equipment=EVERYTHING)
        stretching = [e.exercise_id for e in phase(result, "stretching").exercises]
        assert "hamstring_strap_stretch" in stretching
        assert "hamstring_stretch_lying" not in stretching

    def test_the_kneeling_hip_flexor_stretch_replaces_the_couch_stretch(self):
        """No couch: the kneeling hip flexor stretch stands in for the couch stretch."""
        have = [e for e in EVERYTHING if e != "couch"]
        result = triage(**NONSPECIFIC, equipment=have)
        stretching = phase(result, "stretching").exercises
        assert "couch_quad_stretch" not in [e.exercise_id for e in stretching]
        kneeling = [e for e in stretching if e.exercise_id == "kneeling_hip_flexor_stretch"]
        assert [e.replaces for e in kneeling] == ["couch_quad_stretch"]

    def test_with_a_couch_the_couch_stretch_is_in(self):
        """With a couch, the couch stretch opens the stretching routine."""
        result = triage(**NONSPECIFIC, equipment=EVERYTHING)
        assert phase(result, "stretching").exercises[0].exercise_id == "couch_quad_stretch"

    def test_equipment_not_asked_means_couch_pillow_and_chair(self):
        """Equipment not asked is the contract's default: a couch, a pillow and a chair."""
        result = triage(**NONSPECIFIC)
        assert "couch_quad_stretch" in exercises(result)
        assert "active_bridge_pillow_squeeze" in exercises(result)
        assert "foam_rolling" in left_out(result)

    def test_nothing_at_hand_names_every_exercise_that_needs_something(self):
        """With no equipment, every exercise needing some is swapped or named as left out."""
        result = triage(**SCIATICA, equipment=[])
        named = left_out(result)
        for p in result.plan:
            for e in p.exercises:
                assert not EXERCISES[e.exercise_id].equipment
        for item in ROUTINES["sciatica_strengthening"].items:
            assert item.exercise_id in named
        assert "trigger_point_self_massage" in named
        assert "supine_groin_stretch" in named


class TestPregnancy:
    @pytest.mark.parametrize(
        "answers", [NONSPECIFIC, SCIATICA, SIJ], ids=["nonspecific", "sciatica", "sij"]
    )
    def test_no_face_down_or_long_supine_exercise_and_each_is_named(self, answers):
        """Pregnant or after birth: no exercise lying face down or long flat on the back; each
        one left out is named with the reason."""
        plain = painpath.triage({**answers, "equipment": EVERYTHING})
        result = painpath.triage(
            {**answers, "equipment": EVERYTHING, "pregnant_or_postpartum": True}
        )
        for exercise_id in exercises(result):
            assert not PREGNANCY_CAUTIONS & set(EXERCISES[exercise_id].cautions)
        unsafe = {e for e in exercises(plain) if PREGNANCY_CAUTIONS & set(EXERCISES[e].cautions)}
        assert unsafe
        named = left_out(result)
        for exercise_id in unsafe:
            assert "pregnancy" in named[exercise_id]

    def test_the_advice_says_to_check_with_the_midwife(self):
        """Pregnancy: check the plan with the midwife or doctor first."""
        result = triage(**NONSPECIFIC, pregnant_or_postpartum=True)
        assert "midwife" in advice(result)


class TestTimeLimit:
    def test_a_short_time_drops_the_last_exercises_first_and_names_them(self):
        """Five minutes for the knee: the last exercises go first, each named with the reason."""
        full = triage(**KNEE)
        short = triage(**KNEE, minutes_per_day=5)
        kept = exercises(short)
        everything = exercises(full)
        assert kept == everything[: len(kept)]
        assert len(kept) < len(everything)
        named = left_out(short)
        for dropped in everything[len(kept) :]:
            assert named[dropped].startswith("time")

    def test_the_back_program_short_of_time_keeps_stretching_first_and_names_what_went(self):
        """Short of time, the 21-day program still starts with stretching, and every exercise it
        loses is named with the reason."""
        full = triage(**NONSPECIFIC, equipment=EVERYTHING)
        short = triage(**NONSPECIFIC, equipment=EVERYTHING, minutes_per_day=20)
        assert routines(short)[0] == "stretching"
        assert len(exercises(short)) < len(exercises(full))
        named = {e.id for e in short.left_out if e.reason.startswith("time")}
        assert set(exercises(full)) - set(exercises(short)) <= named

    def test_the_plan_fits_the_time(self):
        """Each step of the plan fits in the minutes a day the person has."""
        result = triage(**SCIATICA, equipment=EVERYTHING, minutes_per_day=15)
        for step in {p.step for p in result.plan}:
            total = sum(
                e.dose.estimated_seconds()
                for p in result.plan
                if p.step == step
                for e in p.exercises
            )
            assert total <= 15 * 60

    def test_plenty_of_time_drops_nothing(self):
        """With three hours a day, nothing is left out for time."""
        result = triage(**NONSPECIFIC, equipment=EVERYTHING, minutes_per_day=180)
        assert exercises(result) == exercises(triage(**NONSPECIFIC, equipment=EVERYTHING))
        assert not [e for e in result.left_out if e.reason.startswith("time")]


class TestWhenADoctorIsNeeded:
    def test_see_doctor_keeps_a_gentle_plan(self):
        """Waiting for an appointment, the plan continues gently: the low end of every dose."""
        result = triage(**NONSPECIFIC, unexplained_weight_loss=True, equipment=EVERYTHING)
        assert result.level is Level.SEE_DOCTOR
        assert result.plan
        for p in result.plan:
            assert any("gently" in note for note in p.notes)
            for e in p.exercises:
                assert is_low_end(e.dose, catalog_dose(p.routine_id, e.exercise_id)), e

    @pytest.mark.parametrize(
        "answers",
        [{"fever": True}, {"cancer_history": True}, {"saddle_numbness": True}],
        ids=["urgent_infection", "urgent_cancer", "emergency"],
    )
    def test_urgent_and_emergency_withhold_the_plan(self, answers):
        """A doctor today or now: no plan, no stop rules, and the routines are named as withheld."""
        result = triage(**SCIATICA, **answers)
        assert result.plan == ()
        assert result.stop_if == ()
        assert "mckenzie_emergency" in left_out(result)

    @pytest.mark.parametrize("area", ["back", "knee", "both"])
    def test_under_18_gets_no_plan(self, area):
        """The program is for adults: under 18 gets no plan, and the routines are named."""
        result = triage(area=area, age=16)
        assert result.plan == ()
        assert result.left_out
        assert all(entry.rule_id for entry in result.left_out)


class TestStopRules:
    def test_the_press_up_stop_rule_goes_with_press_ups(self):
        """Press-ups in the plan: stop, lie face down, contact a doctor if it keeps spreading."""
        result = triage(**SCIATICA)
        (stop,) = (s for s in result.stop_if if s.id == "stop.press_up_spreads")
        assert "face down" in stop.then
        assert "doctor" in stop.then

    def test_no_press_ups_no_press_up_stop_rule(self):
        """A plan without press-ups (knee only) has no press-up stop rule."""
        assert "stop.press_up_spreads" not in stops(triage(**KNEE))

    def test_the_numb_leg_stop_rule_goes_with_the_trigger_point_massage(self):
        """Trigger-point massage in the plan: back off if the leg goes numb."""
        result = triage(**SCIATICA, equipment=EVERYTHING)
        assert "trigger_point_self_massage" in exercises(result)
        (stop,) = (s for s in result.stop_if if s.id == "stop.numb_leg_massage")
        assert "numb" in stop.when
        assert "Back off" in stop.then

    def test_no_massage_no_numb_leg_stop_rule(self):
        """Without a tennis ball there is no massage, and no stop rule about it."""
        result = triage(**SCIATICA, equipment=["chair", "pillow"])
        assert "trigger_point_self_massage" not in exercises(result)
        assert "stop.numb_leg_massage" not in stops(result)

    @pytest.mark.parametrize(
        "answers",
        [
            NONSPECIFIC,
            SCIATICA,
            SIJ,
            {**NONSPECIFIC, "press_up_response": "peripheralized"},
            {**SIJ, "pregnant_or_postpartum": True},
            {"area": "both"},
        ],
        ids=["nonspecific", "sciatica", "sij", "peripheralizing", "pregnant_sij", "both"],
    )
    def test_every_back_plan_has_the_emergency_stop_rule(self, answers):
        """Any new bladder or bowel change, saddle numbness or worsening weakness: go to an
        emergency department. Every back plan says so."""
        result = painpath.triage(answers)
        assert result.plan
        (stop,) = (s for s in result.stop_if if s.id == "stop.new_red_flag")
        assert "bladder" in stop.when
        assert "emergency department" in stop.then

    def test_no_plan_no_stop_rules(self):
        """Without a plan there is nothing to stop."""
        assert triage(**SCIATICA, age=15).stop_if == ()


class TestAdvice:
    @pytest.mark.parametrize(
        ("answers", "level", "what", "how_soon"),
        [
            ({"saddle_numbness": True}, Level.EMERGENCY, "emergency department", "now"),
            ({"fever": True}, Level.URGENT, "See a doctor", "24 hours"),
            ({"unexplained_weight_loss": True}, Level.SEE_DOCTOR, "appointment", "coming days"),
        ],
    )
    def test_every_level_above_self_care_says_what_to_do_and_how_soon(
        self, answers, level, what, how_soon
    ):
        """Above self-care the advice says plainly what to do and how soon."""
        result = triage(**NONSPECIFIC, **answers)
        assert result.level is level
        assert what in advice(result)
        assert how_soon in advice(result)

    @pytest.mark.parametrize("area", ["back", "both"])
    def test_back_advice_has_the_four_common_causes(self, area):
        """Back: tips for sitting, standing and lying, lifting, and postural habits."""
        text = advice(triage(area=area))
        for cause in ("Sitting", "Standing and lying", "Lifting", "Postural habits"):
            assert cause in text

    def test_back_advice_has_the_21_day_commitment(self):
        """Back: every day for 21 days, gentle at first, building up (no exercise named)."""
        text = advice(triage(**NONSPECIFIC))
        assert "21 days" in text
        assert "plank" not in text

    @pytest.mark.parametrize("area", ["knee", "both"])
    def test_knee_advice_has_the_pillow_and_keep_moving(self, area):
        """Knee: keep moving rather than rest, and a pillow between or under the knees for sleep."""
        text = advice(triage(area=area))
        assert "pillow between your knees" in text
        assert "Keep moving" in text

    def test_knee_advice_is_not_given_for_the_back_alone(self):
        """The knee tips are for knees."""
        assert "pillow between your knees" not in advice(triage(area="back"))

    def test_overweight_gets_the_5_percent_advice(self):
        """A BMI over 25: losing about 5 percent of body weight eases the pain."""
        assert "5 percent" in advice(triage(**KNEE, bmi=31.0))
        assert "5 percent" not in advice(triage(**KNEE, bmi=22.0))

    @pytest.mark.parametrize(
        ("area", "expected"), [("back", BACK_RED_FLAGS), ("knee", KNEE_RED_FLAGS)]
    )
    def test_unscreened_red_flags_are_listed_and_said_in_plain_words(self, area, expected):
        """Red flags not asked are listed, and the advice names them in plain words."""
        result = triage(area=area)
        assert result.unscreened == expected
        line = next(a for a in result.advice if a.startswith("Not screened"))
        for key in expected:
            assert key.replace("_", " ") in line
        assert result.level is Level.SELF_CARE

    def test_red_flags_answered_no_are_screened(self):
        """A red flag answered no is screened: it is not listed, and no warning is given."""
        no = {
            "bladder_or_bowel_change": False,
            "saddle_numbness": False,
            "leg_weakness": "none",
            "fever": False,
            "unexplained_weight_loss": False,
            "cancer_history": False,
            "constant_night_pain": False,
            "steroids_or_immunosuppressed": False,
            "osteoporosis": False,
            "sexual_dysfunction": False,
            "upper_back_pain": False,
            "pain_unchanged_by_position": False,
        }
        result = triage(**NONSPECIFIC, **no)
        assert result.unscreened == ()
        assert not any(a.startswith("Not screened") for a in result.advice)


class TestKneeThatCannotBearWeight:
    def test_no_injury_but_no_weight_bearing_needs_a_doctor_and_no_loading(self):
        """A knee that cannot take four steps without an injury: book a doctor, and no
        exercise loads the knee or kneels on it until then (KN-003)."""
        result = painpath.triage(
            {"area": "knee", "knee_injury": "none", "knee_can_bear_weight": False}
        )
        assert result.level is painpath.Level.SEE_DOCTOR
        loading = {
            "chair_squat",
            "single_leg_squat",
            "knee_flexion_kneeling",
            "knee_flexion_kneeling_hands_free",
        }
        planned = {e.exercise_id for p in result.plan for e in p.exercises}
        assert planned and not planned & loading
        assert {entry.id for entry in result.left_out} >= loading

    def test_weight_bearing_not_asked_changes_nothing_without_an_injury(self):
        """Without an injury, an unasked weight-bearing question does not raise the level."""
        result = painpath.triage({"area": "knee", "knee_injury": "none"})
        assert result.level is painpath.Level.SELF_CARE
