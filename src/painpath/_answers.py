"""Validated answers: one frozen object per questionnaire, checked against the contract.

:class:`Answers` has one attribute per key of the answer contract
(``shared/spec/answers.md``, ``_contract.KEYS``), in contract order. ``None`` means
"not asked". Each attribute carries an attrs validator built from its
:class:`~painpath._contract.KeySpec`; the constructor runs all of them before it
builds anything, so every problem of one call is reported together in one
:class:`~painpath.InvalidAnswersError`.
"""

from __future__ import annotations

import difflib
import itertools
import reprlib
from collections.abc import Callable, Iterable, Mapping
from operator import getitem
from typing import Any

import attrs

from ._contract import AREAS, DEFAULT_EQUIPMENT, KEYS, KeySpec, red_flags_for_area
from ._exceptions import AnswerProblem, InvalidAnswersError
from ._steps import Sides

__all__ = [
    "Answers",
    "Details",
    "Inputs",
    "coerce_answers",
    "details",
    "plain_inputs",
]

_ORDER = {key: index for index, key in enumerate(KEYS)}

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = _short.maxtuple = _short.maxdict = _short.maxset = 10


def _show(value: object) -> str:
    """``repr`` of a value, cut short, for error messages; never raises."""
    try:
        return _short.repr(value)
    except Exception:  # a broken __repr__ must not hide the real problem
        return f"<{type(value).__name__} object>"


class _FieldError(InvalidAnswersError):
    """Raised by one field's validator; the constructor collects these."""


def _is_allowed(spec: KeySpec, value: object) -> bool:
    """Whether ``value`` (not ``None``) is one the key accepts (its kind says)."""
    return spec.accepts(value)


def _value_problem(spec: KeySpec, value: object) -> AnswerProblem:
    """Describe why ``value`` is refused for ``spec``, in the one shape of every message."""
    got = _show(value)
    if value is None:
        got = 'None; leave the key out for "not asked"'
    elif (bad := spec.type.bad_part(spec, value)) is not value:
        got = f"{_show(bad)} in {got}"
    return AnswerProblem(spec.key, value, f"{spec.key!r} must be {spec.allowed()} (got {got})")


@attrs.frozen
class _KeyValidator:
    """attrs validator for one contract key: ``None`` (not asked) or an allowed value."""

    spec: KeySpec

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and not self.spec.required:
            return
        if value is None or not _is_allowed(self.spec, value):
            raise _FieldError([_value_problem(self.spec, value)])


def _converter(spec: KeySpec) -> Callable[[object], object] | None:
    """Normalise a valid value on the way in; anything else is left for the validator.

    A list (``equipment``) becomes a tuple in contract order, duplicates collapsed;
    a whole number given for a ``float`` key (``bmi``) becomes a float.
    """
    if not spec.type.normalises:
        return None  # the value is stored as given

    def normalise(value: object) -> object:
        if value is not None and _is_allowed(spec, value):
            return spec.normalise(value)
        return value

    return normalise


def _field(key: str) -> Any:
    """Build the attrs field for one contract key, its validator from the contract."""
    spec = KEYS[key]
    metadata = {"spec": spec}
    if spec.required:
        return attrs.field(validator=_KeyValidator(spec), metadata=metadata)
    return attrs.field(
        default=None, validator=_KeyValidator(spec), converter=_converter(spec), metadata=metadata
    )


#: Keys longer than this get no did-you-mean: no contract key is nearly this long.
SUGGEST_MAX_LENGTH = 40
#: Unknown keys of one call that get a did-you-mean search; the rest are only named.
SUGGEST_MAX_KEYS = 20


def suggest_key(key: str) -> str | None:
    """Return the contract key ``key`` is probably a typo of, or None.

    Only short keys are compared (see :data:`SUGGEST_MAX_LENGTH`), so the search
    costs little whatever the input.
    """
    if len(key) > SUGGEST_MAX_LENGTH:
        return None
    close = difflib.get_close_matches(key, list(KEYS), n=1)
    if not close:
        close = difflib.get_close_matches(key.lower(), list(KEYS), n=1)
    return close[0] if close else None


def _unknown_key(key: object, *, suggest: bool = True) -> AnswerProblem:
    if not isinstance(key, str):
        return AnswerProblem(_show(key), key, f"answer keys must be strings (got {_show(key)})")
    close = suggest_key(key) if suggest else None
    hint = f" (did you mean {close!r}?)" if close else ""
    return AnswerProblem(key, key, f"unknown key {_show(key)}{hint}")


def _problems(
    items: Iterable[tuple[object, object]], *, none_is_not_asked: bool
) -> list[AnswerProblem]:
    """List every problem of one set of answers, known keys in contract order first.

    ``none_is_not_asked``: the keyword constructor reads ``None`` as "not asked"; a
    mapping must leave the key out instead.
    """
    known: list[tuple[int, AnswerProblem]] = []
    unknown: list[AnswerProblem] = []
    fields = attrs.fields_dict(Answers)
    area_given = False
    for key, value in items:
        if not isinstance(key, str) or key not in KEYS:
            unknown.append(_unknown_key(key, suggest=len(unknown) < SUGGEST_MAX_KEYS))
            continue
        if key == "area" and value is not None:
            area_given = True
        if value is None and (none_is_not_asked or key == "area"):
            continue
        if value is None:
            known.append((_ORDER[key], _value_problem(KEYS[key], value)))
            continue
        field = fields[key]
        try:
            if field.validator is not None:
                field.validator(None, field, value)
        except _FieldError as error:
            known.extend((_ORDER[key], problem) for problem in error.problems)
    if not area_given:
        known.append((_ORDER["area"], AnswerProblem("area", None, "'area' is required")))
    known.sort(key=lambda pair: pair[0])
    return [problem for _, problem in known] + unknown


def _read_items(data: Mapping[Any, Any]) -> list[tuple[object, object]]:
    """Read a mapping's items once; a mapping that fails when read is InvalidAnswersError."""
    try:
        return list(data.items())
    except Exception as error:  # a broken mapping is bad input, whatever it raises
        reason = (
            f"{type(error).__name__}: {_show(str(error))}" if str(error) else type(error).__name__
        )
        raise InvalidAnswersError(
            [
                AnswerProblem(
                    "answers",
                    data,
                    f"'answers' could not be read as a mapping ({reason} while reading its items)",
                )
            ]
        ) from error


@attrs.frozen(kw_only=True, init=False, repr=False)
class Answers:
    """One person's answers, checked against the answer contract (version 2).

    Build it with keywords, ``Answers(area="back", age=40, fever=False)``, or from
    a mapping with :meth:`from_mapping`. Every attribute but ``area`` defaults to
    ``None``, which means "not asked": in the keyword constructor ``None`` simply
    leaves a key unasked, while :meth:`from_mapping` refuses an explicit ``None``
    (leave the key out instead). ``False`` and "not asked" stay distinct.

    Values are checked strictly: booleans must be ``True``/``False`` (not ``1`` or
    ``"yes"``), whole numbers must be ``int`` (not ``bool``), ``bmi`` any finite
    number, strings exactly as in the contract, ``start_date`` an ISO date
    ``YYYY-MM-DD`` that exists. ``equipment`` is a list or tuple of
    allowed items, stored as a tuple in contract order with duplicates collapsed.
    Every problem of one call is reported together in one
    :class:`~painpath.InvalidAnswersError`.

    The object is frozen and hashable; use ``attrs.evolve`` to change an answer.
    """

    # General
    area: str = _field("area")
    age: int | None = _field("age")
    duration_weeks: int | None = _field("duration_weeks")
    onset: str | None = _field("onset")
    pain_score: int | None = _field("pain_score")
    painful_side: str | None = _field("painful_side")
    dominant_side: str | None = _field("dominant_side")
    # Red flags
    bladder_or_bowel_change: bool | None = _field("bladder_or_bowel_change")
    saddle_numbness: bool | None = _field("saddle_numbness")
    leg_weakness: str | None = _field("leg_weakness")
    fever: bool | None = _field("fever")
    unexplained_weight_loss: bool | None = _field("unexplained_weight_loss")
    cancer_history: bool | None = _field("cancer_history")
    constant_night_pain: bool | None = _field("constant_night_pain")
    steroids_or_immunosuppressed: bool | None = _field("steroids_or_immunosuppressed")
    osteoporosis: bool | None = _field("osteoporosis")
    sexual_dysfunction: bool | None = _field("sexual_dysfunction")
    upper_back_pain: bool | None = _field("upper_back_pain")
    pain_unchanged_by_position: bool | None = _field("pain_unchanged_by_position")
    calf_swelling: bool | None = _field("calf_swelling")
    # Back
    back_pain: str | None = _field("back_pain")
    leg_pain: str | None = _field("leg_pain")
    leg_pain_sides: str | None = _field("leg_pain_sides")
    leg_numbness_or_tingling: bool | None = _field("leg_numbness_or_tingling")
    bending_forward_hurts: bool | None = _field("bending_forward_hurts")
    sitting_hurts: bool | None = _field("sitting_hurts")
    cough_sneeze_worse: bool | None = _field("cough_sneeze_worse")
    hard_to_stand_up: bool | None = _field("hard_to_stand_up")
    keeps_shifting_position: bool | None = _field("keeps_shifting_position")
    tender_dimple: bool | None = _field("tender_dimple")
    groin_or_front_thigh_pain: bool | None = _field("groin_or_front_thigh_pain")
    spasm: bool | None = _field("spasm")
    thigh_to_chest_hurts: bool | None = _field("thigh_to_chest_hurts")
    pregnant_or_postpartum: bool | None = _field("pregnant_or_postpartum")
    press_up_response: str | None = _field("press_up_response")
    leg_pain_trend: str | None = _field("leg_pain_trend")
    first_episode: bool | None = _field("first_episode")
    previous_spinal_surgery: bool | None = _field("previous_spinal_surgery")
    # Knee
    knee_pain_location: str | None = _field("knee_pain_location")
    knee_injury: str | None = _field("knee_injury")
    knee_can_bear_weight: bool | None = _field("knee_can_bear_weight")
    knee_can_bend_90: bool | None = _field("knee_can_bend_90")
    knee_swelling: str | None = _field("knee_swelling")
    knee_locking: bool | None = _field("knee_locking")
    knee_giving_way: bool | None = _field("knee_giving_way")
    knee_hot_red: bool | None = _field("knee_hot_red")
    bmi: float | None = _field("bmi")
    # Preferences
    equipment: tuple[str, ...] | None = _field("equipment")
    minutes_per_day: int | None = _field("minutes_per_day")
    start_date: str | None = _field("start_date")

    def __init__(self, **answers: Any) -> None:
        """Check every answer, then build; raise one error listing every problem."""
        problems = _problems(answers.items(), none_is_not_asked=True)
        if problems:
            raise InvalidAnswersError(problems)
        self.__attrs_init__(**answers)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | Answers) -> Answers:
        """Validate a mapping of answers (an :class:`Answers` is returned as is).

        A key left out means "not asked"; an explicit ``None`` value is refused.
        Anything that is not a mapping raises :class:`~painpath.InvalidAnswersError`
        with the key ``"answers"``.
        """
        if isinstance(data, Answers):
            return data
        if not isinstance(data, Mapping):
            raise InvalidAnswersError(
                [
                    AnswerProblem(
                        "answers",
                        data,
                        f"'answers' must be a mapping of key to answer (got {_show(data)})",
                    )
                ]
            )
        items = _read_items(data)
        problems = _problems(items, none_is_not_asked=False)
        if problems:
            raise InvalidAnswersError(problems)
        # Checked above: set the fields from the very values checked (each read once),
        # rather than check everything again.
        given = dict(items)
        instance = cls.__new__(cls)
        for key, convert in _CONVERTERS.items():
            value = given.get(key)
            if value is not None and convert is not None:
                value = convert(value)
            object.__setattr__(instance, key, value)
        return instance

    def asked(self) -> dict[str, object]:
        """Return the answers that were given, in contract order (``equipment`` as a list)."""
        given: dict[str, object] = {}
        for key in KEYS:
            value = getattr(self, key)
            if value is not None:
                given[key] = list(value) if isinstance(value, tuple) else value
        return given

    def to_dict(self) -> dict[str, object]:
        """JSON-ready plain data: the answers that were given, as :meth:`asked`."""
        return self.asked()

    def is_asked(self, key: str) -> bool:
        """Whether ``key`` was answered; an unknown key raises InvalidAnswersError."""
        if key not in KEYS:
            raise InvalidAnswersError([_unknown_key(key)])
        return getattr(self, key) is not None

    def unscreened(self) -> tuple[str, ...]:
        """Return the red-flag keys the area calls for that were not asked, in contract order."""
        return tuple(key for key in red_flags_for_area(self.area) if getattr(self, key) is None)

    def available_equipment(self) -> frozenset[str]:
        """Return what is at hand; when ``equipment`` was not asked, the contract's default."""
        if self.equipment is None:
            return frozenset(DEFAULT_EQUIPMENT)
        return frozenset(self.equipment)

    def fact(self) -> dict[str, bool | int | float | str]:
        """Return the scalar answers that were given (no ``equipment``), for the rules engine."""
        given: dict[str, bool | int | float | str] = {}
        for key, spec in KEYS.items():
            value = getattr(self, key)
            if value is not None and not spec.type.repeats:
                given[key] = value
        return given

    def inputs(self) -> Inputs:
        """Return what a triage reads: the engine's fact, and these answers for the rest."""
        return self.fact(), self

    def __repr__(self) -> str:
        inner = ", ".join(f"{key}={value!r}" for key, value in self.asked().items())
        return f"Answers({inner})"


if tuple(attrs.fields_dict(Answers)) != tuple(KEYS):  # pragma: no cover - a coding error
    raise RuntimeError("Answers attributes must follow _contract.KEYS, in contract order")

#: Each field's converter (or None), for building an already checked mapping.
_CONVERTERS: dict[str, Callable[[object], object] | None] = {
    field.name: field.converter  # type: ignore[misc]
    for field in attrs.fields(Answers)
}


#: What a triage reads (see :meth:`Answers.inputs`): the engine's fact, and where
#: the rest comes from (:func:`details`): the answers, or a checked dict and its
#: ``equipment`` (None when not asked).
Inputs = tuple[dict[str, Any], "Answers | tuple[dict[str, Any], Any]"]
#: What the plan reads beside the fired rules: equipment at hand, minutes a day,
#: unscreened red flags, sides and start date.
Details = tuple[frozenset[str], "int | None", tuple[str, ...], Sides, "str | None"]


class _Table(dict[Any, type]):
    """A key's plain values, each mapped to its exact type (``True`` to ``bool``).

    Looking a value up gives the type it must have: ``1`` finds ``True``'s entry
    (they are equal) but has type ``int``, so comparing types tells them apart.
    """


class _Unlisted(_Table):
    """A key with no short list of values: any value passes here, then gets the full check."""

    def __missing__(self, value: object) -> type:
        return type(value)


def _table(spec: KeySpec) -> _Table:
    values = spec.type.plain_values(spec)
    if values is None:
        return _Unlisted()
    return _Table((value, type(value)) for value in values)


#: Each key's table of plain values (see ``Kind.plain_values``).
_TABLES = {key: _table(spec) for key, spec in KEYS.items() if not spec.type.repeats}
#: Keys whose values are not listed: each gets the quick check of its kind, and
#: is normalised when its kind says so (a whole ``bmi`` becomes a float).
_CHECKED_ALONE = tuple(
    (key, spec.type.plain_check(spec), spec if spec.type.normalises else None)
    for key, spec in KEYS.items()
    if isinstance(_TABLES.get(key), _Unlisted)
)
#: Keys whose answers hold several values (``equipment``): not in the engine's fact.
_REPEATS = tuple(
    (key, spec.type.plain_check(spec)) for key, spec in KEYS.items() if spec.type.repeats
)
_RED_FLAGS = {area: red_flags_for_area(area) for area in AREAS}
_DEFAULT_EQUIPMENT = frozenset(DEFAULT_EQUIPMENT)
_SIDES: dict[tuple[object, object], Sides] = {}


def _sides(dominant: object, painful: object) -> Sides:
    """``Sides.of``, shared: there are only a few combinations of valid answers."""
    key = (dominant, painful)
    found = _SIDES.get(key)
    if found is None:
        found = Sides.of(dominant, painful)
        if len(_SIDES) < 64:
            _SIDES[key] = found
    return found


def plain_inputs(data: object) -> Inputs | None:
    """Return the triage inputs of a plain ``dict`` of plainly valid answers, else None.

    The fast path of :func:`painpath.triage`, on a copy of the dict (each value read
    once): every key, and the value with its exact type for keys with few values,
    are looked up in the contract's tables; the few other values (``bmi``,
    ``start_date``, ``equipment``) get the full check of their kind. Anything it is
    not sure of (another mapping type, a subclass, an unknown key, a missing
    ``area``) returns None, and the caller runs the full check, which names every
    problem. Where it answers, the fact and :func:`details` equal those of
    ``Answers.from_mapping(data)`` (``tests/test_fast_path.py``).
    """
    if data.__class__ is not dict:
        return None
    given: dict[Any, Any] = dict(data)
    listed = None
    try:
        for key, check in _REPEATS:
            if key in given:
                value = given.pop(key)  # not in the engine's fact
                if not check(value):
                    return None
                listed = frozenset(value)
        values = given.values()
        # In C: a table lookup per answer, and no Python call per answer.
        if list(map(getitem, map(_TABLES.__getitem__, given), values)) != list(map(type, values)):
            return None
        for key, check, spec in _CHECKED_ALONE:
            if key in given:
                value = given[key]
                if not check(value):
                    return None
                if spec is not None:
                    given[key] = spec.normalise(value)
    except Exception:  # an unknown key (KeyError), an unhashable value...
        return None
    if "area" not in given:
        return None
    return given, (given, listed)


def details(source: Answers | tuple[dict[str, Any], Any]) -> Details:
    """Return what the plan reads from the second part of :data:`Inputs`."""
    if isinstance(source, Answers):
        return (
            source.available_equipment(),
            source.minutes_per_day,
            source.unscreened(),
            _sides(source.dominant_side, source.painful_side),
            source.start_date,
        )
    given, listed = source
    return (
        _DEFAULT_EQUIPMENT if listed is None else frozenset(listed),
        given.get("minutes_per_day"),
        tuple(itertools.filterfalse(given.__contains__, _RED_FLAGS[given["area"]])),
        _sides(given.get("dominant_side"), given.get("painful_side")),
        given.get("start_date"),
    )


def coerce_answers(answers: Mapping[str, Any] | Answers) -> Answers:
    """Return ``answers`` as a validated :class:`Answers` (see :meth:`Answers.from_mapping`)."""
    return Answers.from_mapping(answers)
