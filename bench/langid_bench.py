"""Language identification benchmark: the project's detector against libraries, side by side.

Runs every detector on the same labelled chat messages (bench/data/langid/*.tsv, the benchmark set,
and bench/data/langid/dev/*.tsv, the development set the project's detector was tuned on) and
reports accuracy per language and length bucket, the nb/sv/da confusion, microseconds per
message, how often text without a language is kept from switching a conversation, and the sticky
conversation policy check. ``python -m bench.langid_bench [--out FILE]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from bot.language.codes import SUPPORTED, UNDETERMINED, normalise
from bot.language.conversation import decide
from bot.language.detector import Detector

DATA = Path(__file__).resolve().parent / "data" / "langid"
SPLITS = {"bench": DATA, "dev": DATA / "dev"}
BUCKETS = ("1-2", "3-6", "7+")
LABELS = (*SUPPORTED, "da", "de", UNDETERMINED)
NORDIC = ("nb", "sv", "da")
DEFAULT_OUT = Path(__file__).resolve().parent / "work" / "langid_bench.json"
# Languages the restricted library detectors may choose from: what this bot meets.
RELEVANT = ("en", "fr", "nb", "nn", "nl", "sv", "ar", "da", "de")

Row = dict[str, str]
DetectFn = Callable[[str], str]


def load(folder: Path) -> list[Row]:
    """All labelled rows of one split (columns text, label, length_bucket, category)."""
    rows: list[Row] = []
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows


# -- candidate detectors: each returns a normalised code or "und" ------------------------------
def _project() -> DetectFn:
    detector = Detector()
    return lambda text: detector.detect(text).code


def _langdetect() -> DetectFn:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random unless seeded

    def run(text: str) -> str:
        try:
            return normalise(detect(text))
        except LangDetectException:
            return UNDETERMINED

    return run


def _langid() -> DetectFn:
    from langid.langid import LanguageIdentifier, model

    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    identifier.set_languages(["no" if c in ("nb", "nn") else c for c in RELEVANT])
    return lambda text: normalise(identifier.classify(text)[0])


def _pycld2() -> DetectFn:
    import pycld2

    def run(text: str) -> str:
        try:
            _, _, details = pycld2.detect(text)
        except pycld2.error:
            return UNDETERMINED
        code = details[0][1]
        return UNDETERMINED if code == "un" else normalise(code)

    return run


def _lingua(low_accuracy: bool) -> Callable[[], DetectFn]:
    def build() -> DetectFn:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in RELEVANT]
        builder = LanguageDetectorBuilder.from_languages(*languages)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        detector = builder.with_preloaded_language_models().build()

        def run(text: str) -> str:
            language = detector.detect_language_of(text)
            return UNDETERMINED if language is None else normalise(language.iso_code_639_1.name)

        return run

    return build


CANDIDATES: dict[str, Callable[[], DetectFn]] = {
    "hubguide": _project,
    "langdetect(seed=0)": _langdetect,
    "langid(restricted)": _langid,
    "pycld2": _pycld2,
    "lingua(restricted,high)": _lingua(False),
    "lingua(restricted,low)": _lingua(True),
}


# -- measuring ---------------------------------------------------------------------------------
def evaluate(fn: DetectFn, rows: list[Row]) -> dict:
    """Accuracy per label and bucket, six-language averages, nb/sv/da confusion, µs/message."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    confusion: dict[str, Counter] = {label: Counter() for label in NORDIC}
    errors: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    predictions = [fn(row["text"]) for row in rows]
    elapsed = time.perf_counter() - started
    for row, predicted in zip(rows, predictions, strict=True):
        label, bucket = row["label"], row["length_bucket"]
        hit = predicted == label
        counts[(label, bucket)][0] += hit
        counts[(label, bucket)][1] += 1
        if label in NORDIC:
            confusion[label][predicted if predicted in NORDIC else "other"] += 1
        if not hit:
            errors.append((label, predicted, row["text"]))
    accuracy = {
        label: {
            b: counts[(label, b)][0] / counts[(label, b)][1]
            for b in BUCKETS
            if counts[(label, b)][1]
        }
        for label in LABELS
    }
    average = {
        b: sum(accuracy[lang].get(b, 0.0) for lang in SUPPORTED) / len(SUPPORTED) for b in BUCKETS
    }
    return {
        "accuracy": accuracy,
        "average_six": average,
        "confusion_nordic": {k: dict(v) for k, v in confusion.items()},
        "us_per_message": elapsed / max(len(rows), 1) * 1e6,
        "errors": errors,
    }


def safety(detector: Detector, rows: list[Row]) -> dict:
    """Texts labelled ``und`` (names, numbers, shared words like "ok"): how many the detector
    calls ``und`` and how many it keeps from being ``reliable`` (the property that matters)."""
    und = [row for row in rows if row["label"] == UNDETERMINED]
    detections = [detector.detect(row["text"]) for row in und]
    return {
        "n": len(und),
        "detected_und": sum(d.code == UNDETERMINED for d in detections) / max(len(und), 1),
        "not_reliable": sum(not d.reliable for d in detections) / max(len(und), 1),
    }


def sticky(detector: Detector, rows: list[Row]) -> dict:
    """Simulate established conversations in each supported language and feed them every message.

    One- and two-word messages must never flip a conversation (same language or another one);
    longer messages in another supported language should switch it (that rate is reported).
    """
    detections = [(row, detector.detect(row["text"])) for row in rows]
    short_fed = short_flips = long_same = long_same_flips = long_other = long_other_switch = 0
    flip_examples: list[tuple[str, str, str]] = []
    for current in SUPPORTED:
        for row, detection in detections:
            decision = decide(current, detection, hint=None, requested=None)
            changed = decision.code != current
            if row["length_bucket"] == "1-2":
                short_fed += 1
                short_flips += changed
                if changed and len(flip_examples) < 10:
                    flip_examples.append((current, decision.code, row["text"]))
            elif row["label"] == current:
                long_same += 1
                long_same_flips += changed
            elif row["label"] in SUPPORTED:
                long_other += 1
                long_other_switch += decision.code == row["label"]
    return {
        "short_messages_fed": short_fed,
        "short_flips": short_flips,
        "short_flip_examples": flip_examples,
        "longer_same_language_fed": long_same,
        "longer_same_language_flips": long_same_flips,
        "longer_other_language_fed": long_other,
        "longer_other_language_switch_rate": long_other_switch / max(long_other, 1),
    }


def _table(split: str, results: dict[str, dict]) -> str:
    names = list(results)
    width = max(len(n) for n in names) + 2
    lines = [f"\n== {split}: accuracy per language x length (n per cell in the first column) =="]
    lines.append("lang bucket  " + "".join(f"{n:>{width}}" for n in names))
    rows = load(SPLITS[split])
    size = Counter((r["label"], r["length_bucket"]) for r in rows)
    for label in LABELS:
        for bucket in BUCKETS:
            if not size[(label, bucket)]:
                continue
            cells = "".join(
                f"{results[n]['accuracy'][label].get(bucket, 0.0):>{width}.3f}" for n in names
            )
            lines.append(f"{label:<4} {bucket:<4}{size[(label, bucket)]:>4}" + cells)
    for bucket in BUCKETS:
        cells = "".join(f"{results[n]['average_six'][bucket]:>{width}.3f}" for n in names)
        lines.append(f"avg6 {bucket:<8}" + cells)
    lines.append(
        "us/msg       " + "".join(f"{results[n]['us_per_message']:>{width}.0f}" for n in names)
    )
    lines.append("confusion nb/sv/da (true -> predicted nb, sv, da, other):")
    for name in names:
        conf = results[name]["confusion_nordic"]
        cells = "  ".join(
            f"{t}->" + ",".join(str(conf[t].get(p, 0)) for p in (*NORDIC, "other")) for t in NORDIC
        )
        lines.append(f"  {name:<{width}}{cells}")
    return "\n".join(lines)


def run(out: Path | str | None = None, *, quiet: bool = False) -> dict:
    """Run the whole comparison; print the tables unless quiet; write JSON to ``out`` if given."""
    data = {split: load(folder) for split, folder in SPLITS.items()}
    results: dict[str, dict[str, dict]] = {split: {} for split in SPLITS}
    for name, build in CANDIDATES.items():
        fn = build()
        fn("warm up")
        for split, rows in data.items():
            results[split][name] = evaluate(fn, rows)
    detector = Detector()
    report = {
        "sizes": {s: dict(Counter(r["label"] for r in rows)) for s, rows in data.items()},
        "results": {
            s: {n: {k: v for k, v in r.items() if k != "errors"} for n, r in res.items()}
            for s, res in results.items()
        },
        "hubguide_errors": {s: results[s]["hubguide"]["errors"] for s in SPLITS},
        "und_safety": {s: safety(detector, rows) for s, rows in data.items()},
        "sticky": {s: sticky(detector, rows) for s, rows in data.items()},
    }
    if not quiet:
        for split in SPLITS:
            print(_table(split, results[split]))
            print(f"und texts ({split}): {report['und_safety'][split]}")
            print(f"sticky policy ({split}): {report['sticky'][split]}")
    if out is not None:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON report path")
    args = parser.parse_args(argv)
    run(args.out)
    print(f"\nJSON report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
