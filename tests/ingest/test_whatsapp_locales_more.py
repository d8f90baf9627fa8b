"""WhatsApp exports in more locales: Russian, ... (the tables ``phrases/<lang>.toml``).

Every chat here is invented. The wording of the system lines and placeholders is the wording the
phrase tables cite; header layouts are those seen in public samples, noted per case. Kinds a table
has no sourced wording for are left out of its chats (see the comments in the table).

Escapes: ``\\u200e`` LRM (iOS system and media lines). iOS chats are written with CRLF line
endings, Android ones with LF. The helpers are a small copy of those in
``test_whatsapp_locales.py`` (test modules are not importable from each other here).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest

UTC = dt.UTC
LRM = "\u200e"
SALT = b"t"


class _Any:
    def __eq__(self, other: object) -> bool:  # pragma: no cover - trivial
        return True

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


def _ts(s: str) -> dt.datetime:
    fmt = "%Y-%m-%d %H:%M:%S" if s.count(":") == 2 else "%Y-%m-%d %H:%M"
    return dt.datetime.strptime(s, fmt).replace(tzinfo=UTC)


@dataclass
class Ev:
    line: int
    ts: str
    actor: Any
    kind: str
    subtype: Any = None
    target: Any = ANY
    text: Any = None

    def fields(self) -> dict[str, Any]:
        return {"line": self.line, "ts": _ts(self.ts), "actor": self.actor, "kind": self.kind,
                "subtype": self.subtype, "target": self.target, "text": self.text}


def M(line, ts, actor, text):
    return Ev(line, ts, actor, "message", None, ANY, text)


def MEDIA(line, ts, actor, subtype, text=None):
    return Ev(line, ts, actor, "media", subtype, ANY, text)


def DEL(line, ts, actor):
    return Ev(line, ts, actor, "deleted", None, ANY, None)


def ED(line, ts, actor, text):
    return Ev(line, ts, actor, "edited", None, ANY, text)


def SYS(line, ts, actor, subtype):
    return Ev(line, ts, actor, "system", subtype, None, None)


def JOIN(line, ts, actor, subtype="link"):
    return Ev(line, ts, actor, "join", subtype, None, None)


def ADD(line, ts, actor, target):
    return Ev(line, ts, actor, "add", None, target, None)


def LEAVE(line, ts, actor):
    return Ev(line, ts, actor, "leave", None, None, None)


def REMOVE(line, ts, actor, target):
    return Ev(line, ts, actor, "remove", None, target, None)


@dataclass
class Case:
    name: str
    lang: str
    platform: str
    content: str  # "\n" line ends; CRLF applied for iOS
    expected: list[Ev]
    filename: str = "WhatsApp Chat - Group.txt"


CASES: dict[str, Case] = {}


def _case(*args, **kw) -> Case:
    c = Case(*args, **kw)
    assert c.name not in CASES
    CASES[c.name] = c
    return c


# ---------------------------------------------------------------------------------------------
# Russian. Android "22.11.2026, 05:53 - " (samples "01.03.2026, 15:01 - …", "24.12.2025, 03:13 -
# …"); iOS "[22.11.2026, 05:53:12] " (a Russian exporter's iOS pattern "[DD.MM.YYYY, HH:MM:SS]").
# ---------------------------------------------------------------------------------------------
_case(
    "ru_android",
    "ru",
    "android",
    "22.11.2026, 05:50 - Сообщения и звонки защищены сквозным шифрованием. Третьи лица, включая WhatsApp, не могут прочитать ваши сообщения или прослушать звонки. Подробнее\n"
    '22.11.2026, 05:50 - Иван Петров создал(-а) группу "Соседи: Ленина 5"\n'
    "22.11.2026, 05:51 - Иван Петров добавил(-а) Ольга\n"
    "22.11.2026, 05:52 - Иван Петров добавил(-а) вас\n"
    "22.11.2026, 05:53 - Иван Петров: Всем привет! В субботу субботник.\n"
    "22.11.2026, 05:54 - Ольга: <Без медиафайлов>\n"
    "22.11.2026, 05:55 - Ольга: IMG-20261122-WA0001.jpg (файл добавлен)\n"
    "Двор сегодня\n"
    "22.11.2026, 05:56 - Ольга: Данное сообщение удалено\n"
    "22.11.2026, 05:57 - Иван Петров: Сбор в 10 утра <Сообщение изменено>\n"
    '22.11.2026, 06:01 - Иван Петров изменил(-а) название группы на "Ленина 5"\n'
    "22.11.2026, 06:02 - Ваш код безопасности с контактом Ольга изменился. Подробнее\n"
    "22.11.2026, 06:03 - Иван Петров изменил(-а) картинку группы\n"
    "22.11.2026, 06:04 - Ольга: Местоположение: https://maps.google.com/?q=55.751244,37.618423\n"
    "22.11.2026, 06:05 - Иван Петров изменил(-а) описание группы\n"
    "22.11.2026, 06:06 - Ольга: Пропущенный аудиозвонок\n"
    "22.11.2026, 06:07 - Ольга: DOC-20261122-WA0002.pdf (файл добавлен)\n"
    "22.11.2026, 06:08 - Иван Петров: Вы удалили это сообщение\n"
    "22.11.2026, 06:10 - Ольга вышел(-а)\n"
    "22.11.2026, 06:11 - Иван Петров удалил(-а) Ольга\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        SYS(2, "2026-11-22 05:50", "Иван Петров", "created"),
        ADD(3, "2026-11-22 05:51", "Иван Петров", "Ольга"),
        ADD(4, "2026-11-22 05:52", "Иван Петров", "You"),
        M(5, "2026-11-22 05:53", "Иван Петров", "Всем привет! В субботу субботник."),
        MEDIA(6, "2026-11-22 05:54", "Ольга", "other"),
        MEDIA(7, "2026-11-22 05:55", "Ольга", "image", "Двор сегодня"),
        DEL(9, "2026-11-22 05:56", "Ольга"),
        ED(10, "2026-11-22 05:57", "Иван Петров", "Сбор в 10 утра"),
        SYS(11, "2026-11-22 06:01", "Иван Петров", "subject"),
        SYS(12, "2026-11-22 06:02", None, "security_code"),
        SYS(13, "2026-11-22 06:03", "Иван Петров", "icon"),
        MEDIA(14, "2026-11-22 06:04", "Ольга", "location"),
        SYS(15, "2026-11-22 06:05", "Иван Петров", "description"),
        SYS(16, "2026-11-22 06:06", "Ольга", "missed_call"),
        MEDIA(17, "2026-11-22 06:07", "Ольга", "document"),
        DEL(18, "2026-11-22 06:08", "Иван Петров"),
        LEAVE(19, "2026-11-22 06:10", "Ольга"),
        REMOVE(20, "2026-11-22 06:11", "Иван Петров", "Ольга"),
    ],
    filename="Чат WhatsApp с контактом Ленина 5.txt",
)

_case(
    "ru_ios",
    "ru",
    "ios",
    f"[22.11.2026, 05:50:01] Ленина 5: {LRM}Сообщения и звонки защищены сквозным шифрованием. Третьи лица, включая WhatsApp, не могут прочитать ваши сообщения или прослушать звонки.\n"
    f"[22.11.2026, 05:50:01] Ленина 5: {LRM}Иван Петров создал(-а) группу \u201cЛенина 5\u201d\n"
    f"[22.11.2026, 05:50:30] Ленина 5: {LRM}Иван Петров добавил(-а) Ольга\n"
    "[22.11.2026, 05:53:12] Иван Петров: Всем привет\n"
    f"[22.11.2026, 05:54:00] Ольга: {LRM}изображение отсутствует\n"
    f"[22.11.2026, 05:54:10] Ольга: {LRM}видео отсутствует\n"
    f"[22.11.2026, 05:54:20] Ольга: {LRM}аудиофайл отсутствует\n"
    f"[22.11.2026, 05:54:30] Ольга: {LRM}стикер не добавлен\n"
    f"[22.11.2026, 05:54:40] Ольга: {LRM}GIF отсутствует\n"
    f"[22.11.2026, 05:54:50] Ольга: {LRM}документ отсутствует\n"
    f"[22.11.2026, 05:55:00] Ольга: {LRM}Карточка контакта отсутствует\n"
    f"[22.11.2026, 05:55:10] Ольга: {LRM}<прикреплено: 00000012-PHOTO-2026-11-22-05-55-10.jpg>\n"
    f"[22.11.2026, 05:56:00] Иван Петров: {LRM}Данное сообщение удалено.\n"
    f"[22.11.2026, 05:57:00] Иван Петров: {LRM}Вы удалили это сообщение.\n"
    f"[22.11.2026, 05:58:00] Ольга: {LRM}Ваш код безопасности с контактом Ольга изменился. Подробнее\n"
    f"[22.11.2026, 06:00:00] Ленина 5: {LRM}Ольга вышел(-а)\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        SYS(2, "2026-11-22 05:50:01", "Иван Петров", "created"),
        ADD(3, "2026-11-22 05:50:30", "Иван Петров", "Ольга"),
        M(4, "2026-11-22 05:53:12", "Иван Петров", "Всем привет"),
        MEDIA(5, "2026-11-22 05:54:00", "Ольга", "image"),
        MEDIA(6, "2026-11-22 05:54:10", "Ольга", "video"),
        MEDIA(7, "2026-11-22 05:54:20", "Ольга", "audio"),
        MEDIA(8, "2026-11-22 05:54:30", "Ольга", "sticker"),
        MEDIA(9, "2026-11-22 05:54:40", "Ольга", "gif"),
        MEDIA(10, "2026-11-22 05:54:50", "Ольга", "document"),
        MEDIA(11, "2026-11-22 05:55:00", "Ольга", "contact"),
        MEDIA(12, "2026-11-22 05:55:10", "Ольга", "image"),
        DEL(13, "2026-11-22 05:56:00", "Иван Петров"),
        DEL(14, "2026-11-22 05:57:00", "Иван Петров"),
        SYS(15, "2026-11-22 05:58:00", None, "security_code"),
        LEAVE(16, "2026-11-22 06:00:00", "Ольга"),
    ],
)

# @@MORE@@


# ---------------------------------------------------------------------------------------------
# Helpers and tests
# ---------------------------------------------------------------------------------------------

LANGUAGES = sorted({c.lang for c in CASES.values()})


def _read(wa, case: Case):
    path = wa.write(case.content, case.filename, crlf=case.platform == "ios")
    return wa.kohesi().read(path, tz="UTC", keep_text=True, keep_names=True, salt=SALT)


@pytest.mark.parametrize("name", sorted(CASES))
def test_locale_events_exact(wa, name):
    case = CASES[name]
    wa.check(_read(wa, case), case.expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_locale_report(wa, name):
    case = CASES[name]
    report = _read(wa, case).report
    assert report.platform == case.platform
    assert report.language == case.lang
    assert list(report.skipped) == []
    assert not [w for w in report.warnings if "not in the phrase tables" in w], report.warnings


@pytest.mark.parametrize("name", sorted(CASES))
def test_locale_system_text_never_kept(wa, name):
    log = _read(wa, CASES[name])
    for row in log.events.to_pylist():
        if row["kind"] in ("system", "join", "add", "leave", "remove"):
            assert row["text"] is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_locale_table_is_valid(lang):
    """Each table loads on its own; every pattern is anchored, uses only the allowed group names,
    has no lookaround, and compiles for both Python ``re`` and polars (Rust ``regex``)."""
    import polars as pl

    from kohesi.ingest.whatsapp.phrases import phrasebook

    book = phrasebook((lang,))
    phrases = [*book.system, *book.calls, *book.media, *book.deleted, *book.pending]
    assert phrases
    assert all(p.language == lang for p in phrases)
    probe = pl.Series(["x"])
    for p in phrases:
        assert p.pattern.startswith("^"), p.pattern
        assert set(re.findall(r"\(\?P<(\w+)>", p.pattern)) <= {"actor", "targets", "group"}, p.pattern
        assert "(?=" not in p.pattern and "(?!" not in p.pattern
        assert "(?<" not in p.pattern.replace("(?P<", "")
        re.compile(p.pattern)
        probe.str.contains(p.pattern)
        probe.str.contains(p.unnamed)
