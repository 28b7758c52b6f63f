"""Benchmark of the journal: check-in latency and the file's size after 21 check-ins.

Run from the repository root with the project installed::

    python benchmarks/journal.py            # 7 journals of 21 check-ins each
    python benchmarks/journal.py --quick    # 2 journals

Prints, from one run:

- ``Journal.checkin()`` latency (median and p90 over every check-in of every journal),
  through the library: validation, the facts, the check-in rules on durable-rules,
  the program from the next day on, and one ``BEGIN IMMEDIATE`` transaction with a
  synchronous (``FULL``) commit;
- the floor measured in the same run on the same disk: one ``BEGIN IMMEDIATE``,
  one ``INSERT`` of a comparable row, ``COMMIT``, with the same pragmas;
- ``Journal.preview()`` (everything but the write), to split rules from storage;
- the journal file's size after the start and 21 check-ins, once closed (WAL
  checkpointed into the file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from painpath import Journal

START = dt.date(2026, 1, 5)
CLOCK = dt.date(2026, 12, 31)
ANSWERS = {
    "area": "back",
    "age": 44,
    "duration_weeks": 3,
    "onset": "sudden_no_injury",
    "pain_score": 6,
    "back_pain": "center",
    "leg_pain": "buttock",
    "sitting_hurts": True,
    "bending_forward_hurts": True,
    "bladder_or_bowel_change": False,
    "saddle_numbness": False,
    "sexual_dysfunction": False,
    "leg_weakness": "none",
    "fever": False,
}


def checkin(n: int) -> dict[str, object]:
    """Day ``n``'s check-in (1-21): pain easing, centralizing on day 4, one bad morning."""
    answers: dict[str, object] = {
        "date": (START + dt.timedelta(days=n - 1)).isoformat(),
        "pain_score": max(1, 6 - n // 4),
        "sessions_done": 3 + n % 4,
        "pain_after_exercise": "worse_next_morning" if n == 9 else "settled_within_an_hour",
        "press_up_response": "centralized" if n >= 4 else "no_change",
        "leg_pain": "buttock" if n < 10 else "none",
        "leg_pain_trend": "better",
        "bladder_or_bowel_change": False,
        "saddle_numbness": False,
        "sexual_dysfunction": False,
        "leg_weakness": "none",
        "fever": False,
        "note": "walked to work" if n % 3 == 0 else "",
    }
    if not answers["note"]:
        del answers["note"]
    return answers


def one_journal(directory: Path, index: int) -> tuple[list[float], list[float], int]:
    path = directory / f"journal-{index}.sqlite3"
    checkins, previews = [], []
    with Journal(path, clock=lambda: CLOCK) as journal:
        journal.start(ANSWERS, start_date=START)
        for n in range(1, 22):
            answers = checkin(n)
            t0 = time.perf_counter()
            journal.preview(answers)
            t1 = time.perf_counter()
            journal.checkin(answers)
            t2 = time.perf_counter()
            previews.append((t1 - t0) * 1000)
            checkins.append((t2 - t1) * 1000)
    return checkins, previews, path.stat().st_size


def floor(directory: Path, rounds: int) -> list[float]:
    """A bare transactional insert of a comparable row, same pragmas, same disk."""
    db = sqlite3.connect(directory / "floor.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE checkin (date TEXT PRIMARY KEY, answers TEXT, outcome TEXT)")
    row = json.dumps(checkin(5))
    times = []
    for i in range(rounds):
        t0 = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO checkin VALUES (?, ?, ?)", (str(i), row, row * 3))
        db.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1000)
    db.close()
    return times


def p90(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(0.9 * (len(ordered) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 journals instead of 7")
    args = parser.parse_args()
    runs = 2 if args.quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        Journal(directory / "warm.sqlite3", clock=lambda: CLOCK).close()  # imports, rules
        all_checkins: list[float] = []
        all_previews: list[float] = []
        sizes = []
        per_run = []
        for index in range(runs):
            checkins, previews, size = one_journal(directory, index)
            all_checkins += checkins
            all_previews += previews
            sizes.append(size)
            per_run.append(statistics.median(checkins))
        base = floor(directory, 21 * runs)
    print(f"journal: {runs} journals x 21 check-ins, start {START}, synchronous=FULL, WAL")
    print("latency (milliseconds)                 median      p90")
    print(
        f"  Journal.checkin()              {statistics.median(all_checkins):10.2f} "
        f"{p90(all_checkins):8.2f}"
    )
    print(
        f"  Journal.preview() (no write)   {statistics.median(all_previews):10.2f} "
        f"{p90(all_previews):8.2f}"
    )
    print(f"  floor: bare INSERT transaction {statistics.median(base):10.2f} {p90(base):8.2f}")
    print("  median of each journal's check-ins: " + ", ".join(f"{m:.2f}" for m in per_run))
    print(
        f"file size after the start and 21 check-ins: {statistics.median(sizes) / 1024:.1f} KiB"
        f" (min {min(sizes)} B, max {max(sizes)} B)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
