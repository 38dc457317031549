"""What every HubGuide answer does: language, subject, choice lists, apology, source, slots.

A question action names the intent it answers, the kinds of record it can be about and how it
answers; this base class does the rest the same way for all of them.
"""

from __future__ import annotations

import abc
import asyncio
import json
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import metrics
from actions.clock import now
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from actions.places import with_latin_names
from actions.records import common_record
from actions.subject import (
    PERSON_SLOT,
    SUBJECT_KIND_SLOT,
    SUBJECT_SLOT,
    Resolution,
    Subject,
    resolve,
)
from actions.vocabulary import asks_where, asks_who, purpose_cues, roles_named
from actions.wording import Wording
from knowledge.languages import SUPPORTED
from knowledge.query import KnowledgeBase
from knowledge.views import Match, SourceView

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
PENDING_SLOT = "pending_intent"
# The question last answered: a bare name afterwards ("Voss?") asks it again about that name.
LAST_QUESTION_SLOT = "last_question"
DEFAULT_LANGUAGE = "en"
#: the metadata key that marks an unknown-fact answer in its BotUttered event
UNKNOWN_METADATA_KEY = "hubguide_unknown"
CHOICE_INTENT = "inform"


@dataclass
class Reply:
    """One bot message: lines of text, optional buttons, the sources its facts come from."""

    lines: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)
    sources: list[SourceView] = field(default_factory=list)
    subject: Subject | None = None
    pending_intent: str | None = None
    unknown: bool = False  # the knowledge base does not hold what was asked
    response: str | None = None  # a domain response to send instead ("utter_out_of_scope")
    person: Subject | None = None  # the one person the answer names ("he" refers to them next)

    def add(self, *lines: str) -> Reply:
        self.lines.extend(line for line in lines if line)
        return self

    def cite(self, source: SourceView | None) -> Reply:
        if source is not None and source.id not in {known.id for known in self.sources}:
            self.sources.append(source)
        return self


@dataclass(frozen=True)
class Turn:
    """What an answer needs: the knowledge base, the wording for this language and now."""

    kb: KnowledgeBase
    words: Wording
    tracker: Tracker
    resolution: Resolution | None = None  # how the subject was found (names it matched)

    @property
    def lang(self) -> str:
        return self.words.lang

    @property
    def text(self) -> str:
        """The user's latest message."""
        return self.tracker.latest_message.get("text") or ""


async def in_thread(function, *args: Any, **kwargs: Any) -> Any:
    """Run an answer off the event loop: its database work (a slow query, a name index being
    rebuilt after staff saved) must not hold up the other conversations' actions."""
    return await asyncio.to_thread(function, *args, **kwargs)


#: a record's texts must match the message this many times better than the next one's
CLEARLY_BETTER = 1.5


def best_by_text(turn: Turn, matches: tuple[Match, ...], *, tied: bool = False) -> Match | None:
    """Of records that tie on their names, the one whose own sentences match the rest of the
    message clearly best ("the ministry's cluster concept" → the ministry whose call is about
    clusters), else None."""
    ignore = list(turn.resolution.names) if turn.resolution else []
    if tied:
        # Records the message named equally well: the words they tie on cannot tell them
        # apart ("næringshagen" for every "Næringshagen på X").
        ignore += [match.matched for match in matches]
    scored = []
    for match in matches:
        if match.kind == "place":
            return None
        found = turn.kb.passages(
            match.kind, match.id, turn.text, turn.lang, ignore=ignore, limit=1, own_only=not tied
        )
        scored.append((found[0].score if found else 0.0, match))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or scored[0][0] <= 0:
        return None
    if len(scored) > 1 and scored[0][0] < CLEARLY_BETTER * scored[1][0]:
        return None
    return scored[0][1]


#: below this confidence the intent classifier's choice is a guess
UNSURE_INTENT = 0.5
#: questions about a person ("who had the idea?") are taken for a purpose question only when
#: they do not ask who; the about question answers purpose questions itself
PERSON_INTENTS = frozenset({"ask_about", "ask_people", "ask_contact"})


def unsure_intent(turn: Turn) -> bool:
    """The intent classifier only guessed the message's intent (below ``UNSURE_INTENT``)."""
    intent = turn.tracker.latest_message.get("intent") or {}
    return float(intent.get("confidence") or 0.0) < UNSURE_INTENT


#: guessed questions of facts about organisations that give way to a question of where; a
#: "where" beside a call's questions ("where do I get the form?") is how to apply
GIVE_WAY_TO_WHERE = frozenset(
    {"ask_founded", "ask_names", "ask_programme", "ask_count", "ask_members", "ask_people",
     "ask_website", "ask_duration"}
)  # fmt: skip


def conversation_language(tracker: Tracker) -> str:
    lang = tracker.get_slot(LANGUAGE_SLOT)
    return lang if lang in SUPPORTED else DEFAULT_LANGUAGE


def choice_button(match: Match, label: str | None = None) -> dict[str, str]:
    """A button that answers the pending question for one record."""
    ref = Subject(match.kind, match.id).ref
    payload = f"/{CHOICE_INTENT}{json.dumps({SUBJECT_SLOT: ref}, ensure_ascii=False)}"
    return {"title": label or match.name, "payload": payload}


def render(turn: Turn, reply: Reply) -> str:
    lines = [with_latin_names(turn, line) for line in reply.lines]
    lines.extend(turn.words.citation(source) for source in reply.sources)
    return "\n".join(lines)


class AnswerAction(Action, abc.ABC):
    """A question about a record of the knowledge base, answered in the conversation's language."""

    intent: str
    kinds: tuple[str, ...]
    preferred: tuple[str, ...] = ()
    #: whether organisations of one document that tie may stand for its one call ("the
    #: business gardens' grants", "the press line for the garden grants")
    group_call: bool = True

    def name(self) -> str:
        return f"action_answer_{self.intent.removeprefix('ask_')}"

    @abc.abstractmethod
    def answer(self, turn: Turn, subject: Subject) -> Reply:
        """The answer about `subject`."""

    def without_subject(self, turn: Turn) -> Reply:
        """No record named or discussed yet: ask which one, offering the records the message
        comes closest to naming (none rather than arbitrary ones)."""
        suggestions = turn.resolution.suggestions if turn.resolution else ()
        if len(suggestions) == 1:  # the only record the message comes close to naming
            return self.answer(turn, Subject(suggestions[0].kind, suggestions[0].id))
        if len(suggestions) > 1 and (best := best_by_text(turn, suggestions, tied=True)):
            # "the ministry's cluster concept": of the ministries, the one whose texts speak
            # of clusters.
            return self.answer(turn, Subject(best.kind, best.id))
        reply = Reply().add(turn.words.say("which_subject"))
        reply.buttons = [choice_button(match) for match in suggestions]
        reply.pending_intent = self.intent
        return reply

    def choose(self, turn: Turn, choices: tuple[Match, ...]) -> Reply:
        reply = Reply().add(turn.words.say("choose_subject"))
        reply.buttons = [choice_button(match) for match in choices]
        reply.pending_intent = self.intent
        return reply

    def _better_question(self, turn: Turn) -> str | None:
        """The question the message asks where the classifier only guessed this one (the
        about question answers both itself): what something is for ("what will they build
        with the money?" guessed as "who"), where it is ("in which area is it active?" guessed
        as "when was it founded"), or who holds a role ("who was tasked with building it?")."""
        if self.intent == "ask_about" or not unsure_intent(turn):
            return None
        purpose = bool(purpose_cues(turn.text))
        if purpose and not (self.intent in PERSON_INTENTS and asks_who(turn.text)):
            return "ask_about"
        if not purpose and self.intent in GIVE_WAY_TO_WHERE and asks_where(turn.text):
            return "ask_location"
        if self.intent != "ask_people" and asks_who(turn.text) and roles_named(turn.text):
            return "ask_people"  # "which body was tasked with building the network?"
        return None

    def respond(
        self, turn: Turn, subject: Subject | None = None, *, follow_up: bool = True
    ) -> Reply:
        """The reply about ``subject``, else about the record the message names (or, with
        ``follow_up``, the one discussed before)."""
        better = self._better_question(turn)
        if better is not None:
            from actions.questions import QUESTIONS

            return QUESTIONS[better].respond(turn, subject, follow_up=follow_up)
        if subject is not None:
            return self.answer(turn, subject)
        resolution = resolve(
            turn.kb, turn.tracker, self.kinds, preferred=self.preferred, follow_up=follow_up
        )
        turn = replace(turn, resolution=resolution)
        if resolution.choices:
            best = best_by_text(turn, resolution.choices, tied=True)
            if best is not None:  # the message's other words fit one record's own texts
                return self.answer(turn, Subject(best.kind, best.id))
            common = common_record(turn, resolution.choices, calls=self.group_call)
            if common is not None:  # several gardens of one project: the project
                return self.answer(turn, common)
            return self.choose(turn, resolution.choices)
        if resolution.subject is None:
            return self.without_subject(turn)
        return self.answer(turn, resolution.subject)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await in_thread(self.reply_to, dispatcher, tracker, None)

    def reply_to(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        subject: Subject | None,
        *,
        follow_up: bool = True,
    ) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        words = Wording(lang, now())
        try:
            turn = Turn(knowledge_base(), words, tracker)
            reply = self.respond(turn, subject, follow_up=follow_up)
            text = render(turn, reply)
            metrics.record_answer(self.name(), lang, unknown=reply.unknown)
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable while answering %s", self.intent)
            dispatcher.utter_message(text=words.say("kb_unavailable"))
            return []
        if reply.response:
            dispatcher.utter_message(response=reply.response)
        else:
            # An unknown-fact answer says so in the bot event's metadata (the text is unchanged;
            # channels ignore the key): the staff analytics count them (staff/analytics.py).
            marks = {UNKNOWN_METADATA_KEY: True} if reply.unknown else {}
            dispatcher.utter_message(text=text, buttons=reply.buttons or None, **marks)
        asked = None if reply.response else self.intent
        events = [SlotSet(PENDING_SLOT, reply.pending_intent), SlotSet(LAST_QUESTION_SLOT, asked)]
        if reply.person is not None:
            events.append(SlotSet(PERSON_SLOT, reply.person.ref))
        if reply.subject is not None:
            events += [
                SlotSet(SUBJECT_SLOT, reply.subject.ref),
                SlotSet(SUBJECT_KIND_SLOT, reply.subject.kind),
            ]
        return events
