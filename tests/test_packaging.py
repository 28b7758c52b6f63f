"""The package as users get it: the wheel, its data, and the README's promises."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import painpath

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)


class TestReadme:
    def test_quick_start_is_two_commands(self):
        """The quick start is exactly two one-line commands."""
        commands = quick_start_commands()
        assert len(commands) == 2
        assert all("\n" not in c for c in commands)

    def test_first_command_installs_and_runs_the_questionnaire(self):
        """The first command makes a venv, installs the project and runs `painpath`."""
        first = quick_start_commands()[0]
        assert "python3 -m venv" in first and "pip install ." in first
        assert first.rstrip().endswith("painpath")

    def test_second_command_installs_and_runs_the_tests(self):
        """The second command installs the test extra and runs pytest."""
        second = quick_start_commands()[1]
        assert "python3 -m venv" in second and "pip install '.[test]'" in second
        assert second.rstrip().endswith("pytest")

    def test_ci_runs_the_readme_test_command(self):
        """.ci/run extracts the README's second command and runs it, so they cannot drift."""
        script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        extracted = subprocess.run(
            ["bash", "-c", "awk '/^```bash$/{getline; print}' README.md | sed -n 2p"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert extracted == quick_start_commands()[1]
        assert "awk '/^```bash$/{getline; print}' README.md | sed -n 2p" in script
        assert 'bash -c "$test_command"' in script

    def test_library_example_runs(self):
        """The README's Python example runs as written."""
        code = re.search(r"```python\n(.*?)\n```", README, flags=re.S)
        assert code is not None
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(code.group(1), "README.md", "exec"), {})
        printed = out.getvalue()
        assert "Level.SELF_CARE" in printed and "mckenzie_emergency" in printed


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the project's wheel from the checkout, as pip would for a user."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("painpath-*.whl")
    return built


@pytest.mark.slow
class TestWheel:
    def test_wheel_ships_rules_and_docs_free_of_checkout_paths(self, wheel):
        """The wheel carries every rule file and the typing marker."""
        names = zipfile.ZipFile(wheel).namelist()
        shipped = {
            n.removeprefix("painpath/rules/") for n in names if n.startswith("painpath/rules/")
        }
        rules = ROOT / "rules"
        assert shipped == {p.relative_to(rules).as_posix() for p in rules.rglob("*.toml")}
        assert "painpath/py.typed" in names

    def test_installed_wheel_works_without_the_checkout(self, wheel, tmp_path):
        """Installed into a clean venv, the wheel triages with its own rules and catalog."""
        venv = tmp_path / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", str(wheel)],
            check=True,
            capture_output=True,
            env=env,
        )
        probe = textwrap.dedent(
            """
            import json, painpath
            from painpath._rules import default_rules_path
            r = painpath.triage({"area": "back", "leg_pain": "below_knee", "spasm": True})
            print(json.dumps({
                "file": painpath.__file__,
                "rules": str(default_rules_path()),
                "n_rules": len(painpath.default_rules().rules),
                "n_exercises": len(painpath.catalog.EXERCISES),
                "plan": [p.routine_id for p in r.plan],
            }))
            """
        )
        done = subprocess.run(
            [str(python), "-c", probe],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        info = json.loads(done.stdout)
        assert info["file"].startswith(str(venv))
        assert info["rules"].startswith(str(venv))
        assert info["n_rules"] == len(painpath.default_rules().rules)
        assert info["n_exercises"] == len(painpath.catalog.EXERCISES)
        assert info["plan"][0] == "mckenzie_emergency"
        help_run = subprocess.run(
            [str(venv / "bin" / "painpath"), "--help"], capture_output=True, text=True, env=env
        )
        assert help_run.returncode == 0 and "painpath" in help_run.stdout
