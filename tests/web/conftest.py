"""Shared helpers of the web app's tests, exposed as one session fixture, ``exports``.

(``--import-mode=importlib`` makes importing a conftest module directly unreliable.)
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FLAG = '<img src=x onerror="window.__xss=1">'
ENTITY = "Tom &amp; Jerry"

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


def example_path() -> Path:
    """The bundled example export (the small one when both exist: tests stay fast)."""
    for name in ("WhatsApp Chat with Warga RT 05.txt", "WhatsApp Chat with Warga RT 05 Melati.txt"):
        if (EXAMPLES / name).is_file():
            return EXAMPLES / name
    pytest.skip("no example export in examples/")


XSS_BASE = """\
20/10/26 19.02 - Pak Harjo (Ketua RT) telah membuat grup "Warga RT 05"
20/10/26 19.03 - Pak Harjo (Ketua RT) menambahkan Bu Ani, Mas Dedi dan Siti Rahayu
20/10/26 19.05 - Pak Harjo (Ketua RT): Assalamualaikum bapak ibu, grup ini untuk info warga RT 05 ya
20/10/26 19.07 - Bu Ani: Waalaikumsalam pak, siap
20/10/26 19.08 - Mas Dedi: Siap pak RT
21/10/26 07.30 - Pak Harjo (Ketua RT): Info: Minggu kerja bakti bersih selokan jam 7 pagi.
21/10/26 07.41 - Siti Rahayu: Insya Allah hadir pak
21/10/26 07.45 - Bu Ani: Ibu-ibu PKK siap masak @Siti bantu ya
21/10/26 07.46 - Siti Rahayu: Siap bu
22/10/26 20.05 - Mas Dedi: Selokan depan rumah no 12 sudah mampet
22/10/26 20.30 - Pak Harjo (Ketua RT): Nanti kita prioritaskan mas
26/10/26 10.30 - Pak Harjo (Ketua RT): Alhamdulillah kerja bakti selesai. Terima kasih semua
26/10/26 10.32 - Bu Ani: Sama-sama pak, capek tapi senang
"""


def xss_export() -> bytes:
    """A small invented export whose member names and messages are HTML/JS payloads.

    The members added at the end never write, so with names shown they are listed as "left out"."""
    text = XSS_BASE + (
        f"29/10/26 08.00 - <b>Rina</b>: halo {SCRIPT} semua {ENTITY}\n"
        f"29/10/26 08.01 - {IMG}: {FLAG} ikut ya\n"
        f"29/10/26 08.20 - Pak Harjo (Ketua RT) menambahkan {SCRIPT}\n"
        f"29/10/26 08.21 - Pak Harjo (Ketua RT) menambahkan {FLAG}\n"
        f"29/10/26 08.22 - Pak Harjo (Ketua RT) menambahkan {ENTITY}\n"
        f"29/10/26 09.00 - Bu Ani: {FLAG} selamat datang {SCRIPT}\n")
    return text.encode("utf-8")


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="session")
def exports() -> SimpleNamespace:
    example = example_path()
    group = example.stem.removeprefix("WhatsApp Chat with ")
    return SimpleNamespace(
        example=example, example_bytes=example.read_bytes(), xss=xss_export(),
        group=group, slug=re.sub(r"[^a-z0-9]+", "-", group.lower()).strip("-"),
        zip_bytes=zip_bytes, png=PNG, SCRIPT=SCRIPT, IMG=IMG, FLAG=FLAG, ENTITY=ENTITY)
