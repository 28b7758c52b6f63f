"""The rule model: what a rule file says, as plain frozen data.

This sits below everything else: the condition tree comes from
:mod:`painpath._conditions`; loading and checking is :mod:`painpath._rules`; each
engine (:mod:`painpath._engines`) compiles these rules and knows nothing of files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._conditions import Condition
from ._progression import ProgramOutcome

__all__ = ["Exclusion", "ExerciseNote", "FindingDef", "RoutineRef", "Rule", "StopDef"]


@dataclass(frozen=True)
class FindingDef:
    """A finding id of the vocabulary, and what it means."""

    id: str
    meaning: str
    file: str


@dataclass(frozen=True)
class StopDef:
    """A stop rule: when to stop and what to do, shown when the plan has one of ``exercises``.

    An empty ``exercises`` means: whenever the plan has any exercise.
    """

    id: str
    when: str
    then: str
    exercises: tuple[str, ...]
    source: str
    file: str


@dataclass(frozen=True)
class RoutineRef:
    """A routine a rule puts in the plan; ``step`` orders phases (1 first), ``order`` within one.

    ``stage`` is the program stage it belongs to: ``"1"`` (calm the pain), ``"2"``
    (the pattern's routines, after stage 1) or ``"knee"`` (beside the back stages);
    left out, step 1 is stage 1 and later steps stage 2 (see :attr:`program_stage`).
    """

    id: str
    step: int
    order: int
    stage: str | None = None

    @property
    def program_stage(self) -> str:
        """Return the stage, as given or as the step implies."""
        return self.stage or ("1" if self.step == 1 else "2")


@dataclass(frozen=True)
class Exclusion:
    """Exercises (by id or by caution) a rule keeps out of the plan, and why."""

    exercises: tuple[str, ...]
    cautions: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ExerciseNote:
    """A note a rule adds to one exercise of the plan."""

    exercise: str
    text: str


@dataclass(frozen=True)
class Rule:
    """One clinical rule, as written in its file."""

    id: str
    title: str
    rationale: str
    source: str
    when: Condition
    file: str
    version: int = 1
    status: str = "active"
    finding: str | None = None
    level: str | None = None
    advice: tuple[str, ...] = ()
    routines: tuple[RoutineRef, ...] = ()
    exclude: Exclusion | None = None
    withhold_plan: bool = False
    gentle: bool = False
    notes: tuple[ExerciseNote, ...] = ()
    keep: tuple[str, ...] = ()
    stop_if: tuple[str, ...] = ()
    program: ProgramOutcome | None = None
    before_plan: bool = False
    raw_when: Any = field(default=None, compare=False, repr=False)
