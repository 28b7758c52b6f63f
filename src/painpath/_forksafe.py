"""Locks that a forked child gets back unlocked.

``os.fork`` copies only the calling thread: a lock another thread held at that moment
stays held in the child for ever, and the child's first triage (or first load of the
default rules) deadlocks. Every lock painpath holds is made by :func:`new_lock`, which
records its owner (an object or a module) and attribute; one at-fork hook, registered
once, gives each a fresh lock in the child. Owners are held weakly, so the registry
never keeps a rule set alive.

The locks are plain ``threading.Lock`` objects, used as ``with owner._lock:``: the
acquire and release are C calls, so a Ctrl-C cannot land between them and leave the
lock held (a Python ``__exit__`` could).

A lock made with ``quiesce=True`` (a durable-rules engine's) is also taken before the
fork and given back after it in the parent: no other thread is inside that engine
while the process is copied, so the child never finds a session half made (deleting
one crashes the C engine) or its tables half changed.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from typing import Any

__all__ = ["LOADING", "new_lock", "new_rlock"]

#: Held while painpath imports its modules on first use or loads rules. A fork waits
#: for it (a few seconds at most), so that no other thread is half-way through an
#: import when the process is copied: the child would wait for ever on that module's
#: import lock, which no lock reset can reach. Re-entrant: a thread that forks while
#: loading does not wait for itself.
LOADING = threading.RLock()
_HELD = False

#: Each owner's lock attributes: (re-entrant, taken before a fork).
_OWNERS: weakref.WeakKeyDictionary[Any, dict[str, tuple[bool, bool]]] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()
#: The quiesced locks taken for the fork in progress.
_TAKEN: list[threading.Lock] = []
#: How long a fork waits, in all, for other threads to leave the quiesced locks.
QUIESCE_SECONDS = 10.0


def new_lock(owner: Any, attribute: str, *, quiesce: bool = False) -> threading.Lock:
    """Set ``owner.<attribute>`` to a new lock that is replaced after a fork, and return it.

    With ``quiesce``, a fork also waits for the lock (10 s at most in all) and holds it
    across the fork: use it for a lock around work the child must never see half done.
    """
    lock = threading.Lock()
    setattr(owner, attribute, lock)
    with _GUARD:
        _OWNERS.setdefault(owner, {})[attribute] = (False, quiesce)
    return lock


def new_rlock(owner: Any, attribute: str) -> threading.RLock:
    """Like :func:`new_lock`, for a re-entrant lock (a fresh one in a forked child)."""
    lock = threading.RLock()
    setattr(owner, attribute, lock)
    with _GUARD:
        _OWNERS.setdefault(owner, {})[attribute] = (True, False)
    return lock


def _before_fork() -> None:
    global _HELD
    _HELD = LOADING.acquire(timeout=10)
    deadline = time.monotonic() + QUIESCE_SECONDS
    with _GUARD:
        quiesced = [
            getattr(owner, attribute, None)
            for owner, attributes in list(_OWNERS.items())
            for attribute, (reentrant, quiesce) in attributes.items()
            if quiesce and not reentrant
        ]
    for lock in quiesced:
        # A lock this thread holds itself is given up on at the deadline: never a hang.
        if lock is not None and lock.acquire(timeout=max(deadline - time.monotonic(), 0)):
            _TAKEN.append(lock)


def _after_fork_in_parent() -> None:
    global _HELD
    while _TAKEN:
        _TAKEN.pop().release()
    if _HELD:
        _HELD = False
        LOADING.release()


def _after_fork_in_child() -> None:
    global _GUARD, _HELD, LOADING
    _GUARD = threading.Lock()
    LOADING = threading.RLock()
    _HELD = False
    _TAKEN.clear()
    for owner, attributes in list(_OWNERS.items()):
        for attribute, (reentrant, _) in attributes.items():
            setattr(owner, attribute, threading.RLock() if reentrant else threading.Lock())


os.register_at_fork(
    before=_before_fork,
    after_in_parent=_after_fork_in_parent,
    after_in_child=_after_fork_in_child,
)
