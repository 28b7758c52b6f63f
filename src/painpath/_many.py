"""``painpath.triage_many()``: many answer sets, in order, on several processes.

The records go to worker processes in chunks, with a bounded number of chunks in
flight, and the results come back in input order: memory stays flat for any number
of records. Each worker builds the rule set once (a :class:`RuleSet` pickles as its
source and a hash of its files, and is refused if the files changed).
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
import signal
from collections.abc import Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any, Literal, overload

from ._answers import Answers
from ._exceptions import InvalidAnswersError
from ._result import Result
from ._rules import RuleSet, default_rules
from ._triage import triage

__all__ = ["CHUNK_SIZE", "triage_many"]

#: Records sent to a worker at once: large enough to hide the round trip.
CHUNK_SIZE = 64
_IN_FLIGHT_PER_WORKER = 4

Record = Mapping[str, Any] | Answers
Outcome = Result | InvalidAnswersError


@overload
def triage_many(
    records: Iterable[Record],
    *,
    rules: RuleSet | None = ...,
    workers: int | None = ...,
    errors: Literal["raise"] = ...,
    mp_context: str | BaseContext | None = ...,
) -> Iterator[Result]: ...


@overload
def triage_many(
    records: Iterable[Record],
    *,
    rules: RuleSet | None = ...,
    workers: int | None = ...,
    errors: Literal["return"],
    mp_context: str | BaseContext | None = ...,
) -> Iterator[Outcome]: ...


def triage_many(
    records: Iterable[Record],
    *,
    rules: RuleSet | None = None,
    workers: int | None = None,
    errors: Literal["raise", "return"] = "raise",
    mp_context: str | BaseContext | None = None,
) -> Iterator[Outcome]:
    """Triage every record (answers, or a FHIR QuestionnaireResponse); yield results in order.

    ``workers`` processes do the work (default: one per CPU; ``1``: in this process,
    no pool). ``errors="raise"`` raises the :class:`InvalidAnswersError` of the first
    bad record after yielding the results before it; ``errors="return"`` yields that
    error in the record's place and goes on. ``mp_context`` is a start method name
    or a multiprocessing context. Records are read lazily, a few chunks ahead.
    """
    if workers is None:
        workers = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1 (got {workers!r})")
    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return' (got {errors!r})")
    if rules is not None and not isinstance(rules, RuleSet):
        raise TypeError(
            f"rules must be a painpath.RuleSet from load_rules() (got {type(rules).__name__})"
        )
    outcomes = _outcomes(records, rules, workers, mp_context)
    for outcome in outcomes:
        if errors == "raise" and isinstance(outcome, InvalidAnswersError):
            outcomes.close()
            raise outcome
        yield outcome


def _one(record: Record, rules: RuleSet | None) -> Outcome:
    try:
        return triage(record, rules=rules)
    except InvalidAnswersError as error:
        return error


def _chunk(records: list[Record], rules: RuleSet | None) -> list[Outcome]:
    return [_one(record, rules) for record in records]


def _worker_init(rules: RuleSet | None) -> None:
    # Ctrl-C is for the parent, which stops the pool; build the rule set once, up front.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if rules is None:
        default_rules()


def _outcomes(
    records: Iterable[Record],
    rules: RuleSet | None,
    workers: int,
    mp_context: str | BaseContext | None,
) -> Generator[Outcome, None, None]:
    iterator = iter(records)
    chunks = iter(lambda: list(itertools.islice(iterator, CHUNK_SIZE)), [])
    if workers == 1:
        for chunk in chunks:
            yield from _chunk(chunk, rules)
        return
    context = (
        mp_context
        if isinstance(mp_context, BaseContext)
        else multiprocessing.get_context(mp_context)
    )
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_init, initargs=(rules,)
    )
    pending: collections.deque[Future[list[Outcome]]] = collections.deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(_chunk, chunk, rules))
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
