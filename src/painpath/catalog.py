"""The exercise catalog (placeholder: being written)."""

from __future__ import annotations

from types import MappingProxyType

from ._catalog_types import Dose, Exercise, Routine, RoutineItem

__all__ = ["EXERCISES", "ROUTINES", "Dose", "Exercise", "Routine", "RoutineItem"]

EXERCISES: MappingProxyType[str, Exercise] = MappingProxyType({})
ROUTINES: MappingProxyType[str, Routine] = MappingProxyType({})
