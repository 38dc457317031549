"""Understanding: `rasa test nlu` cross-validation, and accuracy on held-out questions.

Per-language F1 comes from the one cross-validation over all languages: every test prediction
is attributed to the language of the training file(s) its example came from.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from bench.bots import VENV_BIN, Bot, rasa_env
from bench.procs import run_logged
from knowledge.languages import SUPPORTED

Progress = Callable[[str], None]


def language_of(path: Path, root: Path, default: str = "en") -> str:
    """Language of a training file: the first folder (or file stem) under root named by a code."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
    for part in parts:
        stem = part.split(".")[0]
        if stem in SUPPORTED:
            return stem
    return default


def nlu_files(data: Path) -> list[Path]:
    if data.is_file():
        return [data]
    return sorted(p for p in data.rglob("*") if p.suffix in (".yml", ".yaml"))


def example_languages(data: Path) -> dict[tuple[str, str], set[str]]:
    """(text, intent) → languages of the files holding that example."""
    from rasa.shared.nlu.training_data.loading import load_data

    root = data if data.is_dir() else data.parent
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in nlu_files(data):
        lang = language_of(path, root)
        for example in load_data(str(path)).intent_examples:
            found[(example.get("text"), example.get("intent"))].add(lang)
    return dict(found)


def scores(targets: list[str], predictions: list[str]) -> dict:
    """Accuracy and support-weighted F1 (the "weighted avg" row of Rasa's report)."""
    from sklearn.metrics import accuracy_score, f1_score

    if not targets:
        return {"count": 0}
    return {
        "count": len(targets),
        "accuracy": float(accuracy_score(targets, predictions)),
        "f1_weighted": float(f1_score(targets, predictions, average="weighted", zero_division=0)),
        "f1_macro": float(f1_score(targets, predictions, average="macro", zero_division=0)),
    }


def per_language(
    predictions: Iterable[Mapping], languages: Mapping[tuple[str, str], set[str]]
) -> dict[str, dict]:
    """Split Rasa's intent_successes/intent_errors records by language and score each part.

    An example whose exact text and intent occur in several languages' files counts in each.
    """
    buckets: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for record in predictions:
        target = record["intent"]
        predicted = (record.get("intent_prediction") or {}).get("name") or "None"
        for lang in sorted(languages.get((record["text"], target), {"unknown"})):
            buckets[lang][0].append(target)
            buckets[lang][1].append(predicted)
    return {lang: scores(*buckets[lang]) for lang in sorted(buckets)}


def _report_summary(report: Mapping) -> dict:
    weighted = report.get("weighted avg", {})
    micro = report.get("micro avg", {})
    return {
        "accuracy": report.get("accuracy"),
        "f1_weighted": weighted.get("f1-score"),
        "f1_micro": micro.get("f1-score"),
        "precision_weighted": weighted.get("precision"),
        "recall_weighted": weighted.get("recall"),
        "support": weighted.get("support"),
    }


def with_lookup_tables_merged(data: Path, out: Path) -> Path:
    """The NLU data in one file, each entity's lookup tables merged into one table.

    Cross-validation writes every fold's training data with Rasa's YAML writer, which keeps one
    lookup table per name: of the six languages' `language` and `call_status` tables only the
    last survived, so the folds extracted Swedish names only. Trained models keep every table;
    merging them first makes each fold see what the model sees.
    """
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data

    training_data = load_data(str(data))
    merged: dict[str, list[str]] = {}
    for table in training_data.lookup_tables:
        elements = merged.setdefault(table["name"], [])
        elements += [e for e in table["elements"] if e not in elements]
    training_data.lookup_tables = [
        {"name": name, "elements": elements} for name, elements in merged.items()
    ]
    path = out / "training_data.yml"
    RasaYAMLWriter().dump(path, training_data)
    return path


def cross_validation(bot: Bot, out: Path, folds: int, progress: Progress) -> dict:
    """`rasa test nlu --cross-validation` over all the bot's NLU data; overall and per language."""
    out.mkdir(parents=True, exist_ok=True)
    data = with_lookup_tables_merged(bot.nlu_data, out)
    command = [
        str(VENV_BIN / "rasa"),
        "test",
        "nlu",
        "--cross-validation",
        "--folds",
        str(folds),
        "--config",
        str(bot.config),
        "-u",
        str(data),
        "--out",
        str(out),
        "--successes",
        "--no-plot",
    ]
    progress(f"nlu: {folds}-fold cross-validation of {bot.label} ({folds} NLU trainings)")
    run_logged(command, bot.project, out / "rasa-test.log", "rasa test nlu", rasa_env())

    intent_report = json.loads((out / "intent_report.json").read_text())
    records: list[dict] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        if (out / name).exists():
            records.extend(json.loads((out / name).read_text()))
    entities = {}
    for report_file in sorted(out.glob("*_report.json")):
        extractor = report_file.name[: -len("_report.json")]
        if extractor in ("intent", "response_selection"):
            continue
        entity_report = json.loads(report_file.read_text())
        entities[extractor] = _report_summary(entity_report)
        entities[extractor]["per_entity"] = {
            name: {key: row.get(key) for key in ("precision", "recall", "f1-score", "support")}
            for name, row in entity_report.items()
            if isinstance(row, dict) and not name.endswith(" avg")
        }
    return {
        "folds": folds,
        "intent": _report_summary(intent_report),
        "intent_per_language": per_language(records, example_languages(bot.nlu_data)),
        "entity": entities,
    }


def held_out(bot: Bot, tests: Path, out: Path, progress: Progress) -> dict:
    """Intent accuracy on questions never trained on (bench/data/nlu_test/<lang>.yml)."""
    files = sorted(tests.glob("*.yml")) if tests.is_dir() else []
    if not files:
        return {"skipped": f"no test files in {tests}"}
    out.mkdir(parents=True, exist_ok=True)
    result_file = out / "held_out.json"
    progress(f"nlu: parsing {len(files)} held-out test files with {bot.model.name}")
    command = [
        sys.executable,
        "-m",
        "bench.heldout",
        "--model",
        str(bot.model),
        "--out",
        str(result_file),
        *map(str, files),
    ]
    run_logged(command, bot.project, out / "held-out.log", "held-out parsing", rasa_env())
    return json.loads(result_file.read_text())
