"""triage() (placeholder: being written)."""

from __future__ import annotations

from typing import Any


def triage(answers: Any, *, rules: Any = None) -> Any:
    """Placeholder."""
    raise NotImplementedError
