"""durable-rules on every supported Python: the import fallback, its guard, and the build fix.

durable-rules 2.0.28 calls ``PyEval_CallObject``, removed in Python 3.13, from its
callback functions only. painpath imports it with lazy binding when the plain import
fails on that symbol, never calls its callback setters, and says clearly what to do
when it cannot load at all (see ``painpath._durable_import``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import painpath
from painpath import _durable_import
from painpath._rules import default_rules_path
from painpath._samples import sample_answers

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _run(code: str, *, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter, with ``path`` first on ``sys.path``."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(path), env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


class TestCallbackSetters:
    def test_triage_never_reaches_a_callback_setter(self, monkeypatch):
        """Loading rules and triaging calls none of durable's set_*_callback setters."""
        _durable_import.load_engine()
        extension = sys.modules["durable_rules_engine"]
        setters = _durable_import.callback_setters(extension)
        assert len(setters) >= 5  # store, delete, queue, get-queued, idle-state
        reached: list[str] = []

        def guard(name):
            def setter(*args):
                reached.append(name)
                raise AssertionError(f"painpath called durable's {name}")

            return setter

        for name in setters:
            monkeypatch.setattr(extension, name, guard(name))
        rules = painpath.load_rules(default_rules_path())  # a fresh host and ruleset
        levels = {painpath.triage(a, rules=rules).level for a in sample_answers(60, seed=13)}
        assert len(levels) >= 2
        assert reached == []

    def test_setters_are_guarded_exactly_when_imported_lazily(self):
        """After a lazy import each setter raises EngineError; otherwise none is touched."""
        _durable_import.load_engine()
        extension = sys.modules["durable_rules_engine"]
        for name in _durable_import.callback_setters(extension):
            setter = getattr(extension, name)
            if _durable_import.loaded_lazily():
                with pytest.raises(painpath.EngineError, match="CPPFLAGS"):
                    setter(0, print)
            else:
                assert type(setter).__name__ == "builtin_function_or_method"

    def test_lazy_binding_is_used_exactly_when_the_plain_import_fails(self):
        """The fallback is taken on this Python if and only if the plain import fails."""
        plain = _run("import durable_rules_engine")
        _durable_import.load_engine()
        if plain.returncode == 0:
            assert not _durable_import.loaded_lazily()
        else:
            assert "PyEval_CallObject" in plain.stderr
            assert _durable_import.loaded_lazily()
        if sys.version_info < (3, 13):
            assert plain.returncode == 0


FAKE_EXTENSION = """
import os, sys
if not sys.getdlopenflags() & os.RTLD_LAZY or {always_fail}:
    raise ImportError("durable_rules_engine.so: undefined symbol: PyEval_CallObject")
FLAGS_AT_IMPORT = sys.getdlopenflags()
def set_store_message_callback(handle, func):
    return "reached"
def set_get_idle_state_callback(handle, func):
    return "reached"
"""


class TestFallback:
    def test_missing_symbol_retries_with_lazy_binding(self, tmp_path):
        """An extension that fails only under RTLD_NOW is imported lazily, flags restored."""
        (tmp_path / "durable_rules_engine.py").write_text(
            FAKE_EXTENSION.format(always_fail=False), encoding="utf-8"
        )
        done = _run(
            """
            import os, sys, painpath
            from painpath import _durable_import
            before = sys.getdlopenflags()
            _durable_import.load_engine()
            ext = sys.modules["durable_rules_engine"]
            assert _durable_import.loaded_lazily()
            assert ext.FLAGS_AT_IMPORT & os.RTLD_LAZY and not ext.FLAGS_AT_IMPORT & os.RTLD_NOW
            assert sys.getdlopenflags() == before, "dlopen flags not restored"
            try:
                ext.set_store_message_callback(0, print)
            except painpath.EngineError as error:
                print("refused:", error)
            """,
            path=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert "refused: durable-rules' set_store_message_callback is disabled" in done.stdout
        assert _durable_import.CPPFLAGS_FIX in done.stdout

    def test_extension_that_cannot_load_is_one_clear_engine_error(self, tmp_path):
        """When even the lazy import fails, triage() raises EngineError naming both ways out."""
        (tmp_path / "durable_rules_engine.py").write_text(
            FAKE_EXTENSION.format(always_fail=True), encoding="utf-8"
        )
        done = _run(
            """
            import painpath
            try:
                painpath.triage({"area": "back"})
            except painpath.EngineError as error:
                print(error)
            """,
            path=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        message = done.stdout
        assert "durable-rules engine cannot be loaded" in message
        assert "PyEval_CallObject" in message
        assert _durable_import.CPPFLAGS_FIX in message
        assert 'engine="python"' in message

    def test_missing_durable_rules_is_one_clear_engine_error(self):
        """Without durable-rules installed, triage() raises EngineError, not ImportError."""
        done = _run(
            """
            import sys
            sys.modules["durable_rules_engine"] = None  # as if never installed
            import painpath
            try:
                painpath.triage({"area": "back"})
            except painpath.EngineError as error:
                print(type(error).__name__, error)
            """
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("EngineError the durable-rules engine cannot be loaded")
        assert "C compiler" in done.stdout and 'engine="python"' in done.stdout


def _python_313() -> str | None:
    """A Python 3.13 (or later) interpreter: this one, or one pyenv or PATH has."""
    if sys.version_info >= (3, 13):
        return sys.executable
    pyenv = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv")) / "versions"
    for candidate in sorted(pyenv.glob("3.1[3-9].*/bin/python3"), reverse=True):
        return str(candidate)
    return shutil.which("python3.14") or shutil.which("python3.13")


@pytest.mark.slow
def test_cppflags_line_builds_durable_rules_where_implicit_declarations_are_errors(tmp_path):
    """With -Werror=implicit-function-declaration (GCC 14's default) on Python 3.13, the
    build fails as it stands and succeeds with the README's CPPFLAGS line, and that build
    imports without lazy binding."""
    python = _python_313()
    if python is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs a Python 3.13 interpreter for this test")
        pytest.skip("no Python 3.13 interpreter on this machine")
    assert _durable_import.CPPFLAGS_FIX in README
    venv = tmp_path / "venv313"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    sdist = tmp_path / "sdist"
    subprocess.run(
        [
            *pip,
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            "-d",
            str(sdist),
            "durable-rules==2.0.28",
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=600,
    )
    [archive] = sdist.iterdir()
    strict = "-Werror=implicit-function-declaration"
    fix = _durable_import.CPPFLAGS_FIX.split("=", 1)[1].strip('"')

    def build(cppflags: str, out: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*pip, "wheel", "--no-deps", "--no-cache-dir", "-w", str(out), str(archive)],
            capture_output=True,
            text=True,
            env={**env, "CPPFLAGS": cppflags},
            timeout=600,
        )

    refused = build(strict, tmp_path / "refused")
    assert refused.returncode != 0
    assert "implicit declaration of function" in refused.stdout + refused.stderr
    assert "PyEval_CallObject" in refused.stdout + refused.stderr
    fixed = build(f"{strict} {fix}", tmp_path / "fixed")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    [wheel] = (tmp_path / "fixed").glob("durable_rules-*.whl")
    subprocess.run([*pip, "install", "-q", str(wheel)], check=True, capture_output=True, env=env)
    probe = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sys, durable_rules_engine; print(sys.version_info[:2] >= (3, 13))",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "True"
