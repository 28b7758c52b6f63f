"""Validated answers (placeholder: being written)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Answers:
    """Placeholder."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Answers:
        """Placeholder."""
        raise NotImplementedError
