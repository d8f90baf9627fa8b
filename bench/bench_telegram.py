"""Telegram streaming benchmark: ``kohesi.read`` on a generated ~2 GB Telegram Desktop export.

    python bench/bench_telegram.py                          # 2 GB export, kohesi (generated once)
    python bench/bench_telegram.py --bytes 200e6            # quicker
    python bench/bench_telegram.py --bytes 200e6 --peer     # and the naive baseline beside it
    python bench/bench_telegram.py --remove                 # delete the export afterwards

The export is written by ``bench/gen_telegram.py`` (seeded; pretty-printed like Telegram Desktop)
to ``/tmp/tg_bench_<bytes>_s<seed>.json`` unless it is already there, with its counts beside it
(``.truth.json``). Each reader runs in its own subprocess, so its peak RSS (``ru_maxrss``) is its
own, interpreter and imports included; the time is the read alone (the import is reported apart).
kohesi's result is checked against the generator's counts: records read, one post per user
message, one reaction event per reactor listed in ``recent``, and the reactions known only by
``count`` in the report's warning.

The naive baseline (``--peer``) is ``json.load`` and ``pandas.json_normalize`` of the messages:
a flat table of every field, not events. It holds the whole document in memory, so it is meant for
the smaller files (a 2 GB export needs well over 10 GB of RAM that way). It uses pandas, a
bench-only dependency (``--peer-python``, by default ``bench/data/venv/bin/python`` if present).

Targets (issue 6): at least 200,000 messages/s and at most 1 GB peak RSS on this 2-core machine.
Results are also written as JSON to ``bench/out/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _usage import cpu_s, maxrss_mb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
MARK = "@@BENCH-RESULT@@"
TARGET_RATE = 200_000
TARGET_PEAK_MB = 1000


# ---------------------------------------------------------------------------------------------
# child side: one read, measured, then checked


def _run_kohesi(path: str):
    import kohesi

    return lambda: kohesi.read(path, tz="UTC")


def _run_naive(path: str):
    import pandas as pd

    def parse():
        with open(path, "rb") as fh:
            obj = json.load(fh)
        return pd.json_normalize(obj["messages"])

    return parse


def check(reader: str, out, truth: dict) -> dict:
    """The result against the generator's counts."""
    if reader == "naive":
        return {"rows": len(out), "truth_records": truth["records"], "ok": len(out) == truth["records"]}
    rep = out.report
    posts = sum(rep.kinds.get(k, 0) for k in ("message", "media", "edited"))
    count_only = next((int(w.split()[0]) for w in rep.warnings if "without their reactors" in w), 0)
    res = {"records": rep.n_lines, "events": rep.n_events, "posts": posts,
           "reactions": rep.kinds.get("reaction", 0), "count_only": count_only, "kinds": rep.kinds,
           "truth": {k: truth[k] for k in ("records", "messages", "reactors", "count_only")}}
    res["ok"] = (rep.n_lines == truth["records"] and posts == truth["messages"]
                 and res["reactions"] == truth["reactors"] and count_only == truth["count_only"])
    return res


def child(reader: str, path: str) -> dict:
    res: dict = {"reader": reader, "pid": os.getpid()}
    t0 = time.perf_counter()
    parse = {"kohesi": _run_kohesi, "naive": _run_naive}[reader](path)
    res["import_s"] = time.perf_counter() - t0
    res["rss_after_import_mb"] = maxrss_mb()
    c0, t1 = cpu_s(), time.perf_counter()
    try:
        out = parse()
    except Exception as e:  # a reader that fails is a result, not a bench failure
        res.update(parse_s=time.perf_counter() - t1, peak_mb=maxrss_mb(), error=f"{type(e).__name__}: {str(e)[:300]}")
        return res
    res["parse_s"] = time.perf_counter() - t1
    res["cpu_s"] = cpu_s() - c0
    res["peak_mb"] = maxrss_mb()
    truth = json.loads(Path(path + ".truth.json").read_text(encoding="utf-8"))
    res["check"] = check(reader, out, truth)
    return res


# ---------------------------------------------------------------------------------------------
# parent side


def data_file(nbytes: float, seed: int, folder: Path) -> tuple[Path, bool]:
    """The export (generated if missing) and whether this run generated it."""
    sys.path.insert(0, str(HERE))
    from gen_telegram import generate

    path = folder / f"tg_bench_{int(nbytes)}_s{seed}.json"
    truth = Path(str(path) + ".truth.json")
    if path.exists() and truth.exists() and json.loads(truth.read_text())["bytes"] == path.stat().st_size:
        return path, False
    print(f"# generating {path} ({nbytes / 1e6:.0f} MB) ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    generate(path, nbytes=nbytes, seed=seed)
    print(f"#   {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return path, True


def default_peer_python() -> str:
    venv = HERE / "data" / "venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"


def run_child(reader: str, path: Path, python: str, timeout: float) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), str(ROOT / "src")) if p)
    cmd = [python, str(Path(__file__).resolve()), "--child", reader, str(path)]
    before = uptime()
    with tempfile.TemporaryFile("w+") as err:
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"reader": reader, "error": f"timeout after {timeout:.0f} s", "uptime_before": before}
        err.seek(0)
        stderr = err.read()
    line = next((ln for ln in reversed(p.stdout.splitlines()) if ln.startswith(MARK)), None)
    if line is None:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        return {"reader": reader, "error": f"child exited {p.returncode} without a result:\n{tail}",
                "uptime_before": before}
    res = json.loads(line[len(MARK):])
    res.update(uptime_before=before, uptime_after=uptime(), python=python)
    return res


def report(path: Path, runs: list[dict]) -> None:
    size = path.stat().st_size
    truth = json.loads(Path(str(path) + ".truth.json").read_text())
    n = truth["records"]
    print(f"\nTelegram streaming: {path} ({size / 1e9:.2f} GB, {size:,} bytes), {n:,} messages, "
          f"{os.cpu_count()} CPUs")
    hdr = f"{'reader':<7} {'read s':>7} {'cpu s':>7} {'import s':>8} {'msg/s':>9} {'MB/s':>6} {'peak MB':>8}  check"
    print(hdr)
    print("-" * len(hdr))
    for r in runs:
        if "error" in r:
            print(f"{r['reader']:<7} FAILED: {r['error'].splitlines()[0][:150]}")
            continue
        ok = "ok" if r["check"]["ok"] else f"MISMATCH {json.dumps(r['check'])}"
        print(f"{r['reader']:<7} {r['parse_s']:>7.2f} {r['cpu_s']:>7.2f} {r['import_s']:>8.2f} "
              f"{n / r['parse_s']:>9,.0f} {size / 1e6 / r['parse_s']:>6.0f} {r['peak_mb']:>8.0f}  {ok}")
        print(f"        before: {r['uptime_before']}\n        after:  {r['uptime_after']}")
    ok = [r for r in runs if r["reader"] == "kohesi" and "error" not in r]
    if ok:
        c = ok[0]["check"]
        print(f"kohesi: {c['events']:,} events {json.dumps(c['kinds'])}")
        rate = n / statistics.median(r["parse_s"] for r in ok)
        peak = max(r["peak_mb"] for r in ok)
        print(f"targets (median time, largest peak of {len(ok)} run(s)): >= {TARGET_RATE:,} messages/s: "
              f"{'met' if rate >= TARGET_RATE else 'NOT met'} ({rate:,.0f}); <= {TARGET_PEAK_MB:,} MB peak RSS: "
              f"{'met' if peak <= TARGET_PEAK_MB else 'NOT met'} ({peak:,.0f} MB)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        print(MARK + json.dumps(child(argv[1], argv[2]), ensure_ascii=False, default=str), flush=True)
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bytes", type=float, default=2e9, help="size of the export (default 2e9)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=Path("/tmp"), help="where the export is written")
    ap.add_argument("--repeats", type=int, default=1, help="kohesi runs")
    ap.add_argument("--peer", action="store_true", help="also the naive json.load + pandas baseline")
    ap.add_argument("--peer-python", default=default_peer_python())
    ap.add_argument("--remove", action="store_true", help="delete the export (and its counts) at the end")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args(argv)
    path, _ = data_file(args.bytes, args.seed, args.dir)
    runs = []
    try:
        for i in range(args.repeats):
            print(f"# kohesi run {i + 1}/{args.repeats} ...", file=sys.stderr, flush=True)
            runs.append(run_child("kohesi", path, sys.executable, args.timeout))
        if args.peer:
            print("# naive (json.load + pandas.json_normalize) ...", file=sys.stderr, flush=True)
            runs.append(run_child("naive", path, args.peer_python, args.timeout))
        report(path, runs)
    finally:
        if args.remove:
            path.unlink(missing_ok=True)
            Path(str(path) + ".truth.json").unlink(missing_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    dest = OUT / f"telegram-{int(args.bytes)}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}.json"
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    dest.write_text(json.dumps({"argv": argv, "file": str(path), "bytes": args.bytes, "seed": args.seed,
                                "machine": machine, "runs": runs,
                                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                               indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\n(results: {dest.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
