"""``painpath --help`` and ``--version`` start light: what they import, not how long.

The time itself is measured in ``benchmarks/startup.py`` (medians against a bare
interpreter); here, what makes it slow must stay out: the package metadata machinery
and the modules of commands other than the one being run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import painpath

SCRIPT = Path(sys.executable).with_name("painpath")
HEAVY = (
    "importlib.metadata",
    "painpath._batch",
    "painpath._batch_cli",
    "painpath._many",
    "painpath._schema",
    "painpath._rules",
)


def imported(*args: str) -> tuple[str, set[str]]:
    """Run the installed ``painpath`` command; return its output and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return done.stdout, modules


@pytest.mark.slow
class TestStartup:
    @pytest.mark.parametrize("option", ["--help", "--version"])
    def test_help_and_version_import_nothing_heavy(self, option):
        """--help and --version import no metadata machinery and no command's module."""
        out, modules = imported(option)
        assert "painpath" in out
        assert sorted(m for m in HEAVY if m in modules) == []

    def test_help_still_lists_every_command(self):
        """The light --help still names each command with its one-line help."""
        out, _ = imported("--help")
        for command in ("questions", "batch", "schema"):
            assert f"    {command} " in out

    def test_batch_help_shows_its_arguments_and_epilog(self):
        """`painpath batch --help` loads the command's arguments, not the batch library."""
        out, modules = imported("batch", "--help")
        assert "painpath._batch_cli" in modules
        assert sorted(m for m in HEAVY if m in modules) == ["painpath._batch_cli"]
        for text in ("IN", "OUT", "--input-format", "--workers", "--compact", "exit status:"):
            assert text in out

    def test_version_is_the_distribution_version(self):
        """The version read cheaply at start-up is the installed distribution's."""
        from importlib.metadata import version

        out, _ = imported("--version")
        assert out == f"painpath {version('painpath')}\n" == f"painpath {painpath.__version__}\n"
