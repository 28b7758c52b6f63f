"""Results, errors and rule sets cross process boundaries (pickle, process pools)."""

from __future__ import annotations

import multiprocessing
import pickle
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import painpath
from painpath._samples import sample_answers

BAD = {"area": "elbow", "age": 500, "fever": "yes"}


def _triage_in_worker(answers: dict[str, object]) -> painpath.Result:
    return painpath.triage(answers)


def _triage_with(answers: dict[str, object], rules: painpath.RuleSet) -> str:
    return painpath.triage(answers, rules=rules).level.value


def _invalid() -> painpath.InvalidAnswersError:
    with pytest.raises(painpath.InvalidAnswersError) as caught:
        painpath.triage(BAD)
    return caught.value


class TestErrors:
    def test_invalid_answers_error_round_trips_with_its_problems(self):
        error = _invalid()
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is painpath.InvalidAnswersError
        assert back.problems == error.problems
        assert {p.key for p in back.problems} == {"area", "age", "fever"}
        assert str(back) == str(error)
        assert isinstance(back, ValueError)

    def test_rules_error_round_trips_with_its_problems(self, tmp_path: Path):
        (tmp_path / "broken.toml").write_text("[[rule]]\nid = 'X-1'\n")
        with pytest.raises(painpath.RulesError) as caught:
            painpath.load_rules(tmp_path)
        back = pickle.loads(pickle.dumps(caught.value))
        assert back.problems == caught.value.problems
        assert str(back) == str(caught.value)

    @pytest.mark.parametrize(
        "error",
        [
            painpath.CatalogError(["exercise 'x' is unknown"]),
            painpath.EngineError("the engine stopped"),
        ],
    )
    def test_every_painpath_error_round_trips(self, error: painpath.PainpathError):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert str(back) == str(error)
        assert getattr(back, "problems", None) == getattr(error, "problems", None)

    @pytest.mark.slow
    def test_a_process_pool_reports_a_bad_record_and_goes_on(self):
        """The first bad record used to break the pool ('str' has no attribute 'message')."""
        records = [{"area": "back"}, BAD, {"area": "knee", "knee_hot_red": True}]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            futures = [pool.submit(_triage_in_worker, r) for r in records]
            first = futures[0].result()
            with pytest.raises(painpath.InvalidAnswersError) as caught:
                futures[1].result()
            third = futures[2].result()
        assert first == painpath.triage(records[0])
        assert caught.value.problems == _invalid().problems
        assert third == painpath.triage(records[2])


class TestResults:
    def test_every_kind_of_result_round_trips(self):
        for answers in sample_answers(300, seed=12, red_flag_rate=0.3):
            result = painpath.triage(answers)
            back = pickle.loads(pickle.dumps(result))
            assert back == result
            assert back.to_dict() == result.to_dict()


class TestRuleSets:
    def test_the_shipped_rules_pickle_small_and_come_back_as_the_shipped_rules(self):
        rules = painpath.default_rules()
        data = pickle.dumps(rules)
        assert len(data) < 1000, "a rule set pickles as a reference, not its engine"
        assert pickle.loads(data) is rules

    def test_a_loaded_directory_reloads_on_the_other_side(self, tmp_path: Path):
        copy = shutil.copytree(painpath.default_rules().origin, tmp_path / "rules")
        rules = painpath.load_rules(copy)
        back = pickle.loads(pickle.dumps(rules))
        assert back.origin == rules.origin
        assert back.digest == rules.digest
        assert [r.id for r in back.rules] == [r.id for r in rules.rules]
        answers = {"area": "back", "bladder_or_bowel_change": True}
        assert painpath.triage(answers, rules=back) == painpath.triage(answers, rules=rules)

    def test_a_changed_rule_set_is_refused_clearly(self, tmp_path: Path):
        copy = shutil.copytree(painpath.default_rules().origin, tmp_path / "rules")
        data = pickle.dumps(painpath.load_rules(copy))
        first = sorted(Path(copy).glob("*.toml"))[0]
        first.write_text(first.read_text() + "\n# edited after the rule set was sent\n")
        with pytest.raises(painpath.RulesError) as caught:
            pickle.loads(data)
        message = str(caught.value)
        assert str(copy) in message
        assert "differ" in message

    def test_the_digest_follows_the_bytes_of_the_files(self, tmp_path: Path):
        copy = Path(shutil.copytree(painpath.default_rules().origin, tmp_path / "rules"))
        before = painpath.load_rules(copy).digest
        assert before == painpath.default_rules().digest
        assert len(before) == 64
        first = sorted(copy.glob("*.toml"))[0]
        first.write_text(first.read_text() + "\n")
        assert painpath.load_rules(copy).digest != before

    @pytest.mark.slow
    def test_a_rule_set_reaches_a_spawned_process(self, tmp_path: Path):
        copy = shutil.copytree(painpath.default_rules().origin, tmp_path / "rules")
        rules = painpath.load_rules(copy)
        answers = {"area": "back", "saddle_numbness": True}
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            level = pool.submit(_triage_with, answers, rules).result()
        assert level == painpath.triage(answers, rules=rules).level.value == "emergency"
