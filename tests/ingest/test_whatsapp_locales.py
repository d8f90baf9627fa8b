"""WhatsApp exports in more locales: German, Spanish, Portuguese (Brazil and Portugal), French,
Italian, Dutch, Turkish, Malay and Arabic (the tables ``phrases/<lang>.toml``), and the cases of
``tests/helpers/whatsapp_locale_cases_more.py`` (Russian, Hindi, Chinese, Japanese, Korean,
Vietnamese, Polish, Ukrainian, Persian, Thai).

Every chat here is invented. The wording of the system lines and placeholders is the wording the
phrase tables cite (public parsers' tables and sample exports); the header layouts are those seen in
public samples, noted per fixture. A line from each table's kinds is exercised: E2E notice, group
created, member added (also "you" as target), joined by link, subject change, security code, icon,
media placeholders (Android placeholder, attached files, iOS "… omitted" wordings), deleted and
edited messages, location, left, removed. Where a table has no sourced wording for a kind, the
fixture leaves it out (see the comments in the table).

Fixtures use explicit escapes for invisible characters: ``\\u200e`` LRM (iOS system and media lines),
``\\u00a0`` NBSP. iOS fixtures are written with CRLF line endings, Android ones with LF.

Two real header layouts needed reader support and have their own tests: French Android
``24/03/2019 à 20:19 - `` and Arabic Android ``22/11/2026، 5:53 م - `` (Arabic comma and
``م``/``ص`` for PM/AM).
"""

from __future__ import annotations

import pytest

from helpers.whatsapp_locale import (
    ADD,
    DEL,
    ED,
    JOIN,
    LEAVE,
    LRM,
    MEDIA,
    REMOVE,
    SALT,
    SYS,
    Cases,
    M,
    check_no_system_text,
    check_report,
    check_table,
    read_case,
)
from helpers.whatsapp_locale_cases_more import CASES as MORE_CASES
from helpers.whatsapp_locale_cases_more import LANGUAGES as MORE_LANGUAGES

CASES = Cases(filename="WhatsApp Chat - Gruppe.txt")
_case = CASES.add


# ---------------------------------------------------------------------------------------------
# German. Android "22.11.26, 05:53 - " (de-export sample "30.03.25, 13:37 - "); iOS
# "[22.11.26, 05:53:12] " (German parser test "[15.08.26, 12:44:11] Klaus: …").
# ---------------------------------------------------------------------------------------------
_case(
    "de_android",
    "de",
    "android",
    "22.11.26, 05:50 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.\n"
    "22.11.26, 05:50 - Jonas hat die Gruppe \u201eNachbarschaft Lindenstraße\u201c erstellt.\n"
    "22.11.26, 05:51 - Jonas hat Lena hinzugefügt.\n"
    "22.11.26, 05:52 - Jonas hat dich hinzugefügt.\n"
    "22.11.26, 05:53 - Jonas: Hallo zusammen! Am Samstag ist Sommerfest.\n"
    "22.11.26, 05:54 - Lena: <Medien ausgeschlossen>\n"
    "22.11.26, 05:55 - Lena: IMG-20261122-WA0001.jpg (Datei angehängt)\n"
    "Der Grillplatz\n"
    "22.11.26, 05:56 - Lena: Diese Nachricht wurde gelöscht\n"
    "22.11.26, 05:57 - Jonas: Treffen um 18 Uhr <Diese Nachricht wurde bearbeitet>\n"
    "22.11.26, 06:00 - Mia ist der Gruppe mit dem Einladungslink beigetreten.\n"
    "22.11.26, 06:01 - Jonas hat den Betreff von \u201eNachbarschaft Lindenstraße\u201c zu \u201eLindenstraße: Sommerfest\u201c geändert.\n"
    "22.11.26, 06:02 - Deine Sicherheitsnummer für Mia hat sich geändert. Tippe, um mehr zu erfahren.\n"
    "22.11.26, 06:03 - Du hast das Gruppenbild geändert.\n"
    "22.11.26, 06:04 - Lena: Standort: https://maps.google.com/?q=52.520008,13.404954\n"
    "22.11.26, 06:05 - Lena: DOC-20261122-WA0002.pdf (Datei angehängt)\n"
    "22.11.26, 06:10 - Mia hat die Gruppe verlassen.\n"
    "22.11.26, 06:11 - Jonas hat Lena entfernt.\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        SYS(2, "2026-11-22 05:50", "Jonas", "created"),
        ADD(3, "2026-11-22 05:51", "Jonas", "Lena"),
        ADD(4, "2026-11-22 05:52", "Jonas", "You"),
        M(5, "2026-11-22 05:53", "Jonas", "Hallo zusammen! Am Samstag ist Sommerfest."),
        MEDIA(6, "2026-11-22 05:54", "Lena", "other"),
        MEDIA(7, "2026-11-22 05:55", "Lena", "image", "Der Grillplatz"),
        DEL(9, "2026-11-22 05:56", "Lena"),
        ED(10, "2026-11-22 05:57", "Jonas", "Treffen um 18 Uhr"),
        JOIN(11, "2026-11-22 06:00", "Mia", "link"),
        SYS(12, "2026-11-22 06:01", "Jonas", "subject"),
        SYS(13, "2026-11-22 06:02", None, "security_code"),
        SYS(14, "2026-11-22 06:03", "You", "icon"),
        MEDIA(15, "2026-11-22 06:04", "Lena", "location"),
        MEDIA(16, "2026-11-22 06:05", "Lena", "document"),
        LEAVE(17, "2026-11-22 06:10", "Mia"),
        REMOVE(18, "2026-11-22 06:11", "Jonas", "Lena"),
    ],
    filename="WhatsApp Chat mit Lindenstraße.txt",
)

_case(
    "de_ios",
    "de",
    "ios",
    f"[22.11.26, 05:50:01] Lindenstraße: {LRM}Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp.\n"
    f"[22.11.26, 05:50:01] Lindenstraße: {LRM}Jonas hat die Gruppe \u201cLindenstraße\u201d erstellt.\n"
    f"[22.11.26, 05:50:30] Lindenstraße: {LRM}Jonas hat Lena hinzugefügt.\n"
    "[22.11.26, 05:53:12] Jonas: Hallo zusammen\n"
    f"[22.11.26, 05:54:00] Lena: {LRM}Bild weggelassen\n"
    f"[22.11.26, 05:54:10] Lena: {LRM}Video weggelassen\n"
    f"[22.11.26, 05:54:20] Lena: {LRM}Audio weggelassen\n"
    f"[22.11.26, 05:54:30] Lena: {LRM}Sticker weggelassen\n"
    f"[22.11.26, 05:54:40] Lena: {LRM}GIF weggelassen\n"
    f"[22.11.26, 05:54:50] Lena: {LRM}Dokument weggelassen\n"
    f"[22.11.26, 05:55:00] Lena: {LRM}Kontaktkarte ausgelassen\n"
    f"[22.11.26, 05:55:10] Lena: {LRM}<Anhang: 00000012-PHOTO-2026-11-22-05-55-10.jpg>\n"
    f"[22.11.26, 05:56:00] Jonas: {LRM}Diese Nachricht wurde gelöscht.\n"
    f"[22.11.26, 05:57:00] Jonas: {LRM}Du hast diese Nachricht gelöscht.\n"
    f"[22.11.26, 05:58:00] Mia: {LRM}Deine Sicherheitsnummer für Mia hat sich geändert. Tippe, um mehr zu erfahren.\n"
    f"[22.11.26, 06:00:00] Lindenstraße: {LRM}Lena hat die Gruppe verlassen.\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        SYS(2, "2026-11-22 05:50:01", "Jonas", "created"),
        ADD(3, "2026-11-22 05:50:30", "Jonas", "Lena"),
        M(4, "2026-11-22 05:53:12", "Jonas", "Hallo zusammen"),
        MEDIA(5, "2026-11-22 05:54:00", "Lena", "image"),
        MEDIA(6, "2026-11-22 05:54:10", "Lena", "video"),
        MEDIA(7, "2026-11-22 05:54:20", "Lena", "audio"),
        MEDIA(8, "2026-11-22 05:54:30", "Lena", "sticker"),
        MEDIA(9, "2026-11-22 05:54:40", "Lena", "gif"),
        MEDIA(10, "2026-11-22 05:54:50", "Lena", "document"),
        MEDIA(11, "2026-11-22 05:55:00", "Lena", "contact"),
        MEDIA(12, "2026-11-22 05:55:10", "Lena", "image"),
        DEL(13, "2026-11-22 05:56:00", "Jonas"),
        DEL(14, "2026-11-22 05:57:00", "Jonas"),
        SYS(15, "2026-11-22 05:58:00", None, "security_code"),
        LEAVE(16, "2026-11-22 06:00:00", "Lena"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Spanish. Android "22/11/26 5:53 p. m. - " (no comma, as in the es-export sample "01/02/22 4:17
# p. m. - "); 12:05 p. m. is 12:05 and 1:00 p. m. is 13:00. iOS: no Spanish iOS sample was found,
# the header below ("[22/11/26, 5:50:01] ") is assumed; the placeholder wordings are sourced.
# ---------------------------------------------------------------------------------------------
_case(
    "es_android",
    "es",
    "android",
    "22/11/26 5:50 a. m. - Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.\n"
    '22/11/26 5:50 a. m. - Diego creó el grupo "Vecinos Calle 8".\n'
    "22/11/26 5:51 a. m. - Diego añadió a Lucía\n"
    "22/11/26 5:52 a. m. - Diego te añadió\n"
    "22/11/26 5:53 a. m. - Diego: Hola a todos\n"
    "22/11/26 5:54 a. m. - Lucía: <Multimedia omitido>\n"
    "22/11/26 5:55 a. m. - Lucía: IMG-20261122-WA0003.jpg (archivo adjunto)\n"
    "22/11/26 5:56 a. m. - Lucía: Se eliminó este mensaje.\n"
    "22/11/26 5:57 a. m. - Diego: Reunión el sábado <Se editó este mensaje.>\n"
    "22/11/26 12:05 p. m. - Marta se unió usando el enlace de invitación de este grupo\n"
    '22/11/26 12:10 p. m. - Diego cambió el asunto de "Vecinos Calle 8" a "Calle 8: Fiesta"\n'
    "22/11/26 12:15 p. m. - Cambió tu código de seguridad con Marta. Pulsa para obtener más información.\n"
    "22/11/26 12:20 p. m. - Lucía: ubicación: https://maps.google.com/?q=40.416775,-3.703790\n"
    "22/11/26 12:30 p. m. - Diego: Eliminaste este mensaje.\n"
    "22/11/26 1:00 p. m. - Marta salió del grupo\n"
    "22/11/26 1:05 p. m. - Diego eliminó a Lucía\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        SYS(2, "2026-11-22 05:50", "Diego", "created"),
        ADD(3, "2026-11-22 05:51", "Diego", "Lucía"),
        ADD(4, "2026-11-22 05:52", "Diego", "You"),
        M(5, "2026-11-22 05:53", "Diego", "Hola a todos"),
        MEDIA(6, "2026-11-22 05:54", "Lucía", "other"),
        MEDIA(7, "2026-11-22 05:55", "Lucía", "image"),
        DEL(8, "2026-11-22 05:56", "Lucía"),
        ED(9, "2026-11-22 05:57", "Diego", "Reunión el sábado"),
        JOIN(10, "2026-11-22 12:05", "Marta", "link"),
        SYS(11, "2026-11-22 12:10", "Diego", "subject"),
        SYS(12, "2026-11-22 12:15", None, "security_code"),
        MEDIA(13, "2026-11-22 12:20", "Lucía", "location"),
        DEL(14, "2026-11-22 12:30", "Diego"),
        LEAVE(15, "2026-11-22 13:00", "Marta"),
        REMOVE(16, "2026-11-22 13:05", "Diego", "Lucía"),
    ],
    filename="Chat de WhatsApp con Vecinos Calle 8.txt",
)

_case(
    "es_ios",
    "es",
    "ios",
    f"[22/11/26, 5:50:01] Vecinos Calle 8: {LRM}Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos.\n"
    f"[22/11/26, 5:50:02] Vecinos Calle 8: {LRM}Diego creó el grupo \u201cVecinos Calle 8\u201d\n"
    "[22/11/26, 5:53:12] Diego: Hola\n"
    f"[22/11/26, 5:54:00] Lucía: {LRM}imagen omitida\n"
    f"[22/11/26, 5:54:10] Lucía: {LRM}Video omitido\n"
    f"[22/11/26, 5:54:20] Lucía: {LRM}audio omitido\n"
    f"[22/11/26, 5:54:30] Lucía: {LRM}sticker omitido\n"
    f"[22/11/26, 5:54:40] Lucía: {LRM}GIF omitido\n"
    f"[22/11/26, 5:54:50] Lucía: {LRM}Acta.pdf \u2022 2 páginas documento omitido\n"
    f"[22/11/26, 5:55:00] Lucía: {LRM}Tarjeta de contacto omitida\n"
    f"[22/11/26, 5:55:10] Lucía: {LRM}<adjunto: 00000031-PHOTO-2026-11-22-05-55-10.jpg>\n"
    f"[22/11/26, 5:56:00] Diego: {LRM}Se eliminó este mensaje.\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        SYS(2, "2026-11-22 05:50:02", "Diego", "created"),
        M(3, "2026-11-22 05:53:12", "Diego", "Hola"),
        MEDIA(4, "2026-11-22 05:54:00", "Lucía", "image"),
        MEDIA(5, "2026-11-22 05:54:10", "Lucía", "video"),
        MEDIA(6, "2026-11-22 05:54:20", "Lucía", "audio"),
        MEDIA(7, "2026-11-22 05:54:30", "Lucía", "sticker"),
        MEDIA(8, "2026-11-22 05:54:40", "Lucía", "gif"),
        MEDIA(9, "2026-11-22 05:54:50", "Lucía", "document"),
        MEDIA(10, "2026-11-22 05:55:00", "Lucía", "contact"),
        MEDIA(11, "2026-11-22 05:55:10", "Lucía", "image"),
        DEL(12, "2026-11-22 05:56:00", "Diego"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Portuguese. Android pt-BR "22/11/2026 05:53 - " (pt-export sample "19/09/2026 21:23 - "); iOS
# "[22/11/26, 05:53:12] " (pt-ios sample "[13/01/24, 21:00:00] "); pt-PT placeholders in a third
# file with the Android layout.
# ---------------------------------------------------------------------------------------------
_case(
    "pt_br_android",
    "pt",
    "android",
    "22/11/2026 05:50 - As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las. Toque para saber mais.\n"
    '22/11/2026 05:50 - João criou o grupo "Condomínio Bloco B"\n'
    "22/11/2026 05:51 - João adicionou Ana\n"
    "22/11/2026 05:52 - João adicionou você\n"
    "22/11/2026 05:53 - João: Bom dia, pessoal\n"
    "22/11/2026 05:54 - Ana: <Mídia oculta>\n"
    "22/11/2026 05:55 - Ana: PTT-20261122-WA0002.opus (arquivo anexado)\n"
    "22/11/2026 05:56 - Ana: Mensagem apagada\n"
    "22/11/2026 05:57 - João: Reunião às 19h <Mensagem editada>\n"
    "22/11/2026 06:00 - Carla entrou usando o link de convite deste grupo\n"
    '22/11/2026 06:01 - João mudou o assunto de "Condomínio Bloco B" para "Bloco B: Assembleia"\n'
    "22/11/2026 06:02 - Seu código de segurança com Carla mudou. Toque para saber mais.\n"
    "22/11/2026 06:03 - João mudou a imagem do grupo\n"
    "22/11/2026 06:04 - Ana: localização: https://maps.google.com/?q=-23.550520,-46.633308\n"
    "22/11/2026 06:05 - João: Você apagou esta mensagem\n"
    "22/11/2026 06:10 - Carla saiu\n"
    "22/11/2026 06:11 - João removeu Ana\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        SYS(2, "2026-11-22 05:50", "João", "created"),
        ADD(3, "2026-11-22 05:51", "João", "Ana"),
        ADD(4, "2026-11-22 05:52", "João", "You"),
        M(5, "2026-11-22 05:53", "João", "Bom dia, pessoal"),
        MEDIA(6, "2026-11-22 05:54", "Ana", "other"),
        MEDIA(7, "2026-11-22 05:55", "Ana", "audio"),
        DEL(8, "2026-11-22 05:56", "Ana"),
        ED(9, "2026-11-22 05:57", "João", "Reunião às 19h"),
        JOIN(10, "2026-11-22 06:00", "Carla", "link"),
        SYS(11, "2026-11-22 06:01", "João", "subject"),
        SYS(12, "2026-11-22 06:02", None, "security_code"),
        SYS(13, "2026-11-22 06:03", "João", "icon"),
        MEDIA(14, "2026-11-22 06:04", "Ana", "location"),
        DEL(15, "2026-11-22 06:05", "João"),
        LEAVE(16, "2026-11-22 06:10", "Carla"),
        REMOVE(17, "2026-11-22 06:11", "João", "Ana"),
    ],
    filename="Conversa do WhatsApp com Condomínio Bloco B.txt",
)

_case(
    "pt_pt_android",
    "pt",
    "android",
    "22/11/2026 05:50 - As mensagens e chamadas são encriptadas ponto a ponto. Ninguém fora desta conversa, nem mesmo o WhatsApp, pode ler ou ouvi-las. Toque para saber mais.\n"
    "22/11/2026 05:51 - Rui adicionou Inês\n"
    "22/11/2026 05:53 - Rui: Olá a todos\n"
    "22/11/2026 05:54 - Inês: <Ficheiro não revelado>\n"
    "22/11/2026 05:55 - Inês: IMG-20261122-WA0005.jpg (ficheiro anexado)\n"
    "22/11/2026 05:56 - Rui: Apagou esta mensagem\n"
    "22/11/2026 05:57 - Inês: Esta mensagem foi apagada\n"
    "22/11/2026 05:58 - O seu código de segurança partilhado com Inês mudou. Toque para saber mais.\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        ADD(2, "2026-11-22 05:51", "Rui", "Inês"),
        M(3, "2026-11-22 05:53", "Rui", "Olá a todos"),
        MEDIA(4, "2026-11-22 05:54", "Inês", "other"),
        MEDIA(5, "2026-11-22 05:55", "Inês", "image"),
        DEL(6, "2026-11-22 05:56", "Rui"),
        DEL(7, "2026-11-22 05:57", "Inês"),
        SYS(8, "2026-11-22 05:58", None, "security_code"),
    ],
)

_case(
    "pt_br_ios",
    "pt",
    "ios",
    f"[22/11/26, 05:50:01] Grupo Teste: {LRM}As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las.\n"
    f"[22/11/26, 05:50:02] Grupo Teste: {LRM}Ana criou o grupo \u201cGrupo Teste\u201d\n"
    f"[22/11/26, 05:50:30] Grupo Teste: {LRM}Ana adicionou Carla\n"
    "[22/11/26, 05:53:12] Ana: Oi gente\n"
    f"[22/11/26, 05:54:00] Carla: {LRM}imagem ocultada\n"
    f"[22/11/26, 05:54:10] Carla: {LRM}vídeo omitido\n"
    f"[22/11/26, 05:54:20] Carla: {LRM}áudio ocultado\n"
    f"[22/11/26, 05:54:30] Carla: {LRM}figurinha omitida\n"
    f"[22/11/26, 05:54:40] Carla: {LRM}Cartão do contato omitido\n"
    f"[22/11/26, 05:54:50] Carla: {LRM}<anexado: 00000044-PHOTO-2026-11-22-05-54-50.jpg>\n"
    f"[22/11/26, 05:55:00] Ana: {LRM}Mensagem apagada\n"
    f"[22/11/26, 05:56:00] Grupo Teste: {LRM}Carla saiu\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        SYS(2, "2026-11-22 05:50:02", "Ana", "created"),
        ADD(3, "2026-11-22 05:50:30", "Ana", "Carla"),
        M(4, "2026-11-22 05:53:12", "Ana", "Oi gente"),
        MEDIA(5, "2026-11-22 05:54:00", "Carla", "image"),
        MEDIA(6, "2026-11-22 05:54:10", "Carla", "video"),
        MEDIA(7, "2026-11-22 05:54:20", "Carla", "audio"),
        MEDIA(8, "2026-11-22 05:54:30", "Carla", "sticker"),
        MEDIA(9, "2026-11-22 05:54:40", "Carla", "contact"),
        MEDIA(10, "2026-11-22 05:54:50", "Carla", "image"),
        DEL(11, "2026-11-22 05:55:00", "Ana"),
        LEAVE(12, "2026-11-22 05:56:00", "Carla"),
    ],
)

# ---------------------------------------------------------------------------------------------
# French. Real Android exports write "24/03/2019 à 20:19 - " (see the xfail test below); these
# fixtures use the other two layouts listed by a French parser: Android "22/11/2026 05:53 - " and
# iOS "[22/11/2026 05:53:12] ". No subject-change wording was found.
# ---------------------------------------------------------------------------------------------
FR_ANDROID_LINES = [
    "Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, ne peut les lire ou les écouter. Appuyez pour en savoir plus.",
    "Paul a créé le groupe \u00ab Voisins du 12 \u00bb",
    "Paul a ajouté Marie",
    "Vous avez été ajouté(e)",
    "Paul: Bonjour à tous",
    "Marie: <Médias omis>",
    "Marie: VID-20261122-WA0004.mp4 (fichier joint)",
    "Marie: Ce message a été supprimé",
    "Paul: Réunion à 18h <Ce message a été modifié>",
    "Luc a rejoint en utilisant le lien d'invitation de ce groupe",
    "Votre code de sécurité avec Luc a changé. Appuyez pour en savoir plus.",
    "Paul a changé l'icône de ce groupe",
    "Marie: localisation : https://maps.google.com/?q=48.856613,2.352222",
    "Luc a quitté",
    "Paul a retiré Marie",
]
FR_ANDROID_EXPECTED = [
    SYS(1, "2026-11-22 05:40", None, "e2e"),
    SYS(2, "2026-11-22 05:41", "Paul", "created"),
    ADD(3, "2026-11-22 05:42", "Paul", "Marie"),
    JOIN(4, "2026-11-22 05:43", "You", None),
    M(5, "2026-11-22 05:44", "Paul", "Bonjour à tous"),
    MEDIA(6, "2026-11-22 05:45", "Marie", "other"),
    MEDIA(7, "2026-11-22 05:46", "Marie", "video"),
    DEL(8, "2026-11-22 05:47", "Marie"),
    ED(9, "2026-11-22 05:48", "Paul", "Réunion à 18h"),
    JOIN(10, "2026-11-22 05:49", "Luc", "link"),
    SYS(11, "2026-11-22 05:50", None, "security_code"),
    SYS(12, "2026-11-22 05:51", "Paul", "icon"),
    MEDIA(13, "2026-11-22 05:52", "Marie", "location"),
    LEAVE(14, "2026-11-22 05:53", "Luc"),
    REMOVE(15, "2026-11-22 05:54", "Paul", "Marie"),
]


def _fr_android(header) -> str:
    return "".join(f"{header(40 + i)}{text}\n" for i, text in enumerate(FR_ANDROID_LINES))


_case(
    "fr_android",
    "fr",
    "android",
    _fr_android(lambda minute: f"22/11/2026 05:{minute:02d} - "),
    FR_ANDROID_EXPECTED,
    filename="Discussion WhatsApp avec Voisins du 12.txt",
)

_case(
    "fr_ios",
    "fr",
    "ios",
    f"[22/11/2026 05:50:01] Voisins du 12: {LRM}Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, ne peut les lire ou les écouter.\n"
    f"[22/11/2026 05:50:30] Voisins du 12: {LRM}Paul a ajouté Marie\n"
    "[22/11/2026 05:53:12] Paul: Salut\n"
    f"[22/11/2026 05:54:00] Marie: {LRM}image absente\n"
    f"[22/11/2026 05:54:10] Marie: {LRM}vidéo absente\n"
    f"[22/11/2026 05:54:20] Marie: {LRM}audio omis\n"
    f"[22/11/2026 05:54:30] Marie: {LRM}sticker omis\n"
    f"[22/11/2026 05:54:40] Marie: {LRM}GIF retiré\n"
    f"[22/11/2026 05:54:50] Marie: {LRM}document manquant\n"
    f"[22/11/2026 05:55:00] Marie: {LRM}Fiche contact manquante\n"
    f"[22/11/2026 05:56:00] Paul: {LRM}Vous avez supprimé ce message.\n"
    f"[22/11/2026 05:57:00] Voisins du 12: {LRM}Marie a quitté\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        ADD(2, "2026-11-22 05:50:30", "Paul", "Marie"),
        M(3, "2026-11-22 05:53:12", "Paul", "Salut"),
        MEDIA(4, "2026-11-22 05:54:00", "Marie", "image"),
        MEDIA(5, "2026-11-22 05:54:10", "Marie", "video"),
        MEDIA(6, "2026-11-22 05:54:20", "Marie", "audio"),
        MEDIA(7, "2026-11-22 05:54:30", "Marie", "sticker"),
        MEDIA(8, "2026-11-22 05:54:40", "Marie", "gif"),
        MEDIA(9, "2026-11-22 05:54:50", "Marie", "document"),
        MEDIA(10, "2026-11-22 05:55:00", "Marie", "contact"),
        DEL(11, "2026-11-22 05:56:00", "Paul"),
        LEAVE(12, "2026-11-22 05:57:00", "Marie"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Italian. Android "22/11/26, 05:53 - " (it-export sample "18/06/17, 21:16 - "); iOS
# "[22/11/26, 05:53:12] " (it-ios sample "[02/04/26, 13:03:45] ").
# ---------------------------------------------------------------------------------------------
_case(
    "it_android",
    "it",
    "android",
    "22/11/26, 05:50 - I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di questa chat, nemmeno WhatsApp, può leggerne o ascoltarne il contenuto. Tocca per saperne di più.\n"
    "22/11/26, 05:50 - Marco ha creato il gruppo \u201cCondominio Via Roma\u201d\n"
    "22/11/26, 05:51 - Marco ha aggiunto Giulia\n"
    "22/11/26, 05:52 - Marco ti ha aggiunto\n"
    "22/11/26, 05:53 - Marco: Buongiorno a tutti\n"
    "22/11/26, 05:54 - Giulia: <Media omessi>\n"
    "22/11/26, 05:55 - Giulia: STK-20261122-WA0006.webp (file allegato)\n"
    "22/11/26, 05:56 - Giulia: Questo messaggio è stato eliminato\n"
    "22/11/26, 05:57 - Marco: Assemblea alle 21 <Questo messaggio è stato modificato>\n"
    "22/11/26, 06:00 - Luca è entrato usando il link d'invito al gruppo\n"
    "22/11/26, 06:01 - Marco ha cambiato l'oggetto da \u201cCondominio Via Roma\u201d a \u201cVia Roma: assemblea\u201d\n"
    "22/11/26, 06:02 - Il tuo codice di sicurezza con Luca è cambiato. Tocca per saperne di più.\n"
    "22/11/26, 06:03 - Marco ha cambiato l'immagine del gruppo\n"
    "22/11/26, 06:04 - Giulia: posizione: https://maps.google.com/?q=41.902782,12.496366\n"
    "22/11/26, 06:10 - Luca ha abbandonato\n"
    "22/11/26, 06:11 - Marco ha rimosso Giulia\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        SYS(2, "2026-11-22 05:50", "Marco", "created"),
        ADD(3, "2026-11-22 05:51", "Marco", "Giulia"),
        ADD(4, "2026-11-22 05:52", "Marco", "You"),
        M(5, "2026-11-22 05:53", "Marco", "Buongiorno a tutti"),
        MEDIA(6, "2026-11-22 05:54", "Giulia", "other"),
        MEDIA(7, "2026-11-22 05:55", "Giulia", "sticker"),
        DEL(8, "2026-11-22 05:56", "Giulia"),
        ED(9, "2026-11-22 05:57", "Marco", "Assemblea alle 21"),
        JOIN(10, "2026-11-22 06:00", "Luca", "link"),
        SYS(11, "2026-11-22 06:01", "Marco", "subject"),
        SYS(12, "2026-11-22 06:02", None, "security_code"),
        SYS(13, "2026-11-22 06:03", "Marco", "icon"),
        MEDIA(14, "2026-11-22 06:04", "Giulia", "location"),
        LEAVE(15, "2026-11-22 06:10", "Luca"),
        REMOVE(16, "2026-11-22 06:11", "Marco", "Giulia"),
    ],
    filename="Chat WhatsApp con Condominio Via Roma.txt",
)

_case(
    "it_ios",
    "it",
    "ios",
    f"[22/11/26, 05:50:01] Via Roma: {LRM}I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di questa chat, nemmeno WhatsApp, può leggerne o ascoltarne il contenuto.\n"
    f"[22/11/26, 05:50:30] Via Roma: {LRM}Marco ha aggiunto Giulia\n"
    "[22/11/26, 05:53:12] Marco: Ciao\n"
    f"[22/11/26, 05:54:00] Giulia: {LRM}immagine omessa\n"
    f"[22/11/26, 05:54:10] Giulia: {LRM}video omesso\n"
    f"[22/11/26, 05:54:20] Giulia: {LRM}audio omesso\n"
    f"[22/11/26, 05:54:30] Giulia: {LRM}sticker non incluso\n"
    f"[22/11/26, 05:54:40] Giulia: {LRM}GIF esclusa\n"
    f"[22/11/26, 05:54:50] Giulia: {LRM}documento omesso\n"
    f"[22/11/26, 05:55:00] Giulia: {LRM}Scheda contatto omessa\n"
    f"[22/11/26, 05:56:00] Marco: {LRM}Hai eliminato questo messaggio.\n"
    f"[22/11/26, 05:57:00] Via Roma: {LRM}Giulia ha abbandonato\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        ADD(2, "2026-11-22 05:50:30", "Marco", "Giulia"),
        M(3, "2026-11-22 05:53:12", "Marco", "Ciao"),
        MEDIA(4, "2026-11-22 05:54:00", "Giulia", "image"),
        MEDIA(5, "2026-11-22 05:54:10", "Giulia", "video"),
        MEDIA(6, "2026-11-22 05:54:20", "Giulia", "audio"),
        MEDIA(7, "2026-11-22 05:54:30", "Giulia", "sticker"),
        MEDIA(8, "2026-11-22 05:54:40", "Giulia", "gif"),
        MEDIA(9, "2026-11-22 05:54:50", "Giulia", "document"),
        MEDIA(10, "2026-11-22 05:55:00", "Giulia", "contact"),
        DEL(11, "2026-11-22 05:56:00", "Marco"),
        LEAVE(12, "2026-11-22 05:57:00", "Giulia"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Dutch. Android "22/11/2026 05:53 - " (nl-r, a parser of a real Dutch export). No created,
# subject or join-by-link wording was found; "is deelnemer geworden" is a join without subtype.
# iOS: no Dutch iOS sample was found; the header "[22-11-2026 05:53:12] " is assumed. The iOS
# deleted notice "U hebt dit bericht verwijderd." must stay a deletion, not a removal.
# ---------------------------------------------------------------------------------------------
_case(
    "nl_android",
    "nl",
    "android",
    "22/11/2026 05:50 - Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet. Tik voor meer informatie.\n"
    "22/11/2026 05:51 - Sanne heeft Daan toegevoegd\n"
    "22/11/2026 05:53 - Sanne: Goedemorgen allemaal\n"
    "22/11/2026 05:54 - Daan: <Media weggelaten>\n"
    "22/11/2026 05:55 - Daan: IMG-20261122-WA0007.jpg (bestand bijgevoegd)\n"
    "22/11/2026 05:56 - Daan: Dit bericht is verwijderd\n"
    "22/11/2026 05:57 - Sanne: Vergadering om 20 uur <Dit bericht is bewerkt>\n"
    "22/11/2026 06:00 - Eva is deelnemer geworden\n"
    "22/11/2026 06:02 - Uw beveiligingscode voor Eva is gewijzigd. Tik voor meer informatie.\n"
    "22/11/2026 06:04 - Daan: locatie: https://maps.google.com/?q=52.370216,4.895168\n"
    "22/11/2026 06:10 - Eva heeft de groep verlaten\n"
    "22/11/2026 06:11 - Sanne heeft Daan verwijderd\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        ADD(2, "2026-11-22 05:51", "Sanne", "Daan"),
        M(3, "2026-11-22 05:53", "Sanne", "Goedemorgen allemaal"),
        MEDIA(4, "2026-11-22 05:54", "Daan", "other"),
        MEDIA(5, "2026-11-22 05:55", "Daan", "image"),
        DEL(6, "2026-11-22 05:56", "Daan"),
        ED(7, "2026-11-22 05:57", "Sanne", "Vergadering om 20 uur"),
        JOIN(8, "2026-11-22 06:00", "Eva", None),
        SYS(9, "2026-11-22 06:02", None, "security_code"),
        MEDIA(10, "2026-11-22 06:04", "Daan", "location"),
        LEAVE(11, "2026-11-22 06:10", "Eva"),
        REMOVE(12, "2026-11-22 06:11", "Sanne", "Daan"),
    ],
    filename="WhatsApp-chat met Buren.txt",
)

_case(
    "nl_ios",
    "nl",
    "ios",
    f"[22-11-2026 05:50:01] Buren: {LRM}Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet.\n"
    f"[22-11-2026 05:50:30] Buren: {LRM}Sanne heeft Daan toegevoegd\n"
    "[22-11-2026 05:53:12] Sanne: Hoi\n"
    f"[22-11-2026 05:54:00] Daan: {LRM}afbeelding weggelaten\n"
    f"[22-11-2026 05:54:10] Daan: {LRM}video weggelaten\n"
    f"[22-11-2026 05:54:20] Daan: {LRM}audio weggelaten\n"
    f"[22-11-2026 05:54:30] Daan: {LRM}sticker weggelaten\n"
    f"[22-11-2026 05:54:40] Daan: {LRM}GIF weggelaten\n"
    f"[22-11-2026 05:54:50] Daan: {LRM}document weggelaten\n"
    f"[22-11-2026 05:55:00] Daan: {LRM}Visitekaartje weggelaten\n"
    f"[22-11-2026 05:56:00] Sanne: {LRM}U hebt dit bericht verwijderd.\n"
    f"[22-11-2026 05:57:00] Buren: {LRM}Daan heeft de groep verlaten\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        ADD(2, "2026-11-22 05:50:30", "Sanne", "Daan"),
        M(3, "2026-11-22 05:53:12", "Sanne", "Hoi"),
        MEDIA(4, "2026-11-22 05:54:00", "Daan", "image"),
        MEDIA(5, "2026-11-22 05:54:10", "Daan", "video"),
        MEDIA(6, "2026-11-22 05:54:20", "Daan", "audio"),
        MEDIA(7, "2026-11-22 05:54:30", "Daan", "sticker"),
        MEDIA(8, "2026-11-22 05:54:40", "Daan", "gif"),
        MEDIA(9, "2026-11-22 05:54:50", "Daan", "document"),
        MEDIA(10, "2026-11-22 05:55:00", "Daan", "contact"),
        DEL(11, "2026-11-22 05:56:00", "Sanne"),
        LEAVE(12, "2026-11-22 05:57:00", "Daan"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Turkish. Android "22.11.2026 05:53 - " (tr-sample "2.10.2026 13:33 - "); iOS
# "[22.11.2026 05:53:12] " (Turkish parser test "[1.07.2026 10:00:00] Ayşe: …").
# ---------------------------------------------------------------------------------------------
_case(
    "tr_android",
    "tr",
    "android",
    "22.11.2026 05:50 - Mesajlar ve aramalar uçtan uca şifrelidir. WhatsApp da dahil olmak üzere bu sohbetin dışında bulunan hiç kimse mesaj ve aramalarınızı okuyamaz ve dinleyemez. Daha fazla bilgi edinmek için dokunun.\n"
    '22.11.2026 05:50 - Ahmet, "Apartman Yönetimi" grubunu oluşturdu\n'
    "22.11.2026 05:51 - Ahmet, Ayşe kişisini ekledi\n"
    "22.11.2026 05:52 - Ahmet sizi ekledi\n"
    "22.11.2026 05:53 - Ahmet: Herkese merhaba\n"
    "22.11.2026 05:54 - Ayşe: <Medya dahil edilmedi>\n"
    f"22.11.2026 05:55 - Ayşe: {LRM}IMG-20261122-WA0008.jpg (dosya ekli)\n"
    "güzel foto\n"
    "22.11.2026 05:56 - Ayşe: Bu mesaj silindi\n"
    "22.11.2026 05:57 - Ahmet: Toplantı saat 20:00 <Bu mesaj düzenlendi>\n"
    "22.11.2026 06:00 - Mehmet bir grup bağlantısıyla katıldı.\n"
    '22.11.2026 06:01 - Ahmet, "Apartman Yönetimi" olan grup adını "Apartman: Aidat" olarak değiştirdi\n'
    "22.11.2026 06:02 - Mehmet ile aranızdaki güvenlik kodu değişti. Daha fazla bilgi edinmek için dokunun.\n"
    "22.11.2026 06:03 - Ahmet grubun simgesini değiştirdi\n"
    "22.11.2026 06:04 - Ayşe: konum: https://maps.google.com/?q=41.008238,28.978359\n"
    "22.11.2026 06:10 - Mehmet ayrıldı\n"
    "22.11.2026 06:11 - Ahmet, Ayşe kişisini çıkardı\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        SYS(2, "2026-11-22 05:50", "Ahmet", "created"),
        ADD(3, "2026-11-22 05:51", "Ahmet", "Ayşe"),
        ADD(4, "2026-11-22 05:52", "Ahmet", "You"),
        M(5, "2026-11-22 05:53", "Ahmet", "Herkese merhaba"),
        MEDIA(6, "2026-11-22 05:54", "Ayşe", "other"),
        MEDIA(7, "2026-11-22 05:55", "Ayşe", "image", "güzel foto"),
        DEL(9, "2026-11-22 05:56", "Ayşe"),
        ED(10, "2026-11-22 05:57", "Ahmet", "Toplantı saat 20:00"),
        JOIN(11, "2026-11-22 06:00", "Mehmet", "link"),
        SYS(12, "2026-11-22 06:01", "Ahmet", "subject"),
        SYS(13, "2026-11-22 06:02", None, "security_code"),
        SYS(14, "2026-11-22 06:03", "Ahmet", "icon"),
        MEDIA(15, "2026-11-22 06:04", "Ayşe", "location"),
        LEAVE(16, "2026-11-22 06:10", "Mehmet"),
        REMOVE(17, "2026-11-22 06:11", "Ahmet", "Ayşe"),
    ],
)

_case(
    "tr_ios",
    "tr",
    "ios",
    f"[22.11.2026 05:50:01] Apartman: {LRM}Mesajlar ve aramalar uçtan uca şifrelidir. WhatsApp da dahil olmak üzere bu sohbetin dışında bulunan hiç kimse mesaj ve aramalarınızı okuyamaz ve dinleyemez.\n"
    f"[22.11.2026 05:50:30] Apartman: {LRM}Ahmet, Ayşe kişisini ekledi\n"
    "[22.11.2026 05:53:12] Ahmet: Selam\n"
    f"[22.11.2026 05:54:00] Ayşe: {LRM}görüntü dahil edilmedi\n"
    f"[22.11.2026 05:54:10] Ayşe: {LRM}video dahil edilmedi\n"
    f"[22.11.2026 05:54:20] Ayşe: {LRM}ses dahil edilmedi\n"
    f"[22.11.2026 05:54:30] Ayşe: {LRM}Çıkartma dahil edilmedi\n"
    f"[22.11.2026 05:54:40] Ayşe: {LRM}GIF dahil edilmedi\n"
    f"[22.11.2026 05:54:50] Ayşe: {LRM}belge dahil edilmedi\n"
    f"[22.11.2026 05:55:00] Ayşe: {LRM}Kişi kartı dahil edilmedi\n"
    f"[22.11.2026 05:56:00] Ahmet: {LRM}Bu mesajı sildiniz.\n"
    f"[22.11.2026 05:57:00] Apartman: {LRM}Ayşe ayrıldı\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        ADD(2, "2026-11-22 05:50:30", "Ahmet", "Ayşe"),
        M(3, "2026-11-22 05:53:12", "Ahmet", "Selam"),
        MEDIA(4, "2026-11-22 05:54:00", "Ayşe", "image"),
        MEDIA(5, "2026-11-22 05:54:10", "Ayşe", "video"),
        MEDIA(6, "2026-11-22 05:54:20", "Ayşe", "audio"),
        MEDIA(7, "2026-11-22 05:54:30", "Ayşe", "sticker"),
        MEDIA(8, "2026-11-22 05:54:40", "Ayşe", "gif"),
        MEDIA(9, "2026-11-22 05:54:50", "Ayşe", "document"),
        MEDIA(10, "2026-11-22 05:55:00", "Ayşe", "contact"),
        DEL(11, "2026-11-22 05:56:00", "Ahmet"),
        LEAVE(12, "2026-11-22 05:57:00", "Ayşe"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Malay. No Malay sample export was found: the headers below (Android "22/11/2026, 05:53 - ", iOS
# "[22/11/2026, 05:53:12] ") are assumed. Only the notices and placeholders sourced in ms.toml
# appear (no membership wording was found).
# ---------------------------------------------------------------------------------------------
_case(
    "ms_android",
    "ms",
    "android",
    "22/11/2026, 05:50 - Mesej dan panggilan disulitkan hujung ke hujung. Tiada orang luar daripada sembang ini dapat membaca atau mendengar mesej, walaupun WhatsApp sendiri. Ketik untuk mengetahui lebih lanjut.\n"
    "22/11/2026, 05:53 - Aisyah: Selamat pagi semua\n"
    "22/11/2026, 05:54 - Farid: <Media dikecualikan>\n"
    "22/11/2026, 05:55 - Farid: AUD-20261122-WA0009.opus (fail dilampirkan)\n"
    "22/11/2026, 05:56 - Farid: Mesej ini telah dipadam\n"
    "22/11/2026, 05:57 - Aisyah: Anda telah memadamkan mesej ini\n"
    "22/11/2026, 05:58 - Kod keselamatan anda dengan Farid telah berubah. Ketik untuk mengetahui lebih lanjut.\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        M(2, "2026-11-22 05:53", "Aisyah", "Selamat pagi semua"),
        MEDIA(3, "2026-11-22 05:54", "Farid", "other"),
        MEDIA(4, "2026-11-22 05:55", "Farid", "audio"),
        DEL(5, "2026-11-22 05:56", "Farid"),
        DEL(6, "2026-11-22 05:57", "Aisyah"),
        SYS(7, "2026-11-22 05:58", None, "security_code"),
    ],
)

_case(
    "ms_ios",
    "ms",
    "ios",
    f"[22/11/2026, 05:50:01] Jiran: {LRM}Mesej dan panggilan disulitkan hujung ke hujung. Tiada orang luar daripada sembang ini dapat membaca atau mendengar mesej, walaupun WhatsApp sendiri.\n"
    "[22/11/2026, 05:53:12] Aisyah: Hai\n"
    f"[22/11/2026, 05:54:00] Farid: {LRM}imej tidak dimasukkan\n"
    f"[22/11/2026, 05:54:10] Farid: {LRM}video tidak dimasukkan\n"
    f"[22/11/2026, 05:54:20] Farid: {LRM}audio tidak dimasukkan\n"
    f"[22/11/2026, 05:54:30] Farid: {LRM}pelekat tidak disertakan\n"
    f"[22/11/2026, 05:54:40] Farid: {LRM}GIF tidak dimasukkan\n"
    f"[22/11/2026, 05:54:50] Farid: {LRM}dokumen tidak dimasukkan\n"
    f"[22/11/2026, 05:55:00] Farid: {LRM}Kad kenalan tidak dimasukkan\n"
    f"[22/11/2026, 05:56:00] Aisyah: {LRM}Mesej ini telah dipadam.\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        M(2, "2026-11-22 05:53:12", "Aisyah", "Hai"),
        MEDIA(3, "2026-11-22 05:54:00", "Farid", "image"),
        MEDIA(4, "2026-11-22 05:54:10", "Farid", "video"),
        MEDIA(5, "2026-11-22 05:54:20", "Farid", "audio"),
        MEDIA(6, "2026-11-22 05:54:30", "Farid", "sticker"),
        MEDIA(7, "2026-11-22 05:54:40", "Farid", "gif"),
        MEDIA(8, "2026-11-22 05:54:50", "Farid", "document"),
        MEDIA(9, "2026-11-22 05:55:00", "Farid", "contact"),
        DEL(10, "2026-11-22 05:56:00", "Aisyah"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Arabic. The Arabic header layout (Arabic comma, م/ص, optionally Arabic-Indic digits and U+200F)
# does not parse (xfail below), so the phrases are checked with a Latin-digit Android header
# ("22/11/2026, 05:53 - ", an assumption) and iOS "[22/11/2026, 05:53:12] ".
# ---------------------------------------------------------------------------------------------
_case(
    "ar_android_latin_header",
    "ar",
    "android",
    "22/11/2026, 05:50 - الرسائل والمكالمات مشفرة تمامًا بين الطرفين، بحيث لا يستطيع أحد خارج هذه الدردشة، ولا حتى شركة واتساب نفسها، قراءتها أو الاستماع إليها. انقر لمعرفة المزيد.\n"
    "22/11/2026, 05:53 - أحمد: صباح الخير\n"
    "22/11/2026, 05:54 - سارة: <تم استبعاد الوسائط>\n"
    "22/11/2026, 05:55 - سارة: IMG-20261122-WA0010.jpg (الملف مرفق)\n"
    "22/11/2026, 05:56 - سارة: \u200fتم حذف هذه الرسالة\n"
    "22/11/2026, 05:57 - أحمد: لقد حذفت هذه الرسالة\n"
    "22/11/2026, 05:58 - تغيّر رمز أمانك المُستخدَم مع سارة. انقر هنا لمعرفة المزيد.\n",
    [
        SYS(1, "2026-11-22 05:50", None, "e2e"),
        M(2, "2026-11-22 05:53", "أحمد", "صباح الخير"),
        MEDIA(3, "2026-11-22 05:54", "سارة", "other"),
        MEDIA(4, "2026-11-22 05:55", "سارة", "image"),
        DEL(5, "2026-11-22 05:56", "سارة"),
        DEL(6, "2026-11-22 05:57", "أحمد"),
        SYS(7, "2026-11-22 05:58", None, "security_code"),
    ],
)

_case(
    "ar_ios",
    "ar",
    "ios",
    f"[22/11/2026, 05:50:01] الجيران: {LRM}الرسائل والمكالمات مشفرة تمامًا بين الطرفين، بحيث لا يستطيع أحد خارج هذه الدردشة، ولا حتى شركة واتساب نفسها، قراءتها أو الاستماع إليها.\n"
    "[22/11/2026, 05:53:12] أحمد: مرحبا\n"
    f"[22/11/2026, 05:54:00] سارة: {LRM}لم يتم إدراج الصورة\n"
    f"[22/11/2026, 05:54:10] سارة: {LRM}لم يتم إدراج الفيديوهات\n"
    f"[22/11/2026, 05:54:20] سارة: {LRM}لم يتم إدراج المقاطع الصوتية\n"
    f"[22/11/2026, 05:54:30] سارة: {LRM}تم حذف الملصقات\n"
    f"[22/11/2026, 05:54:40] سارة: {LRM}لم يتم إدراج صورة GIF\n"
    f"[22/11/2026, 05:54:50] سارة: {LRM}لم يتم إدراج المستند\n"
    f"[22/11/2026, 05:55:00] سارة: {LRM}لم يتم إدراج بطاقة جهة اتصال\n"
    f"[22/11/2026, 05:56:00] أحمد: {LRM}تم حذف هذه الرسالة.\n",
    [
        SYS(1, "2026-11-22 05:50:01", None, "e2e"),
        M(2, "2026-11-22 05:53:12", "أحمد", "مرحبا"),
        MEDIA(3, "2026-11-22 05:54:00", "سارة", "image"),
        MEDIA(4, "2026-11-22 05:54:10", "سارة", "video"),
        MEDIA(5, "2026-11-22 05:54:20", "سارة", "audio"),
        MEDIA(6, "2026-11-22 05:54:30", "سارة", "sticker"),
        MEDIA(7, "2026-11-22 05:54:40", "سارة", "gif"),
        MEDIA(8, "2026-11-22 05:54:50", "سارة", "document"),
        MEDIA(9, "2026-11-22 05:55:00", "سارة", "contact"),
        DEL(10, "2026-11-22 05:56:00", "أحمد"),
    ],
)

NEW_LANGUAGES = ("ar", "de", "es", "fr", "it", "ms", "nl", "pt", "tr", *MORE_LANGUAGES)
CASES.update(MORE_CASES)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_locale_events_exact(wa, name):
    wa.check(read_case(wa, CASES[name]), CASES[name].expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_locale_report(wa, name):
    check_report(wa, CASES[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_locale_system_text_never_kept(wa, name):
    check_no_system_text(wa, CASES[name])


@pytest.mark.parametrize("lang", NEW_LANGUAGES)
def test_locale_table_is_valid(lang):
    check_table(lang)


@pytest.mark.parametrize(
    ("text", "kind", "subtype", "language"),
    [
        # Notices that look like another language's membership line must keep their own meaning.
        ("U hebt dit bericht verwijderd.", None, None, None),
        ("Se eliminó este mensaje.", None, None, None),
        ("Du hast diese Nachricht gelöscht.", None, None, None),
        ("Eliminaste este mensaje.", None, None, None),
        ("Se eliminó a Bob", "remove", None, "es"),
        ("Se añadió a Bob", "add", None, "es"),
        ("Ayşe gruptan ayrıldı", "leave", None, "tr"),
        ("Jonas hat das Gruppenbild gelöscht.", "system", "icon", "de"),
    ],
)
def test_cross_language_phrase_matching(text, kind, subtype, language):
    from kohesi.ingest.whatsapp.phrases import phrasebook

    hit = phrasebook().match_system(text)
    if kind is None:
        assert hit is None, (text, hit and hit[0])
        return
    assert hit is not None, text
    phrase, m = hit
    assert (phrase.kind, phrase.subtype, phrase.language) == (kind, subtype, language)
    if text.startswith("Se "):
        assert m.groupdict().get("actor") is None
        assert m["targets"] == "Bob"
    if language == "tr":
        assert m["actor"] == "Ayşe"


def test_french_android_header_with_a(wa):
    """Real French Android exports join date and time with ' à ' ("24/03/2019 à 20:19 - Vous avez
    été ajouté(e)", a public app reading a French export)."""
    case = CASES["fr_android"]
    content = _fr_android(lambda minute: f"22/11/2026 à 05:{minute:02d} - ")
    wa.check(read_case(wa, case, content), case.expected)


def test_arabic_android_header(wa):
    """The Arabic header as WhatsApp's own pattern table describes it: Arabic comma between date and
    time and م (PM) / ص (AM) after the time."""
    content = (
        "22/11/2026، 5:53 م - أحمد: صباح الخير\n22/11/2026، 5:54 م - سارة: <تم استبعاد الوسائط>\n"
    )
    path = wa.write(content, "WhatsApp Chat - الجيران.txt")
    log = wa.kohesi().read(path, tz="UTC", keep_text=True, keep_names=True, salt=SALT)
    wa.check(
        log,
        [
            M(1, "2026-11-22 17:53", "أحمد", "صباح الخير"),
            MEDIA(2, "2026-11-22 17:54", "سارة", "other"),
        ],
    )
