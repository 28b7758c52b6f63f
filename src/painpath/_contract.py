"""The answer contract, version 2, as data.

One entry per key of ``shared/spec/answers.md``: its type, what is allowed and
which part of the questionnaire it belongs to. Validation, the rule loader, the
questionnaire and the hypothesis strategies all read this table, so a key or a
value is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from ._kinds import KINDS, Kind, is_iso_date

__all__ = [
    "AREAS",
    "CONTRACT_VERSION",
    "EQUIPMENT",
    "KEYS",
    "KNEE_RED_FLAG_KEYS",
    "RED_FLAG_KEYS",
    "SPINAL_RED_FLAG_KEYS",
    "KeySpec",
    "is_iso_date",
    "keys_for_area",
    "red_flags_for_area",
]

CONTRACT_VERSION = 2

Group = Literal["general", "red_flag", "back", "knee", "preferences"]
KindName = Literal["bool", "str", "int", "float", "list", "date"]


@dataclass(frozen=True)
class KeySpec:
    """What one answer key accepts, and everything that follows from it.

    ``choices`` is the closed set for ``str`` and ``list`` keys; ``low``/``high``
    bound ``int`` and ``float`` keys (inclusive). A ``date`` key takes an ISO date
    string ``YYYY-MM-DD`` that names a real calendar day. What a kind means (how it
    validates, parses typed text and CSV cells, describes itself, its hypothesis
    strategy, FHIR type and JSON Schema) is written once, in :mod:`painpath._kinds`;
    the methods here hand this key to its kind.
    """

    key: str
    kind: KindName
    group: Group
    meaning: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    required: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key!r}: unknown answer kind {self.kind!r}")
        # The kind object equals its name, so ``spec.kind == "bool"`` still holds.
        object.__setattr__(self, "kind", KINDS[self.kind])

    @property
    def type(self) -> Kind:
        """The kind of value this key takes, with everything it knows."""
        return KINDS[self.kind]

    @property
    def areas(self) -> frozenset[str]:
        """The areas (``back``, ``knee``, ``both``) whose questionnaire asks this key."""
        by_group = _AREAS_OF_GROUP.get(self.group, _ALL_AREAS)
        return by_group & _AREAS_OF_RED_FLAG.get(self.key, _ALL_AREAS)

    def allowed(self) -> str:
        """Say in words what this key accepts, for error messages and docs."""
        return self.type.describe(self)

    def accepts(self, value: object) -> bool:
        """Say whether ``value`` (not ``None``) is one this key accepts."""
        return self.type.accepts(self, value)

    def normalise(self, value: Any) -> Any:
        """Return the stored form of an accepted value (a list becomes a tuple in order)."""
        return self.type.normalise(self, value)

    def from_cell(self, cell: str) -> Any:
        """Convert a non-empty CSV cell; a cell that does not convert is returned stripped."""
        return self.type.from_cell(self, cell.strip())

    def from_text(self, text: str) -> tuple[Any, str | None]:
        """Turn typed text into ``(value, None)``, or ``(None, what to type instead)``."""
        return self.type.from_text(self, text)

    def strategy(self) -> Any:
        """Return a hypothesis strategy of valid values (imports hypothesis)."""
        return self.type.strategy(self)

    def json_schema(self) -> dict[str, Any]:
        """Return the JSON Schema (draft 2020-12) of this key, with its meaning."""
        return {"description": self.meaning, **self.type.json_schema(self)}


AREAS = ("back", "knee", "both")
EQUIPMENT = (
    "couch",
    "yoga_strap",
    "foam_roller",
    "tennis_ball",
    "resistance_band",
    "pillow",
    "chair",
    "step",
)
DEFAULT_EQUIPMENT = ("couch", "pillow", "chair")


def _b(key: str, group: Group, meaning: str) -> KeySpec:
    return KeySpec(key, "bool", group, meaning)


def _s(key: str, group: Group, choices: tuple[str, ...], meaning: str) -> KeySpec:
    return KeySpec(key, "str", group, meaning, choices=choices)


def _i(key: str, group: Group, low: int, high: int, meaning: str) -> KeySpec:
    return KeySpec(key, "int", group, meaning, low=low, high=high)


_SPECS = (
    # General
    KeySpec("area", "str", "general", "where the main complaint is", AREAS, required=True),
    _i("age", "general", 0, 120, "age in years"),
    _i("duration_weeks", "general", 0, 520, "how long this episode has lasted (0 = under a week)"),
    _s(
        "onset",
        "general",
        ("sudden_no_injury", "strain", "gradual", "trauma"),
        "how it started: suddenly without injury; after lifting, an awkward movement or a "
        "small slip; slowly; or after a significant accident",
    ),
    _i("pain_score", "general", 0, 10, "pain right now"),
    _s("painful_side", "general", ("left", "right", "both", "center"), "which side hurts most"),
    _s("dominant_side", "general", ("left", "right"), "used to order sides"),
    # Red flags
    _b(
        "bladder_or_bowel_change",
        "red_flag",
        "new trouble starting to pass urine, or loss of bladder or bowel control",
    ),
    _b("saddle_numbness", "red_flag", "numbness around the genitals, anus or inner thighs"),
    _s(
        "leg_weakness",
        "red_flag",
        ("none", "stable", "worsening"),
        "weakness in a leg or foot, and whether it is getting worse",
    ),
    _b("fever", "red_flag", "fever, chills or feeling generally unwell with the pain"),
    _b("unexplained_weight_loss", "red_flag", "weight loss without trying"),
    _b("cancer_history", "red_flag", "has had cancer"),
    _b("constant_night_pain", "red_flag", "pain at night that no position or rest eases"),
    _b(
        "steroids_or_immunosuppressed",
        "red_flag",
        "long-term steroids, immune-suppressing drugs, HIV, or injected drug use",
    ),
    _b("osteoporosis", "red_flag", "known osteoporosis (thin bones)"),
    _b(
        "sexual_dysfunction",
        "red_flag",
        "since the pain began, new loss of sexual function or of feeling during sex",
    ),
    _b(
        "upper_back_pain",
        "red_flag",
        "pain also in the upper or middle back, between or around the shoulder blades",
    ),
    _b(
        "pain_unchanged_by_position",
        "red_flag",
        "the pain does not change at all with movement, position or rest",
    ),
    _b(
        "calf_swelling",
        "red_flag",
        "a calf that is swollen, warm or tender, or one leg suddenly bigger than the other",
    ),
    # Back
    _s(
        "back_pain",
        "back",
        ("none", "center", "one_side", "both_sides"),
        "where in the low back it hurts",
    ),
    _s(
        "leg_pain",
        "back",
        ("none", "buttock", "above_knee", "below_knee"),
        "how far down the pain travels; below_knee includes calf and foot",
    ),
    _s("leg_pain_sides", "back", ("one", "both"), "one leg or both legs"),
    _b("leg_numbness_or_tingling", "back", "pins and needles or numbness in the leg"),
    _b("bending_forward_hurts", "back", "even a little forward bend hurts"),
    _b("sitting_hurts", "back", "sitting hurts within a few minutes"),
    _b("cough_sneeze_worse", "back", "coughing or sneezing makes it worse"),
    _b("hard_to_stand_up", "back", "trouble standing up from sitting, or getting up from lying"),
    _b("keeps_shifting_position", "back", "keeps changing position to get comfortable"),
    _b(
        "tender_dimple",
        "back",
        "one-sided tenderness over the bony bump or dimple at the back of the pelvis",
    ),
    _b("groin_or_front_thigh_pain", "back", "pain also in the groin or the front of the thigh"),
    _b("spasm", "back", "acute spasm: hard to stand upright, even tying shoes hurts"),
    _b("thigh_to_chest_hurts", "back", "pain increases when lifting the thigh toward the chest"),
    _b("pregnant_or_postpartum", "back", "pregnant, or gave birth in the last 6 months"),
    _s(
        "press_up_response",
        "back",
        ("not_tried", "centralized", "no_change", "peripheralized"),
        "what happened to the pain during press-ups",
    ),
    _s("leg_pain_trend", "back", ("better", "same", "worse"), "leg pain over the last few days"),
    _b("first_episode", "back", "the first time the person has had back pain like this"),
    _b("previous_spinal_surgery", "back", "has had an operation on the spine"),
    # Knee
    _s(
        "knee_pain_location",
        "knee",
        ("inside", "outside", "front", "back", "whole"),
        "where in the knee it hurts",
    ),
    _s("knee_injury", "knee", ("none", "twist", "blow_or_fall"), "did it start with an injury"),
    _b("knee_can_bear_weight", "knee", "can take four steps on it (limping is fine)"),
    _b("knee_can_bend_90", "knee", "can bend the knee to a right angle"),
    _s(
        "knee_swelling",
        "knee",
        ("none", "gradual", "rapid"),
        "swelling; rapid = within about two hours of an injury",
    ),
    _b("knee_locking", "knee", "catches or locks, or cannot fully straighten"),
    _b("knee_giving_way", "knee", "gives way under load"),
    _b("knee_hot_red", "knee", "hot, red and swollen"),
    KeySpec("bmi", "float", "knee", "body mass index", low=10, high=80),
    # Preferences
    KeySpec(
        "equipment",
        "list",
        "preferences",
        "what is at hand; left out means couch, pillow, chair",
        choices=EQUIPMENT,
    ),
    _i("minutes_per_day", "preferences", 5, 180, "time available for the routine"),
    KeySpec(
        "start_date",
        "date",
        "preferences",
        "day 1 of the 21-day program; left out, the days are numbered 1-21 and not dated",
    ),
)

KEYS: MappingProxyType[str, KeySpec] = MappingProxyType({s.key: s for s in _SPECS})
RED_FLAG_KEYS: tuple[str, ...] = tuple(s.key for s in _SPECS if s.group == "red_flag")
SPINAL_RED_FLAG_KEYS: tuple[str, ...] = (
    "bladder_or_bowel_change",
    "saddle_numbness",
    "leg_weakness",
    "osteoporosis",
    "sexual_dysfunction",
    "upper_back_pain",
    "pain_unchanged_by_position",
)
#: Red flags asked only when the knee is involved (v2).
KNEE_RED_FLAG_KEYS: tuple[str, ...] = ("calf_swelling",)

_ALL_AREAS = frozenset(AREAS)
_BACK, _KNEE = frozenset({"back", "both"}), frozenset({"knee", "both"})
_AREAS_OF_GROUP: dict[str, frozenset[str]] = {"back": _BACK, "knee": _KNEE}
_AREAS_OF_RED_FLAG: dict[str, frozenset[str]] = {
    **dict.fromkeys(SPINAL_RED_FLAG_KEYS, _BACK),
    **dict.fromkeys(KNEE_RED_FLAG_KEYS, _KNEE),
}


def keys_for_area(area: str) -> tuple[str, ...]:
    """Return the keys the questionnaire asks for ``area``, in contract order."""
    return tuple(key for key, spec in KEYS.items() if area in spec.areas)


def red_flags_for_area(area: str) -> tuple[str, ...]:
    """Return the red-flag keys the area calls for, in contract order.

    The spinal ones are asked when the back is involved, the knee ones
    (``calf_swelling``) when the knee is involved; the others for every area.
    """
    return tuple(k for k in RED_FLAG_KEYS if area in KEYS[k].areas)
