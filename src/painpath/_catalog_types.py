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
    "SIDE_FIRST",
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
#: Rough seconds of one slow breath, for holds the document counts in breaths.
SECONDS_PER_BREATH = 5

#: How ``Exercise.side_first`` picks the side to start with: the non-dominant side
#: (from ``dominant_side``), the painful side (from ``painful_side``), or the left
#: side, the order the document describes.
SIDE_FIRST: tuple[str, ...] = ("non_dominant", "painful", "left")


@dataclass(frozen=True)
class Dose:
    """How much of an exercise to do, exactly as the document gives it.

    Ranges are ``(low, high)`` inclusive; a field the document does not give is
    ``None`` rather than invented. ``times_per_day`` is how many times a day the
    exercise is done where the document says so (``None``: as often as its routine).
    """

    hold_seconds: tuple[int, int] | None = None
    reps: tuple[int, int] | None = None
    sets: int | None = None
    per_side: bool = False
    duration_minutes: tuple[float, float] | None = None
    how_often: str | None = None
    breaths: tuple[int, int] | None = None
    times_per_day: tuple[int, int] | None = None

    def describe(self) -> str:
        """Say the dose in a few words, with its numbers, for people and docs."""
        parts: list[str] = []
        if self.duration_minutes:
            parts.append(minutes_words(self.duration_minutes))
        if self.hold_seconds:
            parts.append(f"hold {seconds_words(self.hold_seconds)}")
        if self.breaths:
            parts.append(f"stay {span(self.breaths)} breaths")
        if self.reps:
            parts.append(f"{span(self.reps)} times")
        if self.sets:
            parts.append(f"{self.sets} sets" if self.sets > 1 else "1 set")
        if self.per_side:
            parts.append("each side")
        if self.times_per_day:
            parts.append(times_words(self.times_per_day) + " a day")
        if self.how_often:
            parts.append(self.how_often)
        return ", ".join(parts) if parts else "as the steps say"

    def words(self) -> dict[str, str]:
        """Return the words that fill a step's dose placeholders (``{hold}``, ``{reps}``...)."""
        return {
            "hold": seconds_words(self.hold_seconds) if self.hold_seconds else "",
            "reps": span(self.reps) if self.reps else "",
            "minutes": minutes_words(self.duration_minutes) if self.duration_minutes else "",
            "breaths": f"{span(self.breaths)} breaths" if self.breaths else "",
            "sets": times_words((self.sets or 1, self.sets or 1)),
        }

    def estimated_seconds(self, *, low: bool = False) -> int:
        """Estimate one session's seconds at the top (or ``low``) end of each range."""
        pick = 0 if low else 1
        if self.duration_minutes:
            work = self.duration_minutes[pick] * 60
        else:
            reps = self.reps[pick] if self.reps else 1
            if self.hold_seconds:
                each = self.hold_seconds[pick]
            elif self.breaths:
                each = self.breaths[pick] * SECONDS_PER_BREATH
            else:
                each = SECONDS_PER_REP
            work = reps * max(each, SECONDS_PER_REP)
        work *= self.sets or 1
        if self.per_side:
            work *= 2
        return int(work) + SETUP_SECONDS


def span(pair: tuple[float, float]) -> str:
    """``"10"`` or ``"10 to 20"``."""
    low, high = pair
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"


def seconds_words(pair: tuple[float, float]) -> str:
    """``"1 second"``, ``"20 to 30 seconds"``."""
    return span(pair) + (" second" if pair == (1, 1) else " seconds")


def minutes_words(pair: tuple[float, float]) -> str:
    """``"1 minute"``, ``"2 to 3 minutes"``."""
    return span(pair) + (" minute" if pair == (1, 1) else " minutes")


def times_words(pair: tuple[int, int]) -> str:
    """``"once"``, ``"twice"``, ``"3 times"``, ``"6 to 8 times"``."""
    if pair[0] == pair[1] and pair[0] in (1, 2):
        return "once" if pair[0] == 1 else "twice"
    return f"{span(pair)} times"


@dataclass(frozen=True)
class Exercise:
    """One exercise of the document, in our own words.

    ``alternative`` is the exercise the document offers when the ``equipment`` is
    missing; ``time_alternative`` the shorter one it offers when time is short.
    ``side_first`` says which side to start with (one of :data:`SIDE_FIRST`), or
    ``None`` when the exercise has no side. Steps name sides with ``{first}`` and
    ``{second}`` and doses with ``{hold}``, ``{reps}``, ``{minutes}``, ``{breaths}``
    and ``{sets}``; :func:`painpath._steps.fill` puts in the person's words.
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
    times_per_day: tuple[int, int] | None = None
