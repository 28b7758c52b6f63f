"""What every patient-facing form of a result shares: labels, sides and the 21 days at a glance.

Text, Markdown and the printable HTML handout say the same things in the same
words; this module words them once. It decides nothing clinical: it reads the
result (its level, program, stop rules and advice) and never shows a rule id.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._contract import KEYS
from ._result import Level, LockedStage, ProgramDay, ProgramExercise, Result
from ._warnings import UNSCREENED_PREFIX

__all__ = [
    "Glance",
    "advice_rest",
    "exercise_line",
    "glance",
    "locked_names",
    "sentence",
    "short_date",
    "show_unscreened",
    "side_text",
    "stage_label",
    "this_week",
    "unscreened_lines",
    "week_label",
]

_UNKNOWN_SIDE = "left (or painful)"


def stage_label(stage: str) -> str:
    """``"Stage 2a"``, ``"Stage 1"``, or ``"Knee"``."""
    return "Knee" if stage == "knee" else f"Stage {stage}"


def side_text(exercise: ProgramExercise, *, knee: bool = False) -> str:
    """Say the side, or ``""`` when the exercise has none: "start on your left side".

    An exercise done on one side only says which: "your left knee" (``knee``) or
    "your left side"; unknown sides are said as the steps say them.
    """
    side = exercise.first_side if exercise.dose.per_side else exercise.side
    if side is None:
        named = [s for s in exercise.steps if "(or painful)" in s or "(or non-dominant)" in s]
        if not named:
            return ""
        side = "left (or non-dominant)" if "(or non-dominant)" in named[0] else _UNKNOWN_SIDE
    if exercise.dose.per_side:
        return f"start on your {side} side"
    return f"your {side} knee" if knee else f"your {side} side"


def exercise_line(exercise: ProgramExercise, *, knee: bool = False) -> str:
    """One checklist line: name, dose and side."""
    parts = [exercise.name, exercise.dose_text]
    side = side_text(exercise, knee=knee)
    if side:
        parts.append(side)
    return " - ".join(parts)


def week_label(day: ProgramDay, last: ProgramDay | None = None) -> str:
    """``"Week 1 (days 1-7)"``, with dates when the program has them: "1 Dec to 7 Dec 2026"."""
    end = last or day
    text = f"Week {day.week} (days {day.day}-{end.day}"
    if day.date and end.date:
        text += f", {short_date(day.date)} to {short_date(end.date)} {end.date[:4]}"
    return text + ")"


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def short_date(iso: str) -> str:
    """``"2026-12-01"`` as ``"1 Dec"`` (English month names, whatever the locale)."""
    return f"{int(iso[8:10])} {_MONTHS[int(iso[5:7]) - 1]}"


def this_week(result: Result) -> tuple[ProgramDay, ProgramDay] | None:
    """Return the first and last day of week 1, or ``None`` without a program."""
    if not result.program:
        return None
    week = [d for d in result.program if d.week == 1]
    return week[0], week[-1]


def locked_names(result: Result, locked: LockedStage) -> tuple[str, ...]:
    """Name the exercises a stage not started yet will bring, in the plan's order."""
    for phase in result.plan:
        if phase.routine_id == locked.routine_id:
            return tuple(entry.name for entry in phase.exercises)
    return ()


@dataclass(frozen=True)
class Glance:
    """One row of "The 21 days at a glance": a week and what changes in it."""

    label: str
    sessions: tuple[str, ...]
    minutes: int
    changes: tuple[str, ...]


def glance(result: Result) -> tuple[Glance, ...]:
    """Summarise the program week by week: sessions, minutes, and what changes."""
    rows: list[Glance] = []
    before: set[str] = set()
    for week in (1, 2, 3):
        days = [d for d in result.program if d.week == week]
        if not days:
            continue
        first = days[0]
        sessions = _summary(first)
        now = {e.exercise_id for s in first.sessions for e in s.exercises}
        changes: list[str] = []
        points = {s.dose_week for s in first.sessions}
        words = {1: "low end of each dose, one set", 2: "middle doses", 3: "full doses"}
        changes.append("; ".join(words[p] for p in sorted(points)).capitalize())
        joined = [
            e.name
            for s in first.sessions
            for e in s.exercises
            if week > 1 and e.exercise_id not in before
        ]
        if joined:
            changes.append(f"{len(joined)} join: {', '.join(joined)}")
        changes += [h[0].upper() + h[1:] for h in first.holds]
        before = now
        rows.append(Glance(week_label(first, days[-1]), sessions, first.minutes, tuple(changes)))
    return tuple(rows)


def _summary(day: ProgramDay) -> tuple[str, ...]:
    """Each stage of the day with its number of exercises, then the locked stages."""
    counts: dict[str, int] = {}
    for session in day.sessions:
        counts[session.stage] = counts.get(session.stage, 0) + len(session.exercises)
    out = [
        f"{stage_label(stage)}: {n} exercise{'s' if n > 1 else ''}" for stage, n in counts.items()
    ]
    waiting: dict[str, list[str]] = {}
    for locked in day.locked:
        waiting.setdefault(locked.starts, []).append(locked.stage)
    out += [
        f"{_stages(stages)} {'start' if len(stages) > 1 else 'starts'} {starts}"
        for starts, stages in waiting.items()
    ]
    return tuple(out)


def _stages(stages: list[str]) -> str:
    """``"Stage 2"``, ``"Stages 2a and 2b"``, ``"Stages 2a, 2b and 2c"``."""
    if len(stages) == 1:
        return stage_label(stages[0])
    plain = all(s != "knee" for s in stages)
    words = [s if plain else stage_label(s) for s in stages]
    return ("Stages " if plain else "") + ", ".join(words[:-1]) + " and " + words[-1]


def advice_rest(result: Result) -> tuple[str, ...]:
    """Return the advice not shown elsewhere (before-plan and not-asked lines are)."""
    shown = set(result.first_advice)
    return tuple(
        line
        for line in result.advice
        if line not in shown and not line.startswith(UNSCREENED_PREFIX)
    )


def unscreened_lines(result: Result) -> tuple[str, ...]:
    """Return the not-asked warnings (a result built without them: the signs themselves)."""
    if result.unscreened_advice:
        return result.unscreened_advice
    return tuple(
        (KEYS[k].meaning[0].upper() + KEYS[k].meaning[1:] + ".") if k in KEYS else k
        for k in result.unscreened
    )


def show_unscreened(result: Result) -> bool:
    """Show the not-asked warning, except at emergency, where it would only delay."""
    shown = result.unscreened_advice or result.unscreened
    return bool(shown) and result.level is not Level.EMERGENCY


def sentence(text: str) -> str:
    """Return ``text`` as a sentence: capital first letter, a full stop if it has none."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?:" else text + "."
