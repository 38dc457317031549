"""Words that tell what a message is about: kinds of record, what is counted, which role.

`actions/vocabulary/<lang>.yml` lists, per language, the words that name a kind of record
("call", "utlysning", "appel à projets", "دعوة"), the things a "how many" question counts and
the roles a "who" question asks about. A message is matched against the words of all six
languages at once (people mix languages, and a detection can be wrong), on folded text as whole
words; a single word also matches by its Snowball stem in the word list's language, and a
compound ending in one ("clusteroproep", "klyngeutlysningen") names its kind too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from knowledge.languages import SUPPORTED
from knowledge.names import stopwords
from knowledge.text import fold, has_phrase, stem_words

VOCABULARY_DIR = Path(__file__).with_name("vocabulary")
SECTIONS = ("kinds", "figures", "roles")  # and the lists `counting`, `persons`, `how_much` …


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[str, dict[str, set[str]]]  # section -> folded phrase -> keys
    stems: dict[str, dict[tuple[str, str], set[str]]]  # section -> (lang, stem) -> keys
    longest: dict[str, int]  # section -> words of its longest phrase


@cache
def _phrases(section: str) -> tuple[str, ...]:
    """The folded phrases of a list section (`counting`, `persons`), longest first."""
    found: set[str] = set()
    for lang in SUPPORTED:
        data = yaml.safe_load((VOCABULARY_DIR / f"{lang}.yml").read_text(encoding="utf-8"))
        found.update(fold(str(phrase)) for phrase in data.get(section) or [])
    return tuple(sorted(found - {""}, key=len, reverse=True))


def points_to_a_person(text: str) -> bool:
    """The message refers back to a person ("he", "elle", "han", "هو")."""
    padded = f" {fold(text)} "
    for phrase in _phrases("not_persons"):
        padded = padded.replace(f" {phrase} ", " ")
    return any(f" {word} " in padded for word in _phrases("persons"))


def _says_any(section: str, text: str) -> bool:
    folded = fold(text)
    return any(has_phrase(folded, phrase) for phrase in _phrases(section))


def asks_for_members(text: str) -> bool:
    """The message asks what a group brings together ("what kind of people does it gather?")."""
    return _says_any("members_asked", text)


def asks_which(text: str) -> bool:
    """The message asks which ones ("hvilke", "welke", "quels")."""
    return _says_any("which_asked", text)


def asks_where(text: str) -> bool:
    """The message asks where ("in welk gebied", "على أي منطقة", "var ligger")."""
    return _says_any("location_asked", text)


def asks_who(text: str) -> bool:
    """The message asks who ("hvem", "wie", "شكون"), not what."""
    return _says_any("who_asked", text)


def asks_who_is_in(text: str) -> bool:
    """The message asks who a group it names is made of ("who sits on the desks?", "wie zit
    er in die desks?"), not which ones there are."""
    return _says_any("who_is_in", text)


def asks_for_amount(text: str) -> bool:
    """The message asks for money, not for how long, even where it names a duration ("how
    much does Québec put into the poles over four years?")."""
    if _says_any("total", text):
        return True
    if _says_any("how_long", text):
        return False
    return _says_any("how_much", text) or "money" in _found("figures", text)


def purpose_cues(text: str) -> str:
    """For a message that asks what something is for ("the idea behind", "l'objectif de",
    "poenget med", "الغاية من"), the words sentences of aims use ("aims to", "vise à", "skal"),
    to be added to the words it is matched with; "" for any other message."""
    if not _says_any("purpose_asked", text):
        return ""
    return " ".join(_phrases("purpose_said"))


def location_cues() -> str:
    """The words sentences that say where something is or works use ("border area",
    "grondgebied", "المنطقة"), to be matched beside a question of where."""
    return " ".join(_phrases("location_said"))


def counted_words(text: str, span: int = 3) -> str:
    """The words right after "how many" / "combien de" / "hvor mange" …: what is counted
    ("how many applications did Siva get" → "applications did siva"); "" when none."""
    padded = f" {fold(text)} "
    for phrase in _phrases("counting"):
        at = padded.find(f" {phrase} ")
        if at >= 0:
            # "how many of these regional hubs": the fillers are not what is counted
            following = [w for w in padded[at + len(phrase) + 2 :].split() if w not in stopwords()]
            return " ".join(following[:span])
    return ""


@cache
def _lexicon() -> _Lexicon:
    phrases: dict[str, dict[str, set[str]]] = {s: defaultdict(set) for s in SECTIONS}
    stems: dict[str, dict[tuple[str, str], set[str]]] = {s: defaultdict(set) for s in SECTIONS}
    stop = stopwords()
    for lang in SUPPORTED:
        path = VOCABULARY_DIR / f"{lang}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section in SECTIONS:
            for key, words in (data.get(section) or {}).items():
                for word in words:
                    folded = fold(str(word))
                    if not folded:
                        continue
                    phrases[section][folded].add(key)
                    stem = stem_words([folded], lang)[0] if " " not in folded else ""
                    if stem and stem not in stop:  # "overheid" stems to "over", a preposition
                        stems[section][(lang, stem)].add(key)
    longest = {s: max((len(p.split()) for p in v), default=1) for s, v in phrases.items()}
    return _Lexicon(
        {s: dict(v) for s, v in phrases.items()}, {s: dict(v) for s, v in stems.items()}, longest
    )


def _found(section: str, text: str) -> dict[str, int]:
    """Keys of ``section`` named in ``text``, each with the number of words that named it."""
    lexicon = _lexicon()
    words = fold(text).split()
    phrases = lexicon.phrases[section]
    found: dict[str, int] = defaultdict(int)
    grams = {
        " ".join(words[i : i + n])
        for n in range(1, lexicon.longest[section] + 1)
        for i in range(len(words) - n + 1)
    }
    for phrase in grams & phrases.keys():
        for key in phrases[phrase]:
            found[key] += len(phrase.split())
    stems = lexicon.stems[section]
    stemmed = [w for w in words if w not in _phrases("not_kind_words")]  # "called" ≠ "call"
    for lang in SUPPORTED:
        for stem in set(stem_words(stemmed, lang)):
            for key in stems.get((lang, stem), ()):
                found[key] = max(found[key], 1)
    for word in words:
        split = compound_head(section, word)
        if split is not None:
            for key in lexicon.phrases[section][split[1]]:
                found[key] = max(found[key], 1)
    return dict(found)


#: a compound's head word may carry this many letters of inflection ("utlysning-en", "oproep-en")
_INFLECTION = 3
#: the shortest modifier and head a compound is split into
_COMPOUND_PART = 4
#: kinds too vague to be named by a compound's head ("huvudkontor" is not an office record)
_VAGUE_HEADS = frozenset({"other"})


def compounds_named(text: str) -> list[tuple[str, str]]:
    """(modifier, kind) of each compound of the message that ends in a kind word:
    "de clusteroproep" → [("cluster", "call")]."""
    found = []
    for word in fold(text).split():
        split = compound_head("kinds", word)
        if split is not None:
            found.extend((split[0], key) for key in sorted(_lexicon().phrases["kinds"][split[1]]))
    return found


def compound_head(section: str, word: str) -> tuple[str, str] | None:
    """(modifier, head) of a compound whose last part is a word of ``section``, longest head
    first: "clusteroproep" → ("cluster", "oproep"); None for a word that is not one."""
    phrases = _lexicon().phrases[section]
    if word in phrases:
        return None
    for start in range(_COMPOUND_PART, len(word) - _COMPOUND_PART + 1):
        for end in range(len(word), max(start + _COMPOUND_PART, len(word) - _INFLECTION) - 1, -1):
            head = word[start:end]
            if head in phrases and len(head) >= 5 and phrases[head] - _VAGUE_HEADS:
                return word[:start], head
    return None


def kinds_named(text: str) -> dict[str, int]:
    """Record kinds and organisation kinds a message names ("the Voss garden" → business_garden)."""
    return _found("kinds", text)


def figures_named(text: str) -> dict[str, int]:
    """What a "how many" message counts ("how many applied?" → applications): the words after
    "how many" where the message has them, else the whole message."""
    counted = counted_words(text)
    return (_found("figures", counted) if counted else {}) or _found("figures", text)


def roles_named(text: str) -> dict[str, int]:
    """Roles a "who" message asks about ("who chairs the FORUM?" → chair)."""
    return _found("roles", text)


def question_words(text: str) -> list[str]:
    """The words of a message that say which fact is asked rather than about what: money and
    days ("pengene", "how much", "dagar"), also by stem."""
    lexicon = _lexicon()
    stems = lexicon.stems["figures"]
    found = []
    for word in fold(text).split():
        keys = set(lexicon.phrases["figures"].get(word, ()))
        for lang in SUPPORTED:
            keys |= stems.get((lang, stem_words([word], lang)[0]), set())
        if keys & _ASKED_FIGURES:
            found.append(word)
    return found


#: figure words that name the fact asked, not the record ("how much money", "how many days")
_ASKED_FIGURES = frozenset({"money", "days"})


def words_of(section: str, key: str) -> list[str]:
    """Every folded word list of a key (the words that name it, all languages)."""
    return [p for p, keys in _lexicon().phrases[section].items() if key in keys]


def kind_words_removed(text: str) -> str:
    """The folded message without the words that name kinds of record (longest first)."""
    padded = f" {fold(text)} "
    for phrase in sorted(_lexicon().phrases["kinds"], key=len, reverse=True):
        padded = padded.replace(f" {phrase} ", " ")
    lexicon = _lexicon().stems["kinds"]
    kept = []
    for word in padded.split():
        if any((lang, stem_words([word], lang)[0]) in lexicon for lang in SUPPORTED):
            continue
        split = compound_head("kinds", word)
        kept.append(split[0] if split is not None else word)
    return " ".join(kept)
