"""Folds text to the form people type when they skip accents, case and Arabic diacritics.

"Næringshage", "naeringshage" and "NÆRINGSHAGE" must look alike to the classifier, and so must
"أين" and "اين". Used for token lemmas in the NLU pipeline.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that do not decompose into base letter + accent, written as people type them
# without a Nordic or French keyboard.
_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "ı": "i", "’": "'", "`": "'"}
)
# Arabic: diacritics (harakat), tatweel, and letter variants that chat writers use interchangeably.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)


def fold(text: str) -> str:
    """Lower-case, accent-free, Arabic-normalised form of `text` (same length not guaranteed)."""
    lowered = text.casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _ARABIC_MARKS.sub("", stripped).translate(_ARABIC_LETTERS)
