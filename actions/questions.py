"""Every question action by the intent it answers: a choice clicked in a list resumes one."""

from __future__ import annotations

from actions.base import AnswerAction
from actions.call_questions import (
    AnswerDeadline,
    AnswerEligibility,
    AnswerFunding,
    AnswerHowToApply,
)
from actions.discovery import FindHub, ListCalls
from actions.hub_questions import AnswerContact, AnswerEvents, AnswerServices, Handoff

QUESTIONS: dict[str, AnswerAction] = {
    action.intent: action
    for action in (
        AnswerDeadline(),
        AnswerEligibility(),
        AnswerFunding(),
        AnswerHowToApply(),
        AnswerServices(),
        AnswerContact(),
        AnswerEvents(),
        Handoff(),
        FindHub(),
        ListCalls(),
    )
}
