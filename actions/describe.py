"""A bare name ("DigiHub", "Voss?", "and Lycksele?"), or a choice clicked in a list.

A click answers the question that was waiting for it (the `pending_intent` slot). A name right
after a question asks that question again about the new name ("When does the Moroccan call
close?" … "and the Québec one?"). A name on its own, with nothing asked before, is described
briefly, with what else can be asked about it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.about import describe
from actions.base import LAST_QUESTION_SLOT, PENDING_SLOT, AnswerAction, Reply, Turn, in_thread
from actions.history import previous_question, with_message
from actions.knowledge_access import STORAGE_ERRORS, knowledge_base
from actions.questions import QUESTIONS
from actions.subject import ALL_KINDS, Subject, chosen_subject, resolve


class DescribeSubject(AnswerAction):
    intent = "inform"
    kinds = ALL_KINDS

    def name(self) -> str:
        return "action_describe_subject"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        pending = QUESTIONS.get(tracker.get_slot(PENDING_SLOT) or "")
        chosen = chosen_subject(tracker)
        if pending is not None and chosen is not None:
            return await in_thread(pending.reply_to, dispatcher, tracker, chosen)
        previous = QUESTIONS.get(tracker.get_slot(LAST_QUESTION_SLOT) or "")
        if previous is not None and chosen is None:
            # "Voss?" after a question: the same question about the name just given.
            return await in_thread(self._ask_again, dispatcher, tracker, previous)
        return await in_thread(self.reply_to, dispatcher, tracker, None)

    @staticmethod
    def _ask_again(
        dispatcher: CollectingDispatcher, tracker: Tracker, previous: AnswerAction
    ) -> list[dict[str, Any]]:
        """The previous question, as it was asked ("how much did Fabrikken get?": an amount),
        about the record the bare name names; the name's own choices or its absence are
        answered by the previous question's action as usual."""
        asked = previous_question(tracker, (previous.intent,))
        try:
            kb = knowledge_base()
            subject = resolve(
                kb, tracker, previous.kinds, preferred=previous.preferred, follow_up=False
            ).subject
        except STORAGE_ERRORS:
            subject = None  # the previous action says so, in the conversation's language
        if asked is None or subject is None:
            return previous.reply_to(dispatcher, tracker, None, follow_up=False)
        return previous.reply_to(dispatcher, with_message(tracker, asked), subject)

    def respond(
        self, turn: Turn, subject: Subject | None = None, *, follow_up: bool = True
    ) -> Reply:
        if subject is None:
            resolution = resolve(turn.kb, turn.tracker, self.kinds, follow_up=False)
            turn = replace(turn, resolution=resolution)
            if resolution.choices:
                return self.choose(turn, resolution.choices)
            subject = resolution.subject
        if subject is None:
            return Reply(unknown=True).add(
                turn.words.say("not_found", examples=self._examples(turn))
            )
        return self.answer(turn, subject)

    def answer(self, turn: Turn, subject: Subject) -> Reply:
        if subject.kind == "place":
            return QUESTIONS["find_hub"].respond(turn, subject)
        if subject.kind == "event":
            return QUESTIONS["ask_events"].answer(turn, subject)
        described = describe(turn, subject)
        if described is None:
            return Reply(unknown=True).add(
                turn.words.say("not_found", examples=self._examples(turn))
            )
        return described.add(turn.words.say("more_questions"))

    @staticmethod
    def _examples(turn: Turn) -> str:
        hubs = turn.kb.hubs(lang=turn.lang, limit=3)
        return turn.words.join([turn.words.name(hub.name) for hub in hubs])
