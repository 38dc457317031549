"""Which hub, call or programme a message is about.

In order: a choice the user clicked (`subject_id` entity), names found in the message itself
(looked up in the live knowledge base, so content added today is understood without retraining),
then the subject of the previous answer (follow-ups such as "and the deadline?"). Several equally
good matches become a choice list instead of a guess.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from rasa_sdk import Tracker

from knowledge.query import KnowledgeBase
from knowledge.views import Match

SUBJECT_SLOT = "subject_id"
SUBJECT_KIND_SLOT = "subject_kind"
SEPARATOR = ":"
# A second match within this many points (of 100) of the best one makes the message ambiguous.
AMBIGUITY_MARGIN = 3.0
MAX_CHOICES = 5
# A call or programme is named in few words of a long title ("the Moroccan clusters call"):
# for a question about a call, such a match wins over other kinds from this score on.
PREFERRED_SCORE = 45.0
# Below this, a match is a common word that happens to be in some name ("projet" in "Desk
# Projets"): it does not replace the subject of the conversation.
MENTION_SCORE = 65.0
# From this score on, a named hub, call or person wins over a place named beside it.
NAMED_SCORE = 70.0


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


@dataclass(frozen=True)
class Resolution:
    subject: Subject | None = None
    choices: tuple[Match, ...] = field(default_factory=tuple)
    mentioned: bool = False  # the subject was named in this message (not carried over)


def chosen_subject(tracker: Tracker) -> Subject | None:
    """The record the user picked from a choice list (button payload), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == SUBJECT_SLOT:
            return Subject.from_ref(str(entity.get("value")))
    return None


def _distinct(matches: list[Match]) -> list[Match]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for match in matches:
        if (match.kind, match.id) not in seen:
            seen.add((match.kind, match.id))
            unique.append(match)
    return unique


def resolve(
    kb: KnowledgeBase,
    tracker: Tracker,
    kinds: Collection[str],
    *,
    follow_up: bool = True,
    preferred: Collection[str] = (),
) -> Resolution:
    """The subject of the latest message among records of `kinds`, or a choice to offer.

    Matches of a `preferred` kind win over better-scored matches of other kinds when they are
    good enough: "deadline of the Bas-Saint-Laurent call" is about the call, not the hub.
    """
    chosen = chosen_subject(tracker)
    if chosen is not None:
        return Resolution(chosen, mentioned=True)
    text = tracker.latest_message.get("text") or ""
    found = _distinct(kb.mentions(text, kinds=kinds, limit=MAX_CHOICES + 1))
    matches = [m for m in found if m.kind in preferred and m.score >= PREFERRED_SCORE]
    if not matches:
        matches = [m for m in found if m.score >= MENTION_SCORE]
    if any(m.kind != "place" and m.score >= NAMED_SCORE for m in matches):
        # A hub or call named in the message is what it is about; its town is only context.
        matches = [m for m in matches if m.kind != "place"]
    if matches:
        close = _close_to_best(matches)
        if len(close) > 1:
            return Resolution(choices=tuple(close[:MAX_CHOICES]))
        return Resolution(Subject(matches[0].kind, matches[0].id), mentioned=True)
    previous = Subject.from_ref(tracker.get_slot(SUBJECT_SLOT)) if follow_up else None
    if previous is not None:
        return Resolution(previous)
    # Only weak matches and nothing discussed yet: a generic name shared by several records
    # ("næringshage") is a choice; one weak match alone is a coincidence, not an answer.
    close = _close_to_best(found)
    if len(close) > 1:
        return Resolution(choices=tuple(close[:MAX_CHOICES]))
    return Resolution()


def _close_to_best(matches: list[Match]) -> list[Match]:
    if not matches:
        return []
    return [m for m in matches if matches[0].score - m.score <= AMBIGUITY_MARGIN]
