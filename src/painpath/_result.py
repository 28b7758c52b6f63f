"""What :func:`painpath.triage` returns: a frozen result and its parts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from ._catalog_types import Dose
from ._contract import CONTRACT_VERSION
from ._levels import Level

__all__ = [
    "LeftOut",
    "Level",
    "LockedStage",
    "Phase",
    "PlanExercise",
    "ProgramDay",
    "ProgramExercise",
    "Reason",
    "Result",
    "Session",
    "StopRule",
]


@dataclass(frozen=True)
class Reason:
    """A rule that fired: why the result says what it says."""

    rule_id: str
    title: str
    rationale: str
    source: str
    finding: str | None = None
    level: Level | None = None


@dataclass(frozen=True)
class PlanExercise:
    """One exercise of a plan phase, with the dose to do and any notes for this person."""

    exercise_id: str
    name: str
    steps: tuple[str, ...]
    dose: Dose
    dose_text: str
    equipment: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    replaces: str | None = None
    first_side: str | None = None
    position: str = ""
    side: str | None = None


@dataclass(frozen=True)
class Phase:
    """One routine of the plan: what to do, how often, and when to move on.

    ``stage`` is its program stage: ``"1"``, ``"2"`` (or ``"2a"``, ``"2b"``... when
    stage 2 has several parts) or ``"knee"``; ``step`` is the order of the v1 plan.
    """

    routine_id: str
    title: str
    step: int
    frequency: str
    move_on: str
    exercises: tuple[PlanExercise, ...]
    notes: tuple[str, ...] = ()
    stage: str = ""


@dataclass(frozen=True)
class ProgramExercise:
    """One exercise of a program session, at that day's dose, sides filled in.

    ``first_side`` is the side to start on, for an exercise done on each side;
    ``side`` the side an exercise done on one side only is done on (the painful knee,
    the SI adjustment). Both are ``None`` when there is no side or it is unknown.
    """

    exercise_id: str
    name: str
    steps: tuple[str, ...]
    dose: Dose
    dose_text: str
    first_side: str | None
    position: str
    notes: tuple[str, ...] = ()
    side: str | None = None


@dataclass(frozen=True)
class Later:
    """An exercise of a session that joins on a later week, and why."""

    exercise_id: str
    name: str
    joins: str


@dataclass(frozen=True)
class Session:
    """One routine to do on a program day: its stage, how often, and its exercises.

    ``times_per_day`` is ``(low, high)`` or ``None`` when ``when`` says it in words;
    ``minutes`` is one time through; ``later`` are exercises joining in a later week.
    """

    stage: str
    routine_id: str
    title: str
    times_per_day: tuple[int, int] | None
    when: str
    exercises: tuple[ProgramExercise, ...]
    minutes: int
    dose_week: int
    later: tuple[Later, ...] = ()


@dataclass(frozen=True)
class LockedStage:
    """A stage not started yet on a day, and when it starts, in plain words."""

    stage: str
    routine_id: str
    title: str
    starts: str


@dataclass(frozen=True)
class ProgramDay:
    """One day of the 21-day program.

    ``week`` is the calendar week (days 1-7, 8-14, 15-21); each session carries the
    ``dose_week`` it is done at, which a hold keeps at 1. ``minutes`` is one time
    through every session; ``holds`` say, in plain words, what keeps doses at week 1.
    """

    day: int
    date: str | None
    week: int
    sessions: tuple[Session, ...]
    locked: tuple[LockedStage, ...]
    minutes: int
    holds: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True)
class LeftOut:
    """An exercise or routine left out of the plan, and why."""

    id: str
    name: str
    reason: str
    rule_id: str | None = None


@dataclass(frozen=True)
class StopRule:
    """When to stop, and what to do then."""

    id: str
    when: str
    then: str
    rule_id: str


@dataclass(frozen=True)
class Result:
    """The decision for one set of answers.

    ``level`` is the highest level of any rule that fired; ``plan`` is empty for
    ``emergency`` and ``urgent``; ``reasons`` cites every rule that fired. A result
    from :func:`painpath.triage` builds every field but ``level``, ``findings`` and
    ``contract_version`` from the fired rules when one is first read; it is the same
    value either way.
    """

    level: Level
    findings: frozenset[str]
    plan: tuple[Phase, ...]
    stop_if: tuple[StopRule, ...]
    advice: tuple[str, ...]
    unscreened: tuple[str, ...]
    reasons: tuple[Reason, ...]
    left_out: tuple[LeftOut, ...] = ()
    contract_version: int = field(default=CONTRACT_VERSION)
    program: tuple[ProgramDay, ...] = ()
    unscreened_advice: tuple[str, ...] = ()
    first_advice: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the whole result as JSON-ready plain data (sorted findings)."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data

    def to_json(self, **kwargs: Any) -> str:
        """Return :meth:`to_dict` as a JSON string; keyword arguments go to ``json.dumps``."""
        return json.dumps(self.to_dict(), **kwargs)

    def to_cds_hooks(self) -> dict[str, Any]:
        """Return a CDS Hooks 2.0 response: one card for the level (see ``painpath serve``)."""
        from ._cds import to_cds_hooks

        return to_cds_hooks(self)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the whole result, every field built (never a builder)."""
        _build_now(self, "program")
        return {
            name: value
            for name, value in self.__dict__.items()
            if name not in (DEFERRED_BY, PROGRAM_BY)
        }


#: The fields of a :class:`Result` that :func:`painpath.triage` builds on first read.
DEFERRED = (
    "unscreened",
    "reasons",
    "advice",
    "first_advice",
    "unscreened_advice",
    "plan",
    "stop_if",
    "left_out",
    "program",
)
#: Where a deferred result (its ``__dict__`` holding every other field) keeps how to
#: build them but ``program``: ``(function, arguments)``; the function returns those
#: fields as a dict, with how to build the program under :data:`PROGRAM_BY`. Reading,
#: comparing, hashing, printing or pickling the result builds them first.
DEFERRED_BY = "_deferred_by"
#: Where it then keeps how to build ``program``, the costliest part, built only when
#: read (``batch --compact`` reads the plan's routines, never the 21 days).
PROGRAM_BY = "_program_by"


def _build_now(result: Result, name: str) -> None:
    """Build what reading ``name`` needs, once; threads that race build equal values."""
    state = result.__dict__
    build = state.get(DEFERRED_BY)
    if build is not None:
        function, arguments = build
        state.update(function(*arguments))  # every field is set before the builder goes
        state.pop(DEFERRED_BY, None)
    if name == "program":
        build = state.get(PROGRAM_BY)
        if build is not None:
            function, arguments = build
            state["program"] = function(*arguments)
            state.pop(PROGRAM_BY, None)


class _DeferredField:
    """A deferred field of :class:`Result`: found in the instance once built.

    A non-data descriptor, so a built (or eagerly made) result reads the value from
    its own ``__dict__`` at full speed; only a not-yet-built result reaches here.
    """

    __slots__ = ("default", "name")

    def __init__(self, name: str, default: object) -> None:
        self.name = name
        self.default = default

    def __get__(self, instance: Result | None, owner: type | None = None) -> Any:
        if instance is None:
            return self.default
        _build_now(instance, self.name)
        return instance.__dict__[self.name]


for _name in DEFERRED:
    setattr(Result, _name, _DeferredField(_name, getattr(Result, _name, ())))
del _name


_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: object) -> Any:
    """Turn a result (dataclasses, enums, tuples, sets) into JSON-ready plain data."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, Level):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
