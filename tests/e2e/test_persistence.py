"""Nothing lost on restart: a conversation's language and subject are kept in the SQL tracker
store, so a follow-up after both servers restarted still knows what "and the deadline?" is about.

This test starts its own stack (the shared one must not be restarted under other tests).
"""

from __future__ import annotations

import uuid

import pytest

from ops.stack import FROZEN_NOW, Stack, free_port, language_slot, send

pytestmark = pytest.mark.e2e


def text_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies).replace("\u202f", " ")


def test_follow_up_and_language_survive_a_restart_of_both_servers(
    trained_model, seed_database_url, tmp_path
) -> None:
    stack = Stack(
        model=trained_model,
        log_dir=tmp_path,
        ports={"rasa": free_port(), "actions": free_port(), "web": free_port()},
        env={
            "HUBGUIDE_DATABASE_URL": seed_database_url,
            "HUBGUIDE_NOW": FROZEN_NOW,
            "HUBGUIDE_TRACKER_DB": str(tmp_path / "conversations.sqlite3"),
        },
    )
    sender = f"restart-{uuid.uuid4().hex[:10]}"
    with stack:
        first = text_of(
            send(stack.rasa_url, sender, "Qui peut postuler à l'appel clusters au Maroc ?")
        )
        assert "8 ans" in first, first
        stack.server("Rasa server").stop()
        stack.server("action server").stop()
        for server in stack.servers:
            server.start()
        for server in stack.servers:
            stack.wait_ready(server)
        after = text_of(send(stack.rasa_url, sender, "et la date limite ?"))
        assert "14 juin 2023" in after, after
        assert language_slot(stack.rasa_url, sender, stack.token) == "fr"
    assert (tmp_path / "conversations.sqlite3").stat().st_size > 0
