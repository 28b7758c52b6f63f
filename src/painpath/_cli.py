"""The ``painpath`` command (placeholder until the questionnaire lands)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from . import __version__

    parser = argparse.ArgumentParser(prog="painpath", description=__doc__)
    parser.add_argument("--version", action="version", version=f"painpath {__version__}")
    parser.parse_args(argv)
    return 0
