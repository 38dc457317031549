"""The two bots under comparison: a stock `rasa init` bot and HubGuide (or a second stock copy).

Each is prepared into a folder under bench/work/ with a trained model; training is timed here
because the model it produces is the one every later part measures.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MESSAGES_FILE = REPO / "bench" / "data" / "messages.yml"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Bot:
    """A trained bot ready to be served. `label` is "stock" or "hubguide"."""

    label: str
    description: str
    project: Path  # working directory for rasa commands
    config: Path
    nlu_data: Path  # file or folder with the NLU training data
    model: Path
    train_time_s: float
    train_command: str
    train_components_s: dict[str, float]
    uses_action_server: bool
    startup_message: str
    messages: tuple[tuple[str, str], ...]  # (language, text), in sending order

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("project", "config", "nlu_data", "model"):
            data[key] = str(data[key])
        data["messages"] = len(self.messages)
        data.update(config_components(self.config))
        return data


def config_components(config: Path) -> dict[str, list[str]]:
    """Names of the pipeline components and policies of a Rasa config file."""
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except OSError:
        return {"pipeline": [], "policies": []}
    return {
        key: [str(item.get("name")) for item in data.get(key) or [] if isinstance(item, dict)]
        for key in ("pipeline", "policies")
    }


def load_messages(label: str, path: Path = MESSAGES_FILE) -> tuple[str, list[tuple[str, str]]]:
    """(startup message, round-robin list of (language, text)) for "stock" or "hubguide".

    Round-robin over languages so any prefix of the list (quick mode, the scale run) still
    weighs every language the same.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))[label]
    by_language: dict[str, list[str]] = data["messages"]
    queues = [[(lang, text) for text in texts] for lang, texts in by_language.items()]
    ordered: list[tuple[str, str]] = []
    for index in range(max(len(queue) for queue in queues)):
        ordered.extend(queue[index] for queue in queues if index < len(queue))
    return data["startup"], ordered


_COMPONENT_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) .*(Starting to train|Finished training) component '([^']+)'"
)


def component_times(log_text: str) -> dict[str, float]:
    """Seconds spent training each component, from Rasa's training log (1 s resolution).

    A component that appears twice (two CountVectorsFeaturizers) is summed under one name.
    """
    started: dict[str, datetime] = {}
    spent: dict[str, float] = {}
    for line in log_text.splitlines():
        match = _COMPONENT_LINE.match(line)
        if not match:
            continue
        stamp = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S")
        name = match.group(3)
        if match.group(2).startswith("Starting"):
            started[name] = stamp
        elif name in started:
            spent[name] = spent.get(name, 0.0) + (stamp - started.pop(name)).total_seconds()
    return spent


def rasa_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for every Rasa process: no telemetry, quiet TensorFlow, the repo importable."""
    env = {
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    env.update(extra or {})
    return env


def _timed(command: Sequence[str], cwd: Path, log: Path, env: dict[str, str]) -> float:
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("wb") as out:
        result = subprocess.run(
            list(command),
            cwd=cwd,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{tail}")
    return elapsed


def _newest_model(folder: Path) -> Path:
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError(f"no model was written to {folder}")
    return models[-1]


def _saved(folder: Path, description: str) -> dict | None:
    """What an earlier run trained in `folder`, if it was the same kind of bot and still exists."""
    marker = folder / "bench-bot.json"
    if not marker.exists():
        return None
    data = json.loads(marker.read_text())
    if data.get("description") != description or not Path(data["model"]).exists():
        return None
    return data


def _save(folder: Path, bot: Bot) -> None:
    (folder / "bench-bot.json").write_text(json.dumps(bot.to_json(), indent=2))


def prepare_stock(
    work: Path, label: str, progress: Progress, *, reuse: bool = False, stand_in: bool = False
) -> Bot:
    """`rasa init --no-prompt` in a fresh folder; its wall time is the stock training time.

    `rasa init` only copies a dozen small files before it trains the full model (core + NLU)
    from a cold cache, so its wall time is the same measure as `rasa train --force` with an
    empty cache, process start-up included, which is how HubGuide is timed. `stand_in`: this
    copy takes HubGuide's place (`--subject stock`), to develop the suite without HubGuide.
    """
    folder = work / f"bot-{label}"
    startup, messages = load_messages("stock")
    description = (
        "second stock bot standing in for HubGuide"
        if stand_in
        else "stock bot from `rasa init --no-prompt`"
    )
    saved = _saved(folder, description) if reuse else None
    if saved is None:
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "project").mkdir(parents=True)
        progress(f"{label}: rasa init --no-prompt (training the stock bot, about a minute)")
        log = folder / "train.log"
        elapsed = _timed(
            [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", "project"],
            folder,
            log,
            rasa_env(),
        )
        components = component_times(log.read_text(errors="replace"))
        model = _newest_model(folder / "project" / "models")
        progress(f"{label}: trained in {elapsed:.1f} s")
    else:
        elapsed, components = saved["train_time_s"], saved["train_components_s"]
        model = Path(saved["model"])
        progress(f"{label}: reusing {model.name} (trained in {elapsed:.1f} s)")
    project = folder / "project"
    bot = Bot(
        label=label,
        description=description,
        project=project,
        config=project / "config.yml",
        nlu_data=project / "data" / "nlu.yml",
        model=model,
        train_time_s=elapsed,
        train_command="rasa init --no-prompt (scaffold + full training, cold cache)",
        train_components_s=components,
        uses_action_server=False,
        startup_message=startup,
        messages=tuple(messages),
    )
    _save(folder, bot)
    return bot


def hubguide_missing(repo: Path = REPO) -> list[str]:
    """The project files HubGuide's benchmark needs that do not exist yet."""
    needed = ["config.yml", "bot/domain", "bot/data", "bot/data/nlu", "actions"]
    return [name for name in needed if not (repo / name).exists()]


def prepare_hubguide(work: Path, progress: Progress, *, reuse: bool = False) -> Bot:
    """`rasa train --force` of the full HubGuide model into bench/work, with an empty cache."""
    missing = hubguide_missing()
    if missing:
        raise RuntimeError(f"HubGuide is not there yet (missing: {', '.join(missing)})")
    folder = work / "bot-hubguide"
    startup, messages = load_messages("hubguide")
    description = "HubGuide (config.yml, bot/domain, bot/data)"
    saved = _saved(folder, description) if reuse else None
    if saved is None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        command = [
            str(VENV_BIN / "rasa"),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "bot/domain",
            "--data",
            "bot/data",
            "--out",
            str(folder / "models"),
            "--force",
        ]
        progress("hubguide: rasa train --force (full model, empty cache)")
        log = folder / "train.log"
        env = rasa_env({"RASA_CACHE_DIRECTORY": str(folder / "cache")})
        elapsed = _timed(command, REPO, log, env)
        components = component_times(log.read_text(errors="replace"))
        model = _newest_model(folder / "models")
        shutil.rmtree(folder / "cache", ignore_errors=True)
        progress(f"hubguide: trained in {elapsed:.1f} s")
    else:
        elapsed, components = saved["train_time_s"], saved["train_components_s"]
        model = Path(saved["model"])
        progress(f"hubguide: reusing {model.name} (trained in {elapsed:.1f} s)")
    bot = Bot(
        label="hubguide",
        description=description,
        project=REPO,
        config=REPO / "config.yml",
        nlu_data=REPO / "bot" / "data" / "nlu",
        model=model,
        train_time_s=elapsed,
        train_command="rasa train --force (full training, empty cache)",
        train_components_s=components,
        uses_action_server=True,
        startup_message=startup,
        messages=tuple(messages),
    )
    _save(folder, bot)
    return bot
