"""Reproducible sample answers, for benchmarks and tests that need many at once.

Unlike the hypothesis strategies of :mod:`painpath.testing`, this needs nothing
beyond the standard library: the same ``seed`` always gives the same answers.
"""

from __future__ import annotations

import random

from ._contract import KEYS

__all__ = ["sample_answers"]

_AREA_GROUPS = {
    "back": ("general", "red_flag", "back", "preferences"),
    "knee": ("general", "red_flag", "knee", "preferences"),
    "both": ("general", "red_flag", "back", "knee", "preferences"),
}


def sample_answers(
    count: int,
    *,
    seed: int = 0,
    answered: float = 0.5,
    true_rate: float = 0.2,
    red_flag_rate: float | None = None,
) -> list[dict[str, object]]:
    """Return ``count`` valid answer mappings, cycling through the areas back, knee, both.

    Each key the area calls for is answered with probability ``answered``; a yes/no
    answer is ``True`` with probability ``true_rate`` (``red_flag_rate`` for red flags,
    when given). Every other key takes a value drawn from what the contract allows.
    """
    rng = random.Random(seed)
    flag_rate = true_rate if red_flag_rate is None else red_flag_rate
    out: list[dict[str, object]] = []
    for i in range(count):
        area = ("back", "knee", "both")[i % 3]
        answers: dict[str, object] = {"area": area}
        for key, spec in KEYS.items():
            if key == "area" or spec.group not in _AREA_GROUPS[area] or rng.random() >= answered:
                continue
            rate = flag_rate if spec.group == "red_flag" else true_rate
            answers[key] = spec.type.sample(spec, rng, rate)
        out.append(answers)
    return out
