"""What the script shows a person: the cause first when a doctor is needed, nothing twice."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

import painpath
from painpath import testing
from painpath._html import render_html
from painpath._render import render_markdown, render_text

EMERGENCY = {"area": "back", "bladder_or_bowel_change": True, "leg_pain": "none"}
PARTLY_SCREENED = {"area": "back", "leg_pain": "none", "fever": False}


class TestEmergencyScreen:
    def test_only_the_red_flag_is_given_as_the_reason(self):
        """At emergency, "Why" names the red flag, not the back pattern or plan rules."""
        text = render_text(painpath.triage(EMERGENCY))
        why = text.split("WHY", 1)[1].split("ADVICE", 1)[0]
        assert "cauda equina" in why
        assert "21-day" not in why and "Back pain without" not in why

    def test_no_left_out_or_not_asked_sections(self):
        """At emergency the screen goes straight to what to do: no plan details."""
        result = painpath.triage(EMERGENCY)
        assert result.left_out and result.unscreened  # the data is still in the result
        for text in (render_text(result), render_markdown(result)):
            assert "LEFT OUT" not in text and "Left out" not in text
            assert "NOT ASKED" not in text and "Not asked" not in text
            assert "Go to an emergency department now" in text

    def test_json_keeps_every_reason(self):
        """The JSON form is the whole result: every reason, left out and unscreened key."""
        result = painpath.triage(EMERGENCY)
        data = json.loads(json.dumps(result.to_dict()))
        assert len(data["reasons"]) == len(result.reasons) > 1
        assert data["unscreened"] == list(result.unscreened)


class TestUnscreened:
    def test_said_once_in_plain_words(self):
        """Unasked red flags are listed once, in the "Not asked" section, in plain words."""
        result = painpath.triage(PARTLY_SCREENED)
        assert any(line.startswith("Not screened:") for line in result.advice)
        text = render_text(result)
        assert "NOT ASKED" in text
        assert "Not screened:" not in text
        assert "If you have thin bones (osteoporosis), book an appointment" in text
        assert text.count("osteoporosis") == 1


SCIATICA = {
    "area": "back",
    "leg_pain": "below_knee",
    "leg_pain_sides": "one",
    "cough_sneeze_worse": True,
    "sitting_hurts": True,
}
RULE_ID = re.compile(r"\b[A-Z]{2}-\d{3}\b")
_VARIED = (
    "area",
    "equipment",
    "minutes_per_day",
    "painful_side",
    "dominant_side",
    "start_date",
    "back_pain",
    "onset",
    "duration_weeks",
    "thigh_to_chest_hurts",
    "tender_dimple",
    "hard_to_stand_up",
    "first_episode",
    "bending_forward_hurts",
    "pain_score",
    "age",
    "press_up_response",
    "leg_pain_trend",
)
sciatica_answers = st.fixed_dictionaries(
    {}, optional={key: testing.values_for(key) for key in _VARIED}
).map(lambda drawn: {**SCIATICA, **drawn})
"""Sciatica with varied other answers: mostly press-ups first and stage 2 waiting."""


def _flat(text: str) -> str:
    """The text with its wrapping undone, to find a phrase that spans lines."""
    return " ".join(text.replace("*", "").split())


class TestLockedStages:
    """A stage that has not started yet is shown with what it brings and when it starts,
    in the terminal text and the Markdown as on the handout, so the person knows more is
    coming and what."""

    def test_sciatica_shows_stage_two_waiting_with_its_exercises(self):
        """Stage 1 press-ups now; stage 2's routines, each with its exercises, later."""
        result = painpath.triage(SCIATICA)
        locked = result.program[0].locked
        assert locked
        phases = {p.routine_id: p for p in result.plan}
        for text in (render_text(result, width=100), render_markdown(result)):
            flat = _flat(text)
            for stage in locked:
                names = ", ".join(e.name for e in phases[stage.routine_id].exercises)
                assert f"{stage.title} Starts: {stage.starts} Exercises: {names}." in flat

    def test_the_text_block_reads_as_a_block(self):
        """In the terminal, the exercises line hangs under its label, like "Starts:"."""
        text = render_text(painpath.triage(SCIATICA))
        block = text.split("Stage 2a: Reverse sciatica routine\n", 1)[1].split("\n\n", 1)[0]
        lines = block.splitlines()
        assert lines[0].startswith("  Starts: ")
        exercises = [i for i, line in enumerate(lines) if line.startswith("  Exercises: ")]
        assert exercises and all(
            line.startswith(" " * len("  Exercises: ")) for line in lines[exercises[0] + 1 :]
        )

    def test_the_glance_names_the_waiting_stages_once_per_start(self):
        """Each week of the glance says once when the waiting stages start, with no
        parentheses inside parentheses."""
        result = painpath.triage(SCIATICA)
        starts = result.program[0].locked[0].starts
        for text in (render_text(result, width=100), render_markdown(result)):
            low = text.lower()
            begin = low.index("21 days at a glance")
            glance = _flat(text[begin : low.index("left out", begin)])
            assert glance.count(f"Stages 2a and 2b start {starts}") == 3
            assert "((" not in glance and "))" not in glance

    @settings(max_examples=80, deadline=None)
    @given(testing.answers() | testing.full_answers() | sciatica_answers)
    def test_every_locked_stage_is_shown_with_what_it_brings(self, answers):
        """For any answers: each stage locked on day 1 is named in text and Markdown with
        when it starts and every exercise it brings; no rule id is shown (nor on the
        handout)."""
        result = painpath.triage(answers)
        text, markdown = render_text(result, width=100), render_markdown(result)
        for shown in (text, markdown, render_html(result)):
            assert not RULE_ID.search(shown)
        if not result.program:
            return
        phases = {p.routine_id: p for p in result.plan}
        for stage in result.program[0].locked:
            names = [e.name for e in phases[stage.routine_id].exercises]
            for shown in (_flat(text), _flat(markdown)):
                assert f"{stage.title} Starts: {stage.starts}" in shown
                assert f"Exercises: {', '.join(names)}." in shown
