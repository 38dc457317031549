"""An answer's database work runs off the event loop: one slow lookup (a slow query, a name
index being rebuilt) does not hold up the other conversations' actions."""

from __future__ import annotations

import asyncio
import threading

from rasa_sdk.executor import CollectingDispatcher

from actions.hub_questions import AnswerContact, AnswerServices
from tests.unit.actions.conftest import make_tracker


def test_a_slow_lookup_does_not_hold_up_another_conversation(run_action) -> None:
    run_action(AnswerContact(), "warm up", "ask_contact")  # the knowledge base is opened
    release = threading.Event()
    slow = AnswerServices()

    def stuck_reply_to(*args, **kwargs):  # a query that takes as long as the test wants
        release.wait(30)
        return []

    slow.reply_to = stuck_reply_to  # type: ignore[method-assign]

    async def both() -> tuple[bool, str]:
        stuck = asyncio.create_task(
            slow.run(CollectingDispatcher(), make_tracker("x", "ask_services"), {})
        )
        dispatcher = CollectingDispatcher()
        tracker = make_tracker("contact at Coompanion?", "ask_contact")
        await asyncio.wait_for(AnswerContact().run(dispatcher, tracker, {}), timeout=25)
        still_waiting = not stuck.done()
        release.set()
        await stuck
        return still_waiting, "\n".join(m.get("text") or "" for m in dispatcher.messages)

    still_waiting, text = asyncio.run(both())
    assert still_waiting, "the other conversation's answer waited for the slow one"
    assert "Coompanion" in text or "coompanion" in text
