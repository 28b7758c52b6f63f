"""The two floors painpath's triage is measured against, built in the same run.

- ``one_rule_floor``: a rule set of one trivial rule, loaded by ``painpath.load_rules``
  and evaluated through painpath's own call path (``RuleSet.fired_ids`` on the same
  answers fact): what any evaluation on that engine costs, like for like.
- ``plain_python``: the shipped rules as one generated Python function (straight-line
  ``if`` statements, stratum by stratum): what evaluating the same rules costs in
  plain Python, with no engine at all. The source is generated here, for the benchmark
  only, from the validated condition tree; painpath itself never generates code.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import painpath
from painpath._conditions import (
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
from painpath._engines.python import _order

ONE_RULE = """
[[rule]]
id = "FLOOR-1"
title = "Every answer"
rationale = "The benchmark floor: one rule that every answer set matches."
source = "benchmarks/floors.py"
advice = ["a"]
when = { area = ["back", "knee", "both"] }
"""


def one_rule_floor(engine: str) -> Callable[[Mapping[str, Any]], tuple[str, ...]]:
    """Return ``fired_ids`` of a one-rule rule set on ``engine`` (painpath's call path)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "floor.toml").write_text(ONE_RULE, encoding="utf-8")
        rules = painpath.load_rules(tmp, engine=engine)
    return rules.fired_ids


def _expr(cond: Condition) -> str:
    if isinstance(cond, AnswerTest):
        key = repr(cond.key)
        if cond.op == "asked":
            return f"({key} in a)" if cond.value else f"({key} not in a)"
        if cond.op == "range":
            ops = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
            tests = " and ".join(f"a[{key}] {ops[op]} {bound!r}" for op, bound in cond.value)
            return f"({key} in a and {tests})"
        values = repr(tuple(cond.value))
        if cond.op == "in":
            return f"({key} in a and a[{key}] in {values})"
        return f"({key} in a and a[{key}] not in {values})"
    if isinstance(cond, FindingTest):
        return f"({cond.finding!r} in f)"
    if isinstance(cond, LevelTest):
        rank = LEVELS.index(cond.level)
        return f"(lv >= {rank})" if cond.at_least else f"(lv == {rank})"
    if isinstance(cond, Not):
        return f"(not {_expr(cond.part)})"
    if isinstance(cond, AtLeast):
        return f"(({' + '.join(_expr(p) for p in cond.parts)}) >= {cond.count})"
    joiner = " and " if isinstance(cond, All) else " or "
    assert isinstance(cond, All | Any_)
    return "(" + joiner.join(_expr(p) for p in cond.parts) + ")"


def plain_python(rules: painpath.RuleSet) -> Callable[[Mapping[str, Any]], tuple[str, ...]]:
    """Return the shipped rules as one generated function ``fact -> fired rule ids``."""
    active = [r for r in rules.rules if r.status == "active"]
    strata = [rules.strata[r.id] for r in active]
    lines = ["def fired(a):", "    f = set()", "    lv = 0", "    out = []"]
    for stratum in sorted(set(strata)):
        members = [i for i, s in enumerate(strata) if s == stratum]
        order, cyclic = _order(active, members)
        if cyclic:  # pragma: no cover - the shipped rules have no positive cycle
            raise NotImplementedError("a stratum with a cycle")
        for i in order:
            rule = active[i]
            lines.append(f"    if {_expr(rule.when)}:")
            lines.append(f"        out.append({i})")
            if rule.finding:
                lines.append(f"        f.add({rule.finding!r})")
            if rule.level:
                rank = LEVELS.index(rule.level)
                lines.append(f"        lv = lv if lv > {rank} else {rank}")
    lines.append("    out.sort()")
    lines.append("    return tuple(ids[i] for i in out)")
    namespace: dict[str, Any] = {"ids": [r.id for r in active]}
    # Generated from the validated tree above, for the benchmark only.
    exec(compile("\n".join(lines), "<plain-python floor>", "exec"), namespace)
    function: Callable[[Mapping[str, Any]], tuple[str, ...]] = namespace["fired"]
    return function
