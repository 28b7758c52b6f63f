"""The small condition language of rule files: parse, walk, describe. No engine here.

A condition is TOML data, readable by a clinician:

- ``{ fever = true }`` — the answer equals the value (never true when not asked);
- ``{ area = ["back", "both"] }`` — the answer is one of the values;
- ``{ leg_pain = { not = "none" } }`` — answered, and not that value (or values);
- ``{ age = { lt = 18 } }``, ``gte``, ``gt``, ``lte`` — numeric bounds, combinable;
- ``{ leg_pain_trend = { asked = false } }`` — whether the question was asked;
- ``{ finding = "pattern.sciatica" }`` — another rule found this;
- ``{ level = "see_doctor" }`` / ``{ level = { at_least = "urgent" } }`` — the level so far;
- ``{ all = [...] }``, ``{ any = [...] }``, ``{ not = {...} }``,
  ``{ at_least = 2, of = [...] }`` — combinations.

A test of an answer is false when the question was not asked; ``not`` flips it.
A level test looks at the highest level of the rules that fired so far. Each engine
(:mod:`painpath._engines`) compiles the parsed tree its own way; this module knows
none of them.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from ._contract import KEYS, KeySpec
from ._levels import LEVELS

__all__ = [
    "LEVELS",
    "MAX_DEPTH",
    "All",
    "AnswerTest",
    "Any_",
    "AtLeast",
    "Condition",
    "ConditionError",
    "FindingTest",
    "LevelTest",
    "Not",
    "describe",
    "findings_used",
    "level_use",
    "parse_condition",
    "walk",
]

#: How deep conditions may nest (``all`` in ``any`` in ``not``...). The shipped rules
#: use 4; a deeper condition is refused with a message, never a ``RecursionError``.
MAX_DEPTH = 32

_NUMERIC_OPS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60
_short.maxlist = _short.maxdict = 4
_short.maxlevel = 3


def _cut(value: object) -> str:
    """``repr`` of a value from a rule file, cut short for error messages."""
    return _short.repr(value)


class ConditionError(ValueError):
    """A malformed condition; the message says where and what is wrong."""


@dataclass(frozen=True)
class AnswerTest:
    """A test of one answer. ``op`` is ``in``, ``not_in``, ``range`` or ``asked``.

    For ``range``, ``value`` is a tuple of (operator, number) pairs.
    """

    key: str
    op: str
    value: Any


@dataclass(frozen=True)
class FindingTest:
    """True when some rule has found ``finding``."""

    finding: str


@dataclass(frozen=True)
class LevelTest:
    """True when the level so far is ``level`` exactly, or at least ``level``."""

    level: str
    at_least: bool


@dataclass(frozen=True)
class All:
    """True when every part is true."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Any_:
    """True when some part is true."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the part is false."""

    part: Condition


@dataclass(frozen=True)
class AtLeast:
    """True when at least ``count`` of the parts are true."""

    count: int
    parts: tuple[Condition, ...]


Condition: TypeAlias = AnswerTest | FindingTest | LevelTest | All | Any_ | Not | AtLeast


# ---------------------------------------------------------------------------------------
# Parsing


def parse_condition(
    data: object,
    where: str = "when",
    vocabulary: Mapping[str, KeySpec] = KEYS,
    depth: int = 0,
) -> Condition:
    """Parse TOML data into a condition, or raise :class:`ConditionError` saying where.

    ``vocabulary`` holds the facts a condition may test: the answer contract by
    default; the check-in rules pass their own. Nesting deeper than
    :data:`MAX_DEPTH` is refused.
    """
    if depth >= MAX_DEPTH:
        raise ConditionError(
            f"{where}: nested more than {MAX_DEPTH} deep; split the condition into "
            "several rules that set a finding, and test the findings"
        )
    if not isinstance(data, Mapping) or not data:
        raise ConditionError(f"{where}: a condition must be a non-empty table (got {_cut(data)})")
    keys = set(data)
    if keys == {"at_least", "of"}:
        count, parts = data["at_least"], data["of"]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"{where}.of: must be a non-empty list of conditions")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= len(parts):
            raise ConditionError(
                f"{where}.at_least: must be a whole number in 1..{len(parts)} (got {_cut(count)})"
            )
        return AtLeast(count, _parse_list(parts, f"{where}.of", vocabulary, depth))
    if "at_least" in keys or "of" in keys:
        raise ConditionError(f"{where}: 'at_least' and 'of' go together, alone in their table")
    if len(keys) != 1:
        raise ConditionError(
            f"{where}: one test per table (got {sorted(keys)}); combine tests with all/any"
        )
    ((name, value),) = data.items()
    path = f"{where}.{name}"
    if name in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{path}: must be a non-empty list of conditions")
        parts = _parse_list(value, path, vocabulary, depth)
        return All(parts) if name == "all" else Any_(parts)
    if name == "not":
        return Not(parse_condition(value, path, vocabulary, depth + 1))
    if name == "finding":
        if not isinstance(value, str) or not value:
            raise ConditionError(f"{path}: must be a finding id (got {_cut(value)})")
        return FindingTest(value)
    if name == "level":
        return _parse_level(value, path)
    if name in vocabulary:
        return _parse_answer(vocabulary[name], value, path)
    raise ConditionError(
        f"{path}: unknown test {_cut(name)}; expected an answer key, finding, level, "
        "all, any, not or at_least/of"
    )


def _parse_list(
    items: list[Any], where: str, vocabulary: Mapping[str, KeySpec], depth: int
) -> tuple[Condition, ...]:
    return tuple(
        parse_condition(item, f"{where}[{i}]", vocabulary, depth + 1)
        for i, item in enumerate(items)
    )


def _parse_level(value: object, path: str) -> LevelTest:
    if isinstance(value, str):
        level, at_least = value, False
    elif isinstance(value, Mapping) and set(value) == {"at_least"}:
        level, at_least = value["at_least"], True
    else:
        raise ConditionError(
            f"{path}: must be a level or {{ at_least = level }} (got {_cut(value)})"
        )
    if level not in LEVELS:
        raise ConditionError(f"{path}: unknown level {_cut(level)}; expected one of {LEVELS}")
    return LevelTest(level, at_least)


def _parse_answer(spec: KeySpec, value: object, path: str) -> AnswerTest:
    key = spec.key
    if not spec.type.rule_testable:
        raise ConditionError(f"{path}: {key!r} is a {spec.kind}; rules cannot test it")
    if isinstance(value, Mapping):
        ops = set(value)
        if ops == {"asked"}:
            if not isinstance(value["asked"], bool):
                raise ConditionError(f"{path}.asked: must be true or false")
            return AnswerTest(key, "asked", value["asked"])
        if ops == {"not"}:
            return AnswerTest(key, "not_in", _values(spec, value["not"], f"{path}.not"))
        if ops and ops <= set(_NUMERIC_OPS):
            if not spec.type.numeric:
                raise ConditionError(f"{path}: {key!r} is not a number; use a value or not")
            bounds = []
            for op in sorted(ops):
                bound = value[op]
                if isinstance(bound, bool) or not isinstance(bound, int | float):
                    raise ConditionError(f"{path}.{op}: must be a number (got {_cut(bound)})")
                if not math.isfinite(bound):
                    raise ConditionError(f"{path}.{op}: must be finite (got {_cut(bound)})")
                bounds.append((op, bound))
            return AnswerTest(key, "range", tuple(bounds))
        raise ConditionError(
            f"{path}: unknown operator(s) {sorted(ops)}; expected not, asked, lt, lte, gt, gte"
        )
    return AnswerTest(key, "in", _values(spec, value, path))


def _values(spec: KeySpec, value: object, path: str) -> tuple[Any, ...]:
    items: list[Any] = value if isinstance(value, list) else [value]
    if not items:
        raise ConditionError(f"{path}: needs at least one value")
    key = spec.key
    for item in items:
        if not spec.accepts(item):
            raise ConditionError(
                f"{path}: {_cut(item)} is not a value of {key!r}; allowed: {spec.allowed()}"
            )
    return tuple(items)


# ---------------------------------------------------------------------------------------
# Walking


def walk(condition: Condition) -> Iterator[Condition]:
    """Yield the condition and every part of it."""
    yield condition
    if isinstance(condition, All | Any_ | AtLeast):
        for part in condition.parts:
            yield from walk(part)
    elif isinstance(condition, Not):
        yield from walk(condition.part)


def findings_used(condition: Condition) -> set[tuple[str, bool]]:
    """Return the findings the condition tests, each with ``True`` when tested under a ``not``."""
    out: set[tuple[str, bool]] = set()

    def visit(cond: Condition, negated: bool) -> None:
        if isinstance(cond, FindingTest):
            out.add((cond.finding, negated))
        elif isinstance(cond, Not):
            visit(cond.part, not negated)
        elif isinstance(cond, AtLeast):
            # "at least k of" is a mix of positive and negative tests of its parts.
            for part in cond.parts:
                visit(part, negated)
                visit(part, not negated)
        elif isinstance(cond, All | Any_):
            for part in cond.parts:
                visit(part, negated)

    visit(condition, False)
    return out


def level_use(condition: Condition) -> tuple[bool, bool]:
    """Return (tests a level, tests it in a non-monotonic way: exact or negated)."""
    used = nonmono = False

    def visit(cond: Condition, negated: bool) -> None:
        nonlocal used, nonmono
        if isinstance(cond, LevelTest):
            used = True
            if negated or not cond.at_least:
                nonmono = True
        elif isinstance(cond, Not):
            visit(cond.part, not negated)
        elif isinstance(cond, AtLeast):
            for part in cond.parts:
                visit(part, negated)
                visit(part, not negated)
        elif isinstance(cond, All | Any_):
            for part in cond.parts:
                visit(part, negated)

    visit(condition, False)
    return used, nonmono


# ---------------------------------------------------------------------------------------
# Plain English


def describe(condition: Condition, indent: int = 0) -> str:
    """Say the condition in plain English, as a Markdown list where it has parts."""
    pad = "  " * indent
    if isinstance(condition, All | Any_ | AtLeast):
        if isinstance(condition, All):
            head = "all of:"
        elif isinstance(condition, Any_):
            head = "any of:"
        else:
            head = f"at least {condition.count} of:"
        lines = [head]
        for part in condition.parts:
            lines.append(f"{pad}  - {describe(part, indent + 1)}")
        return "\n".join(lines)
    if isinstance(condition, Not):
        return f"not ({describe(condition.part, indent)})"
    if isinstance(condition, FindingTest):
        return f"finding `{condition.finding}`"
    if isinstance(condition, LevelTest):
        if condition.at_least:
            return f"level is at least `{condition.level}`"
        return f"level is `{condition.level}`"
    return _describe_answer(condition)


def _describe_answer(test: AnswerTest) -> str:
    key = f"`{test.key}`"
    if test.op == "asked":
        return f"{key} was asked" if test.value else f"{key} was not asked"
    if test.op == "range":
        return " and ".join(f"{key} {_NUMERIC_OPS[op]} {bound:g}" for op, bound in test.value)
    shown = [_show(v) for v in test.value]
    if test.op == "in":
        if len(shown) == 1:
            return f"{key} is {shown[0]}"
        return f"{key} is one of {', '.join(shown)}"
    if len(shown) == 1:
        return f"{key} was answered and is not {shown[0]}"
    return f"{key} was answered and is none of {', '.join(shown)}"


def _show(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return f"`{value}`"
