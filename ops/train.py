"""Trains the Rasa model into models/, or reuses the latest one when nothing changed.

Rasa fingerprints the config, domain and training data itself and skips training when they are
unchanged since the latest model, so `make run` and the tests can call this every time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ops.stack import QUIET_ENV, ROOT, VENV_BIN, latest_model

TRAIN_COMMAND = [
    "train",
    "--config", "config.yml",
    "--domain", "bot/domain",
    "--data", "bot/data",
]  # fmt: skip


def train(out: Path = ROOT / "models", *, force: bool = False, quiet: bool = False) -> Path:
    """The path of an up-to-date model, training one when the inputs changed."""
    command = [str(VENV_BIN / "rasa"), *TRAIN_COMMAND, "--out", str(out)]
    if force:
        command.append("--force")
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(command, cwd=ROOT, env={**os.environ, **QUIET_ENV}, check=True, stdout=output)
    return latest_model(out)


if __name__ == "__main__":
    print(train(force="--force" in sys.argv[1:]))
