"""The four levels of a result, written once: value, rank, title, meaning, exit status.

The rules (``level = "urgent"``), :class:`painpath.Level`, the renderer's banner and
the command's exit status all read this table. Only the standard library is
imported, so the command's ``--help`` can list the exit statuses cheaply.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["LEVELS", "LEVEL_TABLE", "Level", "LevelRow", "row"]


@dataclass(frozen=True)
class LevelRow:
    """One level: how rules and results spell it, and how it is shown and exited with."""

    value: str
    rank: int
    title: str
    meaning: str
    exit_code: int
    #: What the exit status means, for ``--help`` and the docs.
    exit_meaning: str
    #: ANSI SGR style of the banner on a terminal.
    style: str


LEVEL_TABLE: tuple[LevelRow, ...] = (
    LevelRow(
        "self_care",
        0,
        "SELF-CARE",
        "The home routine below is appropriate.",
        0,
        "self_care: the home routine is appropriate (also: an export succeeded)",
        "1;32",  # bold green
    ),
    LevelRow(
        "see_doctor",
        1,
        "SEE A DOCTOR",
        "Book an appointment with a doctor in the coming days.",
        10,
        "see_doctor: book an appointment with a doctor in the coming days",
        "1;33",  # bold yellow
    ),
    LevelRow(
        "urgent",
        2,
        "URGENT",
        "See a doctor today, or within 24 hours at the latest.",
        20,
        "urgent: see a doctor today, or within 24 hours at the latest",
        "1;31",  # bold red
    ),
    LevelRow(
        "emergency",
        3,
        "EMERGENCY",
        "Go to an emergency department now.",
        30,
        "emergency: go to an emergency department now",
        "1;97;41",  # bold white on red
    ),
)

#: The level values in rank order, lowest first.
LEVELS: tuple[str, ...] = tuple(r.value for r in LEVEL_TABLE)
_BY_VALUE = {r.value: r for r in LEVEL_TABLE}


def row(value: str) -> LevelRow:
    """Return the row of a level value (``"urgent"``); ``KeyError`` for an unknown one."""
    return _BY_VALUE[value]


class Level(enum.Enum):
    """How soon to act, ordered: ``EMERGENCY > URGENT > SEE_DOCTOR > SELF_CARE``."""

    SELF_CARE = "self_care"
    SEE_DOCTOR = "see_doctor"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """Return 0 for ``self_care`` up to 3 for ``emergency``."""
        return row(self.value).rank

    @property
    def meaning(self) -> str:
        """Say what this level asks the person to do, and how soon."""
        return row(self.value).meaning

    @property
    def title(self) -> str:
        """Return the banner title (``SEE A DOCTOR``)."""
        return row(self.value).title

    @property
    def exit_code(self) -> int:
        """Return the ``painpath`` command's exit status for this level (0, 10, 20, 30)."""
        return row(self.value).exit_code

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


#: The members are spelled out for type checkers; the table is the one home of the rest.
assert tuple(level.value for level in Level) == LEVELS, "Level and LEVEL_TABLE disagree"
