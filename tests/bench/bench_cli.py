"""Command line benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_cli [--rounds 7]

Each round starts, side by side (interleaved, so all see the same machine), fresh processes of:

- ``cli_floor_python`` — ``python -c pass``: the interpreter alone;
- ``cli_floor_click`` — ``python -c "import click"``: a small command-line library, the floor of
  a command that parses its arguments;
- ``cli_help`` — ``evaus --help`` (target ≤ 0.5 s);
- ``cli_card_report`` — ``evaus report SoKu --kind card -o …``: the project card of a demo
  project, as a DOCX (target ≤ 1.5 s).

p50 of the wall clock over the rounds, the CPU time (user + system) of the process next to it,
and the machine's load average: on a shared machine the wall clock grows with the load, the CPU
time less. The registry is the demo (``evaus demo``) in a data folder of its own under the temp
folder, made on the first run; Python keeps its compiled bytecode between the starts (in the
benchmarks' temp folder), as an installed ``evaus`` does. ``python -X importtime -m evaus.cli
--help`` shows where a command's start goes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.server import PYCACHE_DIR

DATA_DIR = Path(tempfile.gettempdir()) / "evaus-bench-cli"
CARD_PROJECT = "SoKu"  # a unique part of a demo project's name


def environment() -> dict[str, str]:
    env = dict(os.environ, EVAUS_DATA_DIR=str(DATA_DIR), EVAUS_LANG="fi")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE_DIR)
    return env


def evaus_command() -> list[str]:
    """The installed ``evaus`` script next to this interpreter (``-m evaus.cli`` without it)."""
    script = Path(sys.executable).with_name("evaus")
    return [str(script)] if script.exists() else [sys.executable, "-m", "evaus.cli"]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run; fails loudly when it fails."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{command} failed:\n{errors.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def say(name: str, value: float, unit: str, digits: int = 2) -> None:
    print(f"{name} {value:.{digits}f} {unit}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="starts of each command")
    args = parser.parse_args(argv)

    env = environment()
    evaus = evaus_command()
    card = DATA_DIR / "card.docx"
    commands = {
        "cli_floor_python": [sys.executable, "-c", "pass"],
        "cli_floor_click": [sys.executable, "-c", "import click"],
        "cli_help": [*evaus, "--help"],
        "cli_card_report": [*evaus, "report", CARD_PROJECT, "--kind", "card", "-o", str(card)],
    }
    # Unmeasured: the demo registry (made once, kept), the bytecode cache, the file cache.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    timed([*evaus, "demo"], env)
    for command in commands.values():
        timed(command, env)

    load_before = os.getloadavg()[0]
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, command in commands.items():
            wall, cpu = timed(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    load_after = os.getloadavg()[0]

    for name in commands:
        say(f"{name}_p50", statistics.median(walls[name]), "s")
        say(f"{name}_cpu_p50", statistics.median(cpus[name]), "s")
    help_p50 = statistics.median(walls["cli_help"])
    say("cli_help_vs_click_ratio", help_p50 / statistics.median(walls["cli_floor_click"]), "x")
    print(f"load_average_1min {max(load_before, load_after):.2f} load")


if __name__ == "__main__":
    main()
