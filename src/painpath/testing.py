"""Hypothesis strategies for painpath answers, to property-test rule sets.

Every strategy here is built from the answer contract (``_contract.KEYS``), so it
follows the contract when a key or a value is added. The valid ones produce plain
``dict`` answer mappings that :meth:`painpath.Answers.from_mapping` accepts; the
invalid ones produce mappings it refuses::

    from hypothesis import given
    from painpath import testing

    @given(testing.answers(area="knee"))
    def test_my_rules_never_crash(answers):
        painpath.triage(answers, rules=my_rules)

hypothesis is an optional dependency: ``pip install 'painpath[test]'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised with hypothesis hidden
    raise ImportError(
        "painpath.testing needs hypothesis: pip install 'painpath[test]' "
        "(or pip install hypothesis)"
    ) from error

from ._contract import AREAS, KEYS, RED_FLAG_KEYS, keys_for_area, red_flags_for_area
from ._exceptions import AnswerProblem, InvalidAnswersError
from ._kinds import junk

__all__ = [
    "answers",
    "areas",
    "checkins",
    "full_answers",
    "invalid_answers",
    "invalid_values_for",
    "raised_red_flags",
    "raised_red_flags_for",
    "raising_value",
    "red_flag_keys",
    "relevant_keys",
    "values_for",
    "with_raised_red_flag",
]

Answer = dict[str, Any]

areas: st.SearchStrategy[str] = st.sampled_from(AREAS)
"""Generate one of the areas: ``"back"``, ``"knee"`` or ``"both"``."""

red_flag_keys: st.SearchStrategy[str] = st.sampled_from(RED_FLAG_KEYS)
"""Generate one red-flag key (any area)."""


def _spec(key: str) -> Any:
    if key not in KEYS:
        raise InvalidAnswersError([AnswerProblem(key, key, f"unknown key {key!r}")])
    return KEYS[key]


def relevant_keys(area: str) -> tuple[str, ...]:
    """Return the keys asked for ``area``, in contract order.

    General keys, the red flags the area calls for, the back keys for ``back`` and
    ``both``, the knee keys for ``knee`` and ``both``, and the preferences.
    """
    if area not in AREAS:
        raise InvalidAnswersError(
            [AnswerProblem("area", area, f"'area' must be one of {AREAS!r} (got {area!r})")]
        )
    return keys_for_area(area)


def values_for(key: str) -> st.SearchStrategy[Any]:
    """Generate valid values for one contract key (never ``None``).

    Booleans for ``bool`` keys, the allowed strings for ``str`` keys, whole numbers
    in range for ``int`` keys, finite numbers (floats or whole numbers) in range for
    ``float`` keys, lists of distinct allowed items for ``equipment``, and ISO date
    strings ``YYYY-MM-DD`` (years 1-9999) for ``start_date``.
    """
    strategy: st.SearchStrategy[Any] = _spec(key).strategy()
    return strategy


@st.composite
def answers(
    draw: st.DrawFn, area: str | None = None, *, keys: Iterable[str] | None = None
) -> Answer:
    """Generate valid answers: ``area`` plus a random subset of the other keys.

    ``area`` is drawn when not given. The subset is drawn from ``keys`` when given
    (any contract keys), otherwise from :func:`relevant_keys` of the area. Keys
    come out in contract order; a key left out means "not asked".
    """
    chosen_area = draw(areas) if area is None else area
    pool = relevant_keys(chosen_area) if keys is None else tuple(_spec(k).key for k in keys)
    result: Answer = {"area": chosen_area}
    for key in KEYS:
        if key != "area" and key in pool and draw(st.booleans()):
            result[key] = draw(values_for(key))
    return result


@st.composite
def full_answers(draw: st.DrawFn, area: str | None = None) -> Answer:
    """Generate valid answers with every key relevant to the area answered."""
    chosen_area = draw(areas) if area is None else area
    result: Answer = {"area": chosen_area}
    for key in relevant_keys(chosen_area):
        if key != "area":
            result[key] = draw(values_for(key))
    return result


def raising_value(key: str) -> Any:
    """Return the answer that raises the red flag ``key``.

    ``True`` for the yes/no red flags, ``"worsening"`` for ``leg_weakness``.
    """
    spec = _spec(key)
    if spec.group != "red_flag":
        raise InvalidAnswersError([AnswerProblem(key, key, f"{key!r} is not a red-flag key")])
    return True if spec.accepts(True) else "worsening"


raised_red_flags: st.SearchStrategy[tuple[str, Any]] = st.sampled_from(
    [(key, raising_value(key)) for key in RED_FLAG_KEYS]
)
"""Generate a ``(key, value)`` pair that raises one red flag (any area)."""


def raised_red_flags_for(area: str) -> st.SearchStrategy[tuple[str, Any]]:
    """Generate a ``(key, value)`` pair that raises one red flag the area calls for."""
    relevant_keys(area)  # refuses an unknown area
    return st.sampled_from([(key, raising_value(key)) for key in red_flags_for_area(area)])


@st.composite
def with_raised_red_flag(draw: st.DrawFn, area: str | None = None) -> Answer:
    """Generate valid answers in which at least one red flag of the area is raised."""
    result = draw(answers(area))
    key, value = draw(raised_red_flags_for(result["area"]))
    result[key] = value
    return result


_any_scalar = junk()[0]
_not_a_key = st.text(max_size=30).filter(lambda text: text not in KEYS)
_non_string_keys = st.one_of(
    st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False), st.tuples(st.integers())
)


def invalid_values_for(key: str) -> st.SearchStrategy[Any]:
    """Generate values the key refuses: wrong type, out of range, bad choice or ``None``.

    For ``start_date``: other spellings of a day (``20260101``, ``2026-1-1``, a
    date with a time) and well-formed strings naming no day (``2025-02-30``).

    ``None`` is refused because a mapping leaves a key out to say "not asked".
    """
    strategy: st.SearchStrategy[Any] = _spec(key).type.invalid_strategy(_spec(key))
    return strategy


_corruptions = st.sampled_from(
    ["unknown_key", "non_string_key", "bad_value", "missing_area", "bad_area"]
)


@st.composite
def invalid_answers(draw: st.DrawFn, area: str | None = None) -> dict[Any, Any]:
    """Generate answer mappings with at least one contract violation, for fuzzing.

    Starts from valid :func:`answers` and applies one to three corruptions: an
    unknown key (sometimes a near miss of a real one), a non-string key, a value
    the key refuses (wrong type, out of range, bad choice, ``None``), a missing
    ``area`` or a bad ``area``. Each corruption leaves a violation behind, so the
    mapping is always refused.
    """
    result: dict[Any, Any] = draw(answers(area))
    for kind in draw(st.lists(_corruptions, min_size=1, max_size=3)):
        if kind == "unknown_key":
            near_miss = st.sampled_from(list(KEYS)).map(lambda k: k + "s") | st.sampled_from(
                list(KEYS)
            ).map(str.upper)
            result[draw(near_miss | _not_a_key)] = draw(_any_scalar)
        elif kind == "non_string_key":
            result[draw(_non_string_keys)] = draw(_any_scalar)
        elif kind == "bad_value":
            key = draw(st.sampled_from(list(KEYS)))
            result[key] = draw(invalid_values_for(key))
        elif kind == "missing_area":
            result.pop("area", None)
        else:
            result["area"] = draw(invalid_values_for("area"))
    return result


@st.composite
def checkins(draw: st.DrawFn, dates: st.SearchStrategy[str] | None = None) -> Answer:
    """Generate a valid journal check-in (any subset of the check-in keys but ``date``).

    ``dates``, when given, draws the required ``date`` (ISO strings); without it the
    check-in has no ``date``, for the caller to add. ``note`` is short text.
    """
    from ._checkin import CHECKIN_KEYS, NOTE_LIMIT

    result: Answer = {}
    for key, spec in CHECKIN_KEYS.items():
        if key == "date" or not draw(st.booleans()):
            continue
        if key == "note":
            result[key] = draw(st.text(max_size=min(NOTE_LIMIT, 40)))
        else:
            result[key] = draw(spec.strategy())
    if dates is not None:
        result["date"] = draw(dates)
    return result
