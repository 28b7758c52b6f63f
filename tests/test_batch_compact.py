"""``painpath batch --compact``: the short result per record, through the command.

The compact line must say exactly what the full line says about the level, the
findings, the unscreened red flags, the routines and the rules that fired, on
both engines; errors are the same lines as without ``--compact``.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from painpath._cli import main
from painpath._samples import sample_answers
from painpath._schema import batch_schema

SCRIPT = Path(sys.executable).parent / "painpath"
BATCH = jsonschema.Draft202012Validator(batch_schema())


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["batch", *argv], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def mixed_input() -> str:
    """Records of every kind: plans, emergencies, bad answers, text that is not JSON."""
    lines = [json.dumps(a) for a in sample_answers(300, seed=21, red_flag_rate=0.2)]
    lines[7] = "not json"
    lines[40] = '{"area": "back", "age": -3}'
    lines[41] = '{"area": "elbow"}'
    return "\n".join(lines) + "\n"


def as_compact(full: dict[str, Any]) -> dict[str, Any]:
    """What a compact line must hold, read from the full line."""
    if not full["ok"]:
        return full
    result = full["result"]
    return {
        "line": full["line"],
        "ok": True,
        "result": {
            "level": result["level"],
            "findings": result["findings"],
            "unscreened": result["unscreened"],
            "routine_ids": [phase["routine_id"] for phase in result["plan"]],
            "rule_ids": [reason["rule_id"] for reason in result["reasons"]],
        },
    }


@pytest.mark.parametrize("engine", ["durable", "python"])
def test_compact_and_full_agree_record_by_record(mixed_input, engine):
    """Level, findings, unscreened, routines and rules: the same as the full output says."""
    common = ["-", "-", "--workers", "1", "--engine", engine]
    status_full, full, _ = run(common, mixed_input)
    status_compact, compact, err = run([*common, "--compact"], mixed_input)
    assert status_full == status_compact == 2
    assert err.startswith("300 records: 297 ok, 3 errors")
    full_records, compact_records = records(full), records(compact)
    assert compact_records == [as_compact(r) for r in full_records]
    assert {r["result"]["level"] for r in compact_records if r["ok"]} == {
        "emergency",
        "urgent",
        "see_doctor",
        "self_care",
    }
    assert any(r["ok"] and r["result"]["routine_ids"] for r in compact_records)
    assert any(r["ok"] and r["result"]["unscreened"] for r in compact_records)


@pytest.mark.slow
def test_compact_on_two_workers_is_the_installed_command_s_in_process_output(mixed_input, tmp_path):
    """The installed command, on two worker processes, writes what one worker writes."""
    source = tmp_path / "in.jsonl"
    source.write_text(mixed_input, encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        target = tmp_path / f"out{workers}.jsonl"
        options = ["--compact", "--engine", "python", "--workers", workers]
        done = subprocess.run(
            [str(SCRIPT), "batch", *options, str(source), str(target)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        outputs.append(target.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == 300


def test_compact_lines_are_short(mixed_input):
    """The point of --compact: a small fraction of the full line."""
    _, full, _ = run(["-", "-", "--workers", "1"], mixed_input)
    _, compact, _ = run(["-", "-", "--workers", "1", "--compact"], mixed_input)
    assert len(compact) * 10 < len(full)


@pytest.mark.parametrize("compact", [False, True])
def test_every_line_matches_the_batch_schema(mixed_input, compact):
    """`painpath schema batch` describes full, compact and error lines alike."""
    _, out, _ = run(["-", "-", "--workers", "1", *(["--compact"] if compact else [])], mixed_input)
    for record in records(out):
        BATCH.validate(record)


def test_the_batch_schema_refuses_lines_that_are_not_batch_output():
    """An ok line without a result, an error line with one, an unknown key: refused."""
    bad_lines = [
        {"line": 1, "ok": True},
        {"line": 1, "ok": False, "errors": [], "result": {}},
        {"line": 0, "ok": False, "errors": [{"key": None, "value": 1, "message": "x"}]},
        {
            "line": 1,
            "ok": True,
            "result": {
                "level": "self_care",
                "findings": [],
                "unscreened": [],
                "routine_ids": [],
                "rule_ids": [],
                "extra": 1,
            },
        },
    ]
    for line in bad_lines:
        assert not BATCH.is_valid(line), line


def test_painpath_schema_batch_prints_it():
    out = io.StringIO()
    assert main(["schema", "batch"], stdout=out, stderr=io.StringIO()) == 0
    assert json.loads(out.getvalue()) == batch_schema()


class TestResume:
    @pytest.fixture
    def source(self, tmp_path: Path) -> Path:
        path = tmp_path / "in.jsonl"
        path.write_text(
            "".join(json.dumps(a) + "\n" for a in sample_answers(10, seed=3)), encoding="utf-8"
        )
        return path

    def test_a_compact_run_resumes_exactly(self, source, tmp_path):
        """--resume --compact keeps the compact records and finishes as one run would."""
        whole = tmp_path / "whole.jsonl"
        assert run(["--workers", "1", "--compact", str(source), str(whole)])[0] == 0
        lines = whole.read_bytes().splitlines(keepends=True)
        target = tmp_path / "out.jsonl"
        target.write_bytes(b"".join(lines[:4]) + lines[4][:20])
        status, _, err = run(["--workers", "1", "--compact", "--resume", str(source), str(target)])
        assert status == 0 and "(4 kept from before)" in err
        assert target.read_bytes() == whole.read_bytes()

    @pytest.mark.parametrize("first", [[], ["--compact"]])
    def test_resume_refuses_to_mix_compact_and_full(self, source, tmp_path, first):
        """Resuming a full output with --compact (or the reverse) is refused; OUT untouched."""
        target = tmp_path / "out.jsonl"
        assert run(["--workers", "1", *first, str(source), str(target)])[0] == 0
        before = target.read_bytes()
        target.write_bytes(b"".join(before.splitlines(keepends=True)[:3]))
        kept = target.read_bytes()
        second = [] if first else ["--compact"]
        status, _, err = run(["--workers", "1", *second, "--resume", str(source), str(target)])
        assert status == 2 and "cannot resume" in err
        held, hint = ("--compact", "with") if first else ("full", "without")
        assert f"holds {held} results; resume {hint} --compact" in err
        assert target.read_bytes() == kept
