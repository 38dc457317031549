"""Language of one chat message.

Short chat messages ("takk", "merci", "hvem kan søke") are where statistical detectors fail, so the
detector combines three measured pieces (see bench/langid_bench.py and bench/data/langid/README.md):

* the script: no letters -> ``und``; Arabic letters -> Arabic;
* lingua (n-gram models, high-accuracy mode) restricted to the supported languages plus the
  neighbours people confuse them with (Danish, German), widened to more languages for messages of
  three words or more so that an unsupported language can be recognised;
* a small curated lexicon of frequent chat words per language (lexicon/<code>.txt) that tips the
  balance on one- and two-word messages.

``reliable`` says whether the message is long and clear enough to switch a conversation's language;
a one- or two-word message never is.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from lingua import Language, LanguageDetectorBuilder

from bot.language.codes import SUPPORTED, UNDETERMINED, normalise
from bot.language.names import NameMask
from knowledge.text import fold

__all__ = ["Detection", "Settings", "Detector", "detect", "get_detector"]


@dataclass(frozen=True)
class Detection:
    """Result for one message: ISO 639-1 code (or ``und``), confidence 0..1, and ``reliable``."""

    code: str
    confidence: float
    reliable: bool

    def as_dict(self) -> dict:
        return {"code": self.code, "confidence": self.confidence, "reliable": self.reliable}


@dataclass(frozen=True)
class Settings:
    """Tuning knobs, chosen on the development set (bench/data/langid/dev)."""

    lexicon_weight: float = 3.0  # log-boost per token found in a language's chat lexicon
    folded_weight: float = 0.5  # share of that boost for a match after removing accents
    lingua_floor: float = 0.3  # added to lingua's share of a lexicon language: lets it outvote
    neighbour_prior: float = 0.5  # prior of da/de/… against supported languages, 1–2 words
    lexicon_max_words: int = 6  # the lexicon only votes on messages this short
    lexicon_min_coverage: float = 0.5  # share of known words that overrules lingua's other pick
    wide_min_words: int = 3  # from this length on, unsupported languages are considered too
    wide_below_confidence: float = 0.8  # ... when the core languages do not explain the text well
    max_chars: int = 1000  # only the start of a very long text is examined
    reliable_min_words: int = 3
    reliable_min_confidence: float = 0.6
    reliable_margin_min_words: int = 5  # from this length on, a clear lead is enough:
    reliable_margin: float = 4.0  # best score at least this many times the runner-up's


# Languages lingua weighs for every Latin-script message: supported ones and close neighbours.
_CORE = (
    Language.ENGLISH,
    Language.FRENCH,
    Language.BOKMAL,
    Language.NYNORSK,
    Language.DUTCH,
    Language.SWEDISH,
    Language.DANISH,
    Language.GERMAN,
)
# Extra Latin-script languages for longer messages, so "¿quién puede participar en la
# convocatoria?" is recognised as unsupported Spanish instead of being forced onto French.
_WIDE_EXTRA = (
    Language.SPANISH,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.FINNISH,
    Language.ICELANDIC,
    Language.POLISH,
    Language.TURKISH,
    Language.AFRIKAANS,
)
_WIDE_CODES = frozenset(language.iso_code_639_1.name.lower() for language in _WIDE_EXTRA)
_ARABIC_SCRIPT = (Language.ARABIC, Language.PERSIAN, Language.URDU)
# Other scripts: loaded lazily, only when such a message arrives.
_OTHER_SCRIPTS = (
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.BULGARIAN,
    Language.SERBIAN,
    Language.GREEK,
    Language.HEBREW,
    Language.CHINESE,
    Language.JAPANESE,
    Language.KOREAN,
    Language.HINDI,
    Language.THAI,
)
_LEXICON_LANGS = ("en", "fr", "nb", "nl", "sv", "ar", "da", "de")

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_CHAR = re.compile("[A-Za-z\u00c0-\u024f]")
# Letters of Persian and Urdu that Arabic does not use: only then is Arabic script not Arabic.
_NOT_ARABIC_LETTER = re.compile("[پچژگکیٹڈڑںہےۓ]")


def _code(language: Language) -> str:
    return normalise(language.iso_code_639_1.name)


def _load_lexicon() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """word -> languages, exactly and accent-folded, from the lexicon/<code>.txt data files."""
    exact: dict[str, set[str]] = defaultdict(set)
    folded: dict[str, set[str]] = defaultdict(set)
    folder = resources.files("bot.language") / "lexicon"
    for code in _LEXICON_LANGS:
        text = (folder / f"{code}.txt").read_text(encoding="utf-8")
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            for word in line.split():
                exact[word.lower().replace("’", "'")].add(code)
                folded[fold(word)].add(code)
    return dict(exact), dict(folded)


def _is_proper_name(token: str, index: int) -> bool:
    """Capitalised inside a sentence, or written in capitals: a name, not a word of the text."""
    return (index > 0 and token[:1].isupper()) or (len(token) > 1 and token.isupper())


def _is_name_like(token: str) -> bool:
    return token[:1].isupper() or any(ch.isupper() for ch in token[1:])


class Detector:
    """Loads the models once; ``detect`` is then thread-safe and takes well under a millisecond."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._core = (
            LanguageDetectorBuilder.from_languages(*_CORE).with_preloaded_language_models().build()
        )
        # Only asked whether a message of three words or more is in a language outside the core
        # set; lingua's low-accuracy models (trigrams only) tell that for a fraction of the
        # memory and start-up time of the high-accuracy ones (measured: 579 -> 352 MiB).
        self._wide = (
            LanguageDetectorBuilder.from_languages(*_CORE, *_WIDE_EXTRA)
            .with_low_accuracy_mode()
            .build()
        )
        self._arabic = (
            LanguageDetectorBuilder.from_languages(*_ARABIC_SCRIPT)
            .with_preloaded_language_models()
            .build()
        )
        self._other = LanguageDetectorBuilder.from_languages(*_OTHER_SCRIPTS).build()
        self._exact, self._folded = _load_lexicon()

    # -- pieces -------------------------------------------------------------------------------
    def lexicon_hits(self, tokens: list[str]) -> dict[str, float]:
        """Per language: how many tokens are chat words of that language (accent-less = part)."""
        hits: dict[str, float] = defaultdict(float)
        for token in tokens:
            if len(token) < 2:
                continue  # "a", "i", "y", "u": a letter is a word in too many languages
            key = token.lower().replace("’", "'")
            parts = [key, *re.split(r"['\-]", key)] if ("'" in key or "-" in key) else [key]
            exact: set[str] = set()
            for part in parts:
                exact |= self._exact.get(part, set())
            for code in exact:
                hits[code] += 1.0
            folded: set[str] = set()
            for part in parts:
                folded |= self._folded.get(fold(part), set())
            for code in folded - exact:
                hits[code] += self.settings.folded_weight
        return dict(hits)

    def _lingua(self, text: str, n_words: int) -> dict[str, float]:
        scores = self._confidences(self._core, text)
        if n_words >= self.settings.wide_min_words:
            code, value = max(scores.items(), key=lambda item: item[1])
            if code not in SUPPORTED or value < self.settings.wide_below_confidence:
                wide = self._confidences(self._wide, text)
                if max(wide, key=wide.__getitem__) in _WIDE_CODES:
                    return wide  # a language outside the core set: "¿quién puede participar?"
        return scores

    @staticmethod
    def _confidences(detector, text: str) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        for value in detector.compute_language_confidence_values(text):
            scores[_code(value.language)] += value.value  # Nynorsk adds to Bokmål
        return dict(scores)

    # -- the decision -------------------------------------------------------------------------
    def detect(self, text: str, names: NameMask | None = None) -> Detection:
        """The language of ``text``; ``names``: the proper names the knowledge base knows,
        which say nothing of the language the person writes in."""
        s = self.settings
        # A chat message shows its language in its first lines; a pasted document must not
        # cost a second of every worker's time.
        cleaned = _URL.sub(" ", (text or "")[: s.max_chars])
        tokens = _WORD.findall(cleaned)
        if not tokens:
            return Detection(UNDETERMINED, 1.0, False)
        if names is not None:
            # "Næringshage Nord up in Troms …": the words around known names are the message's
            # language (when at least two are left to judge).
            flags = names.flags(tokens)
            kept = [token for token, named in zip(tokens, flags, strict=True) if not named]
            if len(kept) >= 2 and len(kept) < len(tokens):
                tokens, cleaned = kept, " ".join(kept)
        arabic_words = [t for t in tokens if _ARABIC_CHAR.search(t)]
        if len(arabic_words) >= 2 and len(arabic_words) < len(tokens):
            # An Arabic sentence quoting French or Norwegian terms ("la date limite ديال
            # l'appel"): the Arabic words are the sentence; Latin-script quotes are common in
            # Arabic chat, the reverse is not.
            tokens, cleaned = arabic_words, " ".join(arabic_words)
        words = [token for index, token in enumerate(tokens) if not _is_proper_name(token, index)]
        if words and len(words) < len(tokens):
            # Names of hubs and places ("Næringshagen på Voss", "INNOV'EUROMETROPOLIS") say
            # nothing about the language the person writes in: judge the other words.
            tokens, cleaned = words, " ".join(words)
        n_words = len(tokens)
        letters = "".join(tokens)
        arabic = len(_ARABIC_CHAR.findall(letters))
        latin = len(_LATIN_CHAR.findall(letters))
        if arabic >= latin and arabic >= len(letters) / 2:
            return self._detect_arabic(" ".join(tokens), n_words, arabic / len(letters))
        if latin < len(letters) / 2:
            return self._detect_other_script(cleaned, n_words)

        hits = self.lexicon_hits(tokens) if n_words <= s.lexicon_max_words else {}
        if n_words <= 2 and not hits and all(_is_name_like(t) for t in tokens):
            # Only proper names ("Voss", "DigiHub"): they carry no language of their own.
            return Detection(UNDETERMINED, 0.5, False)

        lingua = self._lingua(cleaned, n_words)
        if hits and max(lingua, key=lingua.__getitem__) not in _LEXICON_LANGS:
            # lingua sees a language the lexicon cannot speak for: unless most words are chat
            # words of ours, trust it ("¿quién puede participar en la convocatoria?" is not French).
            known = sum(1 for t in tokens if self.lexicon_hits([t]))
            if known < s.lexicon_min_coverage * n_words:
                hits = {}
        scores: dict[str, float] = {}
        for code in set(lingua) | set(hits):
            prior = 1.0 if code in SUPPORTED or n_words > 2 else s.neighbour_prior
            hit = hits.get(code, 0.0)
            base = lingua.get(code, 0.0) + (s.lingua_floor if hit else 0.0)
            scores[code] = base * prior * math.exp(s.lexicon_weight * hit)
        total = sum(scores.values())
        if total <= 0.0:  # letters no model knows ("ǅ")
            return Detection(UNDETERMINED, 0.5, False)
        ranked = sorted(scores.values(), reverse=True)
        code = max(scores, key=scores.__getitem__)
        confidence = round(ranked[0] / total, 4)
        runner_up = ranked[1] if len(ranked) > 1 else 0.0
        return Detection(
            code, confidence, self._reliable(n_words, confidence, ranked[0], runner_up)
        )

    def _reliable(
        self, n_words: int, confidence: float, best: float = 1.0, runner_up: float = 0.0
    ) -> bool:
        """Long enough, and either confident or far ahead of the next language: in a long
        sentence lingua spreads a little weight over many languages, which lowers the share of
        the clear winner without making it less clear."""
        s = self.settings
        if n_words < s.reliable_min_words:
            return False
        ahead = n_words >= s.reliable_margin_min_words and best >= s.reliable_margin * runner_up
        return confidence >= s.reliable_min_confidence or ahead

    def _detect_arabic(self, text: str, n_words: int, share: float) -> Detection:
        if n_words < self.settings.wide_min_words or not _NOT_ARABIC_LETTER.search(text):
            # Arabic script without Persian/Urdu letters, or too short to tell them apart.
            return Detection("ar", round(share, 4), self._reliable(n_words, share))
        values = self._arabic.compute_language_confidence_values(text)
        if not values or values[0].value <= 0.0:
            return Detection("ar", round(share, 4), False)
        top = values[0]
        confidence = round(top.value * share, 4)
        return Detection(_code(top.language), confidence, self._reliable(n_words, confidence))

    def _detect_other_script(self, text: str, n_words: int) -> Detection:
        values = self._other.compute_language_confidence_values(text)
        if not values or values[0].value <= 0.0:  # symbols that look like letters ("ⅫⅫ")
            return Detection(UNDETERMINED, 0.5, False)
        top = values[0]
        confidence = round(top.value, 4)
        return Detection(_code(top.language), confidence, self._reliable(n_words, confidence))


_default: Detector | None = None
_lock = threading.Lock()


def get_detector() -> Detector:
    """The process-wide detector; built on first use (about a second), then shared."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Detector()
    return _default


def detect(text: str, names: NameMask | None = None) -> Detection:
    """Detect the language of one message with the shared detector."""
    return get_detector().detect(text, names)
