"""A known subject's own sentences as an answer: the sourced fallback every answer can use.

`KnowledgeBase.passages` ranks the sentences of one record's texts (BM25 over Snowball stems);
here they become reply lines in the conversation's language, with their source. The words that
only name the subject (its matched names, the kind words used) are left out of the question.
"""

from __future__ import annotations

import re

from actions.base import Reply, Turn
from actions.records import as_organisation
from actions.subject import Subject
from actions.vocabulary import kinds_named, words_of
from knowledge.text import fold

# A passage must score this much (BM25) to answer a question by itself …
PASSAGE_SCORE = 0.5
# … and this much to be added beside "the knowledge base does not say …".
STRONG_PASSAGE_SCORE = 2.0


def ignored_words(turn: Turn) -> list[str]:
    """Words that only name the subject: its matched names and the kind words used."""
    ignore = list(turn.resolution.names if turn.resolution else ())
    return ignore + [w for k in kinds_named(turn.text) for w in words_of("kinds", k)]


#: sentences looked through for an amount the structured fields lack
FIGURE_PASSAGES = 20
#: a figure in a sentence: "28,8", "400 000", "2017"
_FIGURE = re.compile(r"\d+(?:[.,\s\u00a0\u202f]\d+)*")


def _figures(text: str) -> set[str]:
    return {re.sub(r"\D", "", figure) for figure in _FIGURE.findall(text)}


def add_stated_figures(turn: Turn, subject: Subject, reply: Reply) -> Reply:
    """The subject's sentence that best matches the question among those stating an amount (a
    figure beside a money word) the reply does not, added to ``reply``: a breakdown the
    structured fields do not hold ("28.8 million dollars over four years for the hubs", beside
    the programme's total budget)."""
    said = _figures(" ".join(reply.lines))
    # Every word counts here: "the poles themselves, not the network" is what tells the parts.
    found = turn.kb.passages(subject.kind, subject.id, turn.text, turn.lang, limit=FIGURE_PASSAGES)
    money = {w for w in words_of("figures", "money") if " " not in w}
    for passage in found:
        text = passage.text.value
        if not (money & set(fold(text).split()) or "$" in text):
            continue  # "18 regional hubs … 2017-2022": figures, but no amount
        if any(not any(f in s for s in said) for f in _figures(text)):
            words = turn.words
            return reply.add(words.say("source_says"), words.text(passage.text)).cite(
                passage.source
            )
    return reply


def passages_reply(
    turn: Turn,
    subject: Subject,
    reply: Reply,
    *,
    limit: int = 2,
    minimum: float = PASSAGE_SCORE,
    cues: str = "",
) -> Reply | None:
    """The best sentences of the subject's texts for the latest message (with the words
    ``cues`` beside it) added to ``reply`` (returned), or None when none matches well enough."""
    kind, id_ = subject.kind, subject.id
    if kind == "service":
        target = as_organisation(turn, subject)
        if target is None:
            return None
        kind, id_ = target.kind, target.id
    ignore = ignored_words(turn)
    question = f"{turn.text} {cues}" if cues else turn.text
    found = turn.kb.passages(kind, id_, question, turn.lang, ignore=ignore, limit=limit)
    found = [p for p in found if p.score >= minimum]
    if not found:
        return None
    words = turn.words
    for passage in found:
        reply.add(words.text(passage.text)).cite(passage.source)
    return reply


#: sentences looked through for one that uses a cue word
CUED_PASSAGES = 10
#: a cue word this long also ends a compound ("grenseområdet" ends in "området")
_CUE_HEAD = 5


def _uses_a_cue(text: str, cues: set[str]) -> bool:
    for word in fold(text).split():
        if word in cues or any(len(c) >= _CUE_HEAD and word.endswith(c) for c in cues):
            return True
    return False


def cued_passage_reply(turn: Turn, subject: Subject, reply: Reply, cues: str) -> Reply | None:
    """The subject's sentence that best matches the message and ``cues`` among those that use
    one of the cue words ("the border area of the Eurometropolis" for "where is it active?"),
    added to ``reply``; None when no sentence uses one."""
    ignore = ignored_words(turn)
    question = f"{turn.text} {cues}"
    found = turn.kb.passages(
        subject.kind, subject.id, question, turn.lang, ignore=ignore, limit=CUED_PASSAGES
    )
    words = {w for w in fold(cues).split()}
    for passage in found:
        if passage.score >= PASSAGE_SCORE and _uses_a_cue(passage.text.value, words):
            return reply.add(turn.words.text(passage.text)).cite(passage.source)
    return None
