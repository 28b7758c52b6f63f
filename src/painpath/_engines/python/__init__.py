"""The Python engine (``engine="python"``): the parsed rules as plain Python closures.

Each condition of the validated tree becomes a closure ``test(answers, findings,
level)``; nothing is generated as source and nothing from a rule file is ever
``eval``'d. Rules run stratum by stratum (the strata the rule set computed: negation
only looks at findings and levels that lower strata have finished); inside a
stratum rules run in an order where every producer of a finding or level comes
before the rules that test it, so one pass is enough, and a stratum with a cycle of
positive tests repeats until nothing new fires. The result is the same as durable's
forward chaining (``tests/test_differential.py`` checks it on every vignette,
sample and on hypothesis examples).

Nothing persists between evaluations, so the engine needs no lock and an interrupt
cannot leave anything behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    findings_used,
    level_use,
)
from ..._model import Rule

__all__ = ["PythonRules", "compile_condition", "compile_rules"]

#: A compiled condition: ``test(answers, findings so far, level rank so far)``.
Test = Callable[[Mapping[str, Any], set[str], int], bool]
#: One rule ready to run: (index, test, finding it sets or None, level rank it sets or 0).
_Item = tuple[int, Test, "str | None", int]

_MISSING = object()


def compile_rules(rules: Sequence[Rule], strata: Sequence[int], origin: str) -> PythonRules:
    """Compile rules to closures; see :func:`painpath._engines.compile_rules`."""
    return PythonRules(rules, strata)


class PythonRules:
    """Active rules compiled to closures, evaluated stratum by stratum."""

    name = "python"

    def __init__(self, rules: Sequence[Rule], strata: Sequence[int]) -> None:
        by_stratum: dict[int, list[int]] = {}
        for index, stratum in enumerate(strata):
            by_stratum.setdefault(stratum, []).append(index)
        tests = [compile_condition(rule.when) for rule in rules]
        groups: list[tuple[tuple[_Item, ...], bool]] = []
        for stratum in sorted(by_stratum):
            order, cyclic = _order(rules, by_stratum[stratum])
            items = tuple(
                (
                    i,
                    tests[i],
                    rules[i].finding,
                    LEVELS.index(level) if (level := rules[i].level) else 0,
                )
                for i in order
            )
            groups.append((items, cyclic))
        self._groups = tuple(groups)

    def evaluate(self, fact: Mapping[str, Any]) -> tuple[int, ...]:
        """Run the rules on one answers fact; return the indices of the rules that fired."""
        found: set[str] = set()
        level = 0
        fired: list[int] = []
        for items, cyclic in self._groups:
            if not cyclic:
                for index, test, finding, rank in items:
                    if test(fact, found, level):
                        fired.append(index)
                        if finding is not None:
                            found.add(finding)
                        if rank > level:
                            level = rank
                continue
            remaining = list(items)
            changed = True
            while changed:
                changed = False
                rest = []
                for item in remaining:
                    index, test, finding, rank = item
                    if test(fact, found, level):
                        changed = True
                        fired.append(index)
                        if finding is not None:
                            found.add(finding)
                        if rank > level:
                            level = rank
                    else:
                        rest.append(item)
                remaining = rest
        fired.sort()
        return tuple(fired)


def _order(rules: Sequence[Rule], members: list[int]) -> tuple[list[int], bool]:
    """Order one stratum's rules so producers come before the rules that test them.

    Returns the order and whether the stratum has a cycle of positive tests (it then
    needs repeated passes).
    """
    producers: dict[str, list[int]] = {}
    level_producers = [i for i in members if rules[i].level]
    for i in members:
        if rules[i].finding:
            producers.setdefault(rules[i].finding or "", []).append(i)
    needs: dict[int, set[int]] = {}
    for i in members:
        deps = {p for f, _ in findings_used(rules[i].when) for p in producers.get(f, ())}
        if level_use(rules[i].when)[0]:
            deps.update(level_producers)
        deps.discard(i)
        needs[i] = deps
    order: list[int] = []
    done: set[int] = set()
    waiting = list(members)
    while waiting:
        ready = [i for i in waiting if needs[i] <= done]
        if not ready:
            return members, True  # a cycle: repeat passes until nothing new fires
        for i in ready:
            order.append(i)
            done.add(i)
        waiting = [i for i in waiting if i not in done]
    return order, False


def compile_condition(cond: Condition) -> Test:
    """Build the closure that tests ``cond``; only the validated tree is read."""
    if isinstance(cond, AnswerTest):
        return _answer(cond)
    if isinstance(cond, FindingTest):
        name = cond.finding

        def finding(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            return name in f

        return finding
    if isinstance(cond, LevelTest):
        rank = LEVELS.index(cond.level)
        if cond.at_least:

            def at_least(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
                return lv >= rank

            return at_least

        def exactly(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            return lv == rank

        return exactly
    if isinstance(cond, Not):
        inner = compile_condition(cond.part)

        def negation(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            return not inner(a, f, lv)

        return negation
    if isinstance(cond, AtLeast):
        parts = tuple(compile_condition(p) for p in cond.parts)
        count = cond.count

        def at_least_of(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            hits = 0
            for part in parts:
                if part(a, f, lv):
                    hits += 1
                    if hits >= count:
                        return True
            return False

        return at_least_of
    assert isinstance(cond, All | Any_)
    parts = tuple(compile_condition(p) for p in cond.parts)
    if len(parts) == 1:
        return parts[0]
    if isinstance(cond, All):
        if len(parts) == 2:
            first, second = parts

            def both(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
                return first(a, f, lv) and second(a, f, lv)

            return both

        def every(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            for part in parts:  # noqa: SIM110 - a plain loop is faster than all() on the hot path
                if not part(a, f, lv):
                    return False
            return True

        return every
    if len(parts) == 2:
        first, second = parts

        def either(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            return first(a, f, lv) or second(a, f, lv)

        return either

    def some(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
        for part in parts:  # noqa: SIM110 - a plain loop is faster than any() on the hot path
            if part(a, f, lv):
                return True
        return False

    return some


def _answer(test: AnswerTest) -> Test:
    """Build an answer test: false when the question was not asked (``not`` flips it)."""
    key = test.key
    if test.op == "asked":
        wanted = bool(test.value)

        def asked(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            return (key in a) is wanted

        return asked
    if test.op == "range":
        checks = tuple(_BOUNDS[op](bound) for op, bound in test.value)
        if len(checks) == 1:
            (check,) = checks

            def bounded(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
                value = a.get(key, _MISSING)
                return value is not _MISSING and check(value)

            return bounded

        def within(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            value = a.get(key, _MISSING)
            return value is not _MISSING and all(check(value) for check in checks)

        return within
    values = tuple(test.value)
    if test.op == "in":
        if len(values) == 1:
            (only,) = values

            def equals(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
                value = a.get(key, _MISSING)
                return value is not _MISSING and value == only

            return equals

        def member(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
            value = a.get(key, _MISSING)
            return value is not _MISSING and value in values

        return member

    def answered_not(a: Mapping[str, Any], f: set[str], lv: int) -> bool:
        value = a.get(key, _MISSING)
        return value is not _MISSING and value not in values

    return answered_not


def _lt(bound: float) -> Callable[[Any], bool]:
    return lambda value: bool(value < bound)


def _lte(bound: float) -> Callable[[Any], bool]:
    return lambda value: bool(value <= bound)


def _gt(bound: float) -> Callable[[Any], bool]:
    return lambda value: bool(value > bound)


def _gte(bound: float) -> Callable[[Any], bool]:
    return lambda value: bool(value >= bound)


_BOUNDS: dict[str, Callable[[float], Callable[[Any], bool]]] = {
    "lt": _lt,
    "lte": _lte,
    "gt": _gt,
    "gte": _gte,
}
