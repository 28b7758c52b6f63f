"""Rule files (placeholder: being written)."""

from __future__ import annotations


class RuleSet:
    """Placeholder."""


def load_rules(path: object) -> RuleSet:
    """Placeholder."""
    raise NotImplementedError


def default_rules() -> RuleSet:
    """Placeholder."""
    raise NotImplementedError
