"""Text folding and word stems: the one way every layer compares text people type.

*Folding* makes "Næringshage", "naeringshage" and "NÆRINGSHAGE" alike, and "أين" and "اين":
lower case, accents and Arabic vowel marks stripped, Nordic and ligature letters spelt out
(ø→o, æ→ae, å→a, œ→oe, ß→ss), Arabic letter variants unified, punctuation turned into spaces.
Names, the intent classifier, the language detector's lexicon and the question bank all use it.

*Stems* come from Snowball (``snowballstemmer``) in the text's language, for ranking sentences
and matching words across inflections ("søknader"/"søknad", "organisations"/"organisation").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "ı": "i",
        "’": "'",
        "`": "'",
        "ـ": "",  # Arabic tatweel
        "ٱ": "ا",  # Arabic alef wasla (the hamza forms decompose by themselves)
        "ى": "ي",  # Arabic letters chat writers use interchangeably
        "ة": "ه",
    }
)
_NON_WORD = re.compile(r"[^\w]+|_+")
# Accents and Arabic vowel marks, removed after NFKD (hamza and madda decompose into marks too).
_COMBINING = {cp: None for cp in range(0x0300, 0x10000) if unicodedata.combining(chr(cp))}


def fold(text: str) -> str:
    """Fold a text for comparison: case, accents, special letters, punctuation, spacing."""
    if text.isascii():
        return " ".join(_NON_WORD.sub(" ", text.lower()).split())
    text = unicodedata.normalize("NFKC", text).translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_COMBINING)
    return " ".join(_NON_WORD.sub(" ", text.replace("'", " ")).split())


#: Snowball's stemmer name per content language.
_SNOWBALL = {
    "en": "english",
    "fr": "french",
    "nb": "norwegian",
    "nl": "dutch",
    "sv": "swedish",
    "ar": "arabic",
}


_LOCAL = threading.local()


#: Arabic writes its conjunctions, prepositions and article on the word ("والجديدة" is "and the
#: new" of "جديدة"); folded, as `fold` leaves them
_ARABIC_PROCLITICS = "(?:[وف])?(?:[بلك])?(?:ال|ل)?"
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def has_phrase(folded_text: str, folded_phrase: str) -> bool:
    """Whether a folded phrase stands in a folded text as whole words; an Arabic phrase also
    with the particles written on its first word ("ومجموع" holds "مجموع")."""
    if not folded_phrase:
        return False
    padded = f" {folded_text} "
    if f" {folded_phrase} " in padded:
        return True
    if _ARABIC_LETTER.match(folded_phrase):
        pattern = rf"(?<= ){_ARABIC_PROCLITICS}{re.escape(folded_phrase)}(?= )"
        return re.search(pattern, padded) is not None
    return False


def _stemmer(lang: str):
    """This thread's stemmer for ``lang``: Snowball's stemmers keep their word in the object,
    so two threads must never share one."""
    stemmers = getattr(_LOCAL, "stemmers", None)
    if stemmers is None:
        stemmers = _LOCAL.stemmers = {}
    if lang not in stemmers:
        stemmers[lang] = snowballstemmer.stemmer(_SNOWBALL[lang])
    return stemmers[lang]


def stem_words(words: list[str], lang: str) -> list[str]:
    """Snowball stems of folded words in ``lang`` (words of an unknown language unchanged)."""
    if lang not in _SNOWBALL:
        return list(words)
    return [_stem(lang, word) for word in words]


@lru_cache(maxsize=1 << 17)
def _stem(lang: str, word: str) -> str:
    """One word's stem, remembered: the same sentences are stemmed for every question, and
    Snowball's pure-Python stemmers cost about a tenth of a millisecond a word."""
    return _stemmer(lang).stemWord(word)
