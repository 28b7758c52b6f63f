"""The Dask recipe of docs/scale.md, run as written, gives exactly `painpath batch`'s results."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from painpath._samples import sample_answers

pytestmark = pytest.mark.slow

DOC = Path(__file__).resolve().parents[1] / "docs" / "scale.md"
PAINPATH = Path(sys.executable).parent / "painpath"


def test_the_dask_recipe_on_two_workers_equals_painpath_batch(tmp_path: Path):
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    script = tmp_path / "scale.py"
    script.write_text(code)
    records: list[dict[str, object]] = list(sample_answers(5000, seed=12, red_flag_rate=0.1))
    for i in range(0, 5000, 500):  # a few bad records, in known places
        records[i] = {"area": "elbow", "age": 500}
    source = tmp_path / "answers.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))

    subprocess.run(
        [str(PAINPATH), "batch", str(source), str(tmp_path / "batch.jsonl")],
        check=False,  # exit status 1 says some records were refused
        capture_output=True,
        timeout=600,
    )
    batch = [json.loads(line) for line in (tmp_path / "batch.jsonl").read_text().splitlines()]

    done = subprocess.run(
        [sys.executable, str(script), str(source), str(tmp_path / "dask.jsonl"), "2"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    dask = [json.loads(line) for line in (tmp_path / "dask.jsonl").read_text().splitlines()]

    assert len(batch) == len(dask) == 5000
    refused = 0
    for i, (ours, theirs) in enumerate(zip(dask, batch, strict=True)):
        assert theirs["line"] == i + 1
        if theirs["ok"]:
            assert ours == theirs["result"], f"record {i + 1} differs"
        else:
            refused += 1
            assert ours["errors"] == [e["message"] for e in theirs["errors"]]
    assert refused == 10


def test_the_recipes_malloc_setting_reaches_the_workers_and_keeps_page_faults_down():
    """The recipe's malloc thresholds are in each worker's environment, and there its
    triages take a few page faults each, not the ~430 of Dask's own trim setting."""
    import os
    import resource

    import dask
    from dask.distributed import Client, LocalCluster

    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    recipe: dict[str, object] = {"__name__": "scale_recipe"}
    key = "distributed.nanny.pre-spawn-environ"
    malloc = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
    saved_environ = {k: os.environ.pop(k) for k in malloc if k in os.environ}
    with dask.config.set({key: dict(dask.config.get(key))}):  # the recipe sets it globally
        exec(compile(code, str(DOC), "exec"), recipe)
        wanted = {k: str(v) for k, v in dask.config.get(key).items() if k in malloc}
        assert set(wanted) == set(malloc)
        lines = [json.dumps(r) for r in sample_answers(700, seed=5, red_flag_rate=0.05)]

        def faults(lines: list[str]) -> tuple[dict[str, str], int]:
            seen = {k: os.environ[k] for k in malloc if k in os.environ}
            recipe["triage_lines"](lines[:200])  # type: ignore[operator]  # warm
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            recipe["triage_lines"](lines[200:])  # type: ignore[operator]
            return seen, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

        try:
            with (
                LocalCluster(n_workers=2, threads_per_worker=1) as cluster,
                Client(cluster) as client,
            ):
                for address in client.scheduler_info()["workers"]:
                    seen, count = client.submit(faults, lines, workers=[address]).result()
                    assert seen == wanted
                    # ~430 a triage with Dask's MALLOC_TRIM_THRESHOLD_=65536 alone; a few
                    # with the recipe (benchmarks/dask_scale.py prints both).
                    assert count < 30 * 500, f"{count:,} page faults for 500 triages"
        finally:
            for k in malloc:
                os.environ.pop(k, None)  # the nannies set them in this process
            os.environ.update(saved_environ)
