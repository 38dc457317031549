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
from actions.journeys.eligibility import CheckEligibility

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
        CheckEligibility(),
        # the deadline and hand-off journeys (a later entry wins: human_handoff opens a case)
        AddToCalendar(),
        RemindMe(),
        RequestHuman(),
    )
}


#: questions that start a journey (a form, a case, a subscription): never taken on a guess
JOURNEYS = frozenset({"check_eligibility", "add_to_calendar", "remind_me", "human_handoff"})


def runner_up(tracker, unsure_below: float) -> AnswerAction | None:
    """The question action of the classifier's second choice when its first one is unsure
    (below ``unsure_below``): a journey that starts a form must not start on a guess ("does
    the ministry have a call running this year?" read as "am I eligible?" at 0.16)."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    if not ranking or float(ranking[0].get("confidence") or 0.0) >= unsure_below:
        return None
    for candidate in ranking[1:]:
        action = QUESTIONS.get(candidate.get("name"))
        if action is not None and action.intent not in JOURNEYS:
            return action
    return None
