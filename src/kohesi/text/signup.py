"""Numbered sign-up lists: one shared activity, followed across the messages that extend it.

RT groups organise kerja bakti, ronda, qurban and lomba by a list that members copy, extend with
their own name and post again::

    Kerja bakti Minggu 14 Juni
    1. Pak Harjo
    2. Bu Yuni
    3. Mas Dedi        ← posted by Mas Dedi: he signed up

Rules (each with a test in ``tests/text/test_signup.py``):

- A message is a list when it has at least two numbered lines (``1.``, ``2)``, ``3 -``; empty
  slots of a template count), or one line numbered 1, of at most four words, under a header line.
  A **template**, a header over empty slots only ("Yang bisa ikut tulis nama:\n1."), is a list
  without items: it opens a chain for the names to come.
- A message that is one line numbered 1 and nothing else ("1. Ijal", at most six words) is a
  list only where it extends an open chain of at most one item (the first name written into a
  template); alone, it is not a list.
- A **schedule** is a list too: at least three lines that open with a day of the week
  (Indonesian, Javanese, Sundanese or English: "Senin:", "Rebo -", "Mon –") or a date ("1
  Ramadhan:", "12 Juni -", "Tgl 5:"), each followed by the names taking that day, separated by
  commas, "&", "dan"/"and" or numbers ("Senin: 1. Warsito 2. 3."), or by nothing (a day still
  open). The day lines may be numbered ("1. Senen: Kang Asep, Pak Ade"), or be headings ("Senin:")
  with the names numbered on the lines under each ("1. Pak Syahrial", "2."). Its items are the
  names, numbered by day and place.
- A list belongs to the open chain it shares most items with (at least half of the shorter
  list's items), or whose header it shares (at least half of the header words; headers
  that share less than a third of their words are two activities, whatever names they share,
  and so are headers that name different dates: another month or day number, "Jadwal ronda
  bulan Maret" after "… Februari", "Kerja bakti Minggu 14 Juni" after "Jadwal ronda bulan Juni";
  but a header naming some of the other's days, one of them at least, names the same dates ("Sabtu
  13 April" copies "… Sabtu 13 dan Minggu 14 April"), and an hour is no date ("Gotong royong
  Minggu 14" copies "Minggu tanggal 14 … jam 7"); a copy that holds every item of a list of two or more is a
  version of it whatever it says above them: "salah kirim 😅"), or, having no header of its
  own, to the open chain that has no items yet (a template); otherwise it starts a new chain.
  Two lists extended at the same time are two chains.
- Posting a list with an item no earlier version had **signs the poster up** (one sign-up per
  message, whatever number of names it adds: a household signs together). The first version of
  a chain signs its poster up only when it holds one item (the organiser opening the list with
  their own name); a longer first list is a roster, not a sign-up. (Blind annotators of whole
  chats often read the poster of a new list of two names as its second: counting those would gain
  22 messages and lose 7 of 7,800 labelled, but would make every two-point agenda or topic schedule,
  "Jadwal kajian pekan ini:\n1. Senin: Tafsir\n2. Kamis: Fiqih", a sign-up and a co-participation.)
- A list posted back with the same items, or with items only edited (same number, the item's
  first word kept: "3. Bu Yuni" → "3. Bu Yuni + suami"), signs no one up.
- A chain is closed after ``max_gap_days`` without a new version; a list is compared with the
  ``max_open`` chains extended most recently (a chat holds only a few lists in play at once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

__all__ = ["ListPost", "numbered_items", "list_posts", "SignupChains", "LIST_PREFILTER"]

_ITEM = re.compile(r"^\s*[*•\-]?\s*(\d{1,3})\s*[.):\-]\s*(\S.*?)\s*$")
_SLOT = re.compile(r"^\s*[*•\-]?\s*\d{1,3}\s*[.)]\s*$")
"""An empty numbered slot of a template ("3.") waiting for a name."""
_CLEAN = re.compile(r"[^\w\s+/]")
_LONE_ITEM = r"^\s*[*•\-]?\s*1\s*[.):\-]\s*\S"
"""A one-line text that may be the first name written into a template ("1. Ijal")."""

_DAYS = {
    0: "senin senen sen mon monday",
    1: "selasa salasa sel tue tues tuesday",
    2: "rabu rebo rab wed weds wednesday",
    3: "kamis kemis kam thu thur thurs thursday",
    4: "jumat jum'at jumaat jemuah jumaah jumuah jum fri friday",
    5: "sabtu setu saptu sab sat saturday",
    6: "minggu minggon ahad ahat min sun sunday",
}
DAY_INDEX = {w: d for d, words in _DAYS.items() for w in words.split()}
"""Day of the week (0 = Monday) of each weekday name or abbreviation a schedule line may open with."""
_DAY_NAMES = "|".join(sorted(map(re.escape, DAY_INDEX), key=len, reverse=True))
_MONTHS = frozenset(
    "januari februari maret april mei juni juli agustus september oktober november desember "
    "january february march june july august october december jan feb mar apr may jun jul aug agu ags "
    "sep sept okt oct nov des dec pebruari nopember".split())
"""Month names and abbreviations (Indonesian and English) a list's header may name."""
_DATE_MONTHS = "|".join(sorted(_MONTHS | {"ramadhan", "ramadan", "romadhon", "syawal", "dzulhijjah"}, key=len,
                               reverse=True))
"""The months a schedule line's date may name: the calendar's and the Hijri months of the fasting
and the feasts."""
_DATE = rf"(?i:tgl|tanggal|tg)\.?\s*\d{{1,2}}|\d{{1,2}}\s+(?i:{_DATE_MONTHS})"
"""A date that opens a schedule line: "1 Ramadhan", "12 Juni", "Tgl 5" (a day of the month; the colon
or dash after it ends the word, so no word boundary, which would slow the column-wide prefilter)."""
_DAY_LINE = re.compile(rf"(?i)^\s*[*•\-]?\s*(?:\d{{1,2}}\s*[.)]\s*)?({_DAY_NAMES}|{_DATE})\.?\s*[:=–—\-]\s*(.*?)\s*$")
_NAME_SEP = r"\s*(?:,|;|&|/|\+|\band\b|\bdan\b|\blan\b|\bjeung\b|\b\d{1,2}\s*[.)])\s*"

LIST_PREFILTER = rf"(?m)^\s*[*•\-]?\s*(?:\d{{1,3}}\s*[.):\-]|(?:(?i:{_DAY_NAMES})|{_DATE})\.?\s*[:=–—\-])"
"""Regex a text must match to be a candidate list (cheap to run on a whole column: case is
ignored only around words, a case-blind ``\\d`` or ``\\s`` makes it four times slower)."""


@dataclass(slots=True)
class ListPost:
    """A numbered list in a message: its header and its items (number, matching key); with the
    sets a chain compares (its keys, its header's words, the dates its header names), derived
    from those two unless given (:func:`list_posts` gathers the keys and words column by column)."""

    header: str
    items: tuple[tuple[int, str], ...]
    keys: frozenset[str] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    header_words: frozenset[str] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    dates: frozenset[str] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    """The months and day numbers its header names: lists for two dates are two activities."""
    opens: bool = field(default=True, compare=False)
    """Whether it may open a chain: a lone line numbered 1 only extends one."""

    def __post_init__(self) -> None:
        if self.keys is None:
            self.keys = frozenset(k for _, k in self.items)
        if self.header_words is None:
            self.header_words = frozenset(self.header.split())
        if self.dates is None:
            self.dates = _dates(self.header)


_HOUR = re.compile(r"\b(?:jam|pukul|pkl|jm|at)\s+\d{1,2}(?:\s+\d{2})?\b")
"""An hour in a header key ("jam 7", "pukul 07 00"): no date."""


@lru_cache(maxsize=4096)
def _dates(header: str) -> frozenset[str]:
    """The months and day numbers a header (its key) names, its hours left out (cached: the
    versions of a list repeat its header)."""
    return frozenset(w for w in _HOUR.sub(" ", header).split() if w in _MONTHS or w.isdigit())


def list_posts(texts: pl.Series) -> list[ListPost | None]:
    """:func:`numbered_items` of every text, columnar: the lines of all texts are matched in one
    pass, the items and header words are gathered as list columns, and only the lists' objects
    are made in Python."""
    n = len(texts)
    out: list[ListPost | None] = [None] * n
    lines = (
        pl.DataFrame({"i": pl.int_range(n, eager=True), "t": texts.cast(pl.String)})
        .filter(pl.col("t").str.contains("\n", literal=True) | pl.col("t").str.contains(_LONE_ITEM))
        .select("i", line=pl.col("t").str.replace_all("\r\n?", "\n").str.split("\n"))
        .explode("line")
        .set_sorted("i")  # each text's lines together: polars groups them without hashing
    )
    parsed = (  # each distinct line once: the versions of a list repeat the lines of the last
        lines.select(pl.col("line").unique())
        .with_columns(item=pl.col("line").str.extract_groups(_ITEM.pattern),
                      slot=pl.col("line").str.contains(_SLOT.pattern),
                      day_line=pl.col("line").str.extract_groups(_DAY_LINE.pattern))
        .select(
            "line", "slot",
            num=pl.col("item").struct[0].cast(pl.Int64, strict=False),
            key=_key_expr(pl.col("item").struct[1]),
            day=pl.col("day_line").struct[0].str.to_lowercase().replace_strict(DAY_INDEX, default=None,
                                                                                return_dtype=pl.Int64)
            .fill_null(7 + pl.col("day_line").struct[0].str.extract(r"(\d+)").cast(pl.Int64)),  # dates after the week
            names=pl.col("day_line").struct[1],
        )
    )
    lines = (
        lines.join(parsed, on="line", how="left", maintain_order="left", nulls_equal=True)
        .with_columns(before=(pl.col("num").is_not_null() | pl.col("slot")).cum_sum().over("i") == 0,
                      before_day=pl.col("day").is_not_null().cum_sum().over("i") == 0,
                      under=pl.col("day").forward_fill().over("i"))  # the day heading a line is under
    )
    if lines.is_empty():
        return out
    text_line = pl.col("line").str.strip_chars() != ""
    under_heading = pl.col("num").is_not_null() & pl.col("day").is_null() & pl.col("under").is_not_null()
    per = lines.group_by("i", maintain_order=True).agg(
        header=_key_expr(pl.col("line").filter(pl.col("before") & text_line).str.join(" ")),
        day_header=_key_expr(pl.col("line").filter(pl.col("before") & pl.col("before_day") & text_line).str.join(" ")),
        num=pl.col("num").drop_nulls(),
        key=pl.col("key").filter(pl.col("num").is_not_null()),
        slots=pl.col("slot").sum(),
        day=pl.col("day").drop_nulls(),
        names=pl.col("names").filter(pl.col("day").is_not_null()),
        under_num=(100 * (pl.col("under") + 1) + pl.col("num")).filter(under_heading),
        under_key=pl.col("key").filter(under_heading),
    )
    schedule = pl.col("day").list.len() >= 3
    numbered = ~schedule & ((pl.col("num").list.len() > 0) | (pl.col("slots") > 0))
    for i, header, days, names, nums, keys in per.filter(schedule).select(
            "i", "day_header", "day", "names", "under_num", "under_key").iter_rows():
        out[i] = ListPost(header=header, items=_schedule_items(days, names) + tuple(zip(nums, keys, strict=True)))
    lists = per.filter(numbered).select("i", "header", "num", "key", "slots",
                                        words=pl.col("header").str.extract_all(r"\S+"))
    for i, header, nums, keys, slots, hw in zip(*(c.to_list() for c in lists.iter_columns()), strict=True):
        one = len(nums) == 1 and nums[0] == 1 and not slots
        if len(nums) + slots >= 2 or (one and header and keys[0].count(" ") < 4) or (not nums and header):
            out[i] = ListPost(header, tuple(zip(nums, keys, strict=True)), frozenset(keys), frozenset(hw))
        elif one and not header and keys[0].count(" ") < 6:
            out[i] = ListPost(header, ((1, keys[0]),), frozenset(keys), frozenset(), opens=False)
    return out


def _schedule_items(days: list[int], names: list[str | None]) -> tuple[tuple[int, str], ...]:
    """Items of a weekday schedule: each name, numbered ``100 × (day + 1) + place``."""
    items = []
    for day, line in zip(days, names, strict=True):
        keys = [_key(n) for n in re.split(_NAME_SEP, line or "", flags=re.I)]
        items += [(100 * (day + 1) + j, k) for j, k in enumerate((k for k in keys if k), 1)]
    return tuple(items)


def _key_expr(col: pl.Expr) -> pl.Expr:
    """:func:`_key` as a polars expression."""
    return col.str.to_lowercase().str.replace_all(_CLEAN.pattern, " ").str.replace_all(r"\s+", " ").str.strip_chars()


def numbered_items(text: str | None) -> ListPost | None:
    """The numbered list in ``text``, or None when it is not a list.

    >>> numbered_items("Kerja bakti Minggu\\n1. Pak Harjo\\n2) Bu  Yuni").items
    ((1, 'pak harjo'), (2, 'bu yuni'))
    >>> numbered_items("Rapat jam 7.30 ya") is None
    True
    """
    return list_posts(pl.Series([text], dtype=pl.String))[0]


def _key(text: str) -> str:
    """Matching key of a list line: lower case, letters and digits only, single spaces."""
    return " ".join(_CLEAN.sub(" ", text.lower()).split())


def _first_word(key: str) -> str:
    words = [w for w in key.split() if w not in _TITLES]
    return words[0] if words else key


_TITLES = frozenset(
    "pak bpk bapak bu ibu ib mas mbak mba kak bang dik dek sdr sdri mr mrs ms om tante h hj haji hajjah hajah kel "
    "keluarga klg ust ustadz ustaz ustadzah dr drs dra ir mbah pakde bude cak kang teh aa akang eyang".split())


@dataclass(eq=False)
class _Chain:
    cid: str | int
    header: frozenset[str]
    """The words of its first version's header."""
    dates: frozenset[str]
    """The dates that header names."""
    items: dict[int, str]
    keys: set[str]
    last_day: float


@dataclass
class SignupChains:
    """Follow the lists of one group, message by message in time order.

    ``add`` returns, for a list message, the chain it belongs to and whether its poster signed
    up; ``None`` for a message that is not a list.
    """

    max_gap_days: float = 30.0
    max_open: int = 32
    chains: list[_Chain] = field(default_factory=list)

    def add(self, event_id: str | int, text: str | ListPost | None,
            day: float = 0.0) -> tuple[str | int, bool, bool] | None:
        """Feed one message (``event_id``: its id, or its row; ``day``: its time in days, for
        closing old chains): its text, or the list already parsed from it (:func:`list_posts`).

        Returns ``(chain id, signed, first)`` (``first``: the message opened the chain; the chain
        id is the ``event_id`` of its first version), or None when ``text`` holds no list."""
        post = text if isinstance(text, ListPost) or text is None else numbered_items(text)
        if post is None:
            return None
        self.chains = [c for c in self.chains if day - c.last_day <= self.max_gap_days][-self.max_open:]
        open_chains = self.chains
        best, score = None, 0.0
        words, dates, keys = post.header_words, post.dates, post.keys
        for c in open_chains:  # the hot loop of reading lists: the rules' helpers inlined, cheapest test first
            if not post.opens and len(c.keys) > 1:
                continue  # a lone first name is written into a template, not copied from a longer list
            if dates and c.dates and dates != c.dates and not (
                    (dates <= c.dates or c.dates <= dates) and any(d.isdigit() for d in dates & c.dates)):
                continue  # the same activity on another date: "Jadwal ronda bulan Maret" after "… Februari"
            bonus = 0.0
            if words and c.header:  # share of the shorter header's words the other has
                same_header = len(words & c.header) / min(len(words), len(c.header))
                if same_header < 1 / 3 and not (len(c.keys) >= 2 and c.keys <= keys):
                    continue  # two activities (kerja bakti, ronda) that happen to share names; but a
                    # copy holding every name of the list is a version of it ("salah kirim 😅\n1. …")
                bonus = 0.5 if same_header >= 0.5 else 0.0
            s = len(keys & c.keys) / max(1, min(len(keys), len(c.keys))) + bonus if c.keys else \
                max(bonus, 0.0 if words else 0.5)  # a template: the names to come, under its header or none
            if s > score or (s == score and best is not None and c.last_day >= best.last_day):
                best, score = c, s
        if best is None or score < 0.5:
            if not post.opens:
                return None
            chain = _Chain(cid=event_id, header=words, dates=dates, items=dict(post.items), keys=set(keys),
                           last_day=day)
            self.chains.append(chain)
            return chain.cid, len(post.items) == 1, True
        new = [
            (n, k) for n, k in post.items
            if k not in best.keys and not (n in best.items and _first_word(best.items[n]) == _first_word(k))
        ]
        best.items.update(dict(post.items))
        best.keys |= post.keys
        best.last_day = day
        self.chains.remove(best)
        self.chains.append(best)  # most recently extended last
        return best.cid, bool(new), False
