"""Titles, headings and notes never promise an exercise that is not in the person's plan.

A phase's title, how often, next step and notes, a session's title and when, a
locked stage's title and start, and every note on an exercise are read by the person
as a description of what they will do. When one of them names an exercise (by its
name or a common word for it: "press-ups", "plank", "groin stretch") that a rule left
out, or that the phase never had, it promises what the result does not hold: the
person looks for the press-ups the title names, or does the stretch the note offers
although their own finding forbids it.

"Instead of X" is not a promise: it is how the plan says that X was swapped out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import painpath
from painpath import testing
from painpath.catalog import EQUIPMENT, EXERCISES, ROUTINES

HERE = Path(__file__).parent
JOURNEYS = sorted((HERE / "journeys").glob("*.json"))
PROPERTY = settings(max_examples=150, deadline=None)

PRESS_UPS = frozenset({"press_up_on_elbows", "fully_extended_press_up"})

#: Words for exercises other than their catalog names. A word names every exercise it
#: may mean; a text using it is fine when any one of them is in the phase.
ALIASES: dict[str, frozenset[str]] = {
    "press-up": PRESS_UPS,
    "press up": PRESS_UPS,
    "face-down rest": frozenset({"prone_lying"}),
    "rest face down": frozenset({"prone_lying"}),
    "plank": frozenset({"plank", "side_plank"}),
    "groin stretch": frozenset({"supine_groin_stretch"}),
    "self-massage": frozenset({"trigger_point_self_massage"}),
    "squat": frozenset({"chair_squat", "single_leg_squat"}),
    "hip flexor stretch": frozenset(
        {"kneeling_hip_flexor_stretch", "hip_flexor_stretch_arm_raised"}
    ),
    "hamstring stretch": frozenset({"hamstring_stretch_lying", "hamstring_strap_stretch"}),
    "piriformis stretch": frozenset({"piriformis_stretch_lying", "seated_glute_stretch"}),
    "bridge": frozenset({"active_bridge_pillow_squeeze", "single_leg_bridge", "band_bridge"}),
    "superman": frozenset({"alternating_superman"}),
    "clam shell": frozenset({"band_clam_shell"}),
    "knee to chest": frozenset(
        {"knees_to_chest", "draw_in_knee_to_chest", "draw_in_double_knee_to_chest"}
    ),
    "knees to chest": frozenset(
        {"knees_to_chest", "draw_in_knee_to_chest", "draw_in_double_knee_to_chest"}
    ),
    "quad stretch": frozenset({"couch_quad_stretch"}),
    "quadriceps stretch": frozenset({"knee_quad_stretch_standing"}),
    "foam roll": frozenset(e for e in EXERCISES if e.startswith("foam_roll")),
}

_WORDS: dict[str, frozenset[str]] = {
    **{ex.name.lower(): frozenset({ex.id}) for ex in EXERCISES.values()},
    **ALIASES,
}
#: Longest first, so "knee flexion in kneeling, hands free" is read before its prefix.
_PATTERNS = [
    (re.compile(r"(?<![\w-])" + re.escape(w) + r"(?:s|es|ing)?(?![\w-])"), ids)
    for w, ids in sorted(_WORDS.items(), key=lambda item: -len(item[0]))
]
_INSTEAD = re.compile(
    r"instead of (?:the )?(?:"
    + "|".join(re.escape(ex.name.lower()) for ex in EXERCISES.values())
    + ")"
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS |= {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_COUNT = re.compile(r"\b(\d+|" + "|".join(_NUMBERS) + r")\s+(?:exercises|moves|stretches)\b")


def mentions(text: str) -> list[tuple[str, frozenset[str]]]:
    """Return each exercise word in ``text`` with the exercises it may mean."""
    low = _INSTEAD.sub(lambda m: " " * len(m.group(0)), text.lower())
    found = []
    for pattern, ids in _PATTERNS:
        for match in pattern.finditer(low):
            found.append((match.group(0), ids))
        low = pattern.sub(lambda m: " " * len(m.group(0)), low)
    return found


def broken_promises(where: str, texts: Iterable[str], present: Iterable[str]) -> Iterator[str]:
    """Say each text that names an exercise not in ``present``, or miscounts them."""
    have = frozenset(present)
    for text in texts:
        for word, ids in mentions(text):
            if not ids & have:
                yield f"{where}: {text!r} names {word!r}, not in it (it has {sorted(have)})"
        for match in _COUNT.finditer(text.lower()):
            said = match.group(1)
            number = _NUMBERS[said] if said in _NUMBERS else int(said)
            if number != len(have):
                yield f"{where}: {text!r} says {match.group(0)!r}, it has {len(have)}"


def promises(result: painpath.Result) -> list[str]:
    """Every text of ``result`` that names an exercise the person will not find there."""
    found: list[str] = []
    phases = {phase.routine_id: phase for phase in result.plan}
    for phase in result.plan:
        texts = [phase.title, phase.frequency, phase.move_on, *phase.notes]
        texts += [note for entry in phase.exercises for note in entry.notes]
        present = [entry.exercise_id for entry in phase.exercises]
        found += broken_promises(f"phase {phase.routine_id}", texts, present)
    for day in result.program:
        for session in day.sessions:
            texts = [session.title, session.when]
            texts += [note for ex in session.exercises for note in ex.notes]
            present = [ex.exercise_id for ex in session.exercises]
            present += [x.exercise_id for x in session.later]
            where = f"day {day.day} session {session.routine_id}"
            found += broken_promises(where, texts, present)
            if session.routine_id in phases:
                planned = {e.exercise_id for e in phases[session.routine_id].exercises}
                found += [
                    f"{where}: joining later {x.name!r}, not in the plan"
                    for x in session.later
                    if x.exercise_id not in planned
                ]
        for locked in day.locked:
            phase = phases.get(locked.routine_id)
            present = [e.exercise_id for e in phase.exercises] if phase else []
            where = f"day {day.day} locked {locked.routine_id}"
            found += broken_promises(where, [locked.title, locked.starts], present)
    return found


class TestTheReader:
    """The word reader finds exercise names and words (so the properties mean something)."""

    def test_every_alias_names_known_exercises(self):
        """The alias table names only exercises of the catalog."""
        assert {i for ids in ALIASES.values() for i in ids} <= set(EXERCISES)

    def test_the_reported_title_is_caught(self):
        """The title review found: press-ups named, press-ups left out."""
        old = "Face-down rest, then press-ups again"
        assert list(broken_promises("prone_rest", [old], ["prone_lying"])) == [
            "prone_rest: 'Face-down rest, then press-ups again' names 'press-ups', not in it "
            "(it has ['prone_lying'])"
        ]

    def test_longest_name_first_and_instead_of_is_no_promise(self):
        """A name's prefix is not read twice, and "instead of X" does not promise X."""
        text = "Knee flexion in kneeling, hands free. Instead of Couch potato quad stretch."
        assert mentions(text) == [
            (
                "knee flexion in kneeling, hands free",
                frozenset({"knee_flexion_kneeling_hands_free"}),
            )
        ]

    def test_a_count_in_a_title_is_checked(self):
        """ "Eight exercises" over six is a broken promise."""
        found = list(broken_promises("knee", ["Eight exercises for knee pain"], "abcdef"))
        assert found == ["knee: 'Eight exercises for knee pain' says 'eight exercises', it has 6"]


class TestCatalogTitles:
    def test_no_routine_title_names_an_exercise_it_does_not_have(self):
        """Every routine's title, frequency and move-on name only its own exercises."""
        found = [
            problem
            for routine in ROUTINES.values()
            for problem in broken_promises(
                routine.id,
                [routine.title, routine.frequency, routine.move_on],
                [i.exercise_id for i in routine.items],
            )
        ]
        found += [
            f"{routine.id}: note on {item.exercise_id} {item.note!r} names {word!r}"
            for routine in ROUTINES.values()
            for item in routine.items
            for word, ids in mentions(item.note or "")
            if item.exercise_id not in ids
        ]
        assert found == []


any_answers = testing.answers() | testing.full_answers()


@st.composite
def answers_with_kit(draw: st.DrawFn) -> dict[str, Any]:
    """Any answers; half the time with every piece of equipment (so no swap is needed)."""
    answers = draw(any_answers)
    if draw(st.booleans()):
        answers["equipment"] = list(EQUIPMENT)
    return answers


peripheralizing = (
    st.sampled_from(["back", "both"])
    .flatmap(
        lambda area: st.tuples(
            testing.answers(area) | testing.full_answers(area),
            st.fixed_dictionaries(
                {"press_up_response": st.just("peripheralized")},
                optional={"leg_pain": testing.values_for("leg_pain")},
            ),
        )
    )
    .map(lambda pair: {**pair[0], **pair[1]})
)
"""Back answers whose press-ups sent the pain down the leg."""


class TestEveryResult:
    @PROPERTY
    @given(answers_with_kit())
    def test_no_title_or_note_promises_a_missing_exercise(self, answers):
        """For any answers: no phase, session or locked-stage title, no how-often or next
        step, and no note names an exercise that is left out of, or absent from, that
        phase (or that day's session)."""
        assert promises(painpath.triage(answers)) == []

    @settings(max_examples=60, deadline=None)
    @given(peripheralizing)
    def test_peripheralizing_plans_name_no_press_up(self, answers):
        """When the press-ups send pain down the leg, they are left out, and so are their
        names: no title, heading or note of the plan or program mentions them."""
        result = painpath.triage(answers)
        assert promises(result) == []
        planned = {e.exercise_id for p in result.plan for e in p.exercises}
        assert not planned & PRESS_UPS

    @pytest.mark.parametrize("path", JOURNEYS, ids=[p.stem for p in JOURNEYS])
    def test_the_journeys_keep_their_promises(self, path):
        """The reviewed journeys, as they are."""
        answers = json.loads(path.read_text(encoding="utf-8"))
        assert promises(painpath.triage(answers)) == []

    def test_a_journal_that_turns_to_face_down_rest_names_no_press_up(self, tmp_path):
        """A check-in reporting that press-ups sent the pain down the leg turns stage 1 into
        face-down rest from the next day; its sessions name no press-up."""
        journal = painpath.Journal(path=tmp_path / "journal.db")
        try:
            start = {
                "area": "back",
                "leg_pain": "below_knee",
                "leg_pain_sides": "one",
                "cough_sneeze_worse": True,
            }
            journal.start(start, start_date="2026-11-01")
            outcome = journal.checkin(
                {"date": "2026-11-02", "pain_score": 5, "press_up_response": "peripheralized"}
            )
            later = [d for d in outcome.program if d.day >= 3]
            titles = {s.title for d in later for s in d.sessions if s.stage == "1"}
            assert titles == {"Face-down rest"}
            for day in later:
                for session in day.sessions:
                    texts = [session.title, session.when]
                    present = [e.exercise_id for e in session.exercises]
                    assert list(broken_promises(session.routine_id, texts, present)) == []
        finally:
            journal.close()


def session_promises(days: Iterable[Any], start: dict[str, Any]) -> list[str]:
    """Every session or locked-stage text of ``days`` naming an exercise not there.

    A locked stage is checked against its phase in the plan of ``start`` (the journal
    lays out its days from the triage of the starting answers; after face-down rest,
    of those answers with the press-ups sending pain down the leg).
    """
    found: list[str] = []
    plain = {p.routine_id: p for p in painpath.triage(start).plan}
    prone_start = {**start, "press_up_response": "peripheralized"}
    prone = {p.routine_id: p for p in painpath.triage(prone_start).plan}
    for day in days:
        resting = any(s.routine_id == "prone_rest" for s in day.sessions)
        phases = prone if resting else plain
        for session in day.sessions:
            texts = [session.title, session.when]
            texts += [note for ex in session.exercises for note in ex.notes]
            present = [ex.exercise_id for ex in session.exercises]
            present += [x.exercise_id for x in session.later]
            found += broken_promises(f"day {day.day} {session.routine_id}", texts, present)
        for locked in day.locked:
            phase = phases.get(locked.routine_id)
            present = [e.exercise_id for e in phase.exercises] if phase else []
            texts = [locked.title, locked.starts]
            found += broken_promises(f"day {day.day} locked {locked.routine_id}", texts, present)
    return found


calm_start = st.fixed_dictionaries(
    {
        "area": st.sampled_from(["back", "both", "knee"]),
        "leg_pain": testing.values_for("leg_pain"),
        "knee_injury": st.just("none"),
    },
    optional={
        key: testing.values_for(key)
        for key in ("press_up_response", "cough_sneeze_worse", "sitting_hurts", "equipment")
    },
)
"""Starting answers with a program: back, knee or both, with or without leg pain."""


_SIGNS = frozenset(
    {
        "bladder_or_bowel_change",
        "saddle_numbness",
        "sexual_dysfunction",
        "leg_weakness",
        "fever",
        "knee_hot_red",
        "calf_swelling",
        "knee_locking",
        "knee_giving_way",
    }
)
calm_checkins = st.lists(
    testing.checkins().map(lambda c: {k: v for k, v in c.items() if k not in _SIGNS}),
    min_size=1,
    max_size=5,
)
"""Check-ins without warning signs, so the program goes on (and changes)."""


class TestJournalPrograms:
    @settings(max_examples=25, deadline=None)
    @given(calm_start, calm_checkins)
    def test_check_ins_never_make_a_title_promise_a_missing_exercise(self, start, checkins):
        """Whatever the check-ins report, the program they leave behind keeps the promise:
        no session title, when or note names an exercise the session does not hold."""
        import datetime as dt
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            today = dt.date(2026, 3, 31)
            with painpath.Journal(Path(folder) / "j.db", clock=lambda: today) as journal:
                journal.start(start, start_date="2026-03-01")
                for n, answers in enumerate(checkins, 2):
                    outcome = journal.checkin({**answers, "date": f"2026-03-{n:02d}"})
                    assert session_promises(outcome.program, start) == []
