"""``painpath batch`` throughput: records per second per worker, medians of several runs.

Run from the repository root with the project installed::

    python benchmarks/batch.py                      # this install, 5 rounds
    python benchmarks/batch.py --runs 7 --records 8000
    python benchmarks/batch.py --before /tmp/base/bin/painpath   # against another install
    python benchmarks/batch.py --before OLD/bin/painpath --also next=NEW/bin/painpath

Each round runs every configuration once, in turn (and, with ``--before``, the other
install right after this one), so a busy machine slows all of them alike; the figures
are medians over the rounds. A configuration is an engine and output form (the
default engine with the full result, ``--engine python`` with the full result,
``--engine python --compact``) at 1 and 2 workers. The rate is the one ``painpath
batch`` prints (records done over the time from opening the input to the last line
written: interpreter start-up is left out), divided by the number of workers.
An install that lacks an option prints ``n/a``.

The records are the same for both installs: a fixed mix of valid answers over every
area with rare red flags (``benchmarks/run.py``'s mix), made by this install.

Target (issue 13): ``--engine python`` at least 3x the records per second per core of
the code before issue 13. Nothing here fails on a missed target.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from painpath._samples import sample_answers

SCRIPT = Path(sys.executable).with_name("painpath")
TARGET = 3.0

#: (label, options) of each configuration measured.
CONFIGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default engine, full", ()),
    ("--engine python, full", ("--engine", "python")),
    ("--engine python --compact", ("--engine", "python", "--compact")),
)
WORKERS = (1, 2)
_RATE = re.compile(r"\(([\d,.]+) records/s\)")


def answer_mix(count: int, seed: int = 7) -> list[dict[str, object]]:
    """The answer mix of ``benchmarks/run.py``: valid answers, rare red flags."""
    return sample_answers(count, seed=seed, answered=0.55, true_rate=0.35, red_flag_rate=0.03)


def supports(script: Path, options: tuple[str, ...]) -> bool:
    """Whether ``script batch`` knows every option of a configuration."""
    done = subprocess.run(
        [str(script), "batch", "--help"], capture_output=True, text=True, check=True
    )
    return all(o in done.stdout for o in options if o.startswith("--"))


def rate(script: Path, source: Path, target: Path, options: tuple[str, ...], workers: int) -> float:
    """Records per second as one ``painpath batch`` run reports it."""
    command = [str(script), "batch", *options, "--workers", str(workers), "--force"]
    done = subprocess.run(
        [*command, str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = _RATE.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{script} batch {' '.join(options)} failed:\n{done.stderr}")
    return float(found.group(1).replace(",", ""))


def measure(
    scripts: dict[str, Path], records: int, runs: int
) -> dict[tuple[str, str, int], list[float]]:
    """Run every install, configuration and worker count ``runs`` times, interleaved."""
    rates: dict[tuple[str, str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_text("".join(json.dumps(a) + "\n" for a in answer_mix(records)))
        plan = [
            (name, label, options, workers)
            for label, options in CONFIGS
            for workers in WORKERS
            for name, script in scripts.items()
            if supports(script, options)
        ]
        for name, _, options, workers in plan:  # warm the file cache and the imports
            rate(scripts[name], source, target, options, workers)
        for _ in range(runs):
            for name, label, options, workers in plan:
                rates.setdefault((name, label, workers), []).append(
                    rate(scripts[name], source, target, options, workers)
                )
    return rates


def report(scripts: dict[str, Path], records: int, runs: int) -> None:
    """Print the table: records/s per worker, medians, and each ratio to the first install."""
    rates = measure(scripts, records, runs)
    names = list(scripts)
    first, rest = names[0], names[1:]
    print(f"painpath batch, {records:,} records, medians of {runs} interleaved rounds")
    print("  records per second per worker (the rate painpath batch prints / workers)")
    header = "".join(f"{name:>12}" for name in names)
    width = max([16, *(len(name) + len(first) + 3 for name in rest)])
    ratios = "".join(f"{name + '/' + first:>{width}}" for name in rest)
    print(f"  {'configuration':<30}{'workers':>8}{header}{ratios}")
    for label, _ in CONFIGS:
        for workers in WORKERS:
            medians = {}
            for name in names:
                got = rates.get((name, label, workers))
                medians[name] = statistics.median(got) / workers if got else None
            cells = "".join(
                f"{m:>12,.0f}" if m is not None else f"{'n/a':>12}" for m in medians.values()
            )
            extra = ""
            for name in rest:
                after, before = medians[name], medians[first]
                extra += f"{after / before:>{width - 1}.2f}x" if after and before else " " * width
            print(f"  {label:<30}{workers:>8}{cells}{extra}")
    for name in rest:
        for workers in WORKERS:
            before = rates.get((first, "--engine python, full", workers))
            for label in ("--engine python, full", "--engine python --compact"):
                after = rates.get((name, label, workers))
                if before and after:
                    times = statistics.median(after) / statistics.median(before)
                    verdict = "met" if times >= TARGET else "MISSED"
                    print(
                        f"target: {name} {label} at {workers} worker(s) / {first} "
                        f"--engine python, full: {times:.2f}x (target >= {TARGET:.0f}x: {verdict})"
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--records", type=int, default=6000, help="records (default 6000)")
    parser.add_argument(
        "--before", type=Path, help="the painpath script of another install, to compare"
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="NAME=SCRIPT",
        help="one more install to measure in the same rounds (repeatable)",
    )
    args = parser.parse_args()
    if not SCRIPT.exists():
        sys.exit(f"no painpath command beside {sys.executable}: install the project first")
    scripts = {"before": args.before} if args.before else {}
    scripts["after" if args.before else "this"] = SCRIPT
    for item in args.also:
        name, _, script = item.partition("=")
        scripts[name] = Path(script)
    report(scripts, args.records, args.runs)


if __name__ == "__main__":
    main()
