"""The long differential run: both engines on a million answer sets, mismatches counted.

    python benchmarks/differential.py --n 1000000          # about 3 minutes on 2 cores
    python benchmarks/differential.py --n 20000 --seed 7   # a quick one

Answers come from ``painpath._samples`` with varied densities (how many questions
are answered, how often a yes, how often a red flag), so every rule gets its turn.
For each, both engines evaluate the same answers fact and must fire exactly the same
rules; each fired rule carries its stratum. Prints the count, the mismatches (must
be 0) and the first few differing answers. Exit status 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import json
import time

import painpath
from painpath._rules import default_rules_path
from painpath._samples import sample_answers

#: (answered, true_rate, red_flag_rate) per chunk, in turn.
DENSITIES = [(0.5, 0.2, None), (0.55, 0.35, 0.03), (0.9, 0.5, None), (0.3, 0.1, 0.0)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="answer sets to compare")
    parser.add_argument("--seed", type=int, default=2026, help="first seed")
    args = parser.parse_args()
    durable = painpath.load_rules(default_rules_path())
    python = painpath.load_rules(default_rules_path(), engine="python")
    strata = durable.strata
    compared = mismatches = 0
    fired_total = 0
    first: list[dict[str, object]] = []
    start = time.perf_counter()
    chunk = 10_000
    for number, offset in enumerate(range(0, args.n, chunk)):
        answered, true_rate, flags = DENSITIES[number % len(DENSITIES)]
        batch = sample_answers(
            min(chunk, args.n - offset),
            seed=args.seed + number,
            answered=answered,
            true_rate=true_rate,
            red_flag_rate=flags,
        )
        for answers in batch:
            fact = painpath.Answers.from_mapping(answers).fact()
            a = sorted((strata[r], r) for r in durable.fired_ids(fact))
            b = sorted((strata[r], r) for r in python.fired_ids(fact))
            compared += 1
            fired_total += len(a)
            if a != b:
                mismatches += 1
                if len(first) < 5:
                    first.append(answers)
    elapsed = time.perf_counter() - start
    print(
        f"compared {compared:,} answer sets ({fired_total / max(compared, 1):.1f} rules fired "
        f"on average) in {elapsed:.0f} s: {mismatches} mismatches"
    )
    for answers in first:
        print("  differs:", json.dumps(answers))
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
