"""The small condition language of rule files, and its compilation to durable-rules.

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

Conditions are compiled to durable-rules: answers are matched on one fact, findings
and levels are joins with the facts that other rules assert, and negation over
findings or levels waits for a *gate* fact of its stratum, so it never depends on
the order in which rules fire.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from ._contract import KEYS, KeySpec
from ._levels import LEVELS

__all__ = [
    "LEVELS",
    "All",
    "AnswerTest",
    "Any_",
    "AtLeast",
    "Condition",
    "ConditionError",
    "FindingTest",
    "LevelTest",
    "Not",
    "Term",
    "describe",
    "parse_condition",
    "to_terms",
]

_NUMERIC_OPS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


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
    data: object, where: str = "when", vocabulary: Mapping[str, KeySpec] = KEYS
) -> Condition:
    """Parse TOML data into a condition, or raise :class:`ConditionError` saying where.

    ``vocabulary`` holds the facts a condition may test: the answer contract by
    default; the check-in rules pass their own.
    """
    if not isinstance(data, Mapping) or not data:
        raise ConditionError(f"{where}: a condition must be a non-empty table (got {data!r})")
    keys = set(data)
    if keys == {"at_least", "of"}:
        count, parts = data["at_least"], data["of"]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"{where}.of: must be a non-empty list of conditions")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= len(parts):
            raise ConditionError(
                f"{where}.at_least: must be a whole number in 1..{len(parts)} (got {count!r})"
            )
        return AtLeast(count, _parse_list(parts, f"{where}.of", vocabulary))
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
        parts = _parse_list(value, path, vocabulary)
        return All(parts) if name == "all" else Any_(parts)
    if name == "not":
        return Not(parse_condition(value, path, vocabulary))
    if name == "finding":
        if not isinstance(value, str) or not value:
            raise ConditionError(f"{path}: must be a finding id (got {value!r})")
        return FindingTest(value)
    if name == "level":
        return _parse_level(value, path)
    if name in vocabulary:
        return _parse_answer(vocabulary[name], value, path)
    raise ConditionError(
        f"{path}: unknown test {name!r}; expected an answer key, finding, level, "
        "all, any, not or at_least/of"
    )


def _parse_list(
    items: list[Any], where: str, vocabulary: Mapping[str, KeySpec]
) -> tuple[Condition, ...]:
    return tuple(parse_condition(item, f"{where}[{i}]", vocabulary) for i, item in enumerate(items))


def _parse_level(value: object, path: str) -> LevelTest:
    if isinstance(value, str):
        level, at_least = value, False
    elif isinstance(value, Mapping) and set(value) == {"at_least"}:
        level, at_least = value["at_least"], True
    else:
        raise ConditionError(f"{path}: must be a level or {{ at_least = level }} (got {value!r})")
    if level not in LEVELS:
        raise ConditionError(f"{path}: unknown level {level!r}; expected one of {LEVELS}")
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
                    raise ConditionError(f"{path}.{op}: must be a number (got {bound!r})")
                if not math.isfinite(bound):
                    raise ConditionError(f"{path}.{op}: must be finite (got {bound!r})")
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
                f"{path}: {item!r} is not a value of {key!r}; allowed: {spec.allowed()}"
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


# ---------------------------------------------------------------------------------------
# Compilation to durable-rules


@dataclass(frozen=True)
class Term:
    """One conjunction of a condition in disjunctive normal form.

    ``answer`` is a durable-rules expression over the answers fact (or ``None``);
    the other fields are the findings and level facts that must be present or absent.
    """

    answer: tuple[dict[str, Any], ...]
    findings: frozenset[str]
    no_findings: frozenset[str]
    levels_at_least: frozenset[int]
    no_levels_at_least: frozenset[int]
    level_exact: frozenset[int]

    @property
    def negative(self) -> bool:
        """Whether this term tests that something is absent (it then needs a gate)."""
        return bool(self.no_findings or self.no_levels_at_least or self.level_exact)


_EMPTY = Term((), frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def to_terms(condition: Condition) -> list[Term]:
    """Compile a condition to a list of terms: the condition holds when any term holds.

    Each term's answer expression stays within what the engine can hold (see
    :data:`MAX_GROUPS`); a larger one is split into several terms that mean the same.
    """
    out: list[Term] = []
    for term in _terms(condition, negated=False):
        out.extend(_fit(term))
    return out


#: durable-rules keeps at most 32 expression slots per pattern, and each ``$and`` or
#: ``$or`` group takes two (measured: an ``$or`` of 14 ``$and`` pairs is refused with
#: error 113). The engine wraps a term's answer tests in one more ``$and``.
MAX_GROUPS = 14


def _groups(expr: dict[str, Any]) -> int:
    for op in ("$and", "$or"):
        if op in expr:
            return 1 + sum(_groups(part) for part in expr[op])
    return 0


def _fit(term: Term) -> list[Term]:
    """Split a term whose answer expression is too large, on its largest ``$or``."""
    items: list[dict[str, Any]] = []
    for item in term.answer:  # a conjunction: nested $and parts join it directly
        items.extend(item.get("$and", [item]))
    if sum(_groups(item) for item in items) <= MAX_GROUPS:
        return [_replace(term, answer=tuple(items))]
    ors = [i for i, item in enumerate(items) if "$or" in item]
    if not ors:  # pragma: no cover - flattened conjunctions of leaves have no groups
        return [_replace(term, answer=tuple(items))]
    widest = max(ors, key=lambda i: _groups(items[i]))
    out: list[Term] = []
    for alternative in items[widest]["$or"]:
        answer = (*items[:widest], alternative, *items[widest + 1 :])
        out.extend(_fit(_replace(term, answer=answer)))
    return out


def _terms(cond: Condition, negated: bool) -> list[Term]:
    if isinstance(cond, Not):
        return _terms(cond.part, not negated)
    if isinstance(cond, AnswerTest):
        return [Term((_answer_expr(cond, negated),), *_EMPTY_SETS)]
    if isinstance(cond, FindingTest):
        key = "no_findings" if negated else "findings"
        return [_replace(_EMPTY, **{key: frozenset([cond.finding])})]
    if isinstance(cond, LevelTest):
        return _level_terms(cond, negated)
    if isinstance(cond, AtLeast):
        n = len(cond.parts)
        count = cond.count
        parts = cond.parts
        if negated:  # not (at least k of n) == at least n-k+1 of the negated parts
            count, parts = n - count + 1, tuple(Not(p) for p in parts)
        combos = [All(c) for c in itertools.combinations(parts, count)]
        return _terms(Any_(tuple(combos)), negated=False)
    assert isinstance(cond, All | Any_)
    conjunctive = isinstance(cond, All) != negated
    children = [_terms(part, negated) for part in cond.parts]
    if conjunctive:
        result = [_EMPTY]
        for alternatives in children:
            result = [_merge(a, b) for a in result for b in alternatives]
        return result
    # A disjunction: answer-only alternatives stay one durable $or expression.
    pure = [alts for alts in children if all(_pure(t) for t in alts)]
    mixed = [alts for alts in children if not all(_pure(t) for t in alts)]
    out: list[Term] = []
    if pure:
        exprs = [_and(t.answer) for alts in pure for t in alts]
        out.append(Term((exprs[0] if len(exprs) == 1 else {"$or": exprs},), *_EMPTY_SETS))
    for alts in mixed:
        out.extend(alts)
    return out


_NONE: frozenset[Any] = frozenset()
_EMPTY_SETS = (_NONE, _NONE, _NONE, _NONE, _NONE)


def _pure(term: Term) -> bool:
    return term.answer != () and term == Term(term.answer, *_EMPTY_SETS)


def _and(exprs: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return exprs[0] if len(exprs) == 1 else {"$and": list(exprs)}


def _replace(term: Term, **changes: Any) -> Term:
    values = {f: getattr(term, f) for f in Term.__dataclass_fields__}
    values.update(changes)
    return Term(**values)


def _merge(a: Term, b: Term) -> Term:
    return Term(
        a.answer + b.answer,
        a.findings | b.findings,
        a.no_findings | b.no_findings,
        a.levels_at_least | b.levels_at_least,
        a.no_levels_at_least | b.no_levels_at_least,
        a.level_exact | b.level_exact,
    )


def _level_terms(cond: LevelTest, negated: bool) -> list[Term]:
    rank = LEVELS.index(cond.level)
    if cond.at_least:
        if rank == 0:  # every result is at least self_care
            return [] if negated else [_replace(_EMPTY, answer=({"t": "a"},))]
        if negated:
            return [_replace(_EMPTY, no_levels_at_least=frozenset([rank]))]
        return [_replace(_EMPTY, levels_at_least=frozenset([rank]))]
    if not negated:
        return [_replace(_EMPTY, level_exact=frozenset([rank]))]
    # not exactly `rank`: below it, or above it
    below = [] if rank == 0 else [_replace(_EMPTY, no_levels_at_least=frozenset([rank]))]
    above = (
        [] if rank == len(LEVELS) - 1 else [_replace(_EMPTY, levels_at_least=frozenset([rank + 1]))]
    )
    return below + above


def _answer_expr(test: AnswerTest, negated: bool) -> dict[str, Any]:
    key = test.key
    present = {"$ex": {key: 1}}
    absent = {"$nex": {key: 1}}
    if test.op == "asked":
        return present if test.value != negated else absent
    if test.op == "range":
        ops = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
        flipped = {"lt": "$gte", "lte": "$gt", "gt": "$lte", "gte": "$lt"}
        if not negated:
            return _and(tuple({ops[op]: {key: bound}} for op, bound in test.value))
        return {"$or": [absent, *({flipped[op]: {key: bound}} for op, bound in test.value)]}
    equal = [{key: v} for v in test.value]
    differ = [{"$neq": {key: v}} for v in test.value]
    member = equal[0] if len(equal) == 1 else {"$or": equal}
    non_member = _and((present, *differ))
    if test.op == "in":
        return {"$or": [absent, _and(tuple(differ))]} if negated else member
    # not_in: answered and none of the values
    return {"$or": [absent, member]} if negated else non_member
