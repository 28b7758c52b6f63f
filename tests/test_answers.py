"""Tests for painpath.Answers: the answer contract, enforced."""

from __future__ import annotations

import math
from collections import OrderedDict

import attrs
import pytest
from hypothesis import example, given

from painpath import AnswerProblem, Answers, InvalidAnswersError
from painpath import testing as strategies
from painpath._answers import coerce_answers
from painpath._contract import (
    DEFAULT_EQUIPMENT,
    KEYS,
    KNEE_RED_FLAG_KEYS,
    RED_FLAG_KEYS,
    SPINAL_RED_FLAG_KEYS,
)


def problems_of(data: object) -> list[str]:
    """Return the messages of the error that from_mapping raises for ``data``."""
    with pytest.raises(InvalidAnswersError) as info:
        Answers.from_mapping(data)  # type: ignore[arg-type]
    return [p.message for p in info.value.problems]


def only_problem(data: object) -> str:
    (message,) = problems_of(data)
    return message


def _shown(problems):
    return [(p.key, repr(p.value), p.message) for p in problems]


class TestShape:
    def test_one_attribute_per_contract_key_in_order(self):
        """Answers has exactly the contract's keys, in contract order."""
        assert tuple(attrs.fields_dict(Answers)) == tuple(KEYS)

    def test_only_area_is_required(self):
        """Every key but area defaults to None, meaning not asked."""
        answers = Answers(area="back")
        assert all(getattr(answers, key) is None for key in KEYS if key != "area")

    def test_frozen(self):
        """Answers cannot be changed after they are validated."""
        answers = Answers(area="back", age=40)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            answers.age = 400  # type: ignore[misc]

    def test_hashable_and_equal_by_value(self):
        """Two objects with the same answers are equal and hash alike."""
        first = Answers(area="knee", fever=False, equipment=["step", "chair"])
        second = Answers.from_mapping(
            {"area": "knee", "fever": False, "equipment": ["chair", "step"]}
        )
        assert first == second
        assert hash(first) == hash(second)

    def test_evolve_is_validated(self):
        """attrs.evolve goes through the same checks as the constructor."""
        answers = Answers(area="back", age=40)
        assert attrs.evolve(answers, age=41).age == 41
        with pytest.raises(InvalidAnswersError):
            attrs.evolve(answers, age=400)

    def test_repr_shows_only_asked_keys(self):
        """The repr lists what was answered and can be typed back in."""
        answers = Answers(area="back", fever=False)
        assert repr(answers) == "Answers(area='back', fever=False)"
        assert eval(repr(answers)) == answers

    def test_is_a_value_error(self):
        """Bad answers can be caught as ValueError."""
        with pytest.raises(ValueError):
            Answers.from_mapping({"area": "elbow"})


class TestBoolKeys:
    @pytest.mark.parametrize("value", ["yes", 1, 0, "True", 1.0, [True]])
    def test_non_bool_refused(self, value):
        """Only True and False are booleans; 'yes', 1 and 0 are not."""
        assert only_problem({"area": "back", "fever": value}) == (
            f"'fever' must be True or False (got {value!r})"
        )

    @pytest.mark.parametrize("value", [True, False])
    def test_real_bool_accepted(self, value):
        """True and False are accepted as they are."""
        assert Answers.from_mapping({"area": "back", "fever": value}).fever is value


class TestStrKeys:
    @pytest.mark.parametrize("value", ["below-knee", "Below_knee", " below_knee", "", 3, True])
    def test_bad_choice_refused(self, value):
        """Strings are matched exactly, lower case, as the contract writes them."""
        assert only_problem({"area": "back", "leg_pain": value}) == (
            "'leg_pain' must be one of 'none', 'buttock', 'above_knee', 'below_knee' "
            f"(got {value!r})"
        )

    def test_bad_area_refused(self):
        """An area outside back, knee and both is refused with the allowed list."""
        assert only_problem({"area": "elbow"}) == (
            "'area' must be one of 'back', 'knee', 'both' (got 'elbow')"
        )

    @pytest.mark.parametrize("value", KEYS["leg_weakness"].choices)
    def test_every_choice_accepted(self, value):
        """Each value the contract lists is accepted."""
        assert Answers.from_mapping({"area": "back", "leg_weakness": value}).leg_weakness == value


class TestIntKeys:
    @pytest.mark.parametrize("value", [-1, 121, 400])
    def test_out_of_range_refused(self, value):
        """Ages outside 0..120 are refused with the range."""
        assert only_problem({"area": "back", "age": value}) == (
            f"'age' must be a whole number in 0..120 (got {value!r})"
        )

    def test_huge_value_shown_short(self):
        """A huge value is cut short in the message."""
        message = only_problem({"area": "back", "age": 10**100})
        assert message.startswith("'age' must be a whole number in 0..120 (got 1000")
        assert len(message) < 120

    @pytest.mark.parametrize("value", [True, False, 40.0, "40", None])
    def test_wrong_type_refused(self, value):
        """Whole numbers must be int: not bool, not float, not text."""
        assert only_problem({"area": "back", "age": value}).startswith(
            "'age' must be a whole number in 0..120 (got "
        )

    @pytest.mark.parametrize(
        ("key", "low", "high"), [("pain_score", 0, 10), ("minutes_per_day", 5, 180)]
    )
    def test_bounds_are_inclusive(self, key, low, high):
        """Both ends of the range are allowed; one beyond is not."""
        assert getattr(Answers.from_mapping({"area": "knee", key: low}), key) == low
        assert getattr(Answers.from_mapping({"area": "knee", key: high}), key) == high
        assert problems_of({"area": "knee", key: low - 1, "age": 1})
        assert problems_of({"area": "knee", key: high + 1})


class TestFloatKeys:
    @pytest.mark.parametrize("value", [25, 25.5, 10, 80.0])
    def test_int_or_float_accepted(self, value):
        """bmi accepts whole and fractional numbers in range, stored as a float."""
        bmi = Answers.from_mapping({"area": "knee", "bmi": value}).bmi
        assert bmi == value
        assert isinstance(bmi, float)

    @pytest.mark.parametrize(
        "value", [math.nan, math.inf, -math.inf, True, 9.99, 80.01, "25", 10**400]
    )
    def test_bad_number_refused(self, value):
        """NaN, infinity, bool, text and numbers out of range are refused."""
        assert only_problem({"area": "knee", "bmi": value}).startswith(
            "'bmi' must be a number in 10..80 (got "
        )


class TestEquipment:
    def test_not_asked_means_default(self):
        """Left out, the equipment at hand is couch, pillow and chair."""
        answers = Answers(area="back")
        assert answers.available_equipment() == frozenset(DEFAULT_EQUIPMENT)
        assert not answers.is_asked("equipment")

    def test_empty_list_means_nothing(self):
        """An empty list says nothing is at hand, which is not the default."""
        assert Answers(area="back", equipment=[]).available_equipment() == frozenset()

    def test_stored_as_tuple_without_duplicates(self):
        """A list is stored as a tuple in contract order, duplicates collapsed."""
        answers = Answers.from_mapping({"area": "back", "equipment": ["step", "couch", "step"]})
        assert answers.equipment == ("couch", "step")
        assert answers.asked()["equipment"] == ["couch", "step"]

    def test_tuple_accepted(self):
        """A tuple is as good as a list."""
        assert Answers(area="back", equipment=("chair",)).equipment == ("chair",)

    def test_bare_string_refused(self):
        """A bare string is not a list of one item."""
        assert only_problem({"area": "back", "equipment": "couch"}) == (
            "'equipment' must be a list of 'couch', 'yoga_strap', 'foam_roller', "
            "'tennis_ball', 'resistance_band', 'pillow', 'chair', 'step' (got 'couch')"
        )

    def test_unknown_item_named(self):
        """An item outside the list is named in the message."""
        assert only_problem({"area": "back", "equipment": ["couch", "hammer"]}).endswith(
            "(got 'hammer' in ['couch', 'hammer'])"
        )

    @pytest.mark.parametrize("value", [{"couch"}, {"couch": True}, 3, None, [None]])
    def test_other_shapes_refused(self, value):
        """Sets, dicts, numbers and None are not equipment lists."""
        assert only_problem({"area": "back", "equipment": value}).startswith(
            "'equipment' must be a list of "
        )


class TestKeys:
    def test_unknown_key_did_you_mean(self):
        """A near miss of a real key gets a suggestion."""
        assert only_problem({"area": "back", "feverr": True}) == (
            "unknown key 'feverr' (did you mean 'fever'?)"
        )

    def test_unknown_key_case(self):
        """A key in the wrong case is refused and the right spelling suggested."""
        assert only_problem({"area": "back", "LEG_PAIN": "none"}) == (
            "unknown key 'LEG_PAIN' (did you mean 'leg_pain'?)"
        )

    def test_unknown_key_without_suggestion(self):
        """A key like no real one is refused without a suggestion."""
        assert only_problem({"area": "back", "zzz": 1}) == "unknown key 'zzz'"

    @pytest.mark.parametrize("key", [3, None, ("area",), b"area"])
    def test_non_string_key_refused(self, key):
        """Keys must be strings."""
        assert only_problem({"area": "back", key: True}) == (
            f"answer keys must be strings (got {key!r})"
        )

    def test_area_required(self):
        """Without an area there is nothing to triage."""
        assert only_problem({"age": 40}) == "'area' is required"

    def test_area_required_in_constructor(self):
        """The keyword constructor also reports a missing area as a problem."""
        with pytest.raises(InvalidAnswersError) as info:
            Answers(age=40)  # type: ignore[call-arg]
        assert [p.message for p in info.value.problems] == ["'area' is required"]

    def test_unknown_keyword_in_constructor(self):
        """The keyword constructor refuses an unknown keyword with InvalidAnswersError."""
        with pytest.raises(InvalidAnswersError) as info:
            Answers(area="back", feverr=True)  # type: ignore[call-arg]
        assert [p.message for p in info.value.problems] == [
            "unknown key 'feverr' (did you mean 'fever'?)"
        ]


SEVERAL_BAD = {"area": "back", "age": 400, "leg_pain": "below-knee", "fever": "yes", "feverr": True}
SEVERAL_EXPECTED = [
    "'age' must be a whole number in 0..120 (got 400)",
    "'fever' must be True or False (got 'yes')",
    "'leg_pain' must be one of 'none', 'buttock', 'above_knee', 'below_knee' (got 'below-knee')",
    "unknown key 'feverr' (did you mean 'fever'?)",
]


class TestSeveralProblems:
    def test_all_reported_together_from_mapping(self):
        """Every problem is reported at once, known keys in contract order first."""
        assert problems_of(SEVERAL_BAD) == SEVERAL_EXPECTED

    def test_all_reported_together_from_keywords(self):
        """The keyword constructor reports every problem too, not only the first."""
        with pytest.raises(InvalidAnswersError) as info:
            Answers(**SEVERAL_BAD)
        assert [p.message for p in info.value.problems] == SEVERAL_EXPECTED

    def test_problems_name_key_and_value(self):
        """Each problem carries the key and the value given."""
        with pytest.raises(InvalidAnswersError) as info:
            Answers.from_mapping({"area": "back", "age": 400, "fever": "yes"})
        assert info.value.problems[:2] == (
            AnswerProblem("age", 400, "'age' must be a whole number in 0..120 (got 400)"),
            AnswerProblem("fever", "yes", "'fever' must be True or False (got 'yes')"),
        )

    def test_message_lists_every_problem(self):
        """The error's text counts the problems and lists each one."""
        with pytest.raises(InvalidAnswersError, match="2 problems with the answers") as info:
            Answers.from_mapping({"age": 400})
        assert "'area' is required" in str(info.value)
        assert "(got 400)" in str(info.value)


class TestNone:
    def test_none_value_in_mapping_refused(self):
        """In a mapping, not asked is said by leaving the key out, not by None."""
        assert only_problem({"area": "back", "fever": None}) == (
            "'fever' must be True or False (got None; leave the key out for \"not asked\")"
        )

    def test_none_area_in_mapping(self):
        """A None area is a missing area."""
        assert only_problem({"area": None}) == "'area' is required"

    def test_none_keyword_means_not_asked(self):
        """In the keyword constructor None is the default: not asked."""
        answers = Answers(area="back", fever=None)
        assert answers == Answers(area="back")
        assert not answers.is_asked("fever")

    @pytest.mark.parametrize("data", [None, [("area", "back")], "area=back", 3, Answers])
    def test_non_mapping_refused(self, data):
        """Anything but a mapping is refused with InvalidAnswersError on key 'answers'."""
        with pytest.raises(InvalidAnswersError) as info:
            Answers.from_mapping(data)
        (problem,) = info.value.problems
        assert problem.key == "answers"
        assert problem.message.startswith("'answers' must be a mapping of key to answer (got ")


class TestAsked:
    def test_not_asked_and_false_stay_distinct(self):
        """False is an answer; a key left out is not."""
        answers = Answers(area="back", fever=False)
        assert answers.asked() == {"area": "back", "fever": False}
        assert answers.is_asked("fever")
        assert not answers.is_asked("cancer_history")

    def test_contract_order(self):
        """asked() lists keys in contract order, whatever order they came in."""
        data = OrderedDict([("minutes_per_day", 20), ("fever", True), ("area", "knee")])
        assert list(Answers.from_mapping(data).asked()) == ["area", "fever", "minutes_per_day"]

    def test_to_dict_is_json_ready(self):
        """to_dict() gives plain JSON data equal to asked()."""
        answers = Answers(area="back", equipment=["chair"], bmi=22)
        assert answers.to_dict() == {"area": "back", "bmi": 22.0, "equipment": ["chair"]}
        assert answers.to_dict() == answers.asked()

    def test_is_asked_unknown_key(self):
        """Asking about a key outside the contract is an error, not a silent False."""
        with pytest.raises(InvalidAnswersError, match="did you mean 'fever'"):
            Answers(area="back").is_asked("feverr")

    def test_fact_leaves_out_equipment(self):
        """fact() gives the scalar answers for the rules engine, without equipment."""
        answers = Answers(area="back", fever=False, equipment=["chair"], age=30)
        assert answers.fact() == {"area": "back", "age": 30, "fever": False}

    def test_round_trip(self):
        """from_mapping(a.asked()) gives back the same answers."""
        answers = Answers(area="both", age=50, leg_weakness="none", equipment=["step"], bmi=30.5)
        assert Answers.from_mapping(answers.asked()) == answers

    def test_from_mapping_returns_answers_as_is(self):
        """An Answers object passes through from_mapping and coerce_answers untouched."""
        answers = Answers(area="knee")
        assert Answers.from_mapping(answers) is answers
        assert coerce_answers(answers) is answers

    def test_coerce_answers_validates_mappings(self):
        """coerce_answers turns a mapping into Answers, or raises InvalidAnswersError."""
        assert coerce_answers({"area": "knee"}) == Answers(area="knee")
        with pytest.raises(InvalidAnswersError):
            coerce_answers({"area": "knee", "age": -1})


class TestUnscreened:
    def test_back_lists_every_red_flag_but_the_knee_ones(self):
        """For the back alone, every red flag left out but the calf is unscreened."""
        unscreened = Answers(area="back").unscreened()
        assert unscreened == tuple(k for k in RED_FLAG_KEYS if k not in KNEE_RED_FLAG_KEYS)
        assert {"sexual_dysfunction", "upper_back_pain", "pain_unchanged_by_position"} <= set(
            unscreened
        )

    def test_both_lists_every_red_flag(self):
        """Back and knee together call for every red flag."""
        assert Answers(area="both").unscreened() == RED_FLAG_KEYS

    def test_knee_leaves_out_spinal_flags(self):
        """For the knee alone the spinal red flags are not called for."""
        unscreened = Answers(area="knee").unscreened()
        assert not set(unscreened) & set(SPINAL_RED_FLAG_KEYS)
        assert set(unscreened) == set(RED_FLAG_KEYS) - set(SPINAL_RED_FLAG_KEYS)
        assert "calf_swelling" in unscreened

    def test_answered_flags_are_screened(self):
        """A red flag answered False is screened; only the ones left out are listed."""
        answers = Answers(area="back", fever=False, leg_weakness="none")
        assert "fever" not in answers.unscreened()
        assert "leg_weakness" not in answers.unscreened()
        assert "cancer_history" in answers.unscreened()

    def test_none_when_fully_screened(self):
        """Answering every red flag leaves nothing unscreened."""
        flags = {key: (False if KEYS[key].kind == "bool" else "none") for key in RED_FLAG_KEYS}
        assert Answers(area="back", **flags).unscreened() == ()


class TestVersion2Keys:
    def test_version_2_keys_are_in_the_contract(self):
        """The seven v2 keys are accepted, with the types the contract gives them."""
        answers = Answers.from_mapping(
            {
                "area": "both",
                "sexual_dysfunction": False,
                "upper_back_pain": True,
                "pain_unchanged_by_position": False,
                "calf_swelling": False,
                "first_episode": True,
                "previous_spinal_surgery": False,
                "start_date": "2026-03-02",
            }
        )
        assert answers.start_date == "2026-03-02"
        assert answers.to_dict()["upper_back_pain"] is True

    @pytest.mark.parametrize("day", ["2024-02-29", "2026-12-31", "0001-01-01", "9999-12-31"])
    def test_start_date_takes_real_iso_days(self, day):
        """Any real calendar day written YYYY-MM-DD is a start date."""
        assert Answers(area="back", start_date=day).start_date == day

    @pytest.mark.parametrize(
        "day",
        [
            "2026-02-29",  # not a leap year
            "2026-04-31",
            "2026-13-01",
            "0000-01-01",
            "20260301",  # other ISO spellings are not the contract's
            "2026-3-1",
            "2026-03-01T00:00",
            "2026-W10-1",
            " 2026-03-01",
            "\u0662\u0660\u0662\u0666-\u0660\u0663-\u0660\u0661",  # Arabic-Indic digits
            "today",
            20260301,
            True,
        ],
    )
    def test_start_date_refuses_anything_else(self, day):
        """A start date that is not YYYY-MM-DD, or names no day, is one clear error."""
        with pytest.raises(InvalidAnswersError) as caught:
            Answers.from_mapping({"area": "back", "start_date": day})
        (problem,) = caught.value.problems
        assert problem.key == "start_date"
        assert "YYYY-MM-DD" in problem.message
        assert repr(day)[:20] in problem.message

    @pytest.mark.parametrize(
        "key",
        [
            "sexual_dysfunction",
            "upper_back_pain",
            "pain_unchanged_by_position",
            "calf_swelling",
            "first_episode",
            "previous_spinal_surgery",
        ],
    )
    def test_new_yes_no_keys_refuse_strings(self, key):
        """The v2 yes/no keys take True or False, not "yes"."""
        with pytest.raises(InvalidAnswersError) as caught:
            Answers.from_mapping({"area": "both", key: "yes"})
        assert caught.value.problems[0].key == key


class TestProperties:
    @given(strategies.answers())
    def test_generated_answers_validate(self, data):
        """Every mapping the public strategies call valid is accepted: they agree with Answers."""
        answers = Answers.from_mapping(data)
        assert answers.area == data["area"]

    @given(strategies.full_answers())
    def test_full_answers_validate(self, data):
        """Fully answered questionnaires are accepted and leave nothing unscreened."""
        assert Answers.from_mapping(data).unscreened() == ()

    @given(strategies.invalid_answers())
    def test_invalid_answers_always_refused_cleanly(self, data):
        """Bad input of any kind raises InvalidAnswersError, never a raw TypeError or KeyError."""
        with pytest.raises(InvalidAnswersError) as info:
            Answers.from_mapping(data)
        assert info.value.problems
        assert all(isinstance(p.message, str) and p.message for p in info.value.problems)

    @given(strategies.invalid_answers())
    @example({"area": "knee", "bmi": math.nan})  # NaN is never equal to itself
    def test_keywords_and_mapping_agree(self, data):
        """The keyword constructor accepts and refuses exactly what from_mapping does."""
        keywords = {k: v for k, v in data.items() if isinstance(k, str) and v is not None}
        try:
            expected = Answers.from_mapping(keywords)
        except InvalidAnswersError as error:
            with pytest.raises(InvalidAnswersError) as info:
                Answers(**keywords)
            # Compared by repr: a refused NaN is never equal to itself.
            assert _shown(info.value.problems) == _shown(error.problems)
        else:
            assert Answers(**keywords) == expected

    @pytest.mark.parametrize("bmi", [math.nan, math.inf, -math.inf])
    def test_bmi_nan_and_infinity_are_refused_both_ways(self, bmi):
        """NaN and infinity are outside 10-80: both constructors refuse them alike."""
        with pytest.raises(InvalidAnswersError) as by_keywords:
            Answers(area="knee", bmi=bmi)
        with pytest.raises(InvalidAnswersError) as by_mapping:
            Answers.from_mapping({"area": "knee", "bmi": bmi})
        assert _shown(by_keywords.value.problems) == _shown(by_mapping.value.problems)
        assert [p.key for p in by_mapping.value.problems] == ["bmi"]

    @given(strategies.answers())
    def test_asked_round_trips(self, data):
        """asked() is a valid mapping that rebuilds equal answers."""
        answers = Answers.from_mapping(data)
        assert Answers.from_mapping(answers.asked()) == answers
        assert set(answers.asked()) == set(data)

    @given(strategies.answers())
    def test_not_asked_stays_not_asked(self, data):
        """Keys left out of the mapping are exactly the ones is_asked() denies."""
        answers = Answers.from_mapping(data)
        assert all(answers.is_asked(key) == (key in data) for key in KEYS)
