"""An exercise's steps in one person's words: the side to start on, and the dose.

The catalog writes each exercise once: sides as ``{first}`` and ``{second}``, dose
numbers as ``{hold}``, ``{reps}``, ``{minutes}``, ``{breaths}`` and ``{sets}``.
:func:`fill` puts in the words for one person and one dose, so the steps always say
the side to start with and the same numbers as the dose beside them.

Which side comes first is the catalog's ``side_first``: the non-dominant side
(from ``dominant_side``), the painful side (from ``painful_side``), or the left
side, the order the document describes. When the answer that would decide it was
not given (or is ``both`` or ``center``), the text names the left side and says
which side it means ("your left (or painful) side") rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._catalog_types import Dose, Exercise

__all__ = ["NO_SIDES", "Sides", "fill", "first_side"]

_OTHER = {"left": "right", "right": "left"}
#: The words for the first side when the answer that decides it is missing.
_UNKNOWN_FIRST = {
    "non_dominant": "left (or non-dominant)",
    "painful": "left (or painful)",
}
_PLACEHOLDERS = ("hold", "reps", "minutes", "breaths", "sets")


@dataclass(frozen=True)
class Sides:
    """The answers that decide sides.

    ``dominant`` and ``painful`` are ``"left"``, ``"right"`` or ``None`` (not asked,
    or no single side).
    """

    dominant: str | None = None
    painful: str | None = None

    @classmethod
    def of(cls, dominant_side: object, painful_side: object) -> Sides:
        """Build from the ``dominant_side`` and ``painful_side`` answers (any value)."""
        dominant = dominant_side if isinstance(dominant_side, str) else None
        painful = painful_side if isinstance(painful_side, str) else None
        return cls(dominant if dominant in _OTHER else None, painful if painful in _OTHER else None)


#: No side known.
NO_SIDES = Sides()


def first_side(exercise: Exercise, sides: Sides) -> str | None:
    """Return the side to start ``exercise`` on, or ``None`` (no side, or unknown)."""
    how = exercise.side_first
    if how == "left":
        return "left"
    if how == "non_dominant":
        return _OTHER.get(sides.dominant or "")
    if how == "painful":
        return sides.painful
    return None


def fill(exercise: Exercise, dose: Dose, sides: Sides) -> tuple[str, ...]:
    """Return ``exercise``'s steps with the sides and ``dose``'s numbers filled in."""
    side = first_side(exercise, sides)
    if side is not None:
        words = {"first": side, "second": _OTHER[side]}
    else:
        unknown = _UNKNOWN_FIRST.get(exercise.side_first or "", "left (or painful)")
        words = {"first": unknown, "second": "other"}
    words.update(dose.words())
    out = []
    for step in exercise.steps:
        for key, value in words.items():
            step = step.replace("{" + key + "}", value)
        out.append(step)
    return tuple(out)


def placeholders() -> tuple[str, ...]:
    """Return every placeholder a step may use, for the catalog's checks."""
    return ("first", "second", *_PLACEHOLDERS)
