"""The scheduler beside the action server: fires due reminders, tells users nobody took their
hand-off case in time, and delivers every pending notice (ops/notify.py).

    python -m ops.scheduler --port 5056 [--interval 5] [--handoff-timeout 15]

State lives only in the database, so it survives restarts and any number of schedulers may run
(one per replica): every step claims its rows with a conditional UPDATE, so each reminder and
notice goes out once. "Now" is ``actions/clock.py``'s (``HUBGUIDE_NOW`` in tests), read anew on
each round; ``Scheduler.run_once(now)`` takes any instant.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy.engine import Engine

from actions.clock import now as clock_now
from knowledge import handoff, migrate, reminders
from knowledge.db import make_engine
from ops.notify import RasaApi, deliver

logger = logging.getLogger(__name__)

INTERVAL_VARIABLE = "HUBGUIDE_SCHEDULER_INTERVAL"
TIMEOUT_VARIABLE = "HUBGUIDE_HANDOFF_TIMEOUT_MINUTES"
PORT_VARIABLE = "HUBGUIDE_SCHEDULER_PORT"
DEFAULT_PORT = 5056
DEFAULT_TIMEOUT_MINUTES = 15.0


@dataclass
class Scheduler:
    engine: Engine
    api: RasaApi
    handoff_timeout: timedelta = timedelta(minutes=DEFAULT_TIMEOUT_MINUTES)
    clock: Callable[[], datetime] = clock_now
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}")

    def run_once(self, now: datetime | None = None) -> dict[str, int]:
        """One round at ``now`` (default: the clock); what it did. Nothing while the schema is
        not current: like the action server, the scheduler never migrates it itself (that is
        `hubguide kb migrate` or an import)."""
        if not migrate.is_current(self.engine):
            logger.warning("knowledge base schema not current: run `hubguide kb migrate`")
            return {"fired": 0, "timed_out": 0, "delivered": 0}
        moment = now or self.clock()
        fired = reminders.fire_due(self.engine, moment, self.worker)
        timed_out = handoff.time_out(self.engine, moment, self.handoff_timeout)
        delivered = deliver(self.engine, self.api, self.worker, moment)
        if fired or timed_out or delivered:
            logger.info(
                "scheduler round: %d reminders fired, %d cases timed out, %d notices delivered",
                len(fired),
                len(timed_out),
                len(delivered),
            )
        return {"fired": len(fired), "timed_out": len(timed_out), "delivered": len(delivered)}

    def run_forever(self, interval: float, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - a bad round (database down) must not end the loop
                logger.exception("scheduler round failed")
            stop.wait(interval)


class _Live(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        status = 200 if self.path == "/live" else 404
        body = b"ok" if status == 200 else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ops.scheduler", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get(PORT_VARIABLE, DEFAULT_PORT))
    )
    parser.add_argument(
        "--interval", type=float, default=float(os.environ.get(INTERVAL_VARIABLE, "5"))
    )
    parser.add_argument(
        "--handoff-timeout",
        type=float,
        default=float(os.environ.get(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT_MINUTES)),
        help="minutes a case may wait before the user gets the hub's contacts",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from ops import logs

    logs.configure("scheduler")
    engine = make_engine()
    scheduler = Scheduler(
        engine, RasaApi.from_env(), handoff_timeout=timedelta(minutes=args.handoff_timeout)
    )
    server = ThreadingHTTPServer((args.host, args.port), _Live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    logger.info("scheduler %s every %.1f s", scheduler.worker, args.interval)
    try:
        scheduler.run_forever(args.interval, stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
