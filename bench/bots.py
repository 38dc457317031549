"""The two bots under comparison: a stock `rasa init` bot and HubGuide (or a second stock copy).

Each is prepared into a folder under bench/work/ with a trained model; training is timed here
because the model it produces is the one every later part measures.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import yaml

from bench.procs import run_logged

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
    train_phases_s: dict[str, float]
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


_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ")


def training_phases(log_text: str, wall_s: float) -> dict[str, float]:
    """Where a training's wall time went, from the log's timestamps (1 s resolution).

    - validation_and_setup: from "Started validating" to the first trained component;
    - trained_components: the sum of component_times();
    - untrained_components: between the first and last trained component but in none of them
      (components that only process the data, e.g. tokenizers and the language detector);
    - outside_log: before the first and after the last log line (imports, packing the model).
    """
    stamps: list[datetime] = []
    validation_start = first_component = last_component = None
    for line in log_text.splitlines():
        match = _STAMP.match(line)
        if not match:
            continue
        stamp = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S")
        stamps.append(stamp)
        if "Started validating" in line and validation_start is None:
            validation_start = stamp
        component = _COMPONENT_LINE.match(line)
        if component:
            first_component = first_component or stamp
            last_component = stamp
    if not stamps or first_component is None:
        return {}
    trained = sum(component_times(log_text).values())
    span = (last_component - first_component).total_seconds()
    return {
        "validation_and_setup": (
            (first_component - validation_start).total_seconds() if validation_start else 0.0
        ),
        "trained_components": trained,
        "untrained_components": max(span - trained, 0.0),
        "outside_log": max(wall_s - (stamps[-1] - stamps[0]).total_seconds(), 0.0),
    }


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
    """Seconds `command` took, run with its output in `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    run_logged(list(command), cwd, log, " ".join(command), env)
    return time.perf_counter() - start


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


def _timed_training(
    folder: Path, cwd: Path, config: str, domain: str, data: str, label: str, progress: Progress
) -> tuple[float, dict[str, float], dict[str, float], Path]:
    """`rasa train --force` of the full model with an empty cache; the same for both bots.

    Returns (wall seconds, seconds per trained component, phases, model path).
    """
    command = [
        str(VENV_BIN / "rasa"),
        "train",
        "--config",
        config,
        "--domain",
        domain,
        "--data",
        data,
        "--out",
        str(folder / "models"),
        "--force",
    ]
    progress(f"{label}: rasa train --force (full model, empty cache)")
    shutil.rmtree(folder / "models", ignore_errors=True)
    log = folder / "train.log"
    env = rasa_env({"RASA_CACHE_DIRECTORY": str(folder / "cache")})
    elapsed = _timed(command, cwd, log, env)
    shutil.rmtree(folder / "cache", ignore_errors=True)
    log_text = log.read_text(errors="replace")
    progress(f"{label}: trained in {elapsed:.1f} s")
    return (
        elapsed,
        component_times(log_text),
        training_phases(log_text, elapsed),
        _newest_model(folder / "models"),
    )


def prepare_stock(
    work: Path, label: str, progress: Progress, *, reuse: bool = False, stand_in: bool = False
) -> Bot:
    """A stock bot: `rasa init --no-prompt` in a fresh folder, then a timed training.

    `rasa init` trains through Rasa's Python API, which skips the data validation that
    `rasa train` runs; so the training time compared is a second, timed
    `rasa train --force` of the same project with the same flags as HubGuide's.
    `stand_in`: this copy takes HubGuide's place (`--subject stock`), to develop without it.
    """
    folder = work / f"bot-{label}"
    project = folder / "project"
    startup, messages = load_messages("stock")
    description = (
        "second stock bot standing in for HubGuide"
        if stand_in
        else "stock bot from `rasa init --no-prompt`"
    )
    saved = _saved(folder, description) if reuse else None
    if saved is None:
        shutil.rmtree(folder, ignore_errors=True)
        project.mkdir(parents=True)
        progress(f"{label}: rasa init --no-prompt (creates and trains the stock bot)")
        init_s = _timed(
            [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", "project"],
            folder,
            folder / "init.log",
            rasa_env(),
        )
        progress(f"{label}: rasa init took {init_s:.1f} s")
        elapsed, components, phases, model = _timed_training(
            folder, project, "config.yml", "domain.yml", "data", label, progress
        )
    else:
        elapsed, components = saved["train_time_s"], saved["train_components_s"]
        phases = saved.get("train_phases_s", {})
        model = Path(saved["model"])
        progress(f"{label}: reusing {model.name} (trained in {elapsed:.1f} s)")
    bot = Bot(
        label=label,
        description=description,
        project=project,
        config=project / "config.yml",
        nlu_data=project / "data" / "nlu.yml",
        model=model,
        train_time_s=elapsed,
        train_command="rasa train --force (full training, empty cache)",
        train_components_s=components,
        train_phases_s=phases,
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
        elapsed, components, phases, model = _timed_training(
            folder, REPO, "config.yml", "bot/domain", "bot/data", "hubguide", progress
        )
    else:
        elapsed, components = saved["train_time_s"], saved["train_components_s"]
        phases = saved.get("train_phases_s", {})
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
        train_phases_s=phases,
        uses_action_server=True,
        startup_message=startup,
        messages=tuple(messages),
    )
    _save(folder, bot)
    return bot
