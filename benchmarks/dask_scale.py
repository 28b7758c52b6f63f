"""Records per second and page faults: `painpath batch` against the Dask recipe of docs/scale.md.

Run from the repository root with painpath, dask and distributed installed::

    python benchmarks/dask_scale.py            # 10,000 records, median of 5 rounds
    python benchmarks/dask_scale.py --quick    # 2,000 records, 1 round (a smoke run)

Prints, in one run:

- records/s (median of the rounds) of ``triage()`` in this process (one core, the
  floor), of ``painpath batch --workers 2`` (its process start-up included), and of
  the recipe's Dask computation on a ``LocalCluster`` of 2 workers (one thread each;
  cluster start-up not timed) in each worker environment below. All the clusters are
  started first and the rounds interleave every row, so a change in the machine's
  load falls on all of them alike;
- minor page faults (``getrusage(RUSAGE_SELF).ru_minflt``) inside the workers around
  the recipe's partition function (its triages on the durable engine), per 2,000
  records; and of the whole worker processes over each timed run. For comparison,
  the faults of 2,000 triages of new answers in a plain process (no Dask) with each
  environment.

The environments: Dask's default (its nanny sets ``MALLOC_TRIM_THRESHOLD_=65536``),
that plus ``MALLOC_MMAP_THRESHOLD_=33554432`` (the first recipe), Dask's trim
threshold unset (glibc's own adaptive thresholds), and the recipe as docs/scale.md
sets it now (read from its code block).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import painpath
from painpath._samples import sample_answers

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "painpath"
MALLOC = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")
KEY = "distributed.nanny.pre-spawn-environ"
MIB = 1024 * 1024


def recipe() -> dict[str, Any]:
    """Load the Python block of docs/scale.md as a module namespace (without running main).

    The block sets its malloc variables in Dask's config (globally, as a script does).
    """
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    namespace: dict[str, Any] = {"__name__": "scale_recipe"}
    exec(compile(code, "docs/scale.md", "exec"), namespace)
    return namespace


def faults_per_2000() -> tuple[int, float, str, dict[str, str]]:
    """Minor page faults and seconds of 2,000 triages of new answers (durable engine).

    Runs wherever it is called (a Dask worker, or a plain process); returns the
    faults, the seconds, the engine's name and the malloc variables seen there.
    """
    from painpath._rules import default_rules

    rules = default_rules("durable")
    records = sample_answers(2200, seed=99, red_flag_rate=0.05)
    for record in records[:200]:  # warm: the first evaluations set up the heap
        painpath.triage(record, rules=rules)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.perf_counter()
    for record in records[200:]:
        painpath.triage(record, rules=rules)
    seconds = time.perf_counter() - start
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    seen = {name: os.environ[name] for name in MALLOC if name in os.environ}
    return faults, seconds, rules.engine_name, seen


def minor_faults() -> int:
    """Return this process's minor page faults so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def malloc_environ() -> dict[str, str]:
    """Return the malloc variables of this process's environment."""
    return {name: os.environ[name] for name in MALLOC if name in os.environ}


def _counted(lines: list[str], triage_lines: Any) -> list[int]:
    """Run the recipe's partition function; return its minor page faults (one number)."""
    before = minor_faults()
    triage_lines(lines)
    return [minor_faults() - before]


def clean_environ() -> None:
    """Drop the malloc variables from this process's environment.

    A LocalCluster's nannies live in this process and set theirs here too, and a
    variable already in the environment wins over Dask's config.
    """
    for name in MALLOC:
        os.environ.pop(name, None)


class DaskRow:
    """One LocalCluster of 2 workers started with one malloc environment."""

    def __init__(self, stack: contextlib.ExitStack, source: Path, malloc: dict[str, Any]):
        import dask
        import dask.bag as db
        from dask.distributed import Client, LocalCluster

        self.malloc = malloc
        self.times: list[float] = []
        self.in_runs: list[int] = []
        # Dask's own default, then this row's changes (None unsets).
        base = {k: v for k, v in dask.config.get(KEY).items() if k not in MALLOC}
        base["MALLOC_TRIM_THRESHOLD_"] = 65536
        config = {**base, **malloc}
        clean_environ()
        with dask.config.set({KEY: config}):
            cluster = stack.enter_context(LocalCluster(n_workers=2, threads_per_worker=1))
        clean_environ()
        self.client = stack.enter_context(Client(cluster))
        triage_lines = recipe()["triage_lines"]
        self.bag = db.read_text(str(source), blocksize="256KiB").map_partitions(triage_lines)
        self.compute()  # warm: rules loaded in both workers
        self.counted = db.read_text(str(source), blocksize="256KiB").map_partitions(
            _counted, triage_lines
        )
        wanted = {k: str(v) for k, v in config.items() if k in MALLOC and v is not None}
        for seen in self.client.run(malloc_environ).values():
            assert seen == wanted, (seen, wanted)
        self.faults: list[int] = []

    def compute(self) -> list[str]:
        """Compute the bag on this row's own cluster (not on the last client made)."""
        lines: list[str] = self.bag.compute(scheduler=self.client)
        return lines

    def count_faults(self) -> None:
        """Run the recipe once more, counting faults around each partition's triages."""
        self.faults.append(sum(self.counted.compute(scheduler=self.client)))

    def run(self) -> None:
        before = self.client.run(minor_faults)
        start = time.perf_counter()
        self.compute()
        self.times.append(time.perf_counter() - start)
        after = self.client.run(minor_faults)
        self.in_runs.append(sum(after[w] - before[w] for w in after))


def plain_process_faults(malloc: dict[str, Any]) -> tuple[int, float, str, dict[str, str]]:
    """Measure :func:`faults_per_2000` in a fresh process with these malloc variables."""
    env = {k: v for k, v in os.environ.items() if k not in MALLOC}
    env.update({k: str(v) for k, v in malloc.items() if v is not None})
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import dask_scale; "
        "print(json.dumps(dask_scale.faults_per_2000()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    faults, seconds, engine, seen = json.loads(out)
    return faults, seconds, engine, seen


def environments() -> list[tuple[str, dict[str, Any]]]:
    """(name, the nanny's pre-spawn-environ changes) of each Dask row."""
    import dask

    recipe()  # sets the recipe's variables in Dask's config
    ours = {k: v for k, v in dask.config.get(KEY).items() if k in MALLOC}
    said = ", ".join(f"{k}={v}" for k, v in ours.items())
    return [
        ("Dask's default (MALLOC_TRIM_THRESHOLD_=65536)", {}),
        ("+ MALLOC_MMAP_THRESHOLD_=33554432 (first recipe)", {"MALLOC_MMAP_THRESHOLD_": 32 * MIB}),
        ("MALLOC_TRIM_THRESHOLD_ unset", {"MALLOC_TRIM_THRESHOLD_": None}),
        (f"the recipe: {said}", ours),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, help="records (default 10,000; 2,000 quick)")
    parser.add_argument("--runs", type=int, help="rounds (default 5; 1 quick)")
    args = parser.parse_args()
    count, runs = (2000, 1) if args.quick else (10000, 5)
    count, runs = args.count or count, args.runs or runs
    records = sample_answers(count, seed=2026, red_flag_rate=0.05)
    envs = environments()
    load = os.getloadavg()
    clean_environ()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        source = Path(tmp) / "in.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records))
        dask_rows = [(name, DaskRow(stack, source, env)) for name, env in envs]
        clean_environ()
        floor: list[float] = []
        batch: list[float] = []
        for run in range(runs):
            start = time.perf_counter()
            for r in records:
                painpath.triage(r)
            floor.append(time.perf_counter() - start)

            out = Path(tmp) / f"out-{run}.jsonl"
            start = time.perf_counter()
            subprocess.run(
                [str(SCRIPT), "batch", str(source), str(out), "--workers", "2"],
                check=True,
                capture_output=True,
                env={k: v for k, v in os.environ.items() if k not in MALLOC},
            )
            batch.append(time.perf_counter() - start)
            for _name, row in dask_rows:
                row.run()
            for _name, row in dask_rows:
                row.count_faults()
        plain = [
            (name, plain_process_faults({"MALLOC_TRIM_THRESHOLD_": 65536, **e})) for name, e in envs
        ]
        reference = plain_process_faults({})
    after = os.getloadavg()

    python = sys.version.split()[0]
    print(f"{count:,} records, median of {runs} interleaved round(s); durable engine; {python}")
    print(
        f"load average (1, 5, 15 min): before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}; {os.cpu_count()} CPUs"
    )
    print()
    print(
        "| how | records/s | minor faults per 2,000 triages "
        "| minor faults per 2,000 records, whole workers |"
    )
    print("|---|---:|---:|---:|")
    per = 2000 / count
    print(
        f"| triage() in one process (floor, 1 core) | {count / statistics.median(floor):,.0f} "
        f"| {reference[0]:,} (a fresh process, no malloc variable) | — |"
    )
    print(f"| painpath batch --workers 2 | {count / statistics.median(batch):,.0f} | — | — |")
    for name, row in dask_rows:
        print(
            f"| Dask, 2 workers: {name} | {count / statistics.median(row.times):,.0f} "
            f"| {statistics.median(row.faults) * per:,.0f} "
            f"| {statistics.median(row.in_runs) * per:,.0f} |"
        )
    print()
    print("Faults per 2,000 triages: inside the workers, around the recipe's partition")
    print("function (parse, triage, JSON out), summed over the partitions of one more run")
    print("per round (median). Whole workers: both worker processes over each timed run")
    print("(median), Dask's own work included.")
    print()
    print("The same environments in a plain process (no Dask):")
    print()
    print("| environment | minor faults per 2,000 triages | triages/s |")
    print("|---|---:|---:|")
    for name, (faults_, seconds, _e, _v) in plain:
        print(f"| {name} | {faults_:,} | {2000 / seconds:,.0f} |")


if __name__ == "__main__":
    main()
