"""The questionnaire, as data: one question per answer key of the contract.

This module is the single source for the ``painpath`` script, the generated
``docs/questionnaire.md`` and the exports (``painpath questions --format
json|fhir``). Each :class:`Question` names its contract key and carries the words a
person sees (text, help, choice labels), a default where one is sensible and the
condition on earlier answers under which it is asked.

Conditions are kept to what a FHIR R4 ``enableWhen`` can say: ``key = value``,
``key != value``, ``key in (values)`` (exported as several ``=`` joined by
``enableBehavior: any``; only on its own), and an AND of ``=``/``!=``. They are read
with FHIR's meaning for a missing answer: ``=`` and ``in`` are false, ``!=`` is true.

The type of each question (yes/no, one choice, several choices, a whole number, a
number) is not written here: it is the contract's ``kind``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ._contract import AREAS, CONTRACT_VERSION, DEFAULT_EQUIPMENT, KEYS, KeySpec

__all__ = [
    "QUESTIONNAIRE_URL",
    "QUESTIONS",
    "SECTIONS",
    "Choice",
    "Question",
    "Section",
    "When",
    "after_link_id",
    "coding_system",
    "fhir_group_link_ids",
    "iter_asked",
    "section_link_id",
    "to_json_data",
]

#: The canonical URL of the exported FHIR Questionnaire.
QUESTIONNAIRE_URL = "urn:painpath:questionnaire"

Op = Literal["=", "!=", "in"]


@dataclass(frozen=True)
class Choice:
    """One answer of a choice question: the contract value and the words shown."""

    value: str
    label: str


@dataclass(frozen=True)
class When:
    """One condition on an earlier answer: ``key op value``."""

    key: str
    op: Op
    value: str | bool | tuple[str, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """Say whether the condition holds, with FHIR's meaning for a missing answer."""
        if self.key not in answers:
            return self.op == "!="
        given = answers[self.key]
        if self.op == "in":
            assert isinstance(self.value, tuple)
            return given in self.value
        if self.op == "=":
            return bool(given == self.value)
        return bool(given != self.value)

    def values(self) -> tuple[str | bool, ...]:
        """Return the value(s) compared with, as a tuple."""
        return self.value if isinstance(self.value, tuple) else (self.value,)

    def describe(self) -> str:
        """Say the condition in words, for the docs."""
        words = " or ".join(_word(v) for v in self.values())
        verb = "is not" if self.op == "!=" else "is"
        return f"`{self.key}` {verb} {words}"


def _word(value: str | bool | int) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"`{value}`"


@dataclass(frozen=True)
class Question:
    """One question: the contract key it fills and how it is asked.

    ``default`` is what Enter gives (``None``: no default). ``optional`` questions
    may be skipped with Enter, which leaves the key out ("not asked"). ``when`` is
    an AND of conditions on earlier answers; empty means always asked.
    """

    key: str
    text: str
    help: str
    choices: tuple[Choice, ...] = ()
    default: str | bool | int | tuple[str, ...] | None = None
    optional: bool = False
    when: tuple[When, ...] = ()

    @property
    def spec(self) -> KeySpec:
        """Return the contract entry of this question's key."""
        return KEYS[self.key]

    @property
    def kind(self) -> str:
        """Return the contract kind: ``bool``, ``str``, ``int``, ``float`` or ``list``."""
        return self.spec.kind

    def is_asked(self, answers: Mapping[str, Any]) -> bool:
        """Say whether this question is asked, given the answers so far."""
        return all(w.holds(answers) for w in self.when)

    def label(self, value: object) -> str:
        """Return the words shown for one contract value of this question."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)


@dataclass(frozen=True)
class Section:
    """Questions asked together under one heading, in order."""

    title: str
    questions: tuple[Question, ...]


_LEG_PAIN = (When("leg_pain", "in", ("buttock", "above_knee", "below_knee")),)
_KNEE_INJURY = (When("knee_injury", "in", ("twist", "blow_or_fall")),)
_NOT_PREGNANT = (When("pregnant_or_postpartum", "!=", True),)


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(v, label) for v, label in pairs)


def _asked_by_area(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Give each question the area condition of its key, from the contract.

    Which keys each area asks is written once, in :attr:`KeySpec.areas`; here it
    becomes ``area in (...)`` on a question asked for some areas only, or
    ``area != x`` when other conditions join it (FHIR joins ``in`` with nothing).
    A question asked after an answer (``leg_pain in ...``) that is itself asked only
    for the same areas needs no area condition of its own.
    """
    out = []
    for section in sections:
        questions = []
        for q in section.questions:
            areas = q.spec.areas
            implied = any(
                w.op in ("=", "in") and KEYS[w.key].areas <= areas for w in q.when
            ) or any(w.key == "area" for w in q.when)
            if areas != set(AREAS) and not implied:
                if not q.when:
                    area = When("area", "in", tuple(a for a in AREAS if a in areas))
                else:
                    (left_out,) = (a for a in AREAS if a not in areas)
                    area = When("area", "!=", left_out)
                q = dataclasses.replace(q, when=(area, *q.when))
            questions.append(q)
        out.append(Section(section.title, tuple(questions)))
    return tuple(out)


_AS_WRITTEN: tuple[Section, ...] = (
    Section(
        "Where it hurts",
        (
            Question(
                "area",
                "Where is your main pain?",
                "Choose the place that bothers you most. Choose both if your low back "
                "and a knee both need attention.",
                _choices(
                    ("back", "Low back"),
                    ("knee", "Knee"),
                    ("both", "Both low back and knee"),
                ),
            ),
            Question(
                "onset",
                "How did this pain start?",
                "A serious accident is more than a small slip: for example a fall from a "
                "ladder or down stairs, a car or bike accident, or a hard blow in sport.",
                _choices(
                    ("sudden_no_injury", "Suddenly, without any injury"),
                    ("strain", "After lifting, an awkward movement or a small slip"),
                    ("gradual", "Slowly, over days or weeks"),
                    ("trauma", "After a serious accident, fall or hard blow"),
                ),
            ),
        ),
    ),
    Section(
        "Warning signs",
        (
            Question(
                "bladder_or_bowel_change",
                "Since this pain began, have you had new trouble starting to pass urine, "
                "or lost control of your bladder or bowels?",
                "For example: you cannot pee, you do not feel when your bladder is full, "
                "or urine or stool leaks without you meaning it to.",
            ),
            Question(
                "saddle_numbness",
                "Is there any numbness around your genitals, your bottom (anus) or "
                "your inner thighs?",
                "For example: toilet paper feels different when you wipe, or the skin "
                "between your legs feels numb, like after an injection at the dentist.",
            ),
            Question(
                "sexual_dysfunction",
                "Since this pain began, have you noticed a new loss of sexual function, "
                "or less feeling during sex?",
                "For example: new trouble getting or keeping an erection, or the genitals "
                "feeling numb or less sensitive than before. Answer no if nothing has "
                "changed or this does not apply to you.",
            ),
            Question(
                "leg_weakness",
                "Is a leg or a foot weak?",
                "Weak means the leg or foot does not do what you tell it: the foot drags "
                "or slaps when you walk, you cannot stand on your heels or toes, or the "
                "knee buckles. Pain on its own is not weakness.",
                _choices(
                    ("none", "No weakness"),
                    ("stable", "Yes, but it is not getting worse"),
                    ("worsening", "Yes, and it is getting worse"),
                ),
            ),
            Question(
                "fever",
                "Do you have a fever or chills, or feel generally unwell along with the pain?",
                "Answer yes if you have had a temperature, shivers or sweats, or feel ill "
                "in yourself, since the pain began.",
            ),
            Question(
                "unexplained_weight_loss",
                "Have you lost weight recently without trying?",
                "For example: your clothes have become loose over the last few months "
                "although you have not been dieting.",
            ),
            Question(
                "cancer_history",
                "Have you ever had cancer?",
                "Answer yes even if it was treated and cured long ago.",
            ),
            Question(
                "constant_night_pain",
                "At night, is the pain constant, with no position or rest that eases it?",
                "Pain that wakes you when you turn over but settles once you find a "
                "comfortable position does not count.",
            ),
            Question(
                "steroids_or_immunosuppressed",
                "Do you take steroid tablets long-term or medicines that weaken the "
                "immune system, do you have HIV, or do you inject drugs?",
                "For example: steroid tablets such as prednisolone taken for months, "
                "medicines after an organ transplant, or chemotherapy.",
            ),
            Question(
                "osteoporosis",
                "Have you been told you have osteoporosis (thin, weak bones)?",
                "Answer yes if a doctor or a bone scan has said your bones are thin.",
            ),
            Question(
                "upper_back_pain",
                "Do you also have pain higher up, in the middle or upper back, between or "
                "around the shoulder blades?",
                "Anywhere above the low back, from the bottom of the ribs up to the "
                "shoulder blades. Pain only in the neck does not count.",
            ),
            Question(
                "pain_unchanged_by_position",
                "Does the pain stay exactly the same whatever you do: moving, changing "
                "position or resting?",
                "Answer yes only if nothing at all makes it better or worse. Most back pain "
                "changes at least a little when you move, sit, stand or lie down.",
            ),
            Question(
                "calf_swelling",
                "Is one of your calves swollen, warm or tender, or has one leg suddenly "
                "become bigger than the other?",
                "Compare both lower legs: a calf that is puffy, warm to the touch or sore "
                "when pressed, or one leg that has swollen up over hours or days.",
            ),
        ),
    ),
    Section(
        "About you and the pain",
        (
            Question("age", "How old are you?", "Your age in whole years."),
            Question(
                "duration_weeks",
                "How many weeks has this bout of pain lasted? (0 if less than a week)",
                "Count from when this bout started. If the pain comes and goes, count "
                "from the start of the current bout.",
            ),
            Question(
                "pain_score",
                "How bad is the pain right now, from 0 (no pain) to 10 (the worst "
                "pain you can imagine)?",
                "Give one whole number for how it feels at this moment.",
            ),
            Question(
                "painful_side",
                "Which side hurts most?",
                "For a knee, this is which knee. Choose in the middle if the pain is "
                "along the spine.",
                _choices(
                    ("left", "Left"),
                    ("right", "Right"),
                    ("both", "Both sides the same"),
                    ("center", "In the middle"),
                ),
            ),
            Question(
                "dominant_side",
                "Which is your dominant side (the hand you write with)?",
                "Some stretches start on your non-dominant side.",
                _choices(("left", "Left"), ("right", "Right")),
                default="right",
            ),
        ),
    ),
    Section(
        "Your back",
        (
            # Asked first: later questions have the person lie down or try press-ups.
            Question(
                "pregnant_or_postpartum",
                "Are you pregnant, or have you given birth in the last 6 months?",
                "Exercises done lying face down, lying flat on the back for long, or "
                "working the stomach muscles hard are left out if you answer yes, and "
                "you will not be asked about press-ups lying face down. Answer no if "
                "this does not apply to you.",
            ),
            Question(
                "back_pain",
                "Where in your low back does it hurt?",
                "Choose the first answer if only your buttock or leg hurts.",
                _choices(
                    ("none", "My low back does not hurt"),
                    ("center", "In the middle"),
                    ("one_side", "On one side"),
                    ("both_sides", "On both sides"),
                ),
            ),
            Question(
                "first_episode",
                "Is this the first time you have had back pain like this?",
                "Answer no if you have had a similar bout of back pain before, even years ago.",
            ),
            Question(
                "previous_spinal_surgery",
                "Have you ever had an operation on your spine?",
                "For example a disc operation, a spinal fusion, or surgery to take "
                "pressure off a nerve, at any time in the past.",
            ),
            Question(
                "leg_pain",
                "How far down does the pain travel?",
                "Choose the lowest place the pain reaches.",
                _choices(
                    ("none", "It stays in the back"),
                    ("buttock", "Into the buttock"),
                    ("above_knee", "Into the thigh, but not below the knee"),
                    ("below_knee", "Below the knee, into the calf or foot"),
                ),
            ),
            Question(
                "leg_pain_sides",
                "Is the pain in one leg or in both legs?",
                "Both means each leg hurts, even if one is worse.",
                _choices(("one", "One leg"), ("both", "Both legs")),
                when=_LEG_PAIN,
            ),
            Question(
                "leg_numbness_or_tingling",
                "Do you have pins and needles or numbness in a leg?",
                "Tingling, prickling or a numb patch anywhere in the leg or foot.",
            ),
            Question(
                "bending_forward_hurts",
                "Does even a small bend forward hurt?",
                "For example leaning over the sink to brush your teeth.",
            ),
            Question(
                "sitting_hurts",
                "Does sitting hurt within a few minutes?",
                "Answer yes if you need to get up from a chair after a few minutes "
                "because of the pain.",
            ),
            Question(
                "cough_sneeze_worse",
                "Does coughing or sneezing make the pain worse?",
                "Answer yes if a cough or sneeze sends a jolt of pain through the back or leg.",
            ),
            Question(
                "hard_to_stand_up",
                "Is it hard to stand up from sitting, or to get up from lying down?",
                "Answer yes if you need your hands or several tries to get up.",
            ),
            Question(
                "keeps_shifting_position",
                "Do you keep changing position to get comfortable?",
                "For example shifting in your chair or turning often in bed.",
            ),
            Question(
                "tender_dimple",
                "Is one side tender when you press the bony bump or dimple at the back "
                "of your pelvis?",
                "The dimples sit on either side of the base of the spine, just above the "
                "buttocks. Press each side gently with a thumb.",
            ),
            Question(
                "groin_or_front_thigh_pain",
                "Do you also have pain in the groin or the front of the thigh?",
                "The groin is the crease where the thigh meets the body.",
            ),
            Question(
                "spasm",
                "Is your back in spasm: hard to stand up straight, and even tying your "
                "shoes hurts?",
                "Spasm is the back locking tight so that you are stuck bent or leaning.",
            ),
            Question(
                "thigh_to_chest_hurts",
                "Lying on your back, does the pain increase when you pull a thigh toward "
                "your chest?",
                "Try each leg gently. Answer yes if either side makes the pain worse.",
            ),
            Question(
                "press_up_response",
                "If you have tried press-ups lying face down (pushing your chest up with "
                "your arms while your hips stay down), what happened to the pain?",
                "Choose not tried if you have not done them. Moving toward the middle means "
                "the pain left the leg, or shrank to one spot in the back.",
                _choices(
                    ("not_tried", "I have not tried them"),
                    ("centralized", "It moved out of the leg toward the middle of the back"),
                    ("no_change", "Nothing changed"),
                    ("peripheralized", "It spread further down the leg"),
                ),
                default="not_tried",
                when=_NOT_PREGNANT,
            ),
            Question(
                "leg_pain_trend",
                "Over the last few days, has the leg pain got better, stayed the same, "
                "or got worse?",
                "Compare today with two or three days ago.",
                _choices(("better", "Better"), ("same", "The same"), ("worse", "Worse")),
                when=_LEG_PAIN,
            ),
        ),
    ),
    Section(
        "Your knee",
        (
            Question(
                "knee_pain_location",
                "Where in the knee does it hurt?",
                "The inside is the side facing your other knee.",
                _choices(
                    ("inside", "On the inside"),
                    ("outside", "On the outside"),
                    ("front", "At the front, around or under the kneecap"),
                    ("back", "At the back of the knee"),
                    ("whole", "All over"),
                ),
            ),
            Question(
                "knee_injury",
                "Did the knee pain start with an injury?",
                "A twist is the knee turning while the foot stays put; a blow or fall is "
                "a knock to the knee or landing on it.",
                _choices(
                    ("none", "No injury"),
                    ("twist", "Yes, a twist"),
                    ("blow_or_fall", "Yes, a blow or a fall"),
                ),
            ),
            Question(
                "knee_can_bear_weight",
                "Can you take four steps on that leg? Limping is fine.",
                "Four steps, two on each leg, without help. Answer no if you could not "
                "take them straight after the injury or cannot now.",
                when=_KNEE_INJURY,
            ),
            Question(
                "knee_can_bend_90",
                "Can you bend the knee to a right angle, as when sitting on a chair?",
                "A right angle is 90 degrees: the lower leg straight down from the thigh.",
                when=_KNEE_INJURY,
            ),
            Question(
                "knee_swelling",
                "Is the knee swollen?",
                "Compare it with the other knee.",
                _choices(
                    ("none", "No swelling"),
                    ("gradual", "Yes, it swelled slowly"),
                    ("rapid", "Yes, it swelled within about two hours of an injury"),
                ),
            ),
            Question(
                "knee_locking",
                "Does the knee catch or lock, or can you not straighten it fully?",
                "Locking is the knee getting stuck and needing to be wiggled free.",
            ),
            Question(
                "knee_giving_way",
                "Does the knee give way when you put weight on it?",
                "Giving way is the knee suddenly buckling under you.",
            ),
            Question(
                "knee_hot_red",
                "Is the knee hot, red and swollen?",
                "Compare the skin over both knees with the back of your hand.",
            ),
            Question(
                "bmi",
                "What is your body mass index (BMI), if you know it?",
                "BMI is your weight in kilograms divided by your height in metres, "
                "squared. Press Enter to skip.",
                optional=True,
            ),
        ),
    ),
    Section(
        "Your routine",
        (
            Question(
                "equipment",
                "Which of these do you have at hand?",
                "Exercises that need something you do not have are swapped for another "
                "or left out.",
                _choices(
                    ("couch", "A couch or sofa"),
                    ("yoga_strap", "A yoga strap"),
                    ("foam_roller", "A foam roller"),
                    ("tennis_ball", "A tennis ball"),
                    ("resistance_band", "A resistance band"),
                    ("pillow", "A pillow"),
                    ("chair", "A chair"),
                    ("step", "A step or stair"),
                ),
                default=DEFAULT_EQUIPMENT,
            ),
            Question(
                "minutes_per_day",
                "How many minutes a day can you give to the routine?",
                "The plan is cut to fit, dropping the least important exercises first. "
                "Press Enter if you have no limit.",
                optional=True,
            ),
            Question(
                "start_date",
                "On which day will you start the 21-day program? (year-month-day)",
                "Type the date as year-month-day, for example 2026-03-01. Press Enter to "
                "skip: the days are then numbered 1 to 21 without dates.",
                optional=True,
            ),
        ),
    ),
)
#: The sections, each question with the area condition of its key.
SECTIONS: tuple[Section, ...] = _asked_by_area(_AS_WRITTEN)

#: Every question, in the order asked.
QUESTIONS: tuple[Question, ...] = tuple(q for s in SECTIONS for q in s.questions)
BY_KEY: Mapping[str, Question] = {q.key: q for q in QUESTIONS}


def iter_asked(answers: Mapping[str, Any]) -> Iterator[tuple[Section, Question]]:
    """Yield the questions still to ask, in order, reading ``answers`` as it grows.

    A question whose key is already answered is skipped.
    """
    for section in SECTIONS:
        for question in section.questions:
            if question.key not in answers and question.is_asked(answers):
                yield section, question


# --- exports ---------------------------------------------------------------------------


def coding_system(key: str) -> str:
    """Return the FHIR code system of a question's choices (``urn:painpath:questionnaire:KEY``)."""
    return f"{QUESTIONNAIRE_URL}:{key}"


def to_json_data() -> dict[str, Any]:
    """Return the questionnaire as plain data: sections, questions, choices, conditions."""
    return {
        "contract_version": CONTRACT_VERSION,
        "sections": [
            {
                "title": s.title,
                "questions": [
                    {
                        "key": q.key,
                        "text": q.text,
                        "help": q.help,
                        "type": q.kind,
                        "choices": [{"value": c.value, "label": c.label} for c in q.choices],
                        "low": q.spec.low,
                        "high": q.spec.high,
                        "default": list(q.default) if isinstance(q.default, tuple) else q.default,
                        "optional": q.optional,
                        "when": [
                            {
                                "key": w.key,
                                "op": w.op,
                                "value": list(w.value) if isinstance(w.value, tuple) else w.value,
                            }
                            for w in q.when
                        ],
                    }
                    for q in s.questions
                ],
            }
            for s in SECTIONS
        ],
    }


def fhir_group_link_ids() -> frozenset[str]:
    """Return the ``linkId`` of every group the FHIR export may hold (any rule set)."""
    ids = {section_link_id(s) for s in SECTIONS}
    ids.update(after_link_id(q.key) for q in QUESTIONS)
    return frozenset(ids)


def section_link_id(section: Section) -> str:
    """Return the ``linkId`` of a section's group in the FHIR export."""
    return "group:" + "-".join(section.title.lower().split())


def after_link_id(key: str) -> str:
    """Return the ``linkId`` of the group after a question that can mean an emergency."""
    return f"group:after-{key}"
