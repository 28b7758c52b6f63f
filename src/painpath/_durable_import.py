"""The one place painpath imports durable-rules, on every Python it supports.

durable-rules 2.0.28 (its last release) ships only an sdist whose C extension,
``durable_rules_engine``, calls ``PyEval_CallObject``. CPython 3.13 removed that
function. The call sits only in durable's five callback functions (store, delete,
queue, get-queued and idle-state messages in ``src/rulespy/rules.c``), which the
engine reaches only after one of its ``set_*_callback`` setters was called; painpath
never calls them (it runs every action itself, see :mod:`painpath._engines.durable`).

What happens on 3.13 and later depends on the compiler that built the extension:

- A compiler that only *warns* about the implicit declaration (GCC 13 and older)
  builds it, but the plain import fails: the loader resolves every symbol at once
  (``RTLD_NOW``) and ``PyEval_CallObject`` is missing. Resolving symbols on first
  call instead (``RTLD_LAZY``) lets it import, and since the callbacks are never
  called the missing symbol is never looked up. :func:`load_engine` retries the
  import that way, with the interpreter's ``dlopen`` flags restored right after, and
  then replaces the extension's ``set_*_callback`` setters with ones that raise
  :class:`~painpath.EngineError`: a callback reached through lazy binding would end
  the process with "symbol lookup error", which Python cannot catch.
- A compiler that treats implicit declarations as errors (GCC 14, the default of
  current Debian and Fedora) refuses to build it. Installing with
  ``CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject"`` fixes the build and the
  callbacks (durable's ``setup.py`` overwrites ``CFLAGS`` but not ``CPPFLAGS``); such
  a build imports plainly.

Where durable-rules cannot be loaded at all, :func:`load_engine` raises one
:class:`~painpath.EngineError` naming the fix and the pure-Python engine.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from types import ModuleType
from typing import Any

from ._exceptions import EngineError

__all__ = ["CPPFLAGS_FIX", "callback_setters", "load_engine", "loaded_lazily"]

#: The install line that builds durable-rules on Python 3.13+ with any compiler.
CPPFLAGS_FIX = 'CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject"'

_MISSING_SYMBOL = "PyEval_CallObject"
_EXTENSION = "durable_rules_engine"

# Whether the extension had to be imported with lazy binding (see load_engine).
_lazy = False
_engine: ModuleType | None = None


def loaded_lazily() -> bool:
    """Tell whether durable-rules' extension was imported with lazy symbol binding."""
    return _lazy


def callback_setters(extension: ModuleType) -> list[str]:
    """List the extension's ``set_*_callback`` functions (painpath calls none)."""
    return sorted(
        name for name in dir(extension) if name.startswith("set_") and name.endswith("_callback")
    )


def load_engine() -> Any:
    """Import and return ``durable.engine``, importing its C extension as described above.

    Raises :class:`~painpath.EngineError` when durable-rules is missing or its
    extension cannot be loaded on this Python.
    """
    global _engine
    if _engine is not None:
        return _engine
    _import_extension()
    try:
        from durable import engine
    except ImportError as error:
        raise _cannot_load(error) from error
    # durable.engine._unix_now calls datetime.utcfromtimestamp, deprecated on 3.12: with
    # warnings as errors every action would fail. Its values are only ever subtracted
    # from each other, so an equivalent clock without the deprecated call is safe.
    if getattr(engine._unix_now, "__module__", "") == "durable.engine":
        engine._unix_now = time.time
    _engine = engine
    return engine


def _import_extension() -> ModuleType:
    global _lazy
    loaded = sys.modules.get(_EXTENSION)
    if loaded is not None:
        return loaded
    try:
        return importlib.import_module(_EXTENSION)
    except ImportError as error:
        if _MISSING_SYMBOL not in str(error) or not hasattr(sys, "setdlopenflags"):
            raise _cannot_load(error) from error
        first = error
    flags = sys.getdlopenflags()
    sys.setdlopenflags((flags & ~os.RTLD_NOW) | os.RTLD_LAZY)
    try:
        extension = importlib.import_module(_EXTENSION)
    except ImportError as error:
        raise _cannot_load(error) from first
    finally:
        sys.setdlopenflags(flags)
    _lazy = True
    for name in callback_setters(extension):
        setattr(extension, name, _refuse(name))
    return extension


def _refuse(name: str) -> Any:
    def refused(*args: object) -> None:
        raise EngineError(
            f"durable-rules' {name} is disabled: this build of durable-rules lacks "
            f"{_MISSING_SYMBOL} (removed in Python 3.13), and a callback would end the "
            f"process. Reinstall durable-rules with {CPPFLAGS_FIX} to use callbacks."
        )

    refused.__name__ = name
    return refused


def _cannot_load(error: BaseException) -> EngineError:
    version = ".".join(map(str, sys.version_info[:3]))
    return EngineError(
        f"the durable-rules engine cannot be loaded on Python {version} ({error}). "
        "To fix it, install a C compiler and the Python headers, then rebuild it: "
        f"{CPPFLAGS_FIX} pip install --force-reinstall --no-cache-dir durable-rules==2.0.28. "
        'Or run the rules without it: painpath.load_rules(path, engine="python").'
    )
