"""Words that tell what a message is about: kinds of record, what is counted, which role.

`actions/vocabulary/<lang>.yml` lists, per language, the words that name a kind of record
("call", "utlysning", "appel à projets", "دعوة"), the things a "how many" question counts and
the roles a "who" question asks about. A message is matched against the words of all six
languages at once (people mix languages, and a detection can be wrong), on folded text as whole
words; a single word also matches by its Snowball stem in the word list's language.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from knowledge.languages import SUPPORTED
from knowledge.names import stopwords
from knowledge.text import fold, stem_words

VOCABULARY_DIR = Path(__file__).with_name("vocabulary")
SECTIONS = ("kinds", "figures", "roles")  # and the lists `counting` and `persons`


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[str, dict[str, set[str]]]  # section -> folded phrase -> keys
    stems: dict[str, dict[tuple[str, str], set[str]]]  # section -> (lang, stem) -> keys


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
                    if " " not in folded:
                        stems[section][(lang, stem_words([folded], lang)[0])].add(key)
    return _Lexicon(
        {s: dict(v) for s, v in phrases.items()}, {s: dict(v) for s, v in stems.items()}
    )


def _found(section: str, text: str) -> dict[str, int]:
    """Keys of ``section`` named in ``text``, each with the number of words that named it."""
    lexicon = _lexicon()
    words = fold(text).split()
    padded = f" {' '.join(words)} "
    found: dict[str, int] = defaultdict(int)
    for phrase, keys in lexicon.phrases[section].items():
        if f" {phrase} " in padded:
            for key in keys:
                found[key] += len(phrase.split())
    stems = lexicon.stems[section]
    for lang in SUPPORTED:
        for stem in set(stem_words(words, lang)):
            for key in stems.get((lang, stem), ()):
                found[key] = max(found[key], 1)
    return dict(found)


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


def words_of(section: str, key: str) -> list[str]:
    """Every folded word list of a key (the words that name it, all languages)."""
    return [p for p, keys in _lexicon().phrases[section].items() if key in keys]


def kind_words_removed(text: str) -> str:
    """The folded message without the words that name kinds of record (longest first)."""
    padded = f" {fold(text)} "
    for phrase in sorted(_lexicon().phrases["kinds"], key=len, reverse=True):
        padded = padded.replace(f" {phrase} ", " ")
    lexicon = _lexicon().stems["kinds"]
    words = padded.split()
    kept = [
        w
        for w in words
        if not any((lang, stem_words([w], lang)[0]) in lexicon for lang in SUPPORTED)
    ]
    return " ".join(kept)
