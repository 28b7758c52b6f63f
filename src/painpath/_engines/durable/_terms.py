"""Compiling the condition tree to durable-rules patterns: terms in disjunctive normal form.

Answer tests become one durable-rules expression on the answers fact (``$and``,
``$or``, ``$ex``, ``$nex``, ``$lt``...; "at least k of n" becomes an ``$or`` of the
k-combinations). Finding and level tests become joins with the facts other rules
assert, or ``$not`` patterns when negated.

The expansion can grow combinatorially (an ``all`` of many ``any`` of findings, an
``at_least 12 of 24``): it is counted as it goes and refused with :class:`TooLarge`
as soon as a rule passes :data:`MAX_TERMS` alternatives, before any memory is spent.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

from ..._conditions import (
    LEVELS,
    All,
    AnswerTest,
    Any_,
    AtLeast,
    Condition,
    FindingTest,
    LevelTest,
    Not,
)

__all__ = ["MAX_GROUPS", "MAX_TERMS", "Term", "TooLarge", "to_terms"]

#: The most alternatives (durable-rules rules) one painpath rule may compile to. The
#: shipped rules need at most a handful; each alternative costs the engine memory and
#: time at every evaluation.
MAX_TERMS = 256


class TooLarge(ValueError):
    """A condition expands to more alternatives than :data:`MAX_TERMS`."""


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
    Raises :class:`TooLarge` past :data:`MAX_TERMS` terms.
    """
    out: list[Term] = []
    for raw in _terms(condition, negated=False):
        term = _canonical(raw)
        if term is None:
            continue  # it contradicts itself: it can never hold
        out.extend(_fit(term))
        _budget(len(out))
    return out


def _canonical(term: Term) -> Term | None:
    """Rewrite a term's level tests as one range; ``None`` if the term cannot hold.

    durable-rules binds each fact to at most one pattern of a rule, and a ``$not``
    pattern looks only at the facts not bound by the others. So "finding x and not
    finding x" would hold once x is found (the one x fact is bound by the positive
    pattern, and the ``$not`` finds no other), and "level at least see_doctor and not
    at least urgent" would hold when the only level is urgent. The level tests of a
    term all speak of the result's highest level so far, M: each bounds M from below
    (``at least``, ``exactly``) or above (``not at least``, ``exactly``). Written as
    one range, the positive pattern only matches levels inside it and the ``$not`` only
    levels above it: no fact can be wanted by both.
    """
    if term.findings & term.no_findings or len(term.level_exact) > 1:
        return None
    top = len(LEVELS) - 1
    low = max(term.levels_at_least | term.level_exact, default=0)
    high = min({rank - 1 for rank in term.no_levels_at_least} | term.level_exact, default=top)
    if low > high:
        return None
    return _replace(
        term,
        levels_at_least=frozenset([low]) if low > 0 else frozenset(),
        no_levels_at_least=frozenset([high + 1]) if high < top else frozenset(),
        level_exact=frozenset(),
    )


def _budget(count: int) -> None:
    if count > MAX_TERMS:
        raise TooLarge(
            f"the condition is too large: it expands to more than {MAX_TERMS} alternatives "
            "for the durable-rules engine. Split it: give each branch of its widest 'any' "
            "or 'at_least' a rule of its own that sets a finding, and test those findings "
            "(or shorten the 'at_least' list)"
        )


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
        _budget(len(out))
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
        _budget(math.comb(n, count))
        combos = [All(c) for c in itertools.combinations(parts, count)]
        return _terms(Any_(tuple(combos)), negated=False)
    assert isinstance(cond, All | Any_)
    conjunctive = isinstance(cond, All) != negated
    children = [_terms(part, negated) for part in cond.parts]
    if conjunctive:
        result = [_EMPTY]
        for alternatives in children:
            _budget(len(result) * len(alternatives))
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
        _budget(len(out))
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
