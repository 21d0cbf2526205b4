"""Run every benchmark and record the results: ``python -m bench.run [name ...]``.

Benchmarks are the modules ``bench/*_speed.py`` (``import_speed``, ``metrics_speed`` ...); each
one's ``main()`` returns a Markdown section. The run's sections go under a dated heading with the
machine and versions, newest first, into ``bench/results.md``; the same text is printed.
"""

from __future__ import annotations

import importlib
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results.md"
TITLE = "# Benchmark results\n\nWritten by `make bench` (`python -m bench.run`); newest run first.\n"
BENCHES: list[str] = []  # module names to run; empty = every bench/*_speed.py


def discover(names: list[str]) -> list[str]:
    """The benchmark modules to run: those named, else BENCHES, else every *_speed.py."""
    chosen = names or BENCHES or sorted(p.stem for p in HERE.glob("*_speed.py"))
    return [n if n.endswith("_speed") else f"{n}_speed" for n in chosen]


def machine() -> list[str]:
    """What the numbers depend on: CPU, cores, memory, load, and the versions of the engines."""
    import duckdb
    import pyarrow

    cpu = _cpuinfo("model name") or platform.processor() or platform.machine()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"- machine: {cpu}; {os.cpu_count()} cores; {mem_gb:.0f} GB RAM; {platform.system()} {platform.release()}",
        f"- load average when the run started: {load} (other work on the machine slows every number)",
        f"- versions: Python {platform.python_version()}, DuckDB {duckdb.__version__}, pyarrow {pyarrow.__version__}, "
        f"kpiguard {_commit()}",
    ]


def _cpuinfo(key: str) -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown commit"
    return head + (" with uncommitted changes" if git("status", "--porcelain", "--", "src") else "")


def record(sections: list[str], started: datetime) -> str:
    """Insert this run (heading, machine, sections) at the top of results.md; return its text."""
    run = "\n".join([f"## {started:%Y-%m-%d %H:%M}", "", *machine(), "", *sections, ""])
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else TITLE
    body = old[len(TITLE):] if old.startswith(TITLE) else old
    RESULTS.write_text(TITLE + "\n" + run + "\n" + body.lstrip("\n"), encoding="utf-8")
    return run


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    started = datetime.now()
    sections = []
    for name in discover(argv):
        began = time.monotonic()
        print(f"running bench.{name} ...", file=sys.stderr, flush=True)
        section = importlib.import_module(f"bench.{name}").main()
        sections.append(f"{section}\n\n_(bench.{name} took {time.monotonic() - began:.0f} s in all)_\n")
    print(record(sections, started))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
