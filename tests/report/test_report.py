"""The report as a page: hostile names stay text, both languages, self-contained."""

from __future__ import annotations

import json
import re

from kohesi.report import make_report

HOSTILE = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'


def _chat(tmp_path):
    lines = []
    for day in range(1, 29):
        lines += [
            f"{day:02d}/10/26 08.00 - Bu Ani: Rapat &amp; kerja bakti jam 8 {IMG}",
            f"{day:02d}/10/26 08.02 - {HOSTILE}: Siap {HOSTILE}",
            f"{day:02d}/10/26 08.05 - Pak RT: Terima kasih",
            f"{day:02d}/10/26 09.00 - {HOSTILE}: @Pak RT nanti saya bawa teh",
        ]
    path = tmp_path / "WhatsApp Chat with RT <b>05<b>.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_names_are_text(tmp_path):
    page = make_report(_chat(tmp_path), names=True, tz="UTC", bootstrap=10).to_html()
    body = re.sub(r'src="data:image/svg\+xml;base64,[^"]*"', 'src=""', page)
    assert "<script>" not in body and "<img src=x" not in body and "<b>05<b>" not in body
    assert "RT &lt;b&gt;05&lt;b&gt;" in body
    import base64

    svgs = [base64.b64decode(m).decode() for m in re.findall(r'data:image/svg\+xml;base64,([^"]*)', page)]
    network = next(s for s in svgs if "&lt;script&gt;alert(1)&lt;/script&gt;" in s)  # a label, escaped
    assert "<script" not in network
    assert "default-src 'none'" in page  # the page itself forbids scripts and remote loads


def test_languages_and_json(tmp_path):
    path = _chat(tmp_path)
    rep_id = make_report(path, lang_code="id", tz="UTC", bootstrap=10)
    rep_en = make_report(path, lang_code="en", tz="UTC", bootstrap=10)
    assert "Lima aspek kohesi sosial" in rep_id.to_html()
    assert "The five aspects of social cohesion" in rep_en.to_html()
    doc = json.loads(rep_en.to_json())
    assert doc["n_members"] == 3 and doc["n_posts"] == 4 * 28
    assert {s["key"] for s in doc["stages"]} == {"interaction", "communication", "cooperation", "empathy",
                                                 "norms", "solidarity"}
    assert all(i["formula"] and i["source"] for i in doc["indicators"])


def test_progress_and_stages(tmp_path):
    seen: list[tuple] = []
    make_report(_chat(tmp_path), tz="UTC", bootstrap=5, progress=lambda d, t: seen.append(("progress", d, t)),
                stage=lambda name: seen.append(("stage", name)))
    stages = [s[1] for s in seen if s[0] == "stage"]
    assert stages == ["reading", "measuring", "assembling"]
    counts = [s[1:] for s in seen if s[0] == "progress"]
    n = counts[-1][1]
    assert counts == [(i, n) for i in range(n + 1)] and n >= 4  # a 4-week chat in 7-day windows
    # the windows are measured between the "measuring" and "assembling" stages
    first = seen.index(("progress", 0, n))
    assert seen.index(("stage", "measuring")) < first < seen.index(("stage", "assembling"))
