"""Hostile input: how long kohesi takes, and how much memory, to refuse (or read) each bad input of
``tests/helpers/hostile.py``, as a user meets it: ``kohesi.read`` in a fresh process.

    python bench/bench_hostile.py            # every case; --big adds the 50 MB one-line CSV of the probe

Each case runs in its own subprocess; the time is ``kohesi.read`` from the start (``import kohesi``
is lazy: the readers, Numba and polars load inside the first read, about 1.4 s here, so the time is
what a user waits), the peak RSS is the child's ``ru_maxrss`` (interpreter and imports included). The bound is what the
probe measured before the readers bounded their input: the 4 KB JSON-lines file nested 700 deep
crashed at 4.6 GB, the 50 MB one-line CSV took 45 s and 1.1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from helpers.hostile import HOSTILE, Hostile  # noqa: E402

_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
import kohesi
from kohesi.errors import InputError
t1 = time.perf_counter()
try:
    log = kohesi.read(sys.argv[1], tz="UTC")
    outcome = f"read {log.events.num_rows} events"
except InputError as exc:
    outcome = "refused: " + str(exc).split(": ", 1)[-1][:70]
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "read_s": t2 - t1, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "outcome": outcome}))
"""


def run(case: Hostile, folder: Path) -> dict:
    path = folder / case.name
    path.write_bytes(case.make())
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return {"import_s": float("nan"), "read_s": float("nan"), "peak_mb": float("nan"),
                "outcome": f"CRASH rc={done.returncode}: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="add the probe's 50 MB one-line CSV")
    args = parser.parse_args()
    cases = list(HOSTILE)
    if args.big:
        cases.append(Hostile("one_line_50mb.csv", lambda: ("actor,ts,text\nBudi,2024-02-01T10:00:00,"
                                                            + "x" * 50_000_000 + "\n").encode(), "line is"))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':<26} {'bytes':>10} {'read s':>7} {'peak MB':>8}  outcome")
        for case in cases:
            size = len(case.make())
            r = run(case, Path(tmp))
            print(f"{case.id:<26} {size:>10,} {r['read_s']:>7.2f} {r['peak_mb']:>8.0f}  {r['outcome']}")


if __name__ == "__main__":
    main()
