"""Findings: every finding id of the clinical vocabulary, found and not found, at its boundaries.

Each class is one finding (or one family of findings) of ``clinical.md``'s vocabulary
table. The tests say when the finding is found, when it is not, and the level it sets.
"Not asked" (a key left out) stays distinct from ``False``. Where a rule reads it one
way or the other (the Ottawa walking and bending questions, the leg pain trend, fever
and strain for the immune rule), the tests follow the reading written in the rule's
rationale.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

import painpath
from painpath import Level

EMERGENCY = Level.EMERGENCY
URGENT = Level.URGENT
SEE_DOCTOR = Level.SEE_DOCTOR
SELF_CARE = Level.SELF_CARE

#: The findings vocabulary of clinical.md, in the order of its table.
VOCABULARY = (
    "red_flag.cauda_equina",
    "red_flag.progressive_weakness",
    "red_flag.trauma",
    "red_flag.infection",
    "red_flag.cancer",
    "red_flag.bilateral_leg_symptoms",
    "red_flag.fracture_risk",
    "red_flag.weight_loss",
    "red_flag.night_pain",
    "red_flag.immunosuppressed",
    "red_flag.young_age",
    "red_flag.knee_infection",
    "red_flag.knee_fracture",
    "red_flag.knee_structural",
    "pattern.knee_injury",
    "pattern.sciatica",
    "pattern.sij",
    "pattern.herniation_signs",
    "pattern.acute_spasm",
    "pattern.muscle_strain",
    "pattern.nonspecific",
    "pattern.knee_mechanical",
    "stage.acute",
    "stage.subacute",
    "stage.chronic",
    "response.centralizing",
    "response.peripheralizing",
    "response.worsening_leg_pain",
    "response.nerve_pain_not_settling",
    "factor.overweight",
    "factor.pregnancy",
    # version 2
    "red_flag.upper_back_pain",
    "red_flag.non_mechanical_pain",
    "red_flag.new_pain_over_50",
    "red_flag.possible_dvt",
    "neuro.stable_weakness",
    "pattern.knee_locking",
    "factor.osteoporosis",
    "factor.spinal_surgery",
    "factor.severe_pain",
    "factor.high_pain",
)

#: One answer set that finds each finding, and one close to it that does not.
EXAMPLES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "red_flag.cauda_equina": (
        {"area": "back", "bladder_or_bowel_change": True},
        {"area": "back", "bladder_or_bowel_change": False, "saddle_numbness": False},
    ),
    "red_flag.progressive_weakness": (
        {"area": "back", "leg_weakness": "worsening"},
        {"area": "back", "leg_weakness": "stable"},
    ),
    "red_flag.trauma": (
        {"area": "back", "onset": "trauma"},
        {"area": "back", "onset": "strain"},
    ),
    "red_flag.infection": ({"area": "back", "fever": True}, {"area": "back", "fever": False}),
    "red_flag.cancer": (
        {"area": "back", "cancer_history": True},
        {"area": "back", "cancer_history": False},
    ),
    "red_flag.bilateral_leg_symptoms": (
        {"area": "back", "leg_pain": "below_knee", "leg_pain_sides": "both"},
        {"area": "back", "leg_pain": "below_knee", "leg_pain_sides": "one"},
    ),
    "red_flag.fracture_risk": (
        {"area": "back", "osteoporosis": True, "onset": "strain"},
        {"area": "back", "osteoporosis": True, "onset": "gradual"},
    ),
    "red_flag.weight_loss": (
        {"area": "back", "unexplained_weight_loss": True},
        {"area": "back", "unexplained_weight_loss": False},
    ),
    "red_flag.night_pain": (
        {"area": "back", "constant_night_pain": True},
        {"area": "back", "constant_night_pain": False},
    ),
    "red_flag.immunosuppressed": (
        {"area": "back", "steroids_or_immunosuppressed": True},
        {"area": "back", "steroids_or_immunosuppressed": False},
    ),
    "red_flag.young_age": ({"area": "back", "age": 17}, {"area": "back", "age": 18}),
    "red_flag.knee_infection": (
        {"area": "knee", "knee_hot_red": True},
        {"area": "knee", "knee_hot_red": False},
    ),
    "red_flag.knee_fracture": (
        {"area": "knee", "knee_injury": "twist", "knee_can_bear_weight": False},
        {
            "area": "knee",
            "knee_injury": "twist",
            "knee_can_bear_weight": True,
            "knee_can_bend_90": True,
        },
    ),
    "red_flag.knee_structural": (
        {"area": "knee", "knee_injury": "twist", "knee_swelling": "rapid"},
        {"area": "knee", "knee_injury": "twist", "knee_swelling": "gradual"},
    ),
    "pattern.knee_injury": (
        {"area": "knee", "knee_injury": "blow_or_fall"},
        {"area": "knee", "knee_injury": "none", "knee_giving_way": False},
    ),
    "pattern.sciatica": (
        {"area": "back", "leg_pain": "below_knee"},
        {"area": "back", "leg_pain": "above_knee"},
    ),
    "pattern.sij": (
        {"area": "back", "leg_pain": "buttock", "tender_dimple": True, "hard_to_stand_up": True},
        {"area": "back", "leg_pain": "buttock", "tender_dimple": True},
    ),
    "pattern.herniation_signs": (
        {"area": "back", "sitting_hurts": True, "cough_sneeze_worse": True},
        {"area": "back", "sitting_hurts": True},
    ),
    "pattern.acute_spasm": ({"area": "back", "spasm": True}, {"area": "back", "spasm": False}),
    "pattern.muscle_strain": (
        {"area": "back", "onset": "strain", "duration_weeks": 11},
        {"area": "back", "onset": "strain", "duration_weeks": 12},
    ),
    "pattern.nonspecific": ({"area": "back"}, {"area": "back", "leg_pain": "below_knee"}),
    "pattern.knee_mechanical": ({"area": "knee"}, {"area": "knee", "knee_giving_way": True}),
    "stage.acute": (
        {"area": "back", "duration_weeks": 3},
        {"area": "back", "duration_weeks": 4},
    ),
    "stage.subacute": (
        {"area": "back", "duration_weeks": 4},
        {"area": "back", "duration_weeks": 12},
    ),
    "stage.chronic": (
        {"area": "back", "duration_weeks": 12},
        {"area": "back", "duration_weeks": 11},
    ),
    "response.centralizing": (
        {"area": "back", "press_up_response": "centralized"},
        {"area": "back", "press_up_response": "no_change"},
    ),
    "response.peripheralizing": (
        {"area": "back", "press_up_response": "peripheralized"},
        {"area": "back", "press_up_response": "centralized"},
    ),
    "response.worsening_leg_pain": (
        {"area": "back", "leg_pain": "below_knee", "leg_pain_trend": "worse"},
        {"area": "back", "leg_pain": "below_knee", "leg_pain_trend": "same"},
    ),
    "response.nerve_pain_not_settling": (
        {"area": "back", "leg_pain": "below_knee", "duration_weeks": 6, "leg_pain_trend": "same"},
        {"area": "back", "leg_pain": "below_knee", "duration_weeks": 5, "leg_pain_trend": "same"},
    ),
    "factor.overweight": ({"area": "knee", "bmi": 25.1}, {"area": "knee", "bmi": 25.0}),
    "factor.pregnancy": (
        {"area": "back", "pregnant_or_postpartum": True},
        {"area": "back", "pregnant_or_postpartum": False},
    ),
    "red_flag.upper_back_pain": (
        {"area": "back", "upper_back_pain": True},
        {"area": "back", "upper_back_pain": False},
    ),
    "red_flag.non_mechanical_pain": (
        {"area": "back", "pain_unchanged_by_position": True},
        {"area": "back", "pain_unchanged_by_position": False},
    ),
    "red_flag.new_pain_over_50": (
        {"area": "back", "first_episode": True, "age": 50},
        {"area": "back", "first_episode": True, "age": 49},
    ),
    "red_flag.possible_dvt": (
        {"area": "knee", "calf_swelling": True},
        {"area": "knee", "calf_swelling": False},
    ),
    "neuro.stable_weakness": (
        {"area": "back", "leg_weakness": "stable"},
        {"area": "back", "leg_weakness": "worsening"},
    ),
    "pattern.knee_locking": (
        {"area": "knee", "knee_locking": True, "knee_injury": "none"},
        {"area": "knee", "knee_locking": True, "knee_injury": "twist"},
    ),
    "factor.osteoporosis": (
        {"area": "back", "osteoporosis": True},
        {"area": "back", "osteoporosis": False},
    ),
    "factor.spinal_surgery": (
        {"area": "back", "previous_spinal_surgery": True},
        {"area": "back", "previous_spinal_surgery": False},
    ),
    "factor.severe_pain": ({"area": "back", "pain_score": 9}, {"area": "back", "pain_score": 8}),
    "factor.high_pain": ({"area": "back", "pain_score": 7}, {"area": "back", "pain_score": 6}),
}


def triage(**answers: Any) -> painpath.Result:
    return painpath.triage(answers)


def levels_of(result: painpath.Result, finding: str) -> set[Level | None]:
    """The levels of the rules that fired for one finding."""
    return {r.level for r in result.reasons if r.finding == finding}


class TestVocabulary:
    def test_the_rules_use_exactly_the_clinical_vocabulary(self):
        """The rule files declare exactly the finding ids of clinical.md, none more."""
        assert set(painpath.default_rules().findings) == set(VOCABULARY)

    def test_every_finding_has_an_example_here(self):
        """This module has a found and a not-found example for every finding of the vocabulary."""
        assert set(EXAMPLES) == set(VOCABULARY)

    @pytest.mark.parametrize("finding", VOCABULARY)
    def test_found(self, finding):
        """The example answers find the finding."""
        found, _ = EXAMPLES[finding]
        assert finding in painpath.triage(found).findings

    @pytest.mark.parametrize("finding", VOCABULARY)
    def test_not_found(self, finding):
        """The close answers that miss its condition do not find it."""
        _, not_found = EXAMPLES[finding]
        assert finding not in painpath.triage(not_found).findings


class TestCaudaEquina:
    @pytest.mark.parametrize("area", ["back", "knee", "both"])
    @pytest.mark.parametrize("key", ["bladder_or_bowel_change", "saddle_numbness"])
    def test_either_sign_is_an_emergency_for_any_area(self, key, area):
        """Bladder or bowel change, or saddle numbness, is possible cauda equina: an emergency."""
        result = triage(area=area, **{key: True})
        assert "red_flag.cauda_equina" in result.findings
        assert result.level is EMERGENCY

    def test_a_sign_given_with_area_knee_is_still_an_emergency(self):
        """A cauda equina sign is an emergency even when the main complaint is the knee."""
        result = triage(area="knee", knee_pain_location="front", saddle_numbness=True)
        assert result.level is EMERGENCY
        assert result.plan == ()

    def test_both_answered_no_is_not_found(self):
        """Both signs answered no: no cauda equina finding, and the level stays self-care."""
        result = triage(area="back", bladder_or_bowel_change=False, saddle_numbness=False)
        assert "red_flag.cauda_equina" not in result.findings
        assert result.level is SELF_CARE

    def test_not_asked_is_not_found_but_unscreened(self):
        """Not asked is not a yes: no finding, but the signs are listed as unscreened."""
        result = triage(area="back")
        assert "red_flag.cauda_equina" not in result.findings
        assert {"bladder_or_bowel_change", "saddle_numbness"} <= set(result.unscreened)


class TestProgressiveWeakness:
    def test_worsening_weakness_is_an_emergency(self):
        """Leg weakness that is getting worse means a nerve is losing function: an emergency."""
        result = triage(area="back", leg_weakness="worsening")
        assert "red_flag.progressive_weakness" in result.findings
        assert result.level is EMERGENCY

    @pytest.mark.parametrize(("weakness", "level"), [("none", SELF_CARE), ("stable", SEE_DOCTOR)])
    def test_stable_or_no_weakness_is_not_found(self, weakness, level):
        """Stable weakness, or none, is not this red flag (stable weakness needs a doctor: v2)."""
        result = triage(area="back", leg_weakness=weakness)
        assert "red_flag.progressive_weakness" not in result.findings
        assert result.level is level


class TestTrauma:
    @pytest.mark.parametrize("area", ["back", "knee", "both"])
    def test_a_significant_accident_is_an_emergency(self, area):
        """Pain after a significant accident needs a fracture ruled out: an emergency."""
        result = triage(area=area, onset="trauma")
        assert "red_flag.trauma" in result.findings
        assert result.level is EMERGENCY

    @pytest.mark.parametrize("onset", ["sudden_no_injury", "strain", "gradual"])
    def test_other_onsets_are_not_trauma(self, onset):
        """Sudden pain without injury, a strain or a slow start is not trauma."""
        assert "red_flag.trauma" not in triage(area="back", onset=onset).findings


class TestInfection:
    def test_fever_is_urgent(self):
        """Fever with the pain can be a spinal infection: see a doctor today."""
        result = triage(area="back", fever=True)
        assert "red_flag.infection" in result.findings
        assert result.level is URGENT

    def test_fever_with_steroids_is_an_emergency(self):
        """Fever with a suppressed immune system is an emergency."""
        result = triage(area="back", fever=True, steroids_or_immunosuppressed=True)
        assert "red_flag.infection" in result.findings
        assert EMERGENCY in levels_of(result, "red_flag.infection")
        assert result.level is EMERGENCY

    def test_fever_with_steroids_answered_no_stays_urgent(self):
        """Fever with the immune question answered no is urgent, not an emergency."""
        result = triage(area="back", fever=True, steroids_or_immunosuppressed=False)
        assert result.level is URGENT

    def test_no_fever_is_not_found(self):
        """Fever answered no: no infection finding."""
        result = triage(area="back", fever=False, steroids_or_immunosuppressed=False)
        assert "red_flag.infection" not in result.findings
        assert result.level is SELF_CARE


class TestCancer:
    @pytest.mark.parametrize("area", ["back", "knee"])
    def test_a_history_of_cancer_is_urgent(self, area):
        """New pain after cancer may be spread of the disease: a doctor within 24 hours."""
        result = triage(area=area, cancer_history=True)
        assert "red_flag.cancer" in result.findings
        assert result.level is URGENT

    def test_no_history_is_not_found(self):
        """No history of cancer: no finding."""
        result = triage(area="back", cancer_history=False)
        assert "red_flag.cancer" not in result.findings
        assert result.level is SELF_CARE


class TestBilateralLegSymptoms:
    def test_pain_below_the_knee_in_both_legs_is_urgent(self):
        """Sciatica in both legs can be early cauda equina compression: urgent."""
        result = triage(area="back", leg_pain="below_knee", leg_pain_sides="both")
        assert "red_flag.bilateral_leg_symptoms" in result.findings
        assert result.level is URGENT

    def test_pain_below_the_knee_in_one_leg_is_not_found(self):
        """Sciatica in one leg is not this red flag."""
        result = triage(area="back", leg_pain="below_knee", leg_pain_sides="one")
        assert "red_flag.bilateral_leg_symptoms" not in result.findings

    @pytest.mark.parametrize("leg_pain", ["buttock", "above_knee"])
    def test_both_legs_above_the_knee_is_not_found(self, leg_pain):
        """Both legs, but not below the knee: not this red flag."""
        result = triage(area="back", leg_pain=leg_pain, leg_pain_sides="both")
        assert "red_flag.bilateral_leg_symptoms" not in result.findings
        assert result.level is SELF_CARE

    def test_sides_not_asked_is_not_found(self):
        """Pain below the knee with the sides not asked is not taken as both legs."""
        result = triage(area="back", leg_pain="below_knee")
        assert "red_flag.bilateral_leg_symptoms" not in result.findings


class TestFractureRisk:
    @pytest.mark.parametrize("risk", ["osteoporosis", "steroids_or_immunosuppressed"])
    def test_thin_bones_or_steroids_with_a_strain_is_urgent(self, risk):
        """With thin bones or long-term steroids, a strain can break a vertebra: urgent."""
        result = triage(area="back", onset="strain", **{risk: True})
        assert "red_flag.fracture_risk" in result.findings
        assert result.level is URGENT

    @pytest.mark.parametrize("onset", ["sudden_no_injury", "gradual"])
    def test_thin_bones_without_a_strain_is_not_found(self, onset):
        """Osteoporosis without a strain is not a fracture risk finding (but see_doctor: v2)."""
        result = triage(area="back", osteoporosis=True, onset=onset)
        assert "red_flag.fracture_risk" not in result.findings
        assert "factor.osteoporosis" in result.findings
        assert result.level is SEE_DOCTOR

    def test_a_strain_without_risk_is_not_found(self):
        """A strain with normal bones and no steroids is a plain strain."""
        result = triage(
            area="back", onset="strain", osteoporosis=False, steroids_or_immunosuppressed=False
        )
        assert "red_flag.fracture_risk" not in result.findings
        assert result.level is SELF_CARE


class TestWeightLoss:
    def test_unexplained_weight_loss_means_see_a_doctor(self):
        """Weight loss without trying needs a doctor in the coming days."""
        result = triage(area="back", unexplained_weight_loss=True)
        assert "red_flag.weight_loss" in result.findings
        assert result.level is SEE_DOCTOR

    def test_no_weight_loss_is_not_found(self):
        """No weight loss: no finding."""
        result = triage(area="back", unexplained_weight_loss=False)
        assert "red_flag.weight_loss" not in result.findings
        assert result.level is SELF_CARE


class TestNightPain:
    def test_constant_night_pain_means_see_a_doctor(self):
        """Constant night pain is not typical of mechanical pain: see a doctor."""
        result = triage(area="back", constant_night_pain=True, cancer_history=False)
        assert "red_flag.night_pain" in result.findings
        assert result.level is SEE_DOCTOR

    def test_constant_night_pain_after_cancer_is_urgent(self):
        """Night pain after cancer raises the concern of spread: the night pain rule is urgent."""
        result = triage(area="back", constant_night_pain=True, cancer_history=True)
        assert "red_flag.night_pain" in result.findings
        assert URGENT in levels_of(result, "red_flag.night_pain")
        assert result.level is URGENT

    def test_no_night_pain_is_not_found(self):
        """No constant night pain: no finding."""
        result = triage(area="back", constant_night_pain=False)
        assert "red_flag.night_pain" not in result.findings


class TestImmunosuppressed:
    def test_steroids_alone_means_see_a_doctor(self):
        """Long-term steroids, no fever, no strain: see a doctor in the coming days."""
        result = triage(
            area="back", steroids_or_immunosuppressed=True, fever=False, onset="gradual"
        )
        assert "red_flag.immunosuppressed" in result.findings
        assert result.level is SEE_DOCTOR

    def test_fever_and_strain_not_asked_count_as_absent(self):
        """Fever or a strain that was not asked counts as absent here, so the rule still fires."""
        result = triage(area="back", steroids_or_immunosuppressed=True)
        assert "red_flag.immunosuppressed" in result.findings
        assert result.level is SEE_DOCTOR

    def test_with_fever_the_infection_rule_applies_instead(self):
        """With fever, the stronger infection rule applies, not this one."""
        result = triage(area="back", steroids_or_immunosuppressed=True, fever=True)
        assert "red_flag.immunosuppressed" not in result.findings
        assert "red_flag.infection" in result.findings

    def test_with_a_strain_the_fracture_rule_applies_instead(self):
        """With a strain, the stronger fracture risk rule applies, not this one."""
        result = triage(area="back", steroids_or_immunosuppressed=True, onset="strain")
        assert "red_flag.immunosuppressed" not in result.findings
        assert "red_flag.fracture_risk" in result.findings
        assert result.level is URGENT

    def test_no_steroids_is_not_found(self):
        """No steroids or immune problem: no finding."""
        result = triage(area="back", steroids_or_immunosuppressed=False)
        assert "red_flag.immunosuppressed" not in result.findings


class TestYoungAge:
    @pytest.mark.parametrize("age", [0, 12, 17])
    def test_under_18_means_see_a_doctor(self, age):
        """The program is for adults: under 18 needs a doctor's assessment."""
        result = triage(area="back", age=age)
        assert "red_flag.young_age" in result.findings
        assert result.level is SEE_DOCTOR

    @pytest.mark.parametrize("age", [18, 40, 120])
    def test_18_or_older_is_not_found(self, age):
        """From 18 on, age alone is no red flag."""
        result = triage(area="back", age=age)
        assert "red_flag.young_age" not in result.findings
        assert result.level is SELF_CARE

    def test_age_not_asked_is_not_found(self):
        """An age that was not asked is not taken as under 18."""
        assert "red_flag.young_age" not in triage(area="back").findings


class TestKneeInfection:
    def test_a_hot_red_swollen_knee_is_urgent(self):
        """A hot, red, swollen knee can be an infection: see a doctor today."""
        result = triage(area="knee", knee_hot_red=True, fever=False)
        assert "red_flag.knee_infection" in result.findings
        assert result.level is URGENT

    def test_with_fever_it_is_an_emergency(self):
        """A hot swollen joint with fever is septic arthritis until proven otherwise."""
        result = triage(area="knee", knee_hot_red=True, fever=True)
        assert "red_flag.knee_infection" in result.findings
        assert EMERGENCY in levels_of(result, "red_flag.knee_infection")
        assert result.level is EMERGENCY

    def test_not_hot_is_not_found(self):
        """A knee that is not hot and red: no finding."""
        result = triage(area="knee", knee_hot_red=False)
        assert "red_flag.knee_infection" not in result.findings
        assert result.level is SELF_CARE


#: An injured knee that passes every Ottawa criterion: walks, bends to 90 and is under 55.
OTTAWA_CLEAR = {"knee_can_bear_weight": True, "knee_can_bend_90": True, "age": 30}


class TestKneeFracture:
    """The Ottawa knee rule: after an injury, X-ray when any of its criteria is met."""

    @pytest.mark.parametrize("injury", ["twist", "blow_or_fall"])
    @pytest.mark.parametrize(
        "criterion",
        [
            {"knee_can_bear_weight": False},
            {"knee_can_bend_90": False},
            {"age": 55},
            {"age": 80},
        ],
        ids=["cannot_bear_weight", "cannot_bend_90", "age_55", "age_80"],
    )
    def test_an_injury_meeting_a_criterion_is_urgent(self, injury, criterion):
        """An injured knee that cannot take four steps, cannot bend to 90 or is 55+ is urgent."""
        result = triage(area="knee", knee_injury=injury, **{**OTTAWA_CLEAR, **criterion})
        assert "red_flag.knee_fracture" in result.findings
        assert result.level is URGENT

    def test_age_54_able_to_walk_and_bend_is_not_found(self):
        """At 54, walking and bending normally, an injury does not meet the Ottawa rule."""
        result = triage(
            area="knee",
            knee_injury="twist",
            age=54,
            knee_can_bear_weight=True,
            knee_can_bend_90=True,
        )
        assert "red_flag.knee_fracture" not in result.findings

    def test_an_age_not_given_does_not_count(self):
        """An age that was not asked is not taken as 55 or older."""
        result = triage(
            area="knee", knee_injury="twist", knee_can_bear_weight=True, knee_can_bend_90=True
        )
        assert "red_flag.knee_fracture" not in result.findings

    @pytest.mark.parametrize(
        "answered",
        ["knee_can_bend_90", "knee_can_bear_weight"],
        ids=["weight_bearing_not_asked", "bending_not_asked"],
    )
    def test_a_walking_or_bending_question_not_asked_cannot_clear_the_knee(self, answered):
        """A weight-bearing or bending question not asked cannot clear an injured knee, so it
        counts: urgent (the safer reading, written in RF-017's rationale)."""
        result = triage(area="knee", knee_injury="twist", age=30, **{answered: True})
        assert "red_flag.knee_fracture" in result.findings
        assert result.level is URGENT

    def test_without_an_injury_the_rule_does_not_apply(self):
        """No injury: unable to bear weight or age 55 is not the Ottawa rule."""
        result = triage(area="knee", knee_injury="none", knee_can_bear_weight=False, age=70)
        assert "red_flag.knee_fracture" not in result.findings

    def test_injury_not_asked_is_not_found(self):
        """With the injury question not asked, the Ottawa rule does not apply."""
        result = triage(area="knee", knee_can_bear_weight=False, age=70)
        assert "red_flag.knee_fracture" not in result.findings


class TestKneeStructural:
    @pytest.mark.parametrize(
        "sign", [{"knee_swelling": "rapid"}, {"knee_locking": True}], ids=["rapid", "locking"]
    )
    def test_an_injury_with_rapid_swelling_or_locking_is_urgent(self, sign):
        """Rapid swelling or locking after an injury suggests a tear or bleeding: urgent."""
        result = triage(area="knee", knee_injury="twist", **sign)
        assert "red_flag.knee_structural" in result.findings
        assert result.level is URGENT

    @pytest.mark.parametrize("swelling", ["none", "gradual"])
    def test_gradual_or_no_swelling_is_not_found(self, swelling):
        """Swelling that came on gradually, and no locking, is not this red flag."""
        result = triage(
            area="knee", knee_injury="twist", knee_swelling=swelling, knee_locking=False
        )
        assert "red_flag.knee_structural" not in result.findings

    def test_locking_without_an_injury_is_not_found(self):
        """Locking or rapid swelling without an injury is not this red flag."""
        result = triage(area="knee", knee_injury="none", knee_locking=True, knee_swelling="rapid")
        assert "red_flag.knee_structural" not in result.findings


class TestKneeInjury:
    @pytest.mark.parametrize(
        "answers",
        [{"knee_injury": "twist"}, {"knee_injury": "blow_or_fall"}, {"knee_giving_way": True}],
        ids=["twist", "blow_or_fall", "giving_way"],
    )
    def test_an_injury_or_a_knee_that_gives_way_means_see_a_doctor(self, answers):
        """A knee injury, or a knee that gives way, needs a doctor's examination."""
        result = triage(
            area="knee", knee_can_bear_weight=True, knee_can_bend_90=True, age=30, **answers
        )
        assert "pattern.knee_injury" in result.findings
        assert result.level is SEE_DOCTOR

    def test_no_injury_and_a_stable_knee_is_not_found(self):
        """No injury and a knee that does not give way: no injury pattern."""
        result = triage(area="knee", knee_injury="none", knee_giving_way=False)
        assert "pattern.knee_injury" not in result.findings
        assert result.level is SELF_CARE


class TestSciatica:
    def test_leg_pain_below_the_knee_is_sciatica(self):
        """True sciatica radiates below the knee."""
        assert "pattern.sciatica" in triage(area="back", leg_pain="below_knee").findings

    @pytest.mark.parametrize("leg_pain", ["none", "buttock", "above_knee"])
    def test_leg_pain_that_stops_above_the_knee_is_not_sciatica(self, leg_pain):
        """Pain that stays above the knee is not read as sciatica."""
        assert "pattern.sciatica" not in triage(area="back", leg_pain=leg_pain).findings

    def test_it_sets_no_level_of_its_own(self):
        """Sciatica alone is a pattern for the plan, not a reason to see a doctor."""
        assert triage(area="back", leg_pain="below_knee").level is SELF_CARE


#: The five signs of which pattern.sij needs at least two.
SIJ_SIGNS = (
    "tender_dimple",
    "hard_to_stand_up",
    "keeps_shifting_position",
    "groin_or_front_thigh_pain",
    "pregnant_or_postpartum",
)


class TestSIJ:
    @pytest.mark.parametrize("pair", list(combinations(SIJ_SIGNS, 2)), ids="+".join)
    def test_one_sided_pain_with_two_of_the_five_signs_is_sij(self, pair):
        """One-sided pain above the knee with at least two of the five signs is the SIJ pattern."""
        result = triage(
            area="back", leg_pain="none", back_pain="one_side", **dict.fromkeys(pair, True)
        )
        assert "pattern.sij" in result.findings

    @pytest.mark.parametrize("sign", SIJ_SIGNS)
    def test_one_of_the_five_signs_is_not_enough(self, sign):
        """Exactly one of the five signs is not the SIJ pattern, even with one-sided pain."""
        others = {other: False for other in SIJ_SIGNS if other != sign}
        result = triage(
            area="back", leg_pain="buttock", back_pain="one_side", **{sign: True}, **others
        )
        assert "pattern.sij" not in result.findings

    def test_a_tender_dimple_stands_for_one_sided_pain(self):
        """The tender dimple is one-sided on its own: with one more sign it is the SIJ pattern."""
        result = triage(
            area="back",
            leg_pain="above_knee",
            back_pain="center",
            tender_dimple=True,
            groin_or_front_thigh_pain=True,
        )
        assert "pattern.sij" in result.findings

    @pytest.mark.parametrize("back_pain", ["center", "both_sides", "none"])
    def test_two_signs_without_one_sided_pain_or_a_dimple_is_not_sij(self, back_pain):
        """Without a tender dimple or one-sided pain, two other signs are not the SIJ pattern."""
        result = triage(
            area="back",
            leg_pain="none",
            back_pain=back_pain,
            tender_dimple=False,
            hard_to_stand_up=True,
            keeps_shifting_position=True,
        )
        assert "pattern.sij" not in result.findings

    def test_leg_pain_below_the_knee_is_never_sij(self):
        """Pain below the knee is sciatica, never the SIJ pattern, whatever the other signs."""
        result = triage(
            area="back",
            leg_pain="below_knee",
            back_pain="one_side",
            **dict.fromkeys(SIJ_SIGNS, True),
        )
        assert "pattern.sij" not in result.findings
        assert "pattern.sciatica" in result.findings

    def test_leg_pain_not_asked_is_not_sij(self):
        """Leg pain must have been answered and stay above the knee (the rule's rationale)."""
        result = triage(
            area="back", back_pain="one_side", tender_dimple=True, hard_to_stand_up=True
        )
        assert "pattern.sij" not in result.findings


#: The four signs of which pattern.herniation_signs needs at least two.
HERNIATION_SIGNS = {
    "sudden_onset": {"onset": "sudden_no_injury"},
    "bending_forward_hurts": {"bending_forward_hurts": True},
    "sitting_hurts": {"sitting_hurts": True},
    "cough_sneeze_worse": {"cough_sneeze_worse": True},
}


class TestHerniationSigns:
    @pytest.mark.parametrize("pair", list(combinations(HERNIATION_SIGNS, 2)), ids="+".join)
    def test_two_signs_are_herniation_signs(self, pair):
        """Any two of the four common signs of a disc herniation are read as herniation signs."""
        answers = {k: v for name in pair for k, v in HERNIATION_SIGNS[name].items()}
        assert "pattern.herniation_signs" in triage(area="back", **answers).findings

    @pytest.mark.parametrize("sign", list(HERNIATION_SIGNS))
    def test_exactly_one_sign_is_not_enough(self, sign):
        """A single sign is not read as herniation signs."""
        none = {
            "onset": "gradual",
            "bending_forward_hurts": False,
            "sitting_hurts": False,
            "cough_sneeze_worse": False,
        }
        result = triage(area="back", **{**none, **HERNIATION_SIGNS[sign]})
        assert "pattern.herniation_signs" not in result.findings

    def test_they_set_no_level_of_their_own(self):
        """Herniation signs shape the plan; they do not call for a doctor on their own."""
        result = triage(area="back", **{k: True for k in ("sitting_hurts", "cough_sneeze_worse")})
        assert result.level is SELF_CARE


class TestAcuteSpasm:
    def test_spasm_is_found(self):
        """An acute back spasm is found from the spasm answer."""
        result = triage(area="back", spasm=True)
        assert "pattern.acute_spasm" in result.findings
        assert result.level is SELF_CARE

    def test_no_spasm_is_not_found(self):
        """No spasm: no finding."""
        assert "pattern.acute_spasm" not in triage(area="back", spasm=False).findings


class TestMuscleStrain:
    @pytest.mark.parametrize("weeks", [0, 3, 4, 11])
    def test_a_strain_under_12_weeks_is_a_muscle_strain(self, weeks):
        """Pain after lifting or an awkward move, under 12 weeks, is usually a strained muscle."""
        result = triage(area="back", onset="strain", duration_weeks=weeks)
        assert "pattern.muscle_strain" in result.findings
        assert result.level is SELF_CARE

    @pytest.mark.parametrize("weeks", [12, 52])
    def test_12_weeks_or_more_is_not_a_muscle_strain(self, weeks):
        """From 12 weeks on the pain is chronic, no longer a muscle strain."""
        result = triage(area="back", onset="strain", duration_weeks=weeks)
        assert "pattern.muscle_strain" not in result.findings

    def test_sciatica_rules_out_a_muscle_strain(self):
        """Pain below the knee points to a nerve: a strain with sciatica is not a muscle strain."""
        result = triage(area="back", onset="strain", duration_weeks=2, leg_pain="below_knee")
        assert "pattern.muscle_strain" not in result.findings

    @pytest.mark.parametrize("onset", ["sudden_no_injury", "gradual"])
    def test_another_onset_is_not_a_muscle_strain(self, onset):
        """Without a strain at the start, it is not a muscle strain."""
        result = triage(area="back", onset=onset, duration_weeks=2)
        assert "pattern.muscle_strain" not in result.findings


class TestNonspecific:
    @pytest.mark.parametrize("area", ["back", "both"])
    def test_back_pain_without_a_pattern_is_nonspecific(self, area):
        """Back pain with none of sciatica, SIJ or herniation signs is non-specific."""
        assert "pattern.nonspecific" in triage(area=area, leg_pain="none").findings

    @pytest.mark.parametrize(
        "answers",
        [
            {"leg_pain": "below_knee"},
            {
                "leg_pain": "none",
                "back_pain": "one_side",
                "tender_dimple": True,
                "hard_to_stand_up": True,
            },
            {"sitting_hurts": True, "bending_forward_hurts": True},
        ],
        ids=["sciatica", "sij", "herniation_signs"],
    )
    def test_any_specific_pattern_is_not_nonspecific(self, answers):
        """Sciatica, the SIJ pattern or herniation signs each rule out non-specific back pain."""
        assert "pattern.nonspecific" not in triage(area="back", **answers).findings

    def test_knee_pain_alone_is_not_nonspecific_back_pain(self):
        """With the knee as the only complaint, there is no back pattern."""
        assert "pattern.nonspecific" not in triage(area="knee").findings

    def test_spasm_or_a_strain_is_still_nonspecific(self):
        """Spasm and strain are not specific patterns: the back pain stays non-specific."""
        result = triage(area="back", spasm=True, onset="strain", duration_weeks=1)
        assert "pattern.nonspecific" in result.findings


#: Answers that find each back pattern when the back is the complaint.
BACK_PATTERNS = {
    "pattern.sciatica": {"leg_pain": "below_knee"},
    "pattern.sij": {"leg_pain": "none", "tender_dimple": True, "hard_to_stand_up": True},
    "pattern.herniation_signs": {"sitting_hurts": True, "cough_sneeze_worse": True},
    "pattern.acute_spasm": {"spasm": True},
    "pattern.muscle_strain": {"onset": "strain", "duration_weeks": 2},
    "pattern.nonspecific": {"leg_pain": "none"},
}


class TestBackPatternsNeedABackComplaint:
    @pytest.mark.parametrize("finding", list(BACK_PATTERNS))
    def test_a_knee_only_complaint_finds_no_back_pattern(self, finding):
        """Like every back pattern (BK-005's rationale), each needs area back or both: a knee
        complaint that began with a strain is not a back muscle strain."""
        answers = BACK_PATTERNS[finding]
        assert finding in triage(area="back", **answers).findings
        assert finding not in triage(area="knee", **answers).findings


class TestKneeMechanical:
    @pytest.mark.parametrize("area", ["knee", "both"])
    def test_knee_pain_without_red_flag_or_injury_is_mechanical(self, area):
        """Knee pain with no knee red flag and no injury suits the knee exercises."""
        result = triage(area=area, knee_injury="none", knee_hot_red=False)
        assert "pattern.knee_mechanical" in result.findings

    @pytest.mark.parametrize(
        "answers",
        [
            {"knee_hot_red": True},
            {"knee_injury": "twist"},
            {"knee_injury": "twist", "knee_can_bear_weight": False},
            {"knee_injury": "twist", "knee_locking": True},
            {"knee_giving_way": True},
        ],
        ids=["infection", "injury", "fracture", "structural", "giving_way"],
    )
    def test_a_knee_red_flag_or_injury_is_not_mechanical(self, answers):
        """A knee red flag, an injury or a knee that gives way rules out mechanical knee pain."""
        assert "pattern.knee_mechanical" not in triage(area="knee", **answers).findings

    def test_back_pain_alone_is_not_knee_pain(self):
        """With the back as the only complaint, there is no knee pattern."""
        assert "pattern.knee_mechanical" not in triage(area="back").findings


class TestStage:
    @pytest.mark.parametrize(
        ("weeks", "stage"),
        [
            (0, "stage.acute"),
            (3, "stage.acute"),
            (4, "stage.subacute"),
            (11, "stage.subacute"),
            (12, "stage.chronic"),
            (520, "stage.chronic"),
        ],
    )
    def test_duration_gives_exactly_one_stage(self, weeks, stage):
        """Under 4 weeks is acute, 4 to 11 subacute, 12 or more chronic: exactly one of them."""
        findings = triage(area="back", duration_weeks=weeks).findings
        assert {f for f in findings if f.startswith("stage.")} == {stage}

    def test_duration_not_asked_gives_no_stage(self):
        """An unknown duration gives no stage."""
        findings = triage(area="back").findings
        assert not {f for f in findings if f.startswith("stage.")}

    @pytest.mark.parametrize("weeks", [0, 4, 12])
    def test_a_stage_sets_no_level(self, weeks):
        """How long the pain has lasted does not, on its own, call for a doctor."""
        assert triage(area="back", duration_weeks=weeks).level is SELF_CARE


class TestPressUpResponse:
    def test_centralized_is_centralizing(self):
        """Pain moving toward the middle of the back during press-ups is centralizing."""
        result = triage(area="back", press_up_response="centralized")
        assert "response.centralizing" in result.findings
        assert "response.peripheralizing" not in result.findings

    @pytest.mark.parametrize("response", ["not_tried", "no_change", "peripheralized"])
    def test_other_responses_are_not_centralizing(self, response):
        """Not tried, no change or spreading pain is not centralizing."""
        result = triage(area="back", press_up_response=response)
        assert "response.centralizing" not in result.findings

    @pytest.mark.parametrize("trend", [None, "better", "same"])
    def test_peripheralized_is_found_without_a_doctor_unless_worse(self, trend):
        """Press-ups spreading pain down the leg is peripheralizing; alone it is self-care."""
        extra = {} if trend is None else {"leg_pain_trend": trend}
        result = triage(area="back", press_up_response="peripheralized", **extra)
        assert "response.peripheralizing" in result.findings
        assert result.level is SELF_CARE

    def test_peripheralized_with_worse_leg_pain_means_see_a_doctor(self):
        """If pain keeps shooting down the leg and the leg pain worsens, contact a doctor."""
        result = triage(
            area="back",
            leg_pain="above_knee",
            press_up_response="peripheralized",
            leg_pain_trend="worse",
        )
        assert "response.peripheralizing" in result.findings
        assert SEE_DOCTOR in levels_of(result, "response.peripheralizing")
        assert result.level is SEE_DOCTOR

    @pytest.mark.parametrize("response", ["not_tried", "centralized", "no_change"])
    def test_other_responses_are_not_peripheralizing(self, response):
        """Only spreading pain is peripheralizing, even when the leg pain is worse."""
        result = triage(
            area="back", leg_pain="above_knee", press_up_response=response, leg_pain_trend="worse"
        )
        assert "response.peripheralizing" not in result.findings
        assert result.level is SELF_CARE


class TestWorseningLegPain:
    def test_worse_sciatic_leg_pain_means_see_a_doctor(self):
        """If the sciatic leg pain worsens, contact your doctor."""
        result = triage(area="back", leg_pain="below_knee", leg_pain_trend="worse")
        assert "response.worsening_leg_pain" in result.findings
        assert result.level is SEE_DOCTOR

    @pytest.mark.parametrize("trend", ["better", "same"])
    def test_sciatica_that_is_not_worse_is_not_found(self, trend):
        """Sciatica that is the same or better is not worsening leg pain."""
        result = triage(area="back", leg_pain="below_knee", leg_pain_trend=trend, duration_weeks=1)
        assert "response.worsening_leg_pain" not in result.findings
        assert result.level is SELF_CARE

    @pytest.mark.parametrize("leg_pain", ["buttock", "above_knee"])
    def test_worse_pain_without_sciatica_is_not_found(self, leg_pain):
        """The finding is about sciatic leg pain: pain above the knee that worsens is not it."""
        result = triage(area="back", leg_pain=leg_pain, leg_pain_trend="worse")
        assert "response.worsening_leg_pain" not in result.findings
        assert result.level is SELF_CARE


class TestNervePainNotSettling:
    @pytest.mark.parametrize("trend", ["same", "worse"])
    def test_sciatica_for_6_weeks_not_better_means_see_a_doctor(self, trend):
        """Nerve root pain not settling after 6 weeks should be reviewed by a doctor."""
        result = triage(area="back", leg_pain="below_knee", duration_weeks=6, leg_pain_trend=trend)
        assert "response.nerve_pain_not_settling" in result.findings
        assert result.level is SEE_DOCTOR

    def test_5_weeks_is_not_found(self):
        """Under 6 weeks, sciatica that is not better is not yet this finding."""
        result = triage(area="back", leg_pain="below_knee", duration_weeks=5, leg_pain_trend="same")
        assert "response.nerve_pain_not_settling" not in result.findings
        assert result.level is SELF_CARE

    def test_getting_better_is_not_found(self):
        """Sciatica of 6 weeks that is getting better is settling."""
        result = triage(
            area="back", leg_pain="below_knee", duration_weeks=6, leg_pain_trend="better"
        )
        assert "response.nerve_pain_not_settling" not in result.findings
        assert result.level is SELF_CARE

    def test_a_trend_not_asked_counts_as_not_better(self):
        """A trend not asked is not known to be better, so it counts (the safer reading)."""
        result = triage(area="back", leg_pain="below_knee", duration_weeks=6)
        assert "response.nerve_pain_not_settling" in result.findings
        assert result.level is SEE_DOCTOR

    def test_without_sciatica_is_not_found(self):
        """Six weeks of leg pain above the knee is not nerve root pain."""
        result = triage(area="back", leg_pain="above_knee", duration_weeks=6, leg_pain_trend="same")
        assert "response.nerve_pain_not_settling" not in result.findings

    def test_duration_not_asked_is_not_found(self):
        """An unknown duration is not taken as 6 weeks or more."""
        result = triage(area="back", leg_pain="below_knee", leg_pain_trend="same")
        assert "response.nerve_pain_not_settling" not in result.findings


class TestOverweight:
    @pytest.mark.parametrize("bmi", [25.1, 30, 80])
    def test_a_bmi_over_25_is_overweight(self, bmi):
        """A body mass index over 25 is a factor for knee and back pain."""
        result = triage(area="knee", bmi=bmi)
        assert "factor.overweight" in result.findings
        assert result.level is SELF_CARE

    @pytest.mark.parametrize("bmi", [10, 24.9, 25, 25.0])
    def test_a_bmi_of_25_or_less_is_not_overweight(self, bmi):
        """25 itself is not over 25."""
        assert "factor.overweight" not in triage(area="knee", bmi=bmi).findings


class TestPregnancy:
    def test_pregnant_or_postpartum_is_a_factor(self):
        """Pregnancy, or birth in the last 6 months, is a factor without changing the level."""
        result = triage(area="back", pregnant_or_postpartum=True)
        assert "factor.pregnancy" in result.findings
        assert result.level is SELF_CARE

    def test_not_pregnant_is_not_found(self):
        """Not pregnant: no factor."""
        assert "factor.pregnancy" not in triage(area="back", pregnant_or_postpartum=False).findings
