"""Korean, Chinese and Japanese exports put AM/PM (오전/오후, 上午/下午, 午前/午後) before the time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import kohesi


@pytest.mark.parametrize("text, expected", [
    ("2026. 11. 22. 오전 9:05 - 민수: 안녕하세요\n2026. 11. 22. 오후 5:53 - 지영: 네\n2026. 11. 23. 오후 12:30 - 민수: 점심\n",
     [(2026, 11, 22, 9, 5), (2026, 11, 22, 17, 53), (2026, 11, 23, 12, 30)]),
    ("2026/11/22 上午9:05 - 小明: 你好\n2026/11/22 下午5:53 - 小红: 好\n",
     [(2026, 11, 22, 9, 5), (2026, 11, 22, 17, 53)]),
    ("[2026/11/22 午前12:05:01] 健: おはよう\n[2026/11/22 午後1:10:00] 葵: こんにちは\n",
     [(2026, 11, 22, 0, 5, 1), (2026, 11, 22, 13, 10)]),
])
def test_meridiem_before_time(tmp_path, text, expected):
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    log = kohesi.read(path, tz="UTC", keep_text=True, salt=b"t")
    assert log.report.warnings == []
    assert log.events.column("ts").to_pylist() == [datetime(*e, tzinfo=UTC) for e in expected]
    assert set(log.events.column("kind").to_pylist()) == {"message"}
