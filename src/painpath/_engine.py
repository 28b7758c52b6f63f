"""Running compiled rules on durable-rules, safely.

What this module guarantees (see the project's notes on durable-rules):

- a private host per rule set that starts no background timer threads, and never
  the global host of ``durable.lang``;
- one lock around each evaluation, a unique session id, and the session deleted in
  a ``finally`` (only when the engine created it: deleting an unknown session
  crashes the C engine);
- facts, not events, so every matching rule sees them;
- every error raised inside an action is recorded and re-raised as
  :class:`painpath.EngineError` after the call, never silently swallowed; the
  state's ``exception`` is checked after every call.

Negation over findings and levels is stratified: a rule that tests that something
is absent also needs the *gate* fact of its stratum, asserted only after every
lower stratum has finished.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._conditions import LEVELS, Term, findings_used, level_use, to_terms
from ._exceptions import EngineError, RuleProblem, RulesError

if TYPE_CHECKING:
    from ._rules import Rule

__all__ = ["CompiledRules"]

_names = itertools.count()


def _engine_module() -> Any:
    from ._durable_import import load_engine

    return load_engine()


class CompiledRules:
    """Active rules compiled into one durable-rules ruleset on a private host."""

    def __init__(self, rules: Sequence[Rule], strata: Sequence[int]) -> None:
        engine = _engine_module()
        self._engine = engine
        self._rules = tuple(rules)
        self._name = f"painpath_{os.getpid()}_{next(_names)}"
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._index: dict[str, int] = {}
        referenced: set[str] = set()
        levels_referenced = False
        for rule in self._rules:
            referenced.update(f for f, _ in findings_used(rule.when))
            levels_referenced = levels_referenced or level_use(rule.when)[0]
        # What each rule asserts when it fires: only findings and levels some rule tests.
        self._outputs: tuple[tuple[str | None, int], ...] = tuple(
            (
                rule.finding if rule.finding in referenced else None,
                LEVELS.index(rule.level) if rule.level and levels_referenced else 0,
            )
            for rule in self._rules
        )
        definition: dict[str, Any] = {}
        gates: set[int] = set()
        for index, (rule, stratum) in enumerate(zip(self._rules, strata, strict=True)):
            for number, term in enumerate(to_terms(rule.when)):
                gate = max(stratum, 1) if term.negative else None
                if gate is not None:
                    gates.add(gate)
                name = f"r{index}_{number}"
                self._index[name] = index
                # Actions are dispatched by _run, not by durable's Python layer.
                definition[name] = {"all": _patterns(term, gate), "run": _never_called}
        self._gates = tuple(sorted(gates))
        # Every evaluation must open its session with a fact the engine takes: deleting a
        # session the engine never fully created crashes it (measured: a rule set whose
        # rules only look at gate and level facts segfaulted in delete_state).
        definition[_SESSION] = {"all": [{"a": {"t": "a"}}], "run": _never_called}
        self._index[_SESSION] = -1
        self._definition = definition
        self._host = _quiet_host(engine)
        self._native = sys.modules["durable_rules_engine"]
        try:
            self._host.set_rulesets({self._name: copy.deepcopy(definition)})
        except Exception as error:
            raise RulesError(self._compile_problems(definition, str(error))) from error
        self._handle = self._host.get_ruleset(self._name)._handle
        os.register_at_fork(after_in_child=self._after_fork)

    def _compile_problems(self, definition: dict[str, Any], message: str) -> list[RuleProblem]:
        """Find which rules the engine refuses, compiling each on its own."""
        problems = []
        for index, rule in enumerate(self._rules):
            own = {k: v for k, v in definition.items() if self._index.get(k) == index}
            try:
                _quiet_host(self._engine).set_rulesets({f"{self._name}_check": copy.deepcopy(own)})
            except Exception as error:
                problems.append(
                    RuleProblem(rule.file, rule.id, f"the rules engine cannot compile it ({error})")
                )
        whole = RuleProblem("rules", None, f"the rules engine refused them ({message})")
        return problems or [whole]

    def _after_fork(self) -> None:
        # A fork taken while another thread held the lock must not leave it held.
        self._lock = threading.Lock()

    def _fire(self, ev: _Evaluation, index: int, sid: str) -> None:
        """Record that a rule fired; assert its finding and level for the rules that use them."""
        if index in ev.fired:
            return  # an $or matched twice, or a join matched several facts
        ev.fired.add(index)
        finding, rank = self._outputs[index]
        if finding is not None and finding not in ev.findings:
            ev.findings.add(finding)
            self._assert_inner(json.dumps({"t": "f", "n": finding, "sid": sid}))
        if rank and rank not in ev.levels:
            ev.levels.add(rank)
            self._assert_inner(json.dumps({"t": "l", "r": rank, "sid": sid}))

    def _assert_inner(self, fact: str) -> None:
        code, _ = self._native.assert_fact(self._handle, fact)
        if code == _OBSERVED:
            raise EngineError(f"the same fact was asserted twice: {fact}")

    def evaluate(self, fact: Mapping[str, Any]) -> tuple[Rule, ...]:
        """Run the rules on one answers fact; return the rules that fired, in rule order."""
        with self._lock:
            ev = _Evaluation()
            sid = str(next(self._sids))
            created = False
            try:
                created = self._run(json.dumps({**fact, "t": "a", "sid": sid}), ev, sid)
                if not created:  # pragma: no cover - the session rule always takes it
                    raise EngineError("the rules engine did not take the answers")
                for gate in self._gates:
                    self._run(json.dumps({"t": "g", "k": gate, "sid": sid}), ev, sid)
            finally:
                if created:
                    try:
                        self._native.delete_state(self._handle, sid)
                    except Exception as error:  # pragma: no cover - engine failure
                        raise EngineError(f"could not clean up session {sid}: {error}") from error
        return tuple(self._rules[i] for i in sorted(ev.fired))

    def _run(self, payload: str, ev: _Evaluation, sid: str) -> bool:
        """Assert one fact and run every action it leads to, chains included.

        Returns whether the engine took the fact (and so holds a session to delete).
        """
        native, handle = self._native, self._handle
        try:
            code, state = native.assert_fact(handle, payload)
            if code == _NOT_HANDLED:
                return False  # no rule looks at this fact: nothing to do
            if code == _OBSERVED:
                raise EngineError(f"the same fact was asserted twice: {payload}")
            if code == _QUEUED:
                state = 0
            started = native.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message:
                # The engine names the rule first: {"r12_0": {...facts...}}
                name = message[2 : message.index('"', 2)]
                index = self._index[name]
                try:
                    if index >= 0:
                        self._fire(ev, index, sid)
                except BaseException as error:  # recorded, re-raised once the engine is done
                    if ev.error is None:
                        ev.error = error
                message = native.complete_and_start_action(handle, state)
        except EngineError:
            raise
        except Exception as error:
            raise EngineError(f"the rules engine failed: {error}") from error
        if ev.error is not None:
            if not isinstance(ev.error, Exception):
                raise ev.error  # KeyboardInterrupt, SystemExit: not ours to swallow
            if isinstance(ev.error, EngineError):
                raise ev.error
            raise EngineError(f"a rule action failed: {ev.error!r}") from ev.error
        return True


def _never_called(c: Any) -> None:  # pragma: no cover - see CompiledRules._run
    raise AssertionError("durable-rules dispatched an action itself")


# Result codes of durable_rules_engine.assert_fact (see durable.engine.Ruleset._handle_result).
_NOT_HANDLED, _OBSERVED, _QUEUED = 1, 2, 3
# The rule that opens every session (see CompiledRules.__init__).
_SESSION = "session"


class _Evaluation:
    __slots__ = ("error", "findings", "fired", "levels")

    def __init__(self) -> None:
        self.fired: set[int] = set()
        self.findings: set[str] = set()
        self.levels: set[int] = set()
        self.error: BaseException | None = None


def _quiet_host(engine: Any) -> Any:
    class QuietHost(engine.Host):  # type: ignore[misc]
        """A host that starts no background timer threads (they race the caller)."""

        def _run(self) -> None:
            return None

    return QuietHost()


def _patterns(term: Term, gate: int | None) -> list[dict[str, Any]]:
    positive: list[dict[str, Any]] = []
    negative: list[dict[str, Any]] = []
    if term.answer:
        positive.append({"a": {"$and": [{"t": "a"}, *term.answer]}})
    for i, finding in enumerate(sorted(term.findings)):
        positive.append({f"f{i}": {"$and": [{"t": "f"}, {"n": finding}]}})
    for i, rank in enumerate(sorted(term.levels_at_least)):
        positive.append({f"l{i}": {"$and": [{"t": "l"}, {"$gte": {"r": rank}}]}})
    for i, rank in enumerate(sorted(term.level_exact)):
        if rank:
            positive.append({f"e{i}": {"$and": [{"t": "l"}, {"r": rank}]}})
        negative.append({f"x{i}$not": {"$and": [{"t": "l"}, {"$gt": {"r": rank}}]}})
    for i, finding in enumerate(sorted(term.no_findings)):
        negative.append({f"n{i}$not": {"$and": [{"t": "f"}, {"n": finding}]}})
    for i, rank in enumerate(sorted(term.no_levels_at_least)):
        negative.append({f"m{i}$not": {"$and": [{"t": "l"}, {"$gte": {"r": rank}}]}})
    if gate is not None:
        positive.append({"g": {"$and": [{"t": "g"}, {"k": gate}]}})
    if not positive:
        positive.append({"a": {"t": "a"}})
    return positive + negative
