"""The kinds of answer a contract key takes, each knowing everything about itself.

A :class:`~painpath._contract.KeySpec` names its kind (``"bool"``, ``"str"``,
``"int"``, ``"float"``, ``"list"``, ``"date"``); the kind is one of the objects
below, and is the one place that says, for values of that kind:

- which values are allowed and how to say so in words (:meth:`Kind.accepts`,
  :meth:`Kind.describe`), and how a valid value is normalised (:meth:`Kind.normalise`);
- how typed text and a CSV cell become a value (:meth:`Kind.from_text`,
  :meth:`Kind.from_cell`), and the prompt's hint (:meth:`Kind.hint`);
- its hypothesis strategies, valid and invalid (:meth:`Kind.strategy`,
  :meth:`Kind.invalid_strategy`) and a reproducible sample (:meth:`Kind.sample`);
- its FHIR item type, the ``value[x]`` it writes and reads (:meth:`Kind.fhir_answer`),
  and its JSON Schema;
- how the docs say it (:meth:`Kind.answer_words`, :meth:`Kind.markdown`) and, for a
  yes/no or one-choice key, every value it can take (:meth:`Kind.every_value`).

Code elsewhere asks the kind; it never switches on the kind's name (a structure test
holds it to that).

A kind is also the plain string of its name (``spec.kind == "bool"`` holds), so
tables keyed by the name keep working. Only the standard library is imported at
module level; hypothesis is imported when a strategy is asked for.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from hypothesis import strategies as st

    from ._contract import KeySpec

__all__ = ["KINDS", "Kind", "is_iso_date"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"[+-]?[0-9]+")
_CHOICE_NUMBER = re.compile(r"[0-9]{1,3}")  # ASCII digits only, as typed
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_iso_date(value: object) -> bool:
    """Say whether ``value`` is a string ``YYYY-MM-DD`` naming a real calendar day.

    Only that one spelling: not ``20260101``, not a week date, not a time.
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_DATES_SEEN: dict[str, bool] = {}


def _plain_date(value: object) -> bool:
    """:func:`is_iso_date` of a plain ``str``, remembering the last few hundred answers."""
    if value.__class__ is not str:
        return False
    known = _DATES_SEEN.get(value)
    if known is None:
        known = is_iso_date(value)
        if len(_DATES_SEEN) >= 512:
            _DATES_SEEN.clear()
        _DATES_SEEN[value] = known
    return known


@functools.cache
def junk() -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any], st.SearchStrategy[str]]:
    """Strategies of wrong values: any scalar, wrong containers, and bad date strings."""
    from hypothesis import strategies as st

    any_scalar = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.binary(max_size=5),
    )
    containers = st.lists(st.integers(), max_size=3) | st.dictionaries(
        st.text(max_size=5), st.integers(), max_size=2
    )
    bad_dates = st.one_of(
        # Other spellings of a real day, and well-formed strings that name no day.
        st.dates().map(lambda d: d.strftime("%Y%m%d")),
        st.dates().map(lambda d: f"{d.year}-{d.month}-{d.day}"),
        st.datetimes().map(datetime.datetime.isoformat),
        st.dates().map(lambda d: d.isoformat() + " "),
        st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)).map(
            lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
        ),
        st.sampled_from(["2026-02-29", "2025-13-01", "2025-04-31", "0000-01-01", "today"]),
    )
    return any_scalar, containers, bad_dates


def _pick(spec: KeySpec, word: str) -> str | None:
    """Return the choice a word names: its number (1-based, ASCII digits) or its value."""
    if _CHOICE_NUMBER.fullmatch(word) and 1 <= int(word) <= len(spec.choices):
        return spec.choices[int(word) - 1]
    return word if word in spec.choices else None


class Kind(str):
    """One kind of answer value; the methods take the key's spec for its bounds and choices."""

    #: The FHIR R4 ``Questionnaire.item.type`` of this kind.
    fhir_type: ClassVar[str]
    #: The ``value[x]`` key of a FHIR answer or initial value of this kind.
    fhir_value: ClassVar[str]
    #: Other ``value[x]`` keys a QuestionnaireResponse may answer it with (read, not written).
    fhir_also_read: ClassVar[tuple[str, ...]] = ()
    #: The type column of the contract page (``docs/contract.md``).
    contract_type: ClassVar[str]
    #: What the docs say an answer of this kind is, before any choices are listed.
    words: ClassVar[str]
    #: Whether rules may test it (``{ key = value }``); lists and dates they may not.
    rule_testable: ClassVar[bool] = True
    #: Whether it is a number with bounds (rules may compare it: ``lt``, ``gte``...).
    numeric: ClassVar[bool] = False
    #: Whether :meth:`normalise` changes a value (else it is stored as given).
    normalises: ClassVar[bool] = False
    #: Whether an answer holds several values (FHIR ``repeats``; not in the engine's fact).
    repeats: ClassVar[bool] = False

    def accepts(self, spec: KeySpec, value: object) -> bool:
        """Say whether ``value`` (not ``None``) is one the key accepts."""
        raise NotImplementedError

    def describe(self, spec: KeySpec) -> str:
        """Say in words what the key accepts, for error messages and docs."""
        raise NotImplementedError

    def normalise(self, spec: KeySpec, value: Any) -> Any:
        """Return the stored form of an accepted value (most kinds keep it as is)."""
        return value

    #: The exact types of the plain values of this kind (the fast path of valid answers
    #: takes no other; a subclass, say, gets the full check).
    plain_types: ClassVar[tuple[type, ...]] = ()

    def plain_values(self, spec: KeySpec) -> tuple[Any, ...] | None:
        """Return every value the key accepts, when they are few; else None.

        With :attr:`plain_types` it lets the fast path check most answers by table
        lookups; values of a kind without a short list get :meth:`plain_check`.
        """
        return None

    def plain_check(self, spec: KeySpec) -> Callable[[Any], bool]:
        """Return a quick test of this key's plain values, for the fast path.

        It may refuse a value :meth:`accepts` takes (the full check then runs) and
        may raise ``TypeError`` (read as a refusal); it never takes a value
        :meth:`accepts` refuses.
        """
        return functools.partial(self.accepts, spec)

    def bad_part(self, spec: KeySpec, value: object) -> object:
        """Return the part of a refused value to show in the message (the value itself)."""
        return value

    def from_cell(self, spec: KeySpec, text: str) -> Any:
        """Convert a non-empty, stripped CSV cell; text that does not convert is kept as is."""
        return text

    def from_text(self, spec: KeySpec, text: str) -> tuple[Any, str | None]:
        """Turn text typed at the prompt into ``(value, None)`` or ``(None, problem)``."""
        raise NotImplementedError

    def hint(self, spec: KeySpec) -> str:
        """Return the short prompt hint of what to type."""
        raise NotImplementedError

    def strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        """Return a hypothesis strategy of valid values (never ``None``)."""
        raise NotImplementedError

    def invalid_strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        """Return a hypothesis strategy of values the key refuses (``None`` among them)."""
        any_scalar, containers, _ = junk()
        return (any_scalar | containers).filter(lambda v: v is None or not self.accepts(spec, v))

    def sample(self, spec: KeySpec, rng: random.Random, true_rate: float) -> Any:
        """One reproducible valid value drawn with ``rng``."""
        raise NotImplementedError

    def json_schema(self, spec: KeySpec) -> dict[str, Any]:
        """Return the JSON Schema (draft 2020-12) of a value, without its description."""
        raise NotImplementedError

    def fhir_bounds(self, spec: KeySpec) -> tuple[Any, Any] | None:
        """Return the FHIR ``minValue``/``maxValue`` of the item, or ``None``."""
        return None

    @property
    def fhir_reads(self) -> tuple[str, ...]:
        """The ``value[x]`` keys an answer of this kind may come in (the written one first)."""
        return (self.fhir_value, *self.fhir_also_read)

    def fhir_answer(
        self, spec: KeySpec, value: Any, *, system: str, prefix: str = "value"
    ) -> dict[str, Any]:
        """Return one value as FHIR: ``{"valueBoolean": True}``, a coding for a choice.

        ``prefix`` is ``"value"`` for an answer or initial value, ``"answer"`` for an
        ``enableWhen``; ``system`` is the code system of the key's choices.
        """
        return {prefix + self.fhir_value.removeprefix("value"): value}

    def every_value(self, spec: KeySpec) -> tuple[Any, ...]:
        """Every value of a single answer, when they are few: yes/no, one choice.

        Empty for numbers, lists and dates (too many to try one by one).
        """
        return ()

    def answer_words(self, spec: KeySpec) -> str:
        """Say in plain words what an answer is, for the questionnaire's docs."""
        return self.words

    def markdown(self, spec: KeySpec) -> str:
        """Say in Markdown what the key allows, for the contract page."""
        raise NotImplementedError


class _Bool(Kind):
    fhir_type = "boolean"
    fhir_value = "valueBoolean"
    contract_type = "bool"
    words = "yes or no"

    def every_value(self, spec: KeySpec) -> tuple[Any, ...]:
        return (True, False)

    def markdown(self, spec: KeySpec) -> str:
        return "`true` / `false`"

    def accepts(self, spec: KeySpec, value: object) -> bool:
        return isinstance(value, bool)

    plain_types = (bool,)

    def plain_values(self, spec: KeySpec) -> tuple[Any, ...] | None:
        return (True, False)

    def describe(self, spec: KeySpec) -> str:
        return "True or False"

    def from_cell(self, spec: KeySpec, text: str) -> Any:
        return {"true": True, "false": False}.get(text.lower(), text)

    def from_text(self, spec: KeySpec, text: str) -> tuple[Any, str | None]:
        low = text.strip().lower()
        if low in ("y", "yes"):
            return True, None
        if low in ("n", "no"):
            return False, None
        return None, "Please answer y or n."

    def hint(self, spec: KeySpec) -> str:
        return "y/n"

    def strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.booleans()

    def sample(self, spec: KeySpec, rng: random.Random, true_rate: float) -> Any:
        return rng.random() < true_rate

    def json_schema(self, spec: KeySpec) -> dict[str, Any]:
        return {"type": "boolean"}


class _Coded(Kind):
    """A kind whose values are the key's choices, coded in FHIR."""

    fhir_type = "choice"
    fhir_value = "valueCoding"
    fhir_also_read = ("valueString",)

    def fhir_answer(
        self, spec: KeySpec, value: Any, *, system: str, prefix: str = "value"
    ) -> dict[str, Any]:
        return {prefix + "Coding": {"system": system, "code": value}}

    def _choice_words(self, spec: KeySpec) -> str:
        return ", ".join(f"`{c}`" for c in spec.choices)


class _Choice(_Coded):
    contract_type = "str"
    words = "one of"

    def every_value(self, spec: KeySpec) -> tuple[Any, ...]:
        return spec.choices

    def markdown(self, spec: KeySpec) -> str:
        return self._choice_words(spec)

    def accepts(self, spec: KeySpec, value: object) -> bool:
        return isinstance(value, str) and value in spec.choices

    plain_types = (str,)

    def plain_values(self, spec: KeySpec) -> tuple[Any, ...] | None:
        return spec.choices

    def describe(self, spec: KeySpec) -> str:
        return "one of " + ", ".join(repr(c) for c in spec.choices)

    def from_text(self, spec: KeySpec, text: str) -> tuple[Any, str | None]:
        value = _pick(spec, text.strip().lower())
        if value is None:
            return None, f"Please choose a number from 1 to {len(spec.choices)}."
        return value, None

    def hint(self, spec: KeySpec) -> str:
        return f"1-{len(spec.choices)}"

    def strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.sampled_from(spec.choices)

    def sample(self, spec: KeySpec, rng: random.Random, true_rate: float) -> Any:
        return rng.choice(spec.choices)

    def json_schema(self, spec: KeySpec) -> dict[str, Any]:
        return {"type": "string", "enum": list(spec.choices)}


class _List(_Coded):
    contract_type = "list of str"
    rule_testable = False
    normalises = True
    repeats = True
    words = "any of (numbers separated by spaces)"
    plain_types = (list, tuple)

    def accepts(self, spec: KeySpec, value: object) -> bool:
        return isinstance(value, list | tuple) and all(
            isinstance(item, str) and item in spec.choices for item in value
        )

    def describe(self, spec: KeySpec) -> str:
        return "a list of " + ", ".join(repr(c) for c in spec.choices)

    def plain_check(self, spec: KeySpec) -> Callable[[Any], bool]:
        choices = frozenset(spec.choices)  # only a str (or subclass) equals a choice
        return lambda value: value.__class__ is list and choices.issuperset(value)

    def markdown(self, spec: KeySpec) -> str:
        return f"any of {self._choice_words(spec)}"

    def normalise(self, spec: KeySpec, value: Any) -> Any:
        """Return a tuple in contract order, duplicates collapsed."""
        return tuple(choice for choice in spec.choices if choice in value)

    def bad_part(self, spec: KeySpec, value: object) -> object:
        if isinstance(value, list | tuple):
            for item in value:
                if not (isinstance(item, str) and item in spec.choices):
                    return item
        return value

    def from_cell(self, spec: KeySpec, text: str) -> Any:
        return [item.strip() for item in text.split(";")]

    def from_text(self, spec: KeySpec, text: str) -> tuple[Any, str | None]:
        words = text.strip().lower().replace(",", " ").split()
        if words == ["0"]:
            return [], None
        picked = [_pick(spec, w) for w in words]
        if not picked or not all(picked):
            return None, f"Please give numbers from 1 to {len(spec.choices)}, or 0 for none."
        return list(dict.fromkeys(picked)), None

    def hint(self, spec: KeySpec) -> str:
        return "numbers separated by spaces, 0 for none"

    def strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.lists(st.sampled_from(spec.choices), unique=True)

    def sample(self, spec: KeySpec, rng: random.Random, true_rate: float) -> Any:
        return rng.sample(spec.choices, rng.randint(0, len(spec.choices)))

    def invalid_strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        from hypothesis import strategies as st

        any_scalar, _, _ = junk()
        bad_item = st.one_of(st.text(max_size=20), st.integers(), st.none()).filter(
            lambda v: v not in spec.choices
        )
        with_bad_item = st.builds(
            lambda good, bad, at: [*good[:at], bad, *good[at:]],
            st.lists(st.sampled_from(spec.choices), max_size=4),
            bad_item,
            st.integers(0, 4),
        )
        return (
            with_bad_item
            | st.sampled_from(spec.choices)
            | any_scalar
            | st.dictionaries(st.sampled_from(spec.choices), st.booleans(), max_size=2)
        )

    def json_schema(self, spec: KeySpec) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": list(spec.choices)}}


class _Number(Kind):
    fhir_type = "decimal"
    fhir_value = "valueDecimal"
    fhir_also_read: ClassVar[tuple[str, ...]] = ("valueInteger",)
    contract_type = "float"
    words = "a number"
    numeric = True
    normalises = True
    whole: ClassVar[bool] = False

    def accepts(self, spec: KeySpec, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.whole and not isinstance(value, int):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        low = spec.low if spec.low is not None else -math.inf
        high = spec.high if spec.high is not None else math.inf
        return low <= value <= high

    def describe(self, spec: KeySpec) -> str:
        return f"{self.words} in {spec.low:g}..{spec.high:g}"

    def answer_words(self, spec: KeySpec) -> str:
        return f"{self.words} from {spec.low:g} to {spec.high:g}"

    def markdown(self, spec: KeySpec) -> str:
        return f"{self.words.removeprefix('a ')} {spec.low:g} to {spec.high:g}"

    def normalise(self, spec: KeySpec, value: Any) -> Any:
        return value if self.whole else float(value)

    plain_types: ClassVar[tuple[type, ...]] = (float, int)

    def plain_values(self, spec: KeySpec) -> tuple[Any, ...] | None:
        if not self.whole or spec.low is None or spec.high is None:
            return None
        low, high = int(spec.low), int(spec.high)
        return tuple(range(low, high + 1)) if high - low <= 1000 else None

    def plain_check(self, spec: KeySpec) -> Callable[[Any], bool]:
        low = spec.low if spec.low is not None else -math.inf
        high = spec.high if spec.high is not None else math.inf
        exact = (int,) if self.whole else (float, int)
        isfinite = math.isfinite
        return lambda value: value.__class__ in exact and isfinite(value) and low <= value <= high

    def from_cell(self, spec: KeySpec, text: str) -> Any:
        if self.whole:
            return int(text) if _INT.fullmatch(text) else text
        return float(text) if _FLOAT.fullmatch(text) else text

    def from_text(self, spec: KeySpec, text: str) -> tuple[Any, str | None]:
        value = self.from_cell(spec, text.strip())
        if isinstance(value, str) or not self.accepts(spec, value):
            return None, f"Please enter {self.words} from {spec.low:g} to {spec.high:g}."
        return value, None

    def hint(self, spec: KeySpec) -> str:
        return f"{spec.low:g}-{spec.high:g}"

    def strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        from hypothesis import strategies as st

        low, high = spec.low, spec.high
        assert low is not None and high is not None
        whole = st.integers(math.ceil(low), math.floor(high))
        if self.whole:
            return whole
        return st.floats(low, high, allow_nan=False, allow_infinity=False) | whole

    def invalid_strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        from hypothesis import strategies as st

        _, containers, _ = junk()
        low, high = spec.low, spec.high
        assert low is not None and high is not None
        out_of_range = st.integers(max_value=int(low) - 1) | st.integers(min_value=int(high) + 1)
        if self.whole:
            wrong_type = st.one_of(
                st.none(),
                st.booleans(),
                st.floats(),
                st.integers(int(low), int(high)).map(str),
                st.text(max_size=10),
                containers,
            )
            return out_of_range | wrong_type
        out_of_range_floats = st.floats(max_value=low, exclude_max=True) | st.floats(
            min_value=high, exclude_min=True
        )
        wrong_type = st.one_of(
            st.none(),
            st.booleans(),
            st.sampled_from([float("nan"), float("inf"), float("-inf")]),
            st.floats(low, high).map(str),
            st.text(max_size=10),
            containers,
        )
        return out_of_range | out_of_range_floats | wrong_type

    def sample(self, spec: KeySpec, rng: random.Random, true_rate: float) -> Any:
        if self.whole:
            return rng.randint(int(spec.low or 0), int(spec.high or 0))
        return round(rng.uniform(spec.low or 0, spec.high or 0), 1)

    def fhir_bounds(self, spec: KeySpec) -> tuple[Any, Any] | None:
        if self.whole:
            return tuple(None if b is None else int(b) for b in (spec.low, spec.high))  # type: ignore[return-value]
        return spec.low, spec.high

    def json_schema(self, spec: KeySpec) -> dict[str, Any]:
        bounds = self.fhir_bounds(spec) or (None, None)
        limits = {"minimum": bounds[0], "maximum": bounds[1]}
        json_type = "integer" if self.whole else "number"
        return {"type": json_type, **{k: v for k, v in limits.items() if v is not None}}


class _Int(_Number):
    fhir_type = "integer"
    fhir_value = "valueInteger"
    fhir_also_read = ()
    contract_type = "int"
    words = "a whole number"
    whole = True
    normalises = False
    plain_types = (int,)


class _Date(Kind):
    fhir_type = "date"
    fhir_value = "valueDate"
    contract_type = "str (date)"
    words = "a date, year-month-day (`YYYY-MM-DD`)"
    rule_testable = False
    plain_types = (str,)

    def markdown(self, spec: KeySpec) -> str:
        return "ISO date `YYYY-MM-DD`"

    def accepts(self, spec: KeySpec, value: object) -> bool:
        return is_iso_date(value)

    def plain_check(self, spec: KeySpec) -> Callable[[Any], bool]:
        return _plain_date

    def describe(self, spec: KeySpec) -> str:
        return "an ISO date 'YYYY-MM-DD' that exists on the calendar"

    def from_text(self, spec: KeySpec, text: str) -> tuple[Any, str | None]:
        text = text.strip()
        if is_iso_date(text):
            return text, None
        return None, "Please enter a date as year-month-day, for example 2026-03-01."

    def hint(self, spec: KeySpec) -> str:
        return "YYYY-MM-DD"

    def strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.dates().map(datetime.date.isoformat)

    def invalid_strategy(self, spec: KeySpec) -> st.SearchStrategy[Any]:
        any_scalar, containers, bad_dates = junk()
        return (any_scalar | containers | bad_dates).filter(lambda v: not is_iso_date(v))

    def sample(self, spec: KeySpec, rng: random.Random, true_rate: float) -> Any:
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
        return day.isoformat()

    def json_schema(self, spec: KeySpec) -> dict[str, Any]:
        # An ISO calendar day; the pattern keeps out what the "date" format lets through,
        # and what a validator that only annotates formats could (a month 13, a day 00,
        # the year 0000). Only the format check knows February has no 30th.
        return {
            "type": "string",
            "format": "date",
            "pattern": "^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        }


#: Every kind by its name.
KINDS: dict[str, Kind] = {
    kind: kind
    for kind in (
        _Bool("bool"),
        _Choice("str"),
        _Int("int"),
        _Number("float"),
        _List("list"),
        _Date("date"),
    )
}
