"""Start, watch and stop the servers under test (Rasa and the action server).

Only processes started here are ever signalled: each server gets its own session (process group),
and stop() signals that group by the id we recorded at start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def run_logged(command: list[str], cwd: Path, log: Path, what: str, env: Mapping[str, str]) -> None:
    """Run a command with its output in `log`; fail with the log's tail."""
    with log.open("wb") as handle:
        done = subprocess.run(
            command,
            cwd=cwd,
            env={**os.environ, **env},
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed, see {log}:\n{log.read_text()[-2000:]}")


def _children_map(proc_root: Path = Path("/proc")) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in proc_root.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def process_tree(pid: int, proc_root: Path = Path("/proc")) -> list[int]:
    """pid and all its descendants that are alive now."""
    children = _children_map(proc_root)
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def rss_bytes(pid: int, proc_root: Path = Path("/proc")) -> int:
    """Resident memory of a process and its descendants (sum of VmRSS), in bytes."""
    total = 0
    for member in process_tree(pid, proc_root):
        try:
            status = (proc_root / str(member) / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
                break
    return total


def post_json(url: str, payload: Mapping, timeout: float = 30.0) -> tuple[int, object]:
    """POST a JSON body; (status, decoded body). Connection errors raise OSError."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def http_ok(url: str, timeout: float = 2.0) -> bool:
    """True when a GET on url answers 2xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (OSError, urllib.error.HTTPError):
        return False


@dataclass
class Server:
    """One server process with its log file; start() records the moment the process was spawned."""

    name: str
    command: Sequence[str]
    cwd: Path
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    started_at: float = 0.0

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        environment = {**os.environ, **self.env}
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            list(self.command),
            cwd=self.cwd,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError(f"{self.name} was not started")
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def rss(self) -> int:
        return rss_bytes(self.pid)

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM the server's own process group, SIGKILL it after `grace` seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        pgid = self.process.pid  # start_new_session: the group id is the leader's pid
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=grace)
        except ProcessLookupError:
            pass


class ServerFailed(RuntimeError):
    """A server died or did not answer in time; the message carries the end of its log."""


def wait_until(
    server: Server, ready, *, timeout: float, interval: float = 0.1, what: str = "ready"
) -> float:
    """Poll `ready()` until it is true; seconds since the server process was spawned."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if not server.alive():
            raise ServerFailed(f"{server.name} exited before {what}:\n{server.log_tail()}")
        if ready():
            return time.perf_counter() - server.started_at
        time.sleep(interval)
    raise ServerFailed(f"{server.name} not {what} within {timeout:.0f} s:\n{server.log_tail()}")


def first_reply(rest_url: str, sender: str, text: str) -> bool:
    """True when the REST channel answers `text` with at least one bot message."""
    try:
        status, body = post_json(rest_url, {"sender": sender, "message": text}, timeout=30.0)
    except OSError:
        return False
    return status == 200 and isinstance(body, list) and len(body) > 0
