"""The act tagger against the annotation guideline (docs/acts.md, "Labels").

Every expected label below is read from the guideline's table (its definitions, its examples and
its "not this act" column), not from the tagger's output. Where the tagger disagrees with the
guideline, the case is kept with its guideline label and marked ``xfail(strict=True)``, so that a
fix shows up as an XPASS to be promoted to a plain test.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from kohesi.text import ACTS, act_mask, lexicon, tag, tag_texts
from kohesi.text import tagger as tagger_module
from kohesi.text.lexicon import LANGUAGES, squeeze
from kohesi.text.tagger import explain, tag_masks


def case(text: str, expected: list[str], *, xfail: str | None = None, id: str | None = None):
    """A (text, guideline acts) case; ``xfail``: why the tagger is known to disagree."""
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(text, expected, marks=marks, id=id or text[:40])


# ------------------------------------------------------------------------------------------
# Exact labels: the message performs these acts and no other (guideline: "A message gets
# every act it performs, or none").
# ------------------------------------------------------------------------------------------

NEGATION = [
    # disagreement: "disagrees or objects, politely or not" ("Saya kurang setuju").
    case("tidak setuju", ["disagreement"]),
    case("Saya tidak setuju pak", ["disagreement"]),
    case("gak setuju", ["disagreement"]),
    case("nggak setuju", ["disagreement"]),
    case("Saya kurang setuju", ["disagreement"]),
    case("kurang setuju", ["disagreement"]),
    case("I don't agree", ["disagreement"]),
    # a refusal with no apology: "refusing … no act, or apology" -> no act, and no signup.
    case("gak mau ikut", []),
    case("Saya gak mau ikut ah", []),
    case("Saya tidak bisa ikut", []),
    case("ga ikut", []),
    # a negation word in a rule does not cancel the rule ("Mohon tidak buang sampah…").
    case("Mohon tidak buang sampah di selokan", ["norm_reminder"]),
    # a softened "not really agree" is still a (polite) disagreement, never an agreement.
    case(
        "tidak terlalu setuju",
        ["disagreement"],
    ),
    case(
        "kurang begitu setuju",
        ["disagreement"],
    ),
    # "no objection" assents: the negation of an objection is not an objection.
    case(
        "Saya tidak keberatan",
        ["agreement"],
    ),
]

APOLOGY = [
    # apology: "apologises for something the writer did or failed to do".
    case("mohon maaf saya salah kemarin", ["apology"]),
    case("Maaf kemarin saya kasar", ["apology"]),
    case("mohon maaf telat bayar iuran", ["apology"]),
    case("sorry I missed it", ["apology"]),
    case("Hapunten, abdi telat", ["apology"], id="su-hapunten"),
    case("Nyuwun pangapunten, kulo telat", ["apology"], id="jv-nyuwun-pangapunten"),
    # not apology: politeness openers ("maaf mengganggu", "maaf numpang tanya", "nyuwun sewu",
    # "punten"); before a plain question of fact, which is not a help_request either, and a
    # question about a schedule does not call anyone to the activity.
    case("maaf mengganggu, mau tanya jadwal posyandu?", []),
    case("Selamat pagi, maaf mengganggu, mau tanya jadwal posyandu?", []),
    case("Maaf numpang tanya, rapat jam berapa?", []),
    case("Nyuwun sewu, badhe tanglet", [], id="jv-nyuwun-sewu"),
    case("Punten, bade naros", [], id="su-punten"),
    case("Sorry to ask, what time is the meeting?", []),
    # an opener before a request: only the request.
    case("Maaf mengganggu, ada yang bisa bantu angkat lemari?", ["help_request"]),
    # an opener before a disagreement: only the disagreement.
    case("Mohon maaf, saya kurang setuju", ["disagreement"]),
    # the Eid formula is a congratulation, never an apology.
    case("Mohon maaf lahir dan batin", ["congratulation"]),
]

CONGRATULATION = [
    # congratulation: "congratulates or greets on an occasion … a religious holiday".
    case("selamat ya atas kelahiran putranya", ["congratulation"]),
    case("Selamat ya bu atas kelahirannya", ["congratulation"]),
    case("Selamat ulang tahun ya mbak", ["congratulation"]),
    case("Barakallah", ["congratulation"]),
    case("Happy birthday!", ["congratulation"]),
    case("Congratulations on the new baby!", ["congratulation"]),
    case("Selamat Idul Fitri, mohon maaf lahir dan batin", ["congratulation"]),
    case("Minal aidin wal faizin, mohon maaf lahir batin", ["congratulation"]),
    case("Eid Mubarak", ["congratulation"]),
    # not: time-of-day greetings ("selamat pagi"), in any language.
    case("selamat pagi bapak ibu", []),
    case("Selamat siang semua", []),
    case("Selamat malam", []),
    case("Sugeng enjing", [], id="jv-sugeng-enjing"),
    case("Wilujeng enjing", [], id="su-wilujeng-enjing"),
    case("Good morning all", []),
    # a greeting does not hide the act that follows it.
    case("selamat pagi, selamat ya atas kelahiran putranya", ["congratulation"]),
]

DEATH = [
    # distress: "including a death announcement" - the guideline's own example.
    case("Innalillahi wa inna ilaihi rajiun, telah meninggal dunia Bpk. Slamet", ["distress"]),
    case("Innalillahi wa inna ilaihi rojiun, telah berpulang ibu kami tadi pagi", ["distress"]),
    case("Telah meninggal dunia Bpk. Slamet tadi pagi", ["distress"]),
    # sympathy: "Turut berduka cita", "Innalillahi, semoga husnul khotimah". The guideline uses
    # reply_to "only to tell a condolence from an announcement": the bare formula announces
    # nothing (no one is named, nothing is reported), so alone it is the condolence.
    case("Turut berduka cita", ["sympathy"]),
    case("Turut berduka cita ya pak", ["sympathy"]),
    case("Innalillahi wa inna ilaihi rojiun", ["sympathy"]),
    case("Innalillahi wa inna ilaihi rajiun", ["sympathy"]),
    case("Innalillahi, semoga husnul khotimah", ["sympathy"]),
    case("Selamat malam, turut berduka cita", ["sympathy"]),
    # a condolence that names the deceased is still a condolence, not an announcement
    # (distress, "not this act: a condolence in reply to such news").
    case(
        "Turut berduka cita atas meninggalnya Pak Slamet",
        ["sympathy"],
    ),
    # a message about a funeral that only gives the time of the prayers: activity_call.
    case("Jenazah akan disholatkan di masjid Al-Ikhlas jam 13.00", ["activity_call"]),
    case(
        "Sholat jenazah jam 13.00 di masjid Al-Ikhlas",
        ["activity_call"],
    ),
]

MISFORTUNE = [
    case("Anak saya masuk rumah sakit", ["distress"]),
    case("Motor saya hilang", ["distress"]),
    case("Rumah Pak Joko kebakaran", ["distress"]),
    case("Semoga lekas sembuh", ["sympathy"]),
    case("Semoga cepat sembuh ya bu", ["sympathy"]),
    case("GWS", ["sympathy"]),
    case("so sorry for your loss", ["sympathy"]),
]

THANKS = [
    case("Makasih bu", ["thanks"]),
    case("mksh pak", ["thanks"]),
    case("trims", ["thanks"]),
    case("tq", ["thanks"]),
    case("thx", ["thanks"]),
    case("terimakasih", ["thanks"]),
    case("Matur nuwun", ["thanks"], id="jv-matur-nuwun"),
    case("Maturnuwun", ["thanks"], id="jv-maturnuwun"),
    case("Suwun", ["thanks"], id="jv-suwun"),
    case("Hatur nuhun", ["thanks"], id="su-hatur-nuhun"),
    case("Nuhun", ["thanks"], id="su-nuhun"),
    case("thank you", ["thanks"]),
    case("thanks a lot", ["thanks"]),
    case("Thanks everyone", ["thanks"]),
    # "terima kasih atas perhatiannya" closing an announcement counts as thanks too.
    case("Terima kasih atas perhatiannya", ["thanks"]),
    case("Besok kerja bakti jam 7. Terima kasih atas perhatiannya", ["thanks", "activity_call"]),
    # normalisation: case and repeated letters.
    case("Makasiiih", ["thanks"]),
    case("MAKASIH BU", ["thanks"]),
]

COURTESY = [
    # welcome: "Selamat datang Pak Budi", "selamat bergabung", "sugeng rawuh", "wilujeng
    # sumping", "welcome!"
    case("Selamat datang Pak Budi", ["welcome"]),
    case("selamat bergabung", ["welcome"]),
    case("Sugeng rawuh", ["welcome"], id="jv-sugeng-rawuh"),
    case("Wilujeng sumping", ["welcome"], id="su-wilujeng-sumping"),
    case("welcome!", ["welcome"]),
    case("Welcome to the group, Sarah!", ["welcome"]),
    # agreement: "Setuju pak", "Siap", "Sepakat", "Nggih", "Mangga", "Aamiin", "Agreed"; a bare
    # "ok" acknowledging information is still agreement; a question is not.
    case("Setuju pak", ["agreement"]),
    case("Siap", ["agreement"]),
    case("Sepakat", ["agreement"]),
    case("Nggih", ["agreement"], id="jv-nggih"),
    case("Mangga", ["agreement"], id="su-mangga"),
    case("Aamiin", ["agreement"]),
    case("Agreed", ["agreement"]),
    case("ok", ["agreement"]),
    case("Ok pak", ["agreement"]),
    case("SETUJUUU", ["agreement"]),
    case("Setuju?", []),
    case("Bapak ibu setuju?", []),
]

ENGLISH = [
    case("Can anyone lend me a ladder?", ["help_request"]),
    case("Anyone know a good plumber? Urgent, pipe burst", ["help_request"]),
    case("I can pick them up", ["help_offer"]),
    case("I'll help you move on Saturday", ["help_offer"]),
    case("Sorry, my fault", ["apology"]),
    case("Sorry for the late reply", ["apology"]),
    case("I don't think that's fair", ["disagreement"]),
    case("shut up", ["hostility"]),
]

SQUEEZED = [
    # letter runs count once, so "me too" reads "me to" and "back off" "back of": such phrases
    # are checked as written.
    case("His wife asked me to tell the group", []),
    case("Me too!", ["agreement"]),
    case("The bins are at the back of the hall", []),
    case("Back off!", ["hostility"],
         xfail="the second stage fitted on seventy-four sets keeps the bare phrase at 0.30, under 0.4 ('back "
               "off, Dave' and 'just back off!' keep it): the labelled sets have no 'back off', and their "
               "'off' is 'be off', 'drop off', 'aku off', none hostile"),
]

EMOJI = [
    # the guideline names no emoji as an act of its own; 🙏 (thanks? please? amen?) cannot be
    # told apart alone, so it gets no label ("A message with none of these gets no label"), and
    # it adds nothing to a greeting.
    case("🙏", [], id="folded-hands"),
    case("🙏🙏", [], id="folded-hands-x2"),
    case("Selamat pagi 🙏", [], id="greeting-folded-hands"),
    # …and takes nothing from the act it decorates.
    case("Makasiiih bu 🙏, sy ikut ya", ["thanks", "signup"], id="thanks-signup-folded-hands"),
    case("Aamiin 🙏", ["agreement"], id="amen-folded-hands"),
    # 👍 alone is the emoji "ok": "a bare 'ok' that acknowledges information is still agreement".
    case("👍", ["agreement"], id="thumbs-up"),
    case("Happy birthday Sarah! 🎂🎉", ["congratulation"], id="birthday-cake"),
]

HOSTILITY = [
    # hostility: "insults, mocks, threatens or curses a member or the group" ("Dasar goblok").
    case("dasar goblok kamu", ["hostility"]),
    case("Dasar goblok", ["hostility"]),
    case("Urus saja urusanmu sendiri!", ["hostility"]),
    case("Awas kamu ya", ["hostility"]),
    case("Anjing lu", ["hostility"]),
    # "an insult (hostility, possibly with disagreement)".
    case("Gak setuju, dasar goblok kamu", ["disagreement", "hostility"]),
    case(
        "Dasar pemalas kamu",
        ["hostility"],
    ),
    # "a swear word not aimed at anyone ('aduh sialan hujan lagi') is not hostility".
    case("anjir macet banget", []),
    case("Anjir macet banget", []),
    case("aduh sialan hujan lagi", []),
    case("Sialan, hujan lagi", []),
    case(
        "Jancuk panas banget",
        [],
    ),
    # "dasar" meaning basic or base.
    case("Bahan dasarnya tepung sama telur", []),
    case("Ini pelajaran dasar kok", []),
    case("dasar-dasar memasak", []),
    case("Dasar kolamnya licin, hati2 anak2", []),
    case("Dasar kue bolu tuh sebenernya cuma telur, gula, terigu kok bu", []),
    # an insult made of ordinary words: a word for a bad trait said to someone ("insults … a
    # member"), in any of the languages; "Dasar …!" opening a clause.
    case("Pelit banget sih lu", ["hostility"]),
    case("Kamu tuh egois, mikirin diri sendiri terus", ["hostility"]),
    case("Emang dasar tukang ngaret!", ["hostility"]),
    case("You're so selfish", ["hostility"]),
    case("Honestly, what a clown.", ["hostility"]),
    case("Kowe ki kesed tenan", ["hostility"], id="jv-trait-addressed"),
    case("Songong amat sih", ["hostility"]),
    # mockery and threats ("mocks, threatens").
    case("Some people clearly have nothing better to do than moan on here all day.", ["hostility"]),
    case("Yeah right, like you've ever lifted a finger round here", ["hostility"]),
    case("Beraninya cuma ngomong di grup", ["hostility"]),
    case("Rasain lu", ["hostility"]),
    # an eye-roll or a smirk pointed at people is contempt ("mocks"); rolled at a situation it is not.
    case("Cakap besar, awak sendiri tak pernah nampak di pos ronda 😏", ["hostility"]),
    case("Yg gak pernah datang biasanya paling pinter komentar 🙄", ["hostility"]),
    case("Sialan, listrik mati lagi pas lg masak 🙄", []),
    # the insult words said of the writer ("… a member or the group": not oneself), owned in an
    # apology, denied, or kept out of: no hostility.
    case("Dompet saya ilang di pasar 😭 Bego banget saya ga ditutup tasnya", ["distress"]),
    case("Maaf Om, beta tadi kurang ajar", ["apology"]),
    case("Maaf cil, ulun kada bemaksud kurang ajar", ["apology"]),
    case("Saya tidak ingin ikut campur, hanya ingin tahu aturannya", []),
]

NORMS_AND_ACTIVITIES = [
    # norm_reminder: the guideline's three examples.
    case("Tamu menginap wajib lapor RT", ["norm_reminder"]),
    case("Grup ini khusus info warga, jangan share hoax", ["norm_reminder"]),
    case("Dilarang parkir di depan gerbang", ["norm_reminder"]),
    # a reminder of one activity is an activity_call, not a norm_reminder: the rule words of an
    # announcement instruct the call.
    case("Jangan lupa besok kerja bakti jam 7 ya", ["activity_call"]),
    case("Reminder: rapat warga nanti malam jam 8 di balai", ["activity_call"]),
    case("Kerja bakti Minggu jam 7, harap membawa cangkul", ["activity_call"]),
    case("Arisan hari Kamis jam 4, jgn telat ya ibu2", ["activity_call"]),
    # a polite prohibition with words in between; a deadline for a duty.
    case("Mohon warga tidak parkir di bahu jalan", ["norm_reminder"]),
    case("Iuran bulan ini paling lambat tgl 10 ya", ["norm_reminder"]),
    # excusing oneself from an activity does not call it.
    case("Mohon maaf, saya tidak dapat menghadiri rapat malam ini", ["apology"]),
    # activity_call: kerja bakti, ronda, arisan, posyandu, a meeting…
    case("kerja bakti minggu pagi jam 7", ["activity_call"]),
    case("Besok Minggu kerja bakti jam 7, mohon partisipasinya", ["activity_call"]),
    case("Arisan hari Sabtu di rumah Bu Ani", ["activity_call"]),
    case("Jadwal ronda malam ini: Pak Budi, Pak Joko", ["activity_call"]),
    case("Rapat RT malam ini jam 8 di balai warga", ["activity_call"]),
    case("Selamat pagi bapak ibu, besok kerja bakti jam 7", ["activity_call"]),
    case("Kerja bakti hari Minggu 14 Juni", ["activity_call"]),
    # calling others to sign up does not sign the writer up.
    case(
        "Besok kerja bakti, yang ikut tulis nama ya",
        ["activity_call"],
        xfail="the learned second stage adds signup (0.64): the whole chats' annotators mostly gave the "
              "organiser who opens a list a sign-up too",
    ),
    # not: "reporting a past activity ('kerja bakti kemarin lancar')".
    case("kerja bakti kemarin lancar", []),
    case("Alhamdulillah kerja bakti kemarin lancar", []),
]

HELP_AND_SIGNUP = [
    # help_request: the guideline's examples; not a plain question of fact.
    case("Ada yang bisa bantu dorong motor saya?", ["help_request"]),
    case("Minta tolong siapa yang punya nomor tukang ledeng", ["help_request"]),
    case("Tolong dong ada yang punya kabel jumper?", ["help_request"]),
    case("rapat jam berapa?", []),
    # help_offer: the guideline's examples.
    case("Saya bisa bantu pak, jam 5 ya", ["help_offer"]),
    case("Nanti saya bantu angkat", ["help_offer"]),
    case("Pakai tangga saya saja", ["help_offer"]),  # the word lists miss it; the n-gram model reads it
    # help already given is thanked, not asked for; a requester's promise is no offer.
    case("Thanks for the help yesterday!", ["thanks"]),
    case("Makasih udah bantuin angkat lemari", ["thanks"]),
    case("Could someone feed my cat this weekend? Happy to pay", ["help_request"]),
    case("I can do the school run tomorrow", ["help_offer"]),
    # signup: "Saya ikut", "Insya Allah hadir", "+1"; several labels are common.
    case("Saya ikut", ["signup"]),
    case("Insya Allah hadir", ["signup"]),
    case("+1", ["signup"]),
    case("Terima kasih, saya ikut ya", ["thanks", "signup"]),
    case("Saya ikut, tapi gak setuju jamnya", ["disagreement", "signup"]),
]

# A call, a rule or a question that names help or a misfortune does not ask for help or report one
# ("label what the message does, not its topic"); offers on a condition; regional words.
CONTEXT = [
    # a call to a shared activity that asks members to bring tools is activity_call, not help_request
    case("Besok Minggu kerja bakti bersihin got jam 7, yg punya cangkul tolong dibawa", ["activity_call"]),
    # Javanese "nek butuh … kabari ae": an offer ("I can pick them up")
    case("Nek butuh tangga kabari ae, nang omahku ono", ["help_offer"], id="jv-conditional-offer"),
    # Betawi and Jakarta "bener" after a word is "very"; opening a clause it assents
    case("Panas bener hari ini", []),
    case("Bener pak, saya juga lihat", ["agreement"]),
    # Papuan "tra" negates ("Saya kurang setuju")
    case("Sa tra setuju iuran naik", ["disagreement"], id="papuan-negation"),
    # good news that asks for prayers reports no misfortune
    case("Alhamdulillah istri sy sudah melahirkan tadi pagi, mohon doanya 🙏", []),
    case("Nyuwun donga pangestu, putri kula badhe nikah Sabtu ngajeng", [], id="jv-blessing-asked"),
    # a flood named as a rule's reason: the rule only
    case("Jangan buang sampah ke kali ya, nanti banjir lagi", ["norm_reminder"]),
    # questions after news already given: "a plain question of fact"
    case("Dirawat di RS mana bu? Boleh dijenguk?", []),
    case("Sakit apa pak? Udah ke dokter?", []),
    case("Anak saya demam tinggi dari semalam, ada yang tau klinik 24 jam?", ["help_request", "distress"]),
    # Amin is a man's name
    case("Coba tanya Pak Amin, tukang ledeng langganan kami", []),
    # an assent beside a rule it backs: both ("Setuju pak", "Grup ini khusus info warga, jangan share hoax")
    case("Setuju pak. Grup ini khusus info warga, jangan share hoax", ["agreement", "norm_reminder"]),
    # relief says the misfortune is over, unless a contrast brings more
    case("Alhamdulillah cuma lecet di lutut", [], id="relief"),
    case("Puji Tuhan operasinya lancar, tapi masih di ICU", ["distress"], id="relief-but"),
    # entrusting something on beside an apology: the writer cannot come, asks no favour
    case("Mohon maaf pak RT, Minggu saya gak bisa ikut. Titip uang konsumsi aja ya", ["apology"], id="titip-apology"),
    case("Ada yang lewat apotek? Nitip beliin paracetamol dong", ["help_request"], id="titip-request"),
    # Sundanese kirang satuju, "do not quite agree"; Minangkabau sapakaik; inggih after a greeting's reply
    case("Abdi kirang satuju Teh, mending di masjid", ["disagreement"], id="su-kirang-satuju"),
    case("Sapakaik Pak Ketua", ["agreement"], id="minang-agreed"),
    case("Waalaikumsalam inggih pak RT", ["agreement"], id="salam-inggih"),
    # Javanese dasar before a trait; Makassar "watch your mouth"
    case("Dasar wong medhit", ["hostility"], id="jv-dasar-trait"),
    case("Jaga ki mulutta", ["disagreement", "hostility"], id="makassar-jaga-mulut",  # as its annotator (m11925)
         xfail="the learned second stage gives no disagreement beside the insult (0.11)"),
]

ALL_CASES = (
    NEGATION
    + APOLOGY
    + CONGRATULATION
    + DEATH
    + MISFORTUNE
    + THANKS
    + COURTESY
    + ENGLISH
    + SQUEEZED
    + EMOJI
    + HOSTILITY
    + NORMS_AND_ACTIVITIES
    + HELP_AND_SIGNUP
    + CONTEXT
)


def _case_texts() -> list[str]:
    """The texts of every case, without their marks."""
    return [p.values[0] for p in ALL_CASES]


@pytest.mark.parametrize(("text", "expected"), ALL_CASES)
def test_guideline_labels(text, expected):
    assert tag(text) == expected


def test_situ_after_a_preposition_is_a_place():
    """*situ* "there" after a preposition is a place, not the retort *situ juga* "you too" (kept
    out of ``ALL_CASES``, whose texts the second stage is fitted on)."""
    assert tag("Kemaren mereka konvoi lewat situ juga") == []
    assert tag("situ juga tiap hari parkir di bahu jalan") == ["hostility"]


# ------------------------------------------------------------------------------------------
# Partial labels: what the guideline rules out (or allows) without fixing the whole label.
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "gak mau ikut",
        "Saya tidak bisa ikut",
        "saya nggak ikut ya",
        "Saya tidak hadir",
        "Maaf saya tidak bisa ikut",
        "Saya tidak setuju dan tidak ikut",
    ],
)
def test_negated_joining_is_no_signup(text):
    assert "signup" not in tag(text)


@pytest.mark.parametrize(
    "text",
    [
        "maaf mengganggu, mau tanya jadwal posyandu?",
        "Maaf mengganggu waktunya",
        "Maaf numpang tanya, rapat jam berapa?",
        "Nyuwun sewu, badhe tanglet",
        "Punten, bade naros",
        "Selamat Idul Fitri, mohon maaf lahir dan batin",
        "Mohon maaf, saya kurang setuju",
    ],
)
def test_openers_and_eid_are_no_apology(text):
    assert "apology" not in tag(text)


@pytest.mark.parametrize("text", ["maaf belum bisa bantu", "Maaf saya tidak bisa ikut"])
def test_refusal_is_no_act_or_apology(text):
    # "refusing ('maaf belum bisa bantu': no act, or apology)"
    assert tag(text) in ([], ["apology"])


@pytest.mark.parametrize(
    "text",
    [
        "selamat pagi bapak ibu",
        "Selamat siang semua",
        "Selamat sore bapak ibu",
        "Selamat malam",
        "Selamat datang Pak Budi",
    ],
)
def test_selamat_greeting_is_no_congratulation(text):
    assert "congratulation" not in tag(text)


@pytest.mark.parametrize(
    "text",
    [
        # the words of the insult frames about a thing, oneself, or said kindly: not aimed at a
        # member ("a swear word not aimed at anyone is not hostility").
        "Laptop kamu lemot banget, udah diservis?",
        "Laptop kamu lemot banget, udah diservis",
        "Maaf aku lemot bales, kamu udah kirim filenya",
        "My printer is useless today",
        "I can't believe how stupid I was",
        "What a pain, the lift is broken again",
        "You're the reason I joined this group, thank you!",
        "Some people can't make it on Sunday, so we'll move it to Saturday",
        "Kamu hebat banget, makasih ya",
        "Hebat ya anak2 kita juara lomba kebersihan 👏",
        "Mantap ya, sampah di selokan udah bersih semua 👏",
        "Oh great, the power's out again 🙄",
        "Thank you for the update, see you Saturday 😏",
        "Mohon dibaca dulu sebelum berkomentar ya bapak ibu",
        "Biasanya yang paling rame anak2 kecil",
        "Kalau gak betah di kos lama, di sini ada kamar kosong lho",
        "Pake otak-atik dikit motornya nyala lagi",
        "Lu pindah kapan? Mau dibantu angkat barang?",
        "Ojo lali gawa payung, mengko udan maneh",
        "HP aku lemot bgt sih",
    ],
)
def test_frame_words_not_aimed_at_a_member_are_no_hostility(text):
    assert "hostility" not in tag(text)


@pytest.mark.parametrize(("text", "expected"), [
    # the guideline: hostility insults a member or the group; cursing outsiders among members is none
    ("Wasit goblok, jelas2 offside", False),
    ("Kurang ajar itu pengembang, janji fasum ga ditepati", False),
    ("Pejabatnya tolol semua, jalan rusak ga diurus", False),
    ("Sopir angkot goblok, nyerempet motor saya", False),
    ("Brengsek banget macetnya tadi pagi, telat semua", False),
    ("Motor adik saya dicolong maling semalam. Bajingan!", False),
    ("Bangsat itu angkot, ngetem di situ terus", False),  # "di situ" is a place, not "you"
    # …but a member or the group addressed, or likened to the outsider, is insulted
    ("Orang2 di grup ini goblok semua", True),
    ("Warga sini goblok semua", True),
    ("Anjir, kalian goblok semua", True),
    ("Kamu tuh kayak pejabat, sok kuasa", True),
    ("Wasit goblok. Situ juga goblok", True),  # Betawi "situ", you
    ("Bangsat emang tengkulak jaman sekarang, harga dimainin", False),  # "emang" between curse and outsider
    ("Bandar sekarang kurang ajar, harga gabah ditekan", False),  # the crop buyer
    ("Kurang ajar bener malingnya, semoga kena karma", False),  # "-nya", the thief
    ("Kamu licik kayak bandar", True),
])
def test_insults_at_outsiders_are_no_hostility(text, expected):
    assert ("hostility" in tag(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # the insult the writer names in their own apology is taken back, not said again
    ("Maaf ya kemarin aku ngatain kamu goblok, aku emosi", False),
    ("Saya minta maaf td bilang bacot ke bapak", False),
    ("Sorry I called you an idiot last night", False),
    # …but an apology that goes on insulting, or a question before the insult, is no such thing
    ("Maaf, tapi kalian semua goblok", True),
    ("Minta maaf? Bilang aja lu emang bego", True),
])
def test_an_insult_named_in_an_apology_is_no_hostility(text, expected):
    assert ("hostility" in tag(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # "malu-maluin" (an embarrassment) mocks; negated it praises
    ("Juara 2 se-kabupaten, ga malu2in lah tim kita", False),
    ("Alhamdulillah anak2 tampil bagus, nggak malu-maluin", False),
    ("Kamu malu2in grup aja", True),
])
def test_negated_mockery_is_praise(text, expected):
    assert ("hostility" in tag(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # the guideline's "threatens … a member": coming to the house of the one spoken to
    ("Ngomong sekali lagi gue samperin rumah lu", True),
    ("Jaga omonganmu, tak parani omahmu saiki", True),
    ("Ketauan orangnya gua patahin tangannya", True),
    ("Sekali lagi ngatain gw, urusan kita ga selesai di chat", True),
    # a visit is no threat
    ("Besok kita datangi rumah Pak RT buat silaturahmi", False),
    ("Samperin rumahnya aja pak, tanya baik2", False),
    ("Urusan kita belum selesai, besok rapat lagi ya pak", False),
])
def test_a_threat_to_come_to_the_house(text, expected):
    assert ("hostility" in tag(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # "boleh" opening a reply gives leave: the guideline's agreement ("accepts a proposal")
    ("Boleh mas, cicil 2x bisa, asal lunas sebelum tgl 5", True),
    ("Boleh sekali Pak 😊", True),
    ("boleh, gass 🔥", True),
    # …but leave asked is none of it
    ("Boleh tanya, rapatnya jam berapa?", False),
    ("Boleh ikut ga?", False),
    ("Boleh minta nomornya Pak Haji", False),
    ("Boleh saya lewat belakang?", False),
    ("Tidak boleh parkir di depan pos", False),
])
def test_leave_given_is_agreement(text, expected):
    assert ("agreement" in tag(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # a Javanese or Sundanese yes-word beside an apology answers too: "yes, sorry" (labelled sets 1–74:
    # 50 of 58 such messages agreement)
    ("Nggih pak, ngapunten", {"agreement", "apology"}),
    ("Leres teh. Hapunten, abdi lepat", {"agreement", "apology"}),
    # an apology alone agrees to nothing
    ("Nyuwun pangapunten, kulo telat", {"apology"}),
])
def test_a_yes_word_beside_an_apology_is_agreement(text, expected):
    assert set(tag(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Sundanese "mangga" opening a reply before a form of address, "leres" opening a clause: agreement
    ("Mangga Teh, insya Allah sumping", True),
    ("Mangga, abdi ngiringan kaputusan rapat wae", True),
    ("Leres Pa RW, haseupna kamari karaos pisan", True),
    ("Ngapunten Bu Harsini, leres panjenengan, kula klentu", True),
    # …not an invitation, a welcome, the fruit, or a need confirmed in a request
    ("Mangga kumpul di masjid urang jam 15.30", False),
    ("Mangga Kang Rudi, wilujeng ngiring gabung", False),
    ("Mangga harum manis 10rb sekilo", False),
    ("Hatur nuhun Ceu. Leres, peryogi darah A, aya nu tiasa?", False),
])
def test_mangga_and_leres_opening_a_reply_agree(text, expected):
    assert ("agreement" in tag(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # "selamat" congratulates…
    ("Selamat ya bu, semoga lancar persalinannya", True),
    ("Selamat atas kelahiran putranya", True),
    # …but "selamat" 'safe' does not, nor a party face or a cake alone
    ("Ya Allah sabar ya mba, yg penting orangnya selamat 🙏", False),
    ("Alhamdulillah Pak Hamid ditemukan selamat di pulau", False),
    ("Semoga selamat sampai tujuan", False),
    ("welcome kirana!! 🥳 kalo butuh apa2 ketok kamar 3", False),
    ("btw hari ini ultah nadia loh gaes 🎂", False),
])
def test_selamat_safe_and_party_emoji_are_no_congratulation(text, expected):
    assert ("congratulation" in tag(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # "maaf" softening a rule reminder is politeness, as "maaf mengganggu" before a question
    ("Bapak ibu, mohon maaf, mau mengingatkan. Sampah tolong dipilah dan jangan ditaruh di luar", False),
    # an apology for one's own fault stays one, beside a rule too (tagger._EXCEPT, cue _own_fault)
    ("Mohon maaf pak, saya telat transfer iurannya", True),
    ("Mohon maaf atas kejadian semalam. Soal parkir tolong di halaman sendiri ya", True),
    ("Maaf pak, itu mobil tamu sy, sudah sy suruh pindah. Tp tolong bahasanya dijaga", True),
])
def test_maaf_before_a_rule_is_politeness(text, expected):
    assert ("apology" in tag(text)) is expected


def test_acts_are_listed_in_vocabulary_order():
    acts = tag("Makasih bu, saya ikut ya. Semoga lekas sembuh")
    assert acts == sorted(acts, key=ACTS.index)
    assert set(acts) == {"thanks", "sympathy", "signup"}


@pytest.mark.xfail(strict=True, reason="beside thanks, the second stage fitted on seventy sets gives the negated "
                   "agreement 0.39, below 0.4: annotators gave disagreement to 99 of the 102 labelled messages "
                   "with a negated 'setuju', but rarely beside thanks")
def test_a_negated_agreement_beside_thanks_stays_disagreement():
    assert set(tag("Gak setuju, dasar goblok kamu. Makasih")) == {"thanks", "disagreement", "hostility"}


# ------------------------------------------------------------------------------------------
# Missing texts, and the vectorised forms.
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", " ", "\n\t", "...", "?"])
def test_missing_or_empty_text_has_no_act(text):
    assert tag(text) == []
    assert tag_masks([text]).tolist() == [0]
    assert tag_texts([text]).to_list() == [[]]


def test_empty_input():
    out = tag_masks([])
    assert out.dtype == np.int64 and len(out) == 0
    assert tag_texts([]).to_list() == []


def test_tag_texts_equals_tag_per_text():
    texts = [*_case_texts(), None, ""]
    assert tag_texts(texts).to_list() == [tag(t) for t in texts]


def test_tag_masks_are_the_bitmasks_of_tag():
    texts = [*_case_texts(), None]
    masks = tag_masks(texts)
    assert masks.dtype == np.int64
    assert masks.tolist() == [act_mask(tag(t)) for t in texts]


@pytest.mark.parametrize(
    "wrap",
    [
        list,
        lambda t: pl.Series("whatever", t, dtype=pl.String),
        lambda t: pa.array(t, pa.string()),
        lambda t: pa.chunked_array([t[:7], t[7:]], pa.string()),
    ],
    ids=["list", "polars", "arrow", "chunked"],
)
def test_input_types_agree(wrap):
    texts = [*_case_texts()[:30], None, ""]
    assert tag_texts(wrap(texts)).to_list() == [tag(t) for t in texts]


@pytest.mark.parametrize("n", [20_000, 20_001])
def test_large_input_matches_small_input(n, monkeypatch):
    """≥ 20,000 texts are tagged in two halves at once: same masks as small batches."""
    base = [*_case_texts(), None, ""]
    # Unique suffixes (so no text is a copy of another) on some texts; negated phrases right
    # at the split and at the very end (an odd length pads the second half).
    texts = [
        t if i % 3 or t is None else f"{t} no {i}"
        for i, t in enumerate(base * (n // len(base) + 1))
    ]
    texts = texts[:n]
    h = (n + 1) // 2
    texts[h - 1], texts[h], texts[-1] = "gak mau ikut", "kurang setuju pak", "Saya tidak setuju"

    seen: list[int] = []
    original = tagger_module._halves

    def spy(s, expr):
        seen.append(len(s))
        return original(s, expr)

    monkeypatch.setattr(tagger_module, "_halves", spy)
    big = tag_masks(texts)
    assert max(seen) == n  # the large path was taken on the whole input
    monkeypatch.undo()

    small = np.concatenate([tag_masks(texts[i : i + 4_000]) for i in range(0, n, 4_000)])
    assert big.shape == (n,)
    np.testing.assert_array_equal(big, small)
    assert big[h - 1] == 0 and big[-1] == act_mask(["disagreement"])
    assert big[h] == act_mask(["disagreement"])
    # and the list form agrees row by row with the small path.
    assert tag_texts(pl.Series(texts)).to_list()[h - 3 : h + 3] == [
        tag(t) for t in texts[h - 3 : h + 3]
    ]


# ------------------------------------------------------------------------------------------
# explain
# ------------------------------------------------------------------------------------------


def test_explain_docstring_example():
    assert explain("Kurang setuju")[0] == ("setuju", "disagreement", "id")


@pytest.mark.parametrize(
    ("text", "act", "language"),
    [
        ("Makasih bu", "thanks", "id"),
        ("Matur nuwun", "thanks", "jv"),
        ("Hatur nuhun", "thanks", "su"),
        ("thank you", "thanks", "en"),
        ("Barakallah", "congratulation", "ar"),
        ("👍", "agreement", "emoji"),
        ("gak mau ikut", "none", "id"),
    ],
)
def test_explain_names_act_and_language(text, act, language):
    assert any(a == act and lang == language for _, a, lang in explain(text))


@pytest.mark.parametrize("text", _case_texts()[::3])
def test_explain_returns_phrase_act_language_tuples(text):
    out = explain(text)
    cues = set(lexicon().cues)
    norm = f" {squeeze(text)} "
    for item in out:
        assert isinstance(item, tuple) and len(item) == 3
        phrase, act, language = item
        assert all(isinstance(x, str) for x in item)
        if language == "model":  # an act of the n-gram model, with its probability
            assert re.match(r"model [01]\.\d\d \(", phrase) and act in ACTS  # "model 1.00" where it rounds up
            continue
        assert phrase and squeeze(phrase) == phrase and f" {phrase}" in norm
        assert act in ACTS or act in cues or act == "none"
        assert language in LANGUAGES
    # every act the tagger gives comes from a phrase explain lists (it may list more: the
    # needs/unless rules are judged after it).
    assert set(tag(text)) <= {a for _, a, _ in out}


def test_explain_of_greeting_hides_selamat():
    out = explain("selamat pagi bapak ibu")
    assert ("selamat pagi", "none", "id") in out
    assert all(a != "congratulation" for _, a, _ in out)


def test_explain_empty():
    assert explain("") == []


def test_word_lists_are_expanded_into_entries_and_patterns():
    """A ``[lists]`` list is written once: its words are an entry's (``words_from``) and a pattern's
    (``<<name>>``), so the two cannot drift apart."""
    lex = lexicon()
    assert not any("<<" in p for pats in lex.cue_patterns.values() for p in pats)
    hostile_words = {w for e in lex.entries if e.act == "hostility" for w in e.words}
    assert {"egois", "pelit", "selfish"} <= hostile_words
    assert any("egois" in p for p in lex.cue_patterns["_insult_addressed"])


def _chat_texts(n: int, seed: int) -> list[str | None]:
    """Texts as a chat repeats them: acknowledgements and placeholders many times, others once."""
    rng = np.random.default_rng(seed)
    common = ["ok", "Siap pak", "Aamiin", "🙏", "<Media omitted>", None, "Makasih bu", "Saya ikut ya", "Kurang setuju"]
    rare = [f"Ada yg bisa bantu angkat lemari no {i}?" for i in range(n // 4)] + [f"Dasar goblok kamu {i}" for i in range(5)]
    return [common[rng.integers(len(common))] if rng.random() < 0.8 else rare[rng.integers(len(rare))]
            for _ in range(n)]


def test_repeated_texts_are_tagged_once_with_the_same_acts(monkeypatch):
    """Where most texts repeat, each distinct text is tagged once and its acts given to every
    copy: the same masks as tagging every text."""
    texts = pl.Series(_chat_texts(3000, 1), dtype=pl.String)
    monkeypatch.setattr(tagger_module, "_DISTINCT_FROM", 10**9)
    each = tag_masks(texts)
    monkeypatch.setattr(tagger_module, "_DISTINCT_FROM", 0)
    assert tagger_module._distinct(texts) is not None  # the repeats are found
    np.testing.assert_array_equal(tag_masks(texts), each)
    assert each[texts.is_null().to_numpy()].tolist() == [0] * texts.null_count()


def test_hash_collisions_cost_only_time():
    """Texts whose hash collides (here every key is the same) are each compared with the first
    of their group, and those that differ are tagged on their own."""
    texts = pl.Series(["ok", "ok", "Dasar goblok kamu", None, "ok", "Makasih bu", None], dtype=pl.String)
    distinct, inverse = tagger_module._distinct(texts, keys=np.zeros(len(texts), dtype=np.uint64))
    assert distinct.gather(inverse).to_list() == texts.to_list()
    assert tagger_module._distinct(pl.Series([f"t{i}" for i in range(20)]), keys=np.arange(20)) is None  # all distinct


@pytest.mark.parametrize(("text", "expected"), [
    ("Tampiasih Kak Jun 🙏", ["thanks"]),  # Sasak
    ("Enggi pak, sakalangkong", ["thanks", "agreement"]),  # Madurese
    ("Danke banyak Ivon", ["thanks"]),  # Ambon Malay
    ("Olo pak kades 🙏", ["agreement"]),  # Gorontalo
    ("Ndek setuju tiang, sewa saja", ["disagreement"]),  # Sasak ndek 'not'
    ("Beta seng setuju kalo beli baru", ["disagreement"]),  # Ambon seng 'not'
    ("Ndek bau tiang milu Minggu, masih kerja", []),  # Sasak: I cannot join
    ("Tiang milu Minggu", ["signup"]),
    ("Slamat pagi torang samua 🙏", []),  # a greeting, not a congratulation
    ("Minta maaf Jon, tadi kita asal bicara", ["apology"]),  # Manado/Gorontalo kita 'I': no insult
])
def test_regional_words(text, expected):
    """Words of the Malay of Ambon, Gorontalo and Manado, Sasak and Madurese (sources in the
    lexicon's entries), from the twenty-ninth and thirtieth labelled sets."""
    assert tag(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Alhamdulillah 🤲", []),  # thanksgiving alone: no sympathy (the model read the prayer hands)
    ("Alhamdulillah 🙏🙏", []),
    ("Alhamdulillah, anak saya masih demam tinggi dan belum turun", ["distress"]),  # longer: no denial
    ("Pak Oji dirawat di RS mana? Mau jenguk", []),  # a visitor's question, not news of a misfortune
    ("Pak Oji dirawat di RS, mohon doanya", ["distress"]),
])
def test_a_conditional_none_denies_only_where_it_holds(text, expected):
    """An entry of no act with ``needs`` (here: a message of at most three words) denies the n-gram
    model's acts only in the messages where its condition holds."""
    assert tag(text) == expected
