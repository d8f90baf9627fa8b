"""Deterministic generator of realistic Telegram Desktop JSON exports (``result.json``).

    python bench/gen_telegram.py --bytes 200e6 --seed 1 -o /tmp/tg_200mb.json
    python bench/gen_telegram.py --messages 10000 --chats 3 -o /tmp/tg_full.json   # full-account export

Writes the layout of ``docs/formats.md`` §4 the way Telegram Desktop does: pretty-printed with a
one-space indent, UTF-8 without escaping (``ensure_ascii=False``). A single chat is
``{name, type, id, messages[]}``; with ``--chats N`` (N > 1) a full-account export with
``chats.list[]`` and a left chat in ``left_chats.list[]``.

The content is invented and Indonesian-flavoured (a neighbourhood group): about 50 members (a few
named by their phone number, one deleted account with ``from: null``); text both as a plain string
and as a list mixing strings and entity objects, with ``text_entities`` always; replies; photos,
files, voice and video messages, stickers, polls and locations; service messages (invites, joins,
removals, pins, title changes, calls); reactions with ``count`` and a partial ``recent`` list;
edited and forwarded messages. Messages are written one at a time, so a 2 GB export needs no more
memory than a small one. The same seed gives byte-identical files.

A sidecar ``<output>.truth.json`` holds the counts a reader should find (messages by type,
reactors listed in ``recent``, names in invite/remove lines, bytes).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

WORDS = ("warga rapat kerja bakti besok pagi jam iuran sampah kebersihan pos ronda malam ini tolong "
         "bapak ibu sudah belum siap terima kasih banyak info lapangan masjid balai acara arisan "
         "lomba agustusan anak sekolah jalan rusak lampu mati air listrik ketua bendahara laporan "
         "bulan minggu depan kumpul di rumah pak rt bu rw semua hadir ya mohon maaf izin").split()
FIRST = ("Budi Siti Andi Dewi Eko Rina Agus Wati Joko Sri Hendra Yuni Bambang Lestari Dedi Ani Rudi "
         "Nur Fajar Maya Irfan Ratna Teguh Indah Wahyu Putri Slamet Diah Arif Fitri").split()
LAST = ("Santoso Rahmawati Wijaya Lestari Prasetyo Susanti Hidayat Kusuma Saputra Wulandari Nugroho "
        "Handayani Setiawan Pratiwi").split()
EMOJI = ("👍", "❤", "🙏", "😂", "🔥", "👏", "😢", "🎉")
SKIPPED = "(File not included. Change data exporting settings to download.)"
LOCAL_OFFSET = 7 * 3600  # Asia/Jakarta, no DST: ``date`` is UTC+7


@dataclass
class Member:
    name: str | None
    from_id: str


@dataclass
class Truth:
    """Counts a reader of the export should find."""

    bytes: int = 0
    chats: int = 0
    records: int = 0
    messages: int = 0
    service: int = 0
    reactors: int = 0
    count_only: int = 0
    member_names: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1


def make_members(rng: random.Random, n: int) -> list[Member]:
    out, seen = [], set()
    while len(out) < n - 4:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.7 else rng.choice(FIRST)
        if name not in seen:
            seen.add(name)
            out.append(Member(name, f"user{rng.randrange(10**8, 10**10)}"))
    for _ in range(3):
        out.append(Member(f"+62 8{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
                          f"user{rng.randrange(10**8, 10**10)}"))
    out.append(Member(None, f"user{rng.randrange(10**8, 10**10)}"))
    return out


class Chat:
    """One chat's message stream."""

    def __init__(self, rng: random.Random, members: list[Member], first_id: int, start: int):
        self.rng, self.members = rng, members
        self.active = members[: max(5, len(members) * 3 // 4)]
        self.weights = [1 / (k + 1) for k in range(len(members))]
        self.next_id, self.t = first_id, start
        self.recent_ids: list[int] = []

    def who(self) -> Member:
        return self.rng.choices(self.members, self.weights)[0]

    def stamp(self, t: int) -> dict:
        local = time.gmtime(t + LOCAL_OFFSET)
        return {"date": time.strftime("%Y-%m-%dT%H:%M:%S", local), "date_unixtime": str(t)}

    def words(self) -> str:
        rng = self.rng
        n = max(1, int(rng.lognormvariate(2.0, 0.8)))
        text = " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()
        if rng.random() < 0.15:
            text += " " + rng.choice(EMOJI)
        if rng.random() < 0.05:
            text += "\n" + " ".join(rng.choice(WORDS) for _ in range(3))
        if rng.random() < 0.02:
            text += ' {"kutip": [1, 2]} \\ "selesai"'
        return text

    def text(self) -> tuple[str | list, list[dict]]:
        """``text`` (a string, or a list mixing strings and entities) and ``text_entities``."""
        rng = self.rng
        plain = self.words()
        if rng.random() > 0.1:
            return plain, [{"type": "plain", "text": plain}] if plain else []
        m = rng.choice(self.members)
        first = (m.name or "anon").split(" ")[0]
        parts: list = [plain + " "]
        choice = rng.random()
        if choice < 0.3:
            parts.append({"type": "mention", "text": "@" + first.lower()})
        elif choice < 0.55:
            parts.append({"type": "mention_name", "text": m.name or "anon", "user_id": int(m.from_id[4:])})
        elif choice < 0.7:
            parts.append({"type": "bold", "text": "PENTING"})
        elif choice < 0.85:
            parts.append({"type": "text_link", "text": "formulir", "href": "https://example.org/f"})
        else:
            parts.append({"type": "hashtag", "text": "#kerjabakti"})
        parts.append(" ya")
        ents = [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in parts]
        return parts, ents

    def reactions(self, t: int, truth: Truth) -> list[dict]:
        """Reactions with ``count`` and up to three reactors in ``recent``."""
        rng = self.rng
        out = []
        for emoji in rng.sample(EMOJI, rng.choice((1, 1, 1, 2, 3))):
            count = rng.choice((1, 1, 2, 2, 3, 5, 8))
            who = rng.sample(self.active, min(count, 3, len(self.active)))
            recent = [{"from": w.name, "from_id": w.from_id, "date": self.stamp(t + 60 * (k + 1))["date"]}
                      for k, w in enumerate(who)]
            truth.reactors += len(recent)
            truth.count_only += count - len(recent)
            out.append({"type": "emoji", "count": count, "emoji": emoji, "recent": recent})
        return out

    def media(self, msg: dict) -> str:
        """Adds a photo, sticker, voice message, video, GIF or document to ``msg``; its kind."""
        rng, n = self.rng, msg["id"]
        stamp = time.strftime("%d-%m-%Y_%H-%M-%S", time.gmtime(self.t + LOCAL_OFFSET))
        r = rng.random()
        if r < 0.35:
            msg.update(photo=f"photos/photo_{n}@{stamp}.jpg" if rng.random() < 0.8 else SKIPPED,
                       photo_file_size=rng.randrange(40_000, 400_000), width=1280, height=rng.choice((960, 720, 1706)))
            return "photo"
        if r < 0.55:
            msg.update(file=f"stickers/sticker ({n % 300}).webp", file_size=rng.randrange(10_000, 60_000),
                       thumbnail=f"stickers/sticker ({n % 300}).webp_thumb.jpg", media_type="sticker",
                       sticker_emoji=rng.choice(EMOJI), width=512, height=512)
            return "sticker"
        if r < 0.72:
            msg.update(file=f"voice_messages/audio_{n}@{stamp}.ogg" if rng.random() < 0.5 else SKIPPED,
                       file_size=rng.randrange(5_000, 300_000), media_type="voice_message",
                       mime_type="audio/ogg", duration_seconds=rng.randrange(1, 120))
            return "voice"
        if r < 0.82:
            msg.update(file=SKIPPED, thumbnail=SKIPPED, media_type="video_file", mime_type="video/mp4",
                       duration_seconds=rng.randrange(3, 300), width=720, height=1280)
            return "video"
        if r < 0.9:
            msg.update(file=f"video_files/IMG_{n}.mp4", media_type="animation", mime_type="video/mp4",
                       duration_seconds=rng.randrange(1, 6), width=320, height=240)
            return "animation"
        msg.update(file=f"files/laporan_{n}.pdf", file_name=f"laporan_{n}.pdf", file_size=rng.randrange(10**4, 10**6),
                   mime_type="application/pdf")
        return "document"

    def service(self, base: dict, truth: Truth) -> dict:
        """A service message: invites, joins, removals, pins, title changes, calls."""
        rng = self.rng
        actor = rng.choice(self.active)
        msg = {**base, "actor": actor.name, "actor_id": actor.from_id}
        r = rng.random()
        if r < 0.3:
            names = [m.name or "Deleted Account" for m in rng.sample(self.members, rng.choice((1, 1, 2, 3)))]
            msg.update(action="invite_members", members=names)
            truth.member_names += len(names)
        elif r < 0.5:
            msg.update(action="join_group_by_link", inviter=rng.choice(self.active).name)
        elif r < 0.6:
            names = [rng.choice(self.members).name or "Deleted Account"]
            msg.update(action="remove_members", members=names)
            truth.member_names += 1
        elif r < 0.75 and self.recent_ids:
            msg.update(action="pin_message", message_id=rng.choice(self.recent_ids))
        elif r < 0.85:
            msg.update(action="edit_group_title", title=f"Warga RT {rng.randrange(1, 20):02d}")
        else:
            msg.update(action="group_call", duration_seconds=rng.randrange(60, 3600))
        msg.update(text="", text_entities=[])
        return msg

    def message(self, truth: Truth) -> dict:
        """The next message (1% service messages), counted in ``truth``."""
        rng = self.rng
        self.t += int(rng.expovariate(1 / 40)) + 1
        mid, self.next_id = self.next_id, self.next_id + rng.choice((1, 1, 1, 1, 2))
        base = {"id": mid, "type": "message", **self.stamp(self.t)}
        truth.records += 1
        if rng.random() < 0.01:
            base["type"] = "service"
            truth.service += 1
            truth.add("service")
            return self.service(base, truth)
        truth.messages += 1
        m = self.who()
        msg = dict(base)
        if rng.random() < 0.05:
            msg.update(edited=self.stamp(self.t + 300)["date"], edited_unixtime=str(self.t + 300))
        msg.update({"from": m.name, "from_id": m.from_id})
        if rng.random() < 0.03:
            msg["forwarded_from"] = rng.choice(("Kelurahan Sukamaju", "Info Banjir Jakarta", None))
        if self.recent_ids and rng.random() < 0.25:
            msg["reply_to_message_id"] = rng.choice(self.recent_ids[-30:])
        r = rng.random()
        kind = "text"
        if r < 0.2:
            kind = self.media(msg)
        elif r < 0.201:
            msg["poll"] = {"question": "Rapat hari apa?", "closed": False, "total_voters": 7,
                           "answers": [{"text": "Sabtu", "voters": 4, "chosen": False},
                                       {"text": "Minggu", "voters": 3, "chosen": True}]}
            kind = "poll"
        elif r < 0.202:
            msg["location_information"] = {"latitude": -6.2 + rng.random() / 10, "longitude": 106.8}
            kind = "location"
        text, ents = self.text() if kind in ("text", "photo", "document") and (
            kind == "text" or rng.random() < 0.3) else ("", [])
        msg.update(text=text, text_entities=ents)
        if rng.random() < 0.12:
            msg["reactions"] = self.reactions(self.t, truth)
        truth.add(kind)
        self.recent_ids.append(mid)
        if len(self.recent_ids) > 200:
            del self.recent_ids[:100]
        return msg


def _pretty(obj, indent: str) -> str:
    return indent + json.dumps(obj, ensure_ascii=False, indent=1).replace("\n", "\n" + indent)


class Writer:
    """Writes an export to ``path`` one message at a time."""

    def __init__(self, path: Path):
        self.fh = open(path, "w", encoding="utf-8", newline="\n")
        self.size = 0

    def write(self, s: str) -> None:
        self.fh.write(s)
        self.size += len(s.encode("utf-8")) if not s.isascii() else len(s)

    def chat(self, chat: Chat, header: dict, indent: str, n: int | None, nbytes: float | None, truth: Truth) -> None:
        inner = indent + " "
        self.write(indent + "{\n")
        for k, v in header.items():
            self.write(f"{inner}{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n")
        self.write(f'{inner}"messages": [\n')
        k = 0
        while (n is None or k < n) and (nbytes is None or self.size < nbytes):
            self.write((",\n" if k else "") + _pretty(chat.message(truth), inner + " "))
            k += 1
        self.write(("\n" if k else "") + inner + "]\n" + indent + "}")
        truth.chats += 1

    def close(self) -> None:
        self.fh.write("\n")
        self.size += 1
        self.fh.close()


def generate(path: Path, *, messages: int | None = None, nbytes: float | None = None, chats: int = 1,
             members: int = 50, seed: int = 1) -> Truth:
    """Write an export of ``messages`` records per chat, or of about ``nbytes`` bytes in all."""
    rng = random.Random(seed)
    people = make_members(rng, members)
    truth = Truth()
    w = Writer(path)
    start = 1_640_995_200  # 2022-01-01 UTC
    if chats <= 1:
        chat = Chat(rng, people, 1, start)
        w.chat(chat, {"name": "Warga RT 05 Sukamaju", "type": "private_supergroup", "id": 1234567890}, "",
               messages, nbytes, truth)
    else:
        w.write('{\n "about": "Here is the data you requested. Remember: Telegram is ad free.",\n'
                ' "personal_information": ' + json.dumps({"user_id": int(people[0].from_id[4:]),
                                                          "first_name": people[0].name}, ensure_ascii=False)
                + ',\n "chats": {\n  "about": "This page lists all chats from this export.",\n  "list": [\n')
        per = None if nbytes is None else nbytes / chats
        for c in range(chats):
            group = rng.sample(people, max(8, len(people) // 2))
            left = c == chats - 1
            if left:
                w.write('\n  ]\n },\n "left_chats": {\n  "about": "This page lists all chats you left.",\n  "list": [\n')
            elif c:
                w.write(",\n")
            header = {"name": f"Grup {c + 1} {rng.choice(LAST)}", "type": "private_group", "id": 4200 + c}
            w.chat(Chat(rng, group, 1, start), header, "   ", messages,
                   None if per is None else w.size + per, truth)
        w.write("\n  ]\n }\n}")
    w.close()
    truth.bytes = path.stat().st_size
    Path(str(path) + ".truth.json").write_text(json.dumps(truth.__dict__, indent=1) + "\n", encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--messages", type=int, default=None, help="records per chat")
    ap.add_argument("--bytes", type=float, default=None, help="approximate file size (e.g. 2e9)")
    ap.add_argument("--chats", type=int, default=1, help="more than 1 writes a full-account export")
    ap.add_argument("--members", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.messages is None and args.bytes is None:
        ap.error("give --messages or --bytes")
    t0 = time.perf_counter()
    truth = generate(args.output, messages=args.messages, nbytes=args.bytes, chats=args.chats,
                     members=args.members, seed=args.seed)
    print(f"{args.output}: {truth.bytes / 1e6:.1f} MB, {truth.records:,} records in {truth.chats} chat(s), "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
