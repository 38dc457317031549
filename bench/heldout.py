"""Parse held-out test questions with a trained model (run as a subprocess by bench.nlu).

A separate process keeps TensorFlow and the model out of the orchestrator's memory.
Usage: python -m bench.heldout --model MODEL.tar.gz --out RESULT.json TEST.yml [TEST.yml ...]
The language of a test file is its stem (en.yml → en).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path


def _detected(parsed: dict) -> str | None:
    language = parsed.get("language")
    return language.get("code") if isinstance(language, dict) else None


async def evaluate(model: Path, files: list[Path]) -> dict:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    from bench.nlu import scores

    agent = Agent.load(str(model))
    languages: dict[str, dict] = {}
    errors: list[dict] = []
    for path in files:
        lang = path.stem
        targets, predictions, detected = [], [], []
        for example in load_data(str(path)).intent_examples:
            parsed = await agent.parse_message(example.get("text"))
            predicted = (parsed.get("intent") or {}).get("name") or "None"
            targets.append(example.get("intent"))
            predictions.append(predicted)
            detected.append(_detected(parsed))
            if predicted != example.get("intent"):
                errors.append(
                    {
                        "language": lang,
                        "text": example.get("text"),
                        "intent": example.get("intent"),
                        "predicted": predicted,
                        "confidence": (parsed.get("intent") or {}).get("confidence"),
                    }
                )
        summary = scores(targets, predictions)
        known = [code for code in detected if code is not None]
        if known:
            summary["language_detected_accuracy"] = sum(c == lang for c in known) / len(known)
        languages[lang] = summary
    total = sum(s.get("count", 0) for s in languages.values())
    correct = sum(s.get("accuracy", 0) * s.get("count", 0) for s in languages.values())
    return {
        "per_language": languages,
        "overall_accuracy": correct / total if total else None,
        "count": total,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    result = asyncio.run(evaluate(args.model, args.files))
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
