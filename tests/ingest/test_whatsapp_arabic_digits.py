"""Arabic-locale exports write dates and times in Arabic-Indic digits."""

from __future__ import annotations

from datetime import UTC, datetime

import kohesi


def test_arabic_indic_digits_in_headers(tmp_path):
    path = tmp_path / "WhatsApp Chat - الجيران.txt"
    path.write_text(
        "٢٢/١١/٢٠٢٦، ٥:٥٣ م - أحمد: صباح الخير\n"
        "٢٢/١١/٢٠٢٦، ٥:٥٤ م - سارة: <تم استبعاد الوسائط>\n"
        "٢٣/١١/٢٠٢٦، ٨:٠٠ ص - أحمد: الاجتماع في الساعة ١٠ في القاعة الكبيرة للحي\n",
        encoding="utf-8",
    )
    log = kohesi.read(path, tz="UTC", keep_text=True, salt=b"t")
    rows = log.events.select(["ts", "kind", "subtype", "text"]).to_pylist()
    assert [r["ts"] for r in rows] == [datetime(2026, 11, 22, 17, 53, tzinfo=UTC),
                                       datetime(2026, 11, 22, 17, 54, tzinfo=UTC),
                                       datetime(2026, 11, 23, 8, 0, tzinfo=UTC)]
    assert [r["kind"] for r in rows] == ["message", "media", "message"]
    assert rows[2]["text"].endswith("في الساعة ١٠ في القاعة الكبيرة للحي")  # text beyond the header keeps its digits
    assert log.report.date_order == "dmy"
