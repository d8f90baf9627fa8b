"""Side-by-side WhatsApp parsing benchmark: kohesi vs whatstk vs chat-miner.

    python bench/bench_whatsapp.py                       # 1M messages, android-en, all parsers
    python bench/bench_whatsapp.py --messages 100000     # quicker
    python bench/bench_whatsapp.py --only kohesi         # kohesi alone (3 repeats, median)
    python bench/bench_whatsapp.py --style android-id --messages 100000   # the peers' failures
    python bench/bench_whatsapp.py --scale               # kohesi at 10k, 100k, 1M messages
    python bench/bench_whatsapp.py --profile             # where kohesi.read spends time / memory
    python bench/bench_whatsapp.py --whole --messages 300000  # fresh processes: start + import + read

The export is generated (``bench/gen_whatsapp.py``, seeded) into ``bench/data/`` when missing.
Each parser runs in its own subprocess, so its peak RSS (``ru_maxrss``) is its own; the time is
the parse alone (file read included, import excluded and reported separately). Every run is then
checked against the generator's ground truth: posts recovered (same timestamp and author), text
recovered exactly, rows that are not posts (system lines turned into messages), and for kohesi the
event kinds. kohesi runs with ``tag_acts=False`` (the peers read no acts); what reading acts
adds is measured by ``bench/bench_acts.py``.

The peers are bench-only dependencies (``pip install whatstk chat-miner``; they pull pandas,
matplotlib, plotly, seaborn, wordcloud...). They need not be installed where kohesi is: the peer
subprocesses use ``--peer-python``, by default ``bench/data/venv/bin/python`` when that exists
(made with ``python -m venv --system-site-packages bench/data/venv``), else this interpreter.
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
DATA = HERE / "data"
OUT = HERE / "out"
MARK = "@@BENCH-RESULT@@"
PARSERS = ("kohesi", "whatstk", "chat-miner")


# ---------------------------------------------------------------------------------------------
# child side: one parse, measured, then checked


def _run_kohesi(path: str):
    import kohesi
    import kohesi.ingest.whatsapp.reader  # noqa: F401  (kohesi imports its reader lazily: count it as import)

    def parse():
        return kohesi.read(path, tz="UTC", tag_acts=False)  # the reader alone, as the peers; acts: bench_acts.py

    return parse


def _run_whatstk(path: str):
    from whatstk import df_from_whatsapp

    def parse():
        # max_size=None: whatstk refuses files over 50 MB otherwise
        return df_from_whatsapp(path, max_size=None)

    return parse


def _run_chatminer(path: str):
    from chatminer.chatparsers import WhatsAppParser

    def parse():
        p = WhatsAppParser(path)
        p.parse_file()
        return p.parsed_messages.get_df()

    return parse


def child(parser: str, path: str) -> dict:
    res: dict = {"parser": parser, "path": path, "pid": os.getpid()}
    res["rss_start_mb"] = maxrss_mb()
    t0 = time.perf_counter()
    make = {"kohesi": _run_kohesi, "whatstk": _run_whatstk, "chat-miner": _run_chatminer}[parser]
    parse = make(path)
    res["import_s"] = time.perf_counter() - t0
    res["rss_after_import_mb"] = maxrss_mb()
    c0 = cpu_s()
    t1 = time.perf_counter()
    try:
        out = parse()
    except Exception as e:  # a peer that crashes on a format is a result, not a bench failure
        res["parse_s"] = time.perf_counter() - t1
        res["error"] = f"{type(e).__name__}: {str(e)[:300]}"
        res["peak_mb"] = maxrss_mb()
        return res
    res["parse_s"] = time.perf_counter() - t1
    res["cpu_s"] = cpu_s() - c0
    res["peak_mb"] = maxrss_mb()  # high-water mark of the parse; checks below come after
    try:
        res["check"] = check(parser, out, path)
    except Exception as e:  # noqa: BLE001
        import traceback

        res["check_error"] = f"{type(e).__name__}: {e}"
        res["check_traceback"] = traceback.format_exc()[-2000:]
    return res


def _truth(path: str):
    import numpy as np

    stem = str(Path(path).with_suffix(""))
    meta = json.loads(Path(stem + ".truth.json").read_text(encoding="utf-8"))
    arr = dict(np.load(stem + ".truth.npz"))
    return meta, arr


def check(parser: str, out, path: str) -> dict:
    sys.path.insert(0, str(HERE))
    import numpy as np

    from gen_whatsapp import KIND_CODES, POST_CODES, norm_name, norm_text

    meta, tr = _truth(path)
    is_post = np.isin(tr["kind"], POST_CODES)
    if parser == "kohesi":
        return check_kohesi(out, meta, tr, is_post)

    if parser == "whatstk":
        df = out
        ts = ((df["date"] - __import__("pandas").Timestamp(0)) // __import__("pandas").Timedelta("1s"))
        ts = ts.to_numpy().tolist()
        names = df["username"].astype(object).tolist()
        texts = df["message"].astype(object).tolist()
    else:  # chat-miner (polars)
        df = out
        ts = df["timestamp"].dt.epoch("s").to_list()
        names = df["author"].to_list()
        texts = df["message"].to_list()
    import zlib
    from collections import Counter

    idx = {n: i for i, n in enumerate(meta["author_names"])}
    rows = len(ts)
    keys2, keys3 = Counter(), Counter()
    unknown_author = 0
    for t, n, x in zip(ts, names, texts, strict=True):
        a = idx.get(norm_name(n or ""), -2)
        unknown_author += a == -2
        keys2[(t, a)] += 1
        keys3[(t, a, zlib.crc32(norm_text(x or "").encode("utf-8")))] += 1
    p_ts, p_a, p_crc = tr["ts"][is_post].tolist(), tr["author"][is_post].tolist(), tr["crc"][is_post].tolist()
    t2 = Counter(zip(p_ts, p_a, strict=True))
    t3 = Counter(zip(p_ts, p_a, p_crc, strict=True))
    recovered = sum((keys2 & t2).values())
    exact = sum((keys3 & t3).values())
    # which truth posts came back with exact text, by kind
    multi = tr["nlines"][is_post] > 1
    rem = keys3.copy()
    exact_multi = 0
    for m, key in zip(multi.tolist(), zip(p_ts, p_a, p_crc, strict=True), strict=True):
        if rem.get(key, 0) > 0:
            rem[key] -= 1
            exact_multi += m
    return {
        "rows": rows,
        "truth_user_messages": int(is_post.sum()),
        "posts_recovered": recovered,
        "text_exact": exact,
        "multiline_exact": int(exact_multi),
        "truth_multiline": int(multi.sum()),
        "rows_not_posts": rows - recovered,
        "rows_unknown_author": int(unknown_author),
        "truth_system_lines": int((~is_post).sum()),
        "kinds_flagged": False,  # neither peer marks media / deleted / edited / system
        "truth_media_deleted_as_messages": int(
            np.isin(tr["kind"], (KIND_CODES["media"], KIND_CODES["deleted"])).sum()
        ),
    }


def check_kohesi(log, meta: dict, tr: dict, is_post) -> dict:
    import numpy as np
    import pyarrow.compute as pc

    from gen_whatsapp import KIND_CODES

    ev = log.events
    res: dict = {"rows": ev.num_rows, "truth_user_messages": int(is_post.sum()),
                 "truth_system_lines": int((~is_post).sum())}
    kinds = ev.column("kind").to_pylist()
    counts: dict[str, int] = {}
    for k in kinds:
        counts[k] = counts.get(k, 0) + 1
    res["kinds"] = dict(sorted(counts.items()))
    res["truth_kinds"] = {k: v for k, v in meta["kinds"].items() if v}
    code_of = {v: k for k, v in KIND_CODES.items()}
    post_kinds = {"message", "media", "deleted", "edited"}
    res["posts"] = sum(v for k, v in counts.items() if k in post_kinds)
    # align rows with truth entries through the source line number
    if "line" in ev.column_names and ev.column("line").null_count < ev.num_rows:
        lines = np.asarray(ev.column("line").fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
        t_line = tr["line"]
        pos = {int(v): i for i, v in enumerate(t_line.tolist())}
        # 0- or 1-based? take the base that aligns more rows
        hit1 = sum(1 for x in lines[:1000].tolist() if x in pos)
        hit0 = sum(1 for x in lines[:1000].tolist() if x + 1 in pos)
        base = 1 if hit1 >= hit0 else 0
        res["line_base"] = base
        ti = np.array([pos.get(int(x) + (1 - base), -1) for x in lines.tolist()], dtype=np.int64)
        aligned = ti >= 0
        res["rows_aligned_by_line"] = int(aligned.sum())
        res["truth_entries_missing"] = int(len(t_line) - len(np.unique(ti[aligned])))
        tk = np.array([code_of[int(c)] for c in tr["kind"].tolist()], dtype=object)
        kind_arr = np.array(kinds, dtype=object)
        ok_kind = aligned & (kind_arr == tk[np.where(aligned, ti, 0)])
        res["kind_correct"] = int(ok_kind.sum())
        # confusion of wrong kinds (truth -> kohesi), top 10
        conf: dict[str, int] = {}
        wrong = aligned & ~ok_kind
        for a, b in zip(tk[ti[wrong]].tolist(), kind_arr[wrong].tolist(), strict=True):
            conf[f"{a}->{b}"] = conf.get(f"{a}->{b}", 0) + 1
        res["kind_confusion"] = dict(sorted(conf.items(), key=lambda kv: -kv[1])[:10])
        # timestamps (tz="UTC": the wall clock of the export read as UTC)
        ts = pc.cast(ev.column("ts"), "int64").to_numpy(zero_copy_only=False) // 1_000_000
        ok_ts = aligned & (ts == tr["ts"][np.where(aligned, ti, 0)])
        res["ts_correct"] = int(ok_ts.sum())
        # authors: pseudonymous, so check that truth authors and actors map one-to-one
        actors = ev.column("actor").to_pylist()
        pairs: dict[int, set] = {}
        back: dict[str, set] = {}
        posts_aligned = 0
        for i in np.flatnonzero(aligned & np.isin(kind_arr, list(post_kinds))).tolist():
            a = int(tr["author"][ti[i]])
            if a < 0:
                continue
            posts_aligned += 1
            pairs.setdefault(a, set()).add(actors[i])
            back.setdefault(actors[i], set()).add(a)
        res["distinct_post_actors"] = len(back)
        res["authors_one_to_one"] = all(len(v) == 1 for v in pairs.values()) and all(
            len(v) == 1 for v in back.values())
        # posts recovered: aligned rows that are posts in truth and in kohesi, right ts and author
        author_ok = np.zeros(len(kinds), dtype=bool)
        for i in np.flatnonzero(aligned).tolist():
            a = int(tr["author"][ti[i]])
            author_ok[i] = a >= 0 and len(pairs.get(a, ())) == 1 and len(back.get(actors[i], ())) == 1
        is_post_row = np.isin(kind_arr, list(post_kinds))
        truth_post_row = np.zeros(len(kinds), dtype=bool)
        truth_post_row[aligned] = is_post[ti[aligned]]
        res["posts_recovered"] = int((aligned & is_post_row & truth_post_row & ok_ts & author_ok).sum())
        res["system_as_posts"] = int((aligned & is_post_row & ~truth_post_row).sum())
        res["posts_as_system"] = int((aligned & ~is_post_row & truth_post_row).sum())
    if "n_chars" in ev.column_names and "text" in ev.column_names:
        res["text_null"] = ev.column("text").null_count
    rep = getattr(log, "report", None)
    if rep is not None:
        d = rep.to_dict() if hasattr(rep, "to_dict") else dict(vars(rep))
        res["report"] = {k: d.get(k) for k in ("format", "language", "date_order",
                                                 "date_order_basis", "header_format", "n_lines",
                                                 "n_events")}
        res["report"]["n_skipped"] = len(d.get("skipped") or [])
        res["report"]["skipped_first"] = (d.get("skipped") or [])[:5]
        res["report"]["warnings"] = (d.get("warnings") or [])[:5]
    return res


# ---------------------------------------------------------------------------------------------
# parent side


def data_file(n: int, style: str, seed: int) -> Path:
    sys.path.insert(0, str(HERE))
    from gen_whatsapp import generate

    path = DATA / f"chat-{style}-{n}-s{seed}.txt"
    truth = path.with_suffix(".truth.json")
    if not (path.exists() and truth.exists() and path.with_suffix(".truth.npz").exists()):
        print(f"generating {path.relative_to(ROOT)} ...", file=sys.stderr)
        generate(n, style, seed, path)
    else:
        meta = json.loads(truth.read_text(encoding="utf-8"))
        if meta.get("bytes") != path.stat().st_size:
            print(f"regenerating {path.relative_to(ROOT)} (size differs from its truth)", file=sys.stderr)
            generate(n, style, seed, path)
    return path


def default_peer_python() -> str:
    venv = DATA / "venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def run_child(parser: str, path: Path, python: str, timeout: float) -> dict:
    env = dict(os.environ)
    # the repo's src last, so that an explicit PYTHONPATH (or the installed kohesi) wins
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), str(ROOT / "src")) if p)
    cmd = [python, str(Path(__file__).resolve()), "--child", parser, str(path)]
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"parser": parser, "error": f"timeout after {timeout:.0f} s", "load1": load}
        wall = time.perf_counter() - t0
        err.seek(0)
        stderr = err.read()
    line = next((ln for ln in reversed(p.stdout.splitlines()) if ln.startswith(MARK)), None)
    if line is None:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        return {"parser": parser, "error": f"child exited {p.returncode} without a result:\n{tail}",
                "load1": load}
    res = json.loads(line[len(MARK):])
    res["process_s"] = wall
    res["load1"] = load
    res["python"] = python
    if "error" in res:
        tail = [ln for ln in stderr.strip().splitlines() if ln.strip()][-3:]
        res["stderr_tail"] = tail
    return res


def _fmt_s(x: float | None) -> str:
    return "-" if x is None else (f"{x:.2f}" if x < 10 else f"{x:.1f}")


def summarise(results: dict[str, list[dict]]) -> dict[str, dict]:
    """Median per parser (time, peak) over its repeats, keeping the first run's check."""
    out = {}
    for parser, runs in results.items():
        ok = [r for r in runs if "error" not in r]
        if not ok:
            out[parser] = {"parser": parser, "error": runs[0].get("error"), "runs": runs}
            continue
        out[parser] = {
            "parser": parser,
            "repeats": len(ok),
            "parse_s": statistics.median(r["parse_s"] for r in ok),
            "parse_s_all": [round(r["parse_s"], 3) for r in ok],
            "cpu_s": statistics.median(r["cpu_s"] for r in ok),
            "import_s": statistics.median(r["import_s"] for r in ok),
            "peak_mb": statistics.median(r["peak_mb"] for r in ok),
            "peak_mb_max": max(r["peak_mb"] for r in ok),
            "rss_after_import_mb": statistics.median(r["rss_after_import_mb"] for r in ok),
            "load1": [round(r["load1"], 2) for r in ok],
            "check": ok[0].get("check"),
            "check_error": ok[0].get("check_error"),
            "check_traceback": ok[0].get("check_traceback"),
        }
    return out


def print_table(summary: dict[str, dict], meta: dict, n: int) -> None:
    base = summary.get("kohesi")
    base_t = base.get("parse_s") if base and "error" not in base else None
    base_c = base.get("cpu_s") if base and "error" not in base else None
    truth_posts = meta["user_messages"]
    hdr = (f"{'parser':<11} {'parse s':>8} {'import s':>8} {'cpu s':>7} {'peak MB':>8} "
           f"{'s/1M':>6} {'MB/1M':>6} {'rows':>9} {'posts ok':>9} {'text ok':>9} {'non-post rows':>13} "
           f"{'x kohesi':>8} {'x cpu':>6}")
    print(hdr)
    print("-" * len(hdr))
    for parser in PARSERS:
        s = summary.get(parser)
        if s is None:
            continue
        if "error" in s:
            err = s["error"].splitlines()[0] if s["error"] else "?"
            print(f"{parser:<11} FAILED: {err[:150]}")
            continue
        c = s.get("check") or {}
        per = 1e6 / n
        rows = c.get("rows")
        if parser == "kohesi":
            posts_ok = c.get("posts_recovered", c.get("posts"))
            text_ok = "-"
            nonpost = c.get("system_as_posts", "-")
        else:
            posts_ok = c.get("posts_recovered")
            text_ok = c.get("text_exact")
            nonpost = c.get("rows_not_posts")
        ratio = "1.0" if parser == "kohesi" else (f"{s['parse_s'] / base_t:.1f}" if base_t else "-")
        cratio = "1.0" if parser == "kohesi" else (f"{s['cpu_s'] / base_c:.1f}" if base_c else "-")
        print(f"{parser:<11} {_fmt_s(s['parse_s']):>8} {_fmt_s(s['import_s']):>8} {_fmt_s(s['cpu_s']):>7} "
              f"{s['peak_mb']:>8.0f} {_fmt_s(s['parse_s'] * per):>6} {s['peak_mb'] * per:>6.0f} "
              f"{rows if rows is not None else '-':>9} {posts_ok if posts_ok is not None else '-':>9} "
              f"{text_ok if text_ok is not None else '-':>9} {nonpost if nonpost is not None else '-':>13} "
              f"{ratio:>8} {cratio:>6}")
    print(f"truth: {truth_posts:,} user messages ({meta['media']:,} media, {meta['deleted']:,} deleted, "
          f"{meta['edited']:,} edited, {meta['multiline_messages']:,} multi-line), "
          f"{meta['system_lines']:,} system lines ({meta['system_with_colon_space']:,} with ': '), "
          f"{meta['authors']} authors")
    print("posts ok: user messages recovered with the right timestamp and author; text ok: and the exact "
          "text (line breaks kept); non-post rows: rows that are not a user message (system lines "
          "read as messages); x kohesi / x cpu: parse wall time / CPU time relative to kohesi "
          "(CPU time is the fairer ratio when the machine is shared).")
    loads = {p: s.get("load1") for p, s in summary.items() if s and "error" not in s}
    if any(max(v or [0]) > (os.cpu_count() or 1) for v in loads.values()):
        print(f"WARNING: load average above the CPU count during some runs ({loads}); wall times "
              "are inflated by other processes; compare CPU times.")
    for parser in PARSERS:
        s = summary.get(parser)
        if not s or "error" in s:
            continue
        c = s.get("check") or {}
        if s.get("check_error"):
            print(f"  {parser}: check failed: {s['check_error']}")
            continue
        if parser == "kohesi":
            extra = {k: c.get(k) for k in ("kinds", "kind_correct", "ts_correct", "rows_aligned_by_line",
                                           "truth_entries_missing", "distinct_post_actors",
                                           "authors_one_to_one", "posts_as_system", "kind_confusion")}
            print(f"  kohesi: {json.dumps(extra, ensure_ascii=False)}")
            print(f"  truth kinds: {json.dumps(c.get('truth_kinds'))}")
        else:
            print(f"  {parser}: multi-line exact {c.get('multiline_exact')}/{c.get('truth_multiline')}, "
                  f"rows with an unknown author {c.get('rows_unknown_author')}, media/deleted/system not flagged")
        if s.get("repeats", 1) > 1:
            print(f"  {parser}: parse s per repeat {s['parse_s_all']}, load1 {s['load1']}")


def kohesi_digest() -> str:
    """Short digest of kohesi's source files: which version of the reader was measured."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted((ROOT / "src" / "kohesi").rglob("*")):
        if f.is_file() and f.suffix in (".py", ".toml"):
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_avg": [round(x, 2) for x in os.getloadavg()], "kohesi_src": kohesi_digest()}
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                info["cpu"] = ln.split(":", 1)[1].strip()
                break
        for ln in Path("/proc/meminfo").read_text().splitlines():
            if ln.startswith("MemTotal"):
                info["mem_gb"] = round(int(ln.split()[1]) / 1e6, 1)
    except OSError:
        pass
    return info


def bench(args) -> dict:
    path = data_file(args.messages, args.style, args.seed)
    meta = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    print(f"# {path.relative_to(ROOT)}: {meta['bytes'] / 1e6:.1f} MB, {meta['entries']:,} entries, "
          f"style {args.style}", file=sys.stderr)
    parsers = [p for p in PARSERS if p in args.only] if args.only else list(PARSERS)
    results: dict[str, list[dict]] = {}
    for prev in args.reuse or []:
        old = json.loads(Path(prev).read_text(encoding="utf-8"))
        if (old.get("messages"), old.get("style"), old.get("seed")) != (args.messages, args.style, args.seed):
            raise SystemExit(f"{prev} was measured on another file; not reusing it")
        for parser, runs in old["runs"].items():
            if not args.only and parser in parsers and all("error" not in r for r in runs):
                parsers.remove(parser)  # --reuse without --only: do not re-run what is reused
            if parser not in parsers and parser not in results:
                for r in runs:
                    r["reused_from"] = f"{prev} ({old.get('when')})"
                results[parser] = runs
                print(f"# {parser}: reusing the run from {prev}", file=sys.stderr)
    for parser in parsers:
        reps = args.repeats if parser == "kohesi" else args.peer_repeats
        python = sys.executable if parser == "kohesi" else args.peer_python
        for i in range(reps):
            print(f"# {parser} run {i + 1}/{reps} ...", file=sys.stderr, flush=True)
            r = run_child(parser, path, python, args.timeout)
            results.setdefault(parser, []).append(r)
            msg = r.get("error") or f"{r['parse_s']:.2f} s, {r['peak_mb']:.0f} MB"
            print(f"#   {msg.splitlines()[0]}", file=sys.stderr, flush=True)
            if "error" in r and "without a result" in r["error"]:
                print(r["error"], file=sys.stderr)
                break
    summary = summarise(results)
    print(f"\nWhatsApp parsing: {args.messages:,} entries, style {args.style}, seed {args.seed}, "
          f"{meta['bytes'] / 1e6:.1f} MB, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
          f"kohesi src {kohesi_digest()}")
    print_table(summary, meta, args.messages)
    return {"kind": "bench", "messages": args.messages, "style": args.style, "seed": args.seed,
            "file": str(path.relative_to(ROOT)), "truth": {k: v for k, v in meta.items() if k != "author_names"},
            "machine": machine(), "summary": summary, "runs": results}


def scale(args) -> dict:
    rows = []
    for n in args.sizes:
        path = data_file(n, args.style, args.seed)
        runs = [run_child("kohesi", path, sys.executable, args.timeout) for _ in range(args.repeats)]
        ok = [r for r in runs if "error" not in r]
        if not ok:
            print(f"{n:>9,}  FAILED: {runs[0]['error'].splitlines()[0]}")
            rows.append({"messages": n, "error": runs[0]["error"]})
            continue
        t = statistics.median(r["parse_s"] for r in ok)
        m = statistics.median(r["peak_mb"] for r in ok)
        base = statistics.median(r["rss_after_import_mb"] for r in ok)
        c = statistics.median(r["cpu_s"] for r in ok)
        rows.append({"messages": n, "parse_s": t, "cpu_s": c, "peak_mb": m, "rss_after_import_mb": base,
                     "load1": [round(r["load1"], 2) for r in ok],
                     "parse_s_all": [round(r["parse_s"], 3) for r in ok],
                     "posts": (ok[0].get("check") or {}).get("posts")})
    print(f"\nkohesi scaling ({args.style}, median of {args.repeats}, {os.cpu_count()} CPUs)")
    print(f"{'messages':>9} {'parse s':>8} {'cpu s':>7} {'µs/msg':>7} {'peak MB':>8} {'after import MB':>16}  load1")
    for r in rows:
        if "error" in r:
            continue
        print(f"{r['messages']:>9,} {r['parse_s']:>8.3f} {r['cpu_s']:>7.3f} {r['parse_s'] / r['messages'] * 1e6:>7.2f} "
              f"{r['peak_mb']:>8.0f} {r['rss_after_import_mb']:>16.0f}  {r['load1']}")
    return {"kind": "scale", "style": args.style, "rows": rows, "machine": machine()}


# ---------------------------------------------------------------------------------------------
# --whole: what a user waits for — a fresh process that imports the parser and reads the file

_WHOLE = {
    "kohesi": "import kohesi; kohesi.read({path!r}, tz='UTC', tag_acts=False)",
    "kohesi+acts": "import kohesi; kohesi.read({path!r}, tz='UTC')",
    "whatstk": "from whatstk import df_from_whatsapp; df_from_whatsapp({path!r}, max_size=None)",
    "chat-miner": ("from chatminer.chatparsers import WhatsAppParser; p = WhatsAppParser({path!r}); "
                   "p.parse_file(); p.parsed_messages.get_df()"),
}


def whole(args) -> dict:
    """Wall time and peak RSS of a fresh ``python -c`` process per parser (interpreter start,
    imports and the read; no check), median of ``--repeats`` (kohesi) or ``--peer-repeats``."""
    path = data_file(args.messages, args.style, args.seed)
    rows = {}
    for parser in args.only or ("kohesi", "kohesi+acts", "whatstk", "chat-miner"):
        py = sys.executable if parser.startswith("kohesi") else args.peer_python
        runs = []
        for _ in range(args.repeats if parser.startswith("kohesi") else args.peer_repeats):
            with tempfile.TemporaryFile() as log:  # a file, not a pipe: a peer's progress bars would fill it
                t0 = time.perf_counter()
                proc = subprocess.Popen([py, "-c", _WHOLE[parser].format(path=str(path))],
                                        stdout=subprocess.DEVNULL, stderr=log)
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - t0
                log.seek(0)
                err = log.read().decode(errors="replace")[-300:] if status else ""
            runs.append({"wall_s": wall, "peak_mb": usage.ru_maxrss / 1024, "error": err or None})
        ok = [r for r in runs if not r["error"]]
        rows[parser] = ({"wall_s": statistics.median(r["wall_s"] for r in ok),
                         "peak_mb": statistics.median(r["peak_mb"] for r in ok), "runs": runs}
                        if ok else {"error": runs[0]["error"], "runs": runs})
        print(f"# {parser}: {rows[parser].get('wall_s', float('nan')):.2f} s", file=sys.stderr, flush=True)
    base = rows.get("kohesi", {}).get("wall_s")
    print(f"\nWhole process (start, import, read): {args.messages:,} entries, style {args.style}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'parser':<12} {'wall s':>8} {'peak MB':>8} {'× kohesi':>9}")
    for parser, r in rows.items():
        if "error" in r:
            print(f"{parser:<12} failed: {r['error'].splitlines()[-1] if r['error'] else ''}")
            continue
        ratio = f"{r['wall_s'] / base:.1f}" if base else "-"
        print(f"{parser:<12} {r['wall_s']:>8.2f} {r['peak_mb']:>8.0f} {ratio:>9}")
    return {"kind": "whole", "messages": args.messages, "style": args.style, "rows": rows, "machine": machine()}


# ---------------------------------------------------------------------------------------------
# --profile: where kohesi.read spends its time and memory, by source statement


def profile(path: Path, interval: float = 0.002, top: int = 25) -> None:
    """Sample the main thread's stack (and RSS) while ``kohesi.read`` runs; print per statement.

    cProfile attributes all polars/DuckDB work to ``collect``/``fetch``; this sampler names the
    kohesi line that triggered it. Native code releases the GIL, so the samples keep coming.
    Times are inclusive (a statement's callees count towards it); MB is the peak RSS seen while
    the statement ran.
    """
    import linecache
    import threading

    import kohesi

    page = os.sysconf("SC_PAGE_SIZE")
    main_id = threading.get_ident()
    samples: list[tuple[float, tuple, float]] = []
    done = threading.Event()

    def rss_mb() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * page / 1e6

    def sampler() -> None:
        while not done.is_set():
            fr = sys._current_frames().get(main_id)
            chain = []
            while fr is not None:
                fn = fr.f_code.co_filename
                if "/kohesi/" in fn and "site-packages" not in fn:
                    chain.append((fn, fr.f_lineno, fr.f_code.co_name))
                fr = fr.f_back
            samples.append((time.perf_counter(), tuple(chain), rss_mb()))
            time.sleep(interval)

    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    t0 = time.perf_counter()
    kohesi.read(str(path), tz="UTC")
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    incl: dict[tuple, float] = {}
    peak: dict[tuple, float] = {}
    for (ta, chain, r), (tb, _, _) in zip(samples, samples[1:], strict=False):
        for key in set(chain):
            incl[key] = incl.get(key, 0.0) + (tb - ta)
            peak[key] = max(peak.get(key, 0.0), r)
    print(f"kohesi.read({path.name}): {wall:.2f} s under the sampler, peak RSS "
          f"{max(r for _, _, r in samples):.0f} MB, load {os.getloadavg()[0]:.1f}")
    print(f"{'incl s':>7} {'peak MB':>8}  statement")
    for key, dt in sorted(incl.items(), key=lambda kv: -kv[1])[:top]:
        fn, ln, func = key
        src = linecache.getline(fn, ln).strip()[:80]
        short = fn.split("/kohesi/", 1)[-1]
        print(f"{dt:7.3f} {peak[key]:8.0f}  {short}:{ln} {func}: {src}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        res = child(argv[1], argv[2])
        print(MARK + json.dumps(res, ensure_ascii=False, default=str), flush=True)
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=1_000_000, help="entries in the export (default 1M)")
    ap.add_argument("--style", default="android-en",
                    choices=("android-en", "android-id", "ios-en", "ios-id"),
                    help="android-en (22/11/2026, 05:53 - ) is read by all three parsers")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", type=lambda s: [x.strip() for x in s.split(",")], default=None,
                    help=f"comma-separated subset of {', '.join(PARSERS)}")
    ap.add_argument("--repeats", type=int, default=3, help="kohesi repeats (median), default 3")
    ap.add_argument("--peer-repeats", type=int, default=1, help="repeats for the slow peers, default 1")
    ap.add_argument("--peer-python", default=default_peer_python(),
                    help="interpreter with whatstk and chat-miner installed")
    ap.add_argument("--timeout", type=float, default=1800, help="per-run limit in seconds")
    ap.add_argument("--scale", action="store_true", help="kohesi alone at --sizes")
    ap.add_argument("--whole", action="store_true",
                    help="each parser as a fresh process: interpreter start, import and read (what a user waits for)")
    ap.add_argument("--profile", action="store_true",
                    help="sample kohesi.read on the export, print time and peak RSS per statement")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                    default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--reuse", action="append", metavar="JSON",
                    help="take parsers from an earlier result file of the same export instead of "
                    "running them again (e.g. the slow peers' single 1M run); with --only, only the "
                    "parsers not listed there are taken")
    ap.add_argument("--json", type=Path, default=None, help="where to write the results (default bench/out/)")
    args = ap.parse_args(argv)
    if args.only:
        bad = set(args.only) - set(PARSERS) - ({"kohesi+acts"} if args.whole else set())
        if bad:
            ap.error(f"unknown parser(s) {', '.join(sorted(bad))}")
    if args.profile:
        profile(data_file(args.messages, args.style, args.seed))
        return 0
    result = whole(args) if args.whole else scale(args) if args.scale else bench(args)
    result["argv"] = argv
    result["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    dest = args.json
    if dest is None:
        OUT.mkdir(parents=True, exist_ok=True)
        tag = "scale" if args.scale else f"{'whole-' if args.whole else ''}{'-'.join(args.only or ['all'])}-{args.style}-{args.messages}"
        dest = OUT / f"whatsapp-{tag}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}.json"
    dest.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\n(results: {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
