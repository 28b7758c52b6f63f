"""painpath's version: the one place it is written (``pyproject.toml`` reads it from here).

Read from this module, not from ``importlib.metadata``, so ``painpath --version`` and
``painpath --help`` start without importing the metadata machinery.
"""

__version__ = "0.1.0"
