"""What the figures were measured on: machine, software versions, commit, date."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path


def _cpuinfo_model(text: str) -> str:
    for line in text.splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _meminfo_total(text: str) -> int | None:
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    """CPU model, usable cores, RAM, OS, Python, Rasa, and the load when the run began."""
    return {
        "cpu": _cpuinfo_model(_read("/proc/cpuinfo")),
        "cores": len(os.sched_getaffinity(0)),
        "ram_bytes": _meminfo_total(_read("/proc/meminfo")),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rasa": _version("rasa"),
        "rasa_sdk": _version("rasa-sdk"),
        "load_average_at_start": list(os.getloadavg()),
    }


def git_commit(repo: Path) -> dict:
    """HEAD's commit and whether the work tree had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain"))}


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
