"""What every HubGuide answer does: language, subject, choice lists, apology, source, slots.

A question action names the intent it answers, the kinds of record it can be about and how it
answers; this base class does the rest the same way for all of them.
"""

from __future__ import annotations

import abc
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clock import now
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from actions.subject import SUBJECT_KIND_SLOT, SUBJECT_SLOT, Subject, resolve
from actions.wording import Wording
from bot.language.codes import SUPPORTED
from knowledge.query import KnowledgeBase
from knowledge.views import Match, SourceView

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
PENDING_SLOT = "pending_intent"
DEFAULT_LANGUAGE = "en"
CHOICE_INTENT = "inform"


@dataclass
class Reply:
    """One bot message: lines of text, optional buttons, the sources its facts come from."""

    lines: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)
    sources: list[SourceView] = field(default_factory=list)
    subject: Subject | None = None
    pending_intent: str | None = None

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

    @property
    def lang(self) -> str:
        return self.words.lang


def conversation_language(tracker: Tracker) -> str:
    lang = tracker.get_slot(LANGUAGE_SLOT)
    return lang if lang in SUPPORTED else DEFAULT_LANGUAGE


def choice_button(match: Match, label: str | None = None) -> dict[str, str]:
    """A button that answers the pending question for one record."""
    ref = Subject(match.kind, match.id).ref
    payload = f"/{CHOICE_INTENT}{json.dumps({SUBJECT_SLOT: ref}, ensure_ascii=False)}"
    return {"title": label or match.name, "payload": payload}


def render(turn: Turn, reply: Reply) -> str:
    lines = list(reply.lines)
    lines.extend(turn.words.citation(source) for source in reply.sources)
    return "\n".join(lines)


class AnswerAction(Action, abc.ABC):
    """A question about a record of the knowledge base, answered in the conversation's language."""

    intent: str
    kinds: tuple[str, ...]
    preferred: tuple[str, ...] = ()

    def name(self) -> str:
        return f"action_answer_{self.intent.removeprefix('ask_')}"

    @abc.abstractmethod
    def answer(self, turn: Turn, subject: Subject) -> Reply:
        """The answer about `subject`."""

    def without_subject(self, turn: Turn) -> Reply:
        """No record named or discussed yet: ask which one, with a few to pick from."""
        hubs = turn.kb.hubs(lang=turn.lang, limit=5)
        examples = [Match("organisation", hub.id, hub.name.value, 1.0) for hub in hubs]
        reply = Reply().add(turn.words.say("which_subject"))
        reply.buttons = [choice_button(match) for match in examples]
        reply.pending_intent = self.intent
        return reply

    def choose(self, turn: Turn, choices: tuple[Match, ...]) -> Reply:
        reply = Reply().add(turn.words.say("choose_subject"))
        reply.buttons = [choice_button(match) for match in choices]
        reply.pending_intent = self.intent
        return reply

    def respond(self, turn: Turn, subject: Subject | None = None) -> Reply:
        if subject is not None:
            return self.answer(turn, subject)
        resolution = resolve(turn.kb, turn.tracker, self.kinds, preferred=self.preferred)
        if resolution.choices:
            return self.choose(turn, resolution.choices)
        if resolution.subject is None:
            return self.without_subject(turn)
        return self.answer(turn, resolution.subject)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return self.reply_to(dispatcher, tracker, subject=None)

    def reply_to(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, subject: Subject | None
    ) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        words = Wording(lang, now())
        try:
            turn = Turn(knowledge_base(), words, tracker)
            reply = self.respond(turn, subject)
            text = render(turn, reply)
        except STORAGE_ERRORS:
            logger.exception("knowledge base unavailable while answering %s", self.intent)
            dispatcher.utter_message(text=words.say("kb_unavailable"))
            return []
        dispatcher.utter_message(text=text, buttons=reply.buttons or None)
        events = [SlotSet(PENDING_SLOT, reply.pending_intent)]
        if reply.subject is not None:
            events += [
                SlotSet(SUBJECT_SLOT, reply.subject.ref),
                SlotSet(SUBJECT_KIND_SLOT, reply.subject.kind),
            ]
        return events
