"""The cluster when PostgreSQL restarts: a short apology in the user's language while it is
down, then the conversation goes on where it was (its language and its subject) once it is back.

The cluster (ops/cluster.py: two Rasa replicas, two action servers, nginx, Redis) runs here on a
PostgreSQL server of the test's own (ops/private_postgres.py), which the test stops and starts:
the machines' shared server must not be restarted.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from ops.cluster import Cluster, ClusterSettings, drop_lock_keys, ensure_nginx
from ops.stack import FROZEN_NOW, free_port, language_slot, send

pytestmark = pytest.mark.e2e

QUESTION = "Qui peut postuler à l'appel clusters au Maroc ?"
FOLLOW_UP = "et la date limite ?"
DEADLINE = "14 juin 2023"
#: how long an answer may take while the database is down (the apology must be short)
DOWN_REPLY_SECONDS = 15.0


def text_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies).replace("\u202f", " ")


def apologies_in_french() -> set[str]:
    """The bot's outage apologies in French: the action server's and the domain's."""
    import yaml

    from actions.catalogue import messages
    from ops.stack import ROOT

    domain = yaml.safe_load((ROOT / "bot" / "domain" / "responses" / "smalltalk.yml").read_text())
    french = [
        variant["text"]
        for variant in domain["responses"]["utter_service_unavailable"]
        if any(c.get("value") == "fr" for c in variant.get("condition") or [])
    ]
    return {messages("fr")["kb_unavailable"], *french}


@pytest.fixture(scope="module")
def restartable(trained_model: Path):
    from ops.private_postgres import PrivatePostgres, unavailable_reason

    reason = unavailable_reason() or ensure_nginx()
    settings = ClusterSettings(
        redis_url="redis://127.0.0.1:6379/0",
        lock_key_prefix=f"hubguidepg{uuid.uuid4().hex[:10]}",
        rasa_port=free_port(),
        web_port=free_port(),
        bind="127.0.0.1",
    )
    if reason is None and not settings.redis.reachable():
        reason = "Redis on 127.0.0.1:6379 not reachable"
    if reason:
        pytest.skip(reason)
    server = PrivatePostgres.create(free_port()).start()
    settings.postgres_url = server.url
    instance = Cluster(
        model=trained_model,
        work=server.folder / "cluster",
        settings=settings,
        env={"HUBGUIDE_NOW": FROZEN_NOW, "TICKET_LOCK_LIFETIME": "10"},
        web=False,
    )
    try:
        with instance:
            yield instance, server
    finally:
        server.remove()
        drop_lock_keys(settings)


def test_postgres_restart_gives_an_apology_then_the_conversation_goes_on(restartable) -> None:
    cluster, server = restartable
    url, sender = cluster.rasa_url, f"pg-restart-{uuid.uuid4().hex[:8]}"
    first = text_of(send(url, sender, QUESTION, timeout=60))
    assert "8 ans" in first, first

    server.stop()
    started = time.monotonic()
    down = text_of(send(url, sender, FOLLOW_UP, timeout=DOWN_REPLY_SECONDS + 5))
    took = time.monotonic() - started
    assert down.strip() in apologies_in_french(), down
    assert took < DOWN_REPLY_SECONDS, f"the apology took {took:.1f} s"

    server.start()
    deadline = time.monotonic() + 60
    while True:  # the pools reconnect on their next use; the first try may still fail
        back = text_of(send(url, sender, FOLLOW_UP, timeout=60))
        if DEADLINE in back or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert DEADLINE in back, back
    assert language_slot(url, sender, cluster.token) == "fr"
