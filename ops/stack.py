"""Starts and stops HubGuide's servers: action server, Rasa server and (optionally) web chat.

One place for the command lines, ports, environment and readiness checks, used by `make run`,
the end-to-end and browser tests and the benchmarks, so that they all run the same thing.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_PORTS = {"rasa": 5005, "actions": 5055, "web": 8080, "scheduler": 5056}
PORT_VARIABLES = {
    "rasa": "HUBGUIDE_RASA_PORT",
    "actions": "HUBGUIDE_ACTIONS_PORT",
    "web": "HUBGUIDE_WEB_PORT",
    "scheduler": "HUBGUIDE_SCHEDULER_PORT",
}
# The frozen "now" of the conversation tests and the question bank (HUBGUIDE_NOW): the Moroccan
# clusters call is open (13 days left), the Bas-Saint-Laurent call closed five years earlier.
FROZEN_NOW = "2023-06-01T12:00:00+00:00"
# Rasa's HTTP API (/model, /conversations/*, /status) answers only with this token; the project's
# own tools read it from here. Set it in the environment, or a random one is made per start.
TOKEN_VARIABLE = "HUBGUIDE_RASA_TOKEN"
# The one setting that opens the servers beyond this machine ("0.0.0.0"); default: loopback.
BIND_VARIABLE = "HUBGUIDE_BIND"
# Origins allowed to call the Rasa server from a browser (CORS and socket.io), comma-separated;
# default: the web chat's own origin.
ORIGINS_VARIABLE = "HUBGUIDE_ALLOWED_ORIGINS"
QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "RASA_TELEMETRY_ENABLED": "false",
}


def free_port() -> int:
    """A TCP port nobody listens on right now (tests run servers side by side)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def action_server_command(port: int) -> list[str]:
    """The action server's command line (rasa-sdk serving `actions/`, with health, metrics and
    JSON logs: `ops/action_server.py`): stack and bench alike."""
    return [
        str(VENV_BIN / "python"),
        "-m",
        "ops.action_server",
        "--actions",
        "actions",
        "-p",
        str(port),
    ]


def configured_port(name: str) -> int:
    return int(os.environ.get(PORT_VARIABLES[name], DEFAULT_PORTS[name]))


def latest_model(models_dir: Path = ROOT / "models") -> Path:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"No trained model in {models_dir}: run `make train` first.")
    return models[-1]


def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


@dataclass
class Server:
    """One child process in its own process group, with its log file."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    ready_url: str
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def is_ready(self) -> bool:
        status, body = _get(self.ready_url)
        return status == 200 and body != b""

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            tail = self.log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{tail}")

    def stop(self, grace: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Stack:
    """The action server, the Rasa server and, with `web=True`, the web chat server."""

    model: Path
    log_dir: Path
    ports: dict[str, int] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    web: bool = False
    # The scheduler beside the action server (ops/scheduler.py: reminders, hand-off time-outs,
    # notices to deliver through Rasa's external-event API).
    scheduler: bool = False
    host: str = field(default_factory=lambda: os.environ.get(BIND_VARIABLE, "127.0.0.1"))
    token: str = field(default_factory=lambda: os.environ.get(TOKEN_VARIABLE, ""))
    servers: list[Server] = field(default_factory=list)
    # The Rasa server's endpoints file (action server, tracker store, lock store): the cluster
    # (ops/cluster.py) passes one it generated for PostgreSQL and Redis.
    endpoints: str = "endpoints.yml"

    def __post_init__(self) -> None:
        for name in DEFAULT_PORTS:
            self.ports.setdefault(name, configured_port(name))
        self.token = self.token or self.env.get(TOKEN_VARIABLE) or secrets.token_urlsafe(24)

    @property
    def origins(self) -> list[str]:
        """Browser origins allowed to reach the Rasa server (the web chat's by default)."""
        configured = self.env.get(ORIGINS_VARIABLE) or os.environ.get(ORIGINS_VARIABLE, "")
        if configured.strip():
            return [origin.strip() for origin in configured.split(",") if origin.strip()]
        port = self.ports["web"]
        return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['rasa']}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['actions']}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['web']}"

    def _environment(self) -> dict[str, str]:
        env = {**os.environ, **QUIET_ENV, **self.env}
        env["HUBGUIDE_ACTIONS_PORT"] = str(self.ports["actions"])
        env["HUBGUIDE_RASA_PORT"] = str(self.ports["rasa"])
        env["HUBGUIDE_WEB_PORT"] = str(self.ports["web"])
        env["HUBGUIDE_SCHEDULER_PORT"] = str(self.ports["scheduler"])
        env[TOKEN_VARIABLE] = self.token
        env[ORIGINS_VARIABLE] = ",".join(self.origins)
        env.setdefault("HUBGUIDE_TRACKER_DB", str(self.log_dir / "conversations.sqlite3"))
        # The action server is only ever called by the Rasa server: loopback, always.
        env["SANIC_HOST"] = "127.0.0.1"
        return env

    def action_server(self) -> Server:
        return Server(
            "action server",
            action_server_command(self.ports["actions"]),
            self._environment(),
            self.log_dir / "actions.log",
            # Up, not healthy: it starts (and apologises) while the database is down; /health
            # answers 503 then.
            f"{self.actions_url}/live",
        )

    def rasa_server(self) -> Server:
        return Server(
            "Rasa server",
            [
                str(VENV_BIN / "python"),
                "-m",
                "ops.rasa",
                "run",
                "--enable-api",
                # One argument: a token may start with "-" (token_urlsafe), which argparse
                # would take for an option.
                f"--auth-token={self.token}",
                "--cors",
                *self.origins,
                "-i",
                self.host,
                "-p",
                str(self.ports["rasa"]),
                "-m",
                str(self.model),
                "--endpoints",
                str(self.endpoints),
                "--credentials",
                "credentials.yml",
            ],
            self._environment(),
            self.log_dir / "rasa.log",
            f"{self.rasa_url}/status?token={self.token}",
        )

    def web_server(self) -> Server:
        return Server(
            "web chat",
            [
                str(VENV_BIN / "python"),
                "-m",
                "webchat.server",
                "--host",
                self.host,
                "--port",
                str(self.ports["web"]),
                "--rasa-url",
                self.rasa_url,
            ],
            self._environment(),
            self.log_dir / "webchat.log",
            f"{self.web_url}/healthz",
        )

    def scheduler_server(self) -> Server:
        return Server(
            "scheduler",
            [
                str(VENV_BIN / "python"),
                "-m",
                "ops.scheduler",
                "--port",
                str(self.ports["scheduler"]),
            ],
            self._environment(),
            self.log_dir / "scheduler.log",
            f"http://127.0.0.1:{self.ports['scheduler']}/live",
        )

    def start(self, timeout: float = 300.0) -> Stack:
        wanted = [self.action_server(), self.rasa_server()]
        if self.web:
            wanted.append(self.web_server())
        if self.scheduler:
            wanted.append(self.scheduler_server())
        for server in wanted:
            server.start()
            self.servers.append(server)
        deadline = time.monotonic() + timeout
        pending = list(self.servers)
        try:
            while pending:
                for server in list(pending):
                    server.check_alive()
                    if server.is_ready():
                        pending.remove(server)
                if time.monotonic() > deadline:
                    names = ", ".join(server.name for server in pending)
                    raise TimeoutError(
                        f"{names} not ready after {timeout:.0f} s (logs in {self.log_dir})"
                    )
                time.sleep(0.25)
        except BaseException:
            self.stop()
            raise
        return self

    def server(self, name: str) -> Server:
        """A running server by name ("action server", "Rasa server", "web chat", "scheduler")."""
        return next(server for server in self.servers if server.name == name)

    def wait_ready(self, server: Server, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not server.is_ready():
            server.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{server.name} not ready after {timeout:.0f} s")
            time.sleep(0.2)

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def watch(servers: Iterable[Server]) -> None:
    """Until interrupted: every second, raise if one of ``servers`` has stopped (`make run`)."""
    servers = list(servers)
    while True:
        for server in servers:
            server.check_alive()
        time.sleep(1)


def send(
    rasa_url: str, sender: str, text: str, metadata: dict | None = None, timeout: float = 30.0
) -> list[dict]:
    """One message through the REST channel; the bot's replies."""
    body = {"sender": sender, "message": text}
    if metadata:
        body["metadata"] = metadata
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"[]")


def tracker(rasa_url: str, sender: str, token: str, timeout: float = 10.0) -> dict:
    """A conversation as Rasa keeps it (HTTP API, with the API token)."""
    url = f"{rasa_url}/conversations/{sender}/tracker?token={token}"
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def language_slot(rasa_url: str, sender: str, token: str, timeout: float = 10.0) -> str | None:
    """The conversation's language as the bot keeps it (the tracker's `language` slot)."""
    return tracker(rasa_url, sender, token, timeout)["slots"].get("language")
