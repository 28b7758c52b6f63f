"""The exercise catalog: integrity, coverage of the source document, pinned doses."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from painpath import CatalogError
from painpath._catalog_cautions import CAUTION_EVIDENCE, EVIDENCED_CAUTIONS, NOT_TAGGED
from painpath._catalog_data import ALL_EXERCISES, ALL_ROUTINES
from painpath.catalog import (
    CAUTION_MEANINGS,
    CAUTIONS,
    EQUIPMENT,
    EXERCISES,
    POSITIONS,
    ROUTINES,
    Dose,
    RoutineItem,
    check_catalog,
    dose_of,
    exercises_for,
)

#: The document's section headings an exercise or routine may cite, as written there.
DOCUMENT_HEADINGS = {
    "The Stretching Routine",
    "Build a Strong Core",
    "Six Foam Rolling Moves to Conquer Back Pain",
    "The Six-Minute Emergency Back Pain Treatment That\u2019s Safe for Herniated and Bulging Discs",
    "How do you know it\u2019s working?",
    "SI Joint Self-Adjustment",
    "Reverse Sciatica Exercise Routine",
    "Trigger-Point Self-Massage to Relieve Sciatica",
    "Supine Groin Stretch",
    "Strengthening Exercises for Sciatica Relief",
    "Eight Dead Simple Exercises for Knee Pain Relief",
}

#: Every routine's exercises, in the document's order.
EXPECTED_ROUTINES = {
    "mckenzie_emergency": ["press_up_on_elbows", "fully_extended_press_up"],
    "prone_rest": ["prone_lying", "press_up_on_elbows", "fully_extended_press_up"],
    "si_self_adjustment": ["si_resisted_knee_press", "si_static_knee_squeeze"],
    "reverse_sciatica": [
        "knees_to_chest",
        "hamstring_strap_stretch",
        "piriformis_stretch_lying",
        "seated_glute_stretch",
        "pigeon_pose",
        "fully_extended_press_up",
        "locust_pose",
        "alternating_superman",
        "donkey_kicks",
        "hip_flexor_stretch_arm_raised",
    ],
    "sciatica_relief": ["trigger_point_self_massage", "supine_groin_stretch"],
    "sciatica_strengthening": [
        "band_bridge",
        "band_clam_shell",
        "band_hip_abduction_standing",
        "band_hip_extension_standing",
    ],
    "stretching": [
        "couch_quad_stretch",  # 1
        "kneeling_hip_flexor_stretch",  # 2a
        "hip_flexor_stretch_arm_raised",  # 2b
        "butterfly_stretch",  # 3a
        "sideways_lunge_adductor_stretch",  # 3b
        "hamstring_strap_stretch",  # 4b, or 4a (its alternative) without a strap
        "piriformis_stretch_lying",  # 5a
        "seated_glute_stretch",  # 5b
        "spinal_rotation_twist",  # 6
        "cat_cow",  # 7
        "fully_extended_press_up",  # 8
        "ql_stretch",  # 9
    ],
    "core": [
        "abdominal_draw_in",  # 10a
        "draw_in_knee_to_chest",  # 10b
        "draw_in_double_knee_to_chest",  # 10c
        "plank",  # 11
        "side_plank",  # 12
        "adductor_assisted_back_extension",  # 13
        "alternating_superman",  # 14
        "bird_dog",  # 15
        "active_bridge_pillow_squeeze",  # 16
        "single_leg_bridge",  # 17
        "knees_to_chest",  # finish
    ],
    "foam_rolling": [
        "foam_roll_low_back",
        "foam_roll_glutes",
        "foam_roll_hamstrings",
        "foam_roll_quads_hip_flexors",
        "foam_roll_length_of_back",
        "foam_roll_spinal_release",
    ],
    "knee_mckenzie": [
        "active_knee_extension_sitting",
        "knee_extension_sitting",
        "knee_extension_standing",
        "knee_flexion_sitting",
        "knee_quad_stretch_standing",
        "knee_flexion_kneeling",
        "knee_flexion_kneeling_hands_free",
        "chair_squat",
        "single_leg_squat",
    ],
}

#: Ids other modules (rules, plan builder) refer to by name.
CONTRACT_EXERCISE_IDS = [
    "press_up_on_elbows",
    "fully_extended_press_up",
    "prone_lying",
    "plank",
    "side_plank",
    "supine_groin_stretch",
    "kneeling_hip_flexor_stretch",
    "hip_flexor_stretch_arm_raised",
    "couch_quad_stretch",
    "hamstring_stretch_lying",
    "hamstring_strap_stretch",
    "trigger_point_self_massage",
    "tennis_ball_release",
    "knees_to_chest",
    "knee_extension_standing",
    "chair_squat",
    "single_leg_squat",
    "si_resisted_knee_press",
    "si_static_knee_squeeze",
]

FOAM_ROLLER_MOVES = EXPECTED_ROUTINES["foam_rolling"]
BAND_EXERCISES = EXPECTED_ROUTINES["sciatica_strengthening"]


def _alternatives() -> set[str]:
    return {
        other_id
        for exercise in EXERCISES.values()
        for other_id in (exercise.alternative, exercise.time_alternative)
        if other_id is not None
    }


class TestExerciseIntegrity:
    def test_ids_are_unique(self):
        """No two exercises share an id, so a routine item names exactly one exercise."""
        ids = [exercise.id for exercise in ALL_EXERCISES]
        assert len(ids) == len(set(ids))

    def test_mapping_keeps_every_exercise_in_document_order(self):
        """EXERCISES holds every exercise, keyed by id, in the data's (document) order."""
        assert list(EXERCISES) == [exercise.id for exercise in ALL_EXERCISES]
        assert all(EXERCISES[key].id == key for key in EXERCISES)

    def test_contract_ids_exist(self):
        """The exercise ids other modules rely on are all in the catalog."""
        assert [i for i in CONTRACT_EXERCISE_IDS if i not in EXERCISES] == []

    def test_equipment_cautions_and_positions_are_in_the_vocabularies(self):
        """Equipment, cautions and positions only use the closed vocabularies."""
        for exercise in EXERCISES.values():
            assert set(exercise.equipment) <= set(EQUIPMENT), exercise.id
            assert set(exercise.cautions) <= set(CAUTIONS), exercise.id
            assert exercise.position in POSITIONS, exercise.id

    def test_every_exercise_is_used(self):
        """Every exercise is in a routine or is the alternative of one that is."""
        in_routines = {item.exercise_id for r in ROUTINES.values() for item in r.items}
        unused = set(EXERCISES) - in_routines - _alternatives()
        assert unused == set()

    def test_doses_are_sane(self):
        """Every range is positive with low <= high, and sets are at least 1."""
        doses = [(e.id, e.dose) for e in EXERCISES.values()]
        doses += [(r.id, i.dose) for r in ROUTINES.values() for i in r.items if i.dose]
        for where, dose in doses:
            for span in (dose.hold_seconds, dose.reps, dose.duration_minutes):
                if span is not None:
                    assert 0 < span[0] <= span[1], where
            assert dose.sets is None or dose.sets >= 1, where

    def test_every_exercise_has_steps_and_a_one_sentence_purpose(self):
        """Each exercise has numbered steps to follow and a short one-sentence purpose."""
        for exercise in EXERCISES.values():
            assert exercise.steps, exercise.id
            assert all(step.strip() for step in exercise.steps), exercise.id
            assert exercise.purpose.endswith("."), exercise.id
            assert exercise.purpose.count(". ") == 0, exercise.id

    def test_sources_are_document_headings(self):
        """Every exercise and routine cites a section heading of the document verbatim."""
        sources = {e.source for e in EXERCISES.values()} | {r.source for r in ROUTINES.values()}
        assert sources <= DOCUMENT_HEADINGS

    def test_catalog_is_read_only(self):
        """The catalog mappings and records cannot be changed by a caller."""
        assert isinstance(EXERCISES, MappingProxyType)
        assert isinstance(ROUTINES, MappingProxyType)
        with pytest.raises(TypeError):
            EXERCISES["plank"] = EXERCISES["side_plank"]  # type: ignore[index]
        with pytest.raises(dataclasses.FrozenInstanceError):
            EXERCISES["plank"].name = "changed"  # type: ignore[misc]


class TestRoutines:
    def test_routine_ids_are_the_contract(self):
        """The ten routine ids of the clinical spec, and no others, are in the catalog."""
        assert set(ROUTINES) == set(EXPECTED_ROUTINES)
        assert len([r.id for r in ALL_ROUTINES]) == len(ROUTINES)

    @pytest.mark.parametrize("routine_id", sorted(EXPECTED_ROUTINES))
    def test_routine_covers_the_document_in_order(self, routine_id):
        """Each routine lists exactly the document's exercises for it, in its order."""
        items = [item.exercise_id for item in ROUTINES[routine_id].items]
        assert items == EXPECTED_ROUTINES[routine_id]

    def test_items_reference_existing_exercises(self):
        """Every routine item names an exercise in the catalog."""
        missing = [
            (r.id, item.exercise_id)
            for r in ROUTINES.values()
            for item in r.items
            if item.exercise_id not in EXERCISES
        ]
        assert missing == []

    def test_shared_exercises_are_one_entry(self):
        """An exercise in several routines is one entry, not a copy per routine."""
        assert ROUTINES["stretching"].items[10].exercise_id == "fully_extended_press_up"
        assert ROUTINES["reverse_sciatica"].items[5].exercise_id == "fully_extended_press_up"
        assert ROUTINES["core"].items[-1].exercise_id == "knees_to_chest"
        assert ROUTINES["reverse_sciatica"].items[0].exercise_id == "knees_to_chest"

    @pytest.mark.parametrize(
        ("routine_id", "frequency"),
        [
            ("mckenzie_emergency", "6 to 8 times a day, until bedtime"),
            ("prone_rest", "whenever pain spreads down your leg"),
            ("si_self_adjustment", "before the reverse sciatica routine"),
            ("reverse_sciatica", "every day until the sciatica eases"),
            ("sciatica_relief", "daily"),
            ("sciatica_strengthening", "daily, once pain allows"),
            ("stretching", "every day for 21 days"),
            ("core", "every day for 21 days"),
            ("foam_rolling", "after a workout"),
            ("knee_mckenzie", "10 times every two hours through the day, until bedtime"),
        ],
    )
    def test_frequency_follows_the_document(self, routine_id, frequency):
        """Each routine says how often to do it, as the document does."""
        assert ROUTINES[routine_id].frequency == frequency

    def test_emergency_routine_moves_on_at_centralization(self):
        """The emergency routine's move-on condition is centralization of the pain."""
        assert "centralized" in ROUTINES["mckenzie_emergency"].move_on

    def test_every_routine_says_when_to_move_on(self):
        """Every routine has a purpose and a move-on sentence."""
        for routine in ROUTINES.values():
            assert routine.purpose and routine.move_on.endswith("."), routine.id


class TestDoses:
    @pytest.mark.parametrize(
        ("exercise_id", "dose"),
        [
            ("press_up_on_elbows", Dose(duration_minutes=(2, 3))),
            ("fully_extended_press_up", Dose(hold_seconds=(2, 2), reps=(10, 10))),
            ("prone_lying", Dose(duration_minutes=(5, 10))),
            ("couch_quad_stretch", Dose(duration_minutes=(1, 1), per_side=True)),
            ("kneeling_hip_flexor_stretch", Dose(hold_seconds=(20, 30), per_side=True)),
            ("hip_flexor_stretch_arm_raised", Dose(hold_seconds=(30, 30), per_side=True)),
            ("plank", Dose(hold_seconds=(15, 60))),
            ("side_plank", Dose(hold_seconds=(30, 60), per_side=True)),
            ("active_bridge_pillow_squeeze", Dose(reps=(15, 15), sets=3)),
            ("supine_groin_stretch", Dose(duration_minutes=(5, 5))),
            ("trigger_point_self_massage", Dose(hold_seconds=(20, 30))),
            ("si_resisted_knee_press", Dose(hold_seconds=(3, 5), reps=(2, 3))),
            ("si_static_knee_squeeze", Dose(hold_seconds=(15, 15), sets=3)),
            ("chair_squat", Dose(reps=(10, 15), times_per_day=(2, 2))),
            ("single_leg_squat", Dose(reps=(5, 10), times_per_day=(1, 1))),
            ("knee_flexion_kneeling", Dose(hold_seconds=(2, 2), reps=(6, 10))),
            ("knee_flexion_kneeling_hands_free", Dose(hold_seconds=(2, 2), reps=(10, 10))),
            ("knee_extension_standing", Dose(hold_seconds=(2, 2), reps=(10, 10))),
            ("foam_roll_low_back", Dose(reps=(10, 12), per_side=True)),
            ("band_hip_extension_standing", Dose(reps=(15, 20), per_side=True)),
        ],
    )
    def test_dose_is_the_documents(self, exercise_id, dose):
        """The dose is exactly the document's numbers."""
        assert EXERCISES[exercise_id].dose == dose

    def test_plank_starts_at_15_seconds_and_builds_to_a_minute(self):
        """The plank's range runs from the document's 15-second start to its one-minute aim."""
        assert EXERCISES["plank"].dose.hold_seconds == (15, 60)

    def test_a_hold_counted_in_breaths_stays_in_breaths(self):
        """Where the document counts breaths, the dose counts breaths, not invented seconds."""
        assert EXERCISES["pigeon_pose"].dose.hold_seconds is None
        assert EXERCISES["pigeon_pose"].dose.breaths == (5, 10)

    def test_reverse_sciatica_holds_knees_to_chest_longer(self):
        """Reverse sciatica's own knees-to-chest hold (20-30 s) overrides the core's 20 s."""
        item = ROUTINES["reverse_sciatica"].items[0]
        assert item.dose == Dose(hold_seconds=(20, 30), per_side=True)
        assert dose_of(item) == item.dose
        assert dose_of(ROUTINES["core"].items[-1]) == Dose(hold_seconds=(20, 20), per_side=True)


class TestAlternatives:
    def test_alternatives_reference_existing_exercises(self):
        """Every alternative and time alternative names an exercise in the catalog."""
        assert _alternatives() <= set(EXERCISES)

    @pytest.mark.parametrize("exercise_id", FOAM_ROLLER_MOVES)
    def test_tennis_ball_replaces_the_foam_roller(self, exercise_id):
        """Every foam-roller move falls back to the tennis ball release."""
        exercise = EXERCISES[exercise_id]
        assert exercise.equipment == ("foam_roller",)
        assert exercise.alternative == "tennis_ball_release"
        assert EXERCISES["tennis_ball_release"].equipment == ("tennis_ball",)

    def test_lying_hamstring_stretch_replaces_the_strap(self):
        """Without a yoga strap, the lying hamstring stretch (4a) replaces 4b."""
        assert EXERCISES["hamstring_strap_stretch"].equipment == ("yoga_strap",)
        assert EXERCISES["hamstring_strap_stretch"].alternative == "hamstring_stretch_lying"
        assert EXERCISES["hamstring_stretch_lying"].equipment == ()

    def test_kneeling_hip_flexor_stretch_replaces_the_couch(self):
        """Without a couch, the kneeling hip flexor stretch replaces the couch stretch."""
        couch = EXERCISES["couch_quad_stretch"]
        assert couch.equipment == ("couch",)
        assert couch.alternative == "kneeling_hip_flexor_stretch"

    def test_supine_groin_stretch_has_a_short_alternative(self):
        """Short on time, the 30-second kneeling hip flexor stretch replaces the 5 minutes."""
        groin = EXERCISES["supine_groin_stretch"]
        assert groin.time_alternative == "kneeling_hip_flexor_stretch"
        assert groin.equipment == ("chair",)

    @pytest.mark.parametrize("exercise_id", BAND_EXERCISES)
    def test_band_exercises_have_no_alternative(self, exercise_id):
        """The band exercises need a band and offer nothing in its place."""
        exercise = EXERCISES[exercise_id]
        assert exercise.equipment == ("resistance_band",)
        assert exercise.alternative is None

    def test_an_alternative_never_needs_the_missing_equipment(self):
        """An alternative does not need the equipment it stands in for."""
        for exercise in EXERCISES.values():
            if exercise.alternative:
                other = EXERCISES[exercise.alternative]
                assert not set(other.equipment) & set(exercise.equipment), exercise.id

    def test_equipment_of_the_knee_and_pillow_exercises(self):
        """Chairs, pillows and the optional step are where the document puts them."""
        for exercise_id in (
            "active_knee_extension_sitting",
            "knee_extension_sitting",
            "knee_flexion_sitting",
            "knee_quad_stretch_standing",
            "chair_squat",
        ):
            assert EXERCISES[exercise_id].equipment == ("chair",), exercise_id
        assert EXERCISES["knee_extension_standing"].equipment == ()
        assert any("step" in s for s in EXERCISES["knee_extension_standing"].steps)
        assert EXERCISES["active_bridge_pillow_squeeze"].equipment == ("pillow",)
        assert EXERCISES["si_static_knee_squeeze"].equipment == ("pillow",)


class TestCautions:
    @staticmethod
    def _with(caution: str) -> set[str]:
        return {e.id for e in EXERCISES.values() if caution in e.cautions}

    def test_face_down_exercises(self):
        """Everything done lying on the stomach is marked, and nothing else."""
        assert self._with("lies_face_down") == {
            "fully_extended_press_up",
            "press_up_on_elbows",
            "prone_lying",
            "adductor_assisted_back_extension",
            "alternating_superman",
            "locust_pose",
            "foam_roll_quads_hip_flexors",
        }

    def test_long_flat_on_back_exercises(self):
        """Minutes lying flat on the back are marked (relevant in pregnancy)."""
        assert self._with("lies_flat_on_back_long") == {
            "supine_groin_stretch",
            "foam_roll_length_of_back",
            "foam_roll_spinal_release",
        }

    def test_kneeling_exercises(self):
        """Kneeling and hands-and-knees exercises are marked as kneeling."""
        assert self._with("kneels") >= {
            "couch_quad_stretch",
            "kneeling_hip_flexor_stretch",
            "hip_flexor_stretch_arm_raised",
            "knee_flexion_kneeling",
            "knee_flexion_kneeling_hands_free",
            "cat_cow",
            "bird_dog",
            "pigeon_pose",
            "donkey_kicks",
        }
        kneeling_positions = {"kneeling", "hands_and_knees"}
        for exercise in EXERCISES.values():
            if exercise.position in kneeling_positions:
                assert "kneels" in exercise.cautions, exercise.id

    def test_knee_loading_exercises(self):
        """Squats, lunges, kneeling knee bends and standing on one leg load the knee."""
        assert self._with("loads_knee") == {
            "chair_squat",
            "single_leg_squat",
            "knee_flexion_kneeling",
            "knee_flexion_kneeling_hands_free",
            "sideways_lunge_adductor_stretch",
            "couch_quad_stretch",
            # body weight leans into the bend of the knee on the chair
            "knee_quad_stretch_standing",
            # the whole body stands on one leg while the other works the band
            "band_hip_abduction_standing",
            "band_hip_extension_standing",
        }

    def test_spine_extending_exercises(self):
        """Press-ups, locust, superman, the adductor-assisted extension and leaning back."""
        assert self._with("extends_spine") == {
            "press_up_on_elbows",
            "fully_extended_press_up",
            "locust_pose",
            "alternating_superman",
            "adductor_assisted_back_extension",
            # "arch your body back" with the arms overhead
            "hip_flexor_stretch_arm_raised",
            # the cow half scoops the spine in
            "cat_cow",
            # arms swept overhead while lying along the roller open the chest backward
            "foam_roll_spinal_release",
        }
        assert "extends_spine" not in EXERCISES["prone_lying"].cautions

    def test_spine_flexing_exercises(self):
        """Knees-to-chest, the hamstring stretches and the cat bend the lower spine forward."""
        assert self._with("flexes_spine") == {
            "knees_to_chest",
            "draw_in_knee_to_chest",
            "draw_in_double_knee_to_chest",
            "hamstring_stretch_lying",
            "hamstring_strap_stretch",
            "piriformis_stretch_lying",
            "cat_cow",
        }

    def test_loaded_flexion_is_also_flexion(self):
        """Flexion under load: hands pull the knees in, or both legs' weight curls the spine."""
        loaded = self._with("flexes_spine_loaded")
        assert loaded == {
            "knees_to_chest",
            "draw_in_double_knee_to_chest",
            "piriformis_stretch_lying",
        }
        assert loaded <= self._with("flexes_spine")

    def test_twisting_exercises(self):
        """The spinal rotation, and the seated stretch hugging the crossed knee."""
        assert self._with("twists_spine") == {"spinal_rotation_twist", "seated_glute_stretch"}

    def test_abdomen_loading_exercises(self):
        """The planks and the double knee-to-chest work the stomach wall hard."""
        assert self._with("loads_abdomen") == {
            "plank",
            "side_plank",
            "draw_in_double_knee_to_chest",
        }

    def test_knee_forcing_exercises(self):
        """The knee extensions pushed straight with the hands."""
        assert self._with("forces_knee_straight") == {
            "knee_extension_sitting",
            "knee_extension_standing",
        }
        for exercise_id in self._with("forces_knee_straight"):
            assert any("hands" in step for step in EXERCISES[exercise_id].steps)

    def test_every_spine_abdomen_and_knee_tag_is_explained_by_the_steps(self):
        """Each tag of the v2 cautions has its reason from the steps, and nothing more."""
        tags = {
            (e.id, c) for e in EXERCISES.values() for c in e.cautions if c in EVIDENCED_CAUTIONS
        }
        assert set(CAUTION_EVIDENCE) == tags
        assert all(why.strip() for why in CAUTION_EVIDENCE.values())

    def test_close_calls_left_untagged_are_really_untagged(self):
        """A close call recorded as untagged is not tagged after all."""
        for exercise_id, caution in NOT_TAGGED:
            assert caution not in EXERCISES[exercise_id].cautions, (exercise_id, caution)

    def test_every_caution_is_used_and_explained(self):
        """Each caution of the vocabulary marks some exercise and has a meaning."""
        for caution in CAUTIONS:
            assert self._with(caution), caution
            assert CAUTION_MEANINGS[caution]


class TestSideFirst:
    def test_hip_flexor_stretches_start_non_dominant(self):
        """The document says to stretch the non-dominant side first."""
        for exercise_id in ("kneeling_hip_flexor_stretch", "hip_flexor_stretch_arm_raised"):
            assert EXERCISES[exercise_id].side_first == "non_dominant"

    def test_si_technique_one_works_the_painful_side(self):
        """The resisted knee press is done on the painful side; the pillow squeeze has no side."""
        assert EXERCISES["si_resisted_knee_press"].side_first == "painful"
        assert EXERCISES["si_static_knee_squeeze"].side_first is None

    def test_knee_exercises_on_one_knee_use_the_painful_knee(self):
        """Single-knee exercises start with the painful knee."""
        for exercise_id in ("active_knee_extension_sitting", "knee_extension_standing"):
            assert EXERCISES[exercise_id].side_first == "painful"
        assert EXERCISES["single_leg_squat"].side_first == "painful"

    def test_standing_knee_extension_tip_turns_the_foot(self):
        """The tip says which way to turn the foot for inner and outer knee pain."""
        tips = " ".join(EXERCISES["knee_extension_standing"].tips)
        assert "inner" in tips and "outward" in tips
        assert "outer" in tips and "inward" in tips


class TestCheckCatalog:
    def test_shipped_catalog_passes(self):
        """The shipped catalog has no problems (it is also checked at import)."""
        check_catalog(ALL_EXERCISES, ALL_ROUTINES)

    def test_accepts_mappings(self):
        """The check also accepts the id -> record mappings."""
        check_catalog(EXERCISES, ROUTINES)

    def test_reports_every_problem_at_once(self):
        """A catalog with several faults reports all of them in one error."""
        plank = EXERCISES["plank"]
        broken_exercises = [
            *ALL_EXERCISES,
            plank,  # duplicate id
            dataclasses.replace(
                plank,
                id="broken",
                position="upside_down",
                equipment=("trampoline",),
                cautions=("scary",),
                alternative="no_such_exercise",
                time_alternative="broken",
                dose=Dose(hold_seconds=(30, 10), reps=(0, 5), sets=0),
            ),
        ]
        core = ROUTINES["core"]
        broken_routines = [
            *ALL_ROUTINES,
            dataclasses.replace(core, items=(*core.items, RoutineItem("ghost"))),
            dataclasses.replace(
                core, id="empty", items=(RoutineItem("plank", dose=Dose(duration_minutes=(2, 1))),)
            ),
        ]
        with pytest.raises(CatalogError) as info:
            check_catalog(broken_exercises, broken_routines)
        problems = info.value.problems
        expected = [
            "exercise id 'plank' is used more than once",
            "routine id 'core' is used more than once",
            "exercise 'broken': 'position' must be one of",
            "exercise 'broken': 'equipment' must be in",
            "exercise 'broken': 'cautions' must be in",
            "exercise 'broken': 'alternative' names unknown exercise 'no_such_exercise'",
            "exercise 'broken': 'time_alternative' names the exercise itself",
            "exercise 'broken': 'hold_seconds' must be low <= high (got (30, 10))",
            "exercise 'broken': 'reps' must be positive (got (0, 5))",
            "exercise 'broken': 'sets' must be at least 1 (got 0)",
            "routine 'core': item 12 names unknown exercise 'ghost'",
            "routine 'empty': item 1: 'duration_minutes' must be low <= high (got (2, 1))",
        ]
        for start in expected:
            assert any(p.startswith(start) for p in problems), start
        assert len(problems) == len(expected)
        assert isinstance(info.value, ValueError)

    def test_alternative_needing_the_same_equipment_is_a_problem(self):
        """An alternative that needs the missing equipment too is reported."""
        roller = dataclasses.replace(
            EXERCISES["foam_roll_glutes"], alternative="foam_roll_low_back"
        )
        exercises = [e for e in ALL_EXERCISES if e.id != roller.id] + [roller]
        with pytest.raises(CatalogError, match="needs the same equipment"):
            check_catalog(exercises, ALL_ROUTINES)

    def test_routine_without_items_is_a_problem(self):
        """A routine with no exercises is reported."""
        empty = dataclasses.replace(ROUTINES["core"], id="empty", items=())
        with pytest.raises(CatalogError, match="routine 'empty': has no exercises"):
            check_catalog(ALL_EXERCISES, [*ALL_ROUTINES, empty])


class TestExercisesFor:
    def test_returns_the_routines_exercises_in_order(self):
        """exercises_for gives the routine's Exercise records in the routine's order."""
        assert [e.id for e in exercises_for("mckenzie_emergency")] == [
            "press_up_on_elbows",
            "fully_extended_press_up",
        ]

    def test_unknown_routine_is_a_key_error(self):
        """An unknown routine id raises KeyError."""
        with pytest.raises(KeyError):
            exercises_for("no_such_routine")
