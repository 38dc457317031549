"""Serve one trained bot and measure it: start-up, round trips, throughput, memory.

The same code path serves the stock bot and HubGuide; only HubGuide has an action server, and
only HubGuide gets the optional second run against the large synthetic database.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench import latency
from bench.bots import REPO, VENV_BIN, Bot, rasa_env
from bench.procs import Server, ServerFailed, first_reply, http_ok, run_logged, wait_until
from ops.stack import action_server_command, free_port

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Settings:
    """How much traffic each bot gets; `quick` shrinks everything for a smoke test."""

    warmup: int = 10
    serial: int = 300
    conversations: int = 20
    per_conversation: int = 15
    scale_serial: int = 300
    parse_only: int = 100
    block: int = 50  # serial messages per bot before switching to the other bot
    phase_time_limit: float = 120.0
    startup_timeout: float = 180.0

    @classmethod
    def quick(cls) -> Settings:
        return cls(
            warmup=3,
            serial=40,
            conversations=20,
            per_conversation=2,
            scale_serial=40,
            parse_only=20,
            block=20,
            phase_time_limit=60.0,
        )


def seed_database(work: Path, progress: Progress) -> str:
    """A fresh SQLite database with the seed content, via the staff CLI (`hubguide kb import`)."""
    path = work / "seed.sqlite3"
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    progress("hubguide: importing the seed content (hubguide kb import)")
    _import(url, work / "kb-import-seed.log")
    return url


def scale_database(work: Path, synthetic_url: str, progress: Progress) -> str:
    """A copy of the large synthetic SQLite database with the seed content imported on top.

    The benchmark questions name seed hubs and calls, so they must find them among the 10,000
    synthetic hubs; the import replaces only the seed sources' records. Non-SQLite URLs are
    used as they are (nothing is written to a database this run did not create).
    """
    if not synthetic_url.startswith("sqlite:///"):
        return synthetic_url
    source = Path(synthetic_url[len("sqlite:///") :])
    work.mkdir(parents=True, exist_ok=True)
    path = work / "scale.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, path)
    url = f"sqlite:///{path}"
    progress("hubguide: importing the seed content into a copy of the large database")
    _import(url, work / "kb-import-scale.log")
    return url


def _import(url: str, log: Path) -> None:
    command = [str(VENV_BIN / "hubguide"), "kb", "import"]
    run_logged(command, REPO, log, "hubguide kb import", {"HUBGUIDE_DATABASE_URL": url})


def _write_endpoints(folder: Path, actions_port: int | None) -> tuple[Path, Path]:
    """Endpoints and credentials used for both bots: REST channel, in-memory stores.

    Only the action endpoint differs, so the two bots are served under the same conditions
    whatever the project's own endpoints.yml enables for production (Redis, PostgreSQL).
    """
    endpoints = folder / "endpoints.yml"
    credentials = folder / "credentials.yml"
    config = {}
    if actions_port is not None:
        # HubGuide's own action-endpoint settings (selective domain), on this run's port.
        project = yaml.safe_load((REPO / "endpoints.yml").read_text()) or {}
        settings = {**(project.get("action_endpoint") or {})}
        settings["url"] = f"http://127.0.0.1:{actions_port}/webhook"
        config["action_endpoint"] = settings
    endpoints.write_text(yaml.safe_dump(config) if config else "{}\n")
    credentials.write_text("rest: {}\n")
    return endpoints, credentials


def _action_server(folder: Path, port: int, database_url: str, tag: str) -> Server:
    return Server(
        name=f"action server ({tag})",
        command=action_server_command(port),
        cwd=REPO,
        log_path=folder / f"actions-{tag}.log",
        env=rasa_env({"HUBGUIDE_DATABASE_URL": database_url}),
    )


def _start_actions(server: Server, port: int, settings: Settings, progress: Progress) -> float:
    server.start()
    seconds = wait_until(
        server,
        lambda: http_ok(f"http://127.0.0.1:{port}/health"),
        timeout=settings.startup_timeout,
        what="healthy",
    )
    progress(f"{server.name}: healthy after {seconds:.1f} s")
    return seconds


@dataclass
class Running:
    """One bot's servers while it is being measured, and its figures so far."""

    bot: Bot
    folder: Path
    base: str
    actions_port: int | None
    rasa: Server
    actions: Server | None
    servers: list[Server] = field(default_factory=list)
    result: dict = field(default_factory=dict)
    tally: latency.Tally = field(default_factory=latency.Tally)

    @property
    def rest(self) -> str:
        return f"{self.base}/webhooks/rest/webhook"

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.bot.messages]


@dataclass(frozen=True)
class Subject:
    """A bot to measure and the databases its action server uses (None: no action server)."""

    bot: Bot
    database_url: str | None = None
    scale_database_url: str | None = None


def _start(subject: Subject, work: Path, settings: Settings, progress: Progress) -> Running:
    """Start the bot's servers; start-up is timed until the REST channel's first reply."""
    bot = subject.bot
    folder = work / f"serve-{bot.label}"
    folder.mkdir(parents=True, exist_ok=True)
    rasa_port = free_port()
    actions_port = free_port() if bot.uses_action_server else None
    endpoints, credentials = _write_endpoints(folder, actions_port)
    rasa = Server(
        name=f"rasa ({bot.label})",
        command=[
            # HubGuide runs through ops.rasa (Rasa with its action-response check compiled
            # once), as `make run` does; the stock bot through plain `rasa`.
            *(
                [str(VENV_BIN / "python"), "-m", "ops.rasa"]
                if bot.uses_action_server
                else [str(VENV_BIN / "rasa")]
            ),  # fmt: skip
            "run",
            "--enable-api",
            "-m",
            str(bot.model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
            "-i",
            "127.0.0.1",
            "-p",
            str(rasa_port),
        ],
        cwd=bot.project,
        log_path=folder / "rasa.log",
        env=rasa_env({"HUBGUIDE_ACTIONS_PORT": str(actions_port or "")}),
    )
    running = Running(bot, folder, f"http://127.0.0.1:{rasa_port}", actions_port, rasa, None)
    running.result.update(
        {
            "train_time_s": bot.train_time_s,
            "messages_available": len(bot.messages),
            # The machine is shared: record how busy it was around this bot's measurements.
            "load_average_before": list(os.getloadavg()),
        }
    )
    if bot.uses_action_server:
        if subject.database_url is None:
            raise RuntimeError(f"{bot.label} needs a database URL for its action server")
        running.actions = _action_server(folder, actions_port, subject.database_url, "seed")
        running.servers.append(running.actions)
        running.result["actions_startup_s"] = _start_actions(
            running.actions, actions_port, settings, progress
        )
    progress(f"{bot.label}: starting rasa run, polling the REST channel until it replies")
    running.servers.append(rasa)
    rasa.start()
    startup = wait_until(
        rasa,
        lambda: first_reply(running.rest, f"bench-startup-{rasa_port}", bot.startup_message),
        timeout=settings.startup_timeout,
        interval=0.1,
        what="replying",
    )
    running.result["startup_s"] = startup
    progress(f"{bot.label}: first reply {startup:.1f} s after process start")
    return running


def _stop(running: Running) -> None:
    for server in reversed(running.servers):
        server.stop()


def measure(
    subjects: list[Subject], work: Path, settings: Settings, progress: Progress
) -> dict[str, dict]:
    """Measure the bots side by side: start-up one after the other, then serial round trips in
    alternating blocks (so a change in the shared machine's load hits both bots alike), then
    each bot's concurrent burst, memory, and HubGuide's run against the large database.
    """
    results: dict[str, dict] = {}
    running: list[Running] = []
    try:
        for subject in subjects:
            try:
                running.append(_start(subject, work, settings, progress))
            except ServerFailed as error:
                results[subject.bot.label] = {
                    "train_time_s": subject.bot.train_time_s,
                    "error": str(error),
                }
                progress(f"{subject.bot.label}: FAILED: {str(error).splitlines()[0]}")
        for r in running:
            r.result["warmup"] = asyncio.run(
                latency.serial(
                    r.rest, r.texts, settings.warmup, time_limit=settings.phase_time_limit
                )
            ).summary()

        labels = " and ".join(r.bot.label for r in running)
        progress(f"{settings.serial} messages one after another to {labels}, in alternating blocks")
        for offset in range(0, settings.serial, settings.block):
            count = min(settings.block, settings.serial - offset)
            for r in running:
                asyncio.run(
                    latency.serial(
                        r.rest,
                        r.texts,
                        count,
                        time_limit=settings.phase_time_limit,
                        tally=r.tally,
                        offset=offset,
                    )
                )
            progress(f"{offset + count}/{settings.serial} sent to each")
        for r in running:
            r.result["serial"] = r.tally.summary()
            r.result["serial"]["slowest"] = r.tally.slowest(r.texts)
            r.result["serial_per_language"] = r.tally.by_group([lang for lang, _ in r.bot.messages])
            r.result["custom_actions"] = asyncio.run(latency.actions_run(r.base, r.tally.senders))
            r.result["parse_only"] = asyncio.run(
                latency.parse_only(
                    f"{r.base}/model/parse",
                    r.texts,
                    settings.parse_only,
                    time_limit=settings.phase_time_limit,
                )
            )
            progress(
                f"{r.bot.label}: p50 {r.result['serial'].get('p50_ms', float('nan')):.1f} ms, "
                f"p95 {r.result['serial'].get('p95_ms', float('nan')):.1f} ms, "
                f"NLU alone p50 {r.result['parse_only'].get('p50_ms', float('nan')):.1f} ms"
            )

        for r in running:
            total = settings.conversations * settings.per_conversation
            progress(f"{r.bot.label}: {settings.conversations} conversations at once ({total})")
            r.result["concurrent"] = asyncio.run(
                latency.concurrent(
                    r.rest,
                    r.texts,
                    conversations=settings.conversations,
                    per_conversation=settings.per_conversation,
                    time_limit=settings.phase_time_limit,
                )
            )
            progress(f"{r.bot.label}: {r.result['concurrent']['messages_per_s']:.1f} messages/s")

        for r in running:
            r.result["load_average_after"] = list(os.getloadavg())
            r.result["rss"] = {
                "rasa_bytes": r.rasa.rss(),
                "actions_bytes": r.actions.rss() if r.actions else None,
            }

        for subject, r in ((s, r) for s in subjects for r in running if r.bot is s.bot):
            if subject.scale_database_url and r.actions is not None:
                # Only this bot is left running: the other one's memory is not needed any more.
                for other in running:
                    if other is not r:
                        _stop(other)
                r.actions.stop()
                scale = _action_server(
                    r.folder, r.actions_port, subject.scale_database_url, "scale"
                )
                r.servers.append(scale)
                r.result["scale"] = _scale_run(
                    r.rest, r.bot, scale, r.actions_port, settings, progress
                )
                r.result["scale"]["database_url"] = subject.scale_database_url
    except ServerFailed as error:
        for r in running:
            r.result.setdefault("error", str(error))
        progress(f"FAILED: {str(error).splitlines()[0]}")
    finally:
        for r in running:
            _stop(r)
    for r in running:
        results[r.bot.label] = r.result
    return results


def _scale_run(
    rest: str, bot: Bot, actions: Server, port: int, settings: Settings, progress: Progress
) -> dict:
    """With the action server now on the large database, measure round trips again."""
    texts = [text for _, text in bot.messages]
    languages = [lang for lang, _ in bot.messages]
    out: dict = {}
    out["actions_startup_s"] = _start_actions(actions, port, settings, progress)
    out["warmup"] = asyncio.run(
        latency.serial(rest, texts, settings.warmup, time_limit=settings.phase_time_limit)
    ).summary()
    progress(f"hubguide: {settings.scale_serial} messages against the large database")
    tally = asyncio.run(
        latency.serial(
            rest,
            texts,
            settings.scale_serial,
            time_limit=settings.phase_time_limit,
            on_progress=lambda n: progress(f"hubguide (large database): {n} sent"),
        )
    )
    out["serial"] = tally.summary()
    out["serial"]["slowest"] = tally.slowest(texts)
    out["serial_per_language"] = tally.by_group(languages)
    out["actions_rss_bytes"] = actions.rss()
    progress(f"hubguide (large database): p50 {out['serial'].get('p50_ms', float('nan')):.1f} ms")
    return out
