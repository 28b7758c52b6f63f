"""``painpath.triage()``: answers in, a decision out.

One call, step by step:

1. the answers are checked: a plain ``dict`` of plainly valid answers by the fast
   path (:func:`painpath._answers.plain_inputs`), anything else by the full check;
2. the rule set's engine says which rules fired;
3. the decision is made: the level (the highest level of the rules that fired),
   the findings, and the red flags that were not asked;
4. what explains and carries out the decision (reasons, advice, the plan and the
   21-day program) is built from the fired rules when first read, and shared:
   reasons and advice once per set of fired rules, the plan and program once per
   combination of fired rules, equipment, time, sides and start date. A caller
   that reads only the level pays nothing for the rest; ``to_dict()`` reads all.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections.abc import Mapping
from typing import Any

from ._answers import Answers, Inputs, details, plain_inputs
from ._contract import CONTRACT_VERSION
from ._levels import LEVELS
from ._plan import PlanParts, build_plan
from ._program import compose_program
from ._result import DEFERRED_BY, PROGRAM_BY, Level, ProgramDay, Reason, Result
from ._rules import Rule, RuleSet, default_rules
from ._steps import Sides
from ._warnings import UNSCREENED_PREFIX, unscreened_advice, unscreened_levels

__all__ = ["triage"]

#: Sets of fired rules whose reasons and advice a rule set keeps (then it starts again).
EXPLAINED_KEPT = 4096
#: Plans (and programs) a rule set keeps, least recently used first out.
PLANS_KEPT = 256


def triage(answers: Mapping[str, Any] | Answers, *, rules: RuleSet | None = None) -> Result:
    """Decide what to do for one person's answers.

    ``answers`` is a mapping following the answer contract (or an :class:`Answers`),
    or a FHIR ``QuestionnaireResponse`` to painpath's questionnaire (a mapping with
    ``resourceType``, read by :func:`answers_from_fhir`); ``rules`` a
    :class:`RuleSet` from :func:`load_rules`, the shipped rules by default.
    Raises :class:`InvalidAnswersError` naming every bad key, and
    :class:`EngineError` if the rules engine fails; nothing else.

    The result's level, findings and unscreened keys are decided in the call; its
    reasons, advice, plan and program are built from the fired rules when first read.
    """
    inputs = plain_inputs(answers)
    if inputs is None:
        if isinstance(answers, Mapping) and answers.get("resourceType") is not None:
            from ._fhir import answers_from_fhir

            answers = answers_from_fhir(answers)
        inputs = Answers.from_mapping(answers).inputs()
    if rules is None:
        rules = default_rules()
    elif not isinstance(rules, RuleSet):
        raise TypeError(
            f"rules must be a painpath.RuleSet from load_rules() (got {type(rules).__name__})"
        )
    decide = rules._cache.get("decide")
    if decide is None:
        decide = _decider(rules).decide
    result: Result = decide(inputs)
    return result


def _decider(rules: RuleSet) -> _Decider:
    """Return the rule set's decider, kept in the rule set's own cache."""
    decider: _Decider | None = rules._cache.get("decider")
    if decider is None:
        decider = rules._cache.setdefault("decider", _Decider(rules))
        rules._cache.setdefault("decide", decider.decide)
    return decider


class _Decider:
    """Turns one set of inputs into a result, for one rule set.

    It lives in the rule set's cache and refers to the rule set weakly; a result holds
    its rule set until its deferred fields are built, so they can always be built.
    """

    def __init__(self, rules: RuleSet) -> None:
        self._ref = weakref.ref(rules)
        self._outcome = rules._engine.outcome
        active = rules._active
        self._active = active
        # Reasons: highest level first, then rules of no level; rule order within each.
        self._order = [-Level(r.level).rank if r.level else 1 for r in active]
        self._reason = [_reason(r) for r in active]
        self._levels = unscreened_levels(rules.rules)
        self._explained: dict[tuple[int, ...], _Explained] = {}
        self._plan = functools.lru_cache(maxsize=PLANS_KEPT)(self._new_plan)
        self._program = functools.lru_cache(maxsize=PLANS_KEPT)(self._new_program)
        self._said = functools.lru_cache(maxsize=1024)(self._new_said)

    def clear(self) -> None:
        """Forget every shared part and plan (the benchmarks' worst case)."""
        self._explained.clear()
        self._plan.cache_clear()
        self._program.cache_clear()
        self._said.cache_clear()

    def decide(self, inputs: Inputs) -> Result:
        """Run the rules on ``inputs`` and return the result, its explanation deferred."""
        fired, rank, findings = self._outcome(inputs[0])
        level = _LEVEL_OF_RANK[rank]
        result = _new(Result)  # its __dict__ is the one below (see _result.DEFERRED_BY)
        _set_state(
            result,
            "__dict__",
            {
                "level": level,
                "findings": findings,
                "contract_version": CONTRACT_VERSION,
                # The rule set rides along so that it outlives the result's first read.
                DEFERRED_BY: (self._build, (fired, level, inputs[1], self._ref())),
            },
        )
        return result

    def _build(
        self, fired: tuple[int, ...], level: Level, source: Any, rules: RuleSet
    ) -> dict[str, Any]:
        """Build a result's deferred fields (see :data:`painpath._result.DEFERRED`)."""
        equipment, minutes_per_day, unscreened, sides, start_date = details(source)
        explained = self._explained.get(fired)
        if explained is None:
            if len(self._explained) >= EXPLAINED_KEPT:
                self._explained.clear()
            explained = self._explained.setdefault(fired, _Explained(self, fired))
        advice, unscreened_said = self._said(explained.advice, unscreened, level)
        plan = self._plan(explained, equipment, minutes_per_day, sides)
        later = (explained, equipment, minutes_per_day, sides, start_date, rules)
        return {
            "unscreened": unscreened,
            "reasons": explained.reasons,
            "first_advice": explained.first_advice,
            "advice": advice,
            "unscreened_advice": unscreened_said,
            "plan": plan.phases,
            "stop_if": plan.stop_if,
            "left_out": plan.left_out,
            PROGRAM_BY: (self._build_program, later),
        }

    def _build_program(
        self,
        explained: _Explained,
        equipment: frozenset[str],
        minutes_per_day: int | None,
        sides: Sides,
        start_date: str | None,
        rules: RuleSet,
    ) -> tuple[ProgramDay, ...]:
        """Build a result's 21-day program (its rule set rides along, last)."""
        return self._program(explained, equipment, minutes_per_day, sides, start_date)

    def _new_said(
        self, advice: tuple[str, ...], unscreened: tuple[str, ...], level: Level
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return the advice with the unscreened line, and the unscreened advice."""
        if unscreened:
            names = ", ".join(k.replace("_", " ") for k in unscreened)
            advice += (
                f"{UNSCREENED_PREFIX} these warning signs were not asked about: {names}. "
                "This result cannot rule them out; answer them, or ask a doctor.",
            )
        return advice, unscreened_advice(self._levels, unscreened, above=level)

    def _new_plan(
        self,
        explained: _Explained,
        equipment: frozenset[str],
        minutes_per_day: int | None,
        sides: Sides,
    ) -> PlanParts:
        rules = self._ref()
        if rules is None:  # pragma: no cover - a result holds its rule set until built
            raise ReferenceError("the rule set was freed")
        return build_plan(
            list(explained.fired),
            rules,
            equipment=equipment,
            minutes_per_day=minutes_per_day,
            sides=sides,
        )

    def _new_program(
        self,
        explained: _Explained,
        equipment: frozenset[str],
        minutes_per_day: int | None,
        sides: Sides,
        start_date: str | None,
    ) -> tuple[ProgramDay, ...]:
        plan = self._plan(explained, equipment, minutes_per_day, sides)
        return compose_program(
            plan.phases,
            list(explained.fired),
            sides=sides,
            minutes_per_day=minutes_per_day,
            start_date=start_date,
        )


def _reason(rule: Rule) -> Reason:
    return Reason(
        rule_id=rule.id,
        title=rule.title,
        rationale=rule.rationale,
        source=rule.source,
        finding=rule.finding,
        level=Level(rule.level) if rule.level else None,
    )


class _Explained:
    """What a set of fired rules says beside the level: reasons and advice."""

    __slots__ = ("advice", "fired", "first_advice", "reasons")

    def __init__(self, decider: _Decider, fired_indices: tuple[int, ...]) -> None:
        fired = tuple(map(decider._active.__getitem__, fired_indices))
        self.fired = fired
        ordered = sorted(fired_indices, key=decider._order.__getitem__)  # stable: rule order
        self.reasons = tuple(map(decider._reason.__getitem__, ordered))
        self.advice = tuple(dict.fromkeys(itertools.chain.from_iterable(r.advice for r in fired)))
        self.first_advice = tuple(
            dict.fromkeys(a for r in fired if r.before_plan for a in r.advice)
        )


_new = object.__new__
_set_state = object.__setattr__
#: The level of each rank of the level table (the engines' ``LEVELS`` order).
_LEVEL_OF_RANK = tuple(Level(value) for value in LEVELS)
