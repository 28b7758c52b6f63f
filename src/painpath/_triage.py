"""``painpath.triage()``: answers in, a decision out."""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from ._answers import Answers, coerce_answers
from ._plan import build_plan
from ._program import compose_program
from ._result import UNSCREENED_PREFIX, Level, Reason, Result
from ._rules import RuleSet, default_rules
from ._steps import NO_SIDES, Sides
from ._warnings import unscreened_advice

__all__ = ["triage"]


def triage(answers: Mapping[str, Any] | Answers, *, rules: RuleSet | None = None) -> Result:
    """Decide what to do for one person's answers.

    ``answers`` is a mapping following the answer contract (or an :class:`Answers`),
    or a FHIR ``QuestionnaireResponse`` to painpath's questionnaire (a mapping with
    ``resourceType``, read by :func:`answers_from_fhir`); ``rules`` a
    :class:`RuleSet` from :func:`load_rules`, the shipped rules by default.
    Raises :class:`InvalidAnswersError` naming every bad key, and
    :class:`EngineError` if the rules engine fails; nothing else.
    """
    if isinstance(answers, Mapping) and answers.get("resourceType") is not None:
        from ._fhir import answers_from_fhir

        answers = answers_from_fhir(answers)
    checked = coerce_answers(answers)
    if rules is None:
        rules = default_rules()
    elif not isinstance(rules, RuleSet):
        raise TypeError(
            f"rules must be a painpath.RuleSet from load_rules() (got {type(rules).__name__})"
        )
    fired = rules.fired(checked.fact())
    return _composer(rules)(
        tuple(r.id for r in fired),
        checked.available_equipment(),
        checked.minutes_per_day,
        checked.unscreened(),
        Sides.of(checked.dominant_side, checked.painful_side),
        getattr(checked, "start_date", None),
    )


_COMPOSERS: weakref.WeakKeyDictionary[RuleSet, Callable[..., Result]] = weakref.WeakKeyDictionary()
_COMPOSERS_LOCK = threading.Lock()


def _composer(rules: RuleSet) -> Callable[..., Result]:
    """Return the rule set's memoised result builder.

    A result depends only on which rules fired, the equipment, the time, the
    unscreened keys, the sides and the start date, and it is frozen: equal inputs
    share one result object.
    """
    composer = _COMPOSERS.get(rules)
    if composer is None:
        with _COMPOSERS_LOCK:
            composer = _COMPOSERS.get(rules)
            if composer is None:
                composer = functools.lru_cache(maxsize=256)(functools.partial(_compose, rules))
                _COMPOSERS[rules] = composer
    return composer


def _compose(
    rules: RuleSet,
    fired_ids: tuple[str, ...],
    equipment: frozenset[str],
    minutes_per_day: int | None,
    unscreened: tuple[str, ...],
    sides: Sides = NO_SIDES,
    start_date: str | None = None,
) -> Result:
    fired = [rules.by_id[rid] for rid in fired_ids]
    level = max((Level(r.level) for r in fired if r.level), default=Level.SELF_CARE)
    plan = build_plan(
        fired, rules, equipment=equipment, minutes_per_day=minutes_per_day, sides=sides
    )
    program = compose_program(
        plan.phases, fired, sides=sides, minutes_per_day=minutes_per_day, start_date=start_date
    )
    advice: dict[str, None] = {}
    for rule in fired:
        advice.update(dict.fromkeys(rule.advice))
    if unscreened:
        names = ", ".join(k.replace("_", " ") for k in unscreened)
        advice[
            f"{UNSCREENED_PREFIX} these warning signs were not asked about: {names}. "
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
        unscreened_advice=unscreened_advice(rules.rules, unscreened, above=level),
        first_advice=tuple(dict.fromkeys(a for r in fired if r.before_plan for a in r.advice)),
        findings=frozenset(r.finding for r in fired if r.finding),
        plan=plan.phases,
        stop_if=plan.stop_if,
        advice=tuple(advice),
        unscreened=unscreened,
        reasons=reasons,
        left_out=plan.left_out,
        program=program,
    )
