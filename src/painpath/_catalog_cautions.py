"""Why each exercise carries the version-2 cautions, checked against its own steps.

The cautions themselves live on the exercises (:mod:`painpath._catalog_data`); this
module only records, for review, the step of the document that earns each one of the
spine, abdomen and knee cautions, and the close calls that were left untagged. It is
rendered into ``docs/catalog.md`` and a test keeps it in step with the tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["CAUTION_EVIDENCE", "EVIDENCED_CAUTIONS", "NOT_TAGGED"]

#: The cautions every tag of which is explained below.
EVIDENCED_CAUTIONS: tuple[str, ...] = (
    "extends_spine",
    "flexes_spine",
    "flexes_spine_loaded",
    "twists_spine",
    "loads_abdomen",
    "forces_knee_straight",
    "loads_knee",
)

#: (exercise id, caution) -> what in the exercise's steps earns the caution.
CAUTION_EVIDENCE: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        # extends_spine
        ("press_up_on_elbows", "extends_spine"): "the chest lifts onto the elbows and the back "
        "arches from tailbone to neck",
        ("fully_extended_press_up", "extends_spine"): "the arms straighten and the back sags "
        "into a full arch",
        ("locust_pose", "extends_spine"): "head and upper chest are raised from the floor, lying "
        "face down",
        ("alternating_superman", "extends_spine"): "one arm and the opposite leg are lifted "
        "from the floor, lying face down",
        ("adductor_assisted_back_extension", "extends_spine"): "the chest lifts as high as it "
        "will go, lying face down",
        ("hip_flexor_stretch_arm_raised", "extends_spine"): "the arms go overhead and the body "
        "arches back",
        ("cat_cow", "extends_spine"): "the cow half scoops the back in and lifts the head",
        ("foam_roll_spinal_release", "extends_spine"): "lying along the roller, the straight "
        "arms sweep overhead to the floor behind and the chest opens backward",
        # flexes_spine
        ("knees_to_chest", "flexes_spine"): "a knee is pulled to the chest, rounding the low back",
        ("draw_in_knee_to_chest", "flexes_spine"): "one knee comes toward the chest while the "
        "low back is pressed flat",
        ("draw_in_double_knee_to_chest", "flexes_spine"): "both knees come to the chest together, "
        "curling the pelvis up",
        ("hamstring_stretch_lying", "flexes_spine"): "the raised leg is drawn toward you, which "
        "tilts the pelvis back (the spec names the hamstring stretches)",
        ("hamstring_strap_stretch", "flexes_spine"): "the strap draws the straight leg up, which "
        "tilts the pelvis back (the spec names the hamstring stretches)",
        ("piriformis_stretch_lying", "flexes_spine"): "both hands draw the thigh toward you",
        ("cat_cow", "flexes_spine"): "the cat half rounds the back up toward the ceiling",
        # flexes_spine_loaded
        ("knees_to_chest", "flexes_spine_loaded"): "the hands pull the knee in, so the arms "
        "force the bend",
        ("draw_in_double_knee_to_chest", "flexes_spine_loaded"): "the weight of both legs is "
        "lifted and curled in by the trunk",
        ("piriformis_stretch_lying", "flexes_spine_loaded"): "the hands pull the crossed legs "
        "in, so the arms force the bend",
        # twists_spine
        ("spinal_rotation_twist", "twists_spine"): "the knees drop from side to side and one "
        "knee crosses over the other leg",
        ("seated_glute_stretch", "twists_spine"): "the crossed knee is hugged with the opposite "
        "arm, which turns the trunk toward it (the document does not say to turn; tagged as the "
        "safer reading)",
        # loads_abdomen
        ("plank", "loads_abdomen"): "the body is held up on forearms and toes by the stomach wall",
        ("side_plank", "loads_abdomen"): "the hips are held up on one forearm by the side of the "
        "stomach wall",
        ("draw_in_double_knee_to_chest", "loads_abdomen"): "the stomach muscles lift and lower "
        "both legs together",
        # forces_knee_straight
        ("knee_extension_sitting", "forces_knee_straight"): "both hands press down above the "
        "knee to straighten it",
        ("knee_extension_standing", "forces_knee_straight"): "both hands press down above the "
        "knee to straighten it into a stretch",
        # loads_knee
        ("couch_quad_stretch", "loads_knee"): "kneeling on one knee and lunging on the other",
        ("sideways_lunge_adductor_stretch", "loads_knee"): "the front knee bends under body weight",
        ("knee_flexion_kneeling", "loads_knee"): "sitting back onto the heels on bent knees",
        ("knee_flexion_kneeling_hands_free", "loads_knee"): "sitting right back onto the heels, "
        "hands off the floor, puts the body's weight on the bent knees",
        ("chair_squat", "loads_knee"): "a squat on both legs",
        ("single_leg_squat", "loads_knee"): "a squat on the painful leg alone",
        ("knee_quad_stretch_standing", "loads_knee"): "body weight leans forward into the bend "
        "of the knee on the chair, while the other leg stands alone",
        ("band_hip_abduction_standing", "loads_knee"): "the whole body stands on one leg while "
        "the other works the band",
        ("band_hip_extension_standing", "loads_knee"): "the whole body stands on one leg while "
        "the other works the band",
    }
)

#: (exercise id, caution) -> why a close call was left untagged.
NOT_TAGGED: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("prone_lying", "extends_spine"): "lying still face down does not arch the back; the "
        "spec keeps it when press-ups spread the pain",
        ("bird_dog", "extends_spine"): "the back stays level while an arm and a leg reach out",
        ("donkey_kicks", "extends_spine"): "the leg moves at the hip; the back is not arched",
        ("active_bridge_pillow_squeeze", "extends_spine"): "the hips lift to a straight line; "
        "the low back is not arched",
        ("abdominal_draw_in", "flexes_spine"): "only a small tilt that flattens the low back, "
        "no bend",
        ("cat_cow", "flexes_spine_loaded"): "on hands and knees the spine carries no load "
        "along its length; the cat is an unloaded bend",
        ("hamstring_stretch_lying", "flexes_spine_loaded"): "both hips stay down and the back "
        "lies flat on the floor",
        ("hamstring_strap_stretch", "flexes_spine_loaded"): "the back lies flat on the floor; "
        "only the leg is raised",
        ("draw_in_knee_to_chest", "flexes_spine_loaded"): "one leg only, without the hands",
        ("draw_in_knee_to_chest", "loads_abdomen"): "the spec names the double knee to chest; "
        "one leg at a time is the gentler step before it",
        ("active_knee_extension_sitting", "forces_knee_straight"): "the thigh muscle lifts the "
        "foot; nothing pushes the knee",
        ("knee_flexion_sitting", "loads_knee"): "sitting, the hands bend the knee; no body "
        "weight goes through it",
    }
)
