"""A known subject's own sentences as an answer: the sourced fallback every answer can use.

`KnowledgeBase.passages` ranks the sentences of one record's texts (BM25 over Snowball stems);
here they become reply lines in the conversation's language, with their source. The words that
only name the subject (its matched names, the kind words used) are left out of the question.
"""

from __future__ import annotations

from actions.base import Reply, Turn
from actions.records import as_organisation
from actions.subject import Subject
from actions.vocabulary import kinds_named, words_of

# A passage must score this much (BM25) to answer a question by itself …
PASSAGE_SCORE = 0.5
# … and this much to be added beside "the knowledge base does not say …".
STRONG_PASSAGE_SCORE = 2.0


def ignored_words(turn: Turn) -> list[str]:
    """Words that only name the subject: its matched names and the kind words used."""
    ignore = list(turn.resolution.names if turn.resolution else ())
    return ignore + [w for k in kinds_named(turn.text) for w in words_of("kinds", k)]


def passages_reply(
    turn: Turn, subject: Subject, reply: Reply, *, limit: int = 2, minimum: float = PASSAGE_SCORE
) -> Reply | None:
    """The best sentences of the subject's texts for the latest message added to ``reply``
    (returned), or None when none matches well enough."""
    kind, id_ = subject.kind, subject.id
    if kind == "service":
        target = as_organisation(turn, subject)
        if target is None:
            return None
        kind, id_ = target.kind, target.id
    ignore = ignored_words(turn)
    found = turn.kb.passages(kind, id_, turn.text, turn.lang, ignore=ignore, limit=limit)
    found = [p for p in found if p.score >= minimum]
    if not found:
        return None
    words = turn.words
    for passage in found:
        reply.add(words.text(passage.text)).cite(passage.source)
    return reply
