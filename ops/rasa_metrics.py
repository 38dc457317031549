"""Metrics of the Rasa server: every user message per channel and language, its intent, fallbacks.

Rasa 3.6 has no metrics of its own. Its event broker would see every event, but its tracker
store reads the whole conversation back from the database on every save to find the new events
(`TrackerStore.stream_events`), a second database read per message. Instead, after each
message's prediction loop (`MessageProcessor._run_prediction_loop`, Rasa 3.6.21), the tracker
already in memory is read once: the latest message's intent and input channel, the
conversation's `language` slot, and whether the bot fell back (`utter_please_rephrase`, predicted
by the RulePolicy's core fallback) or could not reach the action server
(`utter_service_unavailable`, see bot/components/action_failure_policy.py).

Served by `python -m ops.rasa` when `HUBGUIDE_RASA_METRICS_PORT` is set: Prometheus' text format
on 127.0.0.1 at that port (a port of its own: Rasa's port is public). Definitions in
`actions/metrics.py`.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from actions import metrics

logger = logging.getLogger(__name__)

PORT_VARIABLE = "HUBGUIDE_RASA_METRICS_PORT"
CORE_FALLBACK_ACTION = "utter_please_rephrase"
UNREACHABLE_ACTION = "utter_service_unavailable"


@metrics.safely
def observe_turn(tracker: Any) -> None:
    """Record the message just handled, from the tracker after its prediction loop."""
    from rasa.shared.core.events import ActionExecuted, UserUttered

    latest = tracker.latest_message
    if latest is None:
        return
    language = tracker.get_slot("language")
    if not language:
        detected = (latest.parse_data or {}).get("language") or {}
        language = detected.get("code") if isinstance(detected, dict) else None
    metrics.record_message(
        tracker.get_latest_input_channel(), language, (latest.intent or {}).get("name")
    )
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted):
            if event.action_name == CORE_FALLBACK_ACTION:
                metrics.record_core_fallback()
            elif event.action_name == UNREACHABLE_ACTION:
                metrics.record_error("action_server_unreachable")


def instrument() -> None:
    """Record every handled message (once per process)."""
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._run_prediction_loop
    if getattr(original, "_hubguide_metrics", False):
        return

    async def _run_prediction_loop(self: Any, output_channel: Any, tracker: Any) -> None:
        try:
            await original(self, output_channel, tracker)
        finally:
            observe_turn(tracker)

    _run_prediction_loop._hubguide_metrics = True  # type: ignore[attr-defined]
    MessageProcessor._run_prediction_loop = _run_prediction_loop


def serve(port: int | None = None) -> int | None:
    """Serve /metrics on 127.0.0.1 at `port` (default: HUBGUIDE_RASA_METRICS_PORT; unset or 0:
    not served). The port, or None."""
    if port is None:
        configured = os.environ.get(PORT_VARIABLE, "").strip()
        port = int(configured) if configured.isdigit() else 0
    if not port:
        return None
    from prometheus_client import start_http_server

    try:
        start_http_server(port, addr="127.0.0.1")
    except OSError:
        logger.warning("cannot serve metrics on 127.0.0.1:%s", port, exc_info=True)
        return None
    return port


def apply() -> None:
    instrument()
    logging.getLogger().addHandler(metrics.ErrorCounter())
    serve()
