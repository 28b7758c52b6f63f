"""The journal's commands: painpath start, today, checkin, progress, export, forget.

The command line's default day is the real today, so these tests date everything
relative to it (the library tests use a fixed clock instead).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET

import pytest

from painpath._cli import main

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=25)
ANSWERS = {
    "area": "back",
    "age": 40,
    "duration_weeks": 2,
    "onset": "sudden_no_injury",
    "pain_score": 5,
    "back_pain": "center",
    "leg_pain": "buttock",
    "sitting_hurts": True,
    "bending_forward_hurts": True,
    "bladder_or_bowel_change": False,
    "saddle_numbness": False,
    "leg_weakness": "none",
    "fever": False,
}
SVG = "{http://www.w3.org/2000/svg}"


def day(n: int) -> str:
    return (START + dt.timedelta(days=n - 1)).isoformat()


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(argv, stdin="", stdout=None):
    out = stdout if stdout is not None else io.StringIO()
    err = io.StringIO()
    status = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def journal(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    path = tmp_path / "me" / "journal.sqlite3"
    status, out, err = run(
        ["start", "--journal", str(path), "--answers", str(answers), "--start-date", day(1)]
    )
    assert status == 0, err
    assert f"Your journal: {path}" in out
    return path


def checkin(journal, tmp_path, n, **answers):
    file = tmp_path / f"checkin-{n}.json"
    file.write_text(json.dumps(answers))
    return run(
        [
            "checkin",
            "--journal",
            str(journal),
            "--answers",
            str(file),
            "--date",
            day(n),
            "--format",
            "json",
        ]
    )


class TestCheckin:
    def test_json_outcome_and_exit_codes_by_level(self, journal, tmp_path):
        status, out, _ = checkin(
            journal, tmp_path, 2, pain_score=4, press_up_response="centralized"
        )
        data = json.loads(out)
        assert status == 0
        assert {"level", "day", "reasons", "advice", "program"} <= set(data)
        assert data["day"] == 2 and data["state"]["stage2_from"] == 3
        assert {"rule_id", "title", "rationale", "source"} <= set(data["reasons"][0])
        status, out, _ = checkin(journal, tmp_path, 3, pain_after_exercise="worse_next_morning")
        assert status == 0
        status, out, _ = checkin(journal, tmp_path, 4, pain_after_exercise="worse_next_morning")
        assert (status, json.loads(out)["level"]) == (10, "see_doctor")
        status, out, _ = checkin(journal, tmp_path, 5, fever=True)
        assert (status, json.loads(out)["level"]) == (20, "urgent")
        status, out, _ = checkin(journal, tmp_path, 6, saddle_numbness=True)
        assert (status, json.loads(out)["level"]) == (30, "emergency")

    def test_bad_check_in_exits_2_naming_each_key(self, journal, tmp_path):
        status, out, err = checkin(journal, tmp_path, 2, pain_score=12, sessions="3")
        assert status == 2 and out == ""
        assert "'pain_score' must be a whole number in 0..10 (got 12)" in err
        assert "unknown check-in key 'sessions' (did you mean 'sessions_done'?)" in err
        assert "Traceback" not in err
        status, _, err = checkin(journal, tmp_path, 2)
        assert status == 0
        status, _, err = checkin(journal, tmp_path, 2)
        assert status == 2 and "already has a check-in" in err
        status, _, err = run(["checkin", "--journal", str(journal), "--date", "2999-01-01"])
        assert status == 2 and "in the future" in err

    def test_interactive_check_in_stops_at_once_on_an_emergency_answer(self, journal):
        status, out, _ = run(["checkin", "--journal", str(journal), "--date", day(2)], "y\n")
        assert status == 30
        assert out.count(" > ") == 1  # one question asked, no more
        assert "no more questions" in out
        assert "Go to an emergency department now." in out

    def test_interactive_check_in_asks_the_short_daily_questions(self, journal):
        typed = "n\nn\nn\n1\nn\n3\n2\n1\n2\n2\n2\nslept badly\n"
        status, out, _ = run(["checkin", "--journal", str(journal), "--date", day(2)], typed)
        assert status == 0
        questions = out.count(" > ")
        assert questions == 12  # 5 warning signs, 6 daily questions, a note
        assert "Stage 2" not in out or "stage 2" in out.lower()
        assert "From tomorrow:\n- stage 2 starts\n" in out
        assert not re.search(r"\bCK-\d", out)  # no rule ids in patient-facing text
        status, out, _ = run(["export", "--journal", str(journal)])
        assert json.loads(out)["checkins"][0]["answers"]["note"] == "slept badly"

    def test_the_doctor_question_is_asked_while_a_doctor_is_advised(self, journal, tmp_path):
        checkin(journal, tmp_path, 2, pain_after_exercise="worse_next_morning")
        checkin(journal, tmp_path, 3, pain_after_exercise="worse_next_morning")
        typed = "n\nn\nn\n1\nn\n\n\n\n\n\n\ny\n\n"
        status, out, _ = run(["checkin", "--journal", str(journal), "--date", day(4)], typed)
        assert "said the exercises are fine" in out
        assert status == 0
        assert "the week-1 hold of a see-a-doctor start or outcome is lifted" in out


class TestProgress:
    @pytest.fixture
    def filled(self, journal, tmp_path):
        for n in range(1, 22):
            answers = {"pain_score": max(0, 6 - n // 3), "sessions_done": n % 5}
            if n == 4:
                answers["press_up_response"] = "centralized"
            if n in (9, 10):
                answers["pain_after_exercise"] = "worse_next_morning"
            status, _, err = checkin(journal, tmp_path, n, **answers)
            assert status in (0, 10), err
        return journal

    def test_terminal_chart_fits_80_columns_without_colour_off_a_terminal(self, filled):
        status, out, _ = run(["progress", "--journal", str(filled)])
        assert status == 0
        assert "\x1b[" not in out
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80
        assert sum(line.count("o") for line in lines[1:12]) == 21  # one point a day
        marks = lines[15]
        assert "^" in marks and "!" in marks

    def test_colour_only_on_a_terminal_and_never_with_no_color(self, filled, monkeypatch):
        monkeypatch.delenv("NO_COLOR", raising=False)
        _, out, _ = run(["progress", "--journal", str(filled)], stdout=TTY())
        assert "\x1b[" in out
        monkeypatch.setenv("NO_COLOR", "1")
        _, out, _ = run(["progress", "--journal", str(filled)], stdout=TTY())
        assert "\x1b[" not in out

    def test_svg_chart(self, filled, tmp_path):
        target = tmp_path / "chart.svg"
        status, out, _ = run(
            ["progress", "--journal", str(filled), "--format", "svg", "--output", str(target)]
        )
        assert status == 0 and out == ""
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        root = ET.fromstring(target.read_text())
        assert root.tag == f"{SVG}svg"
        points = root.find(f".//{SVG}polyline[@class='pain']").get("points").split()
        assert len(points) == 21
        ys = [float(p.split(",")[1]) for p in points]
        assert ys[0] > min(ys) or ys[-1] > ys[0]  # pain 6 -> 0 goes down the scale (y up)
        bars = root.findall(f".//{SVG}rect[@class='session']")
        assert len(bars) == sum(1 for n in range(1, 22) if n % 5)
        stage2 = root.find(f".//{SVG}g[@class='stage2']")
        assert "stage 2 from day 5" in "".join(stage2.itertext())
        assert root.findall(f".//{SVG}g[@class='see-doctor']")

    def test_json_progress(self, filled):
        _, out, _ = run(["progress", "--journal", str(filled), "--format", "json"])
        data = json.loads(out)
        assert data["stage2_day"] == 5 and len(data["days"]) == 21


class TestOtherCommands:
    def test_today(self, journal):
        status, out, _ = run(
            ["today", "--journal", str(journal), "--date", day(3), "--format", "json"]
        )
        assert status == 0
        assert json.loads(out)["day"] == 3

    def test_today_text_for_a_day_of_the_program_and_after_a_stop(self, journal, tmp_path):
        status, out, _ = run(["today", "--journal", str(journal), "--date", day(2)])
        assert status == 0
        assert out.startswith(f"Day 2 ({day(2)}), week 1")
        assert "Press up on elbows" in out
        checkin(journal, tmp_path, 3, fever=True)
        status, out, _ = run(["today", "--journal", str(journal), "--date", day(4)])
        assert status == 20 and "Your program has stopped" in out

    def test_export_json_with_fhir(self, journal, tmp_path):
        checkin(journal, tmp_path, 2, pain_score=3)
        status, out, _ = run(["export", "--journal", str(journal)])
        data = json.loads(out)
        assert status == 0
        assert [e["resource"]["valueInteger"] for e in data["fhir"]["entry"]] == [5, 3]

    def test_missing_journal_and_starting_twice(self, journal, tmp_path):
        missing = tmp_path / "nobody.sqlite3"
        for command in ("today", "checkin", "progress", "export", "forget"):
            status, _, err = run([command, "--journal", str(missing)])
            assert status == 2 and "there is no journal" in err, command
        assert not missing.exists()
        status, _, err = run(["start", "--journal", str(journal), "--answers", "x.json"])
        assert status == 2 and "already been started" in err

    def test_a_failed_start_leaves_no_file(self, tmp_path):
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"area": "back", "pain_score": 99}))
        path = tmp_path / "j.sqlite3"
        status, _, err = run(["start", "--journal", str(path), "--answers", str(bad)])
        assert status == 2 and "pain_score" in err
        assert not path.exists()

    def test_forget_asks_first(self, journal):
        status, out, _ = run(["forget", "--journal", str(journal)], "no\n")
        assert status == 0 and "Nothing was deleted" in out and journal.exists()
        status, out, _ = run(["forget", "--journal", str(journal)], "yes\n")
        assert status == 0 and not journal.exists()
        assert not [p for p in os.listdir(journal.parent) if p.startswith(journal.name)]

    def test_forget_yes_skips_the_question(self, journal):
        status, out, _ = run(["forget", "--journal", str(journal), "--yes", "--format", "json"])
        assert status == 0 and json.loads(out) == {"deleted": str(journal)}
        assert not journal.exists()
