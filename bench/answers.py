"""Run the question bank against a running HubGuide (bench part `answers`, `make test` subset).

The bank measures whether the assistant *answers* correctly end to end: every case is a fresh
conversation through the REST channel, each checked turn's reply is searched for the expected
facts (bench/answer_checks.py) and the conversation's language is read from the tracker, as the
end-to-end tests do. `overlap()` counts bank questions that occur in the NLU training data or in
the held-out NLU questions after folding: a bank question that was trained on measures memory,
not understanding.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bench.answer_bank import CLASSES, TAGS, Case, Expect
from bench.answer_checks import matches, normalise
from bot.language.codes import SUPPORTED
from knowledge.text import fold
from ops.stack import ROOT, language_slot, send

NLU_DIR = ROOT / "bot" / "data" / "nlu"
HELD_OUT_DIR = ROOT / "bench" / "data" / "nlu_test"
#: What the bank must reach (bench/RESULTS.md reports each as met or not met).
TARGETS = {"overall": 0.97, "per_language": 0.95, "per_class": 0.90, "unknown_failures": 0}

Progress = Callable[[str], None]


@dataclass
class TurnResult:
    """One sent turn: the reply as the person would read it and the checks it failed."""

    number: int
    user: str
    reply: str = ""
    buttons: list[str] = field(default_factory=list)
    language: str | None = None
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "turn": self.number,
            "user": self.user,
            "reply": self.reply,
            "buttons": self.buttons,
            "language": self.language,
            "failed": self.failed,
        }


@dataclass
class CaseResult:
    case: Case
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.turns) and not any(turn.failed for turn in self.turns)

    def failure(self) -> dict:
        """The failed case for results.json: which turns failed which check, with the reply."""
        return {
            "id": self.case.id,
            "language": self.case.lang,
            "class": self.case.question_class,
            "tags": list(self.case.tags),
            "questions": self.case.questions,
            "turns": [turn.to_json() for turn in self.turns if turn.failed],
        }

    def explain(self) -> str:
        """The failure as readable lines (the e2e test's assertion message)."""
        lines = [f"{self.case.id} ({self.case.lang}, {self.case.question_class}) failed:"]
        for turn in self.turns:
            if turn.failed:
                lines.append(f"turn {turn.number} {turn.user!r}: " + "; ".join(turn.failed))
                lines.append(f"  language slot: {turn.language}")
                lines.append("  reply: " + (turn.reply or "(no text)").replace("\n", "\n         "))
                if turn.buttons:
                    lines.append("  buttons: " + " | ".join(turn.buttons))
        return "\n".join(lines)


def reply_text(replies: Sequence[dict]) -> str:
    """The texts of the bot's messages, one per line, with plain spaces.

    Button titles are not part of it: a choice offered ("which of these calls?") is a question
    back, not an answer, so it must not satisfy a fact.
    """
    return normalise("\n".join(reply.get("text") or "" for reply in replies)).strip()


@lru_cache(maxsize=1)
def outage_replies() -> frozenset[str]:
    """The bot's apologies for an outage, in every language: such a reply answers nothing, so
    it fails a checked turn even where the expectations only list what must not be said."""
    from actions.catalogue import messages

    texts = {fold(messages(lang)["kb_unavailable"]) for lang in SUPPORTED}
    domain = yaml.safe_load((ROOT / "bot" / "domain" / "responses" / "smalltalk.yml").read_text())
    for variant in domain["responses"].get("utter_service_unavailable", []):
        texts.add(fold(variant["text"]))
    return frozenset(texts)


def check_reply(expect: Expect, reply: str, language: str | None) -> list[str]:
    """The checks one reply fails (empty: it passes); `language` is the tracker's slot."""
    failed = []
    if not reply.strip():
        failed.append("reply: empty")
    elif fold(reply) in outage_replies():
        failed.append("reply: an outage apology")
    if expect.language is not None and language != expect.language:
        failed.append(f"language: {language} instead of {expect.language}")
    for fact in expect.facts:
        if not matches(fact.kind, fact.value, reply):
            failed.append(f"facts: {fact} not found")
    if expect.any and not any(matches(f.kind, f.value, reply) for f in expect.any):
        failed.append("any: none of " + ", ".join(str(fact) for fact in expect.any) + " found")
    for fact in expect.not_:
        if matches(fact.kind, fact.value, reply):
            failed.append(f"not: {fact} found")
    return failed


def run_case(rasa_url: str, token: str, case: Case, *, timeout: float = 30.0) -> CaseResult:
    """One case as a new conversation: every turn in order, each checked turn checked.

    A turn that cannot be sent ends the conversation (the later turns would lean on it).
    """
    sender = f"bank-{case.id}-{uuid.uuid4().hex[:8]}"
    result = CaseResult(case)
    for number, turn in enumerate(case.turns, start=1):
        outcome = TurnResult(number, turn.user)
        try:
            replies = send(rasa_url, sender, turn.user, timeout=timeout)
            outcome.reply = reply_text(replies)
            outcome.buttons = [b.get("title", "") for r in replies for b in r.get("buttons") or []]
            if turn.expect is not None:
                if turn.expect.language is not None:
                    outcome.language = language_slot(rasa_url, sender, token)
                outcome.failed = check_reply(turn.expect, outcome.reply, outcome.language)
        except Exception as error:  # a timeout or a server error fails the case, not the run
            outcome.failed = [f"error: {type(error).__name__}: {error}"]
            result.turns.append(outcome)
            break
        result.turns.append(outcome)
    return result


def _score(results: Iterable[CaseResult]) -> dict:
    results = list(results)
    correct = sum(result.passed for result in results)
    total = len(results)
    return {"correct": correct, "total": total, "accuracy": correct / total if total else None}


def _grouped(results: Sequence[CaseResult], key: Callable[[CaseResult], Iterable[str]]) -> dict:
    """Scores per group, groups in the bank's order (languages, then the README's classes)."""
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        for name in key(result):
            groups[name].append(result)
    order = {name: index for index, name in enumerate((*SUPPORTED, *CLASSES, *TAGS))}
    names = sorted(groups, key=lambda name: (order.get(name, len(order)), name))
    return {name: _score(groups[name]) for name in names}


def summarise(results: Sequence[CaseResult]) -> dict:
    """Correct/total overall, per language, class, tag and (language, class); every failure."""
    by_language: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        by_language[result.case.lang].append(result)
    summary = {
        **_score(results),
        "per_language": _grouped(results, lambda r: [r.case.lang]),
        "per_class": _grouped(results, lambda r: [r.case.question_class]),
        "per_tag": _grouped(results, lambda r: r.case.tags),
        "per_language_class": {
            lang: _grouped(group, lambda r: [r.case.question_class])
            for lang, group in by_language.items()
        },
        "failures": [result.failure() for result in results if not result.passed],
    }
    summary["targets"] = verdicts(summary)
    return summary


def verdicts(summary: dict) -> list[dict]:
    """Each target of TARGETS with the figure measured and whether it was met."""
    rows = [("overall", "overall", summary.get("accuracy"), TARGETS["overall"])]
    for group in ("per_language", "per_class"):
        for name, score in summary.get(group, {}).items():
            rows.append((group, name, score["accuracy"], TARGETS[group]))
    failed_unknown = sum(f["class"] == "unknown" for f in summary.get("failures", []))
    out = [
        {"target": target, "scope": scope, "value": value, "goal": goal, "met": value >= goal}
        for target, scope, value, goal in rows
        if value is not None
    ]
    out.append(
        {
            "target": "unknown_failures",
            "scope": "unknown",
            "value": failed_unknown,
            "goal": TARGETS["unknown_failures"],
            "met": failed_unknown <= TARGETS["unknown_failures"],
        }
    )
    return out


def run(
    rasa_url: str,
    token: str,
    cases: Sequence[Case],
    *,
    concurrency: int = 4,
    progress: Progress | None = None,
) -> dict:
    """Every case, `concurrency` conversations at a time; the summary (JSON-serialisable)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        results = list(pool.map(lambda case: run_case(rasa_url, token, case), cases))
    summary = summarise(results)
    summary["elapsed_s"] = round(time.perf_counter() - start, 1)
    summary["messages"] = sum(len(result.turns) for result in results)
    if progress:
        progress(
            f"answers: {summary['correct']} of {summary['total']} cases correct "
            f"in {summary['elapsed_s']:.0f} s"
        )
    return summary


# --- overlap with the NLU data ---------------------------------------------------------------

# Rasa's entity annotations: "[English]{"entity": …}" and "[English](language)".
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


def _example_texts(item: dict) -> list[str]:
    examples = item.get("examples")
    if isinstance(examples, str):
        lines = [line.strip() for line in examples.splitlines()]
        texts = [line[2:] for line in lines if line.startswith("- ")]
    elif isinstance(examples, list):
        texts = [e.get("text", "") if isinstance(e, dict) else str(e) for e in examples]
    else:
        texts = []
    return [_ANNOTATION.sub(r"\1", text) for text in texts]


def nlu_examples(files: Iterable[Path]) -> dict[str, list[str]]:
    """Folded example texts of Rasa NLU files → where each occurs ("en/questions.yml intent x").

    Every `examples` list counts (intents, synonyms, lookup tables), regexes excepted: they
    are patterns, not texts.
    """
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(files):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if not isinstance(item, dict) or "regex" in item:
                continue
            kind = next((k for k in ("intent", "synonym", "lookup") if k in item), "examples")
            where = f"{path.parent.name}/{path.name} {kind} {item.get(kind, '')}".strip()
            for text in _example_texts(item):
                key = fold(text)
                if key and where not in found[key]:
                    found[key].append(where)
    return dict(found)


def _overlap_with(cases: Sequence[Case], examples: dict[str, list[str]]) -> dict:
    texts = [
        {"case": case.id, "text": turn.user, "found_in": examples[fold(turn.user)]}
        for case in cases
        for turn in case.turns
        if fold(turn.user) in examples
    ]
    return {"count": len(texts), "texts": texts}


def overlap(
    cases: Sequence[Case], *, nlu_dir: Path = NLU_DIR, held_out_dir: Path = HELD_OUT_DIR
) -> dict:
    """How many bank user messages occur, folded, in the training data and in the held-out set."""
    return {
        "bank_messages": sum(len(case.turns) for case in cases),
        "training": _overlap_with(cases, nlu_examples(nlu_dir.glob("*/*.yml"))),
        "held_out": _overlap_with(cases, nlu_examples(held_out_dir.glob("*.yml"))),
    }
