"""What entrepreneurs could not get answered, read from Rasa's tracker store and the votes.

One *item* is one user message and the bot's answers to it (the events up to the next user
message). It is a **fallback** when the bot asked to rephrase (a bot message of the response
``utter_please_rephrase``: Rasa writes the response's name into the event's metadata as
``utter_action``, whether the core fallback or ``action_fallback`` sent it), an **unknown**
answer when an answer action said the knowledge base does not hold the fact (the metadata key
``hubguide_unknown`` that ``actions/base.py`` adds to such a bot message), and **thumbs down**
when the visitor voted one of its answers down (``knowledge.feedback``). Its language is the
conversation's ``language`` slot after the answer (before the slot is set: the detector's code
in the message's parse data), its record the ``subject_id`` slot (``call:ma-clusters-2023``)
when the answer set it (an answer about a record sets it; a fallback after such an answer is
about no record).

The unanswered questions (fallbacks, unknown answers, thumbs down not yet handled) are grouped
by similarity: RapidFuzz's token-set ratio of the folded texts as distances, scikit-learn's
agglomerative clustering (average linkage, cut at ``GROUP_SIMILARITY``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from knowledge.text import fold
from ops.tracker_events import Event

REPHRASE_RESPONSE = "utter_please_rephrase"
#: the same key as actions.base.UNKNOWN_METADATA_KEY (the web server does not import actions)
UNKNOWN_METADATA_KEY = "hubguide_unknown"
LANGUAGE_SLOT = "language"
SUBJECT_SLOT = "subject_id"
#: two questions with at least this RapidFuzz token-set ratio (0-100) on average are one group
GROUP_SIMILARITY = 60.0
#: the most recent unanswered questions grouped (the distance matrix grows with the square)
MAX_GROUPED = 2000
PROBLEMS = ("fallback", "unknown", "down")


@dataclass
class Item:
    conversation_id: str
    timestamp: float  # the user event's
    text: str
    language: str | None = None
    record: str | None = None  # "kind:id" of the subject the answer was about
    answers: list[tuple[float, str]] = field(default_factory=list)
    fallback: bool = False
    unknown: bool = False
    down: bool = False
    up: bool = False
    handled: tuple[str, datetime] | None = None

    @property
    def day(self) -> date:
        return datetime.fromtimestamp(self.timestamp, timezone.utc).date()

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(p for p in PROBLEMS if getattr(self, p))

    @property
    def key(self) -> tuple[str, float]:
        return (self.conversation_id, self.timestamp)


def items(
    events: Iterable[Event],
    votes: dict[tuple[str, float], str] | None = None,
    handled: dict[tuple[str, float], tuple[str, datetime]] | None = None,
) -> list[Item]:
    """The items of the events (ordered by conversation, then as stored), with their votes
    ((conversation, bot timestamp) → up/down) and handled marks."""
    votes, handled = votes or {}, handled or {}
    out: list[Item] = []
    current: Item | None = None
    sender: str | None = None
    slots: dict[str, object] = {}
    answered_about: object = None  # the subject slot set by this item's answer

    def close() -> None:
        if current is None:
            return
        language, record = slots.get(LANGUAGE_SLOT), answered_about
        if isinstance(language, str) and language:
            current.language = language
        elif current.language:  # no slot yet: what the detector said, kept for the next turns
            slots[LANGUAGE_SLOT] = current.language
        current.record = record if isinstance(record, str) and ":" in record else None
        current.handled = handled.get(current.key)
        out.append(current)

    for event in events:
        if event.sender_id != sender:
            close()
            current, sender, slots, answered_about = None, event.sender_id, {}, None
        if event.type_name == "slot":
            slots[str(event.data.get("name"))] = event.data.get("value")
            if event.data.get("name") == SUBJECT_SLOT:
                answered_about = event.data.get("value")
        elif event.type_name == "user":
            close()
            answered_about = None
            detected = (event.data.get("parse_data") or {}).get("language") or {}
            code = detected.get("code") if isinstance(detected, dict) else None
            current = Item(event.sender_id, event.timestamp, event.text, language=code)
        elif event.type_name == "bot" and current is not None:
            current.answers.append((event.timestamp, event.text))
            if event.metadata.get("utter_action") == REPHRASE_RESPONSE:
                current.fallback = True
            if event.metadata.get(UNKNOWN_METADATA_KEY):
                current.unknown = True
            vote = _vote_for(votes, event.sender_id, event.timestamp)
            current.down = current.down or vote == "down"
            current.up = current.up or vote == "up"
    close()
    return out


def _vote_for(votes: dict[tuple[str, float], str], sender: str, timestamp: float) -> str | None:
    found = votes.get((sender, timestamp))
    if found is None:  # a float written by another database driver may differ in the last bit
        for (conversation, at), vote in votes.items():
            if conversation == sender and abs(at - timestamp) < 1e-6:
                return vote
    return found


@dataclass(frozen=True)
class Counts:
    messages: int = 0
    fallback: int = 0
    unknown: int = 0
    down: int = 0


def counts_by(found: Iterable[Item], key: Callable[[Item], object]) -> list[tuple[object, Counts]]:
    """Messages, fallbacks, unknown answers and thumbs down per value of ``key``, most
    messages first (days: newest first)."""
    tally: dict[object, Counter] = defaultdict(Counter)
    for item in found:
        row = tally[key(item)]
        row["messages"] += 1
        for problem in item.problems:
            row[problem] += 1
    rows = [(k, Counts(**dict(c))) for k, c in tally.items()]
    if rows and all(isinstance(k, date) for k, _ in rows):
        return sorted(rows, key=lambda r: r[0], reverse=True)  # type: ignore[arg-type, return-value]
    return sorted(rows, key=lambda r: (-r[1].messages, str(r[0])))


@dataclass(frozen=True)
class Group:
    """Similar unanswered questions: the most central one names the group."""

    label: str
    items: tuple[Item, ...]


def unanswered(found: Iterable[Item]) -> list[Item]:
    """Items with a problem that nobody marked handled, newest first."""
    return sorted(
        (i for i in found if i.problems and i.handled is None and i.text.strip()),
        key=lambda i: i.timestamp,
        reverse=True,
    )


def group_similar(found: list[Item], similarity: float = GROUP_SIMILARITY) -> list[Group]:
    """The questions grouped by similarity, largest group first."""
    import numpy as np
    from rapidfuzz import fuzz, process
    from sklearn.cluster import AgglomerativeClustering

    found = found[:MAX_GROUPED]
    if not found:
        return []
    texts = [fold(i.text) or i.text for i in found]
    if len(found) == 1:
        return [Group(found[0].text, (found[0],))]
    scores = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, dtype=np.float32)
    distances = 1.0 - scores / 100.0
    np.fill_diagonal(distances, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None,
        affinity="precomputed",
        linkage="average",
        distance_threshold=1.0 - similarity / 100.0,
    ).fit_predict(distances)
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        members[int(label)].append(index)
    groups = []
    for indices in members.values():
        central = max(indices, key=lambda i: float(scores[i, indices].sum()))
        groups.append(Group(found[central].text, tuple(found[i] for i in indices)))
    return sorted(groups, key=lambda g: (-len(g.items), -g.items[0].timestamp))
