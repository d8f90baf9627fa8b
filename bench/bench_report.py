"""End-to-end report benchmark: `kohesi report` on a 100k-message export, and the report size for
a year of a 200-member group (simulated, since the generator's chats have 30 authors).

    python bench/bench_report.py [--messages 100000]

Each run is a separate `kohesi report` process, timed from start to exit (imports included), as
a user experiences it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    export = data / f"report-android-id-{args.messages}.txt"
    if not export.exists():
        subprocess.run([sys.executable, str(HERE / "gen_whatsapp.py"), "--messages", str(args.messages),
                        "--style", "android-id", "--seed", "7", "-o", str(export)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.html"
        times = sorted(run([sys.executable, "-m", "kohesi", "report", str(export), "--tz", "Asia/Jakarta",
                            "--lang", "id", "-o", str(out)]) for _ in range(args.repeat))
        size = out.stat().st_size
        print(f"report of a {args.messages:,}-message export (bootstrap 200): median {times[len(times) // 2]:.1f} s "
              f"(min {times[0]:.1f}, max {times[-1]:.1f}), HTML {size / 1024:.0f} KB")

        from kohesi.report import report_from_events
        from kohesi.simulate import load_scenario, simulate

        scen = load_scenario("kampung").replace(n_agents=200, n_communities=2)
        sim = simulate(scen, steps=365, seed=1)
        t = time.perf_counter()
        rep = report_from_events(sim.events, lang_code="id")
        html = rep.to_html()
        print(f"a year of a 200-member simulated group ({sim.events.num_rows:,} events, "
              f"{len(set(sim.events.column('actor').to_pylist()))} members): report in {time.perf_counter() - t:.1f} s, "
              f"HTML {len(html.encode()) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
