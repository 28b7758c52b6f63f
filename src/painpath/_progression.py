"""The ``program`` outcome of a rule: how the 21-day program builds up.

A rule in ``rules/`` may carry a ``program`` table. Every key is optional:

- ``weeks``: the dose of each week, ``["low", "middle", "high"]``: the low end of
  every range in week 1, the middle in week 2, the full dose in week 3;
- ``week_one_one_set``: week 1 does one set where the document gives several;
- ``week_one_stage_two_max``: the most exercises a week-1 session of stage 2 has;
- ``lock_stage_two``: with a stage 1, stage 2 waits; the words say when it starts;
- ``hold_week_one``: doses stay at week 1 until the named event (one of
  :data:`HOLD_LIFTS`), with ``reason`` saying why in the person's words;
- ``from_week`` with ``exercises``: those exercises join only from that week,
  with ``reason``;
- ``week_doses``: a dose of one exercise in one week, where the document gives
  one, ``[{ exercise, week, hold_seconds | reps | duration_minutes = [low, high] }]``.

:func:`parse_program` checks a table and reports every problem, like the rest of
the loader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._exceptions import RuleProblem

__all__ = ["HOLD_LIFTS", "WEEK_POINTS", "ProgramOutcome", "WeekDose", "parse_program"]

#: What lifts a week-1 hold: a check-in saying a doctor has cleared the exercises,
#: or a check-in with pain below 7.
HOLD_LIFTS: tuple[str, ...] = ("doctor_cleared", "pain_below_7")
#: Where in a dose range a week sits.
WEEK_POINTS: tuple[str, ...] = ("low", "middle", "high")
_DOSE_FIELDS = ("hold_seconds", "reps", "duration_minutes")
_KEYS = {
    "weeks",
    "week_one_one_set",
    "week_one_stage_two_max",
    "lock_stage_two",
    "hold_week_one",
    "from_week",
    "exercises",
    "reason",
    "week_doses",
}


@dataclass(frozen=True)
class WeekDose:
    """One exercise's dose field in one week, as the document gives it."""

    exercise: str
    week: int
    field: str
    value: tuple[float, float]


@dataclass(frozen=True)
class ProgramOutcome:
    """What one rule says about the build-up of the program."""

    weeks: tuple[str, ...] = ()
    week_one_one_set: bool = False
    week_one_stage_two_max: int | None = None
    lock_stage_two: str | None = None
    hold_week_one: str | None = None
    from_week: int | None = None
    exercises: tuple[str, ...] = ()
    reason: str | None = None
    week_doses: tuple[WeekDose, ...] = ()


def parse_program(
    value: object, exercises: Mapping[str, Any], file: str, rid: str, problems: list[RuleProblem]
) -> ProgramOutcome | None:
    """Check one rule's ``program`` table; add every problem to ``problems``."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(RuleProblem(file, rid, "'program' must be a table"))
        return None
    before = len(problems)

    def bad(message: str) -> None:
        problems.append(RuleProblem(file, rid, f"program: {message}"))

    for key in sorted(set(value) - _KEYS):
        bad(f"unknown key {key!r} (allowed: {', '.join(sorted(_KEYS))})")
    weeks = value.get("weeks", [])
    if not isinstance(weeks, list) or len(weeks) not in (0, 3) or set(weeks) - set(WEEK_POINTS):
        bad(f"'weeks' is three of {', '.join(WEEK_POINTS)} (got {weeks!r})")
        weeks = []
    elif [WEEK_POINTS.index(w) for w in weeks] != sorted(WEEK_POINTS.index(w) for w in weeks):
        bad(f"'weeks' must never go down from one week to the next (got {weeks!r})")
    one_set = value.get("week_one_one_set", False)
    if not isinstance(one_set, bool):
        bad("'week_one_one_set' must be true or false")
    most = value.get("week_one_stage_two_max")
    if most is not None and (isinstance(most, bool) or not isinstance(most, int) or most < 1):
        bad(f"'week_one_stage_two_max' must be a whole number >= 1 (got {most!r})")
    texts = {}
    for key in ("lock_stage_two", "reason"):
        text = value.get(key)
        if text is not None and (not isinstance(text, str) or not text.strip()):
            bad(f"'{key}' must be a non-empty string")
        texts[key] = " ".join(text.split()) if isinstance(text, str) else None
    hold = value.get("hold_week_one")
    if hold is not None and hold not in HOLD_LIFTS:
        bad(f"'hold_week_one' must be one of {', '.join(HOLD_LIFTS)} (got {hold!r})")
    from_week = value.get("from_week")
    if from_week is not None and from_week not in (2, 3):
        bad(f"'from_week' must be 2 or 3 (got {from_week!r})")
    ids = value.get("exercises", [])
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        bad(f"'exercises' must be a list of exercise ids (got {ids!r})")
        ids = []
    for i in ids:
        if i not in exercises:
            bad(f"unknown exercise {i!r}")
    if (from_week is None) != (not ids):
        bad("'from_week' and 'exercises' go together")
    if (hold is not None or from_week is not None) and texts["reason"] is None:
        bad("'hold_week_one' and 'from_week' need a 'reason' in the person's words")
    week_doses = _week_doses(value.get("week_doses", []), exercises, bad)
    if len(problems) > before:
        return None
    return ProgramOutcome(
        weeks=tuple(weeks),
        week_one_one_set=one_set,
        week_one_stage_two_max=most,
        lock_stage_two=texts["lock_stage_two"],
        hold_week_one=hold,
        from_week=from_week,
        exercises=tuple(ids),
        reason=texts["reason"],
        week_doses=week_doses,
    )


def _week_doses(value: object, exercises: Mapping[str, Any], bad: Any) -> tuple[WeekDose, ...]:
    if not isinstance(value, list):
        bad("'week_doses' must be a list of { exercise, week, <dose field> = [low, high] }")
        return ()
    out = []
    for entry in value:
        fields = set(entry) - {"exercise", "week"} if isinstance(entry, dict) else set()
        if (
            not isinstance(entry, dict)
            or entry.get("exercise") not in exercises
            or entry.get("week") not in (1, 2, 3)
            or len(fields) != 1
            or not fields <= set(_DOSE_FIELDS)
        ):
            bad(f"a week dose is {{ exercise, week (1-3), one of {_DOSE_FIELDS} }} (got {entry!r})")
            continue
        (name,) = fields
        pair = entry[name]
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
            or not 0 < pair[0] <= pair[1]
        ):
            bad(f"{name} must be [low, high] with 0 < low <= high (got {pair!r})")
            continue
        out.append(WeekDose(entry["exercise"], entry["week"], name, (pair[0], pair[1])))
    return tuple(out)
