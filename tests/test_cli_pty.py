"""The installed ``painpath`` script, driven end to end through a pseudo-terminal.

A real terminal is what people use: the script must read answers typed there,
colour only there, stop on Ctrl-C and Ctrl-D, and exit with the level's status.
Stdlib ``pty`` only; every read is time-bounded and the child is always reaped.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest

import painpath

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

SCRIPT = Path(sys.executable).parent / "painpath"
PROMPT = b"? for help > "
TIMEOUT = 20.0
ANSI = re.compile(rb"\x1b\[[0-9;]*m")


class Session:
    """One run of the script on a pseudo-terminal."""

    def __init__(self, *args: str, no_color: bool = True) -> None:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env.update(TERM="xterm", COLUMNS="80", LINES="24")
        if no_color:
            env["NO_COLOR"] = "1"
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the script
            try:
                os.execve(str(SCRIPT), [str(SCRIPT), *args], env)
            finally:
                os._exit(127)
        self.output = b""
        self.answered = 0

    def read_until(self, predicate, deadline):
        while not predicate(self.output):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; output so far:\n{self.text()}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                if not predicate(self.output):
                    raise AssertionError(f"script ended early; output:\n{self.text()}")
                return
            self.output += chunk

    def answer(self, *typed: str) -> None:
        """Wait for each prompt in turn and type the answer and Enter."""
        for text in typed:
            want = self.answered + 1
            self.read_until(lambda out, n=want: out.count(PROMPT) >= n, time.monotonic() + TIMEOUT)
            os.write(self.fd, text.encode() + b"\r")
            self.answered += 1

    def send(self, raw: bytes) -> None:
        """Wait for the next prompt and send raw bytes (a control character)."""
        want = self.answered + 1
        self.read_until(lambda out: out.count(PROMPT) >= want, time.monotonic() + TIMEOUT)
        os.write(self.fd, raw)

    def finish(self) -> int:
        """Read to the end; return the exit status."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"script did not end; output:\n{self.text()}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        os.close(self.fd)

    def text(self) -> str:
        return self.output.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture
def session():
    """Start sessions; kill and reap any still running at the end of the test."""
    started = []

    def start(*args, no_color=True):
        s = Session(*args, no_color=no_color)
        started.append(s)
        return s

    yield start
    for s in started:
        s.close()


def level_exit(answers: dict) -> int:
    level = painpath.triage(answers).level.value
    return {"self_care": 0, "see_doctor": 10, "urgent": 20, "emergency": 30}[level]


def test_script_is_installed():
    """The console script sits next to the interpreter."""
    assert SCRIPT.exists()


def test_emergency_path(session):
    """Bladder trouble: the script stops, shows a coloured emergency banner and exits 30."""
    s = session(no_color=False)
    s.answer("1", "1", "y")
    assert s.finish() == 30
    text = s.text()
    assert "\x1b[" in text  # a terminal gets colour
    plain = ANSI.sub(b"", s.output).decode()
    assert "EMERGENCY: Go to an emergency department now." in plain
    assert "numbness around your genitals" not in plain
    assert s.output.count(PROMPT) == 3


def test_sciatica_path(session, tmp_path):
    """A person with sciatica answers every back question and gets the rules' level."""
    saved = tmp_path / "answers.json"
    s = session("--save", str(saved))
    s.answer("1", "1", "n", "n", "n", "1", "n", "n", "n", "n", "n", "n")  # area, onset, red flags
    s.answer("n", "n")  # upper back pain, pain unchanged by position
    s.answer("42", "2", "6", "1", "")  # age, weeks, pain, side, dominant (Enter)
    s.answer("n", "3", "y", "n")  # pregnant, back pain, first episode, spinal surgery
    s.answer("4", "1", "y", "y", "y", "y", "n", "n", "n", "n", "n", "n")
    s.answer("2", "1", "", "", "")  # press-ups, trend; Enter for equipment, minutes, start
    status = s.finish()
    text = s.text()
    assert "\x1b[" not in text  # NO_COLOR
    assert "Is the pain in one leg or in both legs?" in text
    assert "Did the knee pain start with an injury?" not in text
    answers = json.loads(saved.read_text())
    assert answers["leg_pain"] == "below_knee"
    assert status == level_exit(answers)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_knee_path(session, tmp_path):
    """A knee complaint: no spinal questions, the knee ones, and the rules' level."""
    saved = tmp_path / "answers.json"
    s = session("--save", str(saved))
    s.answer("2", "3", "n", "n", "n", "n", "n", "n")  # area, onset, six red flags
    s.answer("35", "8", "4", "2", "1")  # age, weeks, pain, side, dominant
    s.answer("1", "1", "1", "n", "n", "n", "27.5", "7", "20")  # knee, bmi, equipment, minutes
    s.answer("2026-03-02")  # start date
    status = s.finish()
    text = s.text()
    assert "bladder" not in text
    assert "Is the knee hot, red and swollen?" in text
    answers = json.loads(saved.read_text())
    assert answers["area"] == "knee" and answers["equipment"] == ["chair"]
    assert answers["start_date"] == "2026-03-02"
    assert status == level_exit(answers)


def test_ctrl_c_exits_130_without_traceback(session):
    """Ctrl-C at a prompt stops the script cleanly with status 130."""
    s = session()
    s.answer("1")
    s.send(b"\x03")
    assert s.finish() == 130
    assert "Traceback" not in s.text()
    assert "interrupted" in s.text()


def test_ctrl_d_exits_3(session):
    """Ctrl-D (end of input) at a prompt exits with status 3, no traceback."""
    s = session()
    s.answer("2")
    s.send(b"\x04")
    assert s.finish() == 3
    assert "Traceback" not in s.text()
