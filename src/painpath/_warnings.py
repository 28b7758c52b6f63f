"""Warning signs that were not asked, said in the words of the level they would set.

A result cannot rule out a red flag nobody asked about. The person reads, first,
what to do if it applies: "If you have new bladder or bowel trouble, go to an
emergency department now." The level is the rules': the highest level a rule sets
on that answer alone (the safer reading when a key's rules differ, as
``leg_weakness`` stable and worsening do). The words for each sign are here.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ._conditions import AnswerTest, walk
from ._contract import KEYS
from ._levels import Level
from ._rules import Rule

__all__ = ["UNSCREENED_PREFIX", "unscreened_advice"]

#: How the result's advice line about red flags that were not asked begins.
UNSCREENED_PREFIX = "Not screened:"

#: What the person would have, for each red flag, as "If you ...".
_IF = {
    "bladder_or_bowel_change": "have new bladder or bowel trouble",
    "saddle_numbness": "have numbness around the genitals, anus or inner thighs",
    "leg_weakness": "have a leg or foot that is getting weaker",
    "fever": "have a fever, chills or feel generally unwell with the pain",
    "unexplained_weight_loss": "are losing weight without trying",
    "cancer_history": "have ever had cancer",
    "constant_night_pain": "have pain at night that no position or rest eases",
    "steroids_or_immunosuppressed": (
        "take long-term steroids or immune-suppressing drugs, have HIV, or inject drugs"
    ),
    "osteoporosis": "have thin bones (osteoporosis)",
    "sexual_dysfunction": "have a new loss of sexual function or of feeling during sex",
    "upper_back_pain": "also have pain in the upper or middle back",
    "pain_unchanged_by_position": "have pain that no movement, position or rest changes",
    "calf_swelling": "have a calf that is swollen, warm or tender",
    "knee_hot_red": "have a hot, red, swollen knee",
}


def unscreened_advice(
    rules: Sequence[Rule], unscreened: Sequence[str], *, above: Level = Level.SELF_CARE
) -> tuple[str, ...]:
    """Return a sentence per unscreened key whose level is above ``above``, highest first."""
    levels = _levels(tuple(rules))
    found = [(levels[key], key) for key in unscreened if key in levels and levels[key] > above]
    found.sort(key=lambda pair: -pair[0].rank)
    return tuple(
        f"If you {_IF.get(key) or 'have ' + KEYS[key].meaning}, {_do(level)}."
        for level, key in found
    )


def _do(level: Level) -> str:
    """Say what the level asks, as the end of a sentence (its meaning in the level table)."""
    return level.meaning[:1].lower() + level.meaning[1:].rstrip(".")


@functools.lru_cache(maxsize=8)
def _levels(rules: tuple[Rule, ...]) -> dict[str, Level]:
    """Return the highest level each answer key sets alone (rules testing only that key)."""
    out: dict[str, Level] = {}
    for rule in rules:
        if not rule.level or rule.status != "active":
            continue
        tests = [c for c in walk(rule.when) if isinstance(c, AnswerTest)]
        keys = {t.key for t in tests}
        if len(keys) != 1:
            continue
        (key,) = keys
        level = Level(rule.level)
        if level > Level.SELF_CARE and (key not in out or level > out[key]):
            out[key] = level
    return out
