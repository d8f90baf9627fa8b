"""Fuzzing every reader: hostile variants of valid inputs must read or fail cleanly.

For each reader format (WhatsApp .txt and .zip, Telegram result.json, DiscordChatExporter .json
and .csv, Slack workspace zip, mbox, and .csv / .jsonl / .parquet tables with a mapping), a small
valid fixture (:mod:`helpers.fuzz`) is mutated with fixed seeds — bytes flipped, inserted, deleted,
duplicated or cut, NUL and invalid UTF-8 inserted, numbers made huge, JSON nested deep, fields
given the wrong type or an out-of-range time, zip members damaged or flagged as encrypted — and
hypothesis draws structured-but-wrong inputs (JSON values in the fields of a valid message,
header lines of odd dates, CSV cells, mail headers).

The oracle, for every input: ``kohesi.ingest.read(path, tz="UTC", …)`` returns events with every
column of the canonical schema (valid Arrow data), or raises ``InputError`` with a one-line
message naming the file. Any other exception, a crash, a read taking over 15 s or allocating
over 2 GiB fails the test. Each read runs in a worker process (:class:`helpers.fuzz.Worker`) so that a
segfault or a memory blow-up fails the test instead of killing it.

Nothing here is marked xfail: a failure is a reader bug. The failure message lists the failing
inputs by class (format, exception, place in kohesi) with the path of each kept input.

Run ``python tests/ingest/test_fuzz_readers.py`` for the table of inputs tried, read, refused
with an InputError and failed per format (extra arguments go to pytest).
"""

from __future__ import annotations

import copy
import csv
import io
import sys
from pathlib import Path

if __name__ == "__main__":  # a module-level run: pytest on this file, then the counts
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # ``helpers``, as pytest finds it
    import pytest

    from helpers import fuzz

    code = pytest.main([__file__, "-p", "no:cacheprovider", *sys.argv[1:]])
    print("\ninputs per format (mutations, then hypothesis examples):")
    print(fuzz.tally_table())
    if fuzz.FAILURES:
        print()
        print(fuzz.describe(fuzz.FAILURES, limit=200))
    raise SystemExit(code)

import pytest  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers import fuzz  # noqa: E402

# ------------------------------------------------------------------------------- the worker pool


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    p = fuzz.Pool(tmp_path_factory.mktemp("fuzz"))
    p.start()
    yield p
    p.close()


def check(results: list[fuzz.Result]) -> None:
    failures = [r for r in results if r.failed]
    if failures:
        raise AssertionError(fuzz.describe(failures))


# ------------------------------------------------------------------------------- the fixtures


@pytest.mark.parametrize("case", fuzz.valid_cases(), ids=lambda c: f"{c.fmt}-{c.label.split()[-1]}")
def test_valid_fixture_reads(pool, case):
    """The harness's own check: every unmutated fixture reads, in every format."""
    result = pool.run_one(case)
    assert result.outcome == "read", fuzz.describe([result]) if result.failed else result.message


def test_mutations_are_deterministic():
    """Fixed seeds: the same inputs on every run (checked on the first cases of each format)."""
    for fmt in fuzz.FORMATS:
        a = [(c.label, c.data, c.kwargs) for c in fuzz.mutation_cases(fmt, 12, special=False)]
        b = [(c.label, c.data, c.kwargs) for c in fuzz.mutation_cases(fmt, 12, special=False)]
        assert a == b, fmt
        assert len({d for _, d, _ in a}) >= 10, f"{fmt}: mutations should mostly differ"


# ------------------------------------------------------------------------------- mutation fuzzing


@pytest.mark.parametrize("fmt", fuzz.FORMATS)
def test_mutated_inputs_read_or_raise_input_error(pool, fmt):
    check(pool.run(fuzz.mutation_cases(fmt), tally=fmt))


# ------------------------------------------------------------------------------- hypothesis

PROPERTY = settings(max_examples=max(1, round(25 * fuzz.SCALE)), deadline=None, derandomize=True, database=None,
                    print_blob=False, phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

RAW = st.sampled_from([
    fuzz.Raw("9" * 100), fuzz.Raw("-" + "9" * 45), fuzz.Raw("1e309"), fuzz.Raw("NaN"), fuzz.Raw("-Infinity"),
    fuzz.Raw("[" * 200 + "]" * 200), fuzz.Raw('{"a":' * 200 + "1" + "}" * 200), fuzz.Raw('"\\ud800"'),
    fuzz.Raw('"a\\u0000b"'),
])
JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20), st.sampled_from(fuzz.TIME_STRINGS), RAW,
)
JSON = st.recursive(JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=6), st.sampled_from(["id", "name", "text", "type", "ts"])), inner,
                    max_size=3)), max_leaves=8)
"""JSON values: every type, huge and special numbers, odd times, nesting past the readers' bounds."""


def read_drawn(pool, fmt: str, data: bytes, name: str | None = None, **kwargs) -> None:
    case = fuzz.Case(f"{fmt} (hypothesis)", "drawn by hypothesis", name or fuzz.FILE_NAMES[fmt], data,
                     fuzz.read_options(fmt, **kwargs))
    check([pool.run_one(case, tally=case.fmt)])


def _edits(paths: list[tuple]):
    return st.lists(st.tuples(st.integers(0, 30), st.sampled_from(paths), JSON), min_size=1, max_size=3)


TELEGRAM_PATHS = [
    ("id",), ("type",), ("date",), ("date_unixtime",), ("from",), ("from_id",), ("text",), ("text", 1),
    ("text", 1, "type"), ("text", 3, "user_id"), ("text_entities",), ("text_entities", 0, "type"),
    ("reply_to_message_id",), ("reactions",), ("reactions", 0, "recent"), ("reactions", 0, "recent", 0, "from_id"),
    ("reactions", 0, "recent", 0, "date"), ("reactions", 0, "count"), ("reactions", 0, "emoji"), ("edited",),
    ("edited_unixtime",), ("actor",), ("actor_id",), ("action",), ("members",), ("members", 0), ("inviter",),
    ("message_id",), ("photo",), ("file",), ("media_type",), ("mime_type",), ("forwarded_from",), ("title",),
]


@PROPERTY
@given(edits=_edits(TELEGRAM_PATHS), top=st.one_of(st.none(), st.tuples(st.sampled_from(["name", "id", "type"]),
                                                                          JSON)))
def test_telegram_fields_of_any_json_type(pool, edits, top):
    doc = copy.deepcopy(fuzz.TELEGRAM)
    for i, path, value in edits:
        fuzz.put(doc["messages"][i % len(doc["messages"])], path, value)
    if top is not None:
        doc[top[0]] = top[1]
    read_drawn(pool, "telegram-json", fuzz.dumps(doc))


DISCORD_PATHS = [
    ("id",), ("type",), ("timestamp",), ("timestampEdited",), ("content",), ("author",), ("author", "id"),
    ("author", "isBot"), ("author", "nickname"), ("author", "name"), ("attachments",), ("attachments", 0),
    ("attachments", 0, "fileName"), ("attachments", 0, "url"), ("stickers",), ("reactions",), ("reactions", 0),
    ("reactions", 0, "emoji"), ("reactions", 0, "emoji", "name"), ("reactions", 0, "count"),
    ("reactions", 0, "users"), ("reactions", 0, "users", 0), ("mentions",), ("mentions", 0), ("mentions", 0, "id"),
    ("reference",), ("reference", "messageId"), ("reference", "type"), ("forwardedMessage",),
]


@PROPERTY
@given(edits=_edits(DISCORD_PATHS), top=st.one_of(st.none(), st.tuples(
    st.sampled_from([("guild",), ("guild", "name"), ("channel",), ("channel", "name")]), JSON)))
def test_discord_fields_of_any_json_type(pool, edits, top):
    doc = copy.deepcopy(fuzz.DISCORD)
    for i, path, value in edits:
        fuzz.put(doc["messages"][i % len(doc["messages"])], path, value)
    if top is not None:
        fuzz.put(doc, top[0], top[1])
    read_drawn(pool, "discord-json", fuzz.dumps(doc))


SLACK_MESSAGE_PATHS = [
    ("ts",), ("user",), ("text",), ("type",), ("subtype",), ("thread_ts",), ("parent_user_id",), ("reactions",),
    ("reactions", 0), ("reactions", 0, "users"), ("reactions", 0, "users", 0), ("reactions", 0, "count"),
    ("reactions", 0, "name"), ("files",), ("files", 0), ("files", 0, "mimetype"), ("files", 0, "filetype"),
    ("edited",), ("bot_id",), ("user_profile",), ("user_profile", "display_name"), ("root",), ("reply_users",),
]
SLACK_LISTING_PATHS = [("id",), ("name",), ("members",), ("members", 0), ("profile",), ("profile", "display_name"),
                       ("real_name",), ("is_bot",), ("deleted",)]


@PROPERTY
@given(edits=st.lists(st.tuples(st.sampled_from(sorted(fuzz.SLACK)), st.integers(0, 30),
                                st.sampled_from(SLACK_MESSAGE_PATHS + SLACK_LISTING_PATHS), JSON),
                      min_size=1, max_size=3),
       whole=st.one_of(st.none(), st.tuples(st.sampled_from(sorted(fuzz.SLACK)), JSON)))
def test_slack_fields_of_any_json_type(pool, edits, whole):
    files = copy.deepcopy(fuzz.SLACK)
    for name, i, path, value in edits:
        fuzz.put(files[name][i % len(files[name])], path, value)
    if whole is not None:
        files[whole[0]] = whole[1]
    read_drawn(pool, "slack-zip", fuzz.slack_zip(files))


NUMBER = st.one_of(st.integers(0, 99), st.sampled_from([0, 12, 13, 24, 29, 31, 32, 60, 99, 2024, 9999, 10**5, 10**20]))
NAME = st.one_of(st.sampled_from(["Budi", "Siti", "+62 812-3456-7890", "\u202a+62\u00a0812\u202c", "", " "]),
                 st.text(max_size=12))


@st.composite
def whatsapp_lines(draw):
    ios = draw(st.booleans())
    d, m, y, hh, mm, ss = (draw(NUMBER) for _ in range(6))
    suffix = draw(st.sampled_from(["", " AM", "\u202fPM", " pm", " pagi"]))
    if ios:
        stamp = f"[{d:02}/{m:02}/{y % 100 if draw(st.booleans()) else y:02}, {hh:02}.{mm:02}.{ss:02}{suffix}] "
        lead = draw(st.sampled_from(["", "\u200e"]))
    else:
        stamp = f"{d:02}/{m:02}/{y}, {hh:02}:{mm:02}{suffix} - "
        lead = ""
    body = draw(st.one_of(st.text(max_size=40), st.sampled_from([
        "<Media omitted>", "This message was deleted", "\u200eimage omitted", "x <This message was edited>",
        "@Siti @Budi", "\u200eBudi added Siti", "Budi left", "Budi removed Siti", "Budi changed the subject to \"x\"",
    ])))
    author = draw(st.one_of(st.none(), NAME))
    line = f"{lead}{stamp}{'' if author is None else author + ': '}{body}"
    more = draw(st.lists(st.text(max_size=20), max_size=2))  # continuation lines
    return "\n".join([line, *more])


@PROPERTY
@given(prefix=st.sampled_from([0, 3, 6]), lines=st.lists(whatsapp_lines(), min_size=1, max_size=6),
       junk=st.one_of(st.none(), st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8))),
       ios=st.booleans())
def test_whatsapp_header_lines_of_odd_dates(pool, prefix, lines, junk, ios):
    base = fuzz.WHATSAPP_IOS if ios else fuzz.WHATSAPP_ANDROID
    text = "\n".join(base.split("\n")[:prefix] + lines) + "\n"
    data = text.encode("utf-8", "surrogatepass")
    if junk is not None:
        at = junk[0] % (len(data) + 1)
        data = data[:at] + junk[1] + data[at:]
    read_drawn(pool, "whatsapp-txt", data)


MAIL_VALUE = st.one_of(st.text(max_size=30), st.sampled_from([
    "Fri, 01 Mar 2024 16:00:00 +0700", "Fri, 01 Mar 99999 16:00:00 +0700", "Fri, 31 Feb 2024 16:00:00 +0700",
    "Fri, 01 Mar 2024 16:00:00 +9999", "1709283600", "=?utf-8?b?////?=", "=?x-unknown?q?abc?=",
    "=?utf-8?q?=FF?= <a@b>", "Budi <budi@example.org>", "siti at example dot org (Siti)", "<m1@example.org>",
    "<>", "multipart/mixed; boundary=\"XYZ\"", "text/plain; charset=x-nope", "message/rfc822", "base64",
]))
MAIL_HEADERS = ["From", "Date", "Subject", "Message-ID", "In-Reply-To", "References", "List-Id", "Content-Type",
                "Content-Transfer-Encoding", "MIME-Version"]


@st.composite
def mail(draw):
    sep = draw(st.one_of(st.just("budi@example.org Fri Mar  1 09:00:00 2024"), st.text(max_size=30)))
    headers = draw(st.lists(st.tuples(st.sampled_from(MAIL_HEADERS), MAIL_VALUE), min_size=1, max_size=6))
    body = draw(st.text(max_size=60))
    text = f"From {sep}\n" + "".join(f"{k}: {v}\n" for k, v in headers) + "\n" + body + "\n\n"
    return text.encode("utf-8", "surrogatepass")


@PROPERTY
@given(mails=st.lists(mail(), min_size=1, max_size=3), keep=st.booleans(),
       junk=st.one_of(st.none(), st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=6))))
def test_mbox_headers_of_any_text(pool, mails, keep, junk):
    data = (fuzz.MBOX.encode() if keep else b"") + b"".join(mails)
    if junk is not None:
        at = junk[0] % (len(data) + 1)
        data = data[:at] + junk[1] + data[at:]
    read_drawn(pool, "mbox", data)


CELL = st.one_of(st.text(max_size=20), st.sampled_from(fuzz.TIME_STRINGS[:24]),
                 st.integers(-(10**30), 10**30).map(str), st.floats().map(repr),
                 st.datetimes().map(lambda t: t.isoformat() + "Z"))
"""A CSV cell: any text, an odd time, a huge number."""
TIME = st.one_of(*[st.sampled_from(["2024-03-05T10:00:00Z", "2024-03-05 12:35:00", "2024-03-05T19:30:00+07:00",
                                    "2024-03-05", "2024-05-20T16:00:00.000+00:00"])] * 2, CELL)
"""A time cell: valid two times in three (so that most inputs get past the first bad time)."""
NAMES = st.one_of(st.sampled_from(["Budi", "Siti", "+62 812-3456-7890"]), CELL)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@PROPERTY
@given(rows=st.lists(st.tuples(st.one_of(st.sampled_from(["111", "222"]), CELL), NAMES, TIME, CELL,
                               st.one_of(st.just(""), st.sampled_from(["https://x/a.png", "a.ogg,b.pdf", ","]), CELL),
                               CELL),
                     min_size=1, max_size=5),
       counts=st.lists(st.integers(0, 10**30), max_size=2))
def test_discord_csv_cells_of_any_text(pool, rows, counts):
    rows = [[*r[:5], " ".join(f"\U0001f44d ({n})" for n in counts) or r[5]] for r in rows]
    data = _csv([["AuthorID", "Author", "Date", "Content", "Attachments", "Reactions"], *rows])
    read_drawn(pool, "discord-csv", data)


@PROPERTY
@given(rows=st.lists(st.tuples(st.text(max_size=5), NAMES, TIME, st.text(max_size=5), CELL,
                               st.one_of(st.sampled_from(["message", "media", "add", "system", "activity", ""]),
                                         st.text(max_size=8))),
                     min_size=1, max_size=5))
def test_table_csv_cells_of_any_text(pool, rows):
    header = ["id", "sender", "time", "parent", "body", "topic", "type", "to"]
    data = _csv([header, *[[i, actor, ts, parent, body, "t", kind, ""] for i, actor, ts, parent, body, kind in rows]])
    read_drawn(pool, "table-csv", data)


@PROPERTY
@given(rows=st.lists(st.dictionaries(st.sampled_from(list(fuzz.JSONL_HOT)), JSON, max_size=2), min_size=1,
                     max_size=4))
def test_table_jsonl_cells_of_any_json_type(pool, rows):
    rows = [{**fuzz.TABLE_JSONL_ROWS[i % 3], **r} for i, r in enumerate(rows)]
    read_drawn(pool, "table-jsonl", fuzz.jsonl_bytes(rows))


@PROPERTY
@given(ts=st.lists(st.one_of(st.none(), TIME), min_size=3, max_size=3),
       actor=st.lists(st.one_of(st.none(), st.text(max_size=8)), min_size=3, max_size=3),
       mapping=st.booleans())
def test_table_parquet_string_columns_of_any_text(pool, ts, actor, mapping):
    import pyarrow as pa

    cols = fuzz.parquet_table_columns()
    cols["ts"] = pa.array(ts, pa.string())
    cols["actor"] = pa.array(actor, pa.string())
    read_drawn(pool, "table-parquet", fuzz.parquet_bytes(cols),
               **({"mapping": fuzz.PARQUET_MAPPING} if mapping else {}))


# ------------------------------------------------------------------------------- the harness itself

BROKEN = ["value-error", "recursion", "input-error-without-file", "input-error-two-lines", "memory", "bad-schema",
          "bad-type", "hang", "segfault"]


def test_harness_fails_on_broken_readers(pool):
    """A 'reader' that raises another exception, names no file, writes two lines, allocates 3 GiB,
    drops or mistypes a column, hangs or segfaults must be a failure; a healthy read is not.
    (Runs last: the hang and the crash cost the worker.)"""
    fixture = fuzz.valid_cases()[0]
    ok = pool.run_one(fuzz.Case("selftest", "ok", fixture.name, fixture.data, {}, test_hook="ok"))
    assert ok.outcome == "read", fuzz.describe([ok])
    for hook in BROKEN:
        case = fuzz.Case("selftest", hook, fixture.name, fixture.data, {}, test_hook=hook)
        # the hang and the crash each cost a worker: one each, as no test runs after this one
        result = pool.run_one(case, timeout=1.0 if hook == "hang" else fuzz.TIMEOUT, worker=hook == "segfault")
        assert result.failed, (hook, result)
        assert fuzz.describe([result]).startswith("1 inputs failed")
        if hook == "memory":
            assert result.type == "builtins.MemoryError", result
        if hook == "segfault":
            assert "SIGSEGV" in result.why, result

