"""``painpath checkin`` typed at a real pseudo-terminal, as a person does it each day.

The StringIO tests in ``test_journal_cli.py`` feed whole lines; a terminal echoes what
is typed itself, sends Ctrl-C as a signal and Ctrl-D as the end of input, and the
script must treat each the same at every prompt, the note included: a check-in is
saved whole, or not at all. Driven with :class:`test_cli_pty.Session` (stdlib ``pty``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import painpath
from test_cli_pty import PROMPT, TIMEOUT, session

__all__ = ["session"]  # the fixture, re-used

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

START = {
    "area": "back",
    "leg_pain": "below_knee",
    "leg_pain_sides": "one",
    "cough_sneeze_worse": True,
    "start_date": "2026-11-01",
}
DAY_2 = "2026-11-02"
NOTE = b"Anything to note for yourself? (Enter to skip)"
#: Warning signs (bladder, saddle, sexual function, weakness: none, fever), then pain 4,
#: 2 sessions, no worse after, press-ups centralized, pain below the knee, leg better.
DAILY = ("n", "n", "n", "1", "n", "4", "2", "1", "2", "4", "1")


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A journal started on a sciatica plan (press-ups first, stage 2 waiting)."""
    path = tmp_path / "journal.db"
    answers = tmp_path / "start.json"
    answers.write_text(json.dumps(START), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "painpath",
            "start",
            "--journal",
            str(path),
            "--answers",
            str(answers),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return path


def checkins(path: Path) -> list[painpath.JournalEntry]:
    with painpath.Journal(path) as journal:
        return [e for e in journal.history() if e.kind == "checkin"]


def at_note(s) -> None:
    """Answer the daily questions and wait for the note prompt."""
    s.answer(*DAILY)
    s.read_until(
        lambda out: NOTE in out and out.rstrip().endswith(b">"), time.monotonic() + TIMEOUT
    )


def test_a_check_in_typed_at_a_terminal_is_saved_whole(session, journal):
    """Every answer typed (echoed by the terminal, not twice by the script), the note, the
    outcome and tomorrow's program; the journal holds exactly what was typed."""
    s = session("checkin", "--journal", str(journal), "--date", DAY_2)
    at_note(s)
    os.write(s.fd, b"slept badly\r")
    assert s.finish() == 0
    text = s.text()
    assert text.count("? for help > ") == len(DAILY)
    assert "\n  1-4, Enter to skip, ? for help > 2\n" in text  # echoed once
    assert "Your pain is centralizing: the next stage of the program starts tomorrow." in text
    assert "Tomorrow:" in text and "Reverse sciatica routine" in text
    assert "\n\n\n" not in text  # no double blank lines
    assert not re.search(r"\b[A-Z]{2}-\d{3}\b", text)  # no rule ids
    assert max(len(line) for line in text.splitlines()) <= 80
    (entry,) = checkins(journal)
    assert entry.date == DAY_2
    assert entry.answers == {
        "bladder_or_bowel_change": False,
        "saddle_numbness": False,
        "sexual_dysfunction": False,
        "leg_weakness": "none",
        "fever": False,
        "pain_score": 4,
        "sessions_done": 2,
        "pain_after_exercise": "none",
        "press_up_response": "centralized",
        "leg_pain": "below_knee",
        "leg_pain_trend": "better",
        "note": "slept badly",
    }


@pytest.mark.parametrize(
    ("key", "status", "said"),
    [(b"\x03", 130, "interrupted; nothing was saved"), (b"\x04", 3, "nothing was saved")],
    ids=["ctrl-c", "ctrl-d"],
)
def test_stopping_at_a_question_saves_nothing(session, journal, key, status, said):
    """Ctrl-C or Ctrl-D at a question: no traceback, the level's exit, nothing recorded."""
    s = session("checkin", "--journal", str(journal), "--date", DAY_2)
    s.answer("n", "n")
    s.send(key)
    assert s.finish() == status
    assert said in s.text() and "Traceback" not in s.text()
    assert checkins(journal) == []


@pytest.mark.parametrize(
    ("key", "status", "said"),
    [(b"\x03", 130, "interrupted; nothing was saved"), (b"\x04", 3, "nothing was saved")],
    ids=["ctrl-c", "ctrl-d"],
)
def test_stopping_at_the_note_saves_nothing_either(session, journal, key, status, said):
    """The note is the check-in's last prompt: Ctrl-D there ends the input before the
    check-in is finished, exactly as at a question (it used to save the check-in)."""
    s = session("checkin", "--journal", str(journal), "--date", DAY_2)
    at_note(s)
    os.write(s.fd, key)
    assert s.finish() == status
    assert said in s.text() and "Traceback" not in s.text()
    assert checkins(journal) == []
    # and the day can still be checked in afterwards
    s = session("checkin", "--journal", str(journal), "--date", DAY_2)
    at_note(s)
    os.write(s.fd, b"\r")
    assert s.finish() == 0
    assert "note" not in checkins(journal)[0].answers


def test_an_emergency_answer_stops_the_questions(session, journal):
    """A warning sign of an emergency: no more questions, the emergency level, exit 30."""
    s = session("checkin", "--journal", str(journal), "--date", DAY_2)
    s.answer("y")
    assert s.finish() == 30
    text = s.text()
    assert text.count(PROMPT.decode()) == 1
    assert "no more questions" in text
    assert "Go to an emergency department now." in text
    assert checkins(journal)[0].level is painpath.Level.EMERGENCY
