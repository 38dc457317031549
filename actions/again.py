"""After "in English please": the last answer again, in the language just switched to.

A message that asks a question of its own beside the request gets that question answered.
Otherwise a person who asks for another language mostly wants what they were just told, in that
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
from actions.questions import JOURNEYS, QUESTIONS
from knowledge.query.passages import sentences

#: intents answered by the fallback action (bot/data/rules/smalltalk.yml)
NOT_UNDERSTOOD = ("nlu_fallback", "out_of_scope")


#: the classifier's confidence a question beside a language request needs to be answered
QUESTION_BESIDE_SWITCH = 0.05


def _question_beside_the_switch(tracker: Tracker) -> AnswerAction | None:
    """The question a message asks in a sentence of its own beside the language request
    ("Pouvez-vous répondre en français ? C'était quand, la date limite ?"): the classifier's
    best question intent after the switch, when the message has more than one sentence."""
    message = tracker.latest_message
    if len(sentences(message.get("text") or "")) < 2:
        return None
    for candidate in (message.get("intent_ranking") or [])[1:]:
        action = QUESTIONS.get(candidate.get("name"))
        if action is None or action.intent in JOURNEYS:
            continue
        if float(candidate.get("confidence") or 0.0) >= QUESTION_BESIDE_SWITCH:
            return action
        return None
    return None


def _language_names_removed(tracker: Tracker) -> str:
    """The message without the languages it names ("my Swedish is not very good" names no
    place to ask about)."""
    message = tracker.latest_message
    text = message.get("text") or ""
    spans = sorted(
        (int(e["start"]), int(e["end"]))
        for e in message.get("entities") or []
        if e.get("entity") == "language" and "start" in e and "end" in e
    )
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    return text


class AnswerAgain(Action):
    def name(self) -> str:
        return "action_answer_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        asked_now = _question_beside_the_switch(tracker)
        if asked_now is not None:  # "… in French now? And when was the deadline?"
            message = {**tracker.latest_message, "text": _language_names_removed(tracker)}
            return await in_thread(
                asked_now.reply_to, dispatcher, with_message(tracker, message), None
            )
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
