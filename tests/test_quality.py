"""The code stays lint-clean, formatted and strictly typed (the project's standards)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
    reason="ruff not installed",
)
class TestStyle:
    def ruff(self) -> str:
        local = Path(sys.executable).parent / "ruff"
        return str(local) if local.exists() else "ruff"

    def test_ruff_check_is_clean(self):
        """ruff finds nothing in the package, the tests and the benchmarks."""
        done = run(self.ruff(), "check", "src", "tests", "benchmarks")
        assert done.returncode == 0, done.stdout + done.stderr

    def test_code_is_formatted(self):
        """ruff format would change nothing."""
        done = run(self.ruff(), "format", "--check", "src", "tests", "benchmarks")
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_mypy_strict_is_clean():
    """The package type-checks with mypy --strict (type hints everywhere)."""
    pytest.importorskip("mypy")
    done = run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr
