"""Cases for WhatsApp exports in more locales: Russian, Hindi, Chinese, Japanese, Korean, Vietnamese,
Polish, Ukrainian, Persian and Thai (the tables ``phrases/<lang>.toml``); the tests that read them
are in ``tests/ingest/test_whatsapp_locales.py``.

Every chat here is invented. The wording of the system lines and placeholders is the wording the
phrase tables cite; header layouts are those seen in public samples, noted per case. Kinds a table
has no sourced wording for are left out of its chats (see the comments in the table).

Escapes: ``\\u200e`` LRM (iOS system and media lines). iOS chats are written with CRLF line
endings, Android ones with LF. Expected events and checks: ``tests/helpers/whatsapp_locale.py``.
"""

from __future__ import annotations

from helpers.whatsapp_locale import (
    ADD,
    DEL,
    ED,
    LEAVE,
    LRM,
    MEDIA,
    REMOVE,
    SYS,
    Cases,
    M,
)

CASES = Cases(filename="WhatsApp Chat - Group.txt")
_case = CASES.add


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


# ---------------------------------------------------------------------------------------------
# Languages whose tables hold only WhatsApp's own strings as collected in the [wa-strings] table
# (E2E notice, security code, missed calls, media placeholders, deleted): their chats below have no
# group events. Header layouts: zh/ja/ko as in test_whatsapp_cjk.py; th iOS with a four-digit
# Buddhist year (docs/formats.md §1: "2565 BE" seen in real iOS exports); fa with Persian digits and the
# Arabic comma (the reader's digit folding); hi, vi, pl, uk: d/m/y layouts assumed, not sourced.
# ---------------------------------------------------------------------------------------------
_PLAIN = {
    # lang: (android header(min), ios header(min, sec), e2e, security(name), call, android media,
    #        file attached suffix or None, location word or None, deleted, you deleted,
    #        ios: image, video, audio, sticker, gif, document, contact, attached word)
    "hi": (lambda m: f"22/11/26, 5:{m:02d} pm - ", lambda m, s: f"[22/11/26, 5:{m:02d}:{s:02d} pm] ",
           "मैसेजेस और कॉल्स एंड-टू-एंड एन्क्रिप्टेड हैं. इस चैट में शामिल लोगों के अलावा कोई भी इन्हें पढ़ या सुन नहीं सकता, WhatsApp भी नहीं.",
           "{} के लिए आपका सुरक्षा कोड बदल गया है. ज़्यादा जानने के लिए टैप करें.", "मिस्ड वॉइस कॉल",
           "<मीडिया के बिना>", "फाइल अटैच कर दी गई है", "स्थान", "यह मैसेज डिलीट कर दिया गया है", "आपने यह मैसेज डिलीट किया",
           ("फ़ोटो हटाई गई", "वीडियो छोड़ा गया", "ऑडियो हटाई गयी", "स्टिकर छोड़ा गया", "GIF छोड़ा गया",
            "डॉक्यूमेंट छोड़ा गया", "कॉन्टैक्ट कार्ड छोड़ा गया"), "अटैच किया गया"),
    "zh": (lambda m: f"2026/11/22 下午5:{m:02d} - ", lambda m, s: f"[2026/11/22 下午5:{m:02d}:{s:02d}] ",
           "消息和通话都进行端到端加密。对话之外的任何人，甚至包含 WhatsApp，都无法读取或收听。",
           "您和 {} 的安全代码已更改。点击了解更多。", "未接语音通话",
           "<省略多媒体文件>", "文件附件", "位置", "这条消息已被删除。", "您已删除这条消息。",
           ("照片已忽略", "视频已忽略", "音频已忽略", "贴图已省略", "GIF 动态图已被忽略", "文档已省略", "联系人卡片已忽略"), "附件"),
    "ja": (lambda m: f"2026/11/22 午後5:{m:02d} - ", lambda m, s: f"[2026/11/22 午後5:{m:02d}:{s:02d}] ",
           "メッセージと通話はエンドツーエンド暗号化されています。チャットの参加者以外は、たとえWhatsAppでも読んだり聞いたりすることはできません。",
           "{}とのセキュリティコードが変更されました。タップして詳細を表示。", "音声通話不在着信",
           "<メディアは含まれていません>", "添付ファイル有り", None, "このメッセージは削除されました", "このメッセージを削除しました",
           ("画像は含まれていません", "ビデオは含まれていません", "音声は含まれていません", "スタンプは含まれていません",
            "GIFは含まれていません", "ドキュメントは含まれていません", "連絡先カードを省略"), "添付ファイル"),
    "ko": (lambda m: f"2026. 11. 22. 오후 5:{m:02d} - ", lambda m, s: f"[2026. 11. 22. 오후 5:{m:02d}:{s:02d}] ",
           "메시지 및 전화는 종단간 암호화되어 안전합니다. 아무도 엿보거나 들을 수 없습니다. WhatsApp에게도 이러한 권한이 없습니다.",
           "{}님과의 보안 코드가 변경되었습니다. 더 알아보려면 탭하세요.", "부재중 전화",
           "<미디어 파일을 생략한 대화내용>", "파일 첨부됨", "위치", "이 메시지는 삭제되었습니다", "삭제한 메시지입니다",
           ("이미지 생략됨", "비디오 생략됨", "오디오 생략됨", "스티커 제외됨", "GIF 생략됨", "문서 생략됨", "연락처 카드 생략됨"), "첨부됨"),
    "vi": (lambda m: f"22/11/2026, 17:{m:02d} - ", lambda m, s: f"[22/11/2026, 17:{m:02d}:{s:02d}] ",
           "Tin nhắn và cuộc gọi được mã hóa đầu cuối. Những người bên ngoài cuộc trò chuyện này, kể cả WhatsApp, sẽ không đọc hoặc nghe được.",
           "Mã bảo mật của bạn với {} đã thay đổi. Nhấn để tìm hiểu thêm.", "Cuộc gọi nhỡ",
           "<Bỏ qua Media>", "tệp đính kèm", "vị trí", "Tin nhắn này đã bị xóa", "Bạn đã xóa tin nhắn này",
           ("đã bỏ qua hình ảnh", "đã bỏ video", "bỏ qua tệp âm thanh", "đã bỏ sticker", "Đã bỏ qua ảnh GIF",
            "đã bỏ qua tài liệu", "Bỏ qua thẻ liên lạc"), "đính kèm"),
    "pl": (lambda m: f"22.11.2026, 17:{m:02d} - ", lambda m, s: f"[22.11.2026, 17:{m:02d}:{s:02d}] ",
           "Wiadomości i połączenia są w pełni szyfrowane. Nikt spoza czatu, nawet WhatsApp, nie może ich odczytać ani odsłuchać.",
           "Twój kod zabezpieczeń z użytkownikiem {} zmienił się. Stuknij, aby dowiedzieć się więcej.", "Nieodebrane poł. głosowe",
           "<pliki pominięto>", "załączony plik", "położenie", "Ta wiadomość została usunięta", "Usunąłeś(-ęłaś) tę wiadomość",
           ("obraz pominięty", "wideo pominięte", "audio pominięte", "pominięto naklejkę", "Plik GIF pominięty",
            "dokument pominięty", "Pominięta wizytówka kontaktu"), "załączono"),
    "uk": (lambda m: f"22.11.2026, 17:{m:02d} - ", lambda m, s: f"[22.11.2026, 17:{m:02d}:{s:02d}] ",
           "Повідомлення й дзвінки захищено наскрізним шифруванням. Прочитати чи прослухати їх не зможе жодна стороння особа, навіть із WhatsApp.",
           "Код безпеки з контактом {} змінився. Торкніться, щоб дізнатися більше.", "Пропущений аудіодзвінок",
           "<Медіа пропущено>", "файл додано", "місцезнаходження", "Це повідомлення було видалено", "Ви видалили це повідомлення",
           ("зображення відсутнє", "відео відсутнє", "аудіо відсутнє", "Наклейку не додано", "GIF-анімацію пропущено",
            "документ пропущено", "Картка контакту відсутня"), "додано"),
    "fa": (lambda m: f"۲۲/۱۱/۲۰۲۶، ۱۷:{m:02d} - ".translate(_FA), lambda m, s: f"[۲۲/۱۱/۲۰۲۶، ۱۷:{m:02d}:{s:02d}] ".translate(_FA),
           "پیام\u200cها و تماس\u200cها سرتاسر رمزگذاری شده\u200cاند. هیچ شخصی خارج از این گفتگو، حتی واتساپ، نمی\u200cتواند آنها را بخواند یا بشنود.",
           "کد امنیتی شما با {} تغییر کرد. برای کسب اطلاعات بیشتر، ضربه بزنید.", "تماس صوتی پاسخ داده نشده",
           "<پيوست نما/آهنگ حذف شد>", None, "موقعیت", "این پیام حذف شد", "شما این پیام را حذف کردید",
           ("تصویر حذف شد", "ویدیو حذف شد", "صدا حذف شد", "استیکر حذف شد", "GIF حذف شد", "سند حذف شد", "برگ مخاطب حذف شد"), "پیوست"),
    "th": (lambda m: f"22/11/2569, 17:{m:02d} - ", lambda m, s: f"[22/11/2569, 17:{m:02d}:{s:02d}] ",
           "ข้อความและการโทรได้รับการเข้ารหัสจากต้นทางถึงปลายทาง ผู้ที่ไม่ได้อยู่ในแชทนี้จะไม่สามารถอ่านหรือฟังได้แม้แต่ WhatsApp เอง",
           "รหัสความปลอดภัยของคุณกับ {} มีการเปลี่ยนแปลง แตะเพื่อเรียนรู้เพิ่มเติม", "สายที่ไม่ได้รับ",
           "<สื่อถูกลบ>", "ไฟล์ที่แนบ", "ตำแหน่งที่ตั้ง", "ข้อความนี้ถูกลบแล้ว", "คุณได้ลบข้อความนี้",
           ("ไม่มีรูปภาพ", "วิดีโอถูกลบ", "ไม่มีไฟล์เสียง", "ไม่มีสติกเกอร์", "ละเว้น GIF", "ละเว้นเอกสาร", "บัตรรายชื่อที่ละเว้น"), "แนบ"),
}


def _plain_cases(lang, spec):
    (hd_a, hd_i, e2e, sec, call, media, attached, loc, deleted, youdel, ios, att) = spec
    a, b = "Anna", "Budi"
    day = "2026-11-22"

    def t(m, s=None):
        return f"{day} 17:{m:02d}" + (f":{s:02d}" if s is not None else "")

    lines = [f"{hd_a(50)}{e2e}", f"{hd_a(51)}{a}: 123 abc", f"{hd_a(52)}{b}: {media}"]
    exp = [SYS(1, t(50), None, "e2e"), M(2, t(51), a, "123 abc"), MEDIA(3, t(52), b, "other")]
    if attached:
        lines += [f"{hd_a(53)}{b}: IMG-20261122-WA0001.jpg ({attached})", "foto"]
        exp.append(MEDIA(4, t(53), b, "image", "foto"))
    lines += [f"{hd_a(54)}{b}: {deleted}", f"{hd_a(55)}{a}: {youdel}", f"{hd_a(56)}{sec.format(b)}",
              f"{hd_a(57)}{b}: {call}"]
    n = len(lines)
    exp += [DEL(n - 3, t(54), b), DEL(n - 2, t(55), a), SYS(n - 1, t(56), None, "security_code"),
            SYS(n, t(57), b, "missed_call")]
    if attached:
        lines.append(f"{hd_a(58)}{b}: DOC-20261122-WA0002.pdf ({attached})")
        exp.append(MEDIA(len(lines), t(58), b, "document"))
    if loc:
        lines.append(f"{hd_a(59)}{b}: {loc}: https://maps.google.com/?q=-6.2,106.8")
        exp.append(MEDIA(len(lines), t(59), b, "location"))
    _case(f"{lang}_android", lang, "android", "\n".join(lines) + "\n", exp)

    kinds = ("image", "video", "audio", "sticker", "gif", "document", "contact")
    lines = [f"{hd_i(50, 1)}Grup: {LRM}{e2e}", f"{hd_i(51, 0)}{a}: 123 abc"]
    exp = [SYS(1, t(50, 1), None, "e2e"), M(2, t(51, 0), a, "123 abc")]
    for k, (kind, word) in enumerate(zip(kinds, ios, strict=True)):
        lines.append(f"{hd_i(52, k)}{b}: {LRM}{word}")
        exp.append(MEDIA(len(lines), t(52, k), b, kind))
    lines.append(f"{hd_i(53, 0)}{b}: {LRM}<{att}: 00000012-PHOTO-2026-11-22-17-53-00.jpg>")
    exp.append(MEDIA(len(lines), t(53, 0), b, "image"))
    lines.append(f"{hd_i(54, 0)}{b}: {LRM}{deleted}")
    exp.append(DEL(len(lines), t(54, 0), b))
    lines.append(f"{hd_i(55, 0)}{b}: {LRM}{sec.format(b)}")
    exp.append(SYS(len(lines), t(55, 0), None, "security_code"))
    _case(f"{lang}_ios", lang, "ios", "\n".join(lines) + "\n", exp)


_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
for _lang, _spec in _PLAIN.items():
    _plain_cases(_lang, _spec)


# ---------------------------------------------------------------------------------------------
# Helpers and tests
# ---------------------------------------------------------------------------------------------

LANGUAGES = sorted({c.lang for c in CASES.values()})
