"""Benchmarks of painpath: what users feel, printed as figures.

Run from the repository root with the project installed::

    python benchmarks/run.py            # full run (about a minute)
    python benchmarks/run.py --quick    # smaller counts, for a smoke test

It prints, from one run, for each engine (``durable``, the default, and ``python``):

- ``triage()`` latency, median and p99 over five interleaved runs: repeated answers
  (the result cache answers), never-seen answers (a fresh stream), and the result
  cache cleared before each call (the worst case);
- both floors, measured in the same run (``benchmarks/floors.py``): one trivial rule
  loaded by ``load_rules`` and evaluated through painpath's own call path, and the
  shipped rules as generated plain Python; and the ratios of triage to them;
- start-up of ``painpath --help`` against ``python -c pass``, and ``painpath batch``
  throughput per worker for each engine and output form (``benchmarks/batch.py``;
  ``--skip-batch`` leaves both out);
- RSS before and after ``--rss-count`` triages per engine (100,000 by default;
  ``--rss-count 1000000`` for the long run).

Targets (issue 13): never-seen triage at most 5x the one-rule floor with durable and
at most 2x the plain-Python floor with the Python engine; RSS flat. Figures are
printed with the target beside them; nothing here fails on a missed target.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import painpath
from painpath import _triage
from painpath._samples import sample_answers

sys.path.insert(0, str(Path(__file__).parent))  # floors.py beside this file

SCRIPT = Path(sys.executable).parent / "painpath"


def answer_mix(count: int, seed: int = 2026) -> list[dict[str, object]]:
    """A fixed, deterministic mix of valid answers over every area; red flags are rare."""
    return sample_answers(count, seed=seed, answered=0.55, true_rate=0.35, red_flag_rate=0.03)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_calls(call, inputs, rounds: int, before=None) -> list[float]:
    """Time each call in microseconds."""
    out = []
    for i in range(rounds):
        item = inputs[i % len(inputs)]
        if before is not None:
            before()
        start = time.perf_counter_ns()
        call(item)
        out.append((time.perf_counter_ns() - start) / 1000)
    return out


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def startup(runs: int) -> tuple[float, float]:
    def median_ms(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    return median_ms([str(SCRIPT), "--help"]), median_ms([sys.executable, "-c", "pass"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts (a smoke test)")
    parser.add_argument(
        "--rss-count", type=int, default=0, help="triages per engine for the RSS figure"
    )
    parser.add_argument("--skip-batch", action="store_true", help="leave out start-up and batch")
    args = parser.parse_args()
    quick = args.quick
    rounds = 2_000 if quick else 30_000
    mix = answer_mix(500)

    python = sys.version.split()[0]
    print(f"painpath {painpath.__version__} on Python {python}, {os.cpu_count()} cores")
    print(f"mix: {len(mix)} answer sets; {rounds} timed calls each\n")

    from floors import one_rule_floor, plain_python

    facts = [painpath.Answers.from_mapping(a).fact() for a in mix]
    fresh = answer_mix(rounds, seed=99)  # never triaged before in this process
    print("latency (microseconds; median of all calls, 5 interleaved runs)   median      p99")
    ratios: dict[str, float] = {}
    for engine in ("durable", "python"):
        rules = painpath.default_rules(engine)
        for answers in mix:  # warm: imports, compiled rules, result cache
            painpath.triage(answers, rules=rules)
        floor_call = one_rule_floor(engine)
        plain = plain_python(rules)
        composer = _triage._composer(rules)
        call = functools.partial(painpath.triage, rules=rules)
        block = max(rounds // 5, 1)
        samples: dict[str, list[float]] = {
            "floor: one rule, painpath's call path": [],
            "floor: plain Python, same rules": [],
            "rules engine only": [],
            "triage(), repeated answers": [],
            "triage(), never-seen answers": [],
            "triage(), result cache cleared": [],
        }
        repeated = mix[:100]
        for run in range(5):
            samples["floor: one rule, painpath's call path"] += time_calls(floor_call, facts, block)
            samples["floor: plain Python, same rules"] += time_calls(plain, facts, block)
            samples["rules engine only"] += time_calls(rules.fired_ids, facts, block)
            samples["triage(), repeated answers"] += time_calls(call, repeated, block)
            samples["triage(), never-seen answers"] += time_calls(
                call,
                fresh[run * block : (run + 1) * block],
                block,
            )
            samples["triage(), result cache cleared"] += time_calls(
                call, mix, block // 4, before=composer.clear
            )
        print(f"  engine={engine!r}")
        for name, values in samples.items():
            print(
                f"    {name:<44} {statistics.median(values):8.1f} {percentile(values, 0.99):8.1f}"
            )
        new = statistics.median(samples["triage(), never-seen answers"])
        floor = statistics.median(samples["floor: one rule, painpath's call path"])
        plain_med = statistics.median(samples["floor: plain Python, same rules"])
        ratios[engine] = new / (floor if engine == "durable" else plain_med)
        print(
            f"    ratio never-seen triage / one-rule floor {new / floor:.1f}x, "
            f"/ plain-Python floor {new / plain_med:.1f}x"
        )
    print(
        f"  targets: durable never-seen / one-rule floor {ratios['durable']:.1f}x (target <= 5x); "
        f"python never-seen / plain-Python floor {ratios['python']:.1f}x (target <= 2x)\n"
    )

    if not args.skip_batch:
        help_ms, bare_ms = startup(5 if quick else 20)
        print(
            f"start-up: painpath --help {help_ms:.0f} ms, python -c pass {bare_ms:.0f} ms, "
            f"difference {help_ms - bare_ms:.0f} ms (target <= 150 ms)\n"
        )

        from batch import report  # benchmarks/batch.py: records/s per worker, per engine

        report({"this": SCRIPT}, 1_000 if quick else 6_000, 1 if quick else 5)
        print()

    calls = args.rss_count or (10_000 if quick else 100_000)
    for engine in ("durable", "python"):
        rules = painpath.default_rules(engine)
        stream = answer_mix(20_000, seed=5)
        for answers in stream[:2_000]:
            painpath.triage(answers, rules=rules)
        before = rss_mb()
        for i in range(calls):
            painpath.triage(stream[i % len(stream)], rules=rules)
        after = rss_mb()
        print(
            f"memory, engine={engine!r}: RSS {before:.1f} MB before, {after:.1f} MB after "
            f"{calls:,} triages, growth {after - before:+.1f} MB (target: flat)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
