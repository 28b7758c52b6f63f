"""The journal through the library: start, check in over 21 simulated days, export, forget.

Every date is explicit; the journal's clock is fixed, so nothing here depends on the
real date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat

import pytest

import painpath
from painpath import InvalidAnswersError, Journal, JournalError, Level

START = dt.date(2026, 2, 2)
TODAY = dt.date(2026, 3, 31)

NO_SPINAL_FLAGS = {
    "bladder_or_bowel_change": False,
    "saddle_numbness": False,
    "leg_weakness": "none",
    "fever": False,
    "unexplained_weight_loss": False,
    "cancer_history": False,
    "constant_night_pain": False,
    "steroids_or_immunosuppressed": False,
    "osteoporosis": False,
}
#: Herniation signs, pain to the buttock: press-ups first (stage 1), self-care.
HERNIATION = {
    "area": "back",
    "age": 40,
    "duration_weeks": 2,
    "onset": "sudden_no_injury",
    "pain_score": 5,
    "back_pain": "center",
    "leg_pain": "buttock",
    "sitting_hurts": True,
    "bending_forward_hurts": True,
    **NO_SPINAL_FLAGS,
}
#: Sciatica below the knee on one side.
SCIATICA = {**HERNIATION, "leg_pain": "below_knee", "leg_pain_sides": "one"}
#: Weight loss without trying: see a doctor, with a gentle plan.
SEE_DOCTOR_START = {**HERNIATION, "unexplained_weight_loss": True}


def day(n: int) -> str:
    """The ISO date of program day ``n``."""
    return (START + dt.timedelta(days=n - 1)).isoformat()


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "private" / "journal.sqlite3", clock=lambda: TODAY) as j:
        yield j


def started(journal, answers=HERNIATION):
    journal.start(answers, start_date=START)
    return journal


def run_days(journal, days, **overrides):
    """Check in on each program day of ``days``; ``overrides`` maps a day to its answers."""
    outcomes = {}
    for n in days:
        answers = {"date": day(n), "pain_score": 4, "sessions_done": 3}
        answers.update(overrides.get(f"d{n}", {}))
        outcomes[n] = journal.checkin(answers)
    return outcomes


def rule_ids(outcome):
    return {r.rule_id for r in outcome.reasons}


# --- the six outcomes, each one journey over the 21 days ---------------------------------


class TestJourneys:
    def test_centralized_unlocks_stage_2_from_the_next_day(self, journal):
        started(journal)
        outcomes = run_days(journal, range(1, 22), d4={"press_up_response": "centralized"})
        assert "CK-020" in rule_ids(outcomes[4])
        assert outcomes[4].state.stage2_from == 5
        assert outcomes[4].level is Level.SELF_CARE
        assert all(outcomes[n].state.stage2_from is None for n in (1, 2, 3))
        # later check-ins keep the day stage 2 began
        assert outcomes[21].state.stage2_from == 5
        assert outcomes[21].level is Level.SELF_CARE  # pain 4 is below the start's 5

    def test_centralizing_again_promises_no_new_stage(self, journal):
        started(journal)
        outcomes = run_days(
            journal,
            [1, 2, 3],
            d2={"press_up_response": "centralized"},
            d3={"press_up_response": "centralized"},
        )
        assert "CK-020" in rule_ids(outcomes[2])
        assert "CK-020" not in rule_ids(outcomes[3])
        assert "CK-025" in rule_ids(outcomes[3])
        assert outcomes[3].changes == ()
        assert not any("next stage" in line for line in outcomes[3].advice)

    def test_peripheralized_means_prone_rest_from_the_next_day(self, journal):
        started(journal)
        outcomes = run_days(journal, range(1, 22), d6={"press_up_response": "peripheralized"})
        assert "CK-021" in rule_ids(outcomes[6])
        assert outcomes[6].state.prone_rest_from == 7
        assert any("lie face down" in line for line in outcomes[6].advice)
        assert outcomes[6].level is Level.SELF_CARE  # leg pain not worse: no doctor yet
        assert outcomes[21].state.prone_rest_from == 7

    def test_a_bad_morning_or_three_missed_days_step_the_dose_back_a_week(self, journal):
        started(journal)
        outcomes = run_days(
            journal,
            [*range(1, 9), *range(12, 22)],  # days 9-11 missed
            d5={"pain_after_exercise": "worse_next_morning"},
        )
        assert "CK-030" in rule_ids(outcomes[5])
        assert outcomes[5].state.step_backs == (6,)
        assert outcomes[5].level is Level.SELF_CARE  # once is a step back, not a doctor
        assert "CK-032" in rule_ids(outcomes[12])
        assert outcomes[12].state.step_backs == (6, 13)
        assert outcomes[12].state.weeks_back(13) == 2
        assert "CK-032" not in rule_ids(outcomes[13])

    @pytest.mark.parametrize(
        ("answers", "trigger_days", "rule"),
        [
            (HERNIATION, {"d7": {"pain_after_exercise": "worse_next_morning"}}, "CK-031"),
            (HERNIATION, {"d10": {"pain_score": 8}, "d11": {"pain_score": 9}}, "CK-040"),
            (HERNIATION, {"d12": {"leg_pain": "below_knee"}}, "CK-023"),
            (SCIATICA, {"d9": {"leg_pain_trend": "worse"}}, "CK-024"),
        ],
        ids=["two-bad-mornings", "pain-3-above-twice", "further-down-the-leg", "sciatica-worse"],
    )
    def test_see_a_doctor_when_the_program_is_not_working(
        self, journal, answers, trigger_days, rule
    ):
        started(journal, answers)
        if rule == "CK-031":
            trigger_days = {
                "d6": {"pain_after_exercise": "worse_next_morning"},
                **trigger_days,
            }
        outcomes = run_days(journal, range(1, 22), **trigger_days)
        fired_on = [n for n, o in outcomes.items() if rule in rule_ids(o)]
        first = fired_on[0]
        assert outcomes[first].level is Level.SEE_DOCTOR
        assert "CK-050" in rule_ids(outcomes[first])  # held at week-1 doses
        assert outcomes[first].state.held(first + 1, held_at_start=False)
        assert all(outcomes[n].level is Level.SELF_CARE for n in range(1, first))
        # the advice stands at every later check-in until a doctor clears the exercises
        assert all(outcomes[n].level is Level.SEE_DOCTOR for n in range(first, 22))
        assert "CK-051" in rule_ids(outcomes[21])

    def test_see_a_doctor_when_pain_is_not_lower_by_day_21(self, journal):
        started(journal)
        outcomes = run_days(journal, range(1, 22), **{f"d{n}": {"pain_score": 5} for n in (20, 21)})
        assert "CK-041" in rule_ids(outcomes[21])
        assert outcomes[21].level is Level.SEE_DOCTOR
        assert all("CK-041" not in rule_ids(outcomes[n]) for n in range(1, 21))

    def test_day_21_rule_is_judged_once_at_the_first_check_in_from_day_21(self, journal):
        started(journal)
        run_days(journal, range(1, 18))
        late = journal.checkin({"date": day(23), "pain_score": 6})  # days 18-22 missed
        assert {"CK-041", "CK-032"} <= rule_ids(late)
        after = journal.checkin({"date": day(24), "pain_score": 6, "doctor_cleared": True})
        assert "CK-041" not in rule_ids(after)
        assert after.level is Level.SELF_CARE

    def test_an_emergency_sign_stops_the_program(self, journal):
        started(journal)
        outcomes = run_days(journal, range(1, 11), d10={"bladder_or_bowel_change": True})
        stop = outcomes[10]
        assert stop.level is Level.EMERGENCY
        assert {"CK-001", "CK-010"} <= rule_ids(stop)
        assert stop.stopped and stop.program == ()
        assert stop.advice[0] == Level.EMERGENCY.meaning
        later = journal.checkin({"date": day(11), "pain_score": 2})
        assert later.level is Level.URGENT and later.stopped
        assert "CK-011" in rule_ids(later)
        assert journal.today(day(12)).stopped is True
        assert journal.today(day(9)).stopped is False
        assert journal.today(day(9)).level is Level.SELF_CARE

    @pytest.mark.parametrize(
        ("sign", "level"),
        [
            ({"fever": True}, Level.URGENT),
            ({"calf_swelling": True}, Level.URGENT),
            ({"leg_weakness": "worsening"}, Level.EMERGENCY),
            ({"sexual_dysfunction": True}, Level.EMERGENCY),
            ({"saddle_numbness": True}, Level.EMERGENCY),
        ],
    )
    def test_every_urgent_or_emergency_sign_stops_it(self, journal, sign, level):
        started(journal)
        outcome = journal.checkin({"date": day(3), **sign})
        assert outcome.level is level
        assert outcome.stopped and outcome.state.stopped_from == 4

    def test_an_urgent_start_has_no_program_and_check_ins_say_so(self, journal):
        result = journal.start({**HERNIATION, "cancer_history": True}, start_date=START)
        assert result.level is Level.URGENT
        outcome = journal.checkin({"date": day(2), "pain_score": 3})
        assert outcome.level is Level.URGENT and outcome.stopped and outcome.program == ()
        assert "CK-012" in rule_ids(outcome)
        assert not any("carry on" in line for line in outcome.advice)

    def test_a_doctor_clearing_lifts_the_week_1_hold_of_a_see_doctor_start(self, journal):
        result = started(journal, SEE_DOCTOR_START).history()[0]
        assert result.level is Level.SEE_DOCTOR
        outcomes = run_days(journal, range(1, 22), d8={"doctor_cleared": True})
        assert all(outcomes[n].level is Level.SEE_DOCTOR for n in range(1, 8))
        assert "CK-051" in rule_ids(outcomes[1])
        cleared = outcomes[8]
        assert "CK-052" in rule_ids(cleared)
        assert cleared.level is Level.SELF_CARE
        assert cleared.state.hold[-1] == (9, False)
        assert not cleared.state.held(9, held_at_start=True)
        assert all(outcomes[n].level is Level.SELF_CARE for n in range(9, 21))

    def test_pain_below_7_ends_the_held_first_week_of_a_high_pain_start(self, journal):
        started(journal, {**HERNIATION, "pain_score": 8})
        outcomes = run_days(journal, [1, 2], d1={"pain_score": 7}, d2={"pain_score": 6})
        assert "CK-053" not in rule_ids(outcomes[1])
        assert "CK-053" in rule_ids(outcomes[2])
        assert outcomes[2].state.high_pain_week_1_ends == 3

    def test_a_new_reason_the_same_day_wins_over_a_clearance(self, journal):
        started(journal, SEE_DOCTOR_START)
        run_days(journal, [1], d1={"pain_after_exercise": "worse_next_morning"})
        outcome = journal.checkin(
            {"date": day(2), "doctor_cleared": True, "pain_after_exercise": "worse_next_morning"}
        )
        assert outcome.level is Level.SEE_DOCTOR
        assert outcome.state.held(3, held_at_start=True)


# --- validation: refused whole, nothing changed ------------------------------------------


class TestValidation:
    def test_every_problem_in_one_error_and_nothing_changes(self, journal):
        started(journal)
        journal.checkin({"date": day(1), "pain_score": 4})
        before = journal.export()
        with pytest.raises(InvalidAnswersError) as caught:
            journal.checkin(
                {
                    "date": day(1),
                    "pain_score": 11,
                    "sessions_done": -1,
                    "pain_after_exercise": "awful",
                    "fever": "yes",
                    "pain_scor": 3,
                }
            )
        keys = [p.key for p in caught.value.problems]
        assert keys == [
            "date",
            "pain_score",
            "sessions_done",
            "pain_after_exercise",
            "fever",
            "pain_scor",
        ]
        message = str(caught.value)
        assert "already has a check-in" in message
        assert "did you mean 'pain_score'" in message
        assert "0..10 (got 11)" in message
        assert journal.export() == before

    @pytest.mark.parametrize(
        ("date", "words"),
        [
            (day(0), "before the program started"),
            ((TODAY + dt.timedelta(days=1)).isoformat(), "in the future"),
            ("2026-02-30", "ISO date"),
            ("2026-2-3", "ISO date"),
            (20260203, "ISO date"),
        ],
    )
    def test_bad_dates(self, journal, date, words):
        started(journal)
        with pytest.raises(InvalidAnswersError, match=words):
            journal.checkin({"date": date, "pain_score": 3})
        assert len(journal.history()) == 1

    def test_a_date_object_is_an_iso_date(self, journal):
        started(journal)
        assert journal.checkin({"date": START + dt.timedelta(days=2)}).date == day(3)

    def test_threads_sharing_one_journal_record_every_date(self, journal):
        from concurrent.futures import ThreadPoolExecutor

        started(journal)
        with ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(lambda n: journal.checkin({"date": day(n)}), range(1, 13)))
        assert sorted(o.day for o in outcomes) == list(range(1, 13))
        assert len(journal.history()) == 13

    def test_date_is_required(self, journal):
        started(journal)
        with pytest.raises(InvalidAnswersError, match="'date' is required"):
            journal.checkin({"pain_score": 3})

    def test_a_late_check_in_for_a_missed_day_is_judged_with_the_days_before_it(self, journal):
        started(journal)
        run_days(journal, [1, 6])
        late = journal.checkin({"date": day(4), "pain_score": 4})
        assert "CK-032" not in rule_ids(late)  # days 2-3 missed: two, not three
        assert [e.day for e in journal.history()] == [1, 1, 4, 6]

    def test_note_is_kept_but_never_read_by_the_rules(self, journal):
        started(journal)
        quiet = journal.checkin({"date": day(1), "note": "bladder trouble? no. " * 10})
        assert quiet.level is Level.SELF_CARE
        assert journal.history()[1].answers["note"].startswith("bladder trouble")
        with pytest.raises(InvalidAnswersError, match="at most 500 characters"):
            journal.checkin({"date": day(2), "note": "x" * 501})

    def test_none_and_non_mappings_are_refused_clearly(self, journal):
        started(journal)
        with pytest.raises(InvalidAnswersError, match="leave the key out"):
            journal.checkin({"date": day(1), "fever": None})
        with pytest.raises(InvalidAnswersError, match="must be a mapping"):
            journal.checkin([("date", day(1))])

    def test_a_warning_sign_of_another_area_is_accepted(self, journal):
        started(journal)  # a back journal
        outcome = journal.checkin({"date": day(1), "knee_hot_red": True})
        assert outcome.level is Level.URGENT

    def test_check_in_before_start_and_starting_twice(self, journal):
        with pytest.raises(JournalError, match="has not been started"):
            journal.checkin({"date": day(1)})
        started(journal)
        with pytest.raises(JournalError, match="already been started"):
            journal.start(HERNIATION, start_date=START)

    def test_start_date_from_the_answers(self, journal):
        journal.start({**HERNIATION, "start_date": day(3)})
        assert journal.history()[0].date == day(3)
        assert journal.today(day(3)).day == 1

    def test_two_different_start_dates_are_refused(self, journal):
        with pytest.raises(JournalError, match="differs from the answers' start_date"):
            journal.start({**HERNIATION, "start_date": day(3)}, start_date=START)
        assert not journal.started()

    def test_bad_start_answers_and_start_date(self, journal):
        with pytest.raises(InvalidAnswersError, match="'area' is required"):
            journal.start({"pain_score": 4}, start_date=START)
        with pytest.raises(JournalError, match="start_date"):
            journal.start(HERNIATION, start_date="tomorrow")
        assert not journal.started()


# --- the file -------------------------------------------------------------------------


class TestFile:
    def test_owner_only_file_and_directory(self, tmp_path):
        path = tmp_path / "new" / "dir" / "journal.sqlite3"
        with Journal(path, clock=lambda: TODAY) as journal:
            started(journal)
            journal.checkin({"date": day(1), "pain_score": 3})
            for name in os.listdir(path.parent):
                mode = stat.S_IMODE((path.parent / name).stat().st_mode)
                assert mode == 0o600, (name, oct(mode))
        for directory in (path.parent, path.parent.parent):
            assert stat.S_IMODE(directory.stat().st_mode) == 0o700

    def test_default_location_is_the_user_data_directory(self, tmp_path, monkeypatch):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        from painpath._journal import default_journal_path

        with Journal(clock=lambda: TODAY) as journal:
            assert journal.path == default_journal_path()
            assert journal.path.is_relative_to(tmp_path / "data")
            assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700

    def test_forget_removes_the_file_and_its_side_files(self, journal):
        started(journal)
        journal.checkin({"date": day(1)})
        path = journal.path
        journal.forget()
        assert not any(p.name.startswith(path.name) for p in path.parent.iterdir())
        with pytest.raises(JournalError, match="closed"):
            journal.history()

    def test_wal_mode_and_schema_version(self, journal):
        started(journal)
        db = sqlite3.connect(journal.path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert journal.schema_version == painpath._journal.SCHEMA_VERSION == 2
        db.close()

    def test_an_older_schema_is_migrated(self, tmp_path):
        from painpath._journal import _V1

        path = tmp_path / "old.sqlite3"
        db = sqlite3.connect(path)
        for statement in _V1:
            db.execute(statement)
        db.execute("INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00+00:00')")
        result = {"level": "self_care", "findings": [], "reasons": [], "advice": []}
        db.execute(
            "INSERT INTO start VALUES (1, ?, ?, ?, '0.1.0', '')",
            (START.isoformat(), json.dumps(HERNIATION), json.dumps(result)),
        )
        outcome = {"level": "self_care", "rules": [], "reasons": [], "advice": [], "effects": []}
        db.execute(
            "INSERT INTO checkin VALUES (?, ?, ?)",
            (day(3), json.dumps({"pain_score": 4}), json.dumps(outcome)),
        )
        db.commit()
        db.close()
        with Journal(path, clock=lambda: TODAY) as journal:
            assert journal.schema_version == 2
            entries = journal.history()
            assert [e.day for e in entries] == [1, 3]
            assert journal.checkin({"date": day(4)}).day == 4

    def test_a_newer_schema_is_refused_and_left_alone(self, tmp_path):
        path = tmp_path / "new.sqlite3"
        with Journal(path, clock=lambda: TODAY) as journal:
            started(journal)
        db = sqlite3.connect(path)
        db.execute("INSERT INTO schema_version VALUES (99, '')")
        db.commit()
        db.close()
        before = path.read_bytes()
        with pytest.raises(JournalError, match=r"newer painpath .*schema version 99"):
            Journal(path)
        assert path.read_bytes() == before

    def test_files_that_are_not_journals_are_refused(self, tmp_path):
        other = tmp_path / "other.sqlite3"
        db = sqlite3.connect(other)
        db.execute("CREATE TABLE notes (x)")
        db.commit()
        db.close()
        with pytest.raises(JournalError, match="not a painpath journal"):
            Journal(other)
        junk = tmp_path / "junk.sqlite3"
        junk.write_bytes(b"not a database at all" * 100)
        with pytest.raises(JournalError, match="not a painpath journal"):
            Journal(junk)
        with pytest.raises(JournalError, match="directory"):
            Journal(tmp_path)


# --- history and export ---------------------------------------------------------------


class TestExport:
    def test_history_in_order_with_outcomes(self, journal):
        started(journal)
        run_days(journal, [1, 2], d2={"press_up_response": "centralized"})
        kinds = [(e.kind, e.date, e.day) for e in journal.history()]
        assert kinds == [("start", day(1), 1), ("checkin", day(1), 1), ("checkin", day(2), 2)]
        assert journal.history()[2].effects == ("stage_2",)

    def test_export_is_json_and_a_valid_fhir_bundle(self, journal):
        bundle_model = pytest.importorskip("fhir.resources.R4B.bundle")
        started(journal)
        run_days(journal, range(1, 4), d2={"pain_score": 6})
        journal.checkin({"date": day(4), "sessions_done": 1})  # no pain score: no observation
        data = json.loads(json.dumps(journal.export()))
        assert data["start"]["answers"] == {**HERNIATION, "start_date": day(1)}
        assert [c["date"] for c in data["checkins"]] == [day(n) for n in range(1, 5)]
        bundle = bundle_model.Bundle.model_validate(data["fhir"])
        observations = [e.resource for e in bundle.entry]
        assert [o.valueInteger for o in observations] == [5, 4, 6, 4]
        assert [str(o.effectiveDateTime) for o in observations] == [
            day(1),
            day(1),
            day(2),
            day(3),
        ]
        coding = data["fhir"]["entry"][0]["resource"]["code"]["coding"][0]
        assert coding == {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }

    def test_progress_data(self, journal):
        started(journal)
        run_days(journal, [1, 3], d3={"press_up_response": "centralized", "pain_score": 2})
        data = journal.progress()
        assert data["start_pain"] == 5 and data["stage2_day"] == 4
        assert [(d["day"], d["pain"], d["sessions"]) for d in data["days"]] == [
            (1, 4, 3),
            (3, 2, 3),
        ]

    def test_outcome_to_dict_has_the_contract_keys(self, journal):
        started(journal)
        data = journal.checkin({"date": day(1), "press_up_response": "centralized"}).to_dict()
        assert {"level", "day", "reasons", "advice", "program"} <= set(data)
        assert data["reasons"][0].keys() >= {"rule_id", "title", "rationale", "source"}
        json.dumps(data)
