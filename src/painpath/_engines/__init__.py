"""The engine seam: each rules engine is one private package behind one small protocol.

An engine compiles the active rules of a :class:`~painpath.RuleSet` (their parsed
conditions, outcomes and strata) and evaluates one answers fact to the indices of the
rules that fired, with the highest level and the findings they set. It knows nothing
of rule files, results or plans, and nothing above it knows the engine's own
vocabulary.

- ``durable`` (the default): durable-rules, the engine painpath was asked to be built
  on (:mod:`painpath._engines.durable`);
- ``python``: the same parsed rules as one generated Python function (no rule text in
  its source)
  (:mod:`painpath._engines.python`).

A differential test (``tests/test_differential.py``) and a long run
(``python benchmarks/differential.py``) check that both fire exactly the same rules.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from .._levels import LEVELS
from .._model import Rule

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "Outcome", "Outcomes", "compile_rules"]

#: The engines painpath has, by the name ``load_rules(engine=...)`` takes.
ENGINES = ("durable", "python")
DEFAULT_ENGINE = "durable"


#: What one evaluation decides: the indices of the rules that fired (ascending), the
#: rank of the highest level they set (0 for none, see ``LEVELS``), their findings.
Outcome = tuple[tuple[int, ...], int, frozenset[str]]


class Outcomes:
    """Turns the fired rules' indices into an :data:`Outcome` (for durable-rules)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rank = [LEVELS.index(r.level) if r.level else 0 for r in rules]
        self._finding = [r.finding for r in rules]

    def of(self, fired: tuple[int, ...]) -> Outcome:
        """Return the outcome of ``fired``."""
        return (
            fired,
            max(map(self._rank.__getitem__, fired), default=0),
            frozenset(filter(None, map(self._finding.__getitem__, fired))),
        )


class Engine(Protocol):
    """A compiled rule set, ready to evaluate answers facts."""

    #: The engine's name, one of :data:`ENGINES`.
    name: str

    def evaluate(self, fact: Mapping[str, Any]) -> tuple[int, ...]:
        """Return the indices of the rules that fired for one answers fact, ascending.

        Raises :class:`painpath.EngineError` when the engine fails; a
        ``KeyboardInterrupt`` passes through and leaves the engine usable.
        """
        ...  # pragma: no cover - a protocol

    def outcome(self, fact: Mapping[str, Any]) -> Outcome:
        """Return :meth:`evaluate`'s indices with the level rank and findings they set."""
        ...  # pragma: no cover - a protocol


def compile_rules(name: str, rules: Sequence[Rule], strata: Sequence[int], origin: str) -> Engine:
    """Compile ``rules`` (each with its stratum) with the engine called ``name``.

    Raises :class:`painpath.RulesError` naming each rule the engine refuses, and
    ``ValueError`` for an unknown engine name.
    """
    if name not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))} (got {name!r})")
    module = importlib.import_module(f".{name}", __name__)
    engine: Engine = module.compile_rules(rules, strata, origin)
    return engine
