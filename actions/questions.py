"""Every question action by the intent it answers: a choice clicked in a list resumes one, and
a bare name after a question asks it again about that name."""

from __future__ import annotations

from actions.about import AnswerAbout
from actions.base import AnswerAction
from actions.calendar import AddToCalendar, RemindMe
from actions.call_questions import (
    AnswerDeadline,
    AnswerDuration,
    AnswerEligibility,
    AnswerFunding,
    AnswerHowToApply,
    AnswerProgramme,
)
from actions.discovery import FindHub, ListCalls
from actions.fact_questions import (
    AnswerCount,
    AnswerFounded,
    AnswerLocation,
    AnswerMembers,
    AnswerNames,
    AnswerPeople,
    AnswerWebsite,
)
from actions.handoff import RequestHuman
from actions.hub_questions import AnswerContact, AnswerEvents, AnswerServices, Handoff

QUESTIONS: dict[str, AnswerAction] = {
    action.intent: action
    for action in (
        AnswerDeadline(),
        AnswerEligibility(),
        AnswerFunding(),
        AnswerHowToApply(),
        AnswerProgramme(),
        AnswerDuration(),
        AnswerServices(),
        AnswerContact(),
        AnswerEvents(),
        Handoff(),
        FindHub(),
        ListCalls(),
        AnswerLocation(),
        AnswerFounded(),
        AnswerPeople(),
        AnswerMembers(),
        AnswerCount(),
        AnswerWebsite(),
        AnswerNames(),
        AnswerAbout(),
        # the deadline and hand-off journeys (a later entry wins: human_handoff opens a case)
        AddToCalendar(),
        RemindMe(),
        RequestHuman(),
    )
}
