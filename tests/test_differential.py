"""Both engines fire exactly the same rules, in the same strata, for the same answers.

durable-rules (the default) and the Python engine compile the same parsed rules in
two unrelated ways: forward chaining with gate facts in a C engine, and one generated
Python function run stratum by stratum. Agreement on every vignette written in
``tests/``, on the sample answers and on 20,000 hypothesis examples is what lets
either stand in for the other.
A longer run: ``python benchmarks/differential.py --n 1000000``.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painpath
from painpath import testing
from painpath._rules import default_rules_path
from painpath._samples import sample_answers

TESTS = Path(__file__).parent


@pytest.fixture(scope="module")
def engines() -> tuple[painpath.RuleSet, painpath.RuleSet]:
    path = default_rules_path()
    return painpath.load_rules(path), painpath.load_rules(path, engine="python")


def fired(rules: painpath.RuleSet, answers: object) -> list[tuple[int, str]]:
    """The rules that fired, each with its stratum, in stratum order."""
    fact = painpath.Answers.from_mapping(answers).fact()  # type: ignore[arg-type]
    return sorted((rules.strata[rid], rid) for rid in rules.fired_ids(fact))


def vignettes() -> list[dict[str, object]]:
    """Every answers mapping written as a literal in the tests (valid ones only)."""
    found: dict[str, dict[str, object]] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            try:
                value = ast.literal_eval(node)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            if not isinstance(value, dict) or "area" not in value:
                continue
            try:
                painpath.Answers.from_mapping(value)
            except painpath.InvalidAnswersError:
                continue
            found[repr(sorted(value.items(), key=repr))] = value
    return list(found.values())


VIGNETTES = vignettes()


def test_the_tests_hold_many_vignettes():
    """A guard on the guard: the vignette harvest finds the tests' answers."""
    assert len(VIGNETTES) >= 80, len(VIGNETTES)


def test_every_vignette_fires_the_same_rules(engines):
    """Every answers literal of the test suite: same fired rules, same strata, same result."""
    durable, python = engines
    differ = [
        v
        for v in VIGNETTES
        if fired(durable, v) != fired(python, v)
        or painpath.triage(v, rules=durable) != painpath.triage(v, rules=python)
    ]
    assert not differ, differ[:5]


@pytest.mark.parametrize(
    "options",
    [
        {"count": 5_000, "seed": 0},
        {"count": 3_000, "seed": 2026, "answered": 0.55, "true_rate": 0.35, "red_flag_rate": 0.03},
        {"count": 3_000, "seed": 7, "answered": 0.9, "true_rate": 0.5},
        {"count": 3_000, "seed": 11, "answered": 0.3, "true_rate": 0.1, "red_flag_rate": 0.0},
    ],
    ids=["default", "benchmark-mix", "dense", "sparse"],
)
def test_every_sample_fires_the_same_rules(engines, options):
    """The reproducible samples of painpath._samples (those the benchmarks and tests use)."""
    durable, python = engines
    count = options.pop("count")
    samples = sample_answers(count, **options)
    differ = [s for s in samples if fired(durable, s) != fired(python, s)]
    assert not differ, (len(differ), differ[:3])


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(answers=testing.answers() | testing.full_answers() | testing.with_raised_red_flag())
def test_the_testing_strategies_fire_the_same_rules(engines, answers):
    """painpath.testing's own strategies: partial, full and red-flag answers for every area."""
    durable, python = engines
    assert fired(durable, answers) == fired(python, answers)


def _bounds() -> dict[str, list[float]]:
    """Each numeric key's interesting values: its limits and every rule threshold, +-1 step."""
    from painpath._conditions import AnswerTest, walk
    from painpath._contract import KEYS

    out: dict[str, set[float]] = {}
    for key, spec in KEYS.items():
        if spec.kind in ("int", "float"):
            out[key] = {spec.low or 0, spec.high or 0}
    for rule in painpath.default_rules().rules:
        for part in walk(rule.when):
            if isinstance(part, AnswerTest) and part.op in ("range", "in", "not_in"):
                if KEYS[part.key].kind not in ("int", "float"):
                    continue
                step = 1 if KEYS[part.key].kind == "int" else 0.1
                values = [b for _, b in part.value] if part.op == "range" else part.value
                for b in values:
                    out[part.key].update({b - step, b, b + step})
    return {
        key: sorted(v for v in values if KEYS[key].low <= v <= KEYS[key].high)  # type: ignore[operator]
        for key, values in out.items()
    }


BOUNDS = _bounds()


def _decode(data: bytes) -> dict[str, object]:
    """Valid answers from bytes: each key takes two bytes (asked or not, then which value).

    One draw per example keeps 20,000 examples within seconds, while hypothesis still
    explores and shrinks them (towards "not asked" and the first value).
    """
    from painpath._contract import AREAS, KEYS

    answers: dict[str, object] = {"area": AREAS[data[0] % 3]}
    for n, (key, spec) in enumerate(KEYS.items()):
        if key == "area":
            continue
        ask, pick = data[2 * n], data[2 * n + 1]
        if ask % 3 == 0:
            continue
        if spec.kind == "bool":
            answers[key] = bool(pick % 2)
        elif spec.kind == "str":
            answers[key] = spec.choices[pick % len(spec.choices)]
        elif spec.kind == "list":
            answers[key] = [c for i, c in enumerate(spec.choices) if pick >> (i % 8) & 1]
        elif spec.kind in ("int", "float"):
            values = BOUNDS[key]
            if pick < 200:
                value: float = values[pick % len(values)]
            else:
                low, high = spec.low or 0, spec.high or 0
                value = low + (high - low) * (pick - 200) / 55
            answers[key] = int(value) if spec.kind == "int" else round(float(value), 1)
    return answers


def _answers_bytes() -> st.SearchStrategy[dict[str, object]]:
    from painpath._contract import KEYS

    size = 2 * len(KEYS)
    return st.binary(min_size=size, max_size=size).map(_decode)


@settings(
    max_examples=20_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(answers=_answers_bytes())
def test_twenty_thousand_hypothesis_examples_fire_the_same_rules(engines, answers):
    """20,000 hypothesis examples over every key, numeric values at every rule threshold."""
    durable, python = engines
    assert fired(durable, answers) == fired(python, answers)


# --- rule sets made up by hypothesis: the engines' semantics, not only the shipped rules --

FINDINGS = ("x.a", "x.b", "x.c")
LEAVES = st.sampled_from(
    [
        "{ fever = true }",
        "{ fever = { asked = false } }",
        '{ leg_pain = ["below_knee", "above_knee"] }',
        '{ leg_pain = { not = "none" } }',
        "{ age = { gte = 50 } }",
        "{ age = { lt = 30, gte = 18 } }",
        "{ bmi = { gt = 30 } }",
        "{ spasm = false }",
        *(f'{{ finding = "{f}" }}' for f in FINDINGS),
        '{ level = "see_doctor" }',
        '{ level = { at_least = "urgent" } }',
        '{ level = "self_care" }',
    ]
)


def _combine(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    lists = st.lists(parts, min_size=1, max_size=3)
    return st.one_of(
        lists.map(lambda xs: f"{{ all = [{', '.join(xs)}] }}"),
        lists.map(lambda xs: f"{{ any = [{', '.join(xs)}] }}"),
        parts.map(lambda x: f"{{ not = {x} }}"),
        lists.flatmap(
            lambda xs: st.integers(1, len(xs)).map(
                lambda k: f"{{ at_least = {k}, of = [{', '.join(xs)}] }}"
            )
        ),
    )


CONDITIONS = st.recursive(LEAVES, _combine, max_leaves=6)
OUTCOMES = st.sampled_from(
    [
        'finding = "x.a"',
        'finding = "x.b"',
        'finding = "x.c"',
        'level = "see_doctor"',
        'level = "urgent"',
        'advice = ["a"]',
    ]
)


def _rule_file(rules: list[tuple[str, str]]) -> str:
    head = "".join(f'[[finding]]\nid = "{f}"\nmeaning = "m"\n\n' for f in FINDINGS) + "".join(
        f'[[rule]]\nid = "F-{f[-1]}"\ntitle = "t"\nrationale = "r"\nsource = "s"\n'
        f'finding = "{f}"\nwhen = {{ spasm = true }}\n\n'
        for f in FINDINGS[:1]
    )
    body = "".join(
        textwrap.dedent(
            f"""
            [[rule]]
            id = "H-{i}"
            title = "t"
            rationale = "r"
            source = "s"
            {outcome}
            when = {when}
            """
        )
        for i, (when, outcome) in enumerate(rules)
    )
    return head + body


@settings(max_examples=60, deadline=None, database=None)
@given(
    rules=st.lists(st.tuples(CONDITIONS, OUTCOMES), min_size=1, max_size=6),
    samples=st.lists(testing.answers(area="back"), min_size=5, max_size=5),
)
def test_made_up_rule_sets_fire_the_same_rules(tmp_path_factory, rules, samples):
    """Random rule sets (findings, levels, not, at_least, chains): both engines agree.

    A rule set with a cycle through 'not' is refused by both alike; one too large for
    durable-rules is refused by it alone.
    """
    directory = tmp_path_factory.mktemp("made_up")
    (directory / "r.toml").write_text(_rule_file(rules), encoding="utf-8")
    try:
        durable = painpath.load_rules(directory)
    except painpath.RulesError as error:
        if "too large" in str(error):  # durable's own limit; the Python engine has none
            return
        with pytest.raises(painpath.RulesError) as other:
            painpath.load_rules(directory, engine="python")
        assert other.value.problems == error.problems
        return
    python = painpath.load_rules(directory, engine="python")
    for answers in [*samples, {"area": "back", "spasm": True, "fever": True, "age": 60}]:
        assert fired(durable, answers) == fired(python, answers), answers


def test_batch_engine_option_gives_the_same_output(tmp_path):
    """`painpath batch --engine python` writes exactly what the default engine writes."""
    import json
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    records = sample_answers(300, seed=21, answered=0.6, true_rate=0.3, red_flag_rate=0.05)
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    script = Path(sys.executable).parent / "painpath"
    outputs = {}
    for engine in ("durable", "python"):
        target = tmp_path / f"{engine}.jsonl"
        done = subprocess.run(
            [str(script), "batch", str(source), str(target), "--workers", "2", "--engine", engine],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        outputs[engine] = target.read_text(encoding="utf-8")
    assert outputs["durable"].count("\n") == len(records)
    assert outputs["durable"] == outputs["python"]


_OVERLAPS = [
    '{ all = [{ finding = "x.a" }, { not = { finding = "x.a" } }] }',
    '{ all = [{ level = { at_least = "see_doctor" } }, '
    '{ not = { level = { at_least = "urgent" } } }] }',
    '{ all = [{ level = { at_least = "urgent" } }, '
    '{ not = { level = { at_least = "see_doctor" } } }] }',
    '{ all = [{ level = "see_doctor" }, { level = { at_least = "see_doctor" } }] }',
    '{ all = [{ level = "urgent" }, { level = "see_doctor" }] }',
    '{ all = [{ level = "urgent" }, { not = { level = "urgent" } }] }',
]


@pytest.mark.parametrize("when", _OVERLAPS)
def test_a_condition_whose_tests_overlap_means_the_same_on_both_engines(tmp_path, when):
    """durable-rules binds each fact to one pattern; overlapping tests must not slip past it.

    Found by the made-up rule sets: "finding x and not finding x" fired on durable-rules
    once x was found, because its one fact was bound by the positive pattern.
    """
    rules = [
        ("{ spasm = true }", 'level = "urgent"'),
        ("{ fever = true }", 'level = "see_doctor"'),
        (when, 'finding = "x.b"'),
    ]
    (tmp_path / "r.toml").write_text(_rule_file(rules), encoding="utf-8")
    durable = painpath.load_rules(tmp_path)
    python = painpath.load_rules(tmp_path, engine="python")
    for spasm in (True, False):
        for fever in (True, False):
            answers = {"area": "back", "spasm": spasm, "fever": fever}
            assert fired(durable, answers) == fired(python, answers), answers


@pytest.mark.parametrize(
    "negation",
    [
        '{ not = { finding = "x.b" } }',
        '{ not = { at_least = 1, of = [{ finding = "x.b" }] } }',
        '{ all = [{ fever = { asked = false } }, { not = { finding = "x.b" } }] }',
    ],
)
def test_a_negation_waits_for_a_negated_rule_of_the_stratum_below(tmp_path, negation):
    """A stratum-1 "not x.b" waits for a stratum-0 rule that needs its own gate to find x.b.

    Found by the made-up rule sets: strata 0 and 1 shared durable's gate 1, so with
    H-0 (not x.c: finds x.b) and H-1 (not x.b), durable-rules fired both.
    """
    rules = [('{ not = { finding = "x.c" } }', 'finding = "x.b"'), (negation, 'finding = "x.a"')]
    (tmp_path / "r.toml").write_text(_rule_file(rules), encoding="utf-8")
    durable = painpath.load_rules(tmp_path)
    python = painpath.load_rules(tmp_path, engine="python")
    for answers in ({"area": "back"}, {"area": "back", "spasm": True, "fever": True}):
        assert fired(durable, answers) == fired(python, answers), answers
        assert "H-1" not in {rid for _, rid in fired(python, answers)}
