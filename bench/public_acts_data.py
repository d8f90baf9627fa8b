"""Loaders for public, labelled Indonesian tweet data sets used to evaluate parts of the act tagger.

The data are not in this repository (their licences are non-commercial, one forbids derivatives);
each loader reads a local copy under ``/work/data-public/`` (or ``$KOHESI_PUBLIC_DATA``), taken
unchanged from the public GitHub repositories named below (the commit is in each folder's
``COMMIT`` file, beside the repository's README and licence/citation).

``load_abusive()`` -- hostility
    Muhammad Okky Ibrohim and Indra Budi. 2019. "Multi-label Hate Speech and Abusive Language
    Detection in Indonesian Twitter". Proceedings of the Third Workshop on Abusive Language Online
    (ALW3), ACL, pp. 46-57. doi:10.18653/v1/W19-3506.
    Repository: okkyibrohim/id-multi-label-hate-speech-and-abusive-language-detection,
    file ``re_dataset.csv``. Licence stated in the repository: CC BY-NC-SA 4.0.
    13,169 tweets; HS (hate speech) 5,561, Abusive 5,043 (both 3,295, neither 5,860). Hate-speech
    rows also carry exactly one target (individual/group), one level (weak/moderate/strong) and one
    or more categories (religion, race, physical, gender, other). "Abusive" means abusive/offensive
    words (profanity, insults) whether or not aimed at anyone; "HS" means hate speech towards an
    individual or group, with or without abusive words. Neither is exactly the tagger's
    "hostility"; ``abusive & hs_individual`` is the closest to "an insult aimed at someone".

``load_abusive_3class()`` -- profanity aimed at someone versus not
    Muhammad Okky Ibrohim and Indra Budi. 2018. "A Dataset and Preliminaries Study for Abusive
    Language Detection in Indonesian Social Media". Procedia Computer Science 135: 222-229.
    doi:10.1016/j.procs.2018.08.169. Repository: okkyibrohim/id-abusive-language-detection, file
    ``re_dataset_three_labels.csv``. Licence stated in the repository: CC BY-NC-SA 4.0.
    2,016 tweets: 1 not abusive (331), 2 abusive but not offensive (1,090), 3 offensive (595).
    1,981 of its texts are also in ``re_dataset.csv`` above (same texts, same preprocessing).

``load_emotion()`` -- sympathy/distress/congratulation proxies, and false-positive checks
    Mei Silviana Saputri, Rahmad Mahendra and Mirna Adriani. 2018. "Emotion Classification on
    Indonesian Twitter Dataset". International Conference on Asian Language Processing (IALP 2018),
    IEEE, pp. 90-95. doi:10.1109/IALP.2018.8629262. Repository:
    meisaputri21/Indonesian-Twitter-Emotion-Dataset, file ``Twitter_Emotion_Dataset.csv``.
    Licence stated in the repository: CC BY-NC-SA 4.0.
    4,403 tweets (after repairing one broken CSV record, below): anger 1,102, happy 1,017,
    sadness 998, fear 649, love 637 (12 rows repeat a text, one of them under another label).

``load_emotion_opinion()`` -- the same, with a neutral class
    Riccosan, Karen E. S., Galih D. P. and Andry Chowanda (as the README names them). 2022.
    "Emotion dataset from Indonesian public opinion". Data in Brief 43: 108465.
    doi:10.1016/j.dib.2022.108465.
    Repository: Ricco48/Emotion-Dataset-from-Indonesian-Public-Opinion, folder
    ``Emotion Dataset from Indonesian Public Opinion/`` (one tab-separated file per label).
    Licence stated in the repository: CC BY-NC-ND 4.0 (no derivatives: do not redistribute a
    modified copy). 7,105 rows: neutral 2,002, joy 1,275, anger 1,135, sad 1,022, fear 911,
    love 760 (the README says 7,080; the files hold 25 more). 63 rows repeat a text; 11 texts
    appear under two labels.

Preprocessing the data sets applied (it matters to a lexicon tagger)
    Ibrohim & Budi (both): every @mention is the token ``USER`` (16k occurrences; a retweet starts
    ``RT USER:``, many replies start ``USER USER``) and every link is ``URL``; case is kept;
    hashtags are kept with their ``#``. The tweets were stored as Python ``bytes`` reprs: about half
    end with a stray ``'``, newlines are the two characters ``\\n``, an apostrophe may be ``\\'``,
    and emoji and typographic punctuation are the literal text ``\\xf0\\x9f\\x98\\x82`` (1.4k
    tweets), some truncated mid-character. ``re_dataset.csv`` is not valid UTF-8: in ~340 tweets
    a multi-byte character (mostly emoji) lost its continuation bytes, which became ``?`` (e.g.
    ``\\xf0???``). HTML entities (``&amp;``) are left escaped. 146 rows repeat an earlier text
    (157 after cleaning); 21 repeated texts carry different labels in different rows. The
    repository also ships an abusive-word list (``abusive.csv``) and a slang normalisation
    dictionary (``new_kamusalay.csv``), not used here.
    Saputri et al.: mentions are ``[USERNAME]``, links ``[URL]``, phone/invoice/tracking numbers
    ``[SENSITIVE-NO]``; case, hashtags and ASCII emoticons are kept; the file is pure ASCII, so
    there are no emoji.
    One record (line 1951) swallowed the next two tweets (an "anger" and a "sadness" tweet, still
    in the older ``label;text`` form) inside its quotes; ``load_emotion`` splits them back out.
    Riccosan et al.: lowercased (17 rows still hold a capital); mentions, URLs, hashtags,
    emoticons and "non-emotion symbols" removed outright (no placeholder), so e.g.
    "terima kasih @budi" would read just "terima kasih".

With ``clean=True`` (the default) the Ibrohim & Budi loaders undo the storage artefacts only: the
``\\xNN`` runs are decoded to the characters they spell, ``\\n`` becomes a newline, ``\\'`` and
``\\/`` lose their backslash, one trailing ``'`` is dropped, HTML entities are unescaped, and the
U+FFFD-plus-``?`` remains of broken characters are removed (a genuine ``?`` right after a broken
emoji goes with them). ``USER``/``URL`` and case are kept; ``mask_placeholders`` turns them into
the Saputri-style ``[USERNAME]``/``[URL]`` or removes them. ``text_raw`` keeps the file's text.
Every loader returns ``id``: the row's 0-based position in its source file after the header (for
``load_emotion`` in the repaired sequence, so ids after 1950 are the file's row plus 2; for
``load_emotion_opinion`` the position within that label's file).

    python bench/public_acts_data.py        # print sizes and label counts of what is present
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import polars as pl

ROOT = Path(os.environ.get("KOHESI_PUBLIC_DATA", "/work/data-public"))
ABUSIVE_CSV = ROOT / "id-multi-label-hate-speech-and-abusive-language-detection" / "re_dataset.csv"
ABUSIVE_3CLASS_CSV = ROOT / "id-abusive-language-detection" / "re_dataset_three_labels.csv"
EMOTION_CSV = ROOT / "Indonesian-Twitter-Emotion-Dataset" / "Twitter_Emotion_Dataset.csv"
EMOTION_OPINION_DIR = ROOT / "Emotion-Dataset-from-Indonesian-Public-Opinion"

_HS_COLUMNS = {
    "HS_Individual": "hs_individual",
    "HS_Group": "hs_group",
    "HS_Religion": "hs_religion",
    "HS_Race": "hs_race",
    "HS_Physical": "hs_physical",
    "HS_Gender": "hs_gender",
    "HS_Other": "hs_other",
    "HS_Weak": "hs_weak",
    "HS_Moderate": "hs_moderate",
    "HS_Strong": "hs_strong",
}
_EMOTIONS = ("anger", "happy", "sadness", "love", "fear")
_OPINION_FILES = ("Anger", "Fear", "Joy", "Love", "Neutral", "Sad")

_BYTE_RUN = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_BROKEN_CHAR = re.compile(r"\ufffd+\?{0,3}")
_PLACEHOLDER = re.compile(r"\b(USER|URL)\b")


def _bytes_run(m: re.Match[str]) -> str:
    raw = bytes(int(m.group(0)[i + 2 : i + 4], 16) for i in range(0, len(m.group(0)), 4))
    return raw.decode("utf-8", errors="ignore")


def clean_ibrohim(text: str) -> str:
    """Undo the storage artefacts of the Ibrohim & Budi tweets (see the module docstring)."""
    if text.endswith("'") and not text.endswith("\\'"):
        text = text[:-1]
    text = _BYTE_RUN.sub(_bytes_run, text)
    text = text.replace("\\n", "\n").replace("\\r", "").replace("\\'", "'").replace("\\/", "/")
    text = _BROKEN_CHAR.sub("", text)
    return html.unescape(text).strip()


def mask_placeholders(text: str, style: str = "bracket") -> str:
    """``USER``/``URL`` to ``[USERNAME]``/``[URL]`` (style "bracket") or to nothing ("drop")."""
    if style == "drop":
        text = _PLACEHOLDER.sub("", re.sub(r"^RT USER:\s*", "", text))
        return re.sub(r"[ \t]{2,}", " ", text).strip()
    return _PLACEHOLDER.sub(lambda m: "[USERNAME]" if m.group(1) == "USER" else "[URL]", text)


def _ibrohim_text(df: pl.DataFrame, clean: bool) -> pl.DataFrame:
    df = df.rename({"Tweet": "text_raw"}).with_row_index("id")
    text = pl.col("text_raw")
    if clean:
        text = text.map_elements(clean_ibrohim, return_dtype=pl.String)
    return df.with_columns(text.alias("text"))


def load_abusive(path: str | Path | None = None, *, clean: bool = True) -> pl.DataFrame:
    """Ibrohim & Budi (2019) multi-label hate speech / abusive language, 13,169 tweets.

    Columns: id, text, abusive, hate, hs_individual, hs_group (the target), hs_religion, hs_race,
    hs_physical, hs_gender, hs_other (the category), hs_weak, hs_moderate, hs_strong (the level),
    all booleans (the hs_* are false wherever hate is false), and text_raw.
    """
    # not valid UTF-8 (bytes lost to "?"): read lossily, the damage becomes U+FFFD
    df = pl.read_csv(
        path or ABUSIVE_CSV, encoding="utf8-lossy", schema_overrides={"Tweet": pl.String}
    )
    df = _ibrohim_text(df, clean)
    flags = [
        pl.col("Abusive").cast(pl.Boolean).alias("abusive"),
        pl.col("HS").cast(pl.Boolean).alias("hate"),
    ]
    flags += [pl.col(src).cast(pl.Boolean).alias(dst) for src, dst in _HS_COLUMNS.items()]
    return df.select("id", "text", *flags, "text_raw")


def load_abusive_3class(path: str | Path | None = None, *, clean: bool = True) -> pl.DataFrame:
    """Ibrohim & Budi (2018), 2,016 tweets: 1 not abusive, 2 abusive not offensive, 3 offensive.

    Columns: id, text, label (1/2/3), label_name ("not_abusive", "abusive", "offensive"),
    abusive (label >= 2), offensive (label == 3), text_raw.
    """
    df = pl.read_csv(
        path or ABUSIVE_3CLASS_CSV, encoding="utf8-lossy", schema_overrides={"Tweet": pl.String}
    )
    df = _ibrohim_text(df, clean)
    label = pl.col("Label").cast(pl.Int8)
    name = label.replace_strict(
        {1: "not_abusive", 2: "abusive", 3: "offensive"}, return_dtype=pl.String
    )
    return df.select(
        "id",
        "text",
        label.alias("label"),
        name.alias("label_name"),
        (label >= 2).alias("abusive"),
        (label == 3).alias("offensive"),
        "text_raw",
    )


def _split_swallowed(label: str, text: str) -> list[tuple[str, str]]:
    # one quoted field holds "<tweet>\nanger;<tweet>\nsadness;<tweet>\"" (old semicolon format)
    parts = re.split(r"\n(?=(?:" + "|".join(_EMOTIONS) + r");)", text)
    out = [(label, parts[0])]
    for part in parts[1:]:
        lab, _, body = part.partition(";")
        if body.endswith('"') and not body.startswith('"'):
            body = body[:-1]
        out.append((lab, body.replace('""', '"')))
    return out


def load_emotion(path: str | Path | None = None, *, repair: bool = True) -> pl.DataFrame:
    """Saputri, Mahendra & Adriani (2018) Indonesian Twitter emotion, 4,403 tweets.

    Columns: id, text, label ("anger", "happy", "sadness", "love", "fear"). With repair=False the
    file is returned as parsed (4,401 rows, one holding three tweets).
    """
    df = pl.read_csv(path or EMOTION_CSV, schema_overrides={"tweet": pl.String, "label": pl.String})
    if repair:
        rows = [
            r
            for lab, txt in df.select("label", "tweet").iter_rows()
            for r in _split_swallowed(lab, txt)
        ]
        df = pl.DataFrame(rows, schema={"label": pl.String, "tweet": pl.String}, orient="row")
    df = df.with_row_index("id").with_columns(pl.col("tweet").str.strip_chars().alias("text"))
    return df.select("id", "text", "label")


def load_emotion_opinion(path: str | Path | None = None) -> pl.DataFrame:
    """Riccosan et al. (2022) Indonesian public-opinion emotion, 7,105 lowercased tweets.

    Columns: id (row within its label's file), text, label ("anger", "fear", "joy", "love",
    "neutral", "sad"). path is the folder holding AngerData.csv ... SadData.csv.
    """
    folder = Path(path or EMOTION_OPINION_DIR)
    frames = []
    for name in _OPINION_FILES:
        # tab-separated; quotes are literal text, not CSV quoting
        df = pl.read_csv(
            folder / f"{name}Data.csv",
            separator="\t",
            quote_char=None,
            schema_overrides={"Tweet": pl.String, "Label": pl.String},
        )
        frames.append(
            df.with_row_index("id").select(
                "id",
                pl.col("Tweet").str.strip_chars().alias("text"),
                pl.col("Label").str.strip_chars().str.to_lowercase().alias("label"),
            )
        )
    return pl.concat(frames)


def _summary() -> None:
    with pl.Config(tbl_rows=20):
        for name, load, cols in (
            ("abusive", load_abusive, ["abusive", "hate", *_HS_COLUMNS.values()]),
            ("abusive_3class", load_abusive_3class, ["abusive", "offensive"]),
            ("emotion", load_emotion, []),
            ("emotion_opinion", load_emotion_opinion, []),
        ):
            try:
                df = load()
            except (FileNotFoundError, OSError) as err:
                print(f"{name}: not available ({err})")
                continue
            print(f"{name}: {df.height} rows")
            if cols:
                print(df.select(pl.col(cols).sum()))
            else:
                print(df["label"].value_counts(sort=True))


if __name__ == "__main__":
    _summary()
