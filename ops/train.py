"""Trains the Rasa model into models/, or reuses the latest one when nothing changed.

Rasa's own check still packs a new model file on every `rasa train` (about 20 s here), so the
inputs are fingerprinted here first: the config, the domain and the training data, the custom
components and the folding and language list they use, and the pinned versions. The latest
model records the fingerprint it was trained from in a file beside it (`<model>.inputs`); when
it matches, the model is reused without starting Rasa at all.
"""

from __future__ import annotations

import hashlib
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
#: everything a trained model depends on (folders are read recursively)
INPUTS = (
    "config.yml",
    "bot",
    "knowledge/text.py",
    "knowledge/languages.py",
    "requirements/constraints.txt",
)
#: parts of those folders a model does not depend on (the channels are read by the server)
NOT_INPUTS = ("bot/channels",)
SUFFIX = ".inputs"


def inputs_fingerprint(root: Path = ROOT) -> str:
    """A hash of every file a model is trained from (names and contents, in a fixed order)."""
    digest = hashlib.sha256()
    for item in INPUTS:
        path = root / item
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            relative = file.relative_to(root).as_posix()
            if "__pycache__" in file.parts or relative.startswith(NOT_INPUTS):
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def reusable_model(out: Path, fingerprint: str) -> Path | None:
    """The latest model when it was trained from exactly these inputs."""
    try:
        model = latest_model(out)
    except FileNotFoundError:
        return None
    record = model.with_name(model.name + SUFFIX)
    if record.exists() and record.read_text().strip() == fingerprint:
        return model
    return None


def train(out: Path = ROOT / "models", *, force: bool = False, quiet: bool = False) -> Path:
    """The path of an up-to-date model, training one when the inputs changed."""
    fingerprint = inputs_fingerprint()
    if not force and (model := reusable_model(out, fingerprint)) is not None:
        return model
    command = [str(VENV_BIN / "rasa"), *TRAIN_COMMAND, "--out", str(out)]
    if force:
        command.append("--force")
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(command, cwd=ROOT, env={**os.environ, **QUIET_ENV}, check=True, stdout=output)
    model = latest_model(out)
    model.with_name(model.name + SUFFIX).write_text(fingerprint + "\n")
    return model


if __name__ == "__main__":
    print(train(force="--force" in sys.argv[1:]))
