"""``painpath.triage()``: answers in, a decision out."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from ._answers import Answers, coerce_answers
from ._plan import build_plan
from ._program import compose_program
from ._result import Level, Reason, Result
from ._rules import Rule, RuleSet, default_rules
from ._steps import NO_SIDES, Sides
from ._warnings import UNSCREENED_PREFIX, unscreened_advice

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
    return _composer(rules)(
        rules.fired_ids(checked.fact()),
        checked.available_equipment(),
        checked.minutes_per_day,
        checked.unscreened(),
        Sides.of(checked.dominant_side, checked.painful_side),
        getattr(checked, "start_date", None),
    )


def _composer(rules: RuleSet) -> Callable[..., Result]:
    """Return the rule set's memoised result builder (kept in the rule set's own cache).

    A result depends only on which rules fired, the equipment, the time, the
    unscreened keys, the sides and the start date, and it is frozen: equal inputs
    share one result object. What depends on the fired rules alone (level, findings,
    reasons, advice) is computed once per fired set. The builders refer to the rule
    set weakly, so the cache never keeps it alive.
    """
    composer: Callable[..., Result] | None = rules._cache.get("compose")
    if composer is None:
        ref = weakref.ref(rules)

        @functools.lru_cache(maxsize=256)
        def fired_parts(fired_ids: tuple[str, ...]) -> _Parts:
            return _Parts(_alive(ref), fired_ids)

        @functools.lru_cache(maxsize=256)
        def compose(
            fired_ids: tuple[str, ...],
            equipment: frozenset[str],
            minutes_per_day: int | None,
            unscreened: tuple[str, ...],
            sides: Sides = NO_SIDES,
            start_date: str | None = None,
        ) -> Result:
            return _compose(
                _alive(ref),
                fired_parts(fired_ids),
                equipment,
                minutes_per_day,
                unscreened,
                sides,
                start_date,
            )

        def clear() -> None:
            compose.cache_clear()
            fired_parts.cache_clear()

        compose.clear = clear  # type: ignore[attr-defined]
        composer = rules._cache.setdefault("compose", compose)
    return composer


def _alive(ref: weakref.ReferenceType[RuleSet]) -> RuleSet:
    rules = ref()
    if rules is None:  # pragma: no cover - a builder outliving its rule set
        raise ReferenceError("the rule set was freed")
    return rules


class _Parts:
    """What a set of fired rules decides before the plan: level, findings, reasons, advice."""

    __slots__ = ("advice", "findings", "fired", "first_advice", "level", "reasons")

    def __init__(self, rules: RuleSet, fired_ids: tuple[str, ...]) -> None:
        fired: list[Rule] = [rules.by_id[rid] for rid in fired_ids]
        self.fired = fired
        self.level = max((Level(r.level) for r in fired if r.level), default=Level.SELF_CARE)
        self.findings = frozenset(r.finding for r in fired if r.finding)
        advice: dict[str, None] = {}
        for rule in fired:
            advice.update(dict.fromkeys(rule.advice))
        self.advice = tuple(advice)
        self.first_advice = tuple(
            dict.fromkeys(a for r in fired if r.before_plan for a in r.advice)
        )
        ordered = sorted(fired, key=lambda r: -Level(r.level).rank if r.level else 1)
        self.reasons = tuple(
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


def _compose(
    rules: RuleSet,
    parts: _Parts,
    equipment: frozenset[str],
    minutes_per_day: int | None,
    unscreened: tuple[str, ...],
    sides: Sides = NO_SIDES,
    start_date: str | None = None,
) -> Result:
    fired = parts.fired
    plan = build_plan(
        fired, rules, equipment=equipment, minutes_per_day=minutes_per_day, sides=sides
    )
    program = compose_program(
        plan.phases, fired, sides=sides, minutes_per_day=minutes_per_day, start_date=start_date
    )
    advice = parts.advice
    if unscreened:
        names = ", ".join(k.replace("_", " ") for k in unscreened)
        advice += (
            f"{UNSCREENED_PREFIX} these warning signs were not asked about: {names}. "
            "This result cannot rule them out; answer them, or ask a doctor.",
        )
    return Result(
        level=parts.level,
        unscreened_advice=unscreened_advice(rules.rules, unscreened, above=parts.level),
        first_advice=parts.first_advice,
        findings=parts.findings,
        plan=plan.phases,
        stop_if=plan.stop_if,
        advice=advice,
        unscreened=unscreened,
        reasons=parts.reasons,
        left_out=plan.left_out,
        program=program,
    )
