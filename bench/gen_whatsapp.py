"""Deterministic generator of realistic WhatsApp chat exports, for benchmarks and tests.

    python bench/gen_whatsapp.py --messages 1000000 --style android-en --seed 1 -o bench/data/chat.txt

Writes the export (``chat.txt``) and two sidecars next to it:

- ``chat.truth.json``: the ground truth in counts (user posts by kind, system lines, multi-line
  messages, authors, time span, format);
- ``chat.truth.npz``: one row per entry (header line) in file order, for row-level checks:
  ``kind`` (see :data:`KIND_CODES`), ``ts`` (wall-clock seconds since 1970, naive local time),
  ``author`` (index into ``authors`` in the JSON, -1 for system lines), ``crc`` (CRC-32 of the
  :func:`norm_text` of the message body as exported), ``line`` (1-based line number of the header)
  and ``nlines`` (lines the entry spans).

``--messages`` counts entries, i.e. header lines: user posts plus system lines.

Styles (header shapes from docs/formats.md section 1):

- ``android-en``: ``22/11/2026, 05:53 - Author: text``, LF, ``<Media omitted>``;
- ``android-id``: ``22/11/26 05.53 - Author: text``, LF, ``<Media tidak disertakan>``;
- ``ios-en``: ``[22/11/2026, 05:53:12] Author: text``, CRLF, ``\\u200eimage omitted``;
- ``ios-id``: ``[22/11/26 05.53.12] Author: text``, CRLF, ``\\u200egambar tidak disertakan``.

Content is invented, Indonesian-flavoured (a neighbourhood RT/RW group); names and numbers are
made up. Only the standard library and numpy are needed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import numpy as np

STYLES = ("android-en", "android-id", "ios-en", "ios-id")

KIND_CODES = {
    "message": 0,
    "media": 1,
    "deleted": 2,
    "edited": 3,
    "join": 10,
    "add": 11,
    "leave": 12,
    "remove": 13,
    "system": 14,
}
"""Entry kinds, named as in kohesi's event table. Codes < 10 are user posts."""

POST_CODES = (0, 1, 2, 3)

LRM = "\u200e"
LRE, PDF = "\u202a", "\u202c"

_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")


def norm_text(s: str) -> str:
    """Normalise a message body for comparison: drop bidi/invisible marks, NFKC, strip ends.

    Line breaks inside the text are kept (as ``\n``, also in CRLF files), so a parser that joins
    lines with spaces does not match.
    """
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", s.replace("\r\n", "\n"))).strip()


def norm_name(s: str) -> str:
    """Normalise an author name: drop bidi/invisible marks, NFKC, strip, drop a leading ``~``."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", s)).strip().lstrip("~").strip()


def crc(s: str) -> int:
    return zlib.crc32(norm_text(s).encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Vocabulary (invented)

CONTACT_NAMES = [
    "Budi Santoso", "Sri Wahyuni", "Pak Joko RT05", "Bu Ani", "Dewi 🌸", "Agus Salim",
    "Rina Marlina", "Mas Bayu", "Bu Endang PKK", "Hendra Gunawan", "Siti Nurhaliza", "Pak Darto",
    "Yuli Astuti", "Eko Prasetyo", "Bu Lurah Ratna", "Fajar", "Wulan Sari", "Pak Haji Umar",
]
LURKER_NAMES = [
    "Tono", "Bu Marni", "Rizky Ramadhan", "Pak Slamet", "Nina", "Ahmad Fauzi", "Lestari",
    "Dimas", "Bu Tuti", "Pak Wayan", "Intan", "Gilang",
]
GROUP_NAMES = [
    "Warga RT 05 / RW 02", "RT 05: Info Warga", "Warga RT 05 🏘️", "Paguyuban RT 05",
    "RT 05: Kerja Bakti", "Info RT 05 & Keamanan",
]
ACTS = [
    "kerja bakti", "arisan", "pengajian", "ronda malam", "posyandu", "rapat warga", "senam pagi",
    "lomba 17an", "bersih-bersih selokan", "pembagian sembako", "halal bihalal", "syukuran",
    "fogging", "jalan sehat",
]
PLACES = [
    "balai warga", "masjid Al-Ikhlas", "pos ronda", "lapangan voli", "rumah Pak RT", "musholla",
    "gang 3", "depan warung Bu Ani", "aula kelurahan",
]
WHENS = [
    "besok pagi", "nanti malam", "jam 7", "habis maghrib", "hari Minggu", "minggu depan",
    "sore ini", "Sabtu pagi", "jam 8 pagi", "ba'da isya", "lusa",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
]
THINGS = [
    "iuran sampah", "iuran keamanan", "kas RT", "air PDAM", "listrik", "paket", "kunci balai",
    "tenda", "sound system", "surat pengantar", "KTP", "vaksin", "beras", "galon",
]
SHORT = [
    "Siap", "Oke pak", "Terima kasih infonya 🙏", "Hadir", "Aamiin", "Wkwkwk", "Mantap",
    "Siap laksanakan", "Insya Allah hadir", "Maaf baru baca", "👍", "🙏🙏", "Setuju", "Nggih",
    "Ok bu", "Sama-sama", "Alhamdulillah", "Hehe iya", "Betul itu", "Noted", "Otw", "Izin absen",
    "Semangat 💪", "Makasih ya", "Oke siap", "😂😂😂", "Iya bener", "Mohon maaf lahir batin 🙏",
]
TEMPLATES = [
    "Assalamualaikum bapak ibu, {act} {when} di {place}. Mohon kehadirannya.",
    "Info: {thing} mati {when}, mohon maklum",
    "Ada yang tahu {thing} di mana ya?",
    "Jadi {act} {when}?",
    "Yang belum bayar {thing} bulan ini mohon segera ya",
    "Mohon maaf, {act} diundur ke {when}",
    "{act} {when} jadi kan?",
    "Ada paket atas nama {name} di {place}",
    "Pak RT, {thing} sudah saya titip ke {name}",
    "Nanti saya bawa {thing} ke {place}",
    "Kalau {act} {when} saya ikut",
    "Barusan lewat {place}, ramai sekali",
    "Catatan: {thing} dikumpulkan ke {name} paling lambat {when}",
    "Siapa yang piket {act} {when}?",
    "Kemarin {act} seru ya, terima kasih semua 🙏",
    "Selamat pagi warga RT 05 ☀️",
    "Harga {thing} naik lagi ya sekarang",
    "Mohon doanya, ibu saya dirawat di RS",
    "Turut berduka cita atas meninggalnya ayahanda {name}",
    "Link rapat: https://meet.example.org/rt05-{n}",
    "Lokasi {act}: https://maps.google.com/?q=-6.{n},106.{n}",
]


def _phone(rng: random.Random) -> str:
    return f"+62 8{rng.randint(11, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


# --------------------------------------------------------------------------------------------
# Locale tables

class Locale:
    def __init__(self, style: str):
        self.style = style
        self.ios = style.startswith("ios")
        self.lang = style.split("-")[1]
        self.eol = "\r\n" if self.ios else "\n"
        en = self.lang == "en"
        self.you = "You" if en else "Anda"
        self.media_android = "<Media omitted>" if en else "<Media tidak disertakan>"
        self.media_ios = (
            ["image omitted"] * 6 + ["video omitted", "audio omitted", "sticker omitted",
                                     "GIF omitted", "document omitted", "Contact card omitted"]
            if en else
            ["gambar tidak disertakan"] * 6 + ["video tidak disertakan", "audio tidak disertakan",
                                               "stiker tidak disertakan", "GIF tidak disertakan",
                                               "dokumen tidak disertakan",
                                               "Kartu kontak tidak disertakan"]
        )
        if self.ios:
            self.deleted_other = "This message was deleted." if en else "Pesan ini dihapus."
            self.deleted_own = "You deleted this message." if en else "Anda menghapus pesan ini."
        else:
            self.deleted_other = "This message was deleted" if en else "Pesan ini telah dihapus"
            self.deleted_own = "You deleted this message" if en else "Anda menghapus pesan ini"
        self.edited = "<This message was edited>" if en else "<Pesan ini diedit>"
        if en:
            self.e2e = ("Messages and calls are end-to-end encrypted. No one outside of this chat, "
                        "not even WhatsApp, can read or listen to them. Tap to learn more.")
        else:
            self.e2e = ("Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar "
                        "chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya. "
                        "Ketuk untuk info selengkapnya.")
        q1, q2 = ("\u201c", "\u201d") if self.ios else ('"', '"')
        self.q = (q1, q2)

    def system(self, what: str, x: str, y: str = "", a: str = "", b: str = "") -> str:
        q1, q2 = self.q
        en = self.lang == "en"
        if en:
            return {
                "created": f"{x} created group {q1}{b}{q2}",
                "add": f"{x} added {y}",
                "join": f"{x} joined using this group's invite link",
                "leave": f"{x} left",
                "remove": f"{x} removed {y}",
                "subject": f"{x} changed the subject from {q1}{a}{q2} to {q1}{b}{q2}",
                "icon": f"{x} changed this group's icon",
                "description": f"{x} changed the group description",
                "security": f"Your security code with {x} changed. Tap to learn more.",
                "number": f"{x} changed their phone number to a new number. Tap to message or add the new number.",
                "admin": "You're now an admin",
            }[what]
        return {
            "created": f"{x} telah membuat grup {q1}{b}{q2}",
            "add": f"{x} menambahkan {y}",
            "join": f"{x} bergabung menggunakan tautan undangan grup ini",
            "leave": f"{x} keluar",
            "remove": f"{x} mengeluarkan {y}",
            "subject": f"{x} mengubah subjek dari {q1}{a}{q2} menjadi {q1}{b}{q2}",
            "icon": f"{x} mengubah ikon grup ini",
            "description": f"{x} mengubah deskripsi grup",
            "security": f"Kode keamanan Anda dengan {x} telah berubah. Ketuk untuk info selengkapnya.",
            "number": f"{x} telah mengganti nomor teleponnya ke nomor baru. Ketuk untuk mengirim pesan atau menambahkan nomor baru.",
            "admin": "Anda sekarang admin",
        }[what]

    def header_maker(self):
        """Return f(Y, M, D, h, m, s) -> header prefix (without author)."""
        if self.style == "android-en":
            return lambda Y, M, D, h, m, s: f"{D:02d}/{M:02d}/{Y:04d}, {h:02d}:{m:02d} - "
        if self.style == "android-id":
            return lambda Y, M, D, h, m, s: f"{D:02d}/{M:02d}/{Y % 100:02d} {h:02d}.{m:02d} - "
        if self.style == "ios-en":
            return lambda Y, M, D, h, m, s: f"[{D:02d}/{M:02d}/{Y:04d}, {h:02d}:{m:02d}:{s:02d}] "
        return lambda Y, M, D, h, m, s: f"[{D:02d}/{M:02d}/{Y % 100:02d} {h:02d}.{m:02d}.{s:02d}] "


# --------------------------------------------------------------------------------------------
# Timestamps: bursty, daytime-heavy, ~2 years


HOUR_WEIGHTS = np.array([
    0.3, 0.15, 0.1, 0.1, 0.4, 1.2,  # 00-05 (subuh at 4-5)
    2.5, 3.5, 3.0, 2.2, 2.0, 2.2,   # 06-11
    3.0, 2.6, 2.0, 2.0, 2.6, 3.0,   # 12-17
    3.4, 4.2, 4.6, 4.0, 2.5, 1.0,   # 18-23 (evening peak)
])


def make_times(n: int, rng: np.random.Generator, start: np.datetime64, days: int,
               seconds: bool) -> np.ndarray:
    """n sorted naive timestamps (datetime64[s]) in bursts of messages."""
    mean_burst = 12.0
    n_bursts = max(1, int(n / mean_burst * 1.3) + 8)
    lengths = rng.geometric(1.0 / mean_burst, size=n_bursts)
    while lengths.sum() < n:  # pragma: no cover - only for tiny n
        lengths = np.concatenate([lengths, rng.geometric(1.0 / mean_burst, size=n_bursts)])
    cum = np.cumsum(lengths)
    k = int(np.searchsorted(cum, n)) + 1
    lengths = lengths[:k].copy()
    lengths[-1] -= int(cum[k - 1] - n)
    # burst starts: activity grows a little over time; daytime-heavy hours
    day = np.floor(days * rng.power(1.4, size=k)).astype(np.int64)
    hour = rng.choice(24, size=k, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    burst_start = day * 86400 + hour * 3600 + rng.integers(0, 3600, size=k)
    # gaps inside a burst: mostly quick replies, with a heavy tail
    gaps = np.where(rng.random(n) < 0.85, rng.exponential(35.0, n), rng.exponential(600.0, n))
    gaps = gaps.astype(np.int64) + 1
    first = np.repeat(np.cumsum(lengths) - lengths, lengths)
    cg = np.cumsum(gaps)
    offset = cg - cg[first] + 0  # 0 for each burst's first message
    t = np.repeat(burst_start, lengths) + offset
    if not seconds:
        t = t - t % 60
    t.sort(kind="stable")
    return start.astype("datetime64[s]") + t.astype("timedelta64[s]")


# --------------------------------------------------------------------------------------------


def generate(n: int, style: str, seed: int, out: Path, *, start: str = "2024-11-20",
             days: int = 730, quiet: bool = False) -> dict:
    if style not in STYLES:
        raise SystemExit(f"unknown style {style!r}; pick one of {', '.join(STYLES)}")
    t_start = time.perf_counter()
    loc = Locale(style)
    rnd = random.Random(f"{seed}:{style}:content")
    nrng = np.random.default_rng([seed, STYLES.index(style)])

    # authors: 18 contact names + 12 phone numbers (wrapped in LRE…PDF as WhatsApp writes them)
    phones = sorted({_phone(rnd) for _ in range(40)})[:12]
    rnd.shuffle(phones)
    author_names = CONTACT_NAMES + phones  # clean names (ground truth)
    author_written = CONTACT_NAMES + [f"{LRE}{p}{PDF}" for p in phones]
    n_auth = len(author_names)
    order = list(range(n_auth))
    rnd.shuffle(order)
    weights = np.empty(n_auth)
    for rank, a in enumerate(order):  # Zipf-like activity
        weights[a] = 1.0 / (rank + 2) ** 0.9
    weights /= weights.sum()
    exporter = order[0]  # the phone that exported the chat: its deletions read "You deleted…"
    lurkers = LURKER_NAMES + [f"{LRE}{_phone(rnd)}{PDF}" for _ in range(8)]
    group = GROUP_NAMES[0]

    seconds = loc.ios
    ts = make_times(n, nrng, np.datetime64(start), days, seconds)
    tsec = ts.astype(np.int64)
    # calendar components, vectorised
    D = ts.astype("datetime64[D]")
    Mo = ts.astype("datetime64[M]")
    Yr = ts.astype("datetime64[Y]")
    year = Yr.astype(np.int64) + 1970
    month = (Mo.astype(np.int64) % 12) + 1
    dom = (D - Mo.astype("datetime64[D]")).astype(np.int64) + 1
    sod = tsec - D.astype("datetime64[s]").astype(np.int64)
    hh, mm, ss = sod // 3600, (sod // 60) % 60, sod % 60

    # entry kinds: post (message/media/deleted/edited) or system; first two lines are system
    u = nrng.random(n)
    kind = np.full(n, KIND_CODES["message"], dtype=np.int8)
    kind[u < 0.075] = KIND_CODES["media"]          # 7.5 %
    kind[(u >= 0.075) & (u < 0.087)] = KIND_CODES["deleted"]  # 1.2 %
    kind[(u >= 0.087) & (u < 0.092)] = KIND_CODES["edited"]   # 0.5 %
    kind[u >= 0.997] = KIND_CODES["system"]        # 0.3 %, refined below
    kind[:2] = KIND_CODES["system"]
    author = nrng.choice(n_auth, size=n, p=weights).astype(np.int16)
    author[kind == KIND_CODES["system"]] = -1
    multi = (nrng.random(n) < 0.118) & (kind == KIND_CODES["message"])  # ~10 % of posts

    header_of = loc.header_maker()
    eol = loc.eol
    out.parent.mkdir(parents=True, exist_ok=True)
    crcs = np.zeros(n, dtype=np.uint32)
    lines_at = np.zeros(n, dtype=np.int64)
    nlines = np.ones(n, dtype=np.int16)
    sys_subtypes: dict[str, int] = {}
    members_written = list(author_written)
    subject_now = group

    def fill(tpl: str) -> str:
        return tpl.format(
            act=rnd.choice(ACTS), when=rnd.choice(WHENS), place=rnd.choice(PLACES),
            thing=rnd.choice(THINGS), name=rnd.choice(CONTACT_NAMES), n=rnd.randint(100, 999),
        )

    def text_single() -> str:
        r = rnd.random()
        if r < 0.45:
            s = rnd.choice(SHORT)
        else:
            s = fill(rnd.choice(TEMPLATES))
        if rnd.random() < 0.05:
            s = s[0].upper() + s[1:] + " " + rnd.choice(["🙏", "😂", "👍", "❤️", "😊", "🤲"])
        return s

    def text_multi() -> str:
        r = rnd.random()
        if r < 0.35:
            return (
                f"Assalamualaikum wr wb{eol}Undangan {rnd.choice(ACTS)}{eol}"
                f"Hari: {rnd.choice(DAYS)}{eol}Jam: {rnd.randint(6, 20):02d}.{rnd.choice(['00', '30'])} WIB"
                f"{eol}Tempat: {rnd.choice(PLACES)}{eol}{eol}Terima kasih 🙏"
            )
        if r < 0.55:
            k = rnd.randint(3, 6)
            items = eol.join(f"{i + 1}. {rnd.choice(CONTACT_NAMES + LURKER_NAMES)} ✅" for i in range(k))
            return f"Daftar {rnd.choice(THINGS)} bulan {rnd.choice(MONTHS_ID)}:{eol}{items}"
        k = rnd.randint(2, 3)
        return eol.join(text_single() for _ in range(k))

    def system_line(i: int) -> tuple[str, int, str]:
        """(text, kind code, subtype) for system entry i."""
        nonlocal subject_now
        if i == 0:
            return loc.e2e, KIND_CODES["system"], "e2e"
        if i == 1:
            return loc.system("created", author_written[exporter], b=group), KIND_CODES["system"], "created"
        r = rnd.random()
        actor_w = rnd.choice([loc.you] + author_written[:8])
        other = rnd.choice(lurkers + author_written)
        if r < 0.22:
            return loc.system("add", actor_w, y=other), KIND_CODES["add"], "add"
        if r < 0.40:
            return loc.system("join", rnd.choice(lurkers)), KIND_CODES["join"], "joined_link"
        if r < 0.55:
            return loc.system("leave", rnd.choice(lurkers)), KIND_CODES["leave"], "left"
        if r < 0.63:
            return loc.system("remove", actor_w, y=rnd.choice(lurkers)), KIND_CODES["remove"], "removed"
        if r < 0.73:
            new = rnd.choice([g for g in GROUP_NAMES if g != subject_now])
            old, subject_now = subject_now, new
            return loc.system("subject", actor_w, a=old, b=new), KIND_CODES["system"], "subject"
        if r < 0.80:
            return loc.system("icon", actor_w), KIND_CODES["system"], "icon"
        if r < 0.85:
            return loc.system("description", actor_w), KIND_CODES["system"], "description"
        if r < 0.93:
            return loc.system("security", rnd.choice(author_written)), KIND_CODES["system"], "security_code"
        if r < 0.97:
            return loc.system("number", rnd.choice(author_written)), KIND_CODES["system"], "number_change"
        return loc.system("admin", ""), KIND_CODES["system"], "admin"

    media_placeholder = loc.media_android
    n_written_lines = 0
    chunk: list[str] = []
    sys_i = 0
    last_key = -1
    prefix = ""
    with open(out, "w", encoding="utf-8", newline="") as f:
        for i in range(n):
            key = int(tsec[i])
            if key != last_key:
                prefix = header_of(int(year[i]), int(month[i]), int(dom[i]), int(hh[i]),
                                   int(mm[i]), int(ss[i]))
                last_key = key
            k = int(kind[i])
            lead = ""
            if k >= 10:
                body, code, sub = system_line(sys_i)
                sys_i += 1
                kind[i] = code
                sys_subtypes[sub] = sys_subtypes.get(sub, 0) + 1
                if loc.ios:
                    lead = LRM
                    if sub == "security_code":
                        # iOS attributes the security-code notice to the contact (pitfall 3)
                        who = rnd.choice(author_written)
                        body = loc.system("security", who)
                        line_body = f"{who}: {LRM}{body}"
                    else:
                        line_body = f"{group}: {LRM}{body}"
                else:
                    line_body = body
                text = body
            else:
                a = int(author[i])
                if k == 0:
                    text = text_multi() if multi[i] else text_single()
                elif k == 1:
                    if loc.ios:
                        text = LRM + rnd.choice(loc.media_ios)
                        lead = LRM
                    else:
                        text = media_placeholder
                elif k == 2:
                    text = loc.deleted_own if a == exporter else loc.deleted_other
                    if loc.ios:
                        text = LRM + text
                        lead = LRM
                else:  # edited
                    text = text_single() + " " + (LRM if loc.ios else "") + loc.edited
                line_body = f"{members_written[a]}: {text}"
            lines_at[i] = n_written_lines + 1
            nl = text.count(eol) + 1
            nlines[i] = nl
            n_written_lines += nl
            crcs[i] = zlib.crc32(norm_text(text).encode("utf-8"))
            chunk.append(lead + prefix + line_body + eol)
            if len(chunk) >= 20000:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))

    kinds_count = {name: int((kind == code).sum()) for name, code in KIND_CODES.items()}
    posts = int(np.isin(kind, POST_CODES).sum())
    posting_authors = sorted({author_names[a] for a in np.unique(author[author >= 0])})
    truth = {
        "generator": "bench/gen_whatsapp.py",
        "style": style,
        "seed": seed,
        "entries": n,
        "lines": n_written_lines,
        "bytes": out.stat().st_size,
        "user_messages": posts,
        "text_messages": kinds_count["message"] + kinds_count["edited"],
        "media": kinds_count["media"],
        "deleted": kinds_count["deleted"],
        "edited": kinds_count["edited"],
        "system_lines": n - posts,
        "multiline_messages": int((nlines[np.isin(kind, POST_CODES)] > 1).sum()),
        "kinds": kinds_count,
        "system_subtypes": dict(sorted(sys_subtypes.items())),
        "authors": len(posting_authors),
        "author_names": author_names,
        "exporter": author_names[exporter],
        "first": str(ts[0]),
        "last": str(ts[-1]),
        "eol": "CRLF" if loc.ios else "LF",
    }
    stem = out.with_suffix("")
    np.savez(
        str(stem) + ".truth.npz", kind=kind, ts=tsec, author=author, crc=crcs, line=lines_at,
        nlines=nlines,
    )
    # system lines holding ": " (they look like user messages to naive parsers)
    truth["system_with_colon_space"] = _count_colon_system(out, lines_at, kind, loc)
    Path(str(stem) + ".truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    if not quiet:
        dt = time.perf_counter() - t_start
        print(f"wrote {out} ({truth['bytes'] / 1e6:.1f} MB, {n:,} entries, {n_written_lines:,} lines) "
              f"and {stem}.truth.json in {dt:.1f} s", file=sys.stderr)
    return truth


def _count_colon_system(path: Path, lines_at: np.ndarray, kind: np.ndarray, loc: Locale) -> int:
    """Android system lines whose text holds ': ' (a header-shaped trap for naive parsers)."""
    if loc.ios:
        return 0  # on iOS every system line has "<group>: " anyway
    sys_lines = set((lines_at[kind >= 10]).tolist())
    count = 0
    with open(path, encoding="utf-8", newline="") as f:
        for no, line in enumerate(f, 1):
            if no in sys_lines and ": " in line.split(" - ", 1)[1]:
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=1_000_000,
                    help="entries (header lines: user posts + system lines)")
    ap.add_argument("--style", choices=STYLES, default="android-en")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, default=Path("bench/data/chat.txt"))
    args = ap.parse_args(argv)
    if args.messages < 10:
        ap.error("--messages must be at least 10")
    truth = generate(args.messages, args.style, args.seed, args.output)
    summary = {k: truth[k] for k in ("user_messages", "media", "deleted", "edited", "system_lines",
                                      "multiline_messages", "authors", "first", "last")}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
