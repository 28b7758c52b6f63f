"""Tests for the questionnaire script: its definition, its transcript, its exports and output.

The script is driven in-process (``main(argv, stdin=StringIO, stdout=StringIO)``) and
the whole transcript is read, as ``rich``'s prompt tests do.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import pytest

import painpath
from painpath import _questionnaire as qn
from painpath._catalog_types import Dose
from painpath._cli import EXIT_CODES, Prompter, ask_all, main
from painpath._contract import (
    DEFAULT_EQUIPMENT,
    KEYS,
    KNEE_RED_FLAG_KEYS,
    SPINAL_RED_FLAG_KEYS,
    red_flags_for_area,
)
from painpath._fhir_questionnaire import to_fhir
from painpath._questionnaire import QUESTIONS, SECTIONS, iter_asked, to_json_data
from painpath._render import render_json, render_markdown, render_text, use_color
from painpath._result import (
    LeftOut,
    Level,
    Phase,
    PlanExercise,
    Reason,
    Result,
    StopRule,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
BY_KEY = {q.key: q for q in QUESTIONS}
LEVEL_EXIT = {"self_care": 0, "see_doctor": 10, "urgent": 20, "emergency": 30}


class TTYStringIO(io.StringIO):
    """A StringIO that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def run(
    argv: list[str], typed: str = "", *, stdout: io.StringIO | None = None
) -> tuple[int, str, str]:
    out = stdout if stdout is not None else io.StringIO()
    err = io.StringIO()
    status = main(argv, stdin=io.StringIO(typed), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


# Answer sequences, one typed line per question asked.
SCIATICA = lines(
    "1",  # area: back
    "1",  # onset: suddenly, no injury
    "n",  # bladder or bowel change
    "n",  # saddle numbness
    "n",  # sexual function
    "1",  # leg weakness: none
    "n",  # fever
    "n",  # weight loss
    "n",  # cancer
    "n",  # night pain
    "n",  # steroids
    "n",  # osteoporosis
    "n",  # upper back pain
    "n",  # pain unchanged by position
    "42",  # age
    "2",  # weeks
    "6",  # pain score
    "1",  # painful side: left
    "",  # dominant side: Enter gives right
    "n",  # pregnant (asked before anything done lying down)
    "3",  # back pain: one side
    "y",  # first episode
    "n",  # spinal surgery
    "4",  # leg pain: below the knee
    "1",  # one leg
    "y",  # numbness or tingling
    "y",  # bending forward hurts
    "y",  # sitting hurts
    "y",  # cough or sneeze
    "n",  # hard to stand up
    "n",  # keeps shifting
    "n",  # tender dimple
    "n",  # groin
    "n",  # spasm
    "n",  # thigh to chest
    "2",  # press-ups: centralized
    "1",  # leg pain trend: better
    "",  # equipment: Enter gives couch, pillow, chair
    "",  # minutes: Enter skips
    "",  # start date: Enter skips
)
SCIATICA_ANSWERS = {
    "area": "back",
    "onset": "sudden_no_injury",
    "bladder_or_bowel_change": False,
    "saddle_numbness": False,
    "sexual_dysfunction": False,
    "leg_weakness": "none",
    "fever": False,
    "unexplained_weight_loss": False,
    "cancer_history": False,
    "constant_night_pain": False,
    "steroids_or_immunosuppressed": False,
    "osteoporosis": False,
    "upper_back_pain": False,
    "pain_unchanged_by_position": False,
    "age": 42,
    "duration_weeks": 2,
    "pain_score": 6,
    "painful_side": "left",
    "dominant_side": "right",
    "back_pain": "one_side",
    "leg_pain": "below_knee",
    "leg_pain_sides": "one",
    "leg_numbness_or_tingling": True,
    "bending_forward_hurts": True,
    "sitting_hurts": True,
    "cough_sneeze_worse": True,
    "hard_to_stand_up": False,
    "keeps_shifting_position": False,
    "tender_dimple": False,
    "groin_or_front_thigh_pain": False,
    "spasm": False,
    "thigh_to_chest_hurts": False,
    "pregnant_or_postpartum": False,
    "press_up_response": "centralized",
    "leg_pain_trend": "better",
    "first_episode": True,
    "previous_spinal_surgery": False,
    "equipment": list(DEFAULT_EQUIPMENT),
}
KNEE = lines(
    "2",  # area: knee
    "3",  # onset: gradual
    "n",  # fever
    "n",  # weight loss
    "n",  # cancer
    "n",  # night pain
    "n",  # steroids
    "n",  # calf swelling
    "35",  # age
    "8",  # weeks
    "4",  # pain score
    "2",  # painful side: right
    "1",  # dominant side: left
    "1",  # knee pain: inside
    "1",  # injury: none
    "1",  # swelling: none
    "n",  # locking
    "n",  # giving way
    "n",  # hot and red
    "27.5",  # bmi
    "0",  # equipment: none
    "20",  # minutes
    "2026-03-02",  # start date
)
KNEE_ANSWERS = {
    "area": "knee",
    "onset": "gradual",
    "fever": False,
    "unexplained_weight_loss": False,
    "cancer_history": False,
    "constant_night_pain": False,
    "steroids_or_immunosuppressed": False,
    "calf_swelling": False,
    "age": 35,
    "duration_weeks": 8,
    "pain_score": 4,
    "painful_side": "right",
    "dominant_side": "left",
    "knee_pain_location": "inside",
    "knee_injury": "none",
    "knee_swelling": "none",
    "knee_locking": False,
    "knee_giving_way": False,
    "knee_hot_red": False,
    "bmi": 27.5,
    "equipment": [],
    "minutes_per_day": 20,
    "start_date": "2026-03-02",
}


def asked_texts(transcript: str) -> list[str]:
    """Return the question texts of the transcript that were asked, in order."""
    flat = " ".join(transcript.split())
    return [q.text for q in QUESTIONS if " ".join(q.text.split()) in flat]


def all_no(question: qn.Question) -> Any:
    """Answer a question the plainest way: no, the first choice, the low bound."""
    kind = question.kind
    if kind == "bool":
        return False
    if kind == "list":
        return []
    if kind in ("str",):
        return question.choices[0].value
    if kind == "date":
        return "2026-01-05"
    return question.spec.low


def walk(wanted: Mapping[str, Any]) -> list[str]:
    """Return the keys asked when the person answers ``wanted`` (else the plainest answer)."""
    answers: dict[str, Any] = {}
    asked = []
    for _, question in iter_asked(answers):
        asked.append(question.key)
        answers[question.key] = wanted.get(question.key, all_no(question))
    return asked


def enabling(question: qn.Question) -> dict[str, Any]:
    """Return earlier answers that make ``question`` asked (its conditions, recursively)."""
    answers: dict[str, Any] = {}
    for w in question.when:
        answers.update(enabling(BY_KEY[w.key]))
        if w.op == "!=" and isinstance(w.value, bool):
            answers[w.key] = not w.value
        elif w.op == "!=":
            answers[w.key] = next(c.value for c in BY_KEY[w.key].choices if c.value != w.value)
        else:
            answers[w.key] = w.values()[0]
    return answers


# --- the definition --------------------------------------------------------------------


class TestDefinition:
    def test_every_contract_key_has_exactly_one_question(self):
        """The questionnaire asks for every answer the rules can use, once."""
        keys = [q.key for q in QUESTIONS]
        assert sorted(keys) == sorted(KEYS)
        assert len(keys) == len(set(keys))

    def test_choices_are_the_contract_values(self):
        """A choice question offers exactly the contract's values, each with a label."""
        for q in QUESTIONS:
            if q.kind in ("str", "list"):
                assert [c.value for c in q.choices] == list(q.spec.choices), q.key
                assert all(c.label.strip() for c in q.choices), q.key
            else:
                assert q.choices == (), q.key

    def test_equipment_is_a_multi_choice_whose_default_is_the_contract_default(self):
        """Left out, equipment means couch, pillow and chair: Enter gives the same."""
        assert BY_KEY["equipment"].kind == "list"
        assert BY_KEY["equipment"].default == DEFAULT_EQUIPMENT

    def test_defaults_are_allowed_values(self):
        """Enter never produces an answer the contract refuses."""
        for q in QUESTIONS:
            if q.default is None:
                continue
            values = q.default if isinstance(q.default, tuple) else (q.default,)
            assert all(v in q.spec.choices for v in values), q.key

    def test_red_flags_have_no_default(self):
        """A warning sign is never answered by pressing Enter."""
        for q in QUESTIONS:
            if q.spec.group == "red_flag" or q.key == "onset":
                assert q.default is None and not q.optional, q.key

    def test_every_question_has_text_and_help(self):
        """Each question is worded for a person and has help behind '?'."""
        for q in QUESTIONS:
            assert q.text.strip() and q.help.strip(), q.key
            assert "_" not in q.text, q.key

    def test_conditions_refer_to_earlier_questions_and_valid_values(self):
        """A condition can only read an answer already given, and only its allowed values."""
        earlier: set[str] = set()
        for q in QUESTIONS:
            for w in q.when:
                assert w.key in earlier, f"{q.key} depends on later {w.key}"
                spec = KEYS[w.key]
                for value in w.values():
                    if spec.kind == "bool":
                        assert isinstance(value, bool), q.key
                    else:
                        assert value in spec.choices, (q.key, value)
            earlier.add(q.key)

    def test_conditions_stay_within_what_fhir_can_express(self):
        """'in' stands alone (FHIR 'any'); several conditions are an AND of = and !=."""
        for q in QUESTIONS:
            ops = [w.op for w in q.when]
            assert set(ops) <= {"=", "!=", "in"}, q.key
            if "in" in ops:
                assert len(ops) == 1, q.key

    def test_order_is_area_then_red_flags_then_body_then_preferences(self):
        """Area first, onset early, warning signs before the back and knee details."""
        keys = [q.key for q in QUESTIONS]
        assert keys[0] == "area"
        assert keys.index("onset") < min(keys.index(k) for k in KEYS if KEYS[k].group == "red_flag")
        last_flag = max(keys.index(k) for k in KEYS if KEYS[k].group == "red_flag")
        first_body = min(keys.index(k) for k in KEYS if KEYS[k].group in ("back", "knee"))
        assert last_flag < first_body
        assert keys[-3:] == ["equipment", "minutes_per_day", "start_date"]


class TestWhatIsAsked:
    @pytest.mark.parametrize("key", [q.key for q in QUESTIONS])
    def test_every_question_is_reachable(self, key):
        """Each question is asked for some set of answers."""
        assert key in walk(enabling(BY_KEY[key]))

    def test_spinal_red_flags_only_when_the_back_is_involved(self):
        """Bladder, saddle, weakness and osteoporosis are back questions."""
        for area, expected in (("back", True), ("both", True), ("knee", False)):
            asked = walk({"area": area})
            assert all((k in asked) is expected for k in SPINAL_RED_FLAG_KEYS), area

    def test_knee_red_flags_only_when_the_knee_is_involved(self):
        """A swollen calf (possible clot) is a knee question."""
        for area, expected in (("back", False), ("both", True), ("knee", True)):
            asked = walk({"area": area})
            assert all((k in asked) is expected for k in KNEE_RED_FLAG_KEYS), area

    def test_other_red_flags_always(self):
        """Fever, weight loss, cancer, night pain and steroids are asked for every area."""
        area_bound = {*SPINAL_RED_FLAG_KEYS, *KNEE_RED_FLAG_KEYS}
        for area in ("back", "knee", "both"):
            asked = walk({"area": area})
            for key in KEYS:
                if KEYS[key].group == "red_flag" and key not in area_bound:
                    assert key in asked, (area, key)

    def test_the_red_flags_asked_are_those_the_area_calls_for(self):
        """The script asks exactly the red flags that count as unscreened when left out."""
        for area in ("back", "knee", "both"):
            asked = walk({"area": area})
            flags = [k for k in asked if KEYS[k].group == "red_flag"]
            assert sorted(flags) == sorted(red_flags_for_area(area)), area

    def test_pregnancy_is_asked_before_lying_down_or_press_ups(self):
        """Nobody pregnant is asked to lie down or try press-ups before saying so."""
        keys = [q.key for q in QUESTIONS]
        # A question that puts the person in a position ("Lying on your back, ...",
        # "Try each leg") or asks about press-ups.
        lying = [
            q.key
            for q in QUESTIONS
            if q.key != "pregnant_or_postpartum"
            and re.search(r"^lying|\btry\b|press-up", q.text + " " + q.help, re.I)
        ]
        assert {"thigh_to_chest_hurts", "press_up_response"} <= set(lying)
        assert all(keys.index("pregnant_or_postpartum") < keys.index(k) for k in lying)

    def test_no_press_up_question_after_pregnant(self):
        """Pregnant or just after birth: the face-down press-up question is not asked."""
        for area in ("back", "both"):
            pregnant = walk({"area": area, "pregnant_or_postpartum": True})
            assert "press_up_response" not in pregnant
            assert "thigh_to_chest_hurts" in pregnant
            assert "press_up_response" in walk({"area": area, "pregnant_or_postpartum": False})

    def test_no_knee_questions_for_a_back_complaint_and_no_back_questions_for_a_knee(self):
        """A question that cannot matter is not asked."""
        back = walk({"area": "back", "leg_pain": "buttock"})
        knee = walk({"area": "knee", "knee_injury": "twist"})
        assert not [k for k in back if KEYS[k].group == "knee"]
        assert not [k for k in knee if KEYS[k].group == "back"]
        both = walk({"area": "both", "leg_pain": "buttock", "knee_injury": "twist"})
        assert sorted(both) == sorted(KEYS)

    def test_leg_questions_only_with_leg_pain(self):
        """No 'one leg or both' and no leg pain trend when the pain stays in the back."""
        asked = walk({"area": "back", "leg_pain": "none"})
        assert "leg_pain_sides" not in asked and "leg_pain_trend" not in asked
        asked = walk({"area": "back", "leg_pain": "above_knee"})
        assert "leg_pain_sides" in asked and "leg_pain_trend" in asked

    def test_press_ups_asked_for_the_back(self):
        """The press-up response belongs to the back questions."""
        assert "press_up_response" in walk({"area": "back"})
        assert "press_up_response" not in walk({"area": "knee"})

    def test_ottawa_questions_only_after_a_knee_injury(self):
        """Bearing weight and bending to 90 degrees matter after an injury."""
        assert "knee_can_bear_weight" not in walk({"area": "knee", "knee_injury": "none"})
        assert "knee_can_bend_90" in walk({"area": "knee", "knee_injury": "blow_or_fall"})


# --- the transcript --------------------------------------------------------------------


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.usefixtures("no_color")
class TestTranscript:
    def test_emergency_stops_at_once_after_bladder_change(self):
        """New bladder trouble ends the questionnaire and says to go to an emergency department."""
        status, out, _ = run([], lines("1", "2", "y", "n", "n"))
        assert status == 30
        assert "EMERGENCY: Go to an emergency department now." in out
        assert asked_texts(out) == [
            BY_KEY["area"].text,
            BY_KEY["onset"].text,
            BY_KEY["bladder_or_bowel_change"].text,
        ]
        assert out.count("? for help >") == 3

    def test_emergency_stops_at_once_after_new_sexual_dysfunction(self):
        """A new loss of sexual function (cauda equina) ends the questionnaire at once."""
        status, out, _ = run([], lines("1", "2", "n", "n", "y", "n"))
        assert status == 30
        assert "EMERGENCY: Go to an emergency department now." in out
        assert asked_texts(out)[-1] == BY_KEY["sexual_dysfunction"].text
        assert out.count("? for help >") == 5

    def test_trauma_onset_stops_before_the_red_flags(self):
        """A serious accident is an emergency as soon as it is said."""
        status, out, _ = run([], lines("3", "4"))
        assert status == 30
        assert asked_texts(out) == [BY_KEY["area"].text, BY_KEY["onset"].text]

    def test_the_rules_decide_when_to_stop(self, monkeypatch):
        """The script stops on whatever the rules call an emergency, not on its own list."""
        real = painpath.triage

        def triage(answers):
            result = real(answers)
            if answers.get("age") == 99:
                return Result(Level.EMERGENCY, frozenset(), (), (), (), (), ())
            return result

        monkeypatch.setattr(painpath, "triage", triage)
        typed = lines("2", "3", "n", "n", "n", "n", "n", "n", "99", "1")
        status, out, _ = run([], typed)
        assert status == 30
        assert asked_texts(out)[-1] == BY_KEY["age"].text

    def test_sciatica_path(self, tmp_path):
        """Leg pain below the knee: the leg questions are asked, the knee ones are not."""
        saved = tmp_path / "answers.json"
        status, out, _ = run(["--save", str(saved)], SCIATICA)
        answers = json.loads(saved.read_text())
        assert answers == SCIATICA_ANSWERS
        result = painpath.triage(answers)
        assert status == LEVEL_EXIT[result.level.value]
        asked = asked_texts(out)
        assert BY_KEY["leg_pain_sides"].text in asked
        assert BY_KEY["leg_pain_trend"].text in asked
        assert BY_KEY["knee_injury"].text not in asked
        assert render_text(result) in out

    def test_knee_path(self, tmp_path):
        """A knee complaint skips the spinal warning signs and all back questions."""
        saved = tmp_path / "answers.json"
        status, out, _ = run(["--save", str(saved)], KNEE)
        answers = json.loads(saved.read_text())
        assert answers == KNEE_ANSWERS
        result = painpath.triage(answers)
        assert status == LEVEL_EXIT[result.level.value]
        asked = asked_texts(out)
        assert BY_KEY["bladder_or_bowel_change"].text not in asked
        assert BY_KEY["leg_pain"].text not in asked
        assert BY_KEY["knee_can_bear_weight"].text not in asked
        assert BY_KEY["knee_hot_red"].text in asked
        assert render_text(result) in out

    def test_invalid_answers_are_asked_again_with_a_reason(self):
        """A wrong number, a word or an out-of-range age is refused and asked again."""
        _, out, _ = run([], lines("7", "Knee"))
        assert "Please choose a number from 1 to 3." in out
        assert out.count(BY_KEY["area"].text) == 1
        assert out.count("1-3, ? for help >") == 2
        _, out, _ = run([], lines("2", "3", "n", "n", "n", "n", "n", "n", "200", "abc", "-1"))
        assert out.count("Please enter a whole number from 0 to 120.") == 3
        _, out, _ = run([], lines("1", "1", "maybe"))
        assert "Please answer y or n." in out

    def test_answers_are_case_insensitive(self):
        """Y, YES, No and a choice's value in capitals are understood."""
        _, out, _ = run([], lines("KNEE", "Gradual", "N", "NO", "no", "No", "YES"))
        assert "Please" not in out
        assert out.count("? for help >") == 8  # the eighth, calf swelling, met the end of input

    def test_question_mark_shows_the_help(self):
        """'?' prints the question's help and asks again."""
        _, out, _ = run([], lines("?", "1", "?"))
        assert BY_KEY["area"].help.split()[0] in out
        assert " ".join(BY_KEY["onset"].help.split()) in " ".join(out.split())
        assert out.count("1-3, ? for help >") == 2

    def test_enter_takes_the_default_or_asks_again(self, tmp_path):
        """Enter gives the default where there is one; elsewhere the question is asked again."""
        _, out, _ = run([], lines("", "2"))
        assert "Please give an answer (? for help)." in out
        # the sciatica path presses Enter for dominant side, equipment and minutes
        saved = tmp_path / "s.json"
        run(["--save", str(saved)], SCIATICA)
        answers = json.loads(saved.read_text())
        assert answers["dominant_side"] == "right"
        assert answers["equipment"] == list(DEFAULT_EQUIPMENT)
        assert "minutes_per_day" not in answers

    def test_end_of_input_exits_cleanly(self):
        """Input that ends mid-questionnaire exits with 3 and a message, no traceback."""
        status, out, err = run([], lines("1", "1"))
        assert status == 3
        assert "Traceback" not in out + err
        assert "input ended" in err

    def test_ctrl_c_exits_with_130(self):
        """Ctrl-C stops the questionnaire cleanly with status 130."""

        class Interrupting(io.StringIO):
            def readline(self, size: int = -1) -> str:
                raise KeyboardInterrupt

        err = io.StringIO()
        status = main([], stdin=Interrupting(), stdout=io.StringIO(), stderr=err)
        assert status == 130
        assert "interrupted" in err.getvalue()

    def test_transcript_fits_80_columns(self):
        """Every line of a whole session fits in 80 columns."""
        _, out, _ = run([], SCIATICA)
        assert max(len(line) for line in out.splitlines()) <= 80

    def test_json_format_after_questions(self):
        """--format json prints the result as JSON after the conversation."""
        _, out, _ = run(["--format", "json"], KNEE)
        data = json.loads(out.splitlines()[-1])
        assert data == painpath.triage(KNEE_ANSWERS).to_dict()


# --- non-interactive -------------------------------------------------------------------


class TestAnswersFile:
    def test_json_file(self, tmp_path):
        """--answers reads a JSON file and asks nothing."""
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(SCIATICA_ANSWERS))
        status, out, err = run(["--answers", str(path)])
        result = painpath.triage(SCIATICA_ANSWERS)
        assert (status, out, err) == (LEVEL_EXIT[result.level.value], render_text(result), "")

    def test_toml_file(self, tmp_path):
        """A .toml file is read as TOML."""
        path = tmp_path / "answers.toml"
        path.write_text(
            'area = "knee"\nknee_hot_red = true\nfever = false\nage = 30\nbmi = 31.5\n'
            'equipment = ["chair", "step"]\n'
        )
        status, out, _ = run(["--answers", str(path), "--format", "json"])
        expected = painpath.triage(
            {
                "area": "knee",
                "knee_hot_red": True,
                "fever": False,
                "age": 30,
                "bmi": 31.5,
                "equipment": ["chair", "step"],
            }
        )
        assert json.loads(out) == expected.to_dict()
        assert status == LEVEL_EXIT[expected.level.value]

    def test_toml_bare_date_is_the_iso_start_date(self, tmp_path):
        """A bare TOML date is read as the contract's YYYY-MM-DD string; a date-time is refused."""
        path = tmp_path / "answers.toml"
        path.write_text('area = "back"\nstart_date = 2026-03-02\n')
        status, out, _ = run(["--answers", str(path), "--format", "json"])
        expected = painpath.triage({"area": "back", "start_date": "2026-03-02"})
        assert json.loads(out) == expected.to_dict()
        assert status == LEVEL_EXIT[expected.level.value]
        path.write_text('area = "back"\nstart_date = 2026-03-02T10:00:00\n')
        status, _, err = run(["--answers", str(path)])
        assert status != 0
        assert "start_date" in err and "YYYY-MM-DD" in err
        assert "Traceback" not in err

    def test_unknown_suffix_is_read_as_json(self, tmp_path):
        """Without .json or .toml the file is tried as JSON."""
        path = tmp_path / "answers.txt"
        path.write_text('{"area": "knee"}')
        _, out, _ = run(["--answers", str(path), "--format", "json"])
        assert json.loads(out) == painpath.triage({"area": "knee"}).to_dict()

    def test_json_output_is_the_result_to_dict(self, tmp_path):
        """--format json is exactly json.dumps(result.to_dict())."""
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(KNEE_ANSWERS))
        _, out, _ = run(["--answers", str(path), "--format", "json"])
        assert out == json.dumps(painpath.triage(KNEE_ANSWERS).to_dict()) + "\n"

    def test_markdown_output(self, tmp_path):
        """--format markdown gives a Markdown document headed by the level."""
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(SCIATICA_ANSWERS))
        _, out, _ = run(["--answers", str(path), "--format", "markdown"])
        assert out == render_markdown(painpath.triage(SCIATICA_ANSWERS))
        assert out.startswith("# ")

    def test_invalid_answers_name_the_keys(self, tmp_path):
        """Bad values give exit 2 and one message naming every bad key, no traceback."""
        path = tmp_path / "answers.json"
        path.write_text(json.dumps({"area": "back", "age": 400, "fevr": True}))
        status, out, err = run(["--answers", str(path)])
        assert status == 2
        assert out == ""
        assert "age" in err and "fevr" in err and str(path) in err
        assert "Traceback" not in err

    def test_missing_file(self, tmp_path):
        """An unreadable file gives exit 2 and says why."""
        status, _, err = run(["--answers", str(tmp_path / "nope.json")])
        assert status == 2
        assert "cannot read answers from" in err and "nope.json: No such file" in err

    @pytest.mark.parametrize(
        ("name", "text", "words"),
        [
            ("a.json", '{"area": "back",}', "not valid JSON"),
            ("a.toml", "area = back", "not valid TOML"),
            ("a.json", '["area", "back"]', "one object of answers"),
        ],
    )
    def test_bad_syntax(self, tmp_path, name, text, words):
        """A file that does not parse, or is not a mapping, gives exit 2 and says so."""
        path = tmp_path / name
        path.write_text(text)
        status, _, err = run(["--answers", str(path)])
        assert status == 2
        assert words in err and "Traceback" not in err

    def test_save_and_answers_together_are_refused(self, tmp_path):
        """--save only makes sense when questions are asked."""
        status, _, err = run(["--answers", "a.json", "--save", "b.json"])
        assert status == 2
        assert "not allowed with" in err

    def test_save_to_a_missing_directory_is_refused_before_asking(self, tmp_path):
        """The questions are not asked when the answers could not be saved."""
        status, out, err = run(["--save", str(tmp_path / "no" / "a.json")], SCIATICA)
        assert status == 2
        assert out == "" and "no such directory" in err


class TestCommandLine:
    def test_help_lists_the_exit_codes(self):
        """--help documents every exit status."""
        status, out, _ = run(["--help"])
        assert status == 0
        for code, meaning in EXIT_CODES:
            assert re.search(rf"^\s+{code}\s+{re.escape(meaning[:20])}", out, re.M), code

    def test_version(self):
        """--version prints the package version."""
        status, out, _ = run(["--version"])
        assert (status, out) == (0, f"painpath {painpath.__version__}\n")

    def test_bad_option(self):
        """An unknown option exits 2 with argparse's message."""
        status, _, err = run(["--colour"])
        assert status == 2 and "unrecognized arguments" in err

    def test_cli_module_imports_nothing_heavy(self):
        """Importing the command (for --help) loads neither the engine nor the questionnaire."""
        code = (
            "import sys, painpath; before = set(sys.modules); import painpath._cli; "
            "print(sorted(set(sys.modules) - before))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
        )
        added = done.stdout
        for heavy in ("durable", "painpath._questionnaire", "painpath._render", "tomllib"):
            assert heavy not in added

    def test_python_dash_m(self):
        """python -m painpath runs the same command."""
        done = subprocess.run(
            [sys.executable, "-m", "painpath", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0 and done.stdout.startswith("painpath ")


# --- exports ---------------------------------------------------------------------------


class TestExports:
    def test_json_export_is_the_definition(self):
        """painpath questions --format json prints every section and question in order."""
        status, out, _ = run(["questions", "--format", "json"])
        data = json.loads(out)
        assert status == 0
        assert data == json.loads(json.dumps(to_json_data()))
        keys = [q["key"] for s in data["sections"] for q in s["questions"]]
        assert keys == [q.key for q in QUESTIONS]
        assert [s["title"] for s in data["sections"]] == [s.title for s in SECTIONS]

    def test_fhir_resource(self):
        """The FHIR export is an active R4 Questionnaire with a canonical url and name."""
        status, out, _ = run(["questions", "--format", "fhir"])
        data = json.loads(out)
        assert status == 0
        assert data["resourceType"] == "Questionnaire"
        assert data["status"] == "active"
        assert data["url"] and data["title"]
        assert re.fullmatch(r"[A-Z][A-Za-z0-9_]{0,254}", data["name"])  # que-0

    def test_fhir_one_item_per_key_with_unique_link_ids(self):
        """Every contract key is one item; no linkId repeats anywhere (que-2)."""
        items = fhir_questions()
        assert [i["linkId"] for i in items] == [q.key for q in QUESTIONS]
        every = [i["linkId"] for i in items] + [
            c["linkId"] for i in items for c in i.get("item", [])
        ]
        assert len(every) == len(set(every))

    def test_fhir_types_required_and_repeats(self):
        """Types follow the contract; area is required; equipment repeats."""
        expected = {"bool": "boolean", "str": "choice", "list": "choice", "int": "integer"}
        expected["float"] = "decimal"
        expected["date"] = "date"
        for item in fhir_questions():
            spec = KEYS[item["linkId"]]
            assert item["type"] == expected[spec.kind]
            assert item.get("required", False) is (spec.key == "area")
            assert item.get("repeats", False) is (spec.key == "equipment")

    def test_fhir_answer_options_are_contract_values(self):
        """Each choice is a Coding whose code is the contract value and display its label."""
        for item in fhir_questions():
            spec = KEYS[item["linkId"]]
            options = item.get("answerOption", [])
            assert [o["valueCoding"]["code"] for o in options] == list(spec.choices)
            for option in options:
                assert option["valueCoding"]["display"] == BY_KEY[spec.key].label(
                    option["valueCoding"]["code"]
                )
            if options:
                assert "initial" not in item  # que-11

    def test_fhir_enable_when_refers_to_earlier_items(self):
        """enableWhen reads an earlier item with '=' or '!=' and one fitting answer."""
        items = fhir_questions()
        seen: dict[str, dict] = {}
        for item in items:
            conditions = item.get("enableWhen", [])
            for cond in conditions:
                assert cond["question"] in seen
                assert cond["operator"] in ("=", "!=")
                answers = [k for k in cond if k.startswith("answer")]
                assert len(answers) == 1  # que-7
                target = seen[cond["question"]]
                if target["type"] == "boolean":
                    assert isinstance(cond["answerBoolean"], bool)
                else:
                    codes = [o["valueCoding"]["code"] for o in target["answerOption"]]
                    assert cond["answerCoding"]["code"] in codes
            if len(conditions) > 1:
                assert item["enableBehavior"] in ("all", "any")  # que-12
            else:
                assert "enableBehavior" not in item
            seen[item["linkId"]] = item

    def test_fhir_enable_when_matches_the_questionnaire(self):
        """The spinal red flags are enabled for back or both: two '=' joined by 'any'."""
        item = next(i for i in fhir_questions() if i["linkId"] == "saddle_numbness")
        assert item["enableBehavior"] == "any"
        assert {c["answerCoding"]["code"] for c in item["enableWhen"]} == {"back", "both"}
        assert "enableWhen" not in next(i for i in fhir_questions() if i["linkId"] == "fever")


def fhir_questions(questionnaire: dict | None = None) -> list[dict]:
    """The question items of the FHIR export in order, from inside its groups."""
    found: list[dict] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            if item["type"] == "group":
                walk(item["item"])
            elif item["type"] != "display":
                found.append(item)

    walk((questionnaire or to_fhir())["item"])
    return found


# --- rendering -------------------------------------------------------------------------

LONG = "a sentence that goes on and on " * 6


def fake_result(level: Level = Level.SELF_CARE) -> Result:
    exercise = PlanExercise(
        exercise_id="press_up_elbows",
        name="Press up on elbows",
        steps=("Lie face down with your elbows under your shoulders. " + LONG, "Relax the back."),
        dose=Dose(duration_minutes=(2, 3)),
        dose_text="2-3 min, 6-8 times a day",
        notes=("Stop if the pain spreads down the leg.",),
        replaces="couch_stretch",
    )
    phase = Phase(
        routine_id="mckenzie_emergency",
        title="Calm the pain first",
        step=1,
        frequency="6-8 times a day",
        move_on="when the leg pain has moved toward the back",
        exercises=(exercise,),
    )
    return Result(
        level=level,
        findings=frozenset({"pattern.sciatica"}),
        plan=(phase,) if level <= Level.SEE_DOCTOR else (),
        stop_if=(StopRule("press_up_spread", "pain spreads down the leg", "lie face down", "r"),),
        advice=("Sit less, move more. " + LONG,),
        unscreened=("fever",),
        reasons=(Reason("sciatica.pattern", "Pain travels below the knee", "why", "doc"),),
        left_out=(LeftOut("couch_stretch", "Couch stretch", "no couch at hand"),),
    )


class TestRender:
    def test_text_has_every_part(self):
        """Banner with meaning, why, plan with numbered steps and dose, left out, stop, advice."""
        text = render_text(fake_result())
        assert "SELF-CARE: The home routine below is appropriate." in text
        for words in (
            "WHY",
            "Pain travels below the knee",
            "Step 1: Calm the pain first",
            "1) Press up on elbows",
            "Dose: 2-3 min, 6-8 times a day",
            "1. Lie face down",
            "2. Relax the back.",
            "Couch stretch: no couch at hand",
            "Pain spreads down the leg. Lie face down.",
            "Sit less, move more.",
            "Fever, chills or feeling generally unwell with the pain.",
        ):
            assert words in text

    def test_emergency_banner_and_no_plan(self):
        """An emergency says what to do now and shows no exercises."""
        text = render_text(fake_result(Level.EMERGENCY))
        assert "EMERGENCY: Go to an emergency department now." in text.splitlines()[1]
        assert "YOUR PLAN" not in text

    def test_text_wraps_at_80_columns(self):
        """Long steps and advice wrap; no line is wider than 80 columns, coloured or not."""
        for color in (False, True):
            text = render_text(fake_result(), color=color)
            assert max(len(ANSI.sub("", line)) for line in text.splitlines()) <= 80
        assert max(len(x) for x in render_text(fake_result(), width=60).splitlines()) <= 60

    def test_colour_only_when_asked(self):
        """ANSI codes appear only with color=True."""
        assert "\x1b[" not in render_text(fake_result())
        assert "\x1b[" in render_text(fake_result(), color=True)

    def test_use_color_needs_a_terminal_and_no_NO_COLOR(self):
        """Colour on a terminal; never in a pipe; never with a non-empty NO_COLOR."""
        assert use_color(TTYStringIO(), {}) is True
        assert use_color(io.StringIO(), {}) is False
        assert use_color(TTYStringIO(), {"NO_COLOR": "1"}) is False
        assert use_color(TTYStringIO(), {"NO_COLOR": "0"}) is False

    def test_empty_NO_COLOR_counts_as_unset(self):
        """NO_COLOR= (empty) does not turn colour off, as no-color.org says."""
        assert use_color(TTYStringIO(), {"NO_COLOR": ""}) is True

    def test_TERM_dumb_means_no_colour(self):
        """A dumb terminal cannot show ANSI codes, so none are sent."""
        assert use_color(TTYStringIO(), {"TERM": "dumb"}) is False
        assert use_color(TTYStringIO(), {"TERM": "xterm-256color"}) is True

    def test_FORCE_COLOR_forces_colour_but_NO_COLOR_wins(self):
        """FORCE_COLOR colours even a pipe or a dumb terminal; NO_COLOR still turns it off."""
        assert use_color(io.StringIO(), {"FORCE_COLOR": "1"}) is True
        assert use_color(TTYStringIO(), {"FORCE_COLOR": "1", "TERM": "dumb"}) is True
        assert use_color(io.StringIO(), {"FORCE_COLOR": ""}) is False
        assert use_color(io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}) is False

    def test_cli_respects_NO_COLOR(self, tmp_path, monkeypatch):
        """On a terminal the banner is coloured unless NO_COLOR is set."""
        path = tmp_path / "a.json"
        path.write_text('{"area": "knee"}')
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm")
        out = TTYStringIO()
        run(["--answers", str(path)], stdout=out)
        assert "\x1b[" in out.getvalue()
        monkeypatch.setenv("NO_COLOR", "1")
        out = TTYStringIO()
        run(["--answers", str(path)], stdout=out)
        assert "\x1b[" not in out.getvalue()

    def test_json_is_to_dict(self):
        """JSON output is exactly json.dumps(result.to_dict())."""
        result = fake_result()
        assert render_json(result) == json.dumps(result.to_dict()) + "\n"

    def test_markdown(self):
        """Markdown has the level as the title and the plan as sections."""
        text = render_markdown(fake_result())
        assert text.startswith("# SELF-CARE: The home routine below is appropriate.\n")
        assert "### Step 1: Calm the pain first" in text
        assert "#### 1. Press up on elbows" in text
        assert "1. Lie face down" in text


# --- driving the prompter directly ----------------------------------------------------


def test_ask_all_calls_triage_after_every_answer():
    """The rules see the answers so far after each answer, and only contract values."""
    seen: list[dict[str, Any]] = []

    def triage(answers):
        seen.append(dict(answers))
        return Result(Level.SELF_CARE, frozenset(), (), (), (), (), ())

    prompter = Prompter(io.StringIO(KNEE), io.StringIO())
    answers, _ = ask_all(prompter, triage)
    assert answers == KNEE_ANSWERS
    assert len(seen) == len(KNEE.splitlines())
    assert seen[0] == {"area": "knee"}


class TestFhirValidation:
    def test_export_validates_against_the_fhir_questionnaire_model(self):
        """The fhir export parses as a FHIR Questionnaire with fhir.resources (R4B model)."""
        questionnaire = pytest.importorskip("fhir.resources.R4B.questionnaire")
        out = io.StringIO()
        assert main(["questions", "--format", "fhir"], stdout=out) == 0
        parsed = questionnaire.Questionnaire.model_validate(json.loads(out.getvalue()))
        assert parsed.status == "active"
        assert sorted(item["linkId"] for item in fhir_questions(parsed.model_dump())) == sorted(
            KEYS
        )
