"""``painpath batch``: many records in, one JSON line per record out, in input order."""

from __future__ import annotations

import io
import json
import multiprocessing
import subprocess
import sys
from collections.abc import Iterator

import pytest

import painpath
from painpath import _batch, _batch_cli, _many
from painpath._batch import CHUNK_SIZE, BatchInputError, convert_cell, run_batch
from painpath._cli import main
from painpath._contract import KEYS
from painpath._samples import sample_answers

SPASM = {"area": "back", "spasm": True}
KNEE = {"area": "knee", "knee_injury": "twist", "knee_swelling": "rapid", "bmi": 31.5}


def expected(answers: object) -> dict[str, object]:
    return painpath.triage(answers).to_dict()  # type: ignore[arg-type]


def records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["batch", *argv], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def batch_lines(text: str, fmt: str = "jsonl", **options: object) -> list[dict[str, object]]:
    sink = io.StringIO()
    run_batch(io.StringIO(text), sink, fmt=fmt, workers=1, **options)  # type: ignore[arg-type]
    return records(sink.getvalue())


def generated(count: int, seed: int = 3) -> list[dict[str, object]]:
    """Valid answers with about half of the relevant keys answered, reproducibly."""
    return sample_answers(count, seed=seed)


def as_jsonl(batch: list[dict[str, object]]) -> str:
    return "".join(json.dumps(a) + "\n" for a in batch)


@pytest.fixture(scope="module")
def big_batch() -> list[dict[str, object]]:
    """More records than the workers hold in flight, so chunks are really interleaved."""
    return generated(CHUNK_SIZE * 12 + 5)


class TestJsonLines:
    def test_every_result_is_the_triage_of_its_record_in_input_order(self):
        """Record N of the output is triage(record N of the input).to_dict()."""
        batch = generated(150)
        out = batch_lines(as_jsonl(batch))
        assert [r["line"] for r in out] == list(range(1, 151))
        assert all(r["ok"] is True for r in out)
        assert [r["result"] for r in out] == [expected(a) for a in batch]

    def test_record_keys_are_line_ok_result(self):
        """A good record is exactly {"line", "ok", "result"}."""
        (record,) = batch_lines(json.dumps(SPASM))
        assert list(record) == ["line", "ok", "result"]

    def test_blank_lines_are_skipped_but_counted(self):
        """Line numbers are those of the file, whatever blank lines come between."""
        text = f"\n{json.dumps(SPASM)}\n   \n\r\n{json.dumps(KNEE)}\n\n"
        out = batch_lines(text)
        assert [(r["line"], r["result"]) for r in out] == [
            (2, expected(SPASM)),
            (5, expected(KNEE)),
        ]

    def test_bad_records_become_error_records_and_the_batch_goes_on(self):
        """Bad JSON, a non-object, an unknown key and a wrong type each give one error record."""
        text = "\n".join(
            [
                json.dumps(SPASM),
                '{"area": "back",',
                "[1, 2]",
                '"back"',
                '{"area": "back", "agee": 40}',
                '{"area": "back", "fever": "yes"}',
                json.dumps(KNEE),
            ]
        )
        out = batch_lines(text)
        assert [(r["line"], r["ok"]) for r in out] == [
            (1, True),
            (2, False),
            (3, False),
            (4, False),
            (5, False),
            (6, False),
            (7, True),
        ]
        bad_json, not_object, string, unknown, wrong_type = (r["errors"] for r in out[1:6])
        assert bad_json == [
            {
                "key": None,
                "value": '{"area": "back",',
                "message": "not valid JSON: Expecting property name enclosed in double quotes"
                " (column 17)",
            }
        ]
        assert not_object[0]["key"] == "answers" and not_object[0]["value"] == [1, 2]
        assert string[0]["key"] == "answers" and string[0]["value"] == "back"
        assert unknown[0]["key"] == "agee" and "did you mean 'age'" in unknown[0]["message"]
        assert wrong_type == [
            {"key": "fever", "value": "yes", "message": "'fever' must be True or False (got 'yes')"}
        ]
        assert out[6]["result"] == expected(KNEE)

    def test_every_problem_of_a_record_is_listed(self):
        """An error record has the same problems, in the same order, as InvalidAnswersError."""
        answers = {"area": "elbow", "age": 400, "equipment": ["couch", "sofa"], "x": 1}
        with pytest.raises(painpath.InvalidAnswersError) as info:
            painpath.triage(answers)
        (record,) = batch_lines(json.dumps(answers))
        assert record["errors"] == [
            {"key": p.key, "value": p.value, "message": p.message} for p in info.value.problems
        ]

    def test_nan_and_infinity_are_not_json(self):
        """NaN and Infinity are refused as invalid JSON, so every output line is strict JSON."""
        out = batch_lines('{"area": "knee", "bmi": NaN}\n{"area": "knee", "bmi": -Infinity}\n')
        assert [r["errors"][0]["message"] for r in out] == [
            "not valid JSON: NaN is not JSON",
            "not valid JSON: -Infinity is not JSON",
        ]

    def test_deeply_nested_json_is_a_bad_record(self):
        """JSON nested beyond what the parser can hold is an error record, not a crash."""
        out = batch_lines("[" * 100_000 + "\n" + json.dumps(SPASM))
        assert out[0]["ok"] is False and "nested too deeply" in out[0]["errors"][0]["message"]
        assert out[1]["result"] == expected(SPASM)

    def test_non_utf8_bytes_spoil_only_their_own_record(self, tmp_path):
        """A line with bytes that are not UTF-8 is refused; the lines around it are triaged."""
        source = tmp_path / "in.jsonl"
        source.write_bytes(
            json.dumps(SPASM).encode() + b'\n{"area": "b\xffck"}\n' + json.dumps(KNEE).encode()
        )
        sink = io.StringIO()
        summary = run_batch(source, sink, workers=1)
        out = records(sink.getvalue())
        assert (summary.ok, summary.errors) == (2, 1)
        assert out[1]["line"] == 2
        assert out[1]["errors"] == [
            {
                "key": None,
                "value": '{"area": "b\ufffdck"}',
                "message": "the line is not UTF-8 text: byte 0xff at column 12",
            }
        ]
        assert sink.getvalue().isascii()


class TestCsv:
    def test_cells_are_converted_by_the_contract_type(self):
        """A CSV row gives the result of the answers mapping it stands for."""
        text = (
            "area,age,fever,bmi,equipment,leg_pain\n"
            "back,40,false,,couch;yoga_strap,below_knee\n"
            "knee,,TRUE,31.5,,\n"
        )
        out = batch_lines(text, "csv")
        assert [r["line"] for r in out] == [2, 3]
        assert out[0]["result"] == expected(
            {
                "area": "back",
                "age": 40,
                "fever": False,
                "equipment": ["couch", "yoga_strap"],
                "leg_pain": "below_knee",
            }
        )
        assert out[1]["result"] == expected({"area": "knee", "fever": True, "bmi": 31.5})

    def test_csv_and_jsonl_give_the_same_results(self):
        """The same answers as CSV rows or as JSON lines give the same results."""
        batch = generated(60)
        columns = list(KEYS)
        lines = [",".join(columns)]
        for answers in batch:
            cells = []
            for key in columns:
                value = answers.get(key)
                if value is None:
                    cells.append("")
                elif isinstance(value, bool):
                    cells.append(str(value).lower())
                elif isinstance(value, list):
                    cells.append(";".join(value))
                else:
                    cells.append(str(value))
            lines.append(",".join(cells))
        # An empty equipment list cannot be written in CSV: it reads as "not asked".
        for answers in batch:
            if answers.get("equipment") == []:
                del answers["equipment"]
        from_csv = [r["result"] for r in batch_lines("\n".join(lines), "csv")]
        from_jsonl = [r["result"] for r in batch_lines(as_jsonl(batch))]
        assert from_csv == from_jsonl == [expected(a) for a in batch]

    @pytest.mark.parametrize(
        ("key", "cell", "value"),
        [
            ("fever", "true", True),
            ("fever", "False", False),
            ("fever", " TRUE ", True),
            ("age", "40", 40),
            ("age", "+7", 7),
            ("bmi", "31.5", 31.5),
            ("bmi", "25", 25.0),
            ("bmi", "2.5e1", 25.0),
            ("equipment", "couch; pillow", ["couch", "pillow"]),
            ("area", " knee ", "knee"),
        ],
    )
    def test_convertible_cells(self, key, cell, value):
        """Cells in the documented spelling convert to the contract's value and type."""
        converted = convert_cell(key, cell)
        assert converted == value and type(converted) is type(value)

    @pytest.mark.parametrize(
        ("key", "cell"),
        [
            ("fever", "yes"),
            ("fever", "1"),
            ("fever", "t"),
            ("age", "40.0"),
            ("age", "forty"),
            ("age", "4_0"),
            ("bmi", "nan"),
            ("bmi", "inf"),
            ("bmi", "1_0"),
        ],
    )
    def test_bad_cells_are_refused_naming_the_key_and_the_value(self, key, cell):
        """Only true/false are booleans, only digits whole numbers: anything else is refused."""
        (record,) = batch_lines(f"area,{key}\nback,{cell}\n", "csv")
        assert record["ok"] is False
        (error,) = record["errors"]
        assert (error["key"], error["value"]) == (key, cell)
        assert repr(key) in error["message"] and repr(cell) in error["message"]

    def test_all_problems_of_a_row_are_reported_together(self):
        """A bad cell, a bad choice and a bad number of one row come in one error record."""
        (record,) = batch_lines("area,fever,leg_pain,age\nback,yes,far,old\n", "csv")
        assert [e["key"] for e in record["errors"]] == ["age", "fever", "leg_pain"]

    def test_a_bad_row_does_not_stop_the_batch(self):
        """Rows with the wrong number of cells are error records; the next rows are triaged."""
        text = "area,spasm\nback,true\nback,true,extra\nback\nback,false\n"
        out = batch_lines(text, "csv")
        assert [(r["line"], r["ok"]) for r in out] == [(2, True), (3, False), (4, False), (5, True)]
        assert out[1]["errors"] == [
            {
                "key": None,
                "value": ["back", "true", "extra"],
                "message": "the row has 3 cells, the header 2",
            }
        ]

    def test_line_numbers_follow_blank_lines_and_quoted_line_breaks(self):
        """A record's line is where it starts, counting blank lines and multi-line cells."""
        text = 'area,knee_pain_location\n\nknee,"in\nside"\n\nknee,front\n'
        out = batch_lines(text, "csv")
        assert [(r["line"], r["ok"]) for r in out] == [(3, False), (6, True)]

    def test_an_empty_cell_means_not_asked(self):
        """Empty and blank cells leave the key out, so a red flag there is unscreened."""
        (record,) = batch_lines("area,fever,age\nback,  ,\n", "csv")
        assert record["result"] == expected({"area": "back"})
        assert "fever" in record["result"]["unscreened"]

    def test_a_header_naming_a_column_twice_stops_the_batch(self):
        """A duplicated column cannot be read as answers: nothing is triaged."""
        with pytest.raises(BatchInputError, match="'age' twice"):
            batch_lines("area,age,age\nback,1,2\n", "csv")

    def test_an_empty_file_is_an_empty_batch(self):
        """No header and no rows: no records, and no error."""
        assert batch_lines("", "csv") == []


class TestStreaming:
    def lines_read_before_first_output(self, workers: int, count: int) -> int:
        read = 0

        def source() -> Iterator[str]:
            nonlocal read
            for answers in generated(count):
                read += 1
                yield json.dumps(answers)

        seen: list[int] = []

        class Sink(io.StringIO):
            def write(self, text: str) -> int:
                if not seen:
                    seen.append(read)
                return super().write(text)

        run_batch(source(), Sink(), fmt="jsonl", workers=workers)
        return seen[0]

    def test_in_process_reads_one_chunk_ahead(self):
        """With one worker, the first record is written after one chunk was read, not the file."""
        assert self.lines_read_before_first_output(1, CHUNK_SIZE * 3) == CHUNK_SIZE

    @pytest.mark.slow
    def test_processes_hold_a_bounded_number_of_chunks(self):
        """With processes, at most a few chunks per worker are read ahead of the output."""
        limit = 2 * _many._IN_FLIGHT_PER_WORKER * CHUNK_SIZE
        count = limit + CHUNK_SIZE * 4
        assert self.lines_read_before_first_output(2, count) <= limit


@pytest.mark.slow
class TestWorkers:
    def test_two_workers_write_exactly_what_one_writes(self, tmp_path, big_batch):
        """--workers 2 gives byte for byte the output of --workers 1, bad records included."""
        lines = as_jsonl(big_batch).splitlines()
        lines[100] = "not json"
        lines[CHUNK_SIZE * 5] = '{"area": "back", "age": -1}'
        source = tmp_path / "in.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        outputs = []
        for workers in ("1", "2"):
            target = tmp_path / f"out{workers}.jsonl"
            status, _, err = run([str(source), str(target), "--workers", workers])
            assert status == 2
            assert err.startswith(f"{len(big_batch)} records: {len(big_batch) - 2} ok, 2 errors")
            outputs.append(target.read_text(encoding="utf-8"))
        assert outputs[0] == outputs[1]
        assert [r["line"] for r in records(outputs[1])] == list(range(1, len(big_batch) + 1))

    @pytest.mark.parametrize("method", ["fork", "spawn"])
    def test_worker_start_methods_give_the_in_process_results(self, method, big_batch):
        """Workers started by fork or by spawn give exactly the in-process output."""
        text = as_jsonl(big_batch)
        alone, pooled = io.StringIO(), io.StringIO()
        run_batch(io.StringIO(text), alone, fmt="jsonl", workers=1)
        context = multiprocessing.get_context(method)
        summary = run_batch(io.StringIO(text), pooled, fmt="jsonl", workers=2, mp_context=context)
        assert pooled.getvalue() == alone.getvalue()
        assert summary.records == summary.ok == len(big_batch)


class TestCommand:
    def test_stdin_and_stdout_with_dash(self):
        """- reads the records from stdin and writes the results to stdout."""
        status, out, err = run(["-", "-", "--workers", "1"], as_jsonl([SPASM, KNEE]))
        assert status == 0
        assert [r["result"] for r in records(out)] == [expected(SPASM), expected(KNEE)]
        assert err.startswith("2 records: 2 ok, 0 errors; 2 written to the output stream (")

    def test_csv_from_stdin_with_input_format(self):
        """--input-format csv reads stdin as CSV."""
        status, out, _ = run(["-", "-", "--input-format", "csv", "--workers", "1"], "area\nknee\n")
        assert status == 0 and records(out)[0]["result"] == expected({"area": "knee"})

    def test_format_from_the_suffix(self, tmp_path):
        """.csv is read as CSV, .ndjson as JSON Lines, whatever the case of the suffix."""
        (tmp_path / "a.CSV").write_text("area\nknee\n", encoding="utf-8")
        (tmp_path / "b.ndjson").write_text('{"area": "knee"}\n', encoding="utf-8")
        for name in ("a.CSV", "b.ndjson"):
            status, out, _ = run([str(tmp_path / name), "-", "--workers", "1"])
            assert status == 0 and records(out)[0]["result"] == expected({"area": "knee"})

    def test_exit_status_and_summary_with_bad_records(self):
        """Any error record makes the exit status 2; the summary counts ok and error records."""
        status, out, err = run(["-", "-", "--workers", "1"], "{}\n" + json.dumps(SPASM) + "\n[]\n")
        assert status == 2
        assert len(records(out)) == 3
        assert err.splitlines()[0].startswith("3 records: 1 ok, 2 errors; 3 written to ")
        assert err.count("\n") == 1

    def test_summary_of_one_record(self):
        """The summary speaks of one record in the singular."""
        _, _, err = run(["-", "-", "--workers", "1"], "{}\n")
        assert err.startswith("1 record: 0 ok, 1 error; 1 written to ")

    def test_no_progress_bar_when_stderr_is_not_a_terminal(self, monkeypatch):
        """In pipes and tests, stderr gets the summary line and nothing else."""
        monkeypatch.setattr(_batch_cli._Progress, "interval", 0.0)
        _, _, err = run(["-", "-", "--workers", "1"], as_jsonl(generated(20)))
        assert "\r" not in err and err.count("\n") == 1

    def test_progress_bar_when_stderr_is_a_terminal(self, monkeypatch):
        """On a terminal, stderr shows records done and the rate, then clears it for the summary."""

        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        monkeypatch.setattr(_batch_cli._Progress, "interval", 0.0)
        err = Terminal()
        status = main(
            ["batch", "-", "-", "--workers", "1"],
            stdin=io.StringIO(as_jsonl(generated(5))),
            stdout=io.StringIO(),
            stderr=err,
        )
        assert status == 0
        text = err.getvalue()
        assert "\r5 records, " in text and "/s" in text
        summary = text.rsplit("\r", 1)[1]
        assert summary.startswith("5 records: 5 ok, 0 errors")

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["answers.txt", "-"], "cannot tell the format of answers.txt"),
            (["missing.jsonl", "-"], "cannot read missing.jsonl"),
            (["-", "no/such/dir/out.jsonl"], "cannot write no/such/dir/out.jsonl"),
        ],
    )
    def test_input_that_cannot_be_read_is_one_clear_message(self, argv, message, tmp_path):
        """An unknown suffix, a missing file or an unwritable output exit 2 without a traceback."""
        status, out, err = run(argv)
        assert status == 2 and out == ""
        assert err.startswith(f"painpath: {message}") and "Traceback" not in err

    def test_output_over_the_input_is_refused(self, tmp_path):
        """Writing the results over the input file would destroy it: refused before writing."""
        source = tmp_path / "in.jsonl"
        source.write_text(json.dumps(SPASM) + "\n", encoding="utf-8")
        status, _, err = run([str(source), str(source)])
        assert status == 2 and "is the input file itself" in err
        assert source.read_text(encoding="utf-8") == json.dumps(SPASM) + "\n"

    @pytest.mark.parametrize("workers", ["0", "-1", "two"])
    def test_workers_must_be_a_positive_number(self, workers):
        """--workers takes a whole number of at least 1."""
        status, _, err = run(["-", "-", "--workers", workers])
        assert status == 2 and "--workers: must be a whole number of at least 1" in err

    def test_help_documents_the_output_and_the_exit_status(self):
        """batch --help shows the record format and every exit status."""
        status, out, _ = run(["--help"])
        assert status == 0
        assert '{"line": N, "ok": true, "result": {...}}' in out
        for line in ("0  every record was triaged", "2  at least one record was bad"):
            assert line in out

    def test_the_command_is_listed_in_the_main_help(self):
        """painpath --help names the batch command."""
        out = io.StringIO()
        main(["--help"], stdout=out)
        assert "batch" in out.getvalue()

    @pytest.mark.slow
    def test_a_real_pipe(self):
        """python -m painpath batch - - in a pipe: results on stdout, only the summary on stderr."""
        done = subprocess.run(
            [sys.executable, "-m", "painpath", "batch", "-", "-", "--workers", "2"],
            input=(as_jsonl([SPASM, KNEE]) + "not json\n").encode(),
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2
        out = records(done.stdout.decode())
        assert [r["ok"] for r in out] == [True, True, False]
        assert out[0]["result"] == expected(SPASM)
        assert done.stderr.decode().startswith(
            "3 records: 2 ok, 1 error; 3 written to standard output ("
        )
        assert b"\r" not in done.stderr


class TestBatchSummary:
    def test_run_batch_returns_the_counts(self):
        """run_batch returns how many records it read, triaged and refused."""
        summary = run_batch(io.StringIO("{}\n" + json.dumps(SPASM)), io.StringIO(), fmt="jsonl")
        assert (summary.records, summary.ok, summary.errors) == (2, 1, 1)
        assert str(summary) == "2 records: 1 ok, 1 error; 2 written to the output stream"

    def test_lines_need_a_format(self):
        """Lines that are not a file have no suffix: the format must be given."""
        with pytest.raises(BatchInputError, match="format"):
            run_batch(["{}"], io.StringIO())

    def test_workers_below_one_are_refused(self):
        """The library refuses zero workers as the command does."""
        with pytest.raises(ValueError, match="at least 1"):
            run_batch(["{}"], io.StringIO(), fmt="jsonl", workers=0)

    def test_paths_in_and_out(self, tmp_path):
        """run_batch takes paths for both ends; the format comes from the suffix."""
        source, target = tmp_path / "in.csv", tmp_path / "out.jsonl"
        source.write_text("area,spasm\nback,true\n", encoding="utf-8")
        summary = run_batch(source, target, workers=1)
        assert summary.ok == 1
        assert records(target.read_text(encoding="utf-8"))[0]["result"] == expected(SPASM)


def test_generated_batch_is_varied():
    """The generated records reach every level, so order mistakes would show (a guard)."""
    levels = {painpath.triage(a).level for a in generated(300)}
    assert levels == set(painpath.Level)


def test_module_does_not_load_the_engine():
    """Importing the batch module (for --help) loads no rules engine."""
    code = (
        "import sys, painpath; before = set(sys.modules); import painpath._batch; "
        "print(sorted(m for m in set(sys.modules) - before if 'durable' in m or 'rules' in m))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_library_failure_stops_the_batch_with_status_1(monkeypatch):
    """An engine failure is not a bad record: the batch stops and the command exits 1."""
    import painpath._triage

    def broken(answers, rules=None):
        raise painpath.EngineError("the rules engine failed: boom")

    monkeypatch.setattr(painpath._triage, "triage", broken)
    status, out, err = run(["-", "-", "--workers", "1"], json.dumps(SPASM) + "\n")
    assert status == 1 and out == ""
    assert err == "painpath: the rules engine failed: boom\n"


def test_the_command_offers_the_library_s_formats():
    """The command's --input-format choices are the batch library's formats."""
    assert _batch_cli.FORMATS == _batch.FORMATS


class TestResumeChecksTheKeptRecords:
    """--resume triages a sample of the kept records again: another input is refused."""

    @pytest.fixture
    def stopped(self, tmp_path) -> tuple[list[dict[str, object]], bytes]:
        """Twenty records and the first eleven lines of their output."""
        answers = generated(20, seed=12)
        source = tmp_path / "in.jsonl"
        source.write_text(as_jsonl(answers), encoding="utf-8")
        whole = tmp_path / "whole.jsonl"
        assert run(["--workers", "1", str(source), str(whole)])[0] == 0
        return answers, b"".join(whole.read_bytes().splitlines(keepends=True)[:11])

    @pytest.mark.parametrize("changed", [0, 3, 9, 10])
    def test_an_input_edited_since_is_refused(self, stopped, tmp_path, changed):
        """Same line numbers, other answers at a checked record: refused, OUT untouched."""
        answers, kept = stopped
        edited = list(answers)
        edited[changed] = {"area": "back", "bladder_change": True}  # another level
        source, target = tmp_path / "edited.jsonl", tmp_path / "out.jsonl"
        source.write_text(as_jsonl(edited), encoding="utf-8")
        target.write_bytes(kept)
        status, _, err = run(["--workers", "1", "--resume", str(source), str(target)])
        assert status == 2
        assert f"is not what input line {changed + 1} gives now" in err
        assert target.read_bytes() == kept

    def test_a_kept_result_edited_by_hand_is_refused(self, stopped, tmp_path):
        """A result changed in OUT (here the level of the first) is not kept."""
        answers, kept = stopped
        source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
        source.write_text(as_jsonl(answers), encoding="utf-8")
        first, rest = kept.split(b"\n", 1)
        record = json.loads(first)
        record["result"]["level"] = (
            "self_care" if record["result"]["level"] != "self_care" else "urgent"
        )
        target.write_bytes(json.dumps(record).encode() + b"\n" + rest)
        status, _, err = run(["--workers", "1", "--resume", str(source), str(target)])
        assert status == 2 and "record 1 of" in err

    def test_the_same_input_resumes(self, stopped, tmp_path):
        answers, kept = stopped
        source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
        source.write_text(as_jsonl(answers), encoding="utf-8")
        target.write_bytes(kept)
        status, _, err = run(["--workers", "1", "--resume", str(source), str(target)])
        assert status == 0 and "(11 kept from before)" in err


class TestAnInterruptedBlock:
    """Ctrl-C or SIGTERM landing in the middle of writing a block of output lines.

    The exception can come at any point of the Python code around the write; the
    count of lines written must then say what the file holds, whole lines only.
    """

    @pytest.mark.parametrize("after", [False, True])
    def test_the_count_says_what_the_file_holds(self, tmp_path, monkeypatch, after):
        from painpath import _files

        real = _files._write_all

        def interrupted(fd: int, data: bytes) -> None:
            if after:
                real(fd, data)  # written, then the signal lands before it is counted
            else:
                real(fd, data[: len(data) // 2])  # half written when the signal lands
            raise KeyboardInterrupt

        target = tmp_path / "out.jsonl"
        writer = _files.LineWriter.to_path(str(target))
        writer.write_line('{"line": 1}', 1)
        writer.flush()
        writer.write_line('{"line": 2}', 2)
        writer.write_line('{"line": 3}', 3)
        monkeypatch.setattr(_files, "_write_all", interrupted)
        with pytest.raises(KeyboardInterrupt):
            writer.flush()
        monkeypatch.setattr(_files, "_write_all", real)
        writer.commit()
        held = target.read_text().splitlines()
        assert held == ['{"line": 1}', '{"line": 2}', '{"line": 3}'][: writer.lines]
        assert writer.lines == (3 if after else 1) and writer.last_tag == writer.lines
