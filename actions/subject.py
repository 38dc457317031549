"""Which record a message is about: the first stage of every answer.

In order: a choice the user clicked (`subject_id` entity); else the records named in the message,
scored with every signal it carries; else the subject of the previous answer (follow-ups such as
"and the deadline?"). A choice list is offered only when the best candidates are close *and*
each is really named (more than one shared common word) and fits the question.

Signals, on top of how much of a record's name the message covers (`KnowledgeBase.mentions`,
which already lends weight to the records of a country the message names):
- kind words in six languages ("call", "utlysning", "appel", "garden", "desk" …,
  `actions/vocabulary.py`) favour records of that kind;
- a year favours the call of that year and counts against calls of other years;
- a municipality or region named beside an organisation favours the organisations there;
- the subject of the conversation wins a tie with another candidate.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from rasa_sdk import Tracker

from actions.clock import now
from actions.vocabulary import (
    compounds_named,
    kind_words_removed,
    kinds_named,
    points_to_a_person,
    question_words,
    words_of,
)
from knowledge.names import normal_token, stopwords, tokens
from knowledge.query import KnowledgeBase
from knowledge.query.passages import RecordFit
from knowledge.text import fold
from knowledge.views import Match

SUBJECT_SLOT = "subject_id"
SUBJECT_KIND_SLOT = "subject_kind"
# The person an answer named last: "he" / "elle" / "han" afterwards means that person.
PERSON_SLOT = "person_id"
SEPARATOR = ":"
ALL_KINDS = ("organisation", "call", "programme", "contact", "event", "place", "service")
MAX_CHOICES = 5
CANDIDATES = 12
# Names covered this little still count as candidates: the signals may lift them.
WEAK_SCORE = 25.0
# A name matched this well is named even if all its words are kind words ("FORUM").
WHOLE_NAME = 90.0
# Candidates offered when a question names nothing clearly ("did you mean …?").
SUGGESTION_SCORE = 40.0
# … but one that scores this much, this far ahead of the next, is taken as meant.
LONE_SCORE = 50.0
LONE_MARGIN = 15.0
# A second candidate within this many points (of 100) of the best one makes a choice.
AMBIGUITY_MARGIN = 4.0
# A call or programme is named in few words of a long title ("the Moroccan clusters call"):
# for a question about a call, such a match wins over other kinds from this score on.
PREFERRED_SCORE = 45.0
# … unless another record is named much better (then that record stands for its calls).
PREFERRED_MARGIN = 25.0
# Below this (after the signals), a match is a common word that happens to be in some name
# ("projet" in "Desk Projets"): it does not replace the subject of the conversation.
MENTION_SCORE = 62.0
# A record offered in a choice list must be named by more than one common word.
CHOICE_SCORE = 56.0
# From this score on, a named hub, call or person wins over a place named beside it.
NAMED_SCORE = 70.0
KIND_BONUS = 14.0
OTHER_KIND_PENALTY = 8.0
YEAR_BONUS = 10.0
YEAR_PENALTY = 20.0
PLACE_BONUS = 10.0
CONTEXT_BONUS = 3.0
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# Record kinds whose own kind word ("call", "meeting", "programme") names them directly.
_RECORD_KINDS = frozenset({"call", "programme", "event", "contact"})
#: the least a compound's modifier must score as a name of one record ("cluster" of a call)
COMPOUND_SCORE = 20.0
#: a record whose texts match a message that names none must score this much (BM25) …
TEXT_FIT_SCORE = 2.0
#: … and this many times the next record of another source document
TEXT_FIT_LEAD = 1.5
#: records of one source scoring this share of the best are read as one group
TEXT_FIT_GROUP = 0.75


@dataclass(frozen=True)
class Subject:
    kind: str
    id: str

    @property
    def ref(self) -> str:
        """How a subject travels in slots and button payloads: "call:ma-clusters-2023"."""
        return f"{self.kind}{SEPARATOR}{self.id}"

    @classmethod
    def from_ref(cls, ref: str | None) -> Subject | None:
        if not ref or SEPARATOR not in ref:
            return None
        kind, _, id_ = ref.partition(SEPARATOR)
        return cls(kind, id_)

    @classmethod
    def of(cls, match: Match) -> Subject:
        return cls(match.kind, match.id)


@dataclass(frozen=True)
class Resolution:
    subject: Subject | None = None
    choices: tuple[Match, ...] = field(default_factory=tuple)
    mentioned: bool = False  # the subject was named in this message (not carried over)
    names: tuple[str, ...] = ()  # the folded name forms the message matched
    suggestions: tuple[Match, ...] = ()  # weaker candidates, to offer when nothing is named


@dataclass(frozen=True)
class Candidate:
    match: Match
    score: float  # the name score after the signals
    of_kind: bool = False  # named by one kind word only ("the arena"), a kind it is of


def chosen_subject(tracker: Tracker) -> Subject | None:
    """The record the user picked from a choice list (button payload), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == SUBJECT_SLOT:
            return Subject.from_ref(str(entity.get("value")))
    return None


def context_subject(tracker: Tracker) -> Subject | None:
    """The subject of the previous answer."""
    return Subject.from_ref(tracker.get_slot(SUBJECT_SLOT))


def candidates(kb: KnowledgeBase, text: str, *, context: Subject | None = None) -> list[Candidate]:
    """Records named in ``text``, scored with the message's signals, best first."""
    found = kb.mentions(text, kinds=ALL_KINDS, limit=CANDIDATES, min_score=WEAK_SCORE)
    found = _subsumed_removed(_distinct(found))
    if not found:
        return []
    kinds = kinds_named(text)
    # A record matched by kind words alone ("which desks?" ~ "Projectdesk", "the press phone"
    # ~ the ministry's press telephone) is named only as a kind: it may be what the message
    # means when nothing else is, but never over the subject of the conversation.
    core = kind_words_removed(text) if kinds else text
    named = {
        (m.kind, m.id)
        for m in kb.mentions(core, kinds=ALL_KINDS, limit=CANDIDATES, min_score=WEAK_SCORE)
    }
    years = {int(y) for y in _YEAR.findall(text)}
    strong_places = [m for m in found if m.kind == "place" and m.score >= 90]
    places = {m.id for m in strong_places}
    place_words = {w for m in strong_places for w in m.matched.split()}
    message_words = set(tokens(text)) - stopwords()
    # The words of records named whole ("innov eurometropolis"): a record that only looks like
    # one of them ("innovationsarenan" for "innov") is not named by the message.
    whole_words = {
        w for m in found if m.kind != "place" and m.score >= 100.0 for w in m.matched.split()
    }
    # Something named for real (or the conversation's subject) outranks a kind named alone.
    by_name = context is not None or any(
        (m.kind, m.id) in named and m.kind != "place" and m.score >= MENTION_SCORE for m in found
    )
    scored = []
    for match in found:
        score = match.score
        shared = message_words & set(match.matched.split())
        if match.kind not in ("place", "organisation") and shared and shared <= place_words:
            # An event or call named only by the town in its name ("Mötesplats Lycksele" for
            # "events in Lycksele"): the message names the town. (A garden named after its
            # town, "Voss", is what the town's name usually means.)
            scored.append(Candidate(match, min(score, PREFERRED_SCORE - 1)))
            continue
        if (
            whole_words
            and match.score < WHOLE_NAME
            and not shares_a_word(message_words - whole_words, match.matched)
        ):
            scored.append(Candidate(match, score - KIND_BONUS))
            continue
        if score < MENTION_SCORE and not shares_a_word(message_words, match.matched):
            # Not one word of the name is in the message, only look-alikes ("state" for
            # "santé"): a typo at best, so no signal lifts it.
            scored.append(Candidate(match, score - KIND_BONUS))
            continue
        own = match.subkind if match.kind == "organisation" else match.kind
        of_named_kind = own in kinds or match.kind in kinds
        if (match.kind, match.id) not in named and match.score >= WHOLE_NAME:
            named.add((match.kind, match.id))  # the whole name is a kind word ("FORUM")
        if (match.kind, match.id) not in named:
            words = max(kinds.get(own, 0), kinds.get(match.kind, 0))
            if not of_named_kind:
                score -= KIND_BONUS
            elif by_name:
                score = min(score, PREFERRED_SCORE - 1)
            elif words >= 2:  # "the press phone of the ministry": several words of its kind
                score += KIND_BONUS
            else:
                scored.append(Candidate(match, score, of_kind=True))
                continue
        elif kinds:
            if of_named_kind:
                score += KIND_BONUS
            elif match.kind in _RECORD_KINDS or (kinds.keys() & _RECORD_KINDS):
                score -= OTHER_KIND_PENALTY
            elif match.kind == "organisation" and kinds.keys() - _RECORD_KINDS:
                score -= OTHER_KIND_PENALTY  # "the innovation platform": not the region it is in
        if years and match.year is not None:
            score += YEAR_BONUS if match.year in years else -YEAR_PENALTY
        if context is not None and (match.kind, match.id) == (context.kind, context.id):
            score += CONTEXT_BONUS
        scored.append(Candidate(match, score))
    if places:
        scored = [_placed(kb, c, places) for c in scored]
    return sorted(scored, key=lambda c: (-c.score, -c.match.score, c.match.name))


def shares_a_word(message_words: set[str], name: str) -> bool:
    """Whether a word of the name is in the message, inflected or compounded ("næringshage"
    names "Næringshagen på Voss", "næringshagepengene" too); a word that only looks alike
    ("state", "santé") is not shared."""
    for word in name.split():
        for other in message_words:
            stem = len(os.path.commonprefix([word, other]))
            if stem >= min(len(word), len(other), 6) and stem >= 3:
                return True
    return False


def _placed(kb: KnowledgeBase, candidate: Candidate, places: set[str]) -> Candidate:
    """An organisation in a municipality or region the message names scores higher."""
    match = candidate.match
    if match.kind != "organisation" or candidate.score < CHOICE_SCORE - PLACE_BONUS:
        return candidate
    organisation = kb.organisation(match.id, "en")
    if organisation is not None and places & {p.id for p in organisation.places}:
        # "the arena in Lycksele": its kind and its place together name it.
        bonus = PLACE_BONUS + (KIND_BONUS if candidate.of_kind else 0.0)
        return Candidate(match, candidate.score + bonus)
    return candidate


def resolve(
    kb: KnowledgeBase,
    tracker: Tracker,
    kinds: Collection[str],
    *,
    follow_up: bool = True,
    preferred: Collection[str] = (),
    by_text: bool = True,
) -> Resolution:
    """The subject of the latest message among records of `kinds`, or a choice to offer.

    Matches of a `preferred` kind win over better-scored matches of other kinds when they are
    good enough: "deadline of the Bas-Saint-Laurent call" is about the call, not the hub.
    Candidates of other kinds are kept (the answer converts them: a call's issuer, a contact's
    organisation) but lose a tie against a kind the question asks about. With `by_text`, a
    message that names nothing may be about the record whose own texts fit it (not for a
    question that has an answer without a subject, such as "which calls are open?").
    """
    chosen = chosen_subject(tracker)
    if chosen is not None:
        return Resolution(chosen, mentioned=True)
    context = context_subject(tracker) if follow_up else None
    text = tracker.latest_message.get("text") or ""
    ranked = candidates(kb, text, context=context)
    names = tuple(c.match.matched for c in ranked if c.score >= MENTION_SCORE)
    best = ranked[0].score if ranked else 0.0
    # A record named by its whole name is not outweighed by a preferred kind's record named
    # only in part ("events at innov eurometropolis?" is not the arena's dialogue meeting).
    whole = max(
        (
            c.match.score
            for c in ranked
            if c.match.kind not in preferred and c.match.kind != "place"
        ),
        default=0.0,
    )
    strong = [
        c
        for c in ranked
        if c.match.kind in preferred
        and c.score >= PREFERRED_SCORE
        and best - c.score <= PREFERRED_MARGIN
        and (whole < WHOLE_NAME or c.match.score >= WHOLE_NAME)
    ]
    if not strong:
        strong = [c for c in ranked if c.score >= MENTION_SCORE]
    if any(c.match.kind != "place" and c.score >= NAMED_SCORE for c in strong):
        # A hub or call named in the message is what it is about; its town is only context.
        strong = [c for c in strong if c.match.kind != "place"]
    if strong:
        close = _close_to_best(strong, kinds)
        if len(close) > 1:
            return Resolution(choices=tuple(c.match for c in close[:MAX_CHOICES]), names=names)
        subject = _part_named_by_kind(kb, strong[0].match, text)
        return Resolution(subject, mentioned=True, names=names)
    # The records whose texts fit the message: read only when no subject is being discussed
    # (a follow-up keeps its subject), and only for questions that need one.
    fits = []
    if by_text and context is None:
        language = tracker.get_slot("language") or "en"
        fits = kb.records_by_text(text, language, ignore=question_words(text), limit=8)
    named = (
        _named_by_compound(kb, text)
        or _fitted_by_text(fits, preferred, rare_only=True)
        # "the cluster concept in this call": a message that says "call" asks for a call
        or _named_by_kind_word(kb, text, preferred, context)
    )
    if named is not None:
        return Resolution(named, mentioned=True, names=names)
    person = Subject.from_ref(tracker.get_slot(PERSON_SLOT)) if follow_up else None
    if person is not None and points_to_a_person(text):
        return Resolution(person)
    if context is not None:
        return Resolution(context)
    # Nothing discussed yet and only weak matches: a generic name shared by several records
    # ("næringshage") is a choice; one weak match alone is a coincidence, not an answer.
    close = [c for c in _close_to_best(ranked, kinds) if c.match.score >= CHOICE_SCORE]
    if len(close) > 1:
        return Resolution(choices=tuple(c.match for c in close[:MAX_CHOICES]))
    # Service names are common words ("support services"): never a guess of what is meant.
    fitting = [c for c in ranked if c.match.kind in kinds and c.match.kind != "service"]
    if (
        fitting
        and fitting[0].score >= LONE_SCORE
        and (len(fitting) == 1 or fitting[0].score - fitting[1].score >= LONE_MARGIN)
    ):
        # One record the message half names, far ahead of any other ("the marokaanse
        # clusteroproep"): that one, rather than a question back.
        return Resolution(Subject.of(fitting[0].match), mentioned=True, names=names)
    fitted = _fitted_by_text(fits, preferred)
    if fitted is not None:
        return Resolution(fitted, mentioned=True, names=names)
    weak = [c.match for c in fitting if c.score >= SUGGESTION_SCORE]
    return Resolution(suggestions=tuple(weak[:MAX_CHOICES]))


def _fitted_by_text(
    fits: list[RecordFit], preferred: Collection[str], *, rare_only: bool = False
) -> Subject | None:
    """Of the records whose own texts fit a message that names no record (``fits``, best
    first), the one holding a rare word of it ("Gründerakademiet": only the Fabrikken garden's
    description says it), or (unless ``rare_only``) one clearly ahead of the records of every
    other source. Records of one source close to the best are one group ("the poles": the
    Québec programme, its network, its hubs): the question's preferred kind chooses among
    them, else the best."""
    rare = [f for f in fits if f.rare]  # best first, as ``fits``
    if rare and (
        len({f.source_id for f in rare}) == 1 or rare[0].score >= TEXT_FIT_LEAD * rare[1].score
    ):
        best = rare[0]
    elif fits and fits[0].score >= TEXT_FIT_SCORE and not rare_only:
        best = fits[0]
        others = [f for f in fits if f.source_id != best.source_id]
        if others and best.score < TEXT_FIT_LEAD * others[0].score:
            return None
    else:
        return None
    group = [f for f in fits if f.source_id == best.source_id]
    group = [f for f in group if f.score >= TEXT_FIT_GROUP * best.score or f.rare]
    chosen = next((f for kind in preferred for f in group if f.kind == kind), best)
    return Subject(chosen.kind, chosen.id)


def _named_by_kind_word(
    kb: KnowledgeBase, text: str, preferred: Collection[str], context: Subject | None
) -> Subject | None:
    """The one call (or programme) whose name holds a word, in any language, of a kind the
    message names, for a question about calls: "كلاستر" names the clusters call, "the hubs
    call" the call for regional innovation hubs. With a subject in the conversation, only a
    message that says "call" (or "programme") leaves it. A kind the message names is asked
    for as well as the ``preferred`` ones."""
    kinds = kinds_named(text)
    asked = [k for k in dict.fromkeys([*preferred, *kinds]) if k in ("call", "programme")]
    if not asked or (context is not None and not kinds.keys() & {"call", "programme"}):
        return None
    index = kb.name_index()
    for key in sorted(kinds.keys() - _NOT_DESCRIPTIVE_KINDS):
        words = {w for w in words_of("kinds", key) if " " not in w}
        for kind in asked:
            ids = index.ids_with_word(kind, words)
            if len(ids) == 1:
                return Subject(kind, ids.pop())
    return None


#: kinds whose words say what a record is, not what it is about
_NOT_DESCRIPTIVE_KINDS = frozenset({"call", "programme", "event", "contact", "other"})


def _named_by_compound(kb: KnowledgeBase, text: str) -> Subject | None:
    """The one call, programme or event a compound names by its kind and a word of its name
    ("de clusteroproep", "klyngeutlysningen": the only call about clusters)."""
    for modifier, kind in compounds_named(text):
        if kind not in ("call", "programme", "event"):
            continue
        hits = kb.mentions(modifier, kinds={kind}, limit=2, min_score=COMPOUND_SCORE)
        if len(hits) == 1:
            return Subject.of(hits[0])
    return None


def _part_named_by_kind(kb: KnowledgeBase, match: Match, text: str) -> Subject:
    """ "The innovation platform of the Eurometropolis", "the arena Coompanion wants": the one
    record related to the named organisation that is of the kind the message names next to its
    name, else the organisation itself ("the DigiHub that is building the poles network, which
    town is it in?" is about the DigiHub)."""
    subject = Subject.of(match)
    if subject.kind == "place":
        return _one_of_kind_in(kb, subject, kinds_named(text))
    if subject.kind != "organisation":
        return subject
    kinds = _kinds_next_to(text, match.matched)
    if not kinds:
        return subject
    own = kb.organisation(subject.id, "en")
    if own is None or own.kind in kinds:
        return subject
    related = kb.parts_of(subject.id) + [
        record
        for _role, kind, record, _name in kb.roles_held(subject.id, "en")
        if kind == "organisation"
    ]  # its members and branches, and what it took the initiative for, owns, chairs …
    parts = [p for p in kb.organisations(list(dict.fromkeys(related)), "en") if p.kind in kinds]
    return Subject("organisation", parts[0].id) if len(parts) == 1 else subject


#: a kind word after a name qualifies it only this close ("Coompanion's arena"; not "the
#: DigiHub that is building the network"); before it, at any distance ("the innovation arena
#: launched by Coompanion", "منصة الابتكار العابرة للحدود التابعة لـ Eurometropool")
KIND_WORD_AFTER = 1


def _kinds_next_to(text: str, name: str) -> dict[str, int]:
    """The kinds named by words (or word pairs) before the name's words in ``text``, or right
    after them, counting only words that are not function words."""
    stop = stopwords()
    words = [w for w in fold(text).split() if w not in stop]  # kind phrases keep "al-"
    at_name = [i for i, w in enumerate(words) if shares_a_word({normal_token(w)}, name)]
    if not at_name:
        return kinds_named(text)
    found: dict[str, int] = {}
    for i in range(len(words)):
        near = any(i < j or 0 < i - j <= KIND_WORD_AFTER for j in at_name)
        if not near:
            continue
        for phrase in (words[i], " ".join(words[i : i + 2])):
            for kind, count in kinds_named(phrase).items():
                found[kind] = max(found.get(kind, 0), count)
    return found


def _one_of_kind_in(kb: KnowledgeBase, place: Subject, kinds: Collection[str]) -> Subject:
    """ "The Moroccan ministry", "the Swedish arena", "the call in Québec": the one call, or
    organisation of the kind named, in that place, else the place itself."""
    if "call" in kinds:
        calls = kb.calls(status=None, now=now(), lang="en", place=place.id, limit=2)
        if len(calls) == 1:
            return Subject("call", calls[0].id)
    wanted = [kind for kind in kinds if kind not in ALL_KINDS]  # organisation kinds only
    if not wanted:
        return place
    kind = place.id.partition(":")[0]
    where = {"country": place.id} if kind == "country" else {
        "region" if kind == "region" else "municipality": place.id
    }  # fmt: skip
    found = kb.hubs(**where, lang="en", kinds=wanted, limit=2)
    return Subject("organisation", found[0].id) if len(found) == 1 else place


def _close_to_best(ranked: list[Candidate], kinds: Collection[str]) -> list[Candidate]:
    """The candidates that tie with the best one. A candidate of a kind the question asks
    about beats a tie of another kind; a candidate named by a single common word is no rival."""
    if not ranked:
        return []
    best = ranked[0].score
    close = [c for c in ranked if best - c.score <= AMBIGUITY_MARGIN]
    fitting = [c for c in close if c.match.kind in kinds]
    if fitting and len(fitting) < len(close):
        close = fitting
    rivals = [c for c in close[1:] if c.match.score >= CHOICE_SCORE]
    return [close[0], *rivals]


def _subsumed_removed(matches: list[Match]) -> list[Match]:
    """Drop a record whose matched name is part of another matched name that scores as well:
    "INNOV'EUROMETROPOLIS" names the platform, not also the Eurometropolis."""
    forms = [(m, set(m.matched.split())) for m in matches]
    return [
        m
        for m, words in forms
        if not any(words < other and o.score >= m.score - AMBIGUITY_MARGIN for o, other in forms)
    ]


def _distinct(matches: list[Match]) -> list[Match]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for match in matches:
        if (match.kind, match.id) not in seen:
            seen.add((match.kind, match.id))
            unique.append(match)
    return unique
