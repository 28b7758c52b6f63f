"""The Python engine (``engine="python"``): the parsed rules as one generated function.

The validated condition tree of every active rule becomes one Python function,
``evaluate(answers) -> fired rule indices``, compiled once per rule set. The source is
generated only from the validated tree, and it holds no text from a rule file: every
answer key and value is a constant passed in by name (``k0``, ``c3``), findings are
local flags (``h2``), and levels are the ranks of the level table. So nothing a rule
file says is ever ``eval``'d, and a test checks that the source has no string literal.

Rules run stratum by stratum (the strata the rule set computed: negation only looks
at findings and levels that lower strata have finished); inside a stratum rules run
in an order where every producer of a finding or level comes before the rules that
test it, so one pass is enough, and a stratum with a cycle of positive tests repeats
until nothing new fires. The result is the same as durable's forward chaining
(``tests/test_differential.py`` checks it on every vignette, sample and on
hypothesis examples).

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
from .. import Outcome

__all__ = ["PythonRules", "compile_rules", "generate"]

_MISSING = object()
_RANGE_OPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def compile_rules(rules: Sequence[Rule], strata: Sequence[int], origin: str) -> PythonRules:
    """Compile rules to one function; see :func:`painpath._engines.compile_rules`."""
    return PythonRules(rules, strata)


class PythonRules:
    """Active rules compiled to one generated function, evaluated stratum by stratum."""

    name = "python"

    def __init__(self, rules: Sequence[Rule], strata: Sequence[int]) -> None:
        source, constants = generate(rules, strata)
        #: The generated source, for reading and for tests (no rule text is in it).
        self.source = source
        namespace: dict[str, Any] = {}
        # Generated from the validated tree only; rule-file values are passed as names.
        exec(compile(source, "<painpath python engine>", "exec"), namespace)
        self.outcome: Callable[[Mapping[str, Any]], Outcome] = namespace["build"](**constants)

    def evaluate(self, fact: Mapping[str, Any]) -> tuple[int, ...]:
        """Run the rules on one answers fact; return the indices of the rules that fired."""
        return self.outcome(fact)[0]


class _Writer:
    """Turns conditions into expressions, collecting the constants they refer to."""

    def __init__(self) -> None:
        self.constants: dict[str, object] = {"M": _MISSING}
        self._names: dict[tuple[type, object], str] = {}
        self.keys: dict[str, str] = {}  # answer key -> local holding its value
        self.flags: dict[str, str] = {}  # finding -> local flag
        self.tested: set[str] = set()  # findings some condition tests

    def constant(self, value: object) -> str:
        marker = (type(value), value)
        name = self._names.get(marker)
        if name is None:
            name = self._names[marker] = f"c{len(self._names)}"
            self.constants[name] = value
        return name

    def key(self, key: str) -> str:
        local = self.keys.get(key)
        if local is None:
            local = self.keys[key] = f"v{len(self.keys)}"
        return local

    def flag(self, finding: str) -> str:
        local = self.flags.get(finding)
        if local is None:
            local = self.flags[finding] = f"h{len(self.flags)}"
        return local

    def expr(self, cond: Condition) -> str:
        """Return a Python expression, always a ``bool``, for ``cond``."""
        if isinstance(cond, AnswerTest):
            return self._answer(cond)
        if isinstance(cond, FindingTest):
            return self.flag(cond.finding)
        if isinstance(cond, LevelTest):
            rank = LEVELS.index(cond.level)
            return f"(lv >= {rank})" if cond.at_least else f"(lv == {rank})"
        if isinstance(cond, Not):
            return f"(not {self.expr(cond.part)})"
        if isinstance(cond, AtLeast):
            parts = " + ".join(self.expr(p) for p in cond.parts) or "0"
            return f"(({parts}) >= {int(cond.count)})"
        assert isinstance(cond, All | Any_)
        if not cond.parts:
            return "True" if isinstance(cond, All) else "False"
        joiner = " and " if isinstance(cond, All) else " or "
        return "(" + joiner.join(self.expr(p) for p in cond.parts) + ")"

    def _answer(self, test: AnswerTest) -> str:
        local = self.key(test.key)
        if test.op == "asked":
            return f"({local} is not M)" if test.value else f"({local} is M)"
        if test.op == "range":
            bounds = " and ".join(
                f"{local} {_RANGE_OPS[op]} {self.constant(bound)}" for op, bound in test.value
            )
            return f"({local} is not M and {bounds})"
        values = tuple(test.value)
        # ``M`` (not asked) equals no value, so ``in`` needs no test of it; a value
        # of the fact is validated, so a bool is ``True`` or ``False`` itself.
        if test.op == "in":
            if len(values) == 1:
                (only,) = values
                same = "is" if isinstance(only, bool) else "=="
                return f"({local} {same} {self.constant(only)})"
            return f"({local} in {self.constant(values)})"
        assert test.op == "not_in", test.op
        return f"({local} is not M and {local} not in {self.constant(values)})"


def generate(rules: Sequence[Rule], strata: Sequence[int]) -> tuple[str, dict[str, object]]:
    """Return the source of ``build(**constants) -> outcome`` for ``rules``, and the constants.

    ``outcome(answers)`` returns the indices of the rules that fired (ascending), the
    rank of the highest level they set, and the findings they made (see
    :class:`painpath._engines.Engine`).
    """
    writer = _Writer()
    # Only findings some condition tests need a flag; every finding goes to ``fs``.
    writer.tested = {finding for rule in rules for finding, _ in findings_used(rule.when)}
    by_stratum: dict[int, list[int]] = {}
    for index, stratum in enumerate(strata):
        by_stratum.setdefault(stratum, []).append(index)
    body: list[str] = []
    for stratum in sorted(by_stratum):
        order, cyclic = _order(rules, by_stratum[stratum])
        body.append(f"    # stratum {int(stratum)}")
        if not cyclic:
            for i in order:
                body.append(f"    if {writer.expr(rules[i].when)}:")
                body.extend(_fires(writer, rules[i], i, "        "))
            continue
        pending = ", ".join(str(i) for i in order)
        body.append(f"    pending = {{{pending}}}")
        body.append("    while True:")
        body.append("        changed = False")
        for i in order:
            body.append(f"        if {i} in pending and {writer.expr(rules[i].when)}:")
            body.append(f"            pending.discard({i})")
            body.append("            changed = True")
            body.extend(_fires(writer, rules[i], i, "            "))
        body.append("        if not changed:")
        body.append("            break")
    head = ["def outcome(a):", "    lv = 0", "    out = []", "    fs = []"]
    if writer.keys:
        # Every answer a rule tests, read once: M when it was not asked.
        locals_ = ", ".join(writer.keys.values())
        writer.constants["K"] = tuple(writer.keys)
        writer.constants["MS"] = (_MISSING,) * len(writer.keys)
        head.append(f"    ({locals_},) = tuple(map(a.get, K, MS))")
    head += [f"    {flag} = False" for flag in writer.flags.values()]
    tail = ["    out.sort()", "    return tuple(out), lv, frozenset(fs)"]
    # ``build`` takes the constants as arguments, so ``outcome`` reads them as
    # closure cells (faster than globals) and the module has no other names.
    names = ", ".join(writer.constants)
    inner = ["    " + line for line in head + body + tail]
    lines = [f"def build(*, {names}):", *inner, "    return outcome"]
    return "\n".join(lines) + "\n", writer.constants


def _fires(writer: _Writer, rule: Rule, index: int, indent: str) -> list[str]:
    lines = [f"{indent}out.append({int(index)})"]
    if rule.finding:
        if rule.finding in writer.tested:
            lines.append(f"{indent}{writer.flag(rule.finding)} = True")
        lines.append(f"{indent}fs.append({writer.constant(rule.finding)})")
    if rule.level:
        rank = LEVELS.index(rule.level)
        if rank:
            lines.append(f"{indent}if lv < {rank}:")
            lines.append(f"{indent}    lv = {rank}")
    return lines


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
