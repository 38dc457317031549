"""Journey pass rate: whole conversations an entrepreneur comes for, through the REST channel.

A journey is a list of turns: what the user sends (text or a button's payload) and what the
bot's replies of that turn must show (`contains`, `not_contains`, `buttons` offered). A journey
passes when every turn does; the pass rate is the share of journeys that pass, per language
and overall. Cases: `bench/journeys/*.yml` (the eligibility check with "I don't know" answers,
direct questions with facts, "what if", "what fits me"); the e2e tests run their own set
(`tests/e2e/journeys/`) with the same runner.

python -m bench.journeys                # starts a stack on the seed content, prints the result
python -m bench.journeys --out result.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).resolve().parent / "journeys"
ROOT = Path(__file__).resolve().parent.parent

#: one message through the REST channel: (rasa_url, sender, text) -> the bot's replies
Sender = Callable[[str, str, str], list[dict]]


@dataclass(frozen=True)
class JourneyResult:
    name: str
    lang: str
    passed: bool
    turns: int
    failed_turn: int | None = None  # 1-based
    reason: str = ""


def plain(text: str) -> str:
    """Babel's narrow and non-breaking spaces as plain spaces, for readable expectations."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def load(paths: Iterable[Path] | None = None) -> list[dict[str, Any]]:
    """The journeys of every `<lang>.yml` file (its stem is the language), in file order
    (`deadlines.yml` beside them is bench/journeys_deadlines.py's)."""
    from knowledge.languages import SUPPORTED

    files = (
        sorted(paths)
        if paths is not None
        else sorted(p for p in CASES_DIR.glob("*.yml") if p.stem in SUPPORTED)
    )
    journeys = []
    for path in files:
        for journey in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            journeys.append({**journey, "lang": journey.get("lang", path.stem)})
    return journeys


def check_turn(turn: dict[str, Any], replies: list[dict]) -> str:
    """What is wrong with the replies to one turn ("" when nothing)."""
    text = plain("\n".join(reply.get("text") or "" for reply in replies))
    payloads = [b.get("payload") for reply in replies for b in reply.get("buttons") or []]
    if not replies:
        return "no reply"
    for fragment in turn.get("contains", []):
        if plain(fragment) not in text:
            return f"missing {fragment!r} in:\n{text}"
    for fragment in turn.get("not_contains", []):
        if plain(fragment) in text:
            return f"unexpected {fragment!r} in:\n{text}"
    for payload in turn.get("buttons", []):
        if payload not in payloads:
            return f"no button {payload!r} among {payloads}"
    return ""


def run_journey(rasa_url: str, journey: dict[str, Any], send: Sender) -> JourneyResult:
    sender = f"journey-{uuid.uuid4().hex[:10]}"
    turns = journey["turns"]
    for number, turn in enumerate(turns, start=1):
        try:
            replies = send(rasa_url, sender, turn["user"])
        except OSError as error:  # the server went away or timed out
            return JourneyResult(journey["name"], journey["lang"], False, len(turns), number,
                                 f"no answer: {error}")  # fmt: skip
        problem = check_turn(turn, replies)
        if problem:
            return JourneyResult(journey["name"], journey["lang"], False, len(turns), number,
                                 f"turn {number} ({turn['user']!r}): {problem}")  # fmt: skip
    return JourneyResult(journey["name"], journey["lang"], True, len(turns))


def summarise(results: list[JourneyResult]) -> dict[str, Any]:
    """Pass rate overall and per language, with the failures' reasons."""

    def rate(items: list[JourneyResult]) -> float:
        return round(sum(r.passed for r in items) / len(items), 4) if items else 0.0

    langs = sorted({r.lang for r in results})
    return {
        "journeys": len(results),
        "passed": sum(r.passed for r in results),
        "pass_rate": rate(results),
        "by_language": {
            lang: {
                "journeys": sum(r.lang == lang for r in results),
                "pass_rate": rate([r for r in results if r.lang == lang]),
            }
            for lang in langs
        },
        "failures": [asdict(r) for r in results if not r.passed],
    }


def run(rasa_url: str, journeys: list[dict[str, Any]], send: Sender | None = None) -> dict:
    """Every journey against a running Rasa server; the summary."""
    if send is None:
        from ops.stack import send as rest_send

        send = rest_send
    return summarise([run_journey(rasa_url, journey, send) for journey in journeys])


def run_on_stack(journeys: list[dict[str, Any]], work: Path) -> dict:
    """A stack of its own (seed content, the frozen clock of the tests), then `run`."""
    from knowledge.db import make_engine
    from knowledge.importer import import_paths
    from ops.stack import FROZEN_NOW, Stack, free_port, latest_model

    url = f"sqlite:///{work / 'journeys-kb.sqlite3'}"
    engine = make_engine(url)
    import_paths(engine, [ROOT / "knowledge" / "content"])
    engine.dispose()
    stack = Stack(
        model=latest_model(),
        log_dir=work,
        ports={"rasa": free_port(), "actions": free_port(), "web": free_port()},
        env={"HUBGUIDE_DATABASE_URL": url, "HUBGUIDE_NOW": FROZEN_NOW},
    )
    with stack:
        return run(stack.rasa_url, journeys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.journeys", description=__doc__)
    parser.add_argument("--out", type=Path, help="write the summary (JSON) here too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hubguide-journeys-") as work:
        summary = run_on_stack(load(), Path(work))
    text = json.dumps(summary, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
