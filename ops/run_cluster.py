"""`make cluster`: PostgreSQL, Redis, two Rasa replicas and two action servers behind nginx,
and the web chat, on this machine, until Ctrl-C (ops/cluster.py)."""

from __future__ import annotations

import signal
import sys

from ops.cluster import Cluster, ClusterSettings, ensure_nginx
from ops.run import secrets
from ops.stack import ROOT, TOKEN_VARIABLE, latest_model, watch


def main() -> int:
    reason = ensure_nginx()
    settings = ClusterSettings()
    reason = reason or settings.unavailable_reason()
    if reason:
        print(f"Cannot start the cluster: {reason}.", file=sys.stderr)
        return 1
    values = secrets()
    cluster = Cluster(
        model=latest_model(),
        work=ROOT / "var" / "cluster",
        settings=settings,
        env=values,
        token=values[TOKEN_VARIABLE],
        schedulers=True,  # reminders and hand-off notices, claimed once across replicas
    )
    # Ctrl-C stops everything, even when a shell started us with SIGINT ignored (background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print(
            f"Importing knowledge/content into PostgreSQL database {settings.kb_database!r} "
            f"(conversations: {settings.tracker_database!r}, locks: Redis) …",
            flush=True,
        )
        cluster.prepare()
        print(
            f"Starting {settings.replicas} Rasa replicas, {settings.replicas} action servers, "
            "the web chat and nginx (logs in var/cluster/) …",
            flush=True,
        )
        cluster.start()
        replicas = ", ".join(stack.rasa_url for stack in cluster.replicas)
        print(
            f"""
HubGuide is running on {settings.replicas} replicas behind nginx.
  Web chat:      {cluster.web_url}/
  Rasa (nginx):  {cluster.rasa_url}   (REST, socket.io; HTTP API with the token in var/secrets.json)
  Replicas:      {replicas}   (loopback, behind nginx)
  nginx config:  {cluster.nginx_file}
Press Ctrl-C to stop everything.""",
            flush=True,
        )
        watch(cluster.servers)
    except KeyboardInterrupt:
        print("\nStopping …")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
