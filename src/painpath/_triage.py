"""``painpath.triage()``: answers in, a decision out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._answers import Answers, coerce_answers
from ._plan import build_plan
from ._result import Level, Reason, Result
from ._rules import RuleSet, default_rules

__all__ = ["triage"]


def triage(answers: Mapping[str, Any] | Answers, *, rules: RuleSet | None = None) -> Result:
    """Decide what to do for one person's answers.

    ``answers`` is a mapping following the answer contract (or an :class:`Answers`);
    ``rules`` a :class:`RuleSet` from :func:`load_rules`, the shipped rules by default.
    Raises :class:`InvalidAnswersError` naming every bad key, and
    :class:`EngineError` if the rules engine fails; nothing else.
    """
    checked = coerce_answers(answers)
    if rules is None:
        rules = default_rules()
    elif not isinstance(rules, RuleSet):
        raise TypeError(
            f"rules must be a painpath.RuleSet from load_rules() (got {type(rules).__name__})"
        )
    fired = rules.fired(checked.fact())
    level = max((Level(r.level) for r in fired if r.level), default=Level.SELF_CARE)
    plan = build_plan(
        fired,
        rules,
        equipment=checked.available_equipment(),
        minutes_per_day=checked.minutes_per_day,
    )
    advice: dict[str, None] = {}
    for rule in fired:
        advice.update(dict.fromkeys(rule.advice))
    unscreened = checked.unscreened()
    if unscreened:
        names = ", ".join(k.replace("_", " ") for k in unscreened)
        advice[
            f"Not screened: these warning signs were not asked about: {names}. "
            "This result cannot rule them out; answer them, or ask a doctor."
        ] = None
    ordered = sorted(fired, key=lambda r: -Level(r.level).rank if r.level else 1)
    reasons = tuple(
        Reason(
            rule_id=r.id,
            title=r.title,
            rationale=r.rationale,
            source=r.source,
            finding=r.finding,
            level=Level(r.level) if r.level else None,
        )
        for r in ordered
    )
    return Result(
        level=level,
        findings=frozenset(r.finding for r in fired if r.finding),
        plan=plan.phases,
        stop_if=plan.stop_if,
        advice=tuple(advice),
        unscreened=unscreened,
        reasons=reasons,
        left_out=plan.left_out,
    )
