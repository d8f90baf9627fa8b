"""The tagger against the blind-labelled sets, as ``bench/eval_acts.py`` scores them: a change to
the word lists or the learned stages that loses ground on any set fails here. The floors sit just
under today's scores (``docs/acts.md``); they guard against regressions and are in-sample (the
word lists were tuned on sets 1–16 and, phrase by phrase, on later ones; the learned stages are
fitted on all seventy-four), except the last test: the sets held back from all fitting, scored by
the shipped tagger (the held-out check that needs no fit; the appendix's figures are recomputed on
sets 43–54 with the stages fitted on sets 1–42 in tests/report/test_method.py)."""

from __future__ import annotations

import pytest

from helpers.labelled_acts import eval_acts as _eval_acts
from kohesi.text import act_mask

eval_acts = _eval_acts()

FLOORS = {"dev": 0.98, "held-out": 0.97, "fresh": 0.96, "third": 0.96, "fourth": 0.95, "fifth": 0.92,
          "sixth": 0.90, "seventh": 0.89, "eighth": 0.88, "ninth": 0.89, "tenth": 0.88, "eleventh": 0.91,
          "twelfth": 0.88, "thirteenth": 0.93, "fourteenth": 0.92, "fifteenth": 0.90, "sixteenth": 0.91,
          "seventeenth": 0.91, "eighteenth": 0.93, "nineteenth": 0.92, "twentieth": 0.93,
          "twenty-first": 0.92, "twenty-second": 0.90, "twenty-third": 0.95, "twenty-fourth": 0.95,
          "twenty-fifth": 0.95, "twenty-sixth": 0.92, "twenty-seventh": 0.94, "twenty-eighth": 0.95,
          "twenty-ninth": 0.91, "thirtieth": 0.90, "thirty-first": 0.91, "thirty-second": 0.90,
          "thirty-third": 0.91, "thirty-fourth": 0.90, "thirty-fifth": 0.88, "thirty-sixth": 0.87,
          "thirty-seventh": 0.88, "thirty-eighth": 0.91, "thirty-ninth": 0.89, "fortieth": 0.90,
          "forty-first": 0.90, "forty-second": 0.87, "forty-third": 0.88, "forty-fourth": 0.89,
          "forty-fifth": 0.87, "forty-sixth": 0.89, "forty-seventh": 0.92, "forty-eighth": 0.92,
          "forty-ninth": 0.94, "fiftieth": 0.92, "fifty-first": 0.93, "fifty-second": 0.89, "fifty-third": 0.90,
          "fifty-fourth": 0.91, "fifty-fifth": 0.93, "fifty-sixth": 0.92, "fifty-seventh": 0.90, "fifty-eighth": 0.90,
          "fifty-ninth": 0.92, "sixtieth": 0.90, "sixty-first": 0.88, "sixty-second": 0.90,
          "sixty-third": 0.91, "sixty-fourth": 0.90, "sixty-fifth": 0.90, "sixty-sixth": 0.89, "sixty-seventh": 0.91,
          "sixty-eighth": 0.92, "sixty-ninth": 0.95, "seventieth": 0.92, "seventy-first": 0.96,
          "seventy-second": 0.92, "seventy-third": 0.94, "seventy-fourth": 0.91}
HOSTILITY = act_mask(["hostility"])


@pytest.fixture(scope="module")
def scored():
    messages = [m for n in eval_acts.SETS for m in eval_acts.load(f"messages{n}.jsonl").values()]
    gold = {k: act_mask(v["acts"]) for n in eval_acts.SETS for k, v in eval_acts.load(f"labels{n}.jsonl").items()}
    return messages, gold, eval_acts.predict(messages)


@pytest.mark.parametrize("split", list(FLOORS))
def test_micro_f1_holds(scored, split):
    messages, gold, pred = scored
    ids = [m["id"] for m in messages if eval_acts.split_of(m["id"]) == split]
    assert len(ids) == 300
    _, micro = eval_acts.scores(gold, pred, ids)
    assert micro["f1"] >= FLOORS[split], (split, round(micro["f1"], 3))


def test_no_false_hostility(scored):
    """Hostility where the annotator saw none, on the seventy-four sets learned from: 19 of 22,200
    messages, each listed so that a new one fails here. Rebukes and retorts their annotators read as
    disagreement ("itu mah urusan lu", seventh; "Ga usah nyinyir gitu lah", thirty-ninth; "gak usah
    lebay lah", fifty-third; "Dan, jaga mulutmu", fifty-eighth; "Itu omdo namanya?", seventieth; "saya
    memang cah wingi sore … kebun saya gak becus", seventy-fourth, the writer mocking himself);
    eye-rolls and smirks at a member's excuse or conduct, read by the second stage as mockery
    ("sampahnya jalan sendiri ke kali? 🙄" and "kamu gak datang sih 😏", twenty-second; "Sebentar
    apanya … 🙄", twenty-eighth; "Alasan terus side … 🙄", fortieth; "Kau aja lah naik tangga … 🙄",
    fifty-seventh; "Wah yg 3 rumah siapa bu? 🤭", fifty-eighth, added by the second stage since it adds
    hostility above 0.85; "Coba liat depan rumah siapa … 🙄", sixty-third); banter between friends,
    which the annotators of other sets label hostility ("Koen ae, wingi menang taruhan kan 😏",
    sixty-eighth; "Wkwkwk kurang ajar kau Ucok 🤣🤣", sixty-ninth; "Diam kau lae, jangan buka aib di
    grup 😂", seventy-fourth); "kayak preman" in a joking dress-code reminder (ninth), "ribut terus"
    about the group's quarrels (twelfth) and "satpam pasar cuma tidur … 🙄" at the market's guards
    (thirty-fifth). The insults at outsiders ("Dasar ojol", "Kurang ajar itu tengkulak", "Bangsat
    emang maling jaman sekarang"), reported ("katanya aku ga becus"), taken back in an apology
    ("saya minta maaf tadi bilang bacot") or negated in praise ("Ga malu2in lah") that were here are
    gone (``_at_outsider`` and ``_insult_owned`` in ``tagger._RULED_OUT``; the negatable mockery
    entry; the refits); docs/acts.md tells which change removed which."""
    messages, gold, pred = scored
    false = [m["id"] for m in messages if pred[m["id"]] & HOSTILITY and not gold[m["id"]] & HOSTILITY]
    assert false == ["m2323", "m2949", "m3821", "m6722", "m6874", "m8433", "m10711", "m11958", "m12129",
                     "m15932", "m17204", "m17435", "m17589", "m18920", "m20455", "m20905", "m21020", "m22322",
                     "m22357"], false


def test_reserve_sets_as_scored_once():
    """Sets 75–78 (m22501–m23700), written and labelled blind in the twenty-second session and kept out
    of the sets the learned stages are fitted on: scored once by the tagger fitted on sets 1–74,
    each message read beside the messages around it, micro F1 0.869 pooled (P 0.883, R 0.855;
    docs/acts.md; the session's start tagger 0.865), 0.870 after "toke" (a crop buyer) joined the
    outsiders, 0.872 after three Javanese and Sundanese yes-words ("Nggih pak, ngapunten", "Mangga
    Teh, …", "Leres Pa RW, …") became agreement, 0.872 still after "selamat" 'safe', 🥳 and 🎂 stopped
    congratulating and "maaf" beside a rule stopped apologising, 0.8715 once a writer owning a fault
    kept the apology beside a rule.
    Held to within a point of it until they join the sets learned from."""
    assert not set(eval_acts.RESERVE) & set(eval_acts.SETS)
    got = eval_acts.reserve_scores()
    assert all(got[n]["n"] == 300 for n in eval_acts.RESERVE)
    assert got["pooled"]["f1"] >= 0.86, got["pooled"]
