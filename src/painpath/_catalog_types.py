"""Plain, frozen data types of the exercise catalog.

The catalog is data: these classes hold it and derive nothing beyond simple
values (a time estimate). The content lives in :mod:`painpath._catalog_data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ._contract import EQUIPMENT as _CONTRACT_EQUIPMENT

__all__ = [
    "CAUTIONS",
    "CAUTION_MEANINGS",
    "EQUIPMENT",
    "POSITIONS",
    "Dose",
    "Exercise",
    "Routine",
    "RoutineItem",
]

#: What an exercise may need: the answer contract's ``equipment`` words.
EQUIPMENT: tuple[str, ...] = _CONTRACT_EQUIPMENT

#: Why an exercise may be unsuitable for someone, and what each caution means
#: (worded to follow "anything that ..."). Rules leave exercises out by caution.
CAUTION_MEANINGS: Mapping[str, str] = MappingProxyType(
    {
        "lies_face_down": "is done lying on the stomach",
        "lies_flat_on_back_long": "keeps you lying flat on your back for minutes at a time",
        "kneels": "puts your weight on your knees",
        "loads_knee": "bends or loads a knee under your body weight",
        "extends_spine": "arches the spine backward",
        "flexes_spine": "bends the lower spine forward",
        "flexes_spine_loaded": "bends the spine forward against a load: the arms pulling the "
        "knees in, or the weight of both legs curled up",
        "twists_spine": "turns the spine",
        "loads_abdomen": "works the stomach wall hard",
        "forces_knee_straight": "pushes the knee straight with the hands",
    }
)
CAUTIONS: tuple[str, ...] = tuple(CAUTION_MEANINGS)

#: The body position an exercise starts in.
POSITIONS: tuple[str, ...] = (
    "lying_on_back",
    "lying_face_down",
    "lying_on_side",
    "sitting",
    "standing",
    "kneeling",
    "hands_and_knees",
    "on_foam_roller",
)

#: Rough seconds a single repetition takes when the document gives no hold time.
SECONDS_PER_REP = 3
#: Rough seconds to get into position and change sides.
SETUP_SECONDS = 15


@dataclass(frozen=True)
class Dose:
    """How much of an exercise to do, exactly as the document gives it.

    Ranges are ``(low, high)`` inclusive; a field the document does not give is
    ``None`` rather than invented.
    """

    hold_seconds: tuple[int, int] | None = None
    reps: tuple[int, int] | None = None
    sets: int | None = None
    per_side: bool = False
    duration_minutes: tuple[float, float] | None = None
    how_often: str | None = None

    def describe(self) -> str:
        """Say the dose in a few words, for people and docs."""
        parts: list[str] = []
        if self.duration_minutes:
            parts.append(f"{_span(self.duration_minutes)} min")
        if self.hold_seconds:
            parts.append(f"hold {_span(self.hold_seconds)} s")
        if self.reps:
            parts.append(f"{_span(self.reps)} reps")
        if self.sets:
            parts.append(f"{self.sets} sets")
        if self.per_side:
            parts.append("each side")
        if self.how_often:
            parts.append(self.how_often)
        return ", ".join(parts) if parts else "as the steps say"

    def estimated_seconds(self, *, low: bool = False) -> int:
        """Estimate one session's seconds at the top (or ``low``) end of each range."""
        pick = 0 if low else 1
        if self.duration_minutes:
            work = self.duration_minutes[pick] * 60
        else:
            reps = self.reps[pick] if self.reps else 1
            each = self.hold_seconds[pick] if self.hold_seconds else SECONDS_PER_REP
            work = reps * max(each, SECONDS_PER_REP)
        work *= self.sets or 1
        if self.per_side:
            work *= 2
        return int(work) + SETUP_SECONDS


def _span(pair: tuple[float, float]) -> str:
    low, high = pair
    fmt = "{:g}"
    return fmt.format(low) if low == high else f"{fmt.format(low)}-{fmt.format(high)}"


@dataclass(frozen=True)
class Exercise:
    """One exercise of the document, in our own words.

    ``alternative`` is the exercise the document offers when the ``equipment`` is
    missing; ``time_alternative`` the shorter one it offers when time is short.
    ``side_first`` says which side to start with (``"non_dominant"``,
    ``"painful"``, ``"left"``...), or ``None``.
    """

    id: str
    name: str
    purpose: str
    position: str
    steps: tuple[str, ...]
    dose: Dose
    source: str
    equipment: tuple[str, ...] = ()
    alternative: str | None = None
    time_alternative: str | None = None
    cautions: tuple[str, ...] = ()
    side_first: str | None = None
    tips: tuple[str, ...] = ()

    def estimated_seconds(self, *, low: bool = False) -> int:
        """Estimate one session of this exercise at its own dose."""
        return self.dose.estimated_seconds(low=low)


@dataclass(frozen=True)
class RoutineItem:
    """An exercise in a routine, with the routine's own dose where the document gives one."""

    exercise_id: str
    dose: Dose | None = None
    note: str | None = None


@dataclass(frozen=True)
class Routine:
    """An ordered set of exercises done together, with how often and when to move on."""

    id: str
    title: str
    purpose: str
    items: tuple[RoutineItem, ...]
    frequency: str
    move_on: str
    source: str
    notes: tuple[str, ...] = field(default=())
