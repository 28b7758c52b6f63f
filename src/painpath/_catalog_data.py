"""The exercises and routines of the 21-day back pain relief program, as data.

Every exercise, dose and distinction comes from the source document
(``seed/21-day-back-pain-relief-program.txt``); the steps and purposes are our
own words. ``source`` is the document's section heading, exactly as written
there (its typographic apostrophe as a Unicode escape). A dose the document
does not give is ``None``.

Exercises are listed in the order they first appear in the document; an
exercise used by several routines is one entry that each routine references.
"""

from __future__ import annotations

from ._catalog_types import Dose, Exercise, Routine, RoutineItem

__all__ = ["ALL_EXERCISES", "ALL_ROUTINES"]

# The document's section headings, as written there.
STRETCHING = "The Stretching Routine"
CORE = "Build a Strong Core"
FOAM_ROLLING = "Six Foam Rolling Moves to Conquer Back Pain"
EMERGENCY = (
    "The Six-Minute Emergency Back Pain Treatment That\u2019s Safe for Herniated and Bulging Discs"
)
WORKING = "How do you know it\u2019s working?"
SI_ADJUSTMENT = "SI Joint Self-Adjustment"
REVERSE_SCIATICA = "Reverse Sciatica Exercise Routine"
TRIGGER_POINT = "Trigger-Point Self-Massage to Relieve Sciatica"
GROIN = "Supine Groin Stretch"
STRENGTHENING = "Strengthening Exercises for Sciatica Relief"
KNEE = "Eight Dead Simple Exercises for Knee Pain Relief"

PRESS_UP_STOP = (
    "If pain spreads down your leg, stop: lie face down for 5-10 minutes, then build back up."
)

ALL_EXERCISES: tuple[Exercise, ...] = (
    # --- The Stretching Routine -------------------------------------------------
    Exercise(
        id="couch_quad_stretch",
        name="Couch potato quad stretch",
        purpose="Lengthens the front of the thigh so it stops tipping the pelvis forward.",
        position="kneeling",
        steps=(
            "Kneel with your {first} knee on the couch seat, shin and foot resting up the "
            "backrest.",
            "If the top of the foot hurts, slide a rolled towel or small pillow under the ankle.",
            "Step your {second} foot forward slowly into a lunge, that knee above the ankle, not "
            "beyond the toes.",
            "Press your {first} foot back into the cushion to tighten the front of the thigh.",
            "Keep pressing and push with your {second} leg to ease your body backward; tuck your "
            "tailbone under to deepen the stretch.",
            "Rock gently in and out of the stretch for {minutes}, then swap legs.",
        ),
        dose=Dose(duration_minutes=(1, 1), per_side=True),
        side_first="left",
        source=STRETCHING,
        equipment=("couch",),
        alternative="kneeling_hip_flexor_stretch",
        cautions=("kneels", "loads_knee"),
        tips=(
            "Knee closer to the backrest makes the stretch stronger; farther away makes it easier.",
        ),
    ),
    Exercise(
        id="kneeling_hip_flexor_stretch",
        name="Kneeling hip flexor stretch",
        purpose="Loosens a tight psoas that pulls the lower back into too much arch.",
        position="kneeling",
        steps=(
            "Kneel on your {first} knee, toes tucked under, your {second} foot flat on the floor "
            "ahead of you.",
            "Put both hands on the front ({second}) thigh.",
            "Ease your hips forward until the front of the {first} hip feels a good stretch.",
            "Tighten your stomach, tip your pelvis slightly back and keep your chin level.",
            "Hold {hold}, then change legs.",
        ),
        dose=Dose(hold_seconds=(20, 30), per_side=True),
        source=STRETCHING,
        cautions=("kneels",),
        side_first="non_dominant",
    ),
    Exercise(
        id="hip_flexor_stretch_arm_raised",
        name="Hip flexor stretch with arm raised",
        purpose="Stretches the hip flexor and the front of the trunk together.",
        position="kneeling",
        steps=(
            "Kneel on your {first} knee, toes tucked under, your {second} foot flat on the floor "
            "ahead of you.",
            "Put both hands on the front ({second}) thigh.",
            "Ease your hips forward until the front of the {first} hip feels a good stretch.",
            "Lift one or both arms overhead and lean back a little.",
            "Tighten your stomach, tip your pelvis slightly back and keep your chin level.",
            "Hold {hold}, then change legs.",
        ),
        dose=Dose(hold_seconds=(30, 30), per_side=True),
        source=STRETCHING,
        cautions=("kneels", "extends_spine"),
        side_first="non_dominant",
    ),
    Exercise(
        id="butterfly_stretch",
        name="Butterfly stretch",
        purpose="Eases tight inner-thigh muscles that add to a forward pelvic tilt.",
        position="sitting",
        steps=(
            "Sit down on a mat or the floor.",
            "Let your knees fall out to the sides and bring the soles of your feet together.",
            "Hold your ankles and draw them gently upward.",
            "At the same time press your elbows down onto your knees.",
            "Hold {hold}.",
        ),
        dose=Dose(hold_seconds=(30, 30)),
        source=STRETCHING,
    ),
    Exercise(
        id="sideways_lunge_adductor_stretch",
        name="Sideways lunge adductor stretch",
        purpose="Stretches the inner thigh from a standing position.",
        position="standing",
        steps=(
            "Stand with your feet wide apart.",
            "Turn the back foot sideways and keep it flat on the floor.",
            "Bend the front knee slowly until the inside of the other leg feels a mild stretch.",
            "Keep your trunk upright rather than leaning forward.",
            "Hold {hold}, then switch legs.",
        ),
        dose=Dose(hold_seconds=(30, 30), per_side=True),
        source=STRETCHING,
        cautions=("loads_knee",),
    ),
    Exercise(
        id="hamstring_stretch_lying",
        name="Lying hamstring stretch",
        purpose="Lengthens the hamstrings so they stop pulling the pelvis down and flattening the "
        "back.",
        position="lying_on_back",
        steps=(
            "Lie on your back.",
            "Tighten your stomach and lift one leg.",
            "Hold the back of that thigh with both hands.",
            "Draw the leg gently toward you; both hips stay down.",
            "Hold {hold}, then do the other leg.",
        ),
        dose=Dose(hold_seconds=(30, 30), per_side=True),
        source=STRETCHING,
        cautions=("flexes_spine",),
    ),
    Exercise(
        id="hamstring_strap_stretch",
        name="Hamstring stretch with yoga strap (contract-relax)",
        purpose="Uses a strap and a contract-relax cycle to gain more hamstring length.",
        position="lying_on_back",
        steps=(
            "Lying on your back, hook the strap under the ball of your {first} foot and hold an "
            "end in each hand.",
            "Tuck your chin and draw your shoulders back.",
            "Breathe out and raise the heel toward the ceiling; hold {hold}.",
            "Keep the knee straight and press the heel down into the strap for 3 to 5 seconds.",
            "Now tighten the front of the thigh and push the foot up toward the ceiling for 3 to "
            "5 seconds.",
            "Let go of the effort and hold the stretch again for {hold}.",
            "Change legs.",
        ),
        dose=Dose(hold_seconds=(20, 30), per_side=True),
        side_first="left",
        source=STRETCHING,
        equipment=("yoga_strap",),
        alternative="hamstring_stretch_lying",
        cautions=("flexes_spine",),
    ),
    Exercise(
        id="piriformis_stretch_lying",
        name="Lying piriformis stretch",
        purpose="Eases a tight piriformis, the small buttock muscle that can press on the sciatic "
        "nerve.",
        position="lying_on_back",
        steps=(
            "Lie on your back with both knees bent.",
            "Tighten your stomach before you move the leg.",
            "Rest your {first} ankle across your {second} knee.",
            "Reach both hands around the back of the {second} thigh and draw it toward you.",
            "Hold {hold}, then swap sides.",
        ),
        dose=Dose(hold_seconds=(30, 30), per_side=True),
        side_first="left",
        source=STRETCHING,
        cautions=("flexes_spine", "flexes_spine_loaded"),
    ),
    Exercise(
        id="seated_glute_stretch",
        name="Seated piriformis and glute stretch",
        purpose="Stretches the buttock and piriformis from a seated position.",
        position="sitting",
        steps=(
            "Sit on the floor with both legs out straight.",
            "Cross your {first} leg over the {second} and set that foot down beside the {second} "
            "knee.",
            "Hug the {first} knee firmly with your {second} arm.",
            "Sit tall and keep your back straight.",
            "Hold {hold}, then swap sides.",
        ),
        dose=Dose(hold_seconds=(30, 60), per_side=True),
        side_first="left",
        source=STRETCHING,
        cautions=("twists_spine",),
    ),
    Exercise(
        id="spinal_rotation_twist",
        name="Spinal rotation and twist",
        purpose="Loosens the lower back with gentle rotation while the deep abdominals work.",
        position="lying_on_back",
        steps=(
            "Lie on your back, knees bent and feet flat.",
            "Pull your belly in and keep it in for the whole exercise.",
            "Lower both knees slowly to the {first}, hips staying on the floor.",
            "Use your side abdominals to bring the knees back to the middle, then lower them to "
            "the {second}.",
            "Do {reps} of these.",
            "Now straighten both legs and stretch your {first} arm out to the {first}.",
            "Tighten your stomach, bring the {first} knee up and across the {second} leg, and hold "
            "20 seconds.",
            "Do the cross-over with the {second} knee.",
        ),
        dose=Dose(reps=(10, 20)),
        side_first="left",
        source=STRETCHING,
        cautions=("twists_spine",),
    ),
    Exercise(
        id="cat_cow",
        name="Cat and cow",
        purpose="Moves the spine gently through its range to relax the back muscles.",
        # On hands and knees: weight goes through the knees.
        position="hands_and_knees",
        steps=(
            "Get on your hands and knees.",
            "Round your back up toward the ceiling (cat) and pause for a few seconds.",
            "Let your back sink, draw your shoulder blades back and lift your head (cow).",
            "Flow smoothly from one to the other {reps} times.",
        ),
        dose=Dose(reps=(10, 10)),
        source=STRETCHING,
        cautions=("kneels", "extends_spine", "flexes_spine"),
    ),
    Exercise(
        # Stretching #8 "Press Up", McKenzie #2 and reverse sciatica #6: one exercise.
        id="fully_extended_press_up",
        name="Fully extended press up",
        purpose="Arches the lower back to ease disc pressure and draw pain toward the centre.",
        position="lying_face_down",
        steps=(
            "Lie on your stomach with your hands flat under your shoulders.",
            "Push through your palms, straightening your arms to raise your upper body.",
            "Keep your hips and pelvis on the floor and let your back sag into an arch from "
            "tailbone to neck.",
            "Pause for {hold} at the top.",
            "Lower slowly: that is one rep. Do {reps}.",
        ),
        dose=Dose(hold_seconds=(2, 2), reps=(10, 10)),
        source=STRETCHING,
        cautions=("lies_face_down", "extends_spine"),
        tips=(PRESS_UP_STOP,),
    ),
    Exercise(
        id="ql_stretch",
        name="Quadratus lumborum (QL) stretch",
        purpose="Stretches the deep muscle along the side of the lower back.",
        position="lying_on_side",
        steps=(
            "Lie on your side, propped on your forearm with the elbow under the shoulder.",
            "Stack your legs one on top of the other.",
            "Push up through the arm while your hips stay on the floor, until the side of your "
            "lower back stretches.",
            "Hold {hold}, then turn over and do the other side.",
        ),
        dose=Dose(hold_seconds=(30, 30), per_side=True),
        source=STRETCHING,
    ),
    # --- Build a Strong Core ----------------------------------------------------
    Exercise(
        id="abdominal_draw_in",
        name="Abdominal draw-in",
        purpose="Wakes up the deep abdominal muscles with a small pelvic tilt.",
        position="lying_on_back",
        steps=(
            "Lie on your back, knees bent, feet flat; there is a small gap under your lower back.",
            "Breathe in deeply.",
            "As you breathe out, pull your belly in and flatten your lower back to the floor.",
            "Relax and repeat, {reps} times.",
        ),
        dose=Dose(reps=(20, 20)),
        source=CORE,
    ),
    Exercise(
        id="draw_in_knee_to_chest",
        name="Abdominal draw-in with knee to chest",
        purpose="Keeps the deep abdominals working while one leg moves.",
        position="lying_on_back",
        steps=(
            "Lie on your back with knees bent and draw your belly in.",
            "Holding the draw-in, lift one knee toward your chest without using your hands.",
            "Lower it and repeat, {reps} times; then work the other leg.",
        ),
        dose=Dose(reps=(10, 20), per_side=True),
        source=CORE,
        cautions=("flexes_spine",),
    ),
    Exercise(
        id="draw_in_double_knee_to_chest",
        name="Abdominal draw-in with double knee to chest",
        purpose="Keeps the deep abdominals working while both legs move together.",
        position="lying_on_back",
        steps=(
            "Lie on your back, knees bent, belly drawn in.",
            "Lift both knees together toward your chest.",
            "Lower them with control, keeping the draw-in the whole time; do {reps}.",
        ),
        dose=Dose(reps=(10, 20)),
        source=CORE,
        cautions=("flexes_spine", "flexes_spine_loaded", "loads_abdomen"),
    ),
    Exercise(
        id="plank",
        name="Plank",
        purpose="Builds the deep abdominal muscle that helps you sit and stand upright.",
        # Starts face down, but the body is held up on forearms and toes, so the
        # belly takes no weight: no "lies_face_down" caution.
        position="lying_face_down",
        steps=(
            "Lie face down, then rise onto your forearms and toes, elbows under the shoulders, "
            "feet hip-width apart.",
            "Brace your stomach, drawing the navel in toward the spine.",
            "Keep your back straight and your legs and buttocks firm.",
            "Hold {hold}.",
        ),
        # The document starts at 15 to 30 seconds and builds toward 1 minute.
        dose=Dose(hold_seconds=(15, 60)),
        source=CORE,
        cautions=("loads_abdomen",),
        tips=("Feeling sore at first is normal; keep at it.",),
    ),
    Exercise(
        id="side_plank",
        name="Side plank",
        purpose="Strengthens the muscles along the side of the trunk.",
        position="lying_on_side",
        steps=(
            "Lie on one side, propped on a forearm set below the shoulder, feet stacked.",
            "Tighten your stomach and press the forearm into the floor to lift your hips.",
            "Keep one straight line from ankles to shoulders and hold {hold}.",
            "Change sides.",
        ),
        dose=Dose(hold_seconds=(30, 60), per_side=True),
        source=CORE,
        cautions=("loads_abdomen",),
    ),
    Exercise(
        id="adductor_assisted_back_extension",
        name="Adductor-assisted back extension",
        purpose="Works the inner thighs and back muscles to take pressure off the lower spine.",
        position="lying_face_down",
        steps=(
            "Lie on your stomach, palms on the floor next to your shoulders.",
            "Draw your elbows back against your ribs and lift your arms off the floor.",
            "Press your feet and knees tightly together.",
            "Bend your knees to about 45 degrees, still squeezing, and lower the feet to about 6 "
            "inches off the floor.",
            "Lift your chest up as far as it will go, feet still off the floor.",
            "Hold {hold}, rest, then do it once more.",
        ),
        dose=Dose(hold_seconds=(10, 15), reps=(2, 2)),
        source=CORE,
        cautions=("lies_face_down", "extends_spine"),
    ),
    Exercise(
        # Core #14 and reverse sciatica #8: one exercise.
        id="alternating_superman",
        name="Alternating superman",
        purpose="Strengthens the long muscles that run along the spine.",
        position="lying_face_down",
        steps=(
            "Lie on your stomach, arms stretched out past your head, legs long, neck in line with "
            "your spine.",
            "Raise one arm and the opposite leg; keep them up {hold}.",
            "Lower them. Do {reps}, then switch to the other arm and leg.",
        ),
        dose=Dose(hold_seconds=(3, 5), reps=(10, 20), per_side=True),
        source=CORE,
        cautions=("lies_face_down", "extends_spine"),
    ),
    Exercise(
        id="bird_dog",
        name="Bird dog",
        purpose="Trains the back, buttocks and trunk to hold the spine steady.",
        position="hands_and_knees",
        steps=(
            "Get on your hands and knees and firm up your hamstrings, buttocks and lower back.",
            "Straighten one leg back, pushing through the heel, and raise the opposite arm; keep "
            "your back level.",
            "Hold {hold}, lower, and switch sides; do {reps} each side.",
        ),
        dose=Dose(hold_seconds=(5, 5), reps=(6, 10), per_side=True),
        source=CORE,
        cautions=("kneels",),
        tips=("Too hard? Lift only the leg and keep both hands on the floor.",),
    ),
    Exercise(
        id="active_bridge_pillow_squeeze",
        name="Bridge with knee pillow squeeze",
        purpose="Strengthens the buttocks and hamstrings to balance the front of the body.",
        position="lying_on_back",
        steps=(
            "Lie on your back, knees bent to a right angle and in line with your hips.",
            "Hold a pillow (or a ball) between your knees and squeeze it.",
            "Drive through your heels to raise your hips to their highest point.",
            "Lower slowly, in one smooth movement; repeat {reps} times, and do that {sets}.",
        ),
        dose=Dose(reps=(15, 15), sets=3),
        source=CORE,
        equipment=("pillow",),
    ),
    Exercise(
        id="single_leg_bridge",
        name="Single-leg bridge",
        purpose="Strengthens the buttock and hamstring of one leg at a time.",
        position="lying_on_back",
        steps=(
            "Lie on your back, knees bent, feet flat.",
            "Lift one foot off the floor.",
            "Push through the other heel and raise your hips until your body lines up with your "
            "thighs.",
            "Hold {hold} and lower slowly.",
            "Do {reps}, then change legs.",
        ),
        dose=Dose(hold_seconds=(3, 5), reps=(10, 20), per_side=True),
        source=CORE,
    ),
    Exercise(
        # The core finish and reverse sciatica #1: one exercise.
        id="knees_to_chest",
        name="Knees to chest stretch",
        purpose="Gently stretches the lower back and buttocks.",
        position="lying_on_back",
        steps=(
            "Lie on your back with both knees bent.",
            "Hold your {first} knee and draw it to your chest.",
            "Tighten your stomach and slide the {second} leg out straight; leave it bent if your "
            "back complains.",
            "Hold {hold}, then switch legs.",
        ),
        dose=Dose(hold_seconds=(20, 20), per_side=True),
        side_first="left",
        source=CORE,
        cautions=("flexes_spine", "flexes_spine_loaded"),
    ),
    # --- Six Foam Rolling Moves to Conquer Back Pain ----------------------------
    # The document offers the tennis ball method when the roller is missing or too big.
    Exercise(
        id="foam_roll_low_back",
        name="Foam roll: lower back",
        purpose="Eases knots in the muscles of the lower back.",
        position="on_foam_roller",
        steps=(
            "Lie back with the roller across your lower back.",
            "Hold your {first} knee and stay there for 20 seconds.",
            "Tilt onto your {first} side and roll slowly from the rib cage down to the buttock.",
            "Make {reps} slow passes, then do the other side.",
        ),
        dose=Dose(reps=(10, 12), per_side=True),
        side_first="left",
        source=FOAM_ROLLING,
        equipment=("foam_roller",),
        alternative="tennis_ball_release",
    ),
    Exercise(
        id="foam_roll_glutes",
        name="Foam roll: buttocks",
        purpose="Eases knots in the buttock muscles.",
        position="on_foam_roller",
        steps=(
            "Sit on the roller with it under both buttocks.",
            "Cross your {first} ankle over your {second} knee.",
            "Lean onto your {first} hip.",
            "Roll slowly back and forth {reps} times, then swap sides.",
        ),
        dose=Dose(reps=(10, 12), per_side=True),
        side_first="left",
        source=FOAM_ROLLING,
        equipment=("foam_roller",),
        alternative="tennis_ball_release",
    ),
    Exercise(
        id="foam_roll_hamstrings",
        name="Foam roll: hamstrings",
        purpose="Eases knots in the backs of the thighs.",
        position="on_foam_roller",
        steps=(
            "Sit with the roller under the backs of your thighs, just below the buttocks.",
            "Turn slightly onto your {first} side.",
            "Roll slowly from the top of the thigh toward the knee and back.",
            "Make {reps} passes, then do the other leg.",
        ),
        dose=Dose(reps=(10, 12), per_side=True),
        side_first="left",
        source=FOAM_ROLLING,
        equipment=("foam_roller",),
        alternative="tennis_ball_release",
    ),
    Exercise(
        id="foam_roll_quads_hip_flexors",
        name="Foam roll: quadriceps and hip flexors",
        purpose="Eases knots along the front of the thigh and hip.",
        position="on_foam_roller",
        steps=(
            "Lie face down, propped on your forearms as in a plank, with your {first} thigh on the "
            "roller.",
            "Roll up and down from the hip toward the knee, tilting a little side to side to find "
            "knots.",
            "Cover the whole front of the thigh.",
            "Make {reps} passes, then switch legs.",
        ),
        dose=Dose(reps=(10, 12), per_side=True),
        side_first="left",
        source=FOAM_ROLLING,
        equipment=("foam_roller",),
        alternative="tennis_ball_release",
        cautions=("lies_face_down",),
    ),
    Exercise(
        id="foam_roll_length_of_back",
        name="Foam roll: lie along the back",
        purpose="Lets the back muscles relax over the length of the roller.",
        position="on_foam_roller",
        steps=(
            "Set the roller lengthwise on the floor.",
            "Lie on it so it runs from your head to your tailbone.",
            "Let your arms rest out to the sides, palms up or down.",
            "Stay and relax for {minutes}.",
        ),
        # The document says "up to 15 minutes"; 1 minute is the smallest whole
        # positive lower bound, not a number from the document.
        dose=Dose(duration_minutes=(1, 15)),
        source=FOAM_ROLLING,
        equipment=("foam_roller",),
        alternative="tennis_ball_release",
        cautions=("lies_flat_on_back_long",),
    ),
    Exercise(
        id="foam_roll_spinal_release",
        name="Foam roll: spinal release",
        purpose="Opens the chest and stretches the trunk while lying on the roller.",
        position="on_foam_roller",
        steps=(
            "Lie along the roller, head to tailbone, arms by your sides.",
            "With straight arms, sweep them overhead until the backs of the hands reach the floor "
            "behind you.",
            "Bring them back down; you can also sweep them out to the sides like a snow angel.",
            "Let your chest open and your body relax: you are stretching, not rolling. Do {reps} "
            "slow sweeps.",
        ),
        # The document gives no count. A dose needs a number: 5 to 10 slow sweeps is our
        # reading, the smaller end of what the other moves of the section ask.
        dose=Dose(reps=(5, 10)),
        source=FOAM_ROLLING,
        equipment=("foam_roller",),
        alternative="tennis_ball_release",
        cautions=("lies_flat_on_back_long", "extends_spine"),
    ),
    Exercise(
        id="tennis_ball_release",
        name="Tennis ball release",
        purpose="Works out knots in the middle and lower back when a foam roller is missing or "
        "too big.",
        position="lying_on_back",
        steps=(
            "Lie face up, knees bent.",
            "Put a tennis ball under a tender spot beside the spine in the middle or lower back.",
            "Let your body weight sink onto the ball while you breathe slowly.",
            "Stay {hold} until the spot eases, then move the ball to the next one.",
        ),
        # The section's rule for a tender spot: steady pressure for 20 to 90 seconds.
        dose=Dose(hold_seconds=(20, 90)),
        source=FOAM_ROLLING,
        equipment=("tennis_ball",),
    ),
    # --- The Six-Minute Emergency Back Pain Treatment ---------------------------
    Exercise(
        id="press_up_on_elbows",
        name="Press up on elbows",
        purpose="Eases acute disc-related back pain by holding the lower back gently arched.",
        position="lying_face_down",
        steps=(
            "Lie on your stomach, legs straight, palms flat just above your shoulders.",
            "Draw your shoulder blades down and toward each other.",
            "Holding that, come up onto your elbows and lift your chest, letting your back arch "
            "from tailbone to neck.",
            "Keep your neck long at the back and the front of your hips on the floor.",
            "Stay there for {minutes}.",
        ),
        dose=Dose(duration_minutes=(2, 3)),
        source=EMERGENCY,
        cautions=("lies_face_down", "extends_spine"),
        tips=(PRESS_UP_STOP,),
    ),
    # --- How do you know it's working? ------------------------------------------
    Exercise(
        id="prone_lying",
        name="Lying face down",
        purpose="Lets leg pain settle before the press-ups are tried again.",
        position="lying_face_down",
        steps=(
            "Stop the press-up you were doing.",
            "Lie flat on your stomach, arms relaxed by your sides.",
            "Breathe easily and stay still for {minutes}.",
            "Then go on slowly to the press up on elbows.",
        ),
        dose=Dose(duration_minutes=(5, 10)),
        source=WORKING,
        cautions=("lies_face_down",),
        tips=("If pain keeps shooting down the leg or gets worse, contact your doctor.",),
    ),
    # --- SI Joint Self-Adjustment -----------------------------------------------
    Exercise(
        id="si_resisted_knee_press",
        name="SI joint resisted knee press",
        purpose="Uses a short push against your own hands to correct a rotated pelvis.",
        position="lying_on_back",
        steps=(
            "Lie on the floor (a bed is too soft) with both knees bent up.",
            "Put one hand on the front of your {first} thigh, just above the knee.",
            "Put the other hand on your {second} leg, just below the knee.",
            "Push both legs into your hands while the hands hold them still.",
            "Hold {hold}, then let go. Do it {reps} times.",
        ),
        dose=Dose(hold_seconds=(3, 5), reps=(2, 3)),
        source=SI_ADJUSTMENT,
        side_first="painful",
    ),
    Exercise(
        id="si_static_knee_squeeze",
        name="SI joint static knee squeeze",
        purpose="Uses a gentle inner-thigh squeeze to settle the SI joint.",
        position="lying_on_back",
        steps=(
            "Lie on your back with knees bent to a right angle.",
            "Put a thick pillow between the knees.",
            "Squeeze the pillow gently with your inner thighs for {hold}, then relax.",
            "Do this {sets}.",
        ),
        dose=Dose(hold_seconds=(15, 15), sets=3),
        source=SI_ADJUSTMENT,
        equipment=("pillow",),
        tips=("Keep your stomach muscles relaxed while you squeeze.",),
    ),
    # --- Reverse Sciatica Exercise Routine --------------------------------------
    Exercise(
        id="pigeon_pose",
        name="Pigeon pose",
        purpose="Stretches the deep hip and buttock muscles around the sciatic nerve.",
        # Starts on hands and knees with weight on the knees ("kneels"); the hips
        # then lower toward the floor, but the belly is not lain on, so no
        # "lies_face_down".
        position="hands_and_knees",
        steps=(
            "Get on all fours with your hands a little ahead of your shoulders.",
            "Bring your {first} knee forward and let it fall out to the {first}.",
            "Slide your {second} leg straight back behind you.",
            "Lower your hips slowly toward the floor.",
            "Stay for {breaths}, then switch sides.",
        ),
        # The document gives the hold in breaths (5 to 10), not seconds.
        dose=Dose(breaths=(5, 10), per_side=True),
        side_first="left",
        source=REVERSE_SCIATICA,
        cautions=("kneels",),
        tips=("If it is too strong or too hard, use a gentler variation.",),
    ),
    Exercise(
        id="locust_pose",
        name="Locust pose",
        purpose="Strengthens the back, buttocks and shoulder blades together.",
        position="lying_face_down",
        steps=(
            "Lie on your stomach, arms by your sides.",
            "Squeeze your buttocks and draw your shoulder blades together.",
            "Raise your head and upper chest from the floor and hold {hold}.",
            "Lower slowly as you breathe out.",
            "Do it {reps} times.",
        ),
        dose=Dose(hold_seconds=(15, 20), reps=(2, 2)),
        source=REVERSE_SCIATICA,
        cautions=("lies_face_down", "extends_spine"),
    ),
    Exercise(
        id="donkey_kicks",
        name="Donkey kicks",
        purpose="Strengthens the buttock muscles one leg at a time.",
        position="hands_and_knees",
        steps=(
            "Get on your hands and knees.",
            "Using your buttock, push your {first} leg straight back and lift the foot toward the "
            "ceiling.",
            "Pause {hold} at the top, then lower slowly.",
            "Do {reps}, then switch legs.",
        ),
        dose=Dose(hold_seconds=(1, 1), reps=(15, 20), per_side=True),
        side_first="left",
        source=REVERSE_SCIATICA,
        cautions=("kneels",),
    ),
    # --- Trigger-Point Self-Massage to Relieve Sciatica -------------------------
    Exercise(
        id="trigger_point_self_massage",
        name="Trigger-point self-massage",
        purpose="Releases tender knots in the buttock that can irritate the sciatic nerve.",
        position="lying_on_back",
        steps=(
            "Lie on the floor and find a tender spot in your buttock.",
            "Search first close to the sacrum (the base of the spine) and on the outer hip.",
            "Set a tennis ball (a lacrosse ball works too) under that spot.",
            "Relax your weight down onto the ball and stay there {hold}.",
            "Numbness in the leg means the nerve is irritated: ease off at once.",
        ),
        dose=Dose(hold_seconds=(20, 30)),
        source=TRIGGER_POINT,
        equipment=("tennis_ball",),
    ),
    # --- Supine Groin Stretch ---------------------------------------------------
    Exercise(
        id="supine_groin_stretch",
        name="Supine groin stretch",
        purpose="Slowly releases a tight hip flexor while you rest on your back.",
        position="lying_on_back",
        steps=(
            "Lie flat on the floor, arms out at about 45 degrees, palms up.",
            "Rest the leg opposite the tight hip flexor on a chair or ottoman, hip and knee both "
            "at a right angle.",
            "Keep the other leg straight on the floor, toes up, foot resting against a cushion or "
            "small weight so it cannot roll out.",
            "Quad test: briefly tighten the thigh of the straight leg, then let go; notice where "
            "you feel it (usually near the knee).",
            "Relax in this position for {minutes}, then do the quad test again.",
            "Repeat until the thigh tightens mid-thigh or up near the hip.",
        ),
        dose=Dose(duration_minutes=(5, 5)),
        source=GROIN,
        equipment=("chair",),
        time_alternative="kneeling_hip_flexor_stretch",
        cautions=("lies_flat_on_back_long",),
        tips=("Short on time? Swap in the kneeling hip flexor stretch, held 30 seconds.",),
    ),
    # --- Strengthening Exercises for Sciatica Relief ----------------------------
    Exercise(
        id="band_bridge",
        name="Bridge with resistance band",
        purpose="Strengthens the buttocks and outer hips together.",
        position="lying_on_back",
        steps=(
            "Lie on your back, knees bent, with a band looped snugly around your knees.",
            "Push your knees apart against the band.",
            "Squeeze your buttocks and lift your hips off the floor.",
            "Lower slowly and repeat: {reps} times.",
        ),
        dose=Dose(reps=(15, 20)),
        source=STRENGTHENING,
        equipment=("resistance_band",),
    ),
    Exercise(
        id="band_clam_shell",
        name="Clam shell with band",
        purpose="Strengthens the muscles on the outside of the hip.",
        position="lying_on_side",
        steps=(
            "Lie on your side, knees bent to a right angle and pointing forward, band around your "
            "knees.",
            "Keep your feet together and lift the top knee about 8 to 12 inches.",
            "Lower it back to the bottom knee: that is one rep.",
            "Do {reps}, then turn over.",
        ),
        dose=Dose(reps=(15, 20), per_side=True),
        source=STRENGTHENING,
        equipment=("resistance_band",),
    ),
    Exercise(
        id="band_hip_abduction_standing",
        name="Standing hip abduction with band",
        purpose="Strengthens the outer hip muscles that lift the leg to the side.",
        position="standing",
        steps=(
            "Tie one end of the band to something sturdy and loop the other end around an ankle.",
            "Stand tall with the banded leg farther from the anchor; hold the support with the "
            "near hand.",
            "Lift the banded leg straight out to the side as far as it goes.",
            "Pause, bring it back, and repeat {reps} times; then switch sides.",
        ),
        dose=Dose(reps=(15, 20), per_side=True),
        source=STRENGTHENING,
        equipment=("resistance_band",),
        cautions=("loads_knee",),
    ),
    Exercise(
        id="band_hip_extension_standing",
        name="Standing hip extension with band",
        purpose="Strengthens the buttock and hamstring muscles at the back of the hip.",
        position="standing",
        steps=(
            "Put the band round one ankle and fix the other end to something in front of you.",
            "Hold a wall or chair if you need balance.",
            "Keep the leg straight and the hips facing forward; take the leg back as far as is "
            "comfortable.",
            "Return slowly and repeat {reps} times; then change legs.",
        ),
        dose=Dose(reps=(15, 20), per_side=True),
        source=STRENGTHENING,
        equipment=("resistance_band",),
        cautions=("loads_knee",),
        tips=("You should feel it working in the buttock.",),
    ),
    # --- Eight Dead Simple Exercises for Knee Pain Relief -----------------------
    # side_first "painful": the exercise is done with the painful knee. Squats on
    # both legs and kneeling on both knees have no side.
    Exercise(
        id="active_knee_extension_sitting",
        name="Active knee extension in sitting",
        purpose="Restores knee straightening by working the thigh muscle.",
        position="sitting",
        steps=(
            "Sit up straight on a chair, feet flat on the floor.",
            "Slowly lift the foot of your {first} leg until the knee is straight and the thigh "
            "tightens.",
            "Hold {hold}, then lower the foot.",
            "Do {reps}.",
        ),
        dose=Dose(hold_seconds=(2, 2), reps=(10, 10)),
        source=KNEE,
        equipment=("chair",),
        side_first="painful",
    ),
    Exercise(
        id="knee_extension_sitting",
        name="Knee extension in sitting",
        purpose="Regains full knee straightening, then adds gentle hand pressure.",
        position="sitting",
        steps=(
            "Sit on a chair and rest the heel of your {first} leg on a second chair or stool of "
            "the same height, knee a little bent, toes up.",
            "With the knee relaxed, slowly straighten it; hold {hold}, let it bend again. Do "
            "{reps}.",
            "Then put both hands just above the knee.",
            "Press down slowly until the back of the knee feels a slight stretch; hold {hold} "
            "and release. Do {reps}.",
        ),
        dose=Dose(hold_seconds=(2, 2), reps=(10, 10)),
        source=KNEE,
        equipment=("chair",),
        cautions=("forces_knee_straight",),
        side_first="painful",
        tips=("Go just into the pain, then ease the pressure off.",),
    ),
    Exercise(
        id="knee_extension_standing",
        name="Knee extension in standing",
        purpose="Straightens a stiff knee fully with your own hand pressure.",
        position="standing",
        steps=(
            "Stand tall with the heel of your {first} leg forward, on a low step or on the floor.",
            "Lean forward and place both hands just above the knee.",
            "Press down slowly to straighten the knee into a good stretch.",
            "Hold {hold} and release. Do {reps}.",
        ),
        dose=Dose(hold_seconds=(2, 2), reps=(10, 10)),
        source=KNEE,
        cautions=("forces_knee_straight",),
        side_first="painful",
        tips=(
            "Pain on the inner side of the knee: turn the foot outward. Pain on the outer side: "
            "turn it inward.",
        ),
    ),
    Exercise(
        id="knee_flexion_sitting",
        name="Knee flexion in sitting",
        purpose="Regains knee bending with help from your hands.",
        position="sitting",
        steps=(
            "Sit up straight on a chair.",
            "Bend your {first} knee slowly and, with both hands, pull the leg toward your chest.",
            "Draw the heel toward your buttock and hold {hold}.",
            "Let the knee go back to the start. Do {reps}.",
        ),
        dose=Dose(hold_seconds=(2, 2), reps=(10, 10)),
        source=KNEE,
        equipment=("chair",),
        side_first="painful",
        tips=("A rolled towel behind the knee makes it more comfortable.",),
    ),
    Exercise(
        id="knee_quad_stretch_standing",
        name="Standing quadriceps stretch",
        purpose="Bends the knee further using your body weight, standing up.",
        position="standing",
        steps=(
            "Stand tall and put the heel of your {first} leg up on a chair or stool; hold the "
            "chair for balance if you need to.",
            "Lean forward slowly, bringing your buttock toward that heel, until the knee feels a "
            "good stretch.",
            "Hold {hold} and ease back. Do {reps}.",
        ),
        dose=Dose(hold_seconds=(2, 2), reps=(10, 10)),
        source=KNEE,
        equipment=("chair",),
        cautions=("loads_knee",),
        side_first="painful",
        tips=("Uncomfortable? Tuck a small rolled towel into the back of the knee.",),
    ),
    Exercise(
        id="knee_flexion_kneeling",
        name="Knee flexion in kneeling",
        purpose="Regains full knee bending by sitting back toward your heels.",
        position="hands_and_knees",
        steps=(
            "Get on your hands and knees with a cushion under your knees.",
            "Sit back slowly toward your heels, hands still on the floor, until the knees feel a "
            "firm stretch.",
            "Hold {hold} and come forward again. Do {reps}.",
        ),
        # The document's exercise 6 has two parts with two doses: hands on the floor,
        # 6 to 10 times (this card), then hands free, 10 times (the next card). One
        # card cannot show both doses, so each part is its own card.
        dose=Dose(hold_seconds=(2, 2), reps=(6, 10)),
        source=KNEE,
        cautions=("kneels", "loads_knee"),
    ),
    Exercise(
        id="knee_flexion_kneeling_hands_free",
        name="Knee flexion in kneeling, hands free",
        purpose="Bends the knees fully by sitting right back on your heels, hands off the floor.",
        position="kneeling",
        steps=(
            "Get on your hands and knees with a cushion under your knees.",
            "Lift your hands off the floor and sit right back on your heels, until the knees "
            "feel a firm stretch.",
            "Hold {hold} and come back up. Do {reps}.",
        ),
        dose=Dose(hold_seconds=(2, 2), reps=(10, 10)),
        source=KNEE,
        cautions=("kneels", "loads_knee"),
    ),
    Exercise(
        id="chair_squat",
        name="Chair squat",
        purpose="Strengthens the muscles around the knee in a controlled squat.",
        position="standing",
        steps=(
            "Stand tall, feet shoulder-width apart, with a chair behind you.",
            "Sit back slowly, knees pointing forward, until the muscles around the knee feel firm "
            "tension.",
            "Stop before you sit down and stand up again.",
            "Do {reps}.",
        ),
        dose=Dose(reps=(10, 15), times_per_day=(2, 2)),
        source=KNEE,
        equipment=("chair",),
        cautions=("loads_knee",),
    ),
    Exercise(
        id="single_leg_squat",
        name="Single-leg squat",
        purpose="Strengthens the painful knee under your full body weight.",
        position="standing",
        steps=(
            "Stand on your {first} leg.",
            "Bend that knee into a small squat, chest up, knee roughly over your toes.",
            "Straighten again. Do {reps}.",
        ),
        dose=Dose(reps=(5, 10), times_per_day=(1, 1)),
        source=KNEE,
        cautions=("loads_knee",),
        side_first="painful",
    ),
)


def _items(*exercise_ids: str) -> tuple[RoutineItem, ...]:
    return tuple(RoutineItem(exercise_id) for exercise_id in exercise_ids)


ALL_ROUTINES: tuple[Routine, ...] = (
    Routine(
        id="mckenzie_emergency",
        title="Six-minute emergency treatment",
        purpose="Calm acute back or disc pain before any stretching or strengthening.",
        items=_items("press_up_on_elbows", "fully_extended_press_up"),
        frequency="6 to 8 times a day, until bedtime",
        times_per_day=(6, 8),
        move_on="Move on when the pain has centralized: it has left the leg or hip for the middle "
        "of the lower back, or narrowed to one small point.",
        source=EMERGENCY,
        notes=(
            "If pain spreads down the leg during a press-up, stop and do the face-down rest "
            "instead.",
        ),
    ),
    Routine(
        id="prone_rest",
        # The title, frequency and move-on name no press-up: the rule that chooses this
        # routine (PL-002) leaves every back-arching exercise out, press-ups included.
        title="Face-down rest",
        purpose="Let pain that spread into the leg settle by resting face down.",
        items=_items("prone_lying", "press_up_on_elbows", "fully_extended_press_up"),
        frequency="whenever pain spreads down your leg",
        move_on="Carry on while pain spreads into the leg. If it keeps shooting down the leg, or "
        "the leg pain gets worse, contact your doctor.",
        source=WORKING,
        notes=(
            "If pain keeps shooting down the leg, or the leg pain gets worse, contact your doctor.",
        ),
    ),
    Routine(
        id="si_self_adjustment",
        title="SI joint self-adjustment",
        purpose="Correct the pelvic rotation behind one-sided SI joint pain.",
        items=_items("si_resisted_knee_press", "si_static_knee_squeeze"),
        frequency="before the reverse sciatica routine",
        move_on="Go straight on to the reverse sciatica routine.",
        source=SI_ADJUSTMENT,
        notes=("Work on the painful side (the document describes the left side).",),
    ),
    Routine(
        id="reverse_sciatica",
        title="Reverse sciatica routine",
        purpose="Stretch and strengthen the back and hips to take pressure off the sciatic nerve.",
        items=(
            RoutineItem("knees_to_chest", dose=Dose(hold_seconds=(20, 30), per_side=True)),
            RoutineItem("hamstring_strap_stretch"),
            # The routine gives a shorter hold than the stretching routine's 30 s.
            RoutineItem(
                "piriformis_stretch_lying", dose=Dose(hold_seconds=(20, 30), per_side=True)
            ),
            RoutineItem("seated_glute_stretch", note="Also called the seated hip stretch."),
            RoutineItem("pigeon_pose"),
            RoutineItem("fully_extended_press_up"),
            RoutineItem("locust_pose"),
            RoutineItem("alternating_superman"),
            RoutineItem("donkey_kicks"),
            RoutineItem("hip_flexor_stretch_arm_raised"),
        ),
        frequency="every day until the sciatica eases",
        move_on="Keep going every day until the sciatic pain has clearly eased.",
        source=REVERSE_SCIATICA,
    ),
    Routine(
        id="sciatica_relief",
        title="Sciatica relief",
        purpose="Release the buttock and hip flexor muscles that keep sciatica going.",
        items=(
            RoutineItem("trigger_point_self_massage"),
            # Short on time, the plan swaps in the stretch's time_alternative itself (and
            # says so), unless a finding forbids it: no note offers it here.
            RoutineItem("supine_groin_stretch"),
        ),
        frequency="daily",
        move_on="Carry on while the buttock or hip flexor stays tight; ease off the massage if "
        "the leg goes numb.",
        source=TRIGGER_POINT,
        notes=(
            "The supine groin stretch comes from the document's \u201cSupine Groin Stretch\u201d "
            "section.",
        ),
    ),
    Routine(
        id="sciatica_strengthening",
        title="Strengthening for sciatica relief",
        purpose="Build hip and buttock strength so the pelvis and lower back are better supported.",
        items=_items(
            "band_bridge",
            "band_clam_shell",
            "band_hip_abduction_standing",
            "band_hip_extension_standing",
        ),
        frequency="daily, once pain allows",
        move_on="Start once the exercises no longer flare the leg pain, and keep it up.",
        source=STRENGTHENING,
        notes=("Needs a long elastic band and a resistance band loop (medium or advanced).",),
    ),
    Routine(
        id="stretching",
        title="21-day stretching routine",
        purpose="Lengthen the thigh, hip, hamstring and back muscles that pull the pelvis and "
        "lower back out of line.",
        items=(
            RoutineItem("couch_quad_stretch"),
            RoutineItem("kneeling_hip_flexor_stretch"),
            RoutineItem("hip_flexor_stretch_arm_raised"),
            RoutineItem("butterfly_stretch"),
            RoutineItem("sideways_lunge_adductor_stretch"),
            # 4a and 4b are one slot: the strap version (4b), or 4a, its alternative,
            # when there is no strap (the plan builder swaps it in).
            RoutineItem("hamstring_strap_stretch"),
            RoutineItem("piriformis_stretch_lying"),
            RoutineItem("seated_glute_stretch"),
            RoutineItem("spinal_rotation_twist"),
            RoutineItem("cat_cow"),
            RoutineItem("fully_extended_press_up"),
            RoutineItem("ql_stretch"),
        ),
        frequency="every day for 21 days",
        move_on="After 21 days of daily stretching, keep the stretches that helped as a habit.",
        source=STRETCHING,
        notes=(
            "Use a mat, rug or carpet, not a bed.",
            "The two hamstring stretches are alternatives: the strap version when you have a "
            "strap, the lying one otherwise.",
        ),
    ),
    Routine(
        id="core",
        title="21-day core routine",
        purpose="Strengthen the abdominal, back and buttock muscles that support the spine.",
        items=_items(
            "abdominal_draw_in",
            "draw_in_knee_to_chest",
            "draw_in_double_knee_to_chest",
            "plank",
            "side_plank",
            "adductor_assisted_back_extension",
            "alternating_superman",
            "bird_dog",
            "active_bridge_pillow_squeeze",
            "single_leg_bridge",
            "knees_to_chest",
        ),
        frequency="every day for 21 days",
        move_on="Build up over the 21 days toward the full doses.",
        source=CORE,
        notes=("Start gently and build up; finish with the knees to chest stretch.",),
    ),
    Routine(
        id="foam_rolling",
        # Not "Foam rolling": without a roller the moves become the tennis ball release.
        title="Muscle release after a workout",
        purpose="Ease knots and muscle soreness after exercise.",
        items=_items(
            "foam_roll_low_back",
            "foam_roll_glutes",
            "foam_roll_hamstrings",
            "foam_roll_quads_hip_flexors",
            "foam_roll_length_of_back",
            "foam_roll_spinal_release",
        ),
        frequency="after a workout",
        move_on="Keep it as a recovery habit after workouts.",
        source=FOAM_ROLLING,
        notes=(
            "On a tender spot, stay on it 20-90 seconds until it lets go, breathing and relaxed.",
            "No foam roller, or too big for the knots in your back: use a tennis ball instead.",
        ),
    ),
    Routine(
        id="knee_mckenzie",
        title="McKenzie exercises for knee pain",
        purpose="Regain pain-free knee movement by moving the knee often.",
        items=_items(
            "active_knee_extension_sitting",
            "knee_extension_sitting",
            "knee_extension_standing",
            "knee_flexion_sitting",
            "knee_quad_stretch_standing",
            "knee_flexion_kneeling",
            "knee_flexion_kneeling_hands_free",
            "chair_squat",
            "single_leg_squat",
        ),
        frequency="10 times every two hours through the day, until bedtime",
        move_on="Keep going until the knee moves fully without pain.",
        source=KNEE,
        notes=("Work the painful knee.", "Keep moving rather than resting the knee."),
    ),
)
