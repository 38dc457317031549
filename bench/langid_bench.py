"""Language identification benchmark: the project's detector against libraries, side by side.

Runs the detectors on the same labelled texts and reports accuracy per language and length, the
six-language average, the nb/sv/da confusion and microseconds per message:

* the project's chat messages (bench/data/langid/*.tsv, the benchmark set, and
  bench/data/langid/dev/*.tsv, the development set), per length bucket in words;
* the public development texts (``../shared/data/langid-dev/``: half of lingua-py's test texts,
  single words, word pairs and sentences), split into a tuning half (even lines, what the
  detector's settings were chosen on) and a check half (odd lines), per kind of text; Nynorsk
  counts as Norwegian. langdetect (milliseconds a text) sees the check half only.

Then how often text without a language is kept from switching a conversation, and the sticky
conversation policy: established conversations fed every message (one- and two-word messages must
never flip one). ``python -m bench.langid_bench [--out FILE] [--no-public]``.
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
from bot.language.detector import Detection, Detector

DATA = Path(__file__).resolve().parent / "data" / "langid"
SPLITS = {"bench": DATA, "dev": DATA / "dev"}
#: the public development texts, beside the repository (absent: that part is skipped)
PUBLIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "langid-dev"
PUBLIC_KINDS = {"single-words": "1 word", "word-pairs": "2 words", "sentences": "sentence"}
PUBLIC_HALVES = ("tune", "check")
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


def load_public(folder: Path = PUBLIC, half: str = "tune") -> list[Row]:
    """One half of the public texts as rows: label (``nn`` -> ``nb``), length_bucket (the kind:
    "1 word", "2 words", "sentence") and source (the file's own code: ``nn`` stays visible).
    ``tune``: lines 1, 3, 5 … of every file; ``check``: lines 2, 4, 6 …"""
    rows: list[Row] = []
    start = PUBLIC_HALVES.index(half)
    for kind, bucket in PUBLIC_KINDS.items():
        for path in sorted((folder / kind).glob("*.txt")):
            text_of_file = path.read_text(encoding="utf-8")
            lines = [line.strip() for line in text_of_file.split("\n")]
            lines = [line for line in lines if line]
            for text in lines[start::2]:
                rows.append(
                    {
                        "text": text,
                        "label": normalise(path.stem),
                        "length_bucket": bucket,
                        "category": "public",
                        "source": path.stem,
                    }
                )
    return rows


def public_splits(folder: Path = PUBLIC) -> dict[str, list[Row]]:
    """``public-tune`` and ``public-check`` when the public texts are there, else nothing."""
    if not (folder / "sentences").is_dir():
        return {}
    return {f"public-{half}": load_public(folder, half) for half in PUBLIC_HALVES}


def buckets_of(rows: list[Row]) -> tuple[str, ...]:
    present = {row["length_bucket"] for row in rows}
    order = (*BUCKETS, *PUBLIC_KINDS.values())
    return tuple(b for b in order if b in present)


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


def _lingua(
    codes: Callable[[], tuple[str, ...]], low_accuracy: bool = False
) -> Callable[[], DetectFn]:
    def build() -> DetectFn:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in codes()]
        builder = LanguageDetectorBuilder.from_languages(*languages)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()  # models load on first use, for the scripts met only

        def run(text: str) -> str:
            language = detector.detect_language_of(text)
            return UNDETERMINED if language is None else normalise(language.iso_code_639_1.name)

        return run

    return build


def _six() -> tuple[str, ...]:
    return (*SUPPORTED, "nn")


def _hubguide_set() -> tuple[str, ...]:
    """Every language HubGuide's detector can answer: the same candidates for lingua alone."""
    from bot.language import detector

    languages = (
        *detector._CORE,
        *detector._WIDE_EXTRA,
        *detector._ARABIC_SCRIPT,
        *detector._OTHER_SCRIPTS,
    )
    return tuple(language.iso_code_639_1.name.lower() for language in languages)


CANDIDATES: dict[str, Callable[[], DetectFn]] = {
    "hubguide": _project,
    "langdetect(seed=0)": _langdetect,
    "lingua(six)": _lingua(_six),
    "lingua(hubguide set)": _lingua(_hubguide_set),
    "langid(restricted)": _langid,
    "pycld2": _pycld2,
}
#: the detectors the public texts are run through (the others only see the chat sets), and the
#: halves each one sees: langdetect (about 5 ms a text) only the check half, to keep the part
#: within its time budget on the 2-core machine
PUBLIC_CANDIDATES = {
    "hubguide": ("public-tune", "public-check"),
    "langdetect(seed=0)": ("public-check",),
    "lingua(six)": ("public-tune", "public-check"),
    "lingua(hubguide set)": ("public-tune", "public-check"),
}


# -- measuring ---------------------------------------------------------------------------------
def evaluate(fn: DetectFn, rows: list[Row]) -> dict:
    """Accuracy per label and bucket (and for Nynorsk, ``nn``, on its own), six-language averages,
    nb/sv/da confusion per bucket, Swedish<->Norwegian confusion rates, µs/message."""
    buckets = buckets_of(rows)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    confusion: dict[str, dict[str, Counter]] = {b: {t: Counter() for t in NORDIC} for b in buckets}
    errors: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    predictions = [fn(row["text"]) for row in rows]
    elapsed = time.perf_counter() - started
    for row, predicted in zip(rows, predictions, strict=True):
        label, bucket = row["label"], row["length_bucket"]
        hit = predicted == label
        keys = [label] + (["nn"] if row.get("source") == "nn" else [])
        for key in keys:
            counts[(key, bucket)][0] += hit
            counts[(key, bucket)][1] += 1
        if label in NORDIC:
            confusion[bucket][label][predicted if predicted in NORDIC else "other"] += 1
        if not hit:
            errors.append((label, predicted, row["text"]))
    accuracy = {
        label: {
            b: counts[(label, b)][0] / counts[(label, b)][1]
            for b in buckets
            if counts[(label, b)][1]
        }
        for label in (*LABELS, "nn")
    }
    average = {
        b: sum(accuracy[lang].get(b, 0.0) for lang in SUPPORTED) / len(SUPPORTED) for b in buckets
    }

    def rate(true: str, predicted: str, bucket: str) -> float:
        cell = confusion[bucket][true]
        return cell.get(predicted, 0) / max(sum(cell.values()), 1)

    return {
        "accuracy": {k: v for k, v in accuracy.items() if v},
        "average_six": average,
        "confusion_nordic": {
            b: {t: dict(c) for t, c in conf.items()} for b, conf in confusion.items()
        },
        "sv_as_nb": {b: rate("sv", "nb", b) for b in buckets},
        "nb_as_sv": {b: rate("nb", "sv", b) for b in buckets},
        "us_per_message": elapsed / max(len(rows), 1) * 1e6,
        "errors": errors,
    }


def safety(detector: Detector | Remembering, rows: list[Row]) -> dict:
    """Texts labelled ``und`` (names, numbers, shared words like "ok"): how many the detector
    calls ``und`` and how many it keeps from being ``reliable`` (the property that matters)."""
    und = [row for row in rows if row["label"] == UNDETERMINED]
    detections = [detector.detect(row["text"]) for row in und]
    return {
        "n": len(und),
        "detected_und": sum(d.code == UNDETERMINED for d in detections) / max(len(und), 1),
        "not_reliable": sum(not d.reliable for d in detections) / max(len(und), 1),
    }


def _is_short(row: Row) -> bool:
    """One or two words: the chat sets' bucket, or the public single words and word pairs."""
    return row["length_bucket"] in ("1-2", "1 word", "2 words")


def sticky(detector: Detector | Remembering, rows: list[Row]) -> dict:
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
            if _is_short(row):
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


def _table(split: str, results: dict[str, dict], rows: list[Row]) -> str:
    names = list(results)
    width = max(len(n) for n in names) + 2
    buckets = buckets_of(rows)
    lines = [f"\n== {split}: accuracy per language x length (n per cell in the first column) =="]
    lines.append("lang bucket       " + "".join(f"{n:>{width}}" for n in names))
    size = Counter((r["label"], r["length_bucket"]) for r in rows)
    size.update(("nn", r["length_bucket"]) for r in rows if r.get("source") == "nn")
    for label in (*LABELS, "nn"):
        for bucket in buckets:
            if not size[(label, bucket)]:
                continue
            cells = "".join(
                f"{results[n]['accuracy'].get(label, {}).get(bucket, 0.0):>{width}.3f}"
                for n in names
            )
            lines.append(f"{label:<4} {bucket:<8}{size[(label, bucket)]:>5}" + cells)
    for bucket in buckets:
        cells = "".join(f"{results[n]['average_six'][bucket]:>{width}.3f}" for n in names)
        lines.append(f"avg6 {bucket:<13}" + cells)
    for key, title in (("sv_as_nb", "sv->nb"), ("nb_as_sv", "nb->sv")):
        for bucket in buckets:
            cells = "".join(f"{results[n][key][bucket]:>{width}.3f}" for n in names)
            lines.append(f"{title} {bucket:<11}" + cells)
    lines.append(
        "us/msg            " + "".join(f"{results[n]['us_per_message']:>{width}.0f}" for n in names)
    )
    lines.append("confusion nb/sv/da (true -> predicted nb, sv, da, other), per length:")
    for bucket in buckets:
        for name in names:
            conf = results[name]["confusion_nordic"][bucket]
            cells = "  ".join(
                f"{t}->" + ",".join(str(conf[t].get(p, 0)) for p in (*NORDIC, "other"))
                for t in NORDIC
                if sum(conf[t].values())
            )
            lines.append(f"  {bucket:<9}{name:<{width}}{cells}")
    return "\n".join(lines)


class Remembering:
    """HubGuide's detector, remembering each text's detection so that the policy checks after
    the timed runs do not detect every text a second time."""

    def __init__(self, detector: Detector) -> None:
        self._detector = detector
        self._seen: dict[str, Detection] = {}

    def detect(self, text: str) -> Detection:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self._detector.detect(text)
        return found

    def code(self, text: str) -> str:
        return self.detect(text).code

    def uncounted(self, text: str) -> str:
        """Detect without remembering (warming up must not make the timed run cheaper)."""
        return self._detector.detect(text).code


def run(out: Path | str | None = None, *, quiet: bool = False, public: bool = True) -> dict:
    """Run the whole comparison; print the tables unless quiet; write JSON to ``out`` if given."""
    data = {split: load(folder) for split, folder in SPLITS.items()}
    if public:
        data.update(public_splits())
    results: dict[str, dict[str, dict]] = {split: {} for split in data}
    detector = Remembering(Detector())
    for name, build in CANDIDATES.items():
        fn = detector.code if name == "hubguide" else build()
        warm_up = detector.uncounted if name == "hubguide" else fn
        for rows in data.values():  # models load on first use: not part of the timing
            for row in rows[:: max(len(rows) // 20, 1)]:
                warm_up(row["text"])
        for split, rows in data.items():
            if split.startswith("public") and split not in PUBLIC_CANDIDATES.get(name, ()):
                continue
            results[split][name] = evaluate(fn, rows)
        del fn
    report = {
        "sizes": {s: dict(Counter(r["label"] for r in rows)) for s, rows in data.items()},
        "results": {
            s: {n: {k: v for k, v in r.items() if k != "errors"} for n, r in res.items()}
            for s, res in results.items()
        },
        "hubguide_errors": {s: results[s]["hubguide"]["errors"] for s in data},
        "und_safety": {s: safety(detector, rows) for s, rows in data.items() if s in SPLITS},
        "sticky": {s: sticky(detector, rows) for s, rows in data.items()},
    }
    if not quiet:
        for split, rows in data.items():
            print(_table(split, results[split], rows))
            if split in report["und_safety"]:
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
    parser.add_argument(
        "--no-public", action="store_true", help="only the chat sets, not ../shared/data/langid-dev"
    )
    args = parser.parse_args(argv)
    run(args.out, public=not args.no_public)
    print(f"\nJSON report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
