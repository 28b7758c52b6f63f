"""The durable-rules engine (the default): compiled rules run in durable's C engine, safely.

What this package guarantees (see the project's notes on durable-rules):

- the C engine's API is called directly: no ``durable.engine.Host``, so no background
  timer threads, no global host of ``durable.lang``, and never a ``set_*_callback``
  (those callbacks are what Python 3.13 cannot link; see ``_durable_import``);
- one lock around each evaluation, a unique session id, and the session deleted
  whatever interrupts the call: the id is recorded as *pending* before the engine
  sees it and deleted in a ``finally``; an id whose cleanup was itself interrupted
  is deleted at the start of the next evaluation. A Ctrl-C never leaks a session;
- facts, not events, so every matching rule sees them;
- every error raised inside an action is recorded and re-raised as
  :class:`painpath.EngineError` after the call, never silently swallowed;
- the engine's ruleset is deleted when the compiled rules are freed
  (``weakref.finalize``), and the lock is reset in a forked child.

Negation over findings and levels is stratified: a rule that tests that something
is absent also needs the *gate* fact of its stratum, asserted only after every
lower stratum has finished.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import sys
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from ..._conditions import LEVELS, findings_used, level_use
from ..._exceptions import EngineError, RuleProblem, RulesError
from ..._forksafe import new_lock
from ..._model import Rule
from .. import Outcome, Outcomes
from ._terms import Term, TooLarge, to_terms

__all__ = ["DurableRules", "compile_rules", "native"]

_names = itertools.count()


def native() -> Any:
    """Return durable-rules' C engine module, imported on first use.

    The import goes through :func:`painpath._durable_import.load_engine`: on Python
    3.13+ it falls back to lazy binding, and where durable-rules cannot load it raises
    one :class:`~painpath.EngineError` naming the fix and ``engine="python"``.
    """
    from ..._durable_import import load_engine

    load_engine()
    return sys.modules["durable_rules_engine"]


#: What durable-rules' error codes mean (``src/rules/rules.h`` of durable-rules 2.0.28),
#: in words a rule author can act on.
_ERROR_WORDS = {
    "101": "the rules engine ran out of memory",
    "102": "the compiled rule has a value of a type the engine does not take",
    "103": "a name in the compiled rule is too long for the engine",
    "104": "the compiled rule has a value the engine does not take",
    "105": "the compiled rule has a name the engine does not take",
    "106": "the rule set has more rules or alternatives than the engine can hold",
    "107": "a rule has more 'not' tests than the engine can hold",
    "108": "a rule joins more findings and levels than the engine can hold",
    "109": "a rule has no positive test for the engine to start from",
    "113": "one alternative of the condition has more tests than the engine can hold",
    "201": "the engine could not read a value of the compiled rule",
    "202": "the engine could not read a text of the compiled rule",
    "203": "the engine could not read a number of the compiled rule",
    "204": "the engine could not read a table of the compiled rule",
    "205": "the engine could not read a list of the compiled rule",
}


def _in_words(error: BaseException) -> str:
    """Say what a durable-rules error means, keeping its code for a maintainer."""
    message = str(error)
    code = message.rsplit(":", 1)[-1].strip()
    words = _ERROR_WORDS.get(code)
    if words is None:
        return f"the rules engine refused it ({message})"
    return f"{words} (durable-rules error {code}); split the condition into smaller rules"


def compile_rules(rules: Sequence[Rule], strata: Sequence[int], origin: str) -> DurableRules:
    """Compile rules for durable-rules; see :func:`painpath._engines.compile_rules`."""
    return DurableRules(rules, strata, origin)


class DurableRules:
    """Active rules compiled into one durable-rules ruleset."""

    name = "durable"

    def __init__(self, rules: Sequence[Rule], strata: Sequence[int], origin: str) -> None:
        self._native = native()
        self._rules = tuple(rules)
        self._outcomes = Outcomes(self._rules)
        self._ruleset = f"painpath_{os.getpid()}_{next(_names)}"
        # Held while the C engine works; a fork waits for it (see _forksafe).
        self._lock = new_lock(self, "_lock", quiesce=True)
        self._sids = itertools.count(1)
        self._pending: dict[str, _Evaluation] = {}
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
        index: dict[str, int] = {}
        gates: set[int] = set()
        problems: list[RuleProblem] = []
        for number, (rule, stratum) in enumerate(zip(self._rules, strata, strict=True)):
            try:
                terms = to_terms(rule.when)
            except TooLarge as error:
                problems.append(RuleProblem(rule.file, rule.id, str(error)))
                continue
            for alternative, term in enumerate(terms):
                # Stratum n's negations wait for gate n + 1, asserted after every lower
                # stratum finished. (Gate max(n, 1) put strata 0 and 1 behind one gate:
                # a stratum-1 "not x" fired before a gated stratum-0 rule found x.)
                gate = stratum + 1 if term.negative else None
                if gate is not None:
                    gates.add(gate)
                name = f"r{number}_{alternative}"
                index[name] = number
                definition[name] = {"all": _patterns(term, gate)}
        if problems:
            raise RulesError(problems)
        self._gates = tuple(sorted(gates))
        # Every evaluation must open its session with a fact the engine takes: deleting a
        # session the engine never fully created crashes it (measured: a rule set whose
        # rules only look at gate and level facts segfaulted in delete_state).
        definition[_SESSION] = {"all": [{"a": {"t": "a"}}]}
        index[_SESSION] = -1
        self._index = index
        try:
            self._handle = self._native.create_ruleset(self._ruleset, json.dumps(definition))
        except Exception as error:
            raise RulesError(self._compile_problems(definition, error)) from None
        # Free the engine's ruleset with this object (never keeps it alive itself).
        self._finalizer = weakref.finalize(self, _delete_ruleset, self._native, self._handle)

    def _compile_problems(
        self, definition: dict[str, Any], whole: BaseException
    ) -> list[RuleProblem]:
        """Find which rules the engine refuses, compiling each on its own."""
        problems = []
        for number, rule in enumerate(self._rules):
            own = {k: v for k, v in definition.items() if self._index.get(k) == number}
            if not own:
                continue
            try:
                handle = self._native.create_ruleset(f"{self._ruleset}_check", json.dumps(own))
            except Exception as error:
                problems.append(RuleProblem(rule.file, rule.id, _in_words(error)))
            else:
                self._native.delete_ruleset(handle)
        if not problems:
            problems.append(RuleProblem("rules", None, _in_words(whole)))
        return problems

    def _fire(self, ev: _Evaluation, index: int, sid: str) -> None:
        """Record that a rule fired; assert its finding and level for the rules that use them."""
        if index in ev.fired:
            return  # an $or matched twice, or a join matched several facts
        ev.fired.add(index)
        finding, rank = self._outputs[index]
        if finding is not None and finding not in ev.findings:
            ev.findings.add(finding)
            self._assert_inner(f'{{"t":"f","n":{json.dumps(finding)},"sid":"{sid}"}}')
        if rank and rank not in ev.levels:
            ev.levels.add(rank)
            self._assert_inner(f'{{"t":"l","r":{rank},"sid":"{sid}"}}')

    def _assert_inner(self, fact: str) -> None:
        code, _ = self._native.assert_fact(self._handle, fact)
        if code == _OBSERVED:
            raise EngineError(f"the same fact was asserted twice: {fact}")

    def outcome(self, fact: Mapping[str, Any]) -> Outcome:
        """Return :meth:`evaluate`'s indices with the level rank and findings they set."""
        return self._outcomes.of(self.evaluate(fact))

    def evaluate(self, fact: Mapping[str, Any]) -> tuple[int, ...]:
        """Run the rules on one answers fact; return the indices of the rules that fired."""
        answers = json.dumps(fact)[1:-1]  # the answers' fields, kind and session added below
        joiner = ", " if answers else ""
        with self._lock:
            # Signals wait while the engine works: a Ctrl-C (or a signal-based timeout)
            # raised between two engine calls left the C engine in a state that later
            # crashed it (measured under a SIGINT storm). Their handlers run as soon as
            # the mask is restored, after the cleanup, so the caller still gets them.
            saved = _signal_mask()
            try:
                _block_signals()
                if self._pending:  # left by a cleanup that was itself interrupted
                    self._clean_up()
                ev = _Evaluation()
                sid = str(next(self._sids))
                self._pending[sid] = ev  # before the engine sees it: cleaned up whatever happens
                try:
                    self._run(f'{{{answers}{joiner}"t":"a","sid":"{sid}"}}', ev, sid)
                    for gate in self._gates:
                        self._run(f'{{"t":"g","k":{gate},"sid":"{sid}"}}', ev, sid)
                finally:
                    self._clean_up()
            finally:
                _restore_signals(saved)
        return tuple(sorted(ev.fired))

    def _clean_up(self) -> None:
        """Delete every pending session (an unknown one is refused cleanly: code 309).

        An action an interrupt left open is abandoned first: deleting a session with an
        action in flight corrupts the C engine's memory (measured: "munmap_chunk(): invalid
        pointer" under a SIGINT storm). Abandoning is idempotent in the engine.
        """
        native, handle = self._native, self._handle
        for sid, ev in sorted(self._pending.items()):
            if ev.acting and ev.state is not None:
                with contextlib.suppress(Exception):
                    native.abandon_action(handle, ev.state)
                ev.acting = False
            try:
                native.delete_state(handle, sid)
            except Exception as error:
                if not str(error).endswith(": 309"):  # pragma: no cover - engine failure
                    self._pending.pop(sid, None)
                    raise EngineError(f"could not clean up session {sid}: {error}") from error
            self._pending.pop(sid, None)

    def _run(self, payload: str, ev: _Evaluation, sid: str) -> None:
        """Assert one fact and run every action it leads to, chains included."""
        native, handle = self._native, self._handle
        try:
            code, state = native.assert_fact(handle, payload)
            if code == _NOT_HANDLED:
                return  # no rule looks at this fact: nothing to do
            if code == _OBSERVED:
                raise EngineError(f"the same fact was asserted twice: {payload}")
            if code == _QUEUED:
                state = 0
            else:
                ev.state = state
            ev.acting = True  # from before the call: an interrupt may land right after it
            started = native.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message:
                # The engine names the rule first: {"r12_0": {...facts...}}
                index = self._index[message[2 : message.index('"', 2)]]
                try:
                    if index >= 0:
                        self._fire(ev, index, sid)
                except BaseException as error:  # recorded, re-raised once the engine is done
                    if ev.error is None:
                        ev.error = error
                message = native.complete_and_start_action(handle, state)
            ev.acting = False
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


if hasattr(signal, "pthread_sigmask"):
    _ALL_SIGNALS = signal.valid_signals()

    def _signal_mask() -> Any:
        return signal.pthread_sigmask(signal.SIG_BLOCK, ())

    def _block_signals() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, _ALL_SIGNALS)

    def _restore_signals(saved: Any) -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, saved)

else:  # pragma: no cover - platforms without POSIX signal masks

    def _signal_mask() -> Any:
        return None

    def _block_signals() -> None:
        return None

    def _restore_signals(saved: Any) -> None:
        return None


def _delete_ruleset(module: Any, handle: int) -> None:
    # At interpreter exit the engine may already be gone: nothing left to free then.
    with contextlib.suppress(Exception):
        module.delete_ruleset(handle)


# Result codes of durable_rules_engine.assert_fact (see durable.engine.Ruleset._handle_result).
_NOT_HANDLED, _OBSERVED, _QUEUED = 1, 2, 3
# The rule that opens every session (see DurableRules.__init__).
_SESSION = "session"


class _Evaluation:
    __slots__ = ("acting", "error", "findings", "fired", "levels", "state")

    def __init__(self) -> None:
        self.state: int | None = None  # the engine's offset of this session's state
        self.acting = False  # an action may be open in the engine
        self.fired: set[int] = set()
        self.findings: set[str] = set()
        self.levels: set[int] = set()
        self.error: BaseException | None = None


def _patterns(term: Term, gate: int | None) -> list[dict[str, Any]]:
    positive: list[dict[str, Any]] = []
    negative: list[dict[str, Any]] = []
    if term.answer:
        positive.append({"a": {"$and": [{"t": "a"}, *term.answer]}})
    for i, finding in enumerate(sorted(term.findings)):
        positive.append({f"f{i}": {"$and": [{"t": "f"}, {"n": finding}]}})
    # After _terms._canonical a term has at most one lower and one upper level bound: the
    # positive pattern matches only levels below the upper one, so the $not never needs
    # a fact the positive pattern has bound (durable binds each fact once per rule).
    below = min(term.no_levels_at_least, default=None)
    for i, rank in enumerate(sorted(term.levels_at_least)):
        bounds: list[dict[str, Any]] = [{"t": "l"}, {"$gte": {"r": rank}}]
        if below is not None:
            bounds.append({"$lt": {"r": below}})
        positive.append({f"l{i}": {"$and": bounds}})
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
