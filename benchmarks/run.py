"""Benchmarks of painpath: what users feel, printed as figures.

Run from the repository root with the project installed::

    python benchmarks/run.py            # full run (about a minute)
    python benchmarks/run.py --quick    # smaller counts, for a smoke test

It prints, from one run:

- ``triage()`` latency, median and p99, over a fixed mix of answers: answers seen
  before (the result cache answers) and new answers (the cache cleared before each call);
- the bare durable-rules floor measured in the same run: one trivial rule on a
  private host, with the same isolation pattern (a lock, a unique session id,
  ``delete_state`` in a ``finally``), and the ratio of triage to it;
- start-up of ``painpath --help`` against ``python -c pass``;
- batch throughput with one worker and with every core;
- RSS before and after 100,000 triages.

Targets (see the project's issues): triage median at most 4x the floor;
``painpath --help`` at most 150 ms over a bare interpreter; RSS growth under 5 MB
over 100,000 triages; batch throughput that scales with cores. Figures are printed
with the target beside them; nothing here fails on a missed target.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import painpath
from painpath import _triage
from painpath._samples import sample_answers

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


def durable_floor(rounds: int) -> list[float]:
    """One trivial rule on a private durable-rules host, isolated as painpath does it."""
    from durable import engine

    class QuietHost(engine.Host):
        def _run(self) -> None:
            return None

    host = QuietHost()
    host.set_rulesets({"floor": {"r": {"all": [{"a": {"t": "a"}}], "run": lambda c: None}}})
    ruleset = host.get_ruleset("floor")
    lock = threading.Lock()
    sids = itertools.count()

    def one(_: object) -> None:
        with lock:
            sid = str(next(sids))
            try:
                state = host.assert_fact("floor", {"t": "a", "area": "back", "sid": sid})
                if state.get("exception"):
                    raise RuntimeError(state["exception"])
            finally:
                ruleset.delete_state(sid)

    time_calls(one, [None], 500)
    return time_calls(one, [None], rounds)


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


def batch_throughput(records: list[dict[str, object]], workers: int) -> float | None:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(
            [str(SCRIPT), "batch", str(source), str(target), "--workers", str(workers)],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 2) or not target.exists():
            return None
        lines = target.read_text(encoding="utf-8").count("\n")
        return lines / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts (a smoke test)")
    args = parser.parse_args()
    quick = args.quick
    rounds = 2_000 if quick else 30_000
    mix = answer_mix(500)
    rules = painpath.default_rules()
    for answers in mix:  # warm: imports, compiled rules, result cache
        painpath.triage(answers)

    python = sys.version.split()[0]
    print(f"painpath {painpath.__version__} on Python {python}, {os.cpu_count()} cores")
    print(f"mix: {len(mix)} answer sets; {rounds} timed calls each\n")

    floor = durable_floor(rounds)
    composer = _triage._composer(rules)
    repeated = mix[:100]  # fits the result cache (256 entries): every call a hit
    for answers in repeated:
        painpath.triage(answers)
    warm = time_calls(painpath.triage, repeated, rounds)
    cold = time_calls(painpath.triage, mix, rounds // 4, before=composer.cache_clear)
    facts = [painpath.Answers.from_mapping(a).fact() for a in mix]
    engine_only = time_calls(rules.fired, facts, rounds)

    f_med = statistics.median(floor)
    print("latency (microseconds)            median      p99")
    for name, samples in (
        ("durable-rules floor (1 rule)", floor),
        ("rules engine only (painpath)", engine_only),
        ("triage(), repeated answers", warm),
        ("triage(), new answers", cold),
    ):
        print(f"  {name:<30} {statistics.median(samples):8.1f} {percentile(samples, 0.99):8.1f}")
    ratio_warm = statistics.median(warm) / f_med
    ratio_cold = statistics.median(cold) / f_med
    print(
        f"  ratio triage/floor: repeated {ratio_warm:.1f}x, new {ratio_cold:.1f}x (target <= 4x)\n"
    )

    help_ms, bare_ms = startup(5 if quick else 20)
    print(
        f"start-up: painpath --help {help_ms:.0f} ms, python -c pass {bare_ms:.0f} ms, "
        f"difference {help_ms - bare_ms:.0f} ms (target <= 150 ms)\n"
    )

    records = answer_mix(1_000 if quick else 20_000, seed=7)
    cores = os.cpu_count() or 1
    one = batch_throughput(records, 1)
    many = batch_throughput(records, cores)
    if one is None or many is None:
        print("batch: not available (painpath batch failed)\n")
    else:
        print(
            f"batch ({len(records)} records): 1 worker {one:,.0f} records/s, "
            f"{cores} workers {many:,.0f} records/s, speed-up {many / one:.2f}x\n"
        )

    calls = 10_000 if quick else 100_000
    before = rss_mb()
    for i in range(calls):
        painpath.triage(mix[i % len(mix)])
    after = rss_mb()
    print(
        f"memory: RSS {before:.1f} MB before, {after:.1f} MB after {calls:,} triages, "
        f"growth {after - before:+.1f} MB (target < 5 MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
