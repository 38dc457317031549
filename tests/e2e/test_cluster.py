"""Several replicas (`make cluster`, ops/cluster.py): PostgreSQL for the knowledge base and the
tracker store, Redis for the lock store, two Rasa replicas and two action servers behind nginx.

One cluster for the module, on free loopback ports, with throwaway PostgreSQL databases and its
own Redis key prefix, all removed afterwards. Skips with the reason when PostgreSQL or Redis do
not answer or nginx cannot be installed. Restarting PostgreSQL is tested in
test_postgres_restart.py, on a server of that test's own: this one is shared by other tests and
other people on these machines.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from ops.cluster import Cluster, ClusterSettings, drop_lock_keys, ensure_nginx
from ops.stack import FROZEN_NOW, free_port, language_slot, send, tracker

pytestmark = pytest.mark.e2e

FIRST = "Qui peut postuler à l'appel clusters au Maroc ?"
FOLLOW_UP = "et la date limite ?"
DEADLINE = "14 juin 2023"


def text_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies).replace("\u202f", " ")


@pytest.fixture(scope="module")
def cluster(trained_model: Path, tmp_path_factory: pytest.TempPathFactory):
    from ops.scratch_postgres import create_database, unreachable_reason

    settings = ClusterSettings(
        postgres_url="postgresql://postgres@127.0.0.1:5432",
        redis_url="redis://127.0.0.1:6379/0",
        lock_key_prefix=f"hubguidetest{uuid.uuid4().hex[:10]}",
        rasa_port=free_port(),
        web_port=free_port(),
        bind="127.0.0.1",
    )
    reason = unreachable_reason()
    if reason is None and not settings.redis.reachable():
        reason = "Redis on 127.0.0.1:6379 not reachable"
    reason = reason or ensure_nginx()
    if reason:
        pytest.skip(reason)
    settings.kb_database, drop_kb = create_database("hubguide_cluster_kb")
    try:
        settings.tracker_database, drop_tracker = create_database("hubguide_cluster_conv")
    except BaseException:
        drop_kb()
        raise
    from webchat.server import DEFAULT_DIST_DIR

    instance = Cluster(
        model=trained_model,
        work=tmp_path_factory.mktemp("cluster"),
        settings=settings,
        env={"HUBGUIDE_NOW": FROZEN_NOW, "TICKET_LOCK_LIFETIME": "10"},
        # The web chat needs its built widget (`make webchat`); without it nginx is tested
        # in front of the replicas only.
        web=(DEFAULT_DIST_DIR / "widget.js").is_file(),
    )
    try:
        with instance:
            yield instance
    finally:
        drop_tracker()
        drop_kb()
        drop_lock_keys(settings)


def user_texts(events: list[dict]) -> list[str]:
    return [event.get("text") for event in events if event.get("event") == "user"]


def test_a_conversation_alternating_between_replicas_keeps_its_state(cluster: Cluster) -> None:
    sender = f"alternate-{uuid.uuid4().hex[:10]}"
    first = text_of(send(cluster.replica_url(0), sender, FIRST))
    assert "8 ans" in first, first
    # The other replica: the subject (the call) and the language come from PostgreSQL.
    after = text_of(send(cluster.replica_url(1), sender, FOLLOW_UP))
    assert DEADLINE in after, after
    thanks = text_of(send(cluster.replica_url(0), sender, "merci"))
    assert thanks and "thank" not in thanks.lower(), thanks
    for index in (0, 1):
        assert language_slot(cluster.replica_url(index), sender, cluster.token) == "fr"
    events = tracker(cluster.replica_url(1), sender, cluster.token)["events"]
    assert user_texts(events) == [FIRST, FOLLOW_UP, "merci"]


def test_two_replicas_receiving_one_conversation_at_once_keep_its_events_in_order(
    cluster: Cluster,
) -> None:
    """The lock store (Redis, tickets issued atomically: ops/lock_store.py) lets one replica at
    a time handle a conversation: no turn is lost, none interleaves with another."""
    sender = f"together-{uuid.uuid4().hex[:10]}"
    assert "8 ans" in text_of(send(cluster.replica_url(0), sender, FIRST))
    questions = ["et la date limite ?", "qui peut postuler ?"]
    expected = {"et la date limite ?": DEADLINE, "qui peut postuler ?": "8 ans"}
    rounds = 3
    answers: list[tuple[str, str]] = []
    for _ in range(rounds):
        barrier = threading.Barrier(2)

        def ask(index: int, barrier: threading.Barrier = barrier) -> None:
            barrier.wait(10)
            text = questions[index]
            answers.append((text, text_of(send(cluster.replica_url(index), sender, text))))

        threads = [threading.Thread(target=ask, args=(index,)) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert len(answers) == 2 * rounds
    for text, answer in answers:
        assert expected[text] in answer, (text, answer)
    events = tracker(cluster.replica_url(1), sender, cluster.token)["events"]
    texts = user_texts(events)
    assert len(texts) == 1 + 2 * rounds, texts
    assert sorted(texts[1:]) == sorted(questions * rounds)
    # Each turn is whole: a user message, its actions, then listening, before the next one.
    turns = []
    for event in events:
        if event.get("event") == "user":
            turns.append([])
        elif turns:
            turns[-1].append((event.get("event"), event.get("name")))
    for turn in turns:
        assert turn and turn[-1] == ("action", "action_listen"), turn
        assert ("action", "action_listen") not in turn[:-1], turn
    stamps = [event["timestamp"] for event in events]
    assert stamps == sorted(stamps)


def test_nginx_spreads_rest_and_upgrades_socketio(cluster: Cluster) -> None:
    sender = f"nginx-{uuid.uuid4().hex[:10]}"
    assert DEADLINE in text_of(
        send(cluster.rasa_url, sender, "Quand est la date limite de l'appel clusters au Maroc ?")
    )
    # The HTTP API through nginx still wants the token.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{cluster.rasa_url}/conversations/{sender}/tracker", timeout=10)
    assert refused.value.code in (401, 403)
    # Both replicas answer requests that come through nginx (least connections, round robin).
    for _ in range(6):
        with urllib.request.urlopen(
            f"{cluster.rasa_url}/status?token={cluster.token}", timeout=10
        ) as response:
            assert response.status == 200
    access = (cluster.work / "nginx-access.log").read_text()
    for stack in cluster.replicas:
        assert f"127.0.0.1:{stack.ports['rasa']}" in access, access[-2000:]
    # socket.io: a WebSocket upgrade from an allowed origin goes through nginx (101).
    origin = cluster.origins[0]
    with socket.create_connection(("127.0.0.1", cluster.settings.rasa_port), timeout=10) as sock:
        sock.sendall(
            (
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{cluster.settings.rasa_port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: {origin}\r\n\r\n"
            ).encode()
        )
        status_line = sock.recv(1024).split(b"\r\n", 1)[0]
    assert b" 101 " in status_line, status_line
    if cluster.web:
        with urllib.request.urlopen(f"{cluster.web_url}/healthz", timeout=10) as response:
            assert response.status == 200


def socketio_conversation(url: str, origin: str, texts: list[str]) -> tuple[str, list]:
    """The widget's protocol (webchat/rasa_channel.py) through nginx: polling, then the
    WebSocket upgrade; the session id the cluster gave and the bot's answers. The synchronous
    client (websocket-client): the asynchronous one needs a newer aiohttp than Rasa's."""
    import queue

    import socketio

    client = socketio.Client(reconnection=False)
    confirmed: queue.Queue = queue.Queue()
    answers: queue.Queue = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", answers.put)
    client.connect(url, headers={"Origin": origin}, wait_timeout=15)
    try:
        client.emit("session_request", {"session_id": None})
        session = confirmed.get(timeout=15)
        replies = []
        for text in texts:
            client.emit("user_uttered", {"message": text, "session_id": session})
            replies.append(answers.get(timeout=30))
        transport = client.transport()
    finally:
        client.disconnect()
    return transport, [session, *replies]


def test_the_web_chat_protocol_goes_through_nginx(cluster: Cluster) -> None:
    transport, (session, first, second) = socketio_conversation(
        cluster.rasa_url, cluster.origins[0], [FIRST, FOLLOW_UP]
    )
    assert transport == "websocket"
    assert "8 ans" in text_of([first]), first
    assert DEADLINE in text_of([second]), second
    # The conversation is in PostgreSQL: each replica has it, under the id the cluster signed.
    for index in (0, 1):
        events = tracker(cluster.replica_url(index), session, cluster.token)["events"]
        assert user_texts(events) == [FIRST, FOLLOW_UP]


def conversation(
    cluster: Cluster, sender: str, turns: int, results: dict, start: threading.Event
) -> None:
    """One visitor through nginx: the call question, then follow-ups; each message is retried
    (as the widget and a person would) until it is answered or 40 s have passed."""
    answers = []
    start.wait(30)
    for turn in range(turns):
        text = FIRST if turn == 0 else FOLLOW_UP
        deadline = time.monotonic() + 40
        while True:
            try:
                answers.append(text_of(send(cluster.rasa_url, sender, text, timeout=30)))
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if time.monotonic() > deadline:
                    answers.append(f"FAILED: {error}")
                    break
                time.sleep(1)
        time.sleep(0.3)
    results[sender] = answers


def test_killing_a_replica_under_load_loses_no_conversation(cluster: Cluster) -> None:
    """Runs last: it kills replica 1 (SIGKILL, mid-conversation) and leaves it dead."""
    senders = [f"kill-{index}-{uuid.uuid4().hex[:8]}" for index in range(8)]
    results: dict[str, list[str]] = {}
    start = threading.Event()
    threads = [
        threading.Thread(target=conversation, args=(cluster, sender, 5, results, start))
        for sender in senders
    ]
    for thread in threads:
        thread.start()
    start.set()
    time.sleep(2.0)
    victim = cluster.replica(0)
    os.killpg(victim.process.pid, signal.SIGKILL)
    victim.process.wait(10)
    for thread in threads:
        thread.join(120)
    assert sorted(results) == sorted(senders)
    for sender in senders:
        answers = results[sender]
        assert len(answers) == 5
        assert "8 ans" in answers[0], (sender, answers[0])
        for answer in answers[1:]:
            assert DEADLINE in answer, (sender, answer)
        # The surviving replica holds the whole conversation: nothing was lost.
        events = tracker(cluster.replica_url(1), sender, cluster.token)["events"]
        texts = user_texts(events)
        assert texts[0] == FIRST and texts.count(FOLLOW_UP) >= 4, texts
        assert language_slot(cluster.replica_url(1), sender, cluster.token) == "fr"
