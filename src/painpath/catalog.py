"""The exercise catalog: every exercise and routine of the program, as read-only data.

``EXERCISES`` maps exercise id to :class:`Exercise`, in the order the exercises
first appear in the source document; ``ROUTINES`` maps routine id to
:class:`Routine`. The content lives in :mod:`painpath._catalog_data`;
:func:`check_catalog` runs on it at import time, so a broken catalog fails loudly
with :class:`~painpath.CatalogError` listing every problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from ._catalog_data import ALL_EXERCISES, ALL_ROUTINES
from ._catalog_types import (
    CAUTION_MEANINGS,
    CAUTIONS,
    EQUIPMENT,
    POSITIONS,
    Dose,
    Exercise,
    Routine,
    RoutineItem,
)
from ._exceptions import CatalogError

__all__ = [
    "CAUTIONS",
    "CAUTION_MEANINGS",
    "EQUIPMENT",
    "EXERCISES",
    "POSITIONS",
    "ROUTINES",
    "Dose",
    "Exercise",
    "Routine",
    "RoutineItem",
    "check_catalog",
    "dose_of",
    "exercises_for",
]


def check_catalog(
    exercises: Iterable[Exercise] | Mapping[str, Exercise],
    routines: Iterable[Routine] | Mapping[str, Routine],
) -> None:
    """Raise :class:`CatalogError` listing every problem of the catalog, or return.

    Checks that ids are unique; that routine items, ``alternative`` and
    ``time_alternative`` name existing exercises; that equipment, cautions and
    positions are in the closed vocabularies; and that every dose is sane.
    """
    exercise_list = list(exercises.values() if isinstance(exercises, Mapping) else exercises)
    routine_list = list(routines.values() if isinstance(routines, Mapping) else routines)
    problems: list[str] = []
    problems += _duplicates("exercise", [exercise.id for exercise in exercise_list])
    problems += _duplicates("routine", [routine.id for routine in routine_list])
    known = {exercise.id: exercise for exercise in exercise_list}
    for exercise in exercise_list:
        problems += _exercise_problems(exercise, known)
    for routine in routine_list:
        where = f"routine {routine.id!r}"
        if not routine.items:
            problems.append(f"{where}: has no exercises")
        for index, item in enumerate(routine.items, start=1):
            if item.exercise_id not in known:
                problems.append(
                    f"{where}: item {index} names unknown exercise {item.exercise_id!r}"
                )
            if item.dose is not None:
                problems += _dose_problems(f"{where}: item {index}", item.dose)
    if problems:
        raise CatalogError(problems)


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    seen: set[str] = set()
    problems: list[str] = []
    for id_ in ids:
        if not id_:
            problems.append(f"a {kind} has an empty id")
        elif id_ in seen:
            problems.append(f"{kind} id {id_!r} is used more than once")
        seen.add(id_)
    return problems


def _exercise_problems(exercise: Exercise, known: Mapping[str, Exercise]) -> list[str]:
    where = f"exercise {exercise.id!r}"
    problems: list[str] = []
    if exercise.position not in POSITIONS:
        problems.append(
            f"{where}: 'position' must be one of {POSITIONS} (got {exercise.position!r})"
        )
    problems += [
        f"{where}: 'equipment' must be in {EQUIPMENT} (got {item!r})"
        for item in exercise.equipment
        if item not in EQUIPMENT
    ]
    problems += [
        f"{where}: 'cautions' must be in {CAUTIONS} (got {item!r})"
        for item in exercise.cautions
        if item not in CAUTIONS
    ]
    if not exercise.steps:
        problems.append(f"{where}: has no steps")
    for field in ("alternative", "time_alternative"):
        other_id = getattr(exercise, field)
        if other_id is None:
            continue
        if other_id == exercise.id:
            problems.append(f"{where}: {field!r} names the exercise itself")
        elif other_id not in known:
            problems.append(f"{where}: {field!r} names unknown exercise {other_id!r}")
        elif field == "alternative":
            shared = set(known[other_id].equipment) & set(exercise.equipment)
            if shared:
                problems.append(
                    f"{where}: 'alternative' {other_id!r} needs the same equipment {sorted(shared)}"
                )
    problems += _dose_problems(where, exercise.dose)
    return problems


def _dose_problems(where: str, dose: Dose) -> list[str]:
    problems: list[str] = []
    for field in ("hold_seconds", "reps", "duration_minutes"):
        span = getattr(dose, field)
        if span is None:
            continue
        low, high = span
        if low <= 0 or high <= 0:
            problems.append(f"{where}: {field!r} must be positive (got {span!r})")
        if low > high:
            problems.append(f"{where}: {field!r} must be low <= high (got {span!r})")
    if dose.sets is not None and dose.sets < 1:
        problems.append(f"{where}: 'sets' must be at least 1 (got {dose.sets!r})")
    return problems


check_catalog(ALL_EXERCISES, ALL_ROUTINES)

#: Every exercise by id, in the order the document first gives it.
EXERCISES: MappingProxyType[str, Exercise] = MappingProxyType(
    {exercise.id: exercise for exercise in ALL_EXERCISES}
)
#: Every routine by id.
ROUTINES: MappingProxyType[str, Routine] = MappingProxyType(
    {routine.id: routine for routine in ALL_ROUTINES}
)


def exercises_for(routine_id: str) -> tuple[Exercise, ...]:
    """Return the exercises of a routine, in the routine's order.

    Raises :class:`KeyError` for an unknown routine id.
    """
    return tuple(EXERCISES[item.exercise_id] for item in ROUTINES[routine_id].items)


def dose_of(item: RoutineItem) -> Dose:
    """Return the dose of a routine item: the routine's own, else the exercise's."""
    return item.dose if item.dose is not None else EXERCISES[item.exercise_id].dose
