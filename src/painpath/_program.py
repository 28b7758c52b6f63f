"""The 21-day program: the plan laid out day by day, building up week by week.

The plan (:mod:`painpath._plan`) says *what* is done; the rules' ``program``
outcomes (:mod:`painpath._progression`, ``rules/65_program.toml``) say *when and how
much*. This module only lays them out: stages side by side (stage 1, the parts of
stage 2, the knee), each at the dose of its own week, the sides filled in, every
day within the time available.

:func:`build_program` is the entry point for a result; the journal calls it again
with a :class:`ProgramState` that carries what the check-ins reported.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ._catalog_types import Dose, Exercise
from ._progression import ProgramOutcome
from ._result import (
    Later,
    LeftOut,
    Level,
    LockedStage,
    Phase,
    ProgramDay,
    ProgramExercise,
    Result,
    Session,
)
from ._rules import Rule, RuleSet, default_rules
from ._steps import Sides, fill, first_side
from .catalog import EXERCISES, ROUTINES

__all__ = ["DAYS", "ProgramState", "build_program", "compose_program"]

#: How many days the program has.
DAYS = 21
_WEEK = 7
_ORDINAL = {2: "week 2", 3: "week 3"}
_CHECKIN_HOLD = (
    "your doses stay at week 1 until a doctor has seen you and said the exercises are fine"
)


@dataclass(frozen=True)
class ProgramState:
    """What check-ins have reported, as the program needs it (all optional).

    - ``stage_two_from``: the first day of stage 2 (the day after a check-in
      reported ``centralized``); ``None`` keeps stage 2 locked on every day.
    - ``lifted``: for each hold (``"doctor_cleared"``, ``"pain_below_7"``), the first
      day it no longer holds (the day after the check-in that lifted it).
    - ``setbacks``: days from which the dose drops back one week (each one counts:
      the day after a ``worse_next_morning`` check-in, or after three days missed).

    Without a state (no check-ins), stage 2 stays locked where there is a stage 1
    and every hold lasts all 21 days.
    """

    stage_two_from: int | None = None
    lifted: Mapping[str, int] = field(default_factory=dict)
    setbacks: tuple[int, ...] = ()
    #: Spans of days a check-in's see-a-doctor outcome holds at week-1 doses:
    #: (first day, first day no longer held, or None while it holds).
    held: tuple[tuple[int, int | None], ...] = ()

    def key(self) -> tuple[Any, ...]:
        """Return a hashable form, for caching."""
        return (
            self.stage_two_from,
            tuple(sorted(self.lifted.items())),
            tuple(self.setbacks),
            self.held,
        )

    def holding(self, day: int) -> bool:
        """Whether a check-in's hold keeps ``day`` at week-1 doses."""
        return any(a <= day and (b is None or day < b) for a, b in self.held)


def build_program(
    result: Result,
    answers: Any = None,
    *,
    start_date: str | dt.date | None = None,
    state: ProgramState | None = None,
    rules: RuleSet | None = None,
) -> tuple[ProgramDay, ...]:
    """Lay out ``result``'s plan as 21 days, with check-in ``state`` taken into account.

    ``answers`` (a mapping or :class:`painpath.Answers`, as given to ``triage``) gives
    the sides (``dominant_side``, ``painful_side``), ``minutes_per_day`` and
    ``start_date``; ``start_date`` here overrides the answer. ``rules`` must be the
    rule set the result came from (the shipped rules by default). Emergency and
    urgent results have no program: the empty tuple.
    """
    if result.level >= Level.URGENT or not result.plan:
        return ()
    rules = default_rules() if rules is None else rules
    fired = [rules.by_id[r.rule_id] for r in result.reasons if r.rule_id in rules.by_id]

    def get(key: str) -> Any:
        if isinstance(answers, Mapping):
            return answers.get(key)
        return getattr(answers, key, None)

    sides = Sides.of(get("dominant_side"), get("painful_side"))
    start = start_date if start_date is not None else get("start_date")
    return compose_program(
        result.plan,
        fired,
        sides=sides,
        minutes_per_day=get("minutes_per_day"),
        start_date=start,
        state=state,
    )


def compose_program(
    phases: Sequence[Phase],
    fired: Sequence[Rule],
    *,
    sides: Sides,
    minutes_per_day: int | None,
    start_date: str | dt.date | None,
    state: ProgramState | None = None,
) -> tuple[ProgramDay, ...]:
    """Lay out ``phases`` as 21 days, following the ``program`` outcomes of ``fired``."""
    if not phases:
        return ()
    state = state or ProgramState()
    how = _How.of([r.program for r in fired if r.program is not None])
    first = _start(start_date)
    has_stage_one = any(p.stage == "1" for p in phases)
    starts = {
        p.routine_id: (state.stage_two_from if has_stage_one and how.lock else 1)
        if p.stage.startswith("2")
        else 1
        for p in phases
    }
    budget = None if minutes_per_day is None else minutes_per_day * 60
    keep = how.keep(fired)
    cache: dict[tuple[str, int, bool], tuple[Session, ...]] = {}
    # Days whose stages stand at the same weeks have the same content: built once.
    contents: dict[tuple[Any, ...], tuple[tuple[Session, ...], tuple[LeftOut, ...], int]] = {}
    days = []
    for day in range(1, DAYS + 1):
        parts: list[tuple[Phase, int, bool]] = []
        locked: list[LockedStage] = []
        for phase in phases:
            begin = starts[phase.routine_id]
            if begin is None or begin > day:
                locked.append(
                    LockedStage(phase.stage, phase.routine_id, phase.title, _starts(how, begin))
                )
                continue
            week = how.dose_week(day, begin, state)
            parts.append((phase, week, phase.stage.startswith("2") and week == 1))
        key = tuple((phase.routine_id, week, capped) for phase, week, capped in parts)
        if key not in contents:
            done: set[str] = set()
            sessions: list[Session] = []
            for phase, week, capped in parts:
                routine_key = (phase.routine_id, week, capped)
                if routine_key not in cache:
                    cache[routine_key] = _sessions(
                        phase, week, how, sides, phases if capped else None
                    )
                for session in cache[routine_key]:
                    fresh = tuple(e for e in session.exercises if e.exercise_id not in done)
                    done.update(e.exercise_id for e in fresh)
                    if fresh:
                        if len(fresh) != len(session.exercises):
                            session = replace(session, exercises=fresh, minutes=_minutes(fresh))
                        sessions.append(session)
            left: list[LeftOut] = []
            if budget is not None:
                sessions = _fit(sessions, budget, keep, left)
            seconds = sum(_seconds(s.exercises) for s in sessions)
            contents[key] = (tuple(sessions), tuple(left), math.ceil(seconds / 60))
        sessions_of_day, left_of_day, minutes = contents[key]
        days.append(
            ProgramDay(
                day=day,
                date=None if first is None else (first + dt.timedelta(days=day - 1)).isoformat(),
                week=(day - 1) // _WEEK + 1,
                sessions=sessions_of_day,
                locked=tuple(locked),
                minutes=minutes,
                holds=how.holding(day, state),
                left_out=left_of_day,
            )
        )
    return tuple(days)


@dataclass(frozen=True)
class _How:
    """The program outcomes of the rules that fired, merged."""

    weeks: tuple[str, ...]
    one_set: bool
    most: int | None
    lock: str | None
    holds: tuple[tuple[str, str], ...]
    later: Mapping[str, tuple[int, str]]
    week_doses: Mapping[tuple[str, int], tuple[tuple[str, tuple[float, float]], ...]]

    @classmethod
    def of(cls, outcomes: Sequence[ProgramOutcome]) -> _How:
        later: dict[str, tuple[int, str]] = {}
        doses: dict[tuple[str, int], list[tuple[str, tuple[float, float]]]] = {}
        for o in outcomes:
            for ex in o.exercises:
                known = later.get(ex)
                if o.from_week is not None and (known is None or known[0] < o.from_week):
                    later[ex] = (o.from_week, o.reason or "")
            for wd in o.week_doses:
                doses.setdefault((wd.exercise, wd.week), []).append((wd.field, wd.value))
        return cls(
            weeks=next((o.weeks for o in outcomes if o.weeks), ("high", "high", "high")),
            one_set=any(o.week_one_one_set for o in outcomes),
            most=min(
                (o.week_one_stage_two_max for o in outcomes if o.week_one_stage_two_max),
                default=None,
            ),
            lock=next((o.lock_stage_two for o in outcomes if o.lock_stage_two), None),
            holds=tuple(
                dict.fromkeys(
                    (o.hold_week_one, o.reason or "") for o in outcomes if o.hold_week_one
                )
            ),
            later=later,
            week_doses={k: tuple(v) for k, v in doses.items()},
        )

    def dose_week(self, day: int, begin: int, state: ProgramState) -> int:
        """Return the dose week, on ``day``, of a stage begun on ``begin``.

        Week 1 lasts 7 days from the stage's start, and longer while a hold holds;
        each setback up to ``day`` takes the dose one week back (never below week 1).
        """
        lifts = [state.lifted.get(name) for name, _ in self.holds]
        if any(lift is None or lift > day for lift in lifts) or state.holding(day):
            return 1
        end = max([begin + _WEEK - 1, *[lift - 1 for lift in lifts if lift is not None]])
        week = 1 if day <= end else min(3, 2 + (day - end - 1) // _WEEK)
        back = sum(1 for s in state.setbacks if s <= day)
        return max(1, week - back)

    def holding(self, day: int, state: ProgramState) -> tuple[str, ...]:
        """Return the holds in force on ``day``, in the person's words."""
        reasons = [r for name, r in self.holds if state.lifted.get(name, day + 1) > day]
        if state.holding(day):
            reasons.append(_CHECKIN_HOLD)
        return tuple(dict.fromkeys(reasons))

    def keep(self, fired: Sequence[Rule]) -> frozenset[str]:
        return frozenset(ex for r in fired for ex in r.keep)


def _start(start_date: str | dt.date | None) -> dt.date | None:
    if start_date is None or isinstance(start_date, dt.date):
        return start_date
    try:
        return dt.date.fromisoformat(start_date)
    except (TypeError, ValueError):
        raise ValueError(
            f"'start_date' must be an ISO date YYYY-MM-DD (got {start_date!r})"
        ) from None


def _starts(how: _How, begin: int | None) -> str:
    if begin is not None:
        return f"day {begin}"
    return how.lock or "once the stage before it has calmed the pain"


def _base_dose(routine_id: str, exercise_id: str) -> Dose:
    """Return the dose the document gives an exercise in this routine (never lowered)."""
    for item in ROUTINES[routine_id].items:
        if item.exercise_id == exercise_id and item.dose is not None:
            return item.dose
    return EXERCISES[exercise_id].dose


def week_dose(dose: Dose, week: int, how: _How, exercise_id: str) -> Dose:
    """Narrow every range of ``dose`` to its value in ``week``."""
    point = how.weeks[week - 1]

    def pick(pair: tuple[float, float] | None, whole: bool, step: float) -> Any:
        if pair is None:
            return None
        low, high = pair
        if point == "low":
            value = low
        elif point == "high":
            value = high
        else:
            value = max(low, min(high, math.floor((low + high) / 2 / step + 0.5) * step))
        value = int(value) if whole or float(value).is_integer() else value
        return (value, value)

    hold = dose.hold_seconds
    sets = dose.sets
    if sets and sets > 1:
        sets = {1: 1 if how.one_set else sets, 2: math.ceil((1 + sets) / 2), 3: sets}[week]
        if point == "high" and week < 3 and not how.one_set:
            sets = dose.sets
    narrowed = replace(
        dose,
        hold_seconds=pick(hold, True, 5 if hold and hold[0] >= 10 else 1),
        reps=pick(dose.reps, True, 1),
        breaths=pick(dose.breaths, True, 1),
        duration_minutes=pick(dose.duration_minutes, False, 0.5),
        sets=sets,
    )
    for name, value in how.week_doses.get((exercise_id, week), ()):
        narrowed = replace(narrowed, **{name: value})  # type: ignore[arg-type]
    return narrowed


def _sessions(
    phase: Phase, week: int, how: _How, sides: Sides, capped_among: Sequence[Phase] | None
) -> tuple[Session, ...]:
    """Build the sessions of one routine at one dose week (capped: week 1 of stage 2)."""
    routine = ROUTINES[phase.routine_id]
    allowed = _week_one_pick(capped_among, how) if capped_among is not None else None
    main: list[ProgramExercise] = []
    later: list[Later] = []
    own: list[tuple[Exercise, ProgramExercise]] = []
    for entry in phase.exercises:
        ex = EXERCISES[entry.exercise_id]
        joins = how.later.get(ex.id)
        if joins is not None and week < joins[0]:
            later.append(Later(ex.id, ex.name, f"{_ORDINAL[joins[0]]}: {joins[1]}"))
            continue
        if allowed is not None and ex.id not in allowed:
            later.append(Later(ex.id, ex.name, f"{_ORDINAL[2]}: a short first week"))
            continue
        dose = week_dose(_base_dose(phase.routine_id, ex.id), week, how, ex.id)
        item = _program_exercise(ex.id, dose, sides, entry.notes)
        if dose.times_per_day:
            own.append((ex, item))
        else:
            main.append(item)
    sessions = []
    if main or later:
        sessions.append(
            Session(
                stage=phase.stage,
                routine_id=phase.routine_id,
                title=phase.title,
                times_per_day=routine.times_per_day,
                when=routine.frequency,
                exercises=tuple(main),
                minutes=_minutes(main),
                dose_week=week,
                later=tuple(later),
            )
        )
    for ex, item in own:
        times = item.dose.times_per_day
        assert times is not None
        sessions.append(
            Session(
                stage=phase.stage,
                routine_id=phase.routine_id,
                title=ex.name,
                times_per_day=times,
                when=_times_words(times),
                exercises=(item,),
                minutes=_minutes([item]),
                dose_week=week,
            )
        )
    return tuple(s for s in sessions if s.exercises)


@functools.lru_cache(maxsize=4096)
def _program_exercise(
    exercise_id: str, dose: Dose, sides: Sides, notes: tuple[str, ...]
) -> ProgramExercise:
    """Build one exercise of a day; frozen, so equal ones are shared between programs."""
    ex = EXERCISES[exercise_id]
    return ProgramExercise(
        exercise_id=ex.id,
        name=ex.name,
        steps=fill(ex, dose, sides),
        dose=dose,
        dose_text=dose.describe(),
        first_side=first_side(ex, sides) if dose.per_side else None,
        position=ex.position,
        notes=notes,
        side=None if dose.per_side else first_side(ex, sides),
    )


def _times_words(times: tuple[int, int]) -> str:
    from ._catalog_types import times_words

    return f"{times_words(times)} a day"


def _week_one_pick(phases: Sequence[Phase], how: _How) -> frozenset[str]:
    """Which stage-2 exercises week 1 has: each part's first, then the plan's order."""
    most = how.most
    stage_two = [p for p in phases if p.stage.startswith("2")]
    ids = [
        [e.exercise_id for e in p.exercises if how.later.get(e.exercise_id, (1, ""))[0] <= 1]
        for p in stage_two
    ]
    if most is None:
        return frozenset(i for part in ids for i in part)
    chosen = list(dict.fromkeys(part[0] for part in ids if part))[:most]
    for part in ids:
        for i in part:
            if len(chosen) >= most:
                break
            if i not in chosen:
                chosen.append(i)
    return frozenset(chosen)


def _seconds(exercises: Sequence[ProgramExercise]) -> int:
    return sum(_cost(e.dose) for e in exercises)


@functools.lru_cache(maxsize=512)
def _cost(dose: Dose) -> int:
    """Seconds of one time through an exercise at ``dose`` (doses are frozen: cached)."""
    return dose.estimated_seconds()


def _minutes(exercises: Sequence[ProgramExercise]) -> int:
    return math.ceil(_seconds(exercises) / 60)


def _fit(
    sessions: list[Session], budget: int, keep: frozenset[str], left: list[LeftOut]
) -> list[Session]:
    """Fit one time through the day's sessions into ``budget`` seconds.

    Stage 2's last parts give way first, then the knee, never an exercise a rule
    keeps; each session keeps its first exercise until nothing else is left to drop.
    """
    total = sum(_seconds(s.exercises) for s in sessions)
    if total <= budget:
        return sessions
    reason = f"time: the day takes longer than the {budget // 60} min available"
    order = sorted(
        range(len(sessions)),
        key=lambda i: (sessions[i].stage == "1", sessions[i].stage == "knee", -i),
    )
    items = [list(s.exercises) for s in sessions]
    for keep_first in (True, False):
        for i in order:
            for ex in reversed(list(items[i])):
                if total <= budget:
                    break
                if ex.exercise_id in keep or (keep_first and ex is items[i][0]):
                    continue
                items[i].remove(ex)
                total -= _cost(ex.dose)
                left.append(LeftOut(ex.exercise_id, ex.name, reason))
    return [
        replace(s, exercises=tuple(x), minutes=_minutes(x))
        for s, x in zip(sessions, items, strict=True)
        if x
    ]
