"""The engine seam: each rules engine is one private package behind one small protocol.

An engine compiles the active rules of a :class:`~painpath.RuleSet` (their parsed
conditions, outcomes and strata) and evaluates one answers fact to the indices of the
rules that fired. It knows nothing of rule files, results or plans, and nothing above
it knows the engine's own vocabulary.

- ``durable`` (the default): durable-rules, the engine painpath was asked to be built
  on (:mod:`painpath._engines.durable`);
- ``python``: the same parsed rules as Python closures, no ``eval``
  (:mod:`painpath._engines.python`).

A differential test (``tests/test_differential.py``) and a long run
(``python benchmarks/differential.py``) check that both fire exactly the same rules.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from .._model import Rule

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "compile_rules"]

#: The engines painpath has, by the name ``load_rules(engine=...)`` takes.
ENGINES = ("durable", "python")
DEFAULT_ENGINE = "durable"


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
