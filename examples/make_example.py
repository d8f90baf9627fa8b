"""Write the bundled example: an INVENTED WhatsApp export of an Indonesian neighbourhood (RT) group.

Every person, phone number, address and event in the output is invented; any likeness to real
people is coincidence. The file imitates an Indonesian Android export (``22/11/26 05.53 - Name:
text``: no comma, ``.`` in times, Indonesian system lines and placeholders).

The story a cohesion report should be able to find, 1 February to 31 October 2026:

- two blocks, Gang Mawar and Gang Melati, that mostly talk among themselves (factions), bridged
  by the RT head Pak Harjo, the PKK head Bu Ani and the treasurer Pak Slamet;
- monthly routines (ronda rota, cash report, arisan, posyandu, kerja bakti with "siap pak" /
  "izin tidak bisa" replies), condolences that draw replies from both blocks;
- a quiet Lebaran/mudik fortnight in March and a busy run-up to 17 Agustus;
- newcomers, some welcomed within minutes and some ignored; two members leave and one is
  removed after a heated exchange about parking; a long tail of members who never write;
- what members do for each other, in the text: requests for help (a push, a ladder, a lift, a
  number; about a quarter never answered) with offers within minutes or hours and thanks;
  illness, a theft, a flooded house, an accident and a death, with sympathy and hands at the
  house of mourning; two quarrels mended by an apology the same or next day and one left
  unmended; rule reminders by the RT and PKK heads; numbered sign-up lists that each signer
  re-posts with a name added (ronda over Lebaran, qurban, a kerja bakti, two 17 Agustus lists at
  once, a PKK bazar), with one line rewritten and one list pasted back unchanged.

The episodes of the last item are drawn after everything else, so they leave the other lines
as they were; each is placed where no other conversation is going on.

Deterministic: all randomness comes from ``random.Random(SEED).random()``, whose sequence Python
guarantees across versions (``choice``, ``randint`` and numpy's distributions carry no such
guarantee), so the output is byte-identical everywhere.

Usage: ``python examples/make_example.py [OUT.txt]``
"""

from __future__ import annotations

import bisect
import math
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 505
START, END = date(2026, 2, 1), date(2026, 10, 31)
OUT = Path(__file__).with_name("WhatsApp Chat with Warga RT 05 Melati.txt")
E2E = ("Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, "
       "termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk info selengkapnya.")
MEDIA, DELETED, EDITED = "<Media tidak disertakan>", "Pesan ini telah dihapus", " <Pesan ini diedit>"
BULAN = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
HARI = "Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split()

# name | block (B = both, M = Gang Mawar, L = Gang Melati) | weight (0 = never writes) | honorific
ROSTER = """
Pak Harjo|B|12      Bu Ani|B|8           Pak Slamet|B|2.5
Mas Dedi|M|7        Bu Yuni|M|6          Pak Budi Santoso|M|3   Mbak Rina|M|3
Pak Agus|M|2        Bu Sri Wahyuni|M|2   Pak Darto|M|1.5        Mas Eko|M|1.2
Bu Lastri|M|1       Pak Wawan|M|1        Mbak Dewi|M|0.8        Pak Hendra|M|1
Bu Tini|M|0.4       +62 812-8834-2210|M|0.6|pak                 +62 857-1122-9043|M|0|bu
Mas Yoga|M|0        Bu Marni|M|0
Pak Joko|L|7        Mbak Fitri|L|6       Bu Ratna|L|3           Mas Andi|L|3
Pak Rudi|L|2        Bu Endang|L|2        Pak Bambang|L|1.5      Mas Fajar|L|1
Bu Wati|L|1         Pak Sugeng|L|1       Mbak Nur|L|0.8         Bu Yanti|L|0.4
+62 821-5567-0318|L|0.5|bu               +62 878-3301-7765|L|0|pak
Pak Taufik|L|0      Mas Rizky|L|0
"""
# joined | name | block | weight | added by ("link" = invite link) | welcomed? | writes an intro?
NEWCOMERS = """
2026-03-03 19.40|Pak Imam|L|2|Pak Harjo|yes|yes
2026-04-14 10.05|+62 813-9045-6621|M|0.15|link|no|yes
2026-05-05 16.20|Bu Kartika|M|1.5|Bu Ani|yes|yes
2026-05-27 21.15|Mas Bayu|L|0|Pak Joko|no|no
2026-06-22 18.30|Mbak Sinta|M|1.5|Bu Yuni|yes|yes
2026-07-09 13.10|+62 896-2210-4478|L|0.2|link|no|yes
2026-07-25 19.50|Pak Gunawan|L|2|Pak Harjo|yes|yes
2026-09-08 11.25|Bu Maya|M|0|link|no|no
2026-10-06 20.05|Mas Arif|L|1|Pak Joko|yes|yes
"""
PHONE_HON = {"+62 813-9045-6621": "bu", "+62 896-2210-4478": "mas"}

# Everyday threads: (openers, replies). {hon} = honorific of the person answered, {gang}, {n}, {other}.
TOPICS = [
    (["Air PDAM mati lagi ya? 😩", "Bapak ibu di Gang {gang} airnya ngalir gak?"],
     ["Iya {hon}, di sini juga mati dari subuh", "Sama, tadi kecil terus mati", "Katanya ada perbaikan pipa di jalan depan",
      "Alhamdulillah sudah ngalir lagi barusan", "Untung semalam sudah nampung 😅"]),
    (["Listrik padam ya? ⚡", "Mati lampu lagi 😩 ada yang tau sampai jam berapa?"],
     ["Iya {hon}, di rumah saya juga", "Sudah ada yang lapor PLN?", "Katanya ada pemeliharaan gardu",
      "Sudah nyala lagi {hon} 👍"]),
    (["Lampu jalan depan Gang {gang} mati lagi, gelap banget kalau malam 🔦"],
     ["Iya {hon}, kemarin saya lewat gelap", "Nanti saya sampaikan ke Pak RT", "Kayaknya bohlamnya putus",
      "Besok saya belikan bohlam, nanti dipasang bareng ya"]),
    (["Sampah belum diangkut dari kemarin ya? 🙈", "Truk sampah hari ini gak lewat ya?"],
     ["Iya {hon}, sudah numpuk di depan", "Katanya truknya lagi rusak", "Saya sudah WA petugasnya",
      "Semoga besok diangkut 🤲"]),
    (["Paket atas nama {other} dititip di rumah saya ya 📦", "Ada paket buat {other}, saya terima tadi siang 📦"],
     ["Wah makasih {hon}, nanti sore saya ambil 🙏", "Nanti saya kabari orangnya {hon}", "Makasih ya {hon} 🙏"]),
    (["Ada kurir nyari rumah no {n}, ada yang tau?"],
     ["Itu rumah yang pagarnya hijau {hon}", "Yang sebelah warung {hon}", "Sudah ketemu katanya, makasih 🙏"]),
    (["Ada yang punya nomor tukang sedot WC? 🙏", "Ada rekomendasi tukang servis AC yang jujur?",
      "Tukang galon yang biasa lewat ada yang punya nomornya?"],
     ["Ada {hon}, nanti saya japri ya", "Saya biasanya pakai yang di ujung jalan, lumayan murah",
      "Saya juga butuh nih, share ya", "Sudah saya japri {hon} 👍"]),
    (["Bapak ibu, saya buka PO rendang 🍛 25rb per porsi, bisa diantar. Minat japri ya",
      "Ada yang mau ikut pesan durian? 😁", "Jual kue basah buat acara, silakan dipesan 🙏"],
     ["Wah mantap 👍", "Saya pesan 2 {hon}", "Mau dong, japri ya", "Masih ada {hon}?", "Hahaha boleh tuh"]),
    (["Hati-hati bapak ibu, tadi ada orang asing keliling nawarin servis, agak mencurigakan",
      "Semalam ada motor hilang di RT sebelah, jangan lupa kunci ganda ya 🔐"],
     ["Makasih infonya {hon}", "Iya, tadi saya juga lihat", "Serem juga ya 😟", "Nanti malam ronda lebih waspada ya",
      "Siap, pagar saya gembok"]),
    (["Hujan deras banget, selokan depan no {n} mulai meluap 🌧", "Hati-hati yang lewat depan gang, licin habis hujan"],
     ["Iya {hon}, di sini juga", "Semoga gak sampai masuk rumah 🤲", "Selokannya mampet sampah, perlu dibersihkan",
      "Sudah surut sekarang", "Makasih infonya"]),
    (["Ada yang tau jadwal daftar ulang SD? 🙏"],
     ["Anak saya juga belum dapat info", "Info dari sekolah katanya tanggal 10", "Nanti saya tanya wali kelasnya {hon}"]),
    (["Bapak ibu, ngaji anak-anak di musholla mulai lagi kapan ya?"],
     ["Kayaknya minggu depan {hon}", "Nanti saya tanya ustadzahnya", "Katanya habis maghrib mulai Senin 🙏"]),
    (["Kucing oren siapa ya ini di teras saya dari pagi 😅"],
     ["Hahaha itu kucing liar {hon}", "😂😂", "Itu kucingnya anak saya 🙏 nanti diambil"]),
    (["Ada ular kecil di selokan depan no {n}, hati-hati anak-anak 🐍"],
     ["Wah hati-hati {hon}", "Serem 😱", "Sudah ditangkap sama bapak-bapak barusan", "Alhamdulillah 🙏"]),
    (["Tukang sayur hari ini lewat gak ya?", "Bakso Pak Min sudah lewat belum? 😋"],
     ["Tadi sudah lewat {hon}", "Belum kayaknya", "Hari ini libur katanya", "Wkwkwk sama, lagi nunggu juga",
      "Barusan lewat depan no {n}"]),
    (["Motor siapa ya parkir depan pagar no {n}? Mobil saya mau lewat 🙏"],
     ["Maaf {hon}, punya tamu saya, segera dipindah 🙏", "Sudah dipindah {hon}"]),
    (["Jalan depan Gang {gang} berlubang, bahaya kalau malam"],
     ["Iya bahaya, kemarin ada yang hampir jatuh", "Nanti diusulkan ke kelurahan {hon}", "Sementara dikasih tanda aja",
      "Saya ada sisa pasir, bisa buat nambal sementara"]),
    (["Selamat pagi bapak ibu, semoga sehat selalu 🙏", MEDIA],
     ["Pagi {hon} 🙏", "Aamiin, sehat selalu juga", "Selamat pagi 😊", "Cakep fotonya {hon} 😍", "Mantap 👍"]),
    (["Ada yang punya termometer? Anak saya demam 🤒"],
     ["Ada {hon}, ambil aja ke rumah", "Semoga cepat sembuh ya 🙏", "Cepet sembuh adek 🤲", "Kompres dulu {hon}"]),
    (["Bapak ibu, di puskesmas ada imunisasi gratis minggu ini 💉"],
     ["Makasih infonya {hon}", "Jam berapa bukanya?", "Pagi jam 8 {hon}", "Alhamdulillah, nanti saya ke sana"]),
    (["Yang ronda malam ini siapa ya? 🔦"],
     ["Saya {hon}, nanti jam 10 ke pos", "Jadwalnya ada di atas {hon}", "Hadir 🙋"]),
    (["Kopi di pos ronda habis, ada yang mau nyumbang? ☕"],
     ["Siap, besok saya bawa kopi sama gula", "Saya nyumbang teh {hon}", "Mantap 👍"]),
]
RAMADAN = (["Jadwal takjil musholla minggu ini giliran Gang {gang} ya 🍲", "Yang mau ikut bukber warga Sabtu depan daftar ke Bu Ani ya"],
           ["Siap {hon}, saya bawa kolak", "Ikut {hon} 🙋", "Insya Allah", "Mantap, saya daftar 2 orang"])
AGUSTUS = [
    (["Iuran 17an tahun ini berapa ya?", "Iuran 17an bayarnya ke siapa ya? 🙏"],
     ["50rb per KK {hon}, lewat Pak Slamet", "Sudah ada di pengumuman kemarin {hon}", "Saya sudah bayar kemarin 👍"]),
    (["Umbul-umbul di Gang {gang} sudah dipasang belum? 🇮🇩", "Cat gapura Gang {gang} kurang 2 kaleng nih",
      "Bendera di rumah no {n} belum dipasang, nanti saya ingatkan ya 🇮🇩"],
     ["Nanti sore kita kerjakan bareng {hon}", "Nanti saya beliin sekalian", "Saya bantu habis maghrib 💪",
      "Gang {gang} harus paling meriah tahun ini 😂"]),
    (["Latihan tarik tambang nanti sore jam 4 ya bapak-bapak 💪", "Yang mau ikut lomba voli antar gang daftar di sini ya 🏐"],
     ["Siap hadir 💪", "Gang {gang} harus menang tahun ini 😂", "Saya izin, pulang kerja telat {hon}", "Merdeka!! 🇮🇩"]),
    (["Lomba anak-anak tahun ini apa aja? 🏃", "Pendaftaran lomba anak sampai kapan ya?"],
     ["Makan kerupuk, balap karung, kelereng, estafet air 😄", "Sampai tanggal 15 {hon}", "Anak saya sudah latihan tiap sore 😂"]),
    (["Hadiah lomba sudah dibeli belum? 🎁", "Yang mau nyumbang hadiah lomba bisa ke Bu Ani ya 🎁"],
     ["Saya nyumbang buku tulis 2 pak", "Besok saya antar ke rumah Bu Ani", "Alhamdulillah banyak yang nyumbang 🙏"]),
    (["Konsumsi malam tirakatan siapa yang pegang ya? 🍚", "Tumpeng buat tirakatan pesan di mana ya?"],
     ["Ibu-ibu PKK {hon}", "Bu Ani sudah koordinasi kayaknya", "Saya bantu masak ya 🙏", "Di Bu Tini enak {hon} 👍"]),
]
ACKS = ["Oke makasih {hon} 🙏", "Siap, makasih infonya", "Matur nuwun 🙏", "Baik {hon} 👍", "Oke noted", "Sip 👍"]
RSVP = ["Siap pak 👍", "Insya Allah hadir pak", "Hadir 🙋", "Siap hadir", "Izin tidak bisa pak, ada acara keluarga 🙏",
        "Izin pak, masuk kerja shift pagi 🙏", "Saya bawa cangkul pak", "Ibu-ibu siapkan konsumsi ya 🍚", "Siap pak RT"]
CONDOLE = ["Innalillahi wa inna ilaihi roji'un, turut berduka cita {hon} 🙏", "Turut berduka cita, semoga husnul khotimah 🤲",
           "Semoga keluarga yang ditinggalkan diberi ketabahan", "Innalillahi.. semoga diberi ketabahan ya {hon} 🙏",
           "Turut berduka cita sedalam-dalamnya", "Aamiin ya rabbal alamin 🤲", "Innalillahi wa inna ilaihi roji'un"]
WELCOME = ["Selamat datang {hon} 🙏", "Selamat bergabung {hon}, salam kenal 😊", "Welcome {hon} 👋", "Salam kenal {hon} 🙏"]

_rng = random.Random(SEED)


def u(a: float = 0.0, b: float = 1.0) -> float:
    return a + (b - a) * _rng.random()


def chance(p: float) -> bool:
    return _rng.random() < p


def pick(seq):
    return seq[int(_rng.random() * len(seq))]


def wpick(items, weights):
    x, acc = u(0, sum(weights)), 0.0
    for item, w in zip(items, weights, strict=True):
        acc += w
        if x < acc:
            return item
    return items[-1]


def expo(mean: float) -> float:
    return -mean * math.log(1.0 - _rng.random())


def poisson(lam: float) -> int:
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= _rng.random()
        if p < limit:
            return k
        k += 1


@dataclass
class Member:
    name: str
    gang: str
    w: float
    hon: str
    start: datetime = datetime.max
    end: datetime = datetime.max


def _member(name, gang, w, hon=None) -> Member:
    first = name.split()[0].lower()
    return Member(name, gang, float(w), hon or (first if first in ("pak", "bu", "mas", "mbak") else "pak"))


PEOPLE = {m.name: m for m in (_member(*cell.split("|")) for cell in re.split(r"\n| {2,}", ROSTER.strip()))}
for _row in NEWCOMERS.strip().splitlines():
    _when, _name, _gang, _w, *_ = _row.split("|")
    PEOPLE[_name] = _member(_name, _gang, _w, PHONE_HON.get(_name))
    PEOPLE[_name].start = datetime.strptime(_when, "%Y-%m-%d %H.%M")
GANG = {"M": "Mawar", "L": "Melati"}
EVENTS: list[tuple[datetime, int, str]] = []
BUSY: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)


def show(name: str) -> str:
    return f"\u202a{name}\u202c" if name.startswith("+") else name


def system(t: datetime, text: str) -> None:
    EVENTS.append((t, len(EVENTS), f"{t:%d/%m/%y %H.%M} - {text}"))


def post(t: datetime, who: str, text: str) -> None:
    EVENTS.append((t, len(EVENTS), f"{t:%d/%m/%y %H.%M} - {show(who)}: {text}"))


def at(d: date, clock: str) -> datetime:
    return datetime.combine(d, datetime.strptime(clock, "%H.%M").time())


def reserve(a: datetime, b: datetime) -> None:
    for k in range((b.date() - a.date()).days + 1):
        BUSY[a.date() + timedelta(days=k)].append((a, b))


def free(a: datetime, b: datetime) -> bool:
    return all(b < x or a > y for d in {a.date(), b.date()} for x, y in BUSY[d])


def fill(text: str, hon: str = "pak", gang: str = "Mawar") -> str:
    other = pick([m.name for m in PEOPLE.values()
                  if GANG.get(m.gang) == gang and not m.name.startswith("+") and m.end == datetime.max])
    return text.format(hon=hon, gang=gang, n=int(u(1, 40)), other=other)


def speaker(t: datetime, gang: str | None, avoid=(), cross: float = 0.08) -> str:
    """Who writes next: mostly someone from the thread's block, sometimes a bridge or the other block."""
    r, own = _rng.random(), next((k for k, v in GANG.items() if v == gang), None)
    want = None if own is None else ("B" if r < 0.12 else ({"M": "L", "L": "M"}[own] if r < 0.12 + cross else own))
    for pool in (want, None):
        c = [m for m in PEOPLE.values() if m.w > 0 and m.start <= t < m.end and m.name not in avoid
             and (pool is None or m.gang == pool)]
        if c:
            return wpick([m.name for m in c], [m.w for m in c])
    raise RuntimeError(f"nobody can write at {t}")


def thread(t: datetime, gang: str, opener: str, replies: list[str], turns: int) -> list:
    """One conversation within a block: an opener and 1-5 answers a few minutes apart."""
    starter = speaker(t, gang, cross=0)
    out, last = [(t, starter, fill(opener, gang=gang))], starter
    left = list(range(len(replies)))
    order = sorted(left.pop(int(u(0, len(left)))) for _ in range(min(turns, len(left))))
    for _ in range(turns - 1):
        t += timedelta(minutes=1 + int(expo(2.5)))
        back = last != starter and chance(0.3)
        if not back and not order:
            break
        who = starter if back else speaker(t, gang, avoid={last})
        text = fill(pick(ACKS) if back else replies[order.pop(0)], PEOPLE[last].hon, gang)
        if chance(0.07) and not last.startswith("+"):
            text = f"@{last} {text}"
        elif chance(0.012):
            text = DELETED
        elif chance(0.02):
            text += EDITED
        out.append((t, who, text))
        if chance(0.06):
            out.append((t + timedelta(minutes=1), who, MEDIA))
        last = who
    return out


def commit(msgs: list, pad: int = 10, force: bool = False) -> bool:
    """Post a conversation and keep others out of it; unless forced, only if nothing else is on."""
    a, b = msgs[0][0] - timedelta(minutes=pad), msgs[-1][0] + timedelta(minutes=pad)
    if not force and not free(a, b):
        return False
    reserve(a, b)
    for t, who, text in msgs:
        post(t, who, text)
    return True


def answers(t: datetime, to: str, pool: list[str], n: int, gap: float = 15.0) -> None:
    """Replies to an announcement from both blocks, the first within minutes, the rest over hours."""
    said, deck = {to}, []
    t += timedelta(minutes=1 + int(u(0, 5)))
    reserve(t - timedelta(minutes=20), t + timedelta(minutes=15))
    for _ in range(n):
        who, deck = speaker(t, None, avoid=said), deck or sorted(pool, key=lambda _: _rng.random())
        post(t, who, fill(deck.pop(), PEOPLE[to].hon, GANG.get(PEOPLE[who].gang, "Mawar")))
        said.add(who)
        t += timedelta(minutes=1 + int(expo(gap)))


def membership() -> None:
    """Creation, the first members (added or joining by link), newcomers, two leaves and a removal."""
    t = at(START, "19.02")
    system(t, E2E)
    system(t, 'Pak Harjo telah membuat grup "Warga RT 05"')
    first = [n for n in PEOPLE if PEOPLE[n].start == datetime.max and n != "Pak Harjo"]
    PEOPLE["Pak Harjo"].start = t
    batch = []
    for i, name in enumerate(first):
        if i % 4 == 3 and i > 8:
            PEOPLE[name].start = t + timedelta(hours=u(1, 70))
            system(PEOPLE[name].start, f"{show(name)} bergabung menggunakan tautan undangan grup ini")
        else:
            batch.append(name)
        if batch and (len(batch) == 6 or i == len(first) - 1):
            t += timedelta(minutes=1 + int(u(0, 3)))
            names = [show(x) for x in batch]
            system(t, f"Pak Harjo menambahkan {', '.join(names[:-1])} dan {names[-1]}")
            for x in batch:
                PEOPLE[x].start = t
            batch = []
    for row in NEWCOMERS.strip().splitlines():
        _, name, gang, _, by, welcomed, intro = row.split("|")
        t, m = PEOPLE[name].start, PEOPLE[name]
        system(t, f"{show(name)} bergabung menggunakan tautan undangan grup ini" if by == "link"
               else f"{by} menambahkan {show(name)}")
        n, short = int(u(1, 40)), name.split(" ", 1)[-1]
        if welcomed == "yes":
            t += timedelta(minutes=2 + int(u(0, 4)))
            msgs = [(t, by, f"Selamat bergabung {name} 🙏 Bapak ibu, ini warga baru Gang {GANG[gang]} no {n}")]
            bridge = "Bu Ani" if by == "Pak Harjo" else "Pak Harjo"
            said, greetings = {by, name, bridge}, sorted(WELCOME, key=lambda _: _rng.random())
            for k in range(3):
                t += timedelta(minutes=1 + int(u(0, 4)))
                who = bridge if k == 0 else speaker(t, GANG[gang], avoid=said)
                msgs.append((t, who, ("@" + name + " " if chance(0.6) else "") + fill(greetings[k], m.hon)))
                said.add(who)
            msgs.append((t + timedelta(minutes=6), name, f"Terima kasih bapak ibu 🙏 Salam kenal, saya {short}, "
                         f"Gang {GANG[gang]} no {n}. Mohon bimbingannya 😊"))
            commit(msgs, pad=30, force=True)
        elif intro == "yes":
            t2 = t + timedelta(minutes=40 + int(u(0, 90)))
            post(t2, name, f"Salam kenal bapak ibu, saya penghuni baru di Gang {GANG[gang]} no {n} 🙏")
            reserve(t - timedelta(minutes=30), t2 + timedelta(hours=4))
        else:
            reserve(t - timedelta(minutes=30), t + timedelta(hours=4))
    system(at(date(2026, 2, 2), "06.10"), 'Pak Harjo mengubah subjek dari "Warga RT 05" menjadi "Warga RT 05 Melati"')
    system(at(date(2026, 2, 2), "06.11"), "Pak Harjo mengubah ikon grup ini")
    PEOPLE["Pak Hendra"].end = at(date(2026, 6, 13), "08.15")
    system(PEOPLE["Pak Hendra"].end, "Pak Hendra keluar")
    PEOPLE["+62 878-3301-7765"].end = at(date(2026, 9, 20), "10.42")
    system(PEOPLE["+62 878-3301-7765"].end, f"{show('+62 878-3301-7765')} keluar")
    PEOPLE["Mas Eko"].end = at(date(2026, 5, 16), "20.31")  # the removal line is written by dispute()


def rp(x: int) -> str:
    return f"Rp {x:,}".replace(",", ".")


def routines() -> None:
    """Every month: ronda rota, cash report, arisan, posyandu and kerja bakti."""
    saldo = 2_350_000
    for month in range(2, 11):
        d1, name = date(2026, month, 2 if month == 2 else 1), BULAN[month - 1]
        men = [m.name for m in PEOPLE.values() if m.name[0] in "PM" and m.start < at(d1, "06.00") < m.end]
        rota = "\n".join(f"{h}: {men.pop(int(u(0, len(men))))}, {men.pop(int(u(0, len(men))))}" for h in HARI)
        t = at(d1, f"{int(u(6, 8)):02d}.{int(u(0, 59)):02d}")
        post(t, "Pak Harjo", f"Jadwal ronda bulan {name} 🔦\n{rota}\nMohon hadir tepat waktu jam 22.00 ya bapak-bapak 🙏")
        answers(t, "Pak Harjo", ["Siap pak 👍", "Siap laksanakan", "Oke pak", "Siap 🙏"], 3 + int(u(0, 3)))
        masuk, keluar = 40 * 50_000 - int(u(0, 12)) * 50_000, int(u(3, 15)) * 100_000
        post(t := at(d1 + timedelta(days=2), "20.15"), "Pak Slamet",
             f"Laporan kas RT 05 bulan {BULAN[month - 2]}:\nSaldo awal: {rp(saldo)}\nIuran masuk: {rp(masuk)}\n"
             f"Pengeluaran: {rp(keluar)} (sampah, listrik pos, konsumsi)\nSaldo akhir: {rp(saldo + masuk - keluar)}\n"
             "Terima kasih yang sudah bayar iuran tepat waktu 🙏")
        saldo += masuk - keluar
        answers(t, "Pak Slamet", ["Terima kasih Pak Slamet 🙏", "Mantap, transparan 👍", "Matur nuwun pak"], 2 + int(u(0, 3)))
        sunday = next(d1 + timedelta(days=k) for k in range(7, 14) if (d1 + timedelta(days=k)).weekday() == 6)
        host = pick([m.name for m in PEOPLE.values() if m.hon in ("bu", "mbak") and m.w > 0])
        post(t := at(sunday - timedelta(days=3), "09.30"), "Bu Ani", f"Ibu-ibu, arisan PKK bulan ini hari Minggu "
             f"{sunday.day} {name} jam 16.00 di rumah {host} 🌸\nJangan lupa iuran kas 10rb ya 😊")
        answers(t, "Bu Ani", ["Siap bu 🙏", "Insya Allah hadir bu", "Izin telat ya bu", "Siap, sampai ketemu 😊"], 3 + int(u(0, 5)))
        if month != 3:
            post(t := at(sunday, "18.05"), "Bu Ani", f"Selamat untuk {pick([m.name for m in PEOPLE.values() if m.hon in ('bu', 'mbak')])} "
                 "yang dapat arisan bulan ini 🎉 Terima kasih ibu-ibu yang hadir")
            answers(t, "Bu Ani", ["Selamat 🎉", "Alhamdulillah 🤲", "Terima kasih bu 🙏"], 2 + int(u(0, 3)))
        d = date(2026, month, 9)
        post(t := at(d, "07.10"), "Bu Ani", f"Info posyandu balita & lansia besok {HARI[(d + timedelta(days=1)).weekday()]} "
             "jam 08.00-11.00 di balai RT 🏥 Bawa buku KIA ya bun 🙏")
        answers(t, "Bu Ani", ["Siap bu", "Makasih infonya bu 🙏", "Insya Allah datang bu"], 1 + int(u(0, 3)))
        last = max(date(2026, month, k) for k in range(22, 29) if date(2026, month, k).weekday() == 6)
        if month == 3:
            post(at(date(2026, 3, 12), "19.30"), "Pak Harjo", "Bapak ibu, kerja bakti bulan ini ditiadakan karena banyak yang mudik 🙏")
            continue
        if month == 8:
            last = date(2026, 8, 9)
        what = "hias gang & cat gapura 🇮🇩" if month == 8 else pick(["bersih selokan", "bersih makam", "potong rumput lapangan"])
        post(t := at(last - timedelta(days=4), "19.45"), "Pak Harjo",
             f"Assalamualaikum bapak ibu 🙏\nInfo kerja bakti Minggu {last.day} {name} jam 07.00: {what}.\n"
             "Kumpul di pos ronda, mohon bawa cangkul/sapu.\nKonsumsi dari ibu-ibu PKK. Terima kasih")
        answers(t, "Pak Harjo", RSVP, 6 + int(u(0, 9)), gap=20)
        post(t := at(last, "06.55"), "Pak Harjo", "Bapak ibu sudah mulai kumpul di pos ronda ya 🙏")
        for k in range(2 + int(u(0, 3))):
            post(t + timedelta(minutes=40 + 20 * k), speaker(t, None), MEDIA)
        post(t := at(last, "10.20"), "Pak Harjo", "Alhamdulillah kerja bakti selesai. Matur nuwun semua yang sudah hadir 🙏")
        answers(t, "Pak Harjo", ["Sama-sama pak 🙏", "Capek tapi senang 😄", "Mantap, bersih sekarang 👍"], 2 + int(u(0, 4)))


def occasions() -> None:
    """Ramadan and Lebaran, condolences, a farewell, the parking dispute and 17 Agustus."""
    post(t := at(date(2026, 2, 17), "19.30"), "Pak Harjo", "Marhaban ya Ramadhan 🌙 Mohon maaf lahir dan batin, "
         "selamat menunaikan ibadah puasa bapak ibu 🙏")
    answers(t, "Pak Harjo", ["Mohon maaf lahir batin juga pak 🙏", "Selamat berpuasa 🌙", "Aamiin 🤲"], 8)
    post(t := at(date(2026, 3, 14), "08.00"), "Pak Harjo", "Bapak ibu yang mudik mohon lapor ke RT ya 🙏\n"
         "Rumah dikunci, listrik dimatikan yang tidak perlu.\nHati-hati di jalan, semoga selamat sampai tujuan")
    answers(t, "Pak Harjo", ["Siap pak, kami mudik tgl 16 🙏", "Titip rumah ya pak ronda 🙏", "Hati-hati semua 🚗"], 6, gap=40)
    post(t := at(date(2026, 3, 20), "06.40"), "Pak Harjo", "Selamat Hari Raya Idul Fitri 1447 H 🌙✨ "
         "Taqabbalallahu minna wa minkum, mohon maaf lahir dan batin 🙏")
    answers(t, "Pak Harjo", ["Minal aidin wal faizin, mohon maaf lahir batin 🙏", "Selamat Idul Fitri semua 🌙",
                             "Mohon maaf lahir dan batin bapak ibu 🙏", MEDIA], 16, gap=45)
    for d, who, rel, where in [(date(2026, 4, 23), "Bu Endang", "ayahanda", "Melati"),
                               (date(2026, 7, 3), "Pak Agus", "ibunda", "Mawar"),
                               (date(2026, 10, 14), "Pak Bambang", "ibu mertua", "Melati")]:
        post(t := at(d, "05.53"), "Pak Harjo", f"Innalillahi wa inna ilaihi roji'un 🤲\nTelah berpulang ke rahmatullah {rel} "
             f"dari {who} (Gang {where}) pagi ini.\nJenazah dimakamkan ba'da dzuhur di TPU Kemuning.\nMohon doanya bapak ibu 🙏")
        answers(t, who, CONDOLE, 10 + int(u(0, 8)), gap=12)
        post(t := at(d + timedelta(days=1), "20.10"), who, "Terima kasih bapak ibu atas doa dan bantuannya kemarin 🙏 "
             "Mohon dimaafkan kesalahan almarhum. Matur nuwun")
        answers(t, who, ["Sama-sama {hon} 🙏", "Aamiin 🤲", "Yang sabar ya {hon}"], 3)
    farewell = at(date(2026, 6, 12), "19.30")
    commit([(farewell, "Pak Hendra", "Assalamualaikum bapak ibu, minggu depan kami sekeluarga pindah ke Bekasi. "
             "Mohon maaf kalau ada salah selama jadi tetangga 🙏 Terima kasih atas kebersamaannya")], force=True)
    answers(farewell, "Pak Hendra", ["Hati-hati di jalan {hon} 🙏", "Sukses di tempat baru {hon}", "Sering-sering main ke sini ya {hon} 😊"], 6)
    d = date(2026, 5, 16)
    commit([(at(d, c), who, text) for c, who, text in [
        ("20.10", "Pak Rudi", "Mohon maaf, mobil Avanza hitam yang parkir di mulut Gang Melati tolong dipindah. "
                              "Semalam ambulans susah masuk 🙏"),
        ("20.12", "Mas Eko", "Itu mobil saya pak. Mau parkir di mana lagi, Gang Mawar sempit"),
        ("20.13", "Pak Rudi", "Ya jangan di mulut gang mas, kasihan warga lain"),
        ("20.15", "Mas Eko", "Jalan umum kok pak, bukan punya Gang Melati 😤"),
        ("20.16", "Bu Ratna", "Kemarin juga nutup jalan mas, motor saya gak bisa lewat"),
        ("20.18", "Mas Eko", "Urus rumah sendiri aja bu, gak usah ngatur-ngatur orang!!"),
        ("20.21", "Pak Harjo", "Bapak ibu mohon tenang 🙏 Mas Eko, tolong jaga bicara. Kita bahas baik-baik di pos ronda nanti"),
        ("20.24", "Mas Eko", "Gak usah sok ngatur pak. Grup ini isinya nyinyir semua"),
        ("20.25", "Mas Eko", MEDIA),
        ("20.30", "Pak Harjo", "Mas Eko sudah diingatkan. Mohon maaf, saya keluarkan dulu dari grup")]], pad=60, force=True)
    system(PEOPLE["Mas Eko"].end, "Pak Harjo mengeluarkan Mas Eko")
    post(t := at(d + timedelta(days=1), "06.30"), "Pak Harjo", "Selamat pagi bapak ibu. Mohon maaf atas kejadian semalam 🙏\n"
         "Mari tetap saling menghormati. Soal parkir kita bahas di rapat RT Sabtu depan.")
    answers(t, "Pak Harjo", ["Siap pak 🙏", "Setuju pak 👍", "Terima kasih pak RT sudah menengahi"], 7)
    post(t := at(date(2026, 7, 12), "19.00"), "Pak Harjo", "Bapak ibu, sebentar lagi 17 Agustus 🇮🇩\n"
         "Kita bentuk panitia lomba ya. Yang bersedia jadi panitia silakan tulis di sini 🙏")
    answers(t, "Pak Harjo", ["Saya siap bantu pak 💪", "Ibu-ibu PKK pegang konsumsi ya 🍚", "Saya pegang lomba anak-anak",
                             "Siap pak, Gang Melati siap 💪", "Gang Mawar juga siap 🇮🇩"], 14, gap=8)
    post(t := at(date(2026, 8, 16), "20.00"), "Pak Harjo", "Rundown 17 Agustus besok 🇮🇩\n07.00 upacara di lapangan\n"
         "08.30 lomba anak-anak\n13.00 lomba bapak-bapak & ibu-ibu\n19.30 malam tirakatan & pembagian hadiah\nMerdeka!")
    answers(t, "Pak Harjo", ["Merdeka!! 🇮🇩", "Siap pak 💪", "Gak sabar 😄"], 8)
    d = date(2026, 8, 17)
    post(t := at(d, "06.30"), "Bu Ani", "Dirgahayu Republik Indonesia ke-81 🇮🇩🇮🇩 Merdeka!")
    answers(t, "Bu Ani", ["Merdeka!! 🇮🇩", "Dirgahayu Indonesiaku 🇮🇩❤️", MEDIA, "Upacaranya khidmat 🙏"], 10, gap=10)
    post(t := at(d, "16.05"), "Mas Dedi", "Seru banget lomba hari ini 😂")
    answers(t, "Mas Dedi", [MEDIA, MEDIA, MEDIA, "Juara tarik tambang Gang Melati 💪", "Balap karung ibu-ibu paling seru 🤣",
                            "Gang Mawar menang estafet 🏆", "Anak-anak senang semua 😍"], 16, gap=12)
    post(t := at(d + timedelta(days=1), "09.00"), "Pak Harjo", "Terima kasih panitia dan seluruh warga 🙏 "
         "Acara 17an lancar dan meriah. Sampai jumpa tahun depan 🇮🇩")
    answers(t, "Pak Harjo", ["Sama-sama pak 🙏", "Matur nuwun panitia 👏", "Kompak terus RT 05 💪"], 10)


def factor(d: date) -> float:
    if date(2026, 3, 15) <= d <= date(2026, 3, 29):
        return 0.2  # Lebaran: most households are away (mudik)
    if date(2026, 7, 15) <= d <= date(2026, 8, 18):
        return 2.0  # the run-up to 17 Agustus
    return 1.2 if d.weekday() >= 5 else 1.0


def chatter(per_day: float = 2.3) -> None:
    """Everyday threads in the mornings and evenings, each within one block (plus bridges)."""
    slots, weights = [(5.5, 8.5), (11.5, 13.5), (15.5, 18.0), (19.0, 22.0), (22.0, 23.3)], [3, 1.5, 1.5, 3.5, 0.5]
    d, used = START + timedelta(days=1), {}
    while d <= END:
        for _ in range(poisson(per_day * factor(d))):
            for _try in range(3):
                lo, hi = wpick(slots, weights)
                t = datetime.combine(d, datetime.min.time()) + timedelta(minutes=int(60 * u(lo, hi)))
                if date(2026, 7, 15) <= d <= date(2026, 8, 16) and chance(0.5):
                    openers, replies = pick(AGUSTUS)
                elif date(2026, 2, 18) <= d <= date(2026, 3, 19) and chance(0.3):
                    openers, replies = RAMADAN
                else:
                    openers, replies = pick(TOPICS)
                opener = pick(openers)
                if (d - used.get(opener, START - timedelta(days=9))).days < 4:
                    continue  # the same question does not come back within days
                if commit(thread(t, pick(["Mawar", "Melati"]), opener, replies, 2 + int(u(0, 5)))):
                    used[opener] = d
                    break
        d += timedelta(days=1)


# --- What members do for each other -----------------------------------------------------------
# Drawn after everything above, so the rest of the story keeps its exact lines. Every post here is
# placed where no other conversation is going on (see Scene.say).

# slot (upper case: urgent, answered within minutes) | who asks, who helps (m = a man, f = a woman,
# - = anyone) | request | offers, the first always among those given (none: the request goes
# unanswered) | the asker's thanks ({hon}: of the first helper; a leading ">": once the job is done)
HELP = [
    ("O", "-m", "Ada yg bisa bantu dorong mobil sy? mogok di depan gang 😩",
     ["Sy bisa bantu {hon}, 5 menit lagi ke sana", "Otw {hon} 🏃", "Sy bawa kabel jumper {hon}, siapa tau akinya"],
     ">Alhamdulillah sudah nyala, makasih banyak {hon} 🙏"),
    ("p", "--", "Minta tolong, ada yg punya nomor tukang ledeng? Pipa belakang bocor dari subuh 💧",
     ["Ada {hon}, sy japri nomornya ya", "Tukang yg benerin di rumah sy bagus {hon}, orangnya jujur"],
     "Sudah dapat, makasih {hon} 🙏"),
    ("s", "--", "Pinjam tangga dong bapak2, buat benerin genteng bocor 🙏",
     ["Pakai tangga sy aja {hon}, ambil di garasi", "Sy ada tangga lipat {hon}, sy antar skrg"],
     "Makasih {hon}, nanti sore sy kembalikan 🙏"),
    ("m", "--", "Ada yg punya tabung gas 3kg lebih? Sy kehabisan, warung udh tutup 🙏", [], ""),
    ("P", "--", "Nyuwun tulung bapak ibu, wonten ingkang saged nganter ibu sy ke puskesmas pagi ini? Motor sy dibawa anak 🙏",
     ["Monggo {hon}, sy antar jam 8 nggih", "Kalau blm ada yg antar, sy bisa {hon}"],
     "Matur nuwun sanget {hon} 🙏"),
    ("O", "-m", "Minta tolong bapak2, dahan mangga depan rumah sy patah nutup jalan 🌳 ada yg punya gergaji?",
     ["Sy ada gergaji {hon}, sy ke sana sekalian bantu motong", "Sy bantu angkat {hon} 💪", "Sy bawa karung buat daunnya {hon}"],
     ">Sudah bersih, makasih bapak2 sudah gotong royong 🙏"),
    ("m", "--", "Ada yg bisa bantu benerin pompa air? Gak mau nyedot dari kemarin 😩",
     ["Coba sy lihat {hon}, habis isya sy mampir", "Biasanya pancingannya {hon}, nanti sy bantu"],
     ">Udah nyala lagi pompanya, mksh banyak {hon} 🙏"),
    ("m", "--", "Ada yg tau bengkel las yg buka hari Minggu? Pagar sy lepas engselnya", [], ""),
    ("s", "f-", "Bu, titip anak sy sebentar bisa? Sy harus ke RS antar suami, 2 jam an 🙏",
     ["Bawa aja ke rumah sy {hon}, biar main sama anak sy", "Sy di rumah kok {hon}, titip aja"],
     "Makasih banyak {hon}, ngerepotin 🙏"),
    ("o", "--", "Ada yg punya kursi roda yg gak dipakai? Buat bapak sy habis operasi, pinjam sebentar 🙏",
     ["Ada kursi roda almarhum bapak sy {hon}, pakai aja", "Di balai RT kayaknya ada satu {hon}, sy tanyakan"],
     "Alhamdulillah, makasih {hon} 🙏 nanti sy ambil"),
    ("m", "--", "Ada yg punya printer? Mau ngeprint tugas anak 3 lembar aja 🙏", [], ""),
    ("s", "-m", "Minta tolong, ada yg bisa bantu angkat lemari ke lantai 2? Butuh 2-3 org, nanti jam 4 sore 🙏",
     ["Sy bisa {hon} jam 4", "Sy ikut bantu {hon}", "Sy ajak anak sy juga {hon} 💪"],
     "Makasih bapak2, sy tunggu jam 4 ya 🙏"),
    ("P", "--", "Bapak ibu ada yg ke pasar pagi ini? Nitip beli obat di apotek, sy lagi demam gak bisa keluar 🤒",
     ["Sy mau ke pasar {hon}, japri aja obatnya apa", "Cepat sembuh {hon}, kalau butuh apa2 bilang ya"],
     "Makasih {hon}, sudah sy japri 🙏"),
    ("m", "--", "Ada yg bisa ngelesin anak sy matematika SMP? Berbayar gpp 🙏", [], ""),
    ("s", "--", "Ada yg bisa minjemin panci besar sama kompor buat aqiqah hari Sabtu? 🙏",
     ["Panci besar sy ada {hon}, ambil aja", "Sy ada kompor 2 tungku {hon}", "Sy bantu masak juga {hon} 🙏"],
     "Matur nuwun {hon} 🙏"),
    ("O", "--", "Kunci rumah sy ketinggalan di dalam 😭 ada yg kenal tukang kunci?",
     ["Ada {hon}, sy japri nomornya", "Coba lewat jendela belakang {hon}, sy bantu pegangin tangga"],
     ">Sudah bisa masuk, makasih {hon} 🙏"),
    ("p", "--", "Ada yg ke arah stasiun pagi ini? Nebeng dong, motor sy di bengkel 🙏",
     ["Bareng sy {hon}, 10 menit lagi berangkat", "Sy lewat stasiun {hon}, tunggu depan gang ya"],
     "Makasih {hon}, sy tunggu depan gang 🙏"),
    ("s", "--", "Ada yg punya charger laptop Asus? Punya sy rusak, pinjam sehari aja 🙏", [], ""),
    ("o", "--", "Ada yg punya gerobak sorong? Mau angkut pasir dikit buat nambal teras 🙏",
     ["Pakai punya sy {hon}, di samping rumah", "Sy juga ada {hon}, kalau kurang"],
     "Mksh {hon} 🙏 besok pagi sy balikin"),
    ("O", "--", "Mohon bantuannya bapak ibu 😢 anak sy (Dika, 7 th, kaos merah) belum pulang dari main, ada yg lihat?",
     ["Tadi sy lihat main di lapangan {hon}", "Sy bantu cari keliling {hon}", "Sy cek ke musholla {hon}"],
     ">Alhamdulillah sudah ketemu di rumah temannya 😭 makasih semua yg bantu cari 🙏"),
    ("m", "--", "Nyuwun tulung, sinten ingkang gadhah nomor tukang servis kulkas? Kulkas sy mati 🙏",
     ["Wonten {hon}, sy japri nggih", "Tukang servis langganan sy bagus {hon}, sy japri"],
     "Matur nuwun sanget {hon} 🙏"),
    ("p", "--", "Ada yg punya kenalan tukang pijat urut? Pinggang sy keseleo 😣", [], ""),
    ("M", "--", "Minta tolong yg punya mobil, besok subuh ada yg bisa antar ke stasiun? Sy ganti bensin 🙏",
     ["Sy bisa {hon}, jam berapa?", "Kalau jam 5 sy bisa {hon}"],
     "Makasih {hon}, sy japri ya 🙏"),
    ("S", "--", "Tolong ada yg bisa bantu cek gas di rumah ibu sy? Regulatornya bunyi ssss, ibu sendirian 😰",
     ["Sy ke sana sekarang {hon}", "Cabut dulu regulatornya {hon}, buka jendela. Sy nyusul"],
     ">Sudah aman, makasih banyak {hon} 🙏 untung cepat"),
    ("o", "--", "Ada yg tau tukang cat yg murah? Mau cat ulang rumah sebelum Lebaran depan", [], ""),
    ("S", "--", "Ada yg bisa jemput anak sy di SD skrg? Sy kejebak macet 😩🙏",
     ["Sy sekalian jemput anak sy {hon}, nanti sy bawa ke rumah", "Sy bisa {hon}, kelas berapa?"],
     "Makasih banyak {hon}, penyelamat 🙏"),
    ("o", "--", "Nyuwun tulung, wonten ingkang saged bantu benerin antena TV? Bapak sy mau nonton bola 😅",
     ["Sy bisa {hon}, sebentar lagi sy ke sana", "Monggo {hon}, sy bawa kabel sisa"],
     ">Matur nuwun {hon}, sudah jernih 😁🙏"),
]
SLOT = {"p": (6.0, 8.5), "s": (11.0, 14.0), "o": (15.5, 18.0), "m": (19.0, 21.5)}
SAID: list[tuple[datetime, int]] = []  # every post (time, scene); scene 0 = the story above


def clear(t: datetime, scene: int) -> bool:
    """Nothing else on: no thread reserved within 6 minutes, no other scene's post within 8."""
    if not free(t - timedelta(minutes=6), t + timedelta(minutes=6)):
        return False
    for x, s in SAID[bisect.bisect_left(SAID, (t - timedelta(minutes=8), -1)):]:
        if x >= t + timedelta(minutes=8):
            return True
        if s != scene:
            return False
    return True


class Scene:
    """One episode: its posts stay in order and keep clear of other conversations."""

    count = 0

    def __init__(self) -> None:
        Scene.count += 1
        self.id, self.t = Scene.count, datetime.min

    def say(self, t: datetime, who: str, text: str) -> datetime:
        t = max(t, self.t)
        while not clear(t, self.id):
            t += timedelta(minutes=2)
        m = PEOPLE[who]
        assert m.w > 0 and m.start <= t < m.end and t.date() <= END, (who, t)
        post(t, who, text)
        bisect.insort(SAID, (t, self.id))
        self.t = t + timedelta(minutes=1)
        return t


def person(t: datetime, gang: str | None = None, avoid=(), sex: str = "-") -> str:
    """Someone who writes, present at t, from a block (None: anyone, bridges too), a man or a woman."""
    c = [m for m in PEOPLE.values() if m.w > 0 and m.start <= t < m.end and m.name not in avoid
         and (gang is None or GANG.get(m.gang) == gang) and (sex == "-" or (m.hon in ("bu", "mbak")) == (sex == "f"))]
    return wpick([m.name for m in c], [m.w for m in c])


def clock(d: date, hours: float) -> datetime:
    return datetime.combine(d, datetime.min.time()) + timedelta(minutes=int(60 * hours))


def mention(name: str, text: str, p: float = 0.2) -> str:
    return f"@{name} {text}" if not name.startswith("+") and chance(p) else text


def respond(s: Scene, t: datetime, to: str, pool: list[str], n: int, gap: float = 10.0, sex: str = "-",
            avoid=()) -> datetime:
    """n answers from both blocks, in pool order (each line once), the first within minutes.

    A line starting "m:" or "f:" is said by a man or a woman.
    """
    said, left = {to, *avoid}, list(range(len(pool)))
    order = sorted(left.pop(int(u(0, len(left)))) for _ in range(min(n, len(left))))
    for k in order:
        t += timedelta(minutes=1 + int(expo(gap)))
        line, who_sex = (pool[k][2:], pool[k][0]) if pool[k][1:2] == ":" else (pool[k], sex)
        who = person(t, None, said, who_sex)
        t = s.say(t, who, mention(to, fill(line, PEOPLE[to].hon, GANG.get(PEOPLE[who].gang, "Mawar")), 0.1))
        said.add(who)
    return t


def help_requests() -> None:
    """Requests for a hand, a loan or a number; most answered within minutes or hours, then thanks."""
    span = (date(2026, 10, 25) - date(2026, 2, 6)).days
    for i, (slot, sex, ask, offers, thanks) in enumerate(HELP):
        d = date(2026, 2, 6) + timedelta(days=int(span * (i + u(0.15, 0.85)) / len(HELP)))
        if date(2026, 3, 15) <= d <= date(2026, 3, 29):
            d = date(2026, 3, 30)  # mudik: nobody left to ask
        t, gang, s = clock(d, u(*SLOT[slot.lower()])), pick(["Mawar", "Melati"]), Scene()
        asker = person(t, gang, sex=sex[0])
        t = s.say(t, asker, fill(ask, gang=gang))
        helpers: list[str] = []
        left = list(range(1, len(offers)))
        order = [0] + sorted(left.pop(int(u(0, len(left)))) for _ in range(min(int(u(0, 3)), len(left))))
        order = order if offers else []
        late = slot.islower() and chance(0.3)
        for k in order:
            t += timedelta(minutes=int(u(50, 200)) if late and not helpers else 1 + int(expo(5)))
            who = person(t, gang if chance(0.75) else None, {asker, *helpers}, sex[1])
            t = s.say(t, who, mention(asker, fill(offers[k], PEOPLE[asker].hon, gang)))
            helpers.append(who)
        if helpers and chance(0.9):
            done = thanks.startswith(">")
            t = night(t + timedelta(minutes=int(u(40, 150)) if done else 2 + int(expo(30))))
            s.say(t, asker, mention(helpers[0], fill(thanks.lstrip(">"), PEOPLE[helpers[0]].hon, gang), 0.3))


def announce(d: date, hhmm: str, who: str, text: str, pool: list[str], n: int, gap: float = 10.0,
             sex: str = "-", to: str | None = None) -> datetime:
    """A post and its answers; they address `to` (default: the writer), and neither answers."""
    s = Scene()
    t = s.say(at(d, hhmm), who, text)
    return respond(s, t, to or who, pool, n, gap, sex, {who})


def script(d: date, lines: list[tuple[str, str, str]]) -> None:
    """A scripted exchange; a clock of "+N" is N minutes after the previous post."""
    s, t = Scene(), datetime.min
    for hhmm, who, text in lines:
        t = s.say(t + timedelta(minutes=int(hhmm[1:])) if hhmm[0] == "+" else at(d, hhmm), who, text)


GWS = ["Ya Allah, semoga lekas sembuh ya {hon} 🤲", "GWS {hon} 🙏", "Semoga cepat pulih, yg sabar ya {hon}",
       "Cepet sehat ya {hon}, istirahat yg cukup 🙏", "Aamiin, sy doakan cepat pulih {hon} 🤲"]
DUKA = ["Innalillahi wa inna ilaihi rojiun, turut berduka cita {hon} 🙏", "Innalillahi, semoga husnul khotimah 🤲",
        "Turut berduka cita {hon}, semoga keluarga diberi ketabahan", "Innalillahi.. sabar ya {hon} 🙏", "Aamiin 🤲",
        "Turut berduka cita sedalam-dalamnya {hon}", "Semoga almarhum diterima di sisi Allah SWT 🤲", "Aamiin ya Allah 🤲"]


def misfortunes() -> None:
    """Illness, theft, a flooded house, an accident and a death, and what the neighbours say and do."""
    announce(date(2026, 2, 24), "06.40", "Mbak Fitri", "Bapak ibu mohon doanya 🙏 anak sy masuk RS tadi malam, "
             "kena DB, trombositnya turun terus 😢", GWS + ["Dirawat di RS mana {hon}? nanti sore sy jenguk",
                                                          "Kalau butuh apa2 kabari ya {hon}"], 6, gap=15)
    announce(date(2026, 2, 27), "16.10", "Mbak Fitri", "Alhamdulillah anak sy sudah boleh pulang 😊 makasih banyak "
             "doa dan kunjungannya bapak ibu 🙏", ["Alhamdulillah 🤲", "Alhamdulillah, sehat2 terus ya dek",
                                                   "Syukurlah {hon} 🙏"], 3)
    announce(date(2026, 4, 7), "05.45", "Pak Budi Santoso", "Motor sy hilang semalam di depan rumah 😭 Vario putih, "
             "padahal udh dikunci stang", ["Ya Allah, sabar ya {hon}, semoga cepat ketemu 🙏",
                                           "Innalillahi.. sudah lapor polsek {hon}?", "Astaghfirullah, semoga ketemu {hon}",
                                           "Sabar {hon}, nanti sy temani lapor ke polsek",
                                           "Coba cek CCTV rumah sy {hon}, kameranya ngadep jalan"], 4, gap=12)
    announce(date(2026, 4, 8), "19.30", "Pak Harjo", "Bapak ibu, setelah kejadian motor Pak Budi, mohon kendaraan "
             "dimasukkan ke halaman & pakai kunci ganda ya 🔐\nYg dapat jadwal ronda wajib hadir, kalau berhalangan "
             "cari pengganti, jangan titip absen 🙏", ["Siap pak 👍", "Setuju pak", "Siap, sy hadir terus pak",
                                                     "Baik pak RT 🙏"], 4)
    announce(date(2026, 6, 6), "16.20", "Bu Wati", "Tolong bapak ibu 😭 rumah sy kebanjiran, air dari selokan belakang "
             "masuk sampai sebetis", ["Ya Allah, sabar ya {hon}, sy ke sana bantu angkat barang",
                                      "Sy bawa ember sama pel {hon} 🙏", "Otw {hon}, sy ajak anak sy bantu",
                                      "Semoga cepat surut ya {hon} 🤲"], 4, gap=3)
    announce(date(2026, 6, 6), "20.40", "Bu Wati", "Alhamdulillah sudah surut 🙏 Matur nuwun sanget bapak ibu yg sudah "
             "bantu angkat2 barang & bersihin lumpur. Gak tau gimana kalau gak ada tetangga 😭",
             ["Sama2 {hon} 🙏", "Sehat2 ya {hon}", "Namanya juga tetangga {hon} 🙏"], 3)
    announce(date(2026, 7, 10), "11.30", "Bu Lastri", "Ibu2 sy izin dulu dr kegiatan PKK ya, lagi opname tipes di RS 🙏 "
             "mohon doanya", GWS, 4, gap=20)
    announce(date(2026, 8, 21), "09.15", "Pak Darto", "Bapak ibu mohon doanya, istri sy kecelakaan motor tadi pagi di "
             "jalan raya, sekarang di IGD 🙏", ["Ya Allah, semoga lekas sembuh bu Darto 🤲",
                                               "Innalillahi, semoga gak parah ya {hon}", "GWS bu Darto 🙏",
                                               "Sabar ya {hon}, kalau butuh apa2 kabari",
                                               "Anak2 di rumah biar sy yg awasi dulu {hon}"], 5, gap=12)
    announce(date(2026, 8, 22), "19.40", "Pak Darto", "Alhamdulillah istri sy sudah pulang, cuma retak tangan. Terima "
             "kasih doa dan bantuannya bapak ibu, terutama yg jagain anak2 kemarin 🙏",
             ["Alhamdulillah 🤲", "Cepat pulih ya bu 🙏", "Sama2 {hon}"], 3)
    announce(date(2026, 9, 12), "07.20", "Pak Sugeng", "Bapak ibu mohon doanya, bapak sy (Mbah Karto) dirawat di RS "
             "sejak semalam, kena stroke 😢", GWS + ["Kalau butuh gantian jaga di RS kabari ya {hon}"], 5, gap=15)
    announce(date(2026, 9, 16), "05.20", "Pak Joko", "Innalillahi wa inna ilaihi rojiun 🤲\nTelah meninggal dunia "
             "Mbah Karto, bapak dari Pak Sugeng (Gang Melati), tadi jam 04.10 di RS.\nRumah duka: rumah Pak Sugeng, "
             "Gang Melati no 12.\nInsya Allah dimakamkan jam 13.00 di TPU Kemuning. Mohon doanya bapak ibu 🙏",
             DUKA + ["Turut berduka cita Pak Sugeng, semoga diberi ketabahan 🙏", "Innalillahi.. semalam masih sy jenguk 😢"],
             10, gap=10, to="Pak Sugeng")
    announce(date(2026, 9, 16), "06.35", "Pak Harjo", "Bapak2 yg longgar mohon bantu pasang tenda & kursi di rumah duka "
             "Pak Sugeng jam 8 ya 🙏 Ibu2 yg bisa bantu di dapur koordinasi dgn Bu Ani",
             ["m:Siap pak, sy meluncur", "m:Sy bawa kursi dari balai RT pak", "m:Sy nyusul habis antar anak sekolah pak",
              "f:Ibu2 Gang {gang} siap bantu dapur 🙏"], 4, gap=8, to="Pak Sugeng")
    announce(date(2026, 9, 17), "19.50", "Pak Sugeng", "Matur nuwun sanget bapak ibu atas doa, bantuan dan kehadirannya "
             "kemarin 🙏 Mohon dimaafkan kesalahan almarhum bapak sy", ["Aamiin 🤲", "Sama2 {hon} 🙏",
                                                                     "Yg sabar ya {hon}"], 3)
    # the condolences above the story already has: the neighbours lend a hand at the house of mourning
    announce(date(2026, 4, 23), "10.05", "Bu Ani", "Ibu2 yg bisa bantu masak buat tahlilan nanti malam di rumah "
             "Bu Endang kumpul jam 1 siang ya 🙏", ["Sy bantu bu 🙏", "Sy bawa kursi plastik dari rumah bu",
                                                   "Sy nyusul habis dzuhur bu", "Siap bu, sy bawa beras 5 kg"], 3, sex="f")
    announce(date(2026, 7, 3), "06.20", "Pak Harjo", "Bapak2 yg longgar mohon bantu pasang tenda di rumah duka Pak Agus "
             "ya, sekalian angkat kursi dari balai RT 🙏", ["Siap pak, sy ke sana", "Sy bawa mobil bak buat angkut kursi pak",
                                                          "Sy ke sana skrg pak"], 3, sex="m")


def quarrels() -> None:
    """Two sharp exchanges mended the next day, and one that is left to cool without an apology."""
    script(date(2026, 4, 20), [
        ("19.20", "Bu Sri Wahyuni", "Tolong ya yg buang sampah di lahan kosong sebelah no 21, bau banget 😤 sy tau kok orangnya"),
        ("+3", "Pak Wawan", "Maksudnya nuduh sy bu? Sampah sy selalu ke bak sampah"),
        ("+2", "Bu Sri Wahyuni", "Lha kemarin sy lihat sendiri kantong hitam dr rumah bapak"),
        ("+1", "Pak Wawan", "Jangan asal nuduh bu. Urus aja rumah sendiri!!"),
        ("+4", "Bu Ani", "Sudah2 bapak ibu, diomongin baik2 ya 🙏 gak enak dibaca warga lain")])
    script(date(2026, 4, 21), [
        ("06.35", "Pak Wawan", "Bu Sri, maaf ya kemarin sy kebawa emosi 🙏 ternyata yg buang itu tukang bangunan sy, "
                               "sudah sy tegur dan sudah sy bersihkan"),
        ("+6", "Bu Sri Wahyuni", "Iya pak gpp, sudah sy maafkan. Sy juga minta maaf langsung nuduh di grup 🙏 kita sama2 warga"),
        ("+3", "Pak Harjo", "Alhamdulillah, begini baru warga RT 05 👍")])
    announce(date(2026, 4, 21), "16.00", "Bu Ani", "Ibu2 bapak2, mohon sampah rumah tangga dibuang ke bak sampah & "
             "dipilah ya, jangan di lahan kosong atau selokan 🙏 petugas angkut tiap Selasa & Jumat",
             ["Siap bu 🙏", "Baik bu", "Setuju bu 👍"], 2)
    script(date(2026, 7, 5), [
        ("09.10", "Mas Andi", "Iuran sampah naik jadi 30rb? Kok gak ada rapat dulu, pengurus seenaknya aja"),
        ("+5", "Pak Slamet", "Sudah dibahas di rapat RT bulan lalu mas, notulennya nanti sy share lagi di grup 🙏"),
        ("+2", "Mas Andi", "Rapatnya pas org kerja semua pak, sama aja gak diajak. Gak usah sok transparan deh"),
        ("+4", "Pak Slamet", "Mas, sy ngurus kas ini gak dibayar lho. Kalau gak percaya silakan cek bukunya di rumah sy"),
        ("+6", "Pak Harjo", "Mas Andi, Pak Slamet, mohon dilanjut di rapat atau japri ya 🙏"),
        ("+1", "Pak Slamet", MEDIA)])
    script(date(2026, 7, 5), [
        ("20.30", "Mas Andi", "Pak Slamet, mohon maaf tadi pagi sy kebawa emosi, omongan sy kelewatan 🙏 "
                              "notulennya sudah sy baca"),
        ("+7", "Pak Slamet", "Sama2 mas, sudah sy maafkan. Masukannya bagus, rapat berikutnya kita bikin malam "
                             "biar yg kerja bisa ikut 👍"),
        ("+2", "Mas Andi", "Siap pak, matur nuwun 🙏"),
        ("+5", "Pak Joko", "Mantap, adem lagi 👍")])
    script(date(2026, 10, 2), [
        ("06.50", "Mas Fajar", "Yg karaoke sampai jam 12 semalam tolong ya, anak sy lagi ujian 🙏"),
        ("+8", "Mbak Dewi", "Cuma sekali2 mas, ulang tahun anak sy. Sensitif amat"),
        ("+2", "Mas Fajar", "Sekali2 tapi tiap malam minggu mbak"),
        ("+3", "Mbak Dewi", "Gak usah lebay deh mas, sana pindah ke perumahan elit aja 🙄"),
        ("+5", "Pak Harjo", "Mohon sama2 menghargai ya 🙏 Sesuai kesepakatan warga, di atas jam 22.00 mohon tidak "
                            "menyalakan musik keras. Berlaku utk semua")])


def reminders() -> None:
    """The RT and PKK heads remind everyone of the rules (others come with the episodes above)."""
    announce(date(2026, 2, 9), "19.30", "Pak Harjo", "Bapak ibu, mengingatkan lagi: tamu yg menginap lebih dari 1x24 jam "
             "wajib lapor RT ya 🙏 demi keamanan bersama", ["Siap pak 👍", "Baik pak", "Siap pak RT 🙏"], 3)
    announce(date(2026, 6, 3), "07.05", "Pak Harjo", "Mohon warga tidak membuang sampah di selokan ya, sudah mulai "
             "sering hujan, gampang mampet 🙏", ["Siap pak", "Betul pak, depan rumah sy sering mampet", "Baik pak 👍"], 2)
    script(date(2026, 6, 18), [
        ("20.05", "+62 812-8834-2210", "INFO PENTING!! Besok ada pemadaman listrik total se-Jawa Bali 3 hari, siapkan "
                                       "lilin & air. Sebarkan ke keluarga!!"),
        ("+4", "Mbak Rina", "Itu hoax pak, sudah dibantah PLN kemarin 🙏"),
        ("+5", "Pak Harjo", "Bapak ibu, grup ini khusus info warga ya. Mohon tidak share hoax / berita yg belum jelas "
                            "sumbernya, dicek dulu sebelum disebar 🙏"),
        ("+3", "+62 812-8834-2210", "Oh maaf pak, sy kira beneran 🙏"),
        ("+2", "Pak Harjo", "Gpp pak, lain kali dicek dulu ya 👍")])
    announce(date(2026, 8, 20), "19.30", "Pak Harjo", "Bapak ibu, sesuai hasil rapat RT: kendaraan mohon diparkir di "
             "halaman masing2, tidak di mulut gang 🙏 Tamu acara bisa parkir di lapangan",
             ["Siap pak 👍", "Setuju pak", "Baik pak, sy sampaikan ke tamu sy juga"], 3)
    announce(date(2026, 10, 8), "09.00", "Bu Ani", "Ibu2, mengingatkan iuran kas PKK dibayar paling lambat tgl 10 tiap "
             "bulan ya, biar laporannya tepat waktu 🙏", ["Siap bu 🙏", "Sudah sy transfer bu", "Baik bu"], 2, sex="f")


def night(t: datetime) -> datetime:
    """A post that would fall at night waits for the morning."""
    if t.hour >= 22 or t.hour < 6:
        d = t.date() + timedelta(days=1 if t.hour >= 22 else 0)
        return clock(d, u(6.0, 8.0))
    return t


def signups() -> None:
    """Numbered lists: the organiser posts a header and "1. name", each signer re-posts it with a line added."""
    # header (a trailing newline leaves a blank line) | organiser | organiser's line | first post | steps: (name, line) adds, (name, "=") pastes back unchanged,
    # (name, "k:text") rewrites line k
    lists = [
        ("Ronda selama libur Lebaran 🔦\nBapak2 yg tidak mudik mohon tulis nama ya", "Pak Harjo", "Pak Harjo",
         at(date(2026, 3, 13), "20.05"),
         [("Pak Joko", "Pak Joko"), ("Pak Imam", "Pak Imam"), ("Pak Sugeng", "Pak Sugeng"), ("Mas Andi", "Mas Andi"),
          ("Pak Darto", "Pak Darto")]),
        ("Patungan sapi qurban Idul Adha 1447 H 🐄\n1 sapi = 7 org, @Rp 3.250.000\nPaling lambat 20 Mei ke sy / "
         "Pak Slamet\n", "Pak Imam", "Pak Imam", at(date(2026, 5, 4), "19.45"),
         [("Pak Joko", "Pak Joko"), ("Pak Harjo", "Pak Harjo"), ("Pak Budi Santoso", "Pak Budi"),
          ("Bu Ratna", "Bu Ratna (a.n. alm. bapak)"), ("Pak Slamet", "Pak Slamet"), ("Mbak Fitri", "Mbak Fitri")]),
        ("Kerja bakti Minggu 14 Juni 🧹\nBersihin saluran belakang Gang Melati & cat pos ronda, jam 07.00\n"
         "Yg bisa ikut tulis nama ya\n", "Pak Harjo", "Pak Harjo", at(date(2026, 6, 8), "19.35"),
         [("Mas Dedi", "Mas Dedi"), ("Pak Joko", "Pak Joko"), ("Bu Yuni", "Bu Yuni"), ("Pak Rudi", "Pak Rudi (bawa sekop)"),
          ("Bu Yuni", "4:Bu Yuni + suami"), ("Mas Andi", "Mas Andi"), ("Bu Tini", "="), ("Bu Tini", "Bu Tini (konsumsi)"),
          ("Pak Budi Santoso", "Pak Budi Santoso"), ("Pak Agus", "Pak Agus"), ("Bu Wati", "Bu Wati (konsumsi)"),
          ("Mas Fajar", "Mas Fajar")]),
        ("Pendaftaran lomba bapak2 17an 🇮🇩\nTarik tambang & panjat pinang, tulis nama + gang ya", "Mas Dedi",
         "Mas Dedi (Mawar)", at(date(2026, 7, 27), "19.10"),
         [("Pak Joko", "Pak Joko (Melati)"), ("Pak Budi Santoso", "Pak Budi (Mawar)"), ("Pak Gunawan", "Pak Gunawan (Melati)"),
          ("Mas Andi", "Mas Andi (Melati)"), ("Pak Wawan", "Pak Wawan (Mawar)"), ("Pak Agus", "Pak Agus (Mawar)"),
          ("Mas Fajar", "Mas Fajar (Melati)"), ("Pak Darto", "Pak Darto (Mawar)"), ("Pak Imam", "Pak Imam (Melati)")]),
        ("Ibu2 yg bisa bantu konsumsi malam tirakatan 16 Agustus, tulis nama & mau bawa apa ya 🍚", "Bu Ani",
         "Bu Ani - koordinasi", at(date(2026, 7, 27), "20.00"),
         [("Bu Yuni", "Bu Yuni - nasi kuning"), ("Mbak Fitri", "Mbak Fitri - sayur"), ("Bu Ratna", "Bu Ratna - kue"),
          ("Bu Kartika", "Bu Kartika - es teh"), ("Mbak Sinta", "Mbak Sinta - kerupuk & sambal"),
          ("Bu Endang", "Bu Endang - ayam goreng"), ("Bu Sri Wahyuni", "Bu Sri - buah")]),
        ("Bazar PKK Minggu 18 Oktober di balai RT 🌸\nIbu2 yg mau buka lapak tulis nama & jualannya ya\n", "Bu Ani",
         "Bu Ani - nasi kuning", at(date(2026, 10, 4), "09.10"),
         [("Bu Yuni", "Bu Yuni - es buah"), ("Mbak Fitri", "Mbak Fitri - kue basah"), ("Bu Kartika", "Bu Kartika - seblak"),
          ("Mbak Sinta", "Mbak Sinta - baju anak"), ("Bu Ratna", "Bu Ratna - keripik"), ("Mbak Nur", "Mbak Nur - hijab & bros")]),
    ]
    queue = []  # (time, list, step): lists posted in the same days interleave
    for k, (_, _, _, t, steps) in enumerate(lists):
        queue.append((t, k, -1))
        for j in range(len(steps)):
            t = night(t + timedelta(minutes=3 + int(expo(45))))
            queue.append((t, k, j))
    scenes, rows = [Scene() for _ in lists], [[f"1. {first}"] for _, _, first, _, _ in lists]
    for t, k, j in sorted(queue):
        header, organiser, _, _, steps = lists[k]
        who, line = (organiser, None) if j < 0 else steps[j]
        if line and line != "=":
            if line[0].isdigit():
                n, text = line.split(":", 1)
                rows[k][int(n) - 1] = f"{n}. {text}"
            else:
                rows[k].append(f"{len(rows[k]) + 1}. {line}")
        scenes[k].say(t, who, header + "\n" + "\n".join(rows[k]))
    announce(date(2026, 5, 20), "20.15", "Pak Imam", "Alhamdulillah sapi qurban sudah penuh 7 org 🐄 matur nuwun bapak "
             "ibu. Yg mau qurban kambing japri sy ya 🙏", ["Alhamdulillah 🤲", "Mantap pak 👍"], 2)
    announce(date(2026, 5, 26), "20.00", "Pak Imam", "Besok ba'da sholat Ied penyembelihan di halaman musholla 🐄 "
             "Bapak2 yg bisa bantu potong & ibu2 bantu bungkus daging mohon merapat ya 🙏",
             ["Siap bantu pak 💪", "Sy bawa pisau & talenan pak", "f:Ibu2 Gang {gang} siap bungkus 🙏", "Insya Allah hadir pak"], 4)
    announce(date(2026, 5, 27), "05.50", "Pak Harjo", "Selamat Hari Raya Idul Adha 1447 H 🐄 Taqabbalallahu minna wa "
             "minkum 🙏", ["Selamat Idul Adha 🙏", "Taqabbalallahu minna wa minkum 🙏", "Selamat Idul Adha bapak ibu 🙏"], 4,
             gap=20)
    announce(date(2026, 5, 27), "13.30", "Pak Imam", "Alhamdulillah daging qurban sudah dibagi, 96 bungkus. Matur nuwun "
             "panitia & warga yg bantu 🙏", ["Sama2 pak 🙏", "Matur nuwun pak Imam", "Alhamdulillah 🤲"], 3)
    script(date(2026, 6, 14), [("10.05", "Pak Harjo", "Alhamdulillah saluran sudah bersih & pos ronda sudah dicat 🎨 "
                                                     "Matur nuwun bapak ibu yg sudah ikut 🙏"), ("+1", "Pak Harjo", MEDIA)])
    announce(date(2026, 10, 18), "12.15", "Bu Ani", "Alhamdulillah bazar PKK laris manis 🎉 terima kasih ibu2 yg buka "
             "lapak & bapak2 yg sudah belanja 🙏", ["Sama2 bu 🙏", "Seblaknya enak bgt 😋", "Tahun depan lagi bu 👍"], 3)


def episodes() -> None:
    SAID.extend(sorted((t, 0) for t, _, _ in EVENTS))
    help_requests()
    misfortunes()
    quarrels()
    reminders()
    signups()
    for d, hhmm, who, text in [(date(2026, 7, 25), "20.20", "Pak Sugeng", "Sugeng rawuh Pak Gunawan 🙏"),
                               (date(2026, 10, 6), "20.30", "Bu Endang", "Sugeng rawuh mas Arif 🙏")]:
        Scene().say(at(d, hhmm), who, text)


def build() -> str:
    membership()
    routines()
    occasions()
    chatter()
    episodes()
    EVENTS.sort()
    return "".join(line + "\n" for t, _, line in EVENTS if t.date() <= END)


EARLIER_END = date(2026, 6, 30)
"""The earlier export of the same chat (``examples/earlier/``) was made at the end of June."""


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    text = build()
    out.write_text(text, encoding="utf-8", newline="\n")
    earlier = out.parent / "earlier" / out.name  # a second export of a chat has the same name
    earlier.parent.mkdir(exist_ok=True)
    earlier.write_text("".join(line + "\n" for t, _, line in EVENTS if t.date() <= EARLIER_END),
                       encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main(sys.argv)
