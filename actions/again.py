"""After "in English please": the last answer again, in the language just switched to.

A person who asks for another language mostly wants what they were just told, in that
language ("Could you give me that answer in English?"). The last question is asked again as
it was asked (its message, the record it was about), now worded in the new language. A message
that was not understood is answered again as well (the apology or the sourced sentences, now in
the new language); with nothing before, the switch's confirmation is all there is.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.about import AnswerFallback
from actions.base import LAST_QUESTION_SLOT, AnswerAction, in_thread
from actions.history import previous_question, with_message
from actions.questions import QUESTIONS

#: intents answered by the fallback action (bot/data/rules/smalltalk.yml)
NOT_UNDERSTOOD = ("nlu_fallback", "out_of_scope")


class AnswerAgain(Action):
    def name(self) -> str:
        return "action_answer_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question: AnswerAction | None = QUESTIONS.get(tracker.get_slot(LAST_QUESTION_SLOT) or "")
        asked = previous_question(tracker, (question.intent,)) if question else None
        if asked is None:
            question = AnswerFallback()
            asked = previous_question(tracker, NOT_UNDERSTOOD, latest=True)
        if asked is None:
            # Nothing to repeat: the confirmation was the answer. The event says this action
            # ran (the failure policy apologises for an action that left nothing).
            return [SlotSet(LAST_QUESTION_SLOT, None)]
        return await in_thread(question.reply_to, dispatcher, with_message(tracker, asked), None)
