"""The FHIR export in a real outside renderer: LHC-Forms (npm ``lforms``) in headless Chromium.

The tool ``tools/lhcforms/lhcforms.mjs`` types and clicks answers into the rendered
form. These tests need ``node``, ``npm`` and Chromium at ``/usr/bin/chromium``
(``.ci/run`` installs them); the npm packages are installed once into the
git-ignored ``tools/lhcforms/node_modules``. Nothing here is skipped: a missing
tool fails the test with what to install.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import painpath
from painpath._cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "lhcforms"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lhcforms"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def lhcforms() -> Path:
    """Install lforms and playwright-core from the lock file once; return the tool dir."""
    missing = [name for name in ("node", "npm") if shutil.which(name) is None]
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    assert not missing, f"install {', '.join(missing)} (Debian: chromium nodejs npm)"
    marker = TOOL / "node_modules" / ".package-lock.json"
    lock = TOOL / "package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=TOOL,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return TOOL


@pytest.fixture(scope="module")
def questionnaire(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = io.StringIO()
    assert main(["questions", "--format", "fhir"], stdout=out) == 0
    path = tmp_path_factory.mktemp("lhcforms") / "questionnaire.json"
    path.write_text(out.getvalue())
    return path


def fill(tool: Path, questionnaire: Path, answers: Path, *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        [
            "node",
            "lhcforms.mjs",
            "--questionnaire",
            str(questionnaire),
            "--answers",
            str(answers),
            *extra,
        ],
        cwd=tool,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_yes_to_bladder_trouble_stops_the_form_with_the_warning(
    lhcforms: Path, questionnaire: Path, tmp_path: Path
):
    screenshot = tmp_path / "stop.png"
    seen = fill(
        lhcforms,
        questionnaire,
        FIXTURES / "bladder.json",
        "--screenshot",
        str(screenshot),
    )
    assert seen["shown"] == ["area", "onset", "bladder_or_bowel_change"]
    assert seen["hidden"] == ["saddle_numbness", "fever", "age"]
    (warning,) = seen["displays"]
    assert warning.startswith("Go to an emergency department now.")
    assert "cauda equina" in warning
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    answers = painpath.answers_from_fhir(seen["response"])
    assert answers == {"area": "back", "bladder_or_bowel_change": True}
    assert painpath.triage(seen["response"]).level is painpath.Level.EMERGENCY


def test_the_form_filled_today_triages_like_the_answers_file(lhcforms: Path, questionnaire: Path):
    answers_file = FIXTURES / "answers.json"
    seen = fill(lhcforms, questionnaire, answers_file)
    answers = json.loads(answers_file.read_text())
    assert seen["hidden"] == []
    assert seen["displays"] == []
    assert painpath.answers_from_fhir(seen["response"]) == answers
    assert painpath.triage(seen["response"]) == painpath.triage(answers)


def test_the_committed_lhcforms_response_triages_like_the_answers_file():
    """The fixture was made once by LHC-Forms (see tools/lhcforms/README.md)."""
    response = json.loads((FIXTURES / "response.json").read_text())
    answers = json.loads((FIXTURES / "answers.json").read_text())
    assert response["meta"]["tag"][0]["code"].startswith("lformsVersion")
    assert painpath.answers_from_fhir(response) == answers
    assert painpath.triage(response) == painpath.triage(answers)
