"""Records per second: `painpath batch` against the Dask recipe of docs/scale.md.

Run from the repository root with painpath, dask and distributed installed::

    python benchmarks/dask_scale.py            # 20,000 records, 3 runs each
    python benchmarks/dask_scale.py --quick    # 3,000 records, 1 run each

Prints the median rate of: triage() in this process (the floor of one core);
`painpath batch --workers 2`; and the recipe's Dask computation on a LocalCluster of
2 workers with Dask's default worker environment, with the recipe's
MALLOC_MMAP_THRESHOLD_, and with Dask's MALLOC_TRIM_THRESHOLD_ unset. Cluster
start-up is not timed; the batch command's process start-up is.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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


def recipe() -> dict[str, Any]:
    """Load the Python block of docs/scale.md as a module namespace (without running main)."""
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    namespace: dict[str, Any] = {"__name__": "scale_recipe"}
    exec(compile(code, "docs/scale.md", "exec"), namespace)
    return namespace


def time_dask(source: Path, env: dict[str, Any], runs: int) -> list[float]:
    import dask
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    triage_lines = recipe()["triage_lines"]
    key = "distributed.nanny.pre-spawn-environ"
    base = dict(dask.config.get(key))
    base.pop("MALLOC_MMAP_THRESHOLD_", None)
    times = []
    # A LocalCluster's nannies live in this process and set their variables here too;
    # and a variable already in the environment wins over the config: start clean.
    for name in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"):
        os.environ.pop(name, None)
    with (
        dask.config.set({key: {**base, **env}}),
        LocalCluster(n_workers=2, threads_per_worker=1) as cluster,
        Client(cluster) as client,
    ):
        bag = db.read_text(str(source), blocksize="256KiB").map_partitions(triage_lines)
        bag.compute()  # warm: rules loaded in both workers
        seen = client.run(lambda: os.environ.get("MALLOC_MMAP_THRESHOLD_"))
        wanted = env.get("MALLOC_MMAP_THRESHOLD_")
        assert all(v == (wanted and str(wanted)) for v in seen.values()), seen
        for _ in range(runs):
            start = time.perf_counter()
            bag.compute()
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, help="records (default 20,000; 3,000 quick)")
    args = parser.parse_args()
    count, runs = (3000, 1) if args.quick else (20000, 3)
    count = args.count or count
    records = sample_answers(count, seed=2026, red_flag_rate=0.05)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records))

        floor = []
        for _ in range(runs):
            start = time.perf_counter()
            for r in records:
                painpath.triage(r)
            floor.append(time.perf_counter() - start)

        batch = []
        for run in range(runs):
            out = Path(tmp) / f"out-{run}.jsonl"
            start = time.perf_counter()
            subprocess.run(
                [str(SCRIPT), "batch", str(source), str(out), "--workers", "2"],
                check=True,
                capture_output=True,
            )
            batch.append(time.perf_counter() - start)

        rows = [
            ("triage() in one process (floor, 1 core)", floor),
            ("painpath batch --workers 2", batch),
            ("Dask, 2 workers, Dask's default environment", time_dask(source, {}, runs)),
            (
                "Dask, 2 workers, MALLOC_MMAP_THRESHOLD_=33554432 (the recipe)",
                time_dask(source, {"MALLOC_MMAP_THRESHOLD_": 33554432}, runs),
            ),
            (
                "Dask, 2 workers, MALLOC_TRIM_THRESHOLD_ unset",
                time_dask(source, {"MALLOC_TRIM_THRESHOLD_": None}, runs),
            ),
        ]
    print(f"{count} records, median of {runs} run(s)")
    print("| how | records/s |")
    print("|---|---|")
    for name, times in rows:
        print(f"| {name} | {count / statistics.median(times):,.0f} |")


if __name__ == "__main__":
    main()
