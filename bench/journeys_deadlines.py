"""The deadline and hand-off journeys as benchmark cases: their pass rate on a fresh stack.

    python -m bench.journeys_deadlines [--cases bench/journeys/deadlines.yml] [--out FILE]

Each case (format at the top of the cases file) is one conversation through the REST channel on
its own copy of the seed knowledge base, with the scheduler beside the action server and the
clock frozen at ops.stack.FROZEN_NOW. Steps are the user's messages (checked replies, a
calendar link fetched and parsed back with icalendar, or silence), staff actions on the
hand-off page, a scheduler round at a later instant, and waits for what the bot says unasked.
Prints, and writes as JSON, the pass rate overall, per language and per journey, and every
failure with its reason.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import yaml

from knowledge import handoff
from knowledge.db import make_engine
from ops.notify import RasaApi
from ops.scheduler import Scheduler
from ops.stack import ROOT, Stack, latest_model, send, tracker

CASES = ROOT / "bench" / "journeys" / "deadlines.yml"
OUT = ROOT / "bench" / "work" / "journeys_deadlines.json"
WAIT_SECONDS = 20.0


class CaseFailed(AssertionError):
    """One expectation of a case did not hold."""


@dataclass
class Result:
    name: str
    lang: str
    journey: str
    passed: bool
    reason: str = ""
    seconds: float = 0.0


@dataclass
class Run:
    stack: Stack
    engine: object
    staff_token: str
    results: list[Result] = field(default_factory=list)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _contains(text: str, expect: dict, where: str) -> None:
    folded = plain(text).casefold()
    for needle in expect.get("contains", []):
        if plain(needle).casefold() not in folded:
            raise CaseFailed(f"{where}: {needle!r} missing from {text!r}")
    for needle in expect.get("not_contains", []):
        if plain(needle).casefold() in folded:
            raise CaseFailed(f"{where}: {needle!r} should not be in {text!r}")


def _check_calendar(replies: list[dict], expect: dict, where: str) -> None:
    links = [r["attachment"]["payload"]["src"] for r in replies if r.get("attachment")]
    if not links:
        raise CaseFailed(f"{where}: no calendar link in {replies}")
    with urllib.request.urlopen(links[0], timeout=10) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    events = calendar.walk("VEVENT")
    if len(events) != 1:
        raise CaseFailed(f"{where}: {len(events)} events in the calendar file")
    event = events[0]
    start = event.decoded("DTSTART")
    checks = {
        "uid": str(event["UID"]),
        "timezone": str(getattr(start.tzinfo, "key", start.tzinfo)),
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "alarm_days": -event.walk("VALARM")[0].decoded("TRIGGER").days
        if event.walk("VALARM")
        else None,
        "language": event["SUMMARY"].params.get("LANGUAGE"),
    }
    for key, wanted in expect.items():
        if checks.get(key) != wanted:
            raise CaseFailed(f"{where}: calendar {key} is {checks.get(key)!r}, not {wanted!r}")


def _staff(run: Run, sender: str, action: str, text: str = "") -> None:
    from webchat.handoff_page import form_token

    case = handoff.open_case_of(run.engine, sender)
    if case is None:
        raise CaseFailed(f"staff {action}: the conversation has no open case")
    auth = base64.b64encode(f"Bench Staff:{run.staff_token}".encode()).decode()
    data = {"form_token": form_token(case.id, run.staff_token), "text": text}
    request = urllib.request.Request(
        f"{run.stack.web_url}/handoff/cases/{case.id}/{action}",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Authorization": f"Basic {auth}"},
    )
    try:
        urllib.request.urlopen(request, timeout=30).close()
    except urllib.error.HTTPError as error:
        if error.code != 303:  # the page redirects back to the case
            raise CaseFailed(f"staff {action}: HTTP {error.code}") from error


def _bot_texts(run: Run, sender: str) -> list[str]:
    events = tracker(run.stack.rasa_url, sender, run.stack.token)["events"]
    return [plain(e.get("text") or "") for e in events if e.get("event") == "bot"]


def _wait_for(run: Run, sender: str, expect: dict, where: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    seen = len(_bot_texts(run, sender)) if expect.get("new_only") else 0
    while True:
        texts = _bot_texts(run, sender)[seen:]
        try:
            _contains("\n".join(texts), expect, where)
            return
        except CaseFailed:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def run_case(run: Run, case: dict) -> None:
    sender = f"bench-journey-{uuid.uuid4().hex[:10]}"
    for number, step in enumerate(case["steps"], start=1):
        where = f"step {number}"
        if "user" in step:
            replies = send(run.stack.rasa_url, sender, step["user"])
            if step.get("silent") and replies:
                raise CaseFailed(f"{where}: the bot answered while a person has the case")
            _contains("\n".join(r.get("text") or "" for r in replies), step, where)
            if "calendar" in step:
                _check_calendar(replies, step["calendar"], where)
        elif "staff" in step:
            _staff(run, sender, step["staff"], step.get("text", ""))
        elif "scheduler_at" in step:
            moment = datetime.fromisoformat(step["scheduler_at"])
            api = RasaApi(run.stack.rasa_url, run.stack.token)
            timeout = timedelta(minutes=step.get("handoff_timeout_minutes", 15))
            Scheduler(run.engine, api, handoff_timeout=timeout).run_once(moment)
        if "wait_for" in step:
            _wait_for(run, sender, step["wait_for"], where)


def run_cases(cases: list[dict], model: Path, work: Path) -> list[Result]:
    from tests.e2e.journeys import STAFF_TOKEN, journey_stack, own_database

    url, _ = own_database(work)
    stack = journey_stack(model, work / "logs", url)
    engine = make_engine(url)
    run = Run(stack, engine, STAFF_TOKEN)
    with stack:
        for case in cases:
            started = time.monotonic()
            try:
                run_case(run, case)
                result = Result(case["name"], case["lang"], case["journey"], True)
            except (CaseFailed, urllib.error.URLError, KeyError, ValueError) as error:
                result = Result(case["name"], case["lang"], case["journey"], False, str(error))
            result.seconds = round(time.monotonic() - started, 2)
            run.results.append(result)
            print(("PASS " if result.passed else "FAIL ") + case["name"], file=sys.stderr)
    engine.dispose()
    return run.results


def summary(results: list[Result]) -> dict:
    def rate(items: list[Result]) -> dict:
        passed = sum(r.passed for r in items)
        return {"passed": passed, "total": len(items), "rate": passed / len(items) if items else 0}

    by_lang: dict[str, list[Result]] = defaultdict(list)
    by_journey: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_lang[result.lang].append(result)
        by_journey[result.journey].append(result)
    return {
        "overall": rate(results),
        "per_language": {lang: rate(items) for lang, items in sorted(by_lang.items())},
        "per_journey": {name: rate(items) for name, items in sorted(by_journey.items())},
        "failures": [
            {"name": r.name, "lang": r.lang, "reason": r.reason} for r in results if not r.passed
        ],
        "seconds": round(sum(r.seconds for r in results), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.journeys_deadlines")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)
    cases = yaml.safe_load(args.cases.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="journeys-") as work:
        results = run_cases(cases, args.model or latest_model(), Path(work))
    report = summary(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    overall = report["overall"]
    print(f"journeys (deadlines, hand-off): {overall['passed']}/{overall['total']} passed")
    for lang, figures in report["per_language"].items():
        print(f"  {lang}: {figures['passed']}/{figures['total']}")
    for name, figures in report["per_journey"].items():
        print(f"  {name}: {figures['passed']}/{figures['total']}")
    for failure in report["failures"]:
        print(f"  FAILED {failure['name']}: {failure['reason']}")
    return 0 if overall["passed"] == overall["total"] else 1


if __name__ == "__main__":
    sys.exit(main())
