"""What ships: the license, README links that resolve in the sdist, docgen outside a checkout."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import painpath
from painpath import _docgen
from painpath._cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_license_file_is_the_mit_text_the_metadata_claims():
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_every_relative_readme_link_resolves_in_the_checkout_and_the_sdist():
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    relative = [link for link in links if "://" not in link]
    assert relative, "the README links to its docs"
    shipped = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    for link in relative:
        assert (ROOT / link).exists(), link
        assert link.rstrip("/").split("/")[0] in shipped, f"{link} is not in the sdist"


def test_the_readme_fhir_example_runs(monkeypatch):
    blocks = re.findall(r"```python\n(.*?)\n```", README, flags=re.S)
    (fhir,) = [b for b in blocks if "answers_from_fhir" in b]
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(fhir, "README.md", "exec"), namespace)
    assert namespace["result"] == painpath.triage(namespace["answers"])  # type: ignore[arg-type]
    cards = namespace["cards"]
    assert isinstance(cards, dict) and cards["cards"][0]["indicator"] == "warning"


def test_answers_may_be_a_questionnaire_response_file():
    out = io.StringIO()
    response = ROOT / "tests" / "fixtures" / "lhcforms" / "response.json"
    answers = json.loads((response.parent / "answers.json").read_text())
    status = main(["--answers", str(response), "--format", "json"], stdout=out)
    assert json.loads(out.getvalue()) == painpath.triage(answers).to_dict()
    assert status == main(
        ["--answers", str(response.parent / "answers.json"), "--format", "json"],
        stdout=io.StringIO(),
    )


def test_docgen_refuses_to_write_outside_a_checkout(monkeypatch, tmp_path):
    monkeypatch.setattr(_docgen, "checkout_docs_dir", lambda: None)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert _docgen.main([]) == 2
    assert "not running from a source checkout" in err.getvalue()
    assert "--docs-dir" in err.getvalue()
    with contextlib.redirect_stdout(io.StringIO()):
        assert _docgen.main(["--docs-dir", str(tmp_path)]) == 0
    assert (tmp_path / "contract.md").read_text() == _docgen.DOCS["contract.md"]()


def test_the_checkout_is_recognised():
    """Run from the checkout's src/ (as an editable install does), docgen finds docs/.

    The suite may run against a regular install (CI does), where painpath is not in a
    checkout: so import it from this checkout's src/ in a child process.
    """
    shown = subprocess.run(
        [sys.executable, "-c", "from painpath import _docgen; print(_docgen.checkout_docs_dir())"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(shown.stdout.strip()) == ROOT / "docs"


@pytest.mark.slow
def test_installed_docgen_refuses_and_the_wheel_carries_the_license(tmp_path):
    """With the wheel installed, docgen says so instead of writing next to the package."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("painpath-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import painpath; print(painpath.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert where.stdout.startswith(str(site)), where.stdout
    done = subprocess.run(
        [sys.executable, "-m", "painpath._docgen"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--docs-dir" in done.stderr
    assert not (site / "docs").exists(), "nothing written next to the installed package"
