"""Reliability (issue 8): every break an outside attack found, through the public surface.

Each test runs the ``painpath`` command (as a process, or ``main()`` with streams)
or calls the library, the way the attack did, and checks the one clear outcome
that replaced the traceback, the hidden decision or the destroyed file.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

import painpath
from painpath._cli import main
from painpath._samples import sample_answers

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")

SCRIPT = Path(sys.executable).parent / "painpath"
SPASM = {"area": "back", "spasm": True}
# Typed at the prompt: area "back" (1), then onset "after a serious accident" (4).
EMERGENCY_TYPED = "1\n4\n"


def painpath_cmd(
    *args: str, stdin: bytes | None = b"", env: dict[str, str] | None = None, **options: object
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``painpath`` script."""
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
        **options,  # type: ignore[arg-type]
    )


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run a shell line with ``$P`` standing for the installed script."""
    env = dict(os.environ, P=str(SCRIPT))
    return subprocess.run(
        ["sh", "-c", command], cwd=cwd, env=env, capture_output=True, timeout=60, check=False
    )


def run(argv: list[str], typed: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdin=io.StringIO(typed), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def one_clear_line(stderr: bytes) -> str:
    """The error output is exactly one line, starting with ``painpath:``, no traceback."""
    text = stderr.decode()
    assert "Traceback" not in text
    assert text.count("\n") == 1 and text.startswith("painpath: "), text
    return text


def jsonl(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# --- 1. a failed --save never hides the decision ---------------------------------------


class TestSave:
    def test_a_failed_save_still_shows_the_emergency(self):
        """--save into /proc: the EMERGENCY block is shown, exit 30, the save error after."""
        done = painpath_cmd("--save", "/proc/x.json", stdin=EMERGENCY_TYPED.encode())
        assert done.returncode == 30
        assert "EMERGENCY" in done.stdout.decode()
        assert "not saved" in one_clear_line(done.stderr)

    def test_a_save_into_a_directory_is_refused_before_asking(self, tmp_path):
        """A directory can never be saved to: refused before any question is asked."""
        status, out, err = run(["--save", str(tmp_path)], EMERGENCY_TYPED)
        assert status == 2 and out == ""
        assert "is a directory" in err

    def test_the_saved_answers_are_readable_by_the_owner_only(self, tmp_path):
        """Saved answers hold health data: created 0600, whatever the umask."""
        target = tmp_path / "me.json"
        status, _, _ = run(["--save", str(target)], EMERGENCY_TYPED)
        assert status == 30
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        saved = json.loads(target.read_text())
        assert saved["area"] == "back" and painpath.triage(saved).level.value == "emergency"
        assert [p.name for p in tmp_path.iterdir()] == ["me.json"]  # no temporary left

    def test_a_symlink_at_the_destination_is_not_followed(self, tmp_path):
        """A link planted at the save path is refused, and its target is left alone."""
        victim = tmp_path / "victim.txt"
        victim.write_text("keep me")
        (tmp_path / "me.json").symlink_to(victim)
        status, _, err = run(["--save", str(tmp_path / "me.json")], EMERGENCY_TYPED)
        assert status == 2 and "symbolic link" in err
        assert victim.read_text() == "keep me"

    def test_an_existing_file_is_never_truncated_by_a_failed_save(self, tmp_path):
        """When the new answers cannot be written whole, the old file keeps its content."""
        target = tmp_path / "me.json"
        target.write_text('{"area": "knee"}\n')

        def small_files() -> None:  # every file this process writes is cut at 10 bytes
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (10, 10))

        done = painpath_cmd(
            "--save", str(target), stdin=EMERGENCY_TYPED.encode(), preexec_fn=small_files
        )
        assert done.returncode == 30 and "EMERGENCY" in done.stdout.decode()
        assert "not saved" in one_clear_line(done.stderr)
        assert target.read_text() == '{"area": "knee"}\n'
        assert [p.name for p in tmp_path.iterdir()] == ["me.json"]


# --- 2. batch never destroys its input -------------------------------------------------


@pytest.fixture
def records_file(tmp_path: Path) -> Path:
    path = tmp_path / "x.jsonl"
    path.write_text(jsonl(sample_answers(40, seed=8)), encoding="utf-8")
    return path


class TestBatchOutput:
    def test_stdin_redirected_from_the_output_is_refused(self, records_file):
        """batch - x.jsonl < x.jsonl: refused (same device and inode), x.jsonl intact."""
        before = records_file.read_bytes()
        done = shell("$P batch - x.jsonl < x.jsonl", records_file.parent)
        assert done.returncode == 2
        assert "is the input file itself" in one_clear_line(done.stderr)
        assert records_file.read_bytes() == before

    def test_an_existing_output_is_refused_without_force(self, records_file):
        """cat x | batch - x.jsonl: x.jsonl exists, so it is refused and left intact."""
        before = records_file.read_bytes()
        done = shell("cat x.jsonl | $P batch - x.jsonl", records_file.parent)
        assert done.returncode == 2
        assert "give --force" in one_clear_line(done.stderr)
        assert records_file.read_bytes() == before

    def test_force_replaces_the_output_whole(self, records_file):
        """With --force the input read from a pipe is replaced by its complete results."""
        count = len(records_file.read_text().splitlines())
        done = shell("cat x.jsonl | $P batch --workers 1 --force - x.jsonl", records_file.parent)
        assert done.returncode == 0, done.stderr
        out = [json.loads(line) for line in records_file.read_text().splitlines()]
        assert len(out) == count and all(r["ok"] for r in out)
        assert f"{count} written to x.jsonl" in done.stderr.decode()
        assert stat.S_IMODE(records_file.stat().st_mode) == 0o600

    def test_stdout_appending_to_the_input_is_refused(self, records_file):
        """batch - - < x >> x used to loop forever; now it is refused at once."""
        before = records_file.read_bytes()
        done = shell("$P batch - - < x.jsonl >> x.jsonl", records_file.parent)
        assert done.returncode == 2
        assert "is the input file itself" in one_clear_line(done.stderr)
        assert records_file.read_bytes() == before

    def test_the_same_file_by_two_names_is_refused(self, records_file):
        """A hard link to the input is still the input."""
        (records_file.parent / "same.jsonl").hardlink_to(records_file)
        status, _, err = run(["batch", str(records_file), str(records_file.parent / "same.jsonl")])
        assert status == 2 and "is the input file itself" in err

    def test_the_summary_says_how_many_records_were_written(self, records_file, tmp_path):
        """The summary names the output and the number of records written to it."""
        target = tmp_path / "out.jsonl"
        status, _, err = run(["batch", "--workers", "1", str(records_file), str(target)])
        assert status == 0
        assert f"40 records: 40 ok, 0 errors; 40 written to {target} (" in err
        assert stat.S_IMODE(target.stat().st_mode) == 0o600

    def test_force_is_documented(self):
        """--force is in batch --help."""
        status, out, _ = run(["batch", "--help"])
        assert status == 0 and "--force" in out and "is refused unless --force" in out


# --- 6. signals, dead workers, full disks ----------------------------------------------


@pytest.fixture(scope="module")
def long_batch(tmp_path_factory) -> Path:
    """A batch long enough to be stopped in the middle on any machine."""
    path = tmp_path_factory.mktemp("long") / "in.jsonl"
    text = jsonl(sample_answers(500, seed=5))
    path.write_text(text * 60, encoding="utf-8")
    return path


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


class Batch:
    """``painpath batch`` on two workers in its own process group, to be stopped."""

    def __init__(self, source: Path, target: Path) -> None:
        self.target = target
        self.proc = subprocess.Popen(
            [str(SCRIPT), "batch", "--workers", "2", str(source), str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def wait_for_output(self) -> list[int]:
        """Wait until results are being written; return the workers (and helpers)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            written = [p for p in self.target.parent.glob(f".{self.target.name}.*.part")]
            if written and written[0].stat().st_size > 0:
                return [p for p in group_members(self.proc.pid) if p != self.proc.pid]
            time.sleep(0.05)
        raise AssertionError("the batch wrote nothing in 60 s")

    def finish(self) -> tuple[int, str]:
        _, err = self.proc.communicate(timeout=120)
        return self.proc.returncode, err.decode()

    def left_after(self, helpers: list[int], seconds: float = 5.0) -> list[int]:
        """The helper processes still alive after ``seconds`` (polled)."""
        deadline = time.monotonic() + seconds
        while True:
            alive = [p for p in helpers if p in group_members(self.proc.pid)]
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.1)

    def workers(self, helpers: list[int]) -> list[int]:
        """The pool's workers among the helpers (not multiprocessing's resource tracker)."""
        return [p for p in helpers if b"resource_tracker" not in cmdline(p)]

    def kill_all(self) -> None:
        for pid in group_members(self.proc.pid):
            os.kill(pid, signal.SIGKILL)
        self.proc.communicate(timeout=60)


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def whole_records(path: Path) -> list[dict[str, object]]:
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n"), "the output ends in half a line"
    return [json.loads(line) for line in data.decode().splitlines()]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
class TestStoppingABatch:
    @pytest.mark.parametrize(
        ("signum", "status", "said"),
        [
            (signal.SIGINT, 130, "interrupted"),
            (signal.SIGTERM, 143, "stopped by SIGTERM"),
            (signal.SIGHUP, 129, "stopped by SIGHUP"),
        ],
    )
    def test_a_stopped_batch_keeps_whole_records_and_leaves_no_workers(
        self, long_batch, tmp_path, signum, status, said
    ):
        """Ctrl-C, SIGTERM, SIGHUP: the records done are kept and said; no worker survives."""
        batch = Batch(long_batch, tmp_path / "out.jsonl")
        try:
            helpers = batch.wait_for_output()
            os.kill(batch.proc.pid, signum)
            code, err = batch.finish()
            assert batch.left_after(helpers) == []
        finally:
            batch.kill_all()
        kept = whole_records(tmp_path / "out.jsonl")
        assert code == status
        assert kept and [r["line"] for r in kept] == list(range(1, len(kept) + 1))
        assert err == (
            f"painpath: {said}; kept the first {len(kept):,} records (input lines "
            f"1-{len(kept):,}) in {tmp_path / 'out.jsonl'}; the rest were not triaged.\n"
        )

    def test_workers_die_with_a_killed_parent(self, long_batch, tmp_path):
        """SIGKILL of painpath batch cannot be handled, but its workers still exit."""
        batch = Batch(long_batch, tmp_path / "out.jsonl")
        try:
            helpers = batch.wait_for_output()
            assert helpers
            os.kill(batch.proc.pid, signal.SIGKILL)
            batch.proc.wait(timeout=60)
            assert batch.left_after(helpers) == []
        finally:
            batch.kill_all()

    def test_a_killed_worker_is_one_line_and_the_output_is_kept(self, long_batch, tmp_path):
        """A worker killed mid-run: exit 4, one line saying what was kept, whole records."""
        batch = Batch(long_batch, tmp_path / "out.jsonl")
        try:
            helpers = batch.wait_for_output()
            workers = [
                p
                for p in helpers
                if "resource_tracker" not in Path(f"/proc/{p}/cmdline").read_text()
            ]
            os.kill(workers[0], signal.SIGKILL)
            code, err = batch.finish()
        finally:
            batch.kill_all()
        kept = whole_records(tmp_path / "out.jsonl")
        assert code == 4
        one_clear_line(err.encode())
        assert "a worker process died" in err and f"kept the first {len(kept):,} records" in err

    def test_a_full_output_device_is_one_clear_error(self, long_batch):
        """Results into /dev/full: one line, exit 4, no traceback."""
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [str(SCRIPT), "batch", "--workers", "1", str(long_batch), "-"],
                stdout=full,
                stderr=subprocess.PIPE,
                timeout=60,
                check=False,
            )
        assert done.returncode == 4
        assert "No space left on device" in one_clear_line(done.stderr)

    def test_a_file_that_cannot_grow_keeps_whole_lines_only(self, long_batch, tmp_path):
        """When the output file cannot grow (a full disk), it ends on a whole record."""

        def small_files() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

        target = tmp_path / "out.jsonl"
        done = painpath_cmd(
            "batch", "--workers", "1", str(long_batch), str(target), preexec_fn=small_files
        )
        assert done.returncode == 4
        err = one_clear_line(done.stderr)
        kept = whole_records(target)
        assert len(kept) > 0 and f"kept the first {len(kept):,} records" in err


# --- 7. no raw tracebacks --------------------------------------------------------------


class TestNoTracebacks:
    @pytest.mark.parametrize(
        ("name", "text", "said"),
        [
            ("deep.json", "[" * 100_000, "nested too deeply"),
            ("long.json", '{"area": "back", "age": ' + "9" * 5000 + "}", "5,000 digits"),
            ("deep.toml", "a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
            ("bad.json", "\x00\x00", "NUL bytes"),
        ],
    )
    def test_hostile_answers_files(self, tmp_path, name, text, said):
        """Files that broke the parser give one line and exit 2."""
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        done = painpath_cmd("--answers", str(path))
        assert done.returncode == 2
        assert said in one_clear_line(done.stderr)

    @pytest.mark.parametrize("typed", ["²", "①", "9" * 5000])
    def test_odd_digits_at_a_numbered_prompt_ask_again(self, typed):
        """Characters that isdigit() but int() refuses are a wrong answer, asked again."""
        status, out, err = run([], f"{typed}\n{EMERGENCY_TYPED}")
        assert status == 30 and err == ""
        assert "Please choose a number from 1 to" in out

    def test_no_standard_input(self, tmp_path):
        """painpath <&-: one line, exit 3 (end of input)."""
        done = shell("$P <&-", tmp_path)
        assert done.returncode == 3
        assert "standard input is closed" in one_clear_line(done.stderr)

    def test_no_standard_output(self, tmp_path):
        """painpath --answers ok.json >&-: the level is said on stderr; exit is the level's."""
        (tmp_path / "ok.json").write_text(json.dumps({"area": "back", "fever": True}))
        done = shell("$P --answers ok.json >&-", tmp_path)
        assert done.returncode == 20
        line = one_clear_line(done.stderr)
        assert "cannot show the result" in line and "URGENT" in line

    def test_no_standard_output_with_no_level_exit(self, tmp_path):
        """With --no-level-exit a result that could not be shown exits 4, not 0."""
        (tmp_path / "ok.json").write_text(json.dumps({"area": "back"}))
        done = shell("$P --answers ok.json --no-level-exit >&-", tmp_path)
        assert done.returncode == 4
        one_clear_line(done.stderr)

    def test_a_closed_pipe_is_quiet(self, tmp_path):
        """painpath questions | head -c1: no BrokenPipeError traceback."""
        done = shell("$P questions --format fhir | head -c1 >/dev/null", tmp_path)
        assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


# --- 8. terminal injection -------------------------------------------------------------

FORGED = "\r\x1b[2K\x1b[1Apainpath: OK self_care"


class TestTerminalInjection:
    def test_an_unknown_key_cannot_forge_a_line(self, tmp_path):
        """A key holding escape sequences is shown escaped, never raw."""
        path = tmp_path / "a.json"
        path.write_text(json.dumps({"area": "back", FORGED: 1}))
        done = painpath_cmd("--answers", str(path))
        err = done.stderr.decode()
        assert done.returncode == 2
        assert "\x1b" not in err and "\r" not in err
        assert "\\x1b[2K" in err

    def test_long_keys_are_cut(self, tmp_path):
        """A 100,000-character key does not flood the terminal."""
        path = tmp_path / "a.json"
        path.write_text(json.dumps({"area": "back", "k" * 100_000: 1}))
        done = painpath_cmd("--answers", str(path))
        assert done.returncode == 2 and len(done.stderr) < 1000

    def test_file_names_and_options_are_escaped(self, tmp_path):
        """A file name or a bad option with escapes is shown escaped."""
        for argv in (["--answers", f"{FORGED}.json"], ["--colour", FORGED], ["batch", FORGED, "o"]):
            status, _, err = run(argv)
            assert status == 2
            assert "\x1b" not in err and "\r" not in err, argv

    def test_a_csv_header_cannot_forge_a_line(self, tmp_path):
        """Header names are shown escaped in batch's header error."""
        path = tmp_path / "in.csv"
        path.write_text(f"area,{FORGED}\nback,1\n")
        status, _, err = run(["batch", str(path), "-"])
        assert status == 2 and "\x1b" not in err and "\r" not in err

    def test_piped_answers_are_echoed_escaped(self):
        """The echo of piped answers cannot carry escape sequences to the terminal."""
        status, out, _ = run([], f"\x1b[2J{FORGED}\n{EMERGENCY_TYPED}")
        assert status == 30 and "\x1b" not in out


# --- 12. smaller input problems --------------------------------------------------------


class TestInputText:
    def test_a_byte_order_mark_is_accepted_by_answers_and_batch(self, tmp_path):
        """A UTF-8 BOM (Windows editors write one) is read in --answers as in batch."""
        path = tmp_path / "a.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(SPASM).encode())
        status, out, err = run(["--answers", str(path), "--format", "json"])
        assert (status, err) == (0, "")
        assert json.loads(out) == painpath.triage(SPASM).to_dict()
        batch = tmp_path / "b.jsonl"
        batch.write_bytes(b"\xef\xbb\xbf" + json.dumps(SPASM).encode() + b"\n")
        status, out, _ = run(["batch", str(batch), "-", "--workers", "1"])
        assert status == 0 and json.loads(out)["ok"] is True

    def test_duplicate_keys_are_refused_naming_the_key(self, tmp_path):
        """{"area": "back", "area": "knee"} is refused, not silently last-wins."""
        text = '{"area": "back", "area": "knee"}'
        path = tmp_path / "a.json"
        path.write_text(text)
        status, _, err = run(["--answers", str(path)])
        assert status == 2 and "the key 'area' is given twice" in err
        status, out, _ = run(["batch", "-", "-", "--workers", "1"], text + "\n")
        assert status == 2
        assert json.loads(out)["errors"][0]["message"] == "the key 'area' is given twice"

    def test_a_csv_with_a_wrong_header_is_one_error(self, tmp_path):
        """A CSV whose first row is data, or names an unknown column: one error, no rows."""
        path = tmp_path / "in.csv"
        path.write_text("back,40\nknee,50\nback,30\n")
        status, out, err = run(["batch", str(path), "-"])
        assert status == 2 and out == ""
        assert err.count("\n") == 1 and "the CSV header must name answer keys" in err
        path.write_text("area,agee\nback,40\n")
        status, out, err = run(["batch", str(path), "-"])
        assert status == 2 and "'agee' (did you mean 'age'?)" in err
        path.write_text("age\n40\n")
        status, out, err = run(["batch", str(path), "-"])
        assert status == 2 and "no 'area' column" in err

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
    def test_utf16_input_is_one_error_about_the_encoding(self, tmp_path, encoding):
        """UTF-16 (with or without a BOM) is refused as a whole, naming the encoding."""
        for name, text in (("in.csv", "area,age\nback,40\n"), ("in.jsonl", jsonl([SPASM]))):
            path = tmp_path / name
            path.write_bytes(text.encode(encoding))
            status, out, err = run(["batch", str(path), "-"])
            assert status == 2 and out == "" and err.count("\n") == 1
            assert "painpath reads UTF-8" in err
        answers = tmp_path / "a.json"
        answers.write_bytes(json.dumps(SPASM).encode(encoding))
        status, _, err = run(["--answers", str(answers)])
        assert status == 2 and "painpath reads UTF-8" in err

    def test_utf16_on_standard_input_is_refused(self, tmp_path):
        """The same check holds for batch reading standard input."""
        done = painpath_cmd("batch", "-", "-", stdin=jsonl([SPASM]).encode("utf-16"))
        assert done.returncode == 2 and "UTF-16" in one_clear_line(done.stderr)

    def test_non_utf8_answers_file_names_the_byte(self, tmp_path):
        """An answers file with a byte that is not UTF-8 says which byte and line."""
        path = tmp_path / "a.json"
        path.write_bytes(b'{"area":\n "b\xffck"}')
        status, _, err = run(["--answers", str(path)])
        assert status == 2 and "byte 0xff on line 2" in err


# --- issue 12: command-line basics -----------------------------------------------------


class TestCommandLineBasics:
    def test_answers_from_standard_input(self):
        """--answers - reads JSON from standard input."""
        done = painpath_cmd("--answers", "-", "--format", "json", stdin=json.dumps(SPASM).encode())
        assert done.returncode == 0
        assert json.loads(done.stdout) == painpath.triage(SPASM).to_dict()

    def test_answers_from_standard_input_with_main(self):
        """The same through main() with a text stream."""
        status, out, _ = run(["--answers", "-", "--format", "json"], json.dumps(SPASM))
        assert status == 0 and json.loads(out) == painpath.triage(SPASM).to_dict()

    def test_no_level_exit_makes_a_finished_triage_exit_0(self):
        """Under set -e a see_doctor result must not stop the script."""
        done = shell(
            f"set -e; echo '{json.dumps(SPASM)}' | $P --answers - --no-level-exit >/dev/null; "
            "echo went-on",
            Path.cwd(),
        )
        assert done.returncode == 0 and done.stdout == b"went-on\n"

    def test_no_level_exit_keeps_errors(self):
        """Bad answers still exit 2 with --no-level-exit."""
        status, _, _ = run(["--answers", "-", "--no-level-exit"], '{"area": "elbow"}')
        assert status == 2

    def test_force_color_colours_a_pipe_and_term_dumb_does_not(self, tmp_path):
        """FORCE_COLOR colours piped output; TERM=dumb with NO_COLOR empty does not."""
        path = tmp_path / "a.json"
        path.write_text(json.dumps(SPASM))
        base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        forced = painpath_cmd("--answers", str(path), env={**base, "FORCE_COLOR": "1"})
        assert b"\x1b[" in forced.stdout
        plain = painpath_cmd("--answers", str(path), env={**base, "NO_COLOR": "", "TERM": "dumb"})
        assert b"\x1b[" not in plain.stdout


# --- 10 and 11: library input ----------------------------------------------------------


class TestUnknownKeys:
    def test_only_short_keys_get_a_did_you_mean(self):
        """A long unknown key is named without a search for a close contract key."""
        with pytest.raises(painpath.InvalidAnswersError) as info:
            painpath.triage({"area": "back", "agee": 1, "age" + "x" * 60: 1})
        messages = [p.message for p in info.value.problems]
        assert "did you mean 'age'" in messages[0]
        assert "did you mean" not in messages[1]

    def test_only_the_first_twenty_unknown_keys_are_searched(self):
        """100,000 unknown keys: every one is named, only 20 get a did-you-mean."""
        answers: dict[str, object] = {"area": "back"}
        answers.update({f"agee{n}": 1 for n in range(100_000)})
        with pytest.raises(painpath.InvalidAnswersError) as info:
            painpath.triage(answers)
        problems = info.value.problems
        assert len(problems) == 100_000
        assert sum("did you mean" in p.message for p in problems) <= 20
        assert all(p.message.startswith("unknown key") for p in problems)

    def test_the_message_lists_twenty_problems_and_counts_the_rest(self):
        """str(error) stays short: 20 problems, then how many more."""
        answers: dict[str, object] = {"area": "back"}
        answers.update({f"x{n}": 1 for n in range(25)})
        with pytest.raises(painpath.InvalidAnswersError) as info:
            painpath.triage(answers)
        lines = str(info.value).splitlines()
        assert lines[0] == "25 problems with the answers:"
        assert len(lines) == 22 and lines[-1] == "  ... and 5 more"

    def test_the_command_line_lists_twenty_problems(self, tmp_path):
        """--answers with 1,000 unknown keys: 20 listed, the rest counted."""
        path = tmp_path / "a.json"
        path.write_text(json.dumps({"area": "back", **{f"k{n}": 1 for n in range(1000)}}))
        status, _, err = run(["--answers", str(path)])
        assert status == 2
        assert err.count("\n  - ") == 20 and "... and 980 more" in err


class DisagreeingViews(Mapping[str, object]):
    """items() says one thing, [] and get() another: the attack on from_mapping."""

    shown: ClassVar[dict[str, object]] = {"area": "back"}
    hidden: ClassVar[dict[str, object]] = {"area": "back", "bladder_or_bowel_change": 1, "age": "x"}

    def __getitem__(self, key: str) -> object:
        return self.hidden[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown)

    def items(self) -> Any:
        return self.shown.items()

    def get(self, key: str, default: object = None) -> object:
        return self.hidden.get(key, default)


class Unreadable(Mapping[str, object]):
    """A mapping whose __getitem__ raises for the keys it lists."""

    def __getitem__(self, key: str) -> object:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(["area"])

    def __len__(self) -> int:
        return 1


class TestFromMapping:
    def test_each_value_is_read_once(self):
        """The values checked are the values used: nothing unchecked reaches the engine."""
        answers = painpath.Answers.from_mapping(DisagreeingViews())
        assert answers.asked() == {"area": "back"}
        assert painpath.triage(DisagreeingViews()) == painpath.triage({"area": "back"})

    def test_a_mapping_that_raises_is_invalid_answers(self):
        """A mapping whose __getitem__ raises gives the library's error, key 'answers'."""
        with pytest.raises(painpath.InvalidAnswersError) as info:
            painpath.triage(Unreadable())
        (problem,) = info.value.problems
        assert problem.key == "answers" and "could not be read" in problem.message

    def test_rules_that_are_not_a_rule_set_is_a_clear_type_error(self):
        """rules="x" is a TypeError saying what is expected."""
        with pytest.raises(TypeError, match=r"rules must be a painpath\.RuleSet"):
            painpath.triage({"area": "back"}, rules="x")  # type: ignore[arg-type]


class TestResume:
    @pytest.fixture
    def finished(self, tmp_path: Path) -> tuple[Path, bytes]:
        """An input with a blank line, and the output of an uninterrupted run."""
        source = tmp_path / "in.jsonl"
        records = sample_answers(12, seed=4)
        source.write_text(jsonl(records[:5]) + "\n" + jsonl(records[5:]), encoding="utf-8")
        whole = tmp_path / "whole.jsonl"
        status, _, _ = run(["batch", "--workers", "1", str(source), str(whole)])
        assert status == 0
        return source, whole.read_bytes()

    def test_resume_finishes_a_stopped_run_exactly(self, finished, tmp_path):
        """Whole records kept, a half line dropped, the rest triaged: as one run would."""
        source, whole = finished
        lines = whole.splitlines(keepends=True)
        target = tmp_path / "out.jsonl"
        target.write_bytes(b"".join(lines[:7]) + lines[7][:40])
        status, _, err = run(["batch", "--workers", "1", "--resume", str(source), str(target)])
        assert status == 0
        assert target.read_bytes() == whole
        assert "12 records: 12 ok, 0 errors; 12 written to" in err and "(7 kept from before)" in err

    def test_resume_refuses_the_output_of_another_input(self, finished, tmp_path):
        """Records whose line numbers do not follow the input are refused; OUT is untouched."""
        _, whole = finished
        other = tmp_path / "other.jsonl"
        other.write_text(jsonl(sample_answers(12, seed=4)), encoding="utf-8")  # no blank line
        target = tmp_path / "out.jsonl"
        target.write_bytes(b"".join(whole.splitlines(keepends=True)[:7]))
        before = target.read_bytes()
        status, _, err = run(["batch", "--workers", "1", "--resume", str(other), str(target)])
        assert status == 2 and "cannot resume: record 6" in err
        assert target.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "in.jsonl",
            "other.jsonl",
            "out.jsonl",
            "whole.jsonl",
        ]

    def test_resume_refuses_what_is_not_batch_output(self, finished, tmp_path):
        """A file that is not painpath batch output is not resumed (nor replaced)."""
        source, _ = finished
        target = tmp_path / "out.jsonl"
        target.write_text("hello\n")
        status, _, err = run(["batch", "--resume", str(source), str(target)])
        assert status == 2 and "not a painpath batch record" in err
        assert target.read_text() == "hello\n"

    def test_resume_without_an_output_yet_is_a_fresh_run(self, finished, tmp_path):
        """--resume before any output exists simply runs the batch."""
        source, whole = finished
        target = tmp_path / "out.jsonl"
        status, _, _ = run(["batch", "--workers", "1", "--resume", str(source), str(target)])
        assert status == 0 and target.read_bytes() == whole

    def test_resume_needs_a_file_and_excludes_force(self, finished):
        """--resume to standard output, or with --force, is refused."""
        source, _ = finished
        status, _, err = run(["batch", "--resume", str(source), "-"])
        assert status == 2 and "--resume needs the output to be a file" in err
        status, _, err = run(["batch", "--resume", "--force", str(source), "x.jsonl"])
        assert status == 2 and "not allowed with" in err
