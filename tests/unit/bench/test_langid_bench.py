"""bench/langid_bench.py: the public texts' halves, per-length scoring and the Nordic figures."""

from __future__ import annotations

from pathlib import Path

from bench import langid_bench, report


def _public(tmp_path: Path) -> Path:
    texts = {
        "single-words": {"sv": ["inte", "och", "dessa"], "nb": ["ikke", "og"], "nn": ["ikkje"]},
        "word-pairs": {"sv": ["inte nu", "och så"], "nb": ["ikke nå", "og så"]},
        "sentences": {"sv": ["Det är bra.", "Vi ses."], "nb": ["Det er bra.", "Vi ses."]},
    }
    for kind, files in texts.items():
        (tmp_path / kind).mkdir()
        for code, lines in files.items():
            (tmp_path / kind / f"{code}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_halves_alternate_lines_and_nynorsk_counts_as_norwegian(tmp_path: Path) -> None:
    folder = _public(tmp_path)
    tune = langid_bench.load_public(folder, "tune")
    check = langid_bench.load_public(folder, "check")
    assert [r["text"] for r in tune if r["source"] == "sv" and r["length_bucket"] == "1 word"] == [
        "inte",
        "dessa",
    ]
    assert [r["text"] for r in check if r["source"] == "sv" and r["length_bucket"] == "1 word"] == [
        "och"
    ]
    assert {r["label"] for r in tune if r["source"] == "nn"} == {"nb"}
    assert set(langid_bench.public_splits(folder)) == {"public-tune", "public-check"}
    assert langid_bench.public_splits(tmp_path / "missing") == {}


def test_evaluate_reports_per_kind_nynorsk_and_the_nordic_confusion(tmp_path: Path) -> None:
    rows = langid_bench.load_public(_public(tmp_path), "tune")
    result = langid_bench.evaluate(lambda text: "nb", rows)
    assert set(result["average_six"]) == {"1 word", "2 words", "sentence"}
    assert result["accuracy"]["nn"]["1 word"] == 1.0
    assert result["sv_as_nb"]["sentence"] == 1.0 and result["nb_as_sv"]["sentence"] == 0.0
    assert result["confusion_nordic"]["1 word"]["sv"] == {"nb": 2}
    lines = report._langid_public(
        {"results": {"public-tune": {"x": {k: v for k, v in result.items() if k != "errors"}}}}
    )
    assert any(line.startswith("| x | ") for line in lines)


def test_the_candidates_are_the_ones_the_issue_asks_for() -> None:
    assert {"hubguide", "langdetect(seed=0)", "lingua(six)", "lingua(hubguide set)"} <= set(
        langid_bench.PUBLIC_CANDIDATES
    )
    assert set(langid_bench._six()) == {"en", "fr", "nb", "nn", "nl", "sv", "ar"}
    assert {"da", "de", "es", "fa", "ru"} <= set(langid_bench._hubguide_set())
