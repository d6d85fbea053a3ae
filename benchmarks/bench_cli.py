"""Start-up and run time of the ``coreduce`` commands, each in a fresh process as a user runs them.

Run: ``python benchmarks/bench_cli.py [--repeat N] [--baseline-src DIR] [--commands data-info,trends]``.

For each command it prints the best wall time of N runs and the CPU time (user + system) of that run (a fresh
interpreter each time, the embedded store already seeded), the machine load (``os.getloadavg``) before and
after, and the time as a multiple of ``python -c pass`` and of ``python -c "import pandas"`` measured in the
same minutes, so that figures taken on a loaded machine can be compared with the goals (on a quiet 2-core
machine: ``data info`` < 0.5 s, each analysis command < 1.5 s). ``--baseline-src`` runs the same commands side
by side on another checkout's ``src`` folder (e.g. ``/work/main/src`` before a change). It also prints the
import time of ``coreduce.cli.main`` and whether pint was imported by the command (``python -X importtime``).

Problem size: the bundled panel (rows, variables) of the store the commands read.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "help": ["--help"],
    "data-info": ["data", "info"],
    "trends": ["trends"],
    "synergy": ["synergy"],
    "decompose": ["decompose"],
    "nqpf": ["nqpf"],
}
SRC = Path(__file__).resolve().parents[1] / "src"


def _env(src: Path, home: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(src), "COREDUCE_HOME": home, "COLUMNS": "200"}


def _best(argv: list[str], env: dict, repeat: int) -> tuple[float, float]:
    """(best wall seconds, CPU seconds (user + system) of that run): on a loaded machine the wall time is mostly
    waiting for a core, the CPU time is what the command costs."""
    best, cpu = float("inf"), float("nan")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-400:]}")
        if wall < best:
            best = wall
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return best, cpu


def _imports(command: list[str], env: dict) -> tuple[float, bool]:
    """(cumulative import seconds of coreduce.cli.main, whether pint was imported) of one run."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "coreduce", *command], env=env,
                          capture_output=True, text=True)  # fmt: skip
    rows = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    cumulative = {row[2].strip(): int(row[1]) / 1e6 for row in rows if len(row) == 3 and row[1].strip().isdigit()}
    return cumulative.get("coreduce.cli.main", float("nan")), "pint" in cumulative


def _size(env: dict) -> str:
    code = (
        "from coreduce.data.summary import summarise_default; s = summarise_default(True); "
        "print(sum(v.rows for v in s.variables), s.series)"
    )
    rows, series = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.split()
    return f"{int(rows):,} values of {series} series"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--commands", default=",".join(COMMANDS))
    args = parser.parse_args()
    chosen = [c.strip() for c in args.commands.split(",") if c.strip()]
    home = tempfile.mkdtemp(prefix="bench-cli-")
    trees = {"this": SRC, **({"baseline": args.baseline_src} if args.baseline_src else {})}
    for src in trees.values():  # seed the store once (not timed)
        subprocess.run([sys.executable, "-m", "coreduce", "data", "info"], env=_env(src, home), capture_output=True)
    load0 = os.getloadavg()
    plain = _best([sys.executable, "-c", "pass"], os.environ.copy(), args.repeat)[0]
    pandas = _best([sys.executable, "-c", "import pandas"], os.environ.copy(), args.repeat)[0]
    print(f"panel: {_size(_env(SRC, home))}; cores {os.cpu_count()}; load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
    print(f"python -c pass: {plain:.3f} s; python -c 'import pandas': {pandas:.3f} s (best of {args.repeat})")
    heads = f"{'best s':>7} {'cpu s':>6} {'× pass':>7} {'× pandas':>8} {'import cli s':>12}"
    print(f"{'command':12} {'tree':9} {heads} pint")
    for name in chosen:
        for tree, src in trees.items():
            env = _env(src, home)
            best, cpu = _best([sys.executable, "-m", "coreduce", *COMMANDS[name]], env, args.repeat)
            cli, pint = _imports(COMMANDS[name], env)
            ratios = f"{best / plain:7.1f} {best / pandas:8.2f}"
            print(f"{name:12} {tree:9} {best:7.3f} {cpu:6.2f} {ratios} {cli:12.3f} {pint}")
    load1 = os.getloadavg()
    print(f"load after: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")


if __name__ == "__main__":
    main()
