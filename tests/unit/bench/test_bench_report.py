"""RESULTS.md rendering, per-language scoring, training-log parsing and /proc memory reading."""

import os
from pathlib import Path

import pytest

from bench import report
from bench.bots import component_times, load_messages, training_phases
from bench.nlu import language_of, per_language
from bench.procs import process_tree, rss_bytes
from bench.stats import ratios


def _latency(p50, startup, rss, train):
    return {
        "train_time_s": train,
        "startup_s": startup,
        "serial": {"count": 300, "p50_ms": p50, "p95_ms": p50 * 2, "empty_replies": 0, "failed": 0},
        "concurrent": {"messages_per_s": 42.0, "p50_ms": 200.0},
        "rss": {"rasa_bytes": rss, "actions_bytes": None},
    }


def _results():
    stock = _latency(20.0, 22.0, 1200 * 1024 * 1024, 50.0)
    hub = _latency(10.0, 5.0, 600 * 1024 * 1024, 100.0)
    hub["custom_actions"] = {"checked": 100, "ran_custom_action": 97, "actions": {}}
    hub["scale"] = {"serial": {"p50_ms": 14.0, "p95_ms": 30.0}, "actions_rss_bytes": 200 * 2**20}
    return {
        "generated": "2026-11-22T01:00:00+00:00",
        "commit": {"commit": "abc123", "dirty": True},
        "machine": {"cpu": "AMD EPYC", "cores": 2, "ram_bytes": 24 * 2**30, "python": "3.10.12"},
        "parts_run": ["latency", "nlu"],
        "latency": {"stock": stock, "hubguide": hub},
        "ratios": ratios(hub, stock),
        "bots": {
            "stock": {"train_time_s": 50.0, "train_components_s": {"DIETClassifier": 18.0}},
            "hubguide": {
                "train_time_s": 100.0,
                "train_components_s": {"LogisticRegressionClassifier": 3.0},
            },
        },
        "nlu": {
            "cross_validation": {
                "folds": 3,
                "intent": {"accuracy": 0.9, "f1_weighted": 0.89, "support": 10},
                "intent_per_language": {"fr": {"count": 10, "accuracy": 0.9, "f1_weighted": 0.89}},
                "entity": {},
            },
            "held_out": {
                "per_language": {
                    "fr": {"count": 40, "accuracy": 0.975},
                    "ar": {"count": 40, "accuracy": 0.9},
                },
                "overall_accuracy": 0.9375,
                "count": 80,
                "errors": [{"language": "ar", "text": "a | b", "intent": "x", "predicted": "y"}],
            },
        },
        "kb": {"sqlite": {"search_p50_ms": 1.5}},
    }


def _row(markdown: str, label: str, after: str = "") -> list[str]:
    """Cells of the first table row starting with `label` after the line containing `after`."""
    for line in markdown[markdown.index(after) :].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in:\n{markdown}")


def test_summary_table_shows_ratios_targets_and_verdicts():
    text = report.render(_results())
    assert _row(text, "round trip p50 (serial)") == [
        "round trip p50 (serial)",
        "10.0 ms",
        "20.0 ms",
        "0.50",
        "≤ 0.6",
        "yes",
    ]
    assert _row(text, "training time of the full model")[3:] == ["2.00", "≤ 1.5", "**no**"]
    assert _row(text, "resident memory of the Rasa server")[1:3] == ["600 MiB", "1200 MiB"]
    assert "`abc123` (with uncommitted changes)" in text


def test_held_out_rows_judge_the_95_percent_target_and_escape_pipes():
    text = report.render(_results())
    held_out = "### Held-out questions"
    assert _row(text, "fr", held_out)[:4] == ["fr", "40", "97.5 %", "yes"]
    assert _row(text, "ar", held_out)[:4] == ["ar", "40", "90.0 %", "**no**"]
    assert _row(text, "fr", "### Cross-validation")[:4] == ["fr", "10", "90.0 %", "89.0 %"]
    assert "a \\| b" in text


def test_kb_section_puts_scale_beside_seed():
    text = report.render(_results())
    assert _row(text, "seed content")[1:3] == ["300", "10.0 ms"]
    row = _row(text, "synthetic 10,000 hubs / 50,000 calls + seed content")
    assert [row[1], row[2], row[3], row[5]] == ["—", "14.0 ms", "30.0 ms", "200 MiB"]
    assert _row(text, "sqlite / search_p50_ms")[1] == "1.5"


def test_missing_parts_render_without_their_sections():
    text = report.render({"parts_run": ["langid"], "langid": {"error": "not written yet"}})
    assert "## Language identification" in text
    assert "not written yet" in text
    assert "## Summary" not in text


def test_per_language_attributes_each_prediction_to_its_files_languages():
    languages = {
        ("hei", "greet"): {"nb"},
        ("ok", "affirm"): {"fr", "nb"},
        ("salut", "greet"): {"fr"},
    }
    records = [
        {"text": "hei", "intent": "greet", "intent_prediction": {"name": "greet"}},
        {"text": "ok", "intent": "affirm", "intent_prediction": {"name": "thank"}},
        {"text": "salut", "intent": "greet", "intent_prediction": {"name": "greet"}},
        {"text": "??", "intent": "greet", "intent_prediction": None},
    ]
    scores = per_language(records, languages)
    assert scores["nb"]["count"] == 2 and scores["nb"]["accuracy"] == 0.5
    assert scores["fr"]["count"] == 2 and scores["fr"]["accuracy"] == 0.5
    assert scores["unknown"]["accuracy"] == 0.0


def test_language_of_a_training_file():
    root = Path("/repo/bot/data/nlu")
    assert language_of(root / "sv" / "questions.yml", root) == "sv"
    assert (
        language_of(Path("/x/bench/data/nlu_test/ar.yml"), Path("/x/bench/data/nlu_test")) == "ar"
    )
    assert language_of(Path("/p/data/nlu.yml"), Path("/p/data")) == "en"


def _hook(stamp: str, event: str, component: str) -> str:
    logger = "INFO     rasa.engine.training.hooks  -"
    return f"2026-11-22 {stamp} {logger} {event} component '{component}'."


def test_component_times_from_a_training_log():
    start, finish = "Starting to train", "Finished training"
    log = "\n".join(
        [
            _hook("00:42:24", start, "CountVectorsFeaturizer"),
            _hook("00:42:25", finish, "CountVectorsFeaturizer"),
            _hook("00:42:25", start, "CountVectorsFeaturizer"),
            _hook("00:42:27", finish, "CountVectorsFeaturizer"),
            _hook("00:42:27", start, "DIETClassifier"),
            "Epochs: 100%",
            _hook("00:43:05", finish, "DIETClassifier"),
        ]
    )
    assert component_times(log) == {"CountVectorsFeaturizer": 3.0, "DIETClassifier": 38.0}


def test_training_phases_split_the_wall_time():
    start, finish = "Starting to train", "Finished training"
    log = "\n".join(
        [
            "2026-11-22 00:58:45 INFO     rasa.cli.train  - Started validating domain and data...",
            _hook("00:59:15", start, "RulePolicy"),
            _hook("00:59:16", finish, "RulePolicy"),
            _hook("00:59:36", start, "CountVectorsFeaturizer"),
            _hook("00:59:37", finish, "CountVectorsFeaturizer"),
            _hook("00:59:40", start, "LogisticRegressionClassifier"),
            _hook("01:00:03", finish, "LogisticRegressionClassifier"),
        ]
    )
    assert training_phases(log, wall_s=100.0) == {
        "validation_and_setup": 30.0,
        "trained_components": 25.0,
        "untrained_components": 23.0,
        "outside_log": 22.0,
    }
    assert training_phases("no timestamps here", wall_s=5.0) == {}


def test_messages_are_round_robin_over_languages():
    _, messages = load_messages("hubguide")
    languages = [lang for lang, _ in messages]
    assert languages[:6] == ["en", "fr", "nb", "nl", "sv", "ar"]
    assert {lang: languages.count(lang) for lang in set(languages)} == {
        lang: len(languages) // 6 for lang in ("en", "fr", "nb", "nl", "sv", "ar")
    }


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_rss_of_this_process_tree_is_at_least_its_own():
    own = (
        int(
            next(
                line
                for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("VmRSS:")
            ).split()[1]
        )
        * 1024
    )
    assert os.getpid() in process_tree(os.getpid())
    assert rss_bytes(os.getpid()) >= own * 0.9


def test_the_large_database_is_found_in_the_kb_result_or_its_folder(tmp_path):
    from bench.run import find_sqlite_url

    db = tmp_path / "kb_bench.sqlite3"
    assert find_sqlite_url({"sqlite_url": f"sqlite:///{db}"}, tmp_path) is None  # no file yet
    db.write_bytes(b"")
    assert find_sqlite_url({"backends": {}, "sqlite_url": f"sqlite:///{db}"}, tmp_path) == (
        f"sqlite:///{db}"
    )
    assert find_sqlite_url(None, tmp_path) == f"sqlite:///{db.resolve()}"
    assert find_sqlite_url(None, tmp_path / "elsewhere") is None


def test_journeys_section_gives_both_pass_rates_and_the_failures():
    from bench.report import journeys

    results = {
        "journeys": {
            "eligibility_and_fit": {
                "journeys": 20,
                "passed": 17,
                "pass_rate": 0.85,
                "by_language": {"en": {"journeys": 4, "pass_rate": 0.75}},
                "failures": [{"name": "en what if", "lang": "en", "reason": "turn 2: no verdict"}],
            },
            "deadlines_and_handoff": {
                "overall": {"passed": 28, "total": 28, "rate": 1.0},
                "per_journey": {"calendar": {"passed": 8, "total": 8}},
                "failures": [],
            },
        }
    }
    text = "\n".join(journeys(results))
    assert "17 of 20" in text and "85" in text
    assert "28 of 28" in text
    assert "en what if (en): turn 2: no verdict" in text
    assert journeys({}) == []


def test_every_bench_part_has_a_time_budget():
    from bench.run import BUDGET_S, PARTS

    assert set(PARTS) == set(BUDGET_S)
