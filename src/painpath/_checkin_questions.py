"""The questions of the interactive check-in (``painpath checkin``), in asking order.

The warning signs of the person's area come first, every time; then the pain, the
sessions, and what the exercises did. Each question fills one check-in key of
``_checkin.CHECKIN_KEYS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._checkin import CHECKIN_KEYS, checkin_keys_for_area
from ._contract import KeySpec
from ._questionnaire import Choice, Question

__all__ = ["QUESTIONS", "WARNING_SIGNS", "asked"]


@dataclass(frozen=True)
class _CheckinQuestion(Question):
    """A check-in question: its key is a check-in key, not an answer key."""

    @property
    def spec(self) -> KeySpec:
        """Return the check-in contract entry of this question's key."""
        return CHECKIN_KEYS[self.key]


def _yes_no(key: str, text: str, help_text: str) -> _CheckinQuestion:
    return _CheckinQuestion(key, text, help_text)


_LEG = (
    Choice("none", "No pain in the leg"),
    Choice("buttock", "Buttock only"),
    Choice("above_knee", "Down the thigh, not past the knee"),
    Choice("below_knee", "Below the knee, into the calf or foot"),
)

#: Every check-in question, in asking order: warning signs first.
QUESTIONS: dict[str, _CheckinQuestion] = {
    q.key: q
    for q in (
        _yes_no(
            "bladder_or_bowel_change",
            "Since your last check-in, any new trouble passing urine, or loss of bladder or "
            "bowel control?",
            "Answer y for any new difficulty starting to pass urine, or any leaking you cannot "
            "control.",
        ),
        _yes_no(
            "saddle_numbness",
            "Any numbness around your genitals, back passage or inner thighs?",
            "The area that would touch a saddle.",
        ),
        _yes_no(
            "sexual_dysfunction",
            "Any new loss of sexual function or of feeling during sex?",
            "Only what is new since the pain began.",
        ),
        _CheckinQuestion(
            "leg_weakness",
            "Any weakness in a leg or foot?",
            "For example the foot slapping down, or a knee giving way from weakness.",
            choices=(
                Choice("none", "No weakness"),
                Choice("stable", "Some weakness, not getting worse"),
                Choice("worsening", "Weakness that is getting worse"),
            ),
        ),
        _yes_no("fever", "Any fever, chills, or feeling generally unwell?", "Since yesterday."),
        _yes_no("knee_hot_red", "Is the knee hot, red and swollen?", "All three together."),
        _yes_no(
            "calf_swelling",
            "Is a calf swollen, warm or tender, or one leg suddenly bigger than the other?",
            "A swollen calf can be a clot and needs a doctor today.",
        ),
        _yes_no(
            "knee_locking",
            "Does the knee catch, lock or fail to straighten?",
            "It gets stuck, or you cannot straighten it fully.",
        ),
        _yes_no(
            "knee_giving_way", "Does the knee give way under you?", "When you put weight on it."
        ),
        _CheckinQuestion(
            "pain_score",
            "Your pain right now, from 0 (none) to 10 (worst imaginable)?",
            "A whole number.",
            optional=True,
        ),
        _CheckinQuestion(
            "sessions_done",
            "How many sessions of your routine did you do since your last check-in?",
            "Count each time you did the routine, 0 if none.",
            optional=True,
        ),
        _CheckinQuestion(
            "pain_after_exercise",
            "How was the pain after exercising?",
            "Think of the last time you did the routine.",
            choices=(
                Choice("none", "No worse"),
                Choice("settled_within_an_hour", "Worse, but settled within an hour"),
                Choice("worse_next_morning", "Still worse the next morning"),
            ),
            optional=True,
        ),
        _CheckinQuestion(
            "press_up_response",
            "During the press-ups today, what did the pain do?",
            "Centralized: it moved out of the leg toward the middle of the back, or narrowed "
            "to one point.",
            choices=(
                Choice("not_tried", "Did not do them"),
                Choice("centralized", "Moved toward the middle of the back"),
                Choice("no_change", "No change"),
                Choice("peripheralized", "Spread further down the leg"),
            ),
            optional=True,
        ),
        _CheckinQuestion(
            "leg_pain",
            "How far down the leg does the pain go today?",
            "The furthest point you feel it.",
            choices=_LEG,
            optional=True,
        ),
        _CheckinQuestion(
            "leg_pain_trend",
            "Since your last check-in, is the leg pain better, the same or worse?",
            "Compare with the last time you checked in.",
            choices=(
                Choice("better", "Better"),
                Choice("same", "The same"),
                Choice("worse", "Worse"),
            ),
            optional=True,
        ),
        _yes_no(
            "doctor_cleared",
            "Has a doctor seen you about this pain and said the exercises are fine?",
            "Only if it happened since you started the program.",
        ),
    )
}

WARNING_SIGNS = (
    "bladder_or_bowel_change",
    "saddle_numbness",
    "sexual_dysfunction",
    "leg_weakness",
    "fever",
    "knee_hot_red",
    "calf_swelling",
)


def asked(area: str, doctor_open: bool) -> list[_CheckinQuestion]:
    """Return the questions for an area; ``doctor_cleared`` only while a doctor is advised."""
    keys = set(checkin_keys_for_area(area))
    order = [k for k in WARNING_SIGNS if k in keys]
    order += [k for k in QUESTIONS if k in keys and k not in order]
    if not doctor_open:
        order.remove("doctor_cleared")
    return [QUESTIONS[k] for k in order]
