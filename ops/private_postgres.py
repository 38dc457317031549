"""A PostgreSQL server of the test's own, that the test may stop and start again.

The machines' shared server (127.0.0.1:5432) must not be restarted by a test: other tests and
other people use it. A test that needs a database outage starts Debian's PostgreSQL binaries on
a data folder and a free loopback port of its own (`initdb`, `pg_ctl`), trust authentication on
loopback only, and removes it afterwards. PostgreSQL refuses to run as root: as root, the folder
belongs to the `postgres` system user and the commands run as that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BIN_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None when there is none."""
    found = sorted(BIN_ROOT.glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def unavailable_reason() -> str | None:
    """Why a private server cannot be started here, or None when it can."""
    if binaries() is None:
        return f"no PostgreSQL server binaries under {BIN_ROOT} (Debian's postgresql package)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            return f"running as root and there is no '{SERVICE_USER}' user to run PostgreSQL as"
    return None


@dataclass
class PrivatePostgres:
    """One server: `start()` (initialises the folder the first time), `stop()`, `remove()`."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        """The server's URL without a database (as `HUBGUIDE_POSTGRES_URL` wants it)."""
        return f"postgresql://{SERVICE_USER}@127.0.0.1:{self.port}"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *command: str) -> None:
        bin_dir = binaries()
        assert bin_dir is not None, unavailable_reason()
        argv = [str(bin_dir / command[0]), *command[1:]]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", SERVICE_USER, "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    @classmethod
    def create(cls, port: int) -> PrivatePostgres:
        """A new server folder under the system's temp folder (a pytest tmp_path is private
        to root, so the `postgres` user could not open it)."""
        return cls(Path(tempfile.mkdtemp(prefix="hubguide-postgres-")), port)

    def start(self) -> PrivatePostgres:
        if not self.data.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.folder, SERVICE_USER, SERVICE_USER)
            self._run("initdb", "-D", str(self.data), "-U", SERVICE_USER, "-A", "trust")
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder}"
        log = str(self.folder / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        return self

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when the server restarts."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
