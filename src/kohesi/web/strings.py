"""Words of the web app's own pages (upload form, errors, the bar above a report): id first, en.

The report itself is translated by :mod:`kohesi.report.i18n`; these few strings belong to the
pages around it and live here as plain data.
"""

from __future__ import annotations

__all__ = ["TEXT", "UI_LANGUAGES", "text"]

UI_LANGUAGES = ("id", "en")

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "html_lang": "id",
        "title": "kohesi · laporan kohesi sosial",
        "kicker": "kohesi",
        "heading": "Seberapa kompak grup Anda?",
        "intro": "Unggah ekspor chat WhatsApp grup RT/RW, kampung, relawan atau komunitas Anda. "
                 "kohesi membaca percakapannya dan menulis laporan kohesi sosial: indeks, lima aspek, "
                 "siapa yang mungkin tertinggal, dan saran langkah berikutnya.",
        "privacy": "Semua diproses di komputer ini. Tidak ada yang dikirim ke mana pun; berkas yang "
                   "diunggah dihapus segera setelah laporan selesai.",
        "switch_label": "English",
        "switch_code": "en",
        "file_label": "Berkas ekspor chat",
        "file_hint": "Berkas .txt atau .zip dari WhatsApp › Ekspor chat. Maksimal {max}.",
        "drop_hint": "…atau seret berkasnya ke kotak ini.",
        "earlier_label": "Ekspor sebelumnya dari grup yang sama (opsional)",
        "earlier_hint": "Berkas ekspor yang dibuat beberapa bulan lalu. Dengan berkas ini, laporan juga menunjukkan apa yang berubah sejak itu: indeks dan lima aspek sebelum dan sesudah, siapa yang bergabung dan siapa yang menjadi diam.",
        "lang_label": "Bahasa laporan",
        "tz_label": "Zona waktu",
        "tz_hint": "Zona waktu jam di dalam ekspor. WIB: Asia/Jakarta, WITA: Asia/Makassar, WIT: Asia/Jayapura.",
        "names_label": "Tampilkan nama anggota",
        "names_hint": "Jika tidak dicentang, anggota ditulis dengan kode (A01, A02, …). Nomor telepon selalu disamarkan.",
        "advanced": "Pilihan lanjutan",
        "members_label": "Daftar anggota (opsional)",
        "members_hint": "Berkas CSV dengan kolom 'name' (nama seperti di chat) dan kolom lain bila ada, misalnya rt atau peran. Anggota yang tidak pernah menulis ikut dihitung. Nama tidak disimpan.",
        "date_order_label": "Urutan tanggal",
        "date_order_auto": "Otomatis (disarankan)",
        "submit": "Buat laporan",
        "uploading": "Mengunggah…",
        "analysing": "Menganalisis percakapan… Untuk grup besar ini bisa memakan waktu beberapa menit.",
        "too_big": "Berkas terlalu besar: maksimal {max}.",
        "failed": "Laporan tidak dapat dibuat",
        "network": "Sambungan ke kohesi terputus. Apakah server masih berjalan?",
        "howto_title": "Cara mengekspor chat",
        "howto_1": "Buka grup di WhatsApp.",
        "howto_2": "Ketuk ⋮ (Android) atau nama grup (iPhone), lalu Lainnya › Ekspor chat.",
        "howto_3": "Pilih Tanpa media, lalu simpan berkasnya ke komputer ini.",
        "footer": "kohesi berjalan di komputer ini (127.0.0.1). Tidak ada data yang meninggalkan komputer ini.",
        "error_title": "Ada masalah",
        "error_413": "Berkas terlalu besar",
        "error_400": "Berkas tidak dapat dibaca",
        "error_404": "Tidak ditemukan",
        "error_500": "Terjadi kesalahan",
        "error_other": "Permintaan tidak dapat diproses",
        "error_too_large": "Unggahan melebihi batas {max}; tidak ada yang disimpan.",
        "error_expired": "Laporan ini tidak ada atau sudah kedaluwarsa (laporan disimpan di memori selama 10 menit). Silakan unggah lagi.",
        "error_internal": "Terjadi kesalahan tak terduga saat membuat laporan ({kind}). Server tetap berjalan; silakan coba lagi.",
        "error_detail": "Keterangan teknis (bahasa Inggris), untuk orang yang membantu Anda",
        "try_again": "← Coba berkas lain",
        "new_report": "← Laporan baru",
        "download_html": "Unduh laporan (HTML)",
        "download_json": "Unduh data (JSON)",
        "kept_note": "Laporan ini hanya disimpan di memori selama 10 menit; tidak ada yang ditulis ke disk.",
    },
    "en": {
        "html_lang": "en",
        "title": "kohesi · social cohesion report",
        "kicker": "kohesi",
        "heading": "How cohesive is your group?",
        "intro": "Upload the WhatsApp chat export of your neighbourhood, village, volunteer or community "
                 "group. kohesi reads the conversation and writes a social-cohesion report: an index, "
                 "five aspects, who may be left out, and what to try next.",
        "privacy": "Everything is processed on this computer. Nothing is sent anywhere; the uploaded "
                   "file is deleted as soon as the report is made.",
        "switch_label": "Bahasa Indonesia",
        "switch_code": "id",
        "file_label": "Chat export file",
        "file_hint": "The .txt or .zip file from WhatsApp › Export chat. At most {max}.",
        "drop_hint": "…or drag the file onto this box.",
        "earlier_label": "Earlier export of the same group (optional)",
        "earlier_hint": "An export made a few months ago. With it, the report also shows what changed since: the index and the five aspects before and since, who joined and who went quiet.",
        "lang_label": "Report language",
        "tz_label": "Timezone",
        "tz_hint": "Timezone of the clock times in the export, e.g. Asia/Jakarta (WIB).",
        "names_label": "Show member names",
        "names_hint": "Unticked, members are shown by code (A01, A02, …). Phone numbers are always masked.",
        "advanced": "Advanced options",
        "members_label": "Members list (optional)",
        "members_hint": "A CSV file with a 'name' column (names as the chat shows them) and any other columns, such as rt or role. Members who never write count too. Names are not kept.",
        "date_order_label": "Date order",
        "date_order_auto": "Automatic (recommended)",
        "submit": "Make the report",
        "uploading": "Uploading…",
        "analysing": "Analysing the conversation… For a large group this can take a few minutes.",
        "too_big": "The file is too large: at most {max}.",
        "failed": "The report could not be made",
        "network": "The connection to kohesi was lost. Is the server still running?",
        "howto_title": "How to export a chat",
        "howto_1": "Open the group in WhatsApp.",
        "howto_2": "Tap ⋮ (Android) or the group name (iPhone), then More › Export chat.",
        "howto_3": "Choose Without media and save the file to this computer.",
        "footer": "kohesi runs on this computer (127.0.0.1). No data leaves this computer.",
        "error_title": "Something went wrong",
        "error_413": "The file is too large",
        "error_400": "The file could not be read",
        "error_404": "Not found",
        "error_500": "An error occurred",
        "error_other": "The request could not be processed",
        "error_too_large": "The upload is over the {max} limit; nothing was kept.",
        "error_expired": "This report does not exist or has expired (reports are kept in memory for 10 minutes). Please upload again.",
        "error_internal": "An unexpected error occurred while making the report ({kind}). The server keeps running; please try again.",
        "error_detail": "Technical detail",
        "try_again": "← Try another file",
        "new_report": "← New report",
        "download_html": "Download report (HTML)",
        "download_json": "Download data (JSON)",
        "kept_note": "This report is kept in memory only, for 10 minutes; nothing is written to disk.",
    },
}


def text(code: str | None) -> dict[str, str]:
    """The strings of one UI language (Indonesian when ``code`` is unknown)."""
    return TEXT.get(code or "id", TEXT["id"])
