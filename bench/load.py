"""The load benchmark (`python -m bench.run --only load`): Locust against nginx in front of one,
then two, Rasa replicas (`ops/cluster.py`: PostgreSQL, Redis, nginx on this machine).

Up to 200 concurrent visitors (bench/locustfile.py) hold the conversations of
tests/e2e/conversations/*.yml with a few seconds of thinking between messages, for a bounded
time. Reported per replica count: messages/s, p50/p95/p99 round trip, errors (non-200 answers,
empty replies, broken connections) and answers that missed what the conversation file expects.
All traffic goes to 127.0.0.1. Each run uses throwaway PostgreSQL databases and its own Redis
key prefix, removed afterwards.

The per-address rate limit (HUBGUIDE_RATE_PER_ADDRESS) is lifted for these runs: every simulated
visitor comes from 127.0.0.1 through nginx, so they would all share one address's budget.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from ops.cluster import Cluster, ClusterSettings, drop_lock_keys, ensure_nginx
from ops.stack import FROZEN_NOW, VENV_BIN, free_port, send

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
CONVERSATIONS_DIR = Path(__file__).resolve().parent.parent / "tests" / "e2e" / "conversations"


@dataclass
class LoadSettings:
    users: int = 200
    spawn_rate: float = 20.0  # visitors started per second
    seconds: int = 60
    think: str = "2,5"  # seconds between a visitor's messages (min,max)
    replicas: tuple[int, ...] = (1, 2)

    @classmethod
    def quick(cls) -> LoadSettings:
        return cls(users=20, spawn_rate=10.0, seconds=15, replicas=(2,))


def locust_binary() -> Path | None:
    path = VENV_BIN / "locust"
    return path if path.exists() else (Path(found) if (found := shutil.which("locust")) else None)


def read_stats(prefix: Path) -> dict:
    """The 'Aggregated' row of Locust's `<prefix>_stats.csv`, and its failures."""
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").open()))
    total = next(row for row in rows if row["Name"] == "Aggregated")

    def number(key: str) -> float | None:
        value = total.get(key, "")
        return None if value in ("", "N/A") else float(value)

    failures = []
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        for row in csv.DictReader(failures_csv.open()):
            failures.append({"error": row.get("Error"), "count": int(row.get("Occurrences", 0))})
    return {
        "messages": int(number("Request Count") or 0),
        "errors": int(number("Failure Count") or 0),
        "messages_per_s": round(number("Requests/s") or 0.0, 2),
        "p50_ms": number("50%"),
        "p95_ms": number("95%"),
        "p99_ms": number("99%"),
        "max_ms": number("Max Response Time"),
        "mean_ms": round(number("Average Response Time") or 0.0, 1),
        "failures": failures,
    }


def run_locust(url: str, settings: LoadSettings, out: Path) -> dict:
    binary = locust_binary()
    if binary is None:
        raise FileNotFoundError("locust is not installed: pip install -e '.[bench]'")
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / "locust"
    checks = out / "checks.json"
    command = [
        str(binary),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(settings.users),
        "--spawn-rate",
        str(settings.spawn_rate),
        "--run-time",
        f"{settings.seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    env = {
        **os.environ,
        "HUBGUIDE_LOAD_THINK": settings.think,
        "HUBGUIDE_LOAD_CHECKS": str(checks),
    }
    load_before = os.getloadavg()
    started = time.perf_counter()
    with (out / "locust.log").open("w") as log:
        subprocess.run(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=settings.seconds + 120,
            check=False,
        )
    figures = read_stats(prefix)
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    figures["load_average_before"] = [round(x, 2) for x in load_before]
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if checks.exists():
        answers = json.loads(checks.read_text())
        figures["answers_checked"] = answers.get("turns")
        figures["wrong_answers"] = answers.get("wrong")
        figures["wrong_examples"] = answers.get("examples", [])[:3]
    return figures


def warm_up(cluster: Cluster) -> int:
    """Every turn of the first conversation of each language, once through each replica (and so
    both action servers): the first answers build caches (name index, passages) that the
    measured run should not pay for. Returns the messages sent."""
    import yaml  # not bench.locustfile: importing locust patches this process with gevent

    firsts = {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))[0]
        for path in sorted(CONVERSATIONS_DIR.glob("*.yml"))
    }
    sent = 0
    for index in range(len(cluster.replicas)):
        for conversation in firsts.values():
            sender = f"warm-{uuid.uuid4().hex[:10]}"
            for turn in conversation["turns"]:
                send(cluster.replica_url(index), sender, turn["user"], turn.get("metadata"))
                sent += 1
    return sent


def run_cluster(
    model: Path, replicas: int, settings: LoadSettings, work: Path, progress: Callable
) -> dict:
    from ops.scratch_postgres import create_database

    cluster_settings = ClusterSettings(
        postgres_url="postgresql://postgres@127.0.0.1:5432",
        redis_url="redis://127.0.0.1:6379/0",
        lock_key_prefix=f"hubguidebench{uuid.uuid4().hex[:8]}",
        replicas=replicas,
        rasa_port=free_port(),
        web_port=free_port(),
        bind="127.0.0.1",
    )
    cluster_settings.kb_database, drop_kb = create_database("hubguide_load_kb")
    cluster_settings.tracker_database, drop_tracker = create_database("hubguide_load_conv")
    cluster = Cluster(
        model=model,
        work=work / f"cluster-{replicas}",
        settings=cluster_settings,
        env={"HUBGUIDE_NOW": FROZEN_NOW, "HUBGUIDE_RATE_PER_ADDRESS": "1000000"},
        web=False,
    )
    try:
        progress(f"load: starting {replicas} replica(s) behind nginx")
        started = time.perf_counter()
        with cluster:
            start_s = round(time.perf_counter() - started, 1)
            warm = warm_up(cluster)
            progress(
                f"load: {settings.users} visitors for {settings.seconds} s "
                f"against {replicas} replica(s)"
            )
            figures = run_locust(cluster.rasa_url, settings, work / f"locust-{replicas}")
            figures["cluster_start_s"] = start_s
            figures["warm_up_messages"] = warm
    finally:
        drop_tracker()
        drop_kb()
        drop_lock_keys(cluster_settings)
    progress(
        f"load: {replicas} replica(s): {figures['messages_per_s']} messages/s, "
        f"p95 {figures['p95_ms']} ms, {figures['errors']} errors"
    )
    return figures


def run(model: Path, work: Path, progress: Callable, settings: LoadSettings | None = None) -> dict:
    settings = settings or LoadSettings()
    from ops.scratch_postgres import unreachable_reason

    reason = unreachable_reason() or ensure_nginx() or ClusterSettings().unavailable_reason()
    if reason:
        return {"skipped": reason}
    if locust_binary() is None:
        return {"skipped": "locust is not installed: pip install -e '.[bench]'"}
    out: dict = {"settings": asdict(settings), "cpus": os.cpu_count(), "runs": {}}
    for replicas in settings.replicas:
        try:
            out["runs"][str(replicas)] = run_cluster(model, replicas, settings, work, progress)
        except Exception as error:  # one run failing must not lose the other
            out["runs"][str(replicas)] = {"error": f"{type(error).__name__}: {error}"}
    return out
