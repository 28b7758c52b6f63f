"""``painpath.triage_many()``: many answer sets, in order, on several processes.

The records go to worker processes in chunks, with a bounded number of chunks in
flight, and the results come back in input order: memory stays flat for any number
of records. Each worker builds the rule set once (a :class:`RuleSet` pickles as its
source and a hash of its files, and is refused if the files changed).

The pool itself is :func:`map_chunks`, which ``painpath batch`` runs on too (with a
chunk function that also reads each input line and writes its output line), so the
command and the library share one implementation of what makes a pool safe:

- a worker ignores Ctrl-C (the parent stops the pool) and takes SIGTERM and SIGHUP
  as usual, even when forked from a parent that handles them;
- a worker ends when its parent ends, even by SIGKILL (``PR_SET_PDEATHSIG`` on
  Linux, and a thread that checks the parent twice a second everywhere);
- a worker that dies is :class:`~concurrent.futures.process.BrokenProcessPool` in the
  parent within a second, never a hang (see :class:`_WorkerWatch`);
- fork, spawn and forkserver all work: everything a worker needs is pickled.

Only the standard library is imported here; the rules engine is loaded where
records are triaged.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from ._exceptions import InvalidAnswersError

if TYPE_CHECKING:
    from ._answers import Answers
    from ._result import Result
    from ._rules import RuleSet

__all__ = ["CHUNK_SIZE", "map_chunks", "triage_many"]

#: Records sent to a worker at once: large enough to hide the round trip.
CHUNK_SIZE = 64
#: Chunks in flight per worker: enough to keep every worker busy, few enough to bound memory.
_IN_FLIGHT_PER_WORKER = 4

Item = TypeVar("Item")
Out = TypeVar("Out")


@overload
def triage_many(
    records: Iterable[Mapping[str, Any] | Answers],
    *,
    rules: RuleSet | None = ...,
    workers: int | None = ...,
    errors: Literal["raise"] = ...,
    mp_context: str | BaseContext | None = ...,
) -> Iterator[Result]: ...


@overload
def triage_many(
    records: Iterable[Mapping[str, Any] | Answers],
    *,
    rules: RuleSet | None = ...,
    workers: int | None = ...,
    errors: Literal["return"],
    mp_context: str | BaseContext | None = ...,
) -> Iterator[Result | InvalidAnswersError]: ...


def triage_many(
    records: Iterable[Mapping[str, Any] | Answers],
    *,
    rules: RuleSet | None = None,
    workers: int | None = None,
    errors: Literal["raise", "return"] = "raise",
    mp_context: str | BaseContext | None = None,
) -> Iterator[Result | InvalidAnswersError]:
    """Triage every record (answers, or a FHIR QuestionnaireResponse); yield results in order.

    ``workers`` processes do the work (default: one per CPU; ``1``: in this process,
    no pool). ``errors="raise"`` raises the :class:`InvalidAnswersError` of the first
    bad record after yielding the results before it; ``errors="return"`` yields that
    error in the record's place and goes on. ``mp_context`` is a start method name
    or a multiprocessing context. Records are read lazily, a few chunks ahead.

    The workers are the ones ``painpath batch`` runs on: they end with this process
    (even when it is killed), leave Ctrl-C to it, and a worker that dies (killed,
    out of memory) raises :class:`~concurrent.futures.process.BrokenProcessPool`
    here within about a second. Closing the iterator early stops the pool.
    """
    from ._rules import RuleSet

    workers = _check_workers(workers)
    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return' (got {errors!r})")
    if rules is not None and not isinstance(rules, RuleSet):
        raise TypeError(
            f"rules must be a painpath.RuleSet from load_rules() (got {type(rules).__name__})"
        )
    outcomes = map_chunks(
        functools.partial(_triage_chunk, rules=rules),
        records,
        workers=workers,
        mp_context=mp_context,
        prepare=functools.partial(_load, rules),
    )
    for outcome in outcomes:
        if errors == "raise" and isinstance(outcome, InvalidAnswersError):
            outcomes.close()
            raise outcome
        yield outcome


def triage_one(record: Any, rules: RuleSet | None) -> Result | InvalidAnswersError:
    """Triage one record; return the refusal of bad answers instead of raising it.

    Any other error (an :class:`~painpath.EngineError`) is a library failure and
    propagates: it stops ``triage_many`` and ``painpath batch``.
    """
    from . import _triage

    try:
        return _triage.triage(record, rules=rules)
    except InvalidAnswersError as error:
        return error


def _triage_chunk(
    records: Sequence[Mapping[str, Any] | Answers], rules: RuleSet | None
) -> list[Result | InvalidAnswersError]:
    return [triage_one(record, rules) for record in records]


def _load(rules: RuleSet | None) -> None:
    """Build the rule set up front in a worker (a given one was rebuilt when unpickled)."""
    if rules is None:
        from ._rules import default_rules

        default_rules()


def _check_workers(workers: int | None) -> int:
    if workers is None:
        return os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1 (got {workers!r})")
    return workers


# --- the pool ----------------------------------------------------------------------------


def map_chunks(
    work: Callable[[list[Item]], list[Out]],
    items: Iterable[Item],
    *,
    workers: int,
    mp_context: str | BaseContext | None = None,
    prepare: Callable[[], object] | None = None,
) -> Generator[Out, None, None]:
    """Yield ``work(chunk)`` for chunks of ``items``, flattened and in input order.

    With ``workers == 1`` the chunks are worked on here; otherwise on a pool of
    ``workers`` processes started by ``mp_context``, each of which first calls
    ``prepare`` (both callables must pickle for spawn and forkserver). At most
    ``workers * 4`` chunks are in flight. A worker that dies raises
    :class:`BrokenProcessPool`; closing the generator (or any error) stops the pool.
    """
    chunks = _chunks(items, CHUNK_SIZE)
    if workers == 1:
        for chunk in chunks:
            yield from work(chunk)
        return
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        workers,
        mp_context=_context(mp_context),
        initializer=_worker_init,
        initargs=(os.getpid(), prepare),
    )
    watch = _WorkerWatch(before)
    pending: collections.deque[Future[list[Out]]] = collections.deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(work, chunk))
            watch.note()
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                yield from watch.result(pending.popleft())
        while pending:
            yield from watch.result(pending.popleft())
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown()


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _context(mp_context: str | BaseContext | None) -> BaseContext:
    if isinstance(mp_context, BaseContext):
        return mp_context
    return multiprocessing.get_context(mp_context)


def _worker_init(parent: int, prepare: Callable[[], object] | None) -> None:
    """Prepare a worker: leave signals to the parent, die with it, then ``prepare()``."""
    # Ctrl-C is for the parent, which stops the pool; SIGTERM and SIGHUP kill the
    # worker as usual (a forked worker would otherwise inherit the parent's handlers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    _exit_with_parent(parent)
    if prepare is not None:
        prepare()


#: Seconds between the worker's checks that its parent is still alive.
_PARENT_POLL = 0.5


def _exit_with_parent(parent: int) -> None:
    """Make this worker process end when the process that started it ends.

    On Linux the kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``);
    everywhere a daemon thread also checks the parent twice a second, so a killed
    parent (even by SIGKILL) never leaves workers behind.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    started_under = os.getppid()
    if parent != os.getpid() and not _alive(parent):
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(_PARENT_POLL)
            if os.getppid() != started_under or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="painpath-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


class _WorkerWatch:
    """Wait for a chunk's result, noticing a worker that died.

    A worker killed while it sends a result leaves half a message in the pool's
    result pipe, and the executor then waits for the rest forever (CPython 3.11
    to 3.13) instead of raising ``BrokenProcessPool``. So results are awaited a
    second at a time, and a worker process of this pool that has ended is a
    broken pool.
    """

    #: Seconds between checks of the workers while a result is awaited.
    poll = 1.0

    def __init__(self, before: set[multiprocessing.process.BaseProcess]) -> None:
        self.before = before
        self.seen: set[multiprocessing.process.BaseProcess] = set()

    def note(self) -> None:
        """Remember the pool's worker processes started so far."""
        self.seen |= set(multiprocessing.active_children()) - self.before

    def result(self, future: Future[list[Out]]) -> list[Out]:
        """Return the future's result; raise BrokenProcessPool when a worker has ended."""
        while True:
            try:
                return future.result(timeout=self.poll)
            except TimeoutError:
                self.note()
                if any(process.exitcode is not None for process in self.seen):
                    raise BrokenProcessPool("a worker process ended") from None


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel the chunks that wait; each worker ends after its chunk.

    The workers are not terminated: killing one while the pool feeds it can leave
    the executor waiting forever at exit (CPython 3.11), and a chunk takes well
    under a second.
    """
    pool.shutdown(wait=False, cancel_futures=True)
