"""Start-up of the ``painpath`` command against a bare interpreter, in one run.

Run from the repository root with the project installed::

    python benchmarks/startup.py            # 21 rounds
    python benchmarks/startup.py --runs 51  # steadier medians on a busy machine

Each round runs every command once, in turn, so a busy machine slows all of them
alike; the figures are medians over the rounds, and each command's cost is printed
as the difference to ``python -c pass`` measured in the same rounds. It also counts
the modules each command imports (``-X importtime``) and names the heaviest.

Target (issue 13): ``painpath --help`` at most 60 ms over a bare interpreter, with no
``importlib.metadata`` and no batch module imported; ``painpath batch --help`` imports
the command's module (``painpath._batch_cli``) but not the batch library. Nothing here
fails on a missed target: the figures are printed beside it.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("painpath")
TARGET_MS = 60.0


def commands() -> dict[str, list[str]]:
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "painpath --help": [str(SCRIPT), "--help"],
        "painpath --version": [str(SCRIPT), "--version"],
        "painpath batch --help": [str(SCRIPT), "batch", "--help"],
    }


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) milliseconds of one run of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def imported(cmd: list[str]) -> dict[str, int]:
    """Modules a command imports, with their cumulative import time in microseconds."""
    done = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]]
        if cmd[0] == sys.executable
        else [sys.executable, "-X", "importtime", cmd[0], *cmd[1:]],
        capture_output=True,
        text=True,
        check=True,
    )
    out: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = line.split("|")
            out[name.strip()] = int(cumulative)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds (default 21)")
    args = parser.parse_args()
    if not SCRIPT.exists():
        sys.exit(f"no painpath command beside {sys.executable}: install the project first")
    cmds = commands()
    for cmd in cmds.values():  # warm the file cache
        timed(cmd)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(args.runs):
        for name, cmd in cmds.items():
            wall, cpu = timed(cmd)
            times[name].append(wall)
            cpus[name].append(cpu)
    bare = statistics.median(times["python -c pass"])
    bare_cpu = statistics.median(cpus["python -c pass"])
    print(f"start-up, medians of {args.runs} interleaved rounds (Python {sys.version.split()[0]})")
    print("  wall: elapsed time; cpu: user + system time of the process (steadier under load)")
    print(
        f"  {'command':<24}{'wall':>9}{'over bare':>11}{'cpu':>9}{'over bare':>11}"
        "   modules  heaviest import"
    )
    base = imported(cmds["python -c pass"])
    for name, cmd in cmds.items():
        median = statistics.median(times[name])
        cpu = statistics.median(cpus[name])
        mods = imported(cmd)
        own = {m: t for m, t in mods.items() if m not in base}
        heaviest = max(own, key=own.__getitem__) if own else "-"
        extra = extra_cpu = ""
        if name != "python -c pass":
            extra, extra_cpu = f"{median - bare:>9.1f}ms", f"{cpu - bare_cpu:>9.1f}ms"
        print(
            f"  {name:<24}{median:>7.1f}ms{extra:>11}{cpu:>7.1f}ms{extra_cpu:>11}"
            f"   {len(own):>7}  {heaviest}"
        )
        flags = [
            m for m in ("importlib.metadata", "painpath._batch", "painpath._rules") if m in mods
        ]
        if flags:
            print(f"  {'':<24}imports {', '.join(flags)}")
    over = statistics.median(times["painpath --help"]) - bare
    over_cpu = statistics.median(cpus["painpath --help"]) - bare_cpu
    verdict = "met" if over <= TARGET_MS else "MISSED"
    print(
        f"target: painpath --help <= {TARGET_MS:.0f} ms over bare: wall {over:.1f} ms "
        f"({verdict}), cpu {over_cpu:.1f} ms"
    )


if __name__ == "__main__":
    main()
