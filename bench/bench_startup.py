"""Start-up time: ``import kohesi``, ``kohesi --help`` and the first use of the reader.

    python bench/bench_startup.py                    # median of 5 fresh processes per case
    python bench/bench_startup.py --runs 9
    python bench/bench_startup.py --src /tmp/old/src # the same cases against another source tree

Each case runs in a fresh subprocess (one warm-up run first, so the file cache is warm); the
figure is the median wall-clock time of ``--runs`` runs, the interpreter's own start-up
included (``python -c pass`` is shown for reference). ``--src`` puts another checkout's ``src``
first on ``PYTHONPATH``, to compare before and after on the same machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _kohesi_script() -> list[str]:
    """The ``kohesi`` console script beside this interpreter, else ``python -m kohesi``."""
    here = Path(sys.executable).parent / "kohesi"
    found = str(here) if here.exists() else shutil.which("kohesi")
    return [found] if found else [sys.executable, "-m", "kohesi"]


def cases() -> dict[str, list[str]]:
    py = sys.executable
    script = _kohesi_script()
    return {
        "python -c pass (interpreter alone)": [py, "-c", "pass"],
        "python -c 'import kohesi'": [py, "-c", "import kohesi"],
        "kohesi --help": [*script, "--help"],
        "kohesi report --help": [*script, "report", "--help"],
        "python -c 'import kohesi; kohesi.read' (first use)": [py, "-c", "import kohesi; kohesi.read"],
    }


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case (median reported)")
    ap.add_argument("--src", type=Path, help="another source tree to time (put first on PYTHONPATH)")
    args = ap.parse_args()
    env = dict(os.environ, COLUMNS="100")
    if args.src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(args.src.resolve()), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; "
          f"median of {args.runs} fresh processes after one warm-up" + (f"; src {args.src}" if args.src else ""))
    width = max(map(len, cases()))
    for name, cmd in cases().items():
        timed(cmd, env)  # warm the file cache
        runs = [timed(cmd, env) for _ in range(args.runs)]
        print(f"{name:<{width}}  {statistics.median(runs):6.3f} s   (min {min(runs):.3f}, max {max(runs):.3f})")


if __name__ == "__main__":
    main()
