"""An exercise card never says two different doses: its steps agree with the dose beside them.

A card shows a dose ("hold 2 seconds, 6 times") and numbered steps. A step that
states its own count, hold, set count or duration ("... Do 10.") contradicts the
card whenever that number differs from the dose shown, and the program narrows
every range week by week (6, then 8, then 10), so a number written into a step is
only right if the dose never moves. Steps carry the dose through placeholders
(``{reps}``, ``{hold}``...) instead; these tests find every number a step states
in words and check it against every dose the card can show.

The catalog test reads the raw steps against every base dose (the exercise's own
and each routine's); the property test reads the steps people are actually shown,
for any answers, on every day of the program and in the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

import painpath
from painpath import testing
from painpath.catalog import EXERCISES, ROUTINES, Dose, Exercise, dose_of

_WORDS = {
    "once": 1,
    "one": 1,
    "twice": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
}
_NUMBER = r"(\d+(?:\.\d+)?|" + "|".join(w for w in _WORDS if w not in ("once", "twice")) + ")"
_RANGE = _NUMBER + r"(?:\s*(?:to|-|\u2013)\s*" + _NUMBER + r")?"

#: What a phrase states, in the order the phrases are looked for: a phrase found is
#: blanked out so that a shorter pattern does not read it again ("do that 3 times" is
#: a set count, not a rep count).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("times_per_day", re.compile(_RANGE + r"\s+times\s+a\s+day\b")),
    ("reps_more", re.compile(r"\b(once|twice)\s+more\b")),
    ("times_per_day", re.compile(r"\b(once|twice)\s+a\s+day\b")),
    (
        "sets",
        re.compile(r"\bdo\s+(?:this|that|it\s+all)\s+(?:" + _RANGE + r"\s+times|(once|twice))\b"),
    ),
    ("sets", re.compile(_RANGE + r"\s+sets?\b")),
    ("hold_seconds", re.compile(_RANGE + r"[\s-]+seconds?\b")),
    ("duration_minutes", re.compile(_RANGE + r"[\s-]+minutes?\b")),
    ("breaths", re.compile(_RANGE + r"\s+(?:slow\s+|deep\s+)?breaths?\b")),
    ("reps", re.compile(_RANGE + r"\s+(?:times|reps|repetitions)\b")),
    ("reps", re.compile(r"\b(?:do|repeat)(?:\s+it)?:?\s+" + _RANGE + r"\b")),
    ("reps", re.compile(r"\b(?:do|repeat)\s+(?:it\s+)?(once|twice)\b")),
)


@dataclass(frozen=True)
class Claim:
    """A dose a step states in words: which dose field, and its range."""

    field: str
    low: float
    high: float
    text: str


def _value(word: str) -> float:
    return _WORDS[word] if word in _WORDS else float(word)


def claims(step: str) -> Iterator[Claim]:
    """Yield every count, hold, set count or duration ``step`` states in words."""
    text = step.lower()
    for field, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            numbers = [_value(g) for g in match.groups() if g is not None]
            if not numbers:
                continue
            low, high = numbers[0], numbers[-1]
            if field == "reps_more":
                # "then do it once more": one more than the first time.
                field, low, high = "reps", low + 1, high + 1
            yield Claim(field, low, high, match.group(0))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)


def _shown(dose: Dose, field: str) -> tuple[float, float] | None:
    if field == "sets":
        return (dose.sets or 1, dose.sets or 1)
    value: tuple[float, float] | None = getattr(dose, field)
    return value


#: A step may state a number for a *different part* of the exercise than the dose
#: counts, where the document gives that part its own number. Each one is listed here
#: with the document's words, so a new one is a reviewed decision, never a slip.
OTHER_PARTS: dict[tuple[str, str], str] = {
    ("hamstring_strap_stretch", "3 to 5 seconds"): (
        "4b, contract-relax: the heel pushes down 'for 3 to 5 seconds' and the thigh "
        "contracts 'for 3 to 5 seconds' between the 20-30 second holds of the stretch"
    ),
}


def contradictions(
    exercise: Exercise, dose: Dose, steps: tuple[str, ...], *, fixed: bool
) -> list[str]:
    """Say every step number of ``exercise`` that contradicts ``dose``.

    ``fixed``: the steps are the catalog's raw text, shown beside any week's
    narrowing of ``dose``; a number stated in words is then right only when the
    dose gives that field as one fixed value, equal to it.
    """
    found = []
    for number, step in enumerate(steps, 1):
        for claim in claims(step):
            if (exercise.id, claim.text) in OTHER_PARTS:
                continue
            shown = _shown(dose, claim.field)
            if shown is None:
                continue  # the card gives no such number: the step is the only one
            if fixed and shown[0] != shown[1]:
                found.append(
                    f"{exercise.id} step {number} says {claim.text!r}, but the dose's "
                    f"{claim.field} {shown} narrows week by week"
                )
            elif (claim.low, claim.high) != tuple(shown):
                found.append(
                    f"{exercise.id} step {number} says {claim.text!r}, but the dose shows "
                    f"{claim.field} {shown} ({dose.describe()})"
                )
    return found


def _base_doses() -> Iterator[tuple[Exercise, Dose, str]]:
    for exercise in EXERCISES.values():
        yield exercise, exercise.dose, "its own dose"
    for routine in ROUTINES.values():
        for item in routine.items:
            if item.dose is not None:
                yield EXERCISES[item.exercise_id], dose_of(item), f"routine {routine.id}"


class TestTheClaimReader:
    """The reader finds the numbers people read as a dose (so the checks below mean something)."""

    def test_reads_counts_holds_sets_and_durations(self):
        """Each way a step can state a dose is read as that dose."""
        found = [
            (c.field, c.low, c.high)
            for step in (
                "Hold 2 seconds and return. Do 10.",
                "Stay for 5 to 10 breaths, then rest 2 minutes.",
                "Repeat 15 times, and do that 3 times.",
                "Hold it, rest, then do it once more.",
                "Do this twice.",
            )
            for c in claims(step)
        ]
        assert sorted(found) == sorted(
            [
                ("hold_seconds", 2, 2),
                ("reps", 10, 10),
                ("breaths", 5, 10),
                ("duration_minutes", 2, 2),
                ("sets", 3, 3),
                ("reps", 15, 15),
                ("reps", 2, 2),
                ("sets", 2, 2),
            ]
        )

    def test_distances_and_angles_are_not_doses(self):
        """Inches, degrees and body parts are not read as doses."""
        step = "Bend your knees to about 45 degrees and lift the top knee 8 to 12 inches."
        assert list(claims(step)) == []

    def test_the_reported_card_is_caught(self):
        """The defect review found: "6 times" on the card, "Do 10" in a step."""
        kneeling = EXERCISES["knee_flexion_kneeling"]
        step = "Then do it without your hands: hold 2 seconds and return. Do 10."
        dose = Dose(hold_seconds=(2, 2), reps=(6, 6))
        assert contradictions(kneeling, dose, (step,), fixed=False) == [
            "knee_flexion_kneeling step 1 says 'do 10', but the dose shows reps (6, 6) "
            "(hold 2 seconds, 6 times)"
        ]
        assert contradictions(kneeling, Dose(reps=(6, 10)), (step,), fixed=True)


class TestCatalog:
    def test_no_step_states_a_dose_the_card_does_not_show(self):
        """Over the whole catalog, in every week: a number a step states in words is
        the card's own, fixed dose; anything that moves comes from a placeholder."""
        found = [
            f"{problem} [{where}]"
            for exercise, dose, where in _base_doses()
            for problem in contradictions(exercise, dose, exercise.steps, fixed=True)
        ]
        assert found == []

    def test_other_parts_are_still_in_the_steps(self):
        """Every reviewed other-part number is still there (the list holds no stale entry)."""
        for (exercise_id, text), _why in OTHER_PARTS.items():
            steps = " ".join(EXERCISES[exercise_id].steps).lower()
            assert text in steps, (exercise_id, text)

    def test_every_placeholder_has_its_dose(self):
        """A step's dose placeholder always has a number to show, so no step reads "Hold ."."""
        need = {
            "{hold}": "hold_seconds",
            "{reps}": "reps",
            "{minutes}": "duration_minutes",
            "{breaths}": "breaths",
        }
        found = [
            f"{exercise.id} ({where}) uses {mark} without {field}"
            for exercise, dose, where in _base_doses()
            for mark, field in need.items()
            if any(mark in step for step in exercise.steps) and getattr(dose, field) is None
        ]
        assert found == []

    def test_kneeling_knee_flexion_has_the_documents_two_doses(self):
        """Exercise 6 of the knee section: hands down 6 to 10 times, then hands free 10 times,
        each holding 2 seconds; one card each, so each card shows its own dose."""
        first = EXERCISES["knee_flexion_kneeling"]
        second = EXERCISES["knee_flexion_kneeling_hands_free"]
        assert first.dose == Dose(hold_seconds=(2, 2), reps=(6, 10))
        assert second.dose == Dose(hold_seconds=(2, 2), reps=(10, 10))
        items = [i.exercise_id for i in ROUTINES["knee_mckenzie"].items]
        assert items.index(second.id) == items.index(first.id) + 1


shown_answers = testing.answers() | testing.full_answers()
"""Any valid answers: the cards people are shown come from their plan and program."""


@st.composite
def _with_everything(draw: st.DrawFn) -> dict[str, object]:
    answers = draw(shown_answers)
    if draw(st.booleans()):
        answers["equipment"] = list(painpath.catalog.EQUIPMENT)
    return answers


class TestWhatPeopleAreShown:
    @settings(max_examples=60, deadline=None)
    @given(_with_everything())
    def test_every_card_shown_agrees_with_its_dose(self, answers):
        """On every day of the program and in the plan, no step of a card states a dose
        other than the one printed beside it (the week's narrowed dose)."""
        result = painpath.triage(answers)
        found = [
            problem
            for phase in result.plan
            for entry in phase.exercises
            for problem in contradictions(
                EXERCISES[entry.exercise_id], entry.dose, entry.steps, fixed=False
            )
        ]
        found += [
            f"day {day.day}: {problem}"
            for day in result.program
            for session in day.sessions
            for ex in session.exercises
            for problem in contradictions(EXERCISES[ex.exercise_id], ex.dose, ex.steps, fixed=False)
        ]
        assert found == []

    def test_the_knee_program_shows_each_kneeling_part_with_its_own_dose(self):
        """Weeks 1-3 of a knee program: hands down 6, 8, 10 times; hands free 10 each week."""
        program = painpath.triage({"area": "knee", "knee_injury": "none"}).program

        def reps(day: int, exercise_id: str) -> tuple[int, int] | None:
            for session in program[day].sessions:
                for ex in session.exercises:
                    if ex.exercise_id == exercise_id:
                        return ex.dose.reps
            raise AssertionError(f"{exercise_id} not on day {day + 1}")

        assert [reps(d, "knee_flexion_kneeling") for d in (0, 7, 14)] == [(6, 6), (8, 8), (10, 10)]
        assert [reps(d, "knee_flexion_kneeling_hands_free") for d in (0, 7, 14)] == [(10, 10)] * 3
