"""What the script shows a person: the cause first when a doctor is needed, nothing twice."""

from __future__ import annotations

import json

import painpath
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
