"""`make bench`: measure HubGuide against a stock Rasa bot; write RESULTS.md and results.json.

python -m bench.run                      # everything (about 15 minutes on 2 cores)
python -m bench.run --only nlu,latency   # some parts; other parts' figures are kept
python -m bench.run --quick              # smoke test, written to bench/work/quick/
python -m bench.run --subject stock      # a second stock bot stands in for HubGuide
python -m bench.run --only answers       # the question bank (bench/data/answers/) alone
python -m bench.run --only load          # Locust against nginx and 1, then 2 replicas
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bench import answer_bank, answers, bots, machine, nlu, report, serving, stats
from ops.stack import FROZEN_NOW, Stack, free_port, latest_model

PARTS = ("langid", "kb", "latency", "nlu", "answers", "journeys", "load")
BENCH = Path(__file__).resolve().parent
# Seconds each part should take in a full run on the 2-core machine (25 minutes in all).
BUDGET_S = {
    "langid": 150,
    "kb": 240,
    "latency": 540,
    "nlu": 240,
    "answers": 300,
    "journeys": 240,
    "load": 300,
}


class Progress:
    """Timestamped progress lines on stderr, so `make bench` shows where it is."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        elapsed = int(time.perf_counter() - self.start)
        print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma list of {', '.join(PARTS)}")
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    parser.add_argument(
        "--subject",
        choices=("hubguide", "stock"),
        default="hubguide",
        help="what to compare with the stock bot (stock: a second stock copy, for development)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse models trained by an earlier run (and its times)",
    )
    parser.add_argument("--folds", type=int, default=None, help="cross-validation folds (3)")
    parser.add_argument("--scale-db-url", default=None, help="database of the large-scale run")
    parser.add_argument("--nlu-test", type=Path, default=BENCH / "data" / "nlu_test")
    parser.add_argument(
        "--answers", type=Path, default=answer_bank.BANK_DIR, help="question bank folder"
    )
    parser.add_argument(
        "--answers-concurrency", type=int, default=4, help="bank conversations at once (4)"
    )
    parser.add_argument("--kb-backends", default=None, help="passed to bench.kb_bench.run")
    parser.add_argument("--out-dir", type=Path, default=None, help="where RESULTS.md goes")
    parser.add_argument("--work", type=Path, default=BENCH / "work")
    parser.add_argument(
        "--render-only", action="store_true", help="rewrite RESULTS.md from results.json"
    )
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    if args.out_dir is None:
        args.out_dir = args.work / "quick" if args.quick else BENCH
    if args.folds is None:
        args.folds = 2 if args.quick else 3
    return args


class Run:
    """One benchmark run: prepares each bot at most once and collects every part's figures."""

    def __init__(self, args: argparse.Namespace, progress: Progress) -> None:
        self.args = args
        self.progress = progress
        self.work: Path = args.work / "quick" if args.quick else args.work
        self.work.mkdir(parents=True, exist_ok=True)
        self.settings = serving.Settings.quick() if args.quick else serving.Settings()
        self._bots: dict[str, bots.Bot] = {}
        self.scale_db_url: str | None = args.scale_db_url

    def bot(self, label: str) -> bots.Bot:
        if label not in self._bots:
            reuse = self.args.reuse
            if label == "stock":
                self._bots[label] = bots.prepare_stock(
                    self.work, "stock", self.progress, reuse=reuse
                )
            elif self.args.subject == "stock":
                self._bots[label] = bots.prepare_stock(
                    self.work, "hubguide", self.progress, reuse=reuse, stand_in=True
                )
            else:
                self._bots[label] = bots.prepare_hubguide(self.work, self.progress, reuse=reuse)
        return self._bots[label]

    # --- parts -------------------------------------------------------------------------------

    def langid(self) -> dict:
        module = importlib.import_module("bench.langid_bench")
        return module.run(out=self.work / "langid_bench.json")

    def kb(self) -> dict:
        module = importlib.import_module("bench.kb_bench")
        kwargs: dict = {"out": self.work / "kb" / "kb_bench.json"}
        if self.args.kb_backends:
            kwargs["backends"] = [b.strip() for b in self.args.kb_backends.split(",")]
        result = module.run(**kwargs)
        if self.scale_db_url is None:
            self.scale_db_url = find_sqlite_url(result, self.work / "kb")
        return result

    def latency(self, results: dict) -> dict:
        stock = self.bot("stock")
        hub = self.bot("hubguide")
        results.setdefault("bots", {}).update({"stock": stock.to_json(), "hubguide": hub.to_json()})
        if self.scale_db_url is None:
            self.scale_db_url = find_sqlite_url(None, self.work / "kb")
        database = scale = None
        if hub.uses_action_server:
            database = serving.seed_database(self.work, self.progress)
            if self.scale_db_url:
                scale = serving.scale_database(self.work, self.scale_db_url, self.progress)
            else:
                self.progress("latency: no large database (run the kb part or pass --scale-db-url)")
        out = serving.measure(
            [serving.Subject(stock), serving.Subject(hub, database, scale)],
            self.work,
            self.settings,
            self.progress,
        )
        if scale and "scale" in out.get("hubguide", {}):
            out["hubguide"]["scale"]["synthetic_source_url"] = self.scale_db_url
        if hub.model is not None and "startup_s" in out.get("hubguide", {}):
            from bench import warm_start

            warm = warm_start.measure(hub.model, self.work)
            warm["total_s"] = round(warm["reuse_check_s"] + out["hubguide"]["startup_s"], 2)
            out["hubguide"]["warm_start"] = warm
            self.progress(f"warm start: reuse check {warm['reuse_check_s']:.2f} s, {warm}")
        return out

    def nlu(self) -> dict:
        hub = self.bot("hubguide")
        out: dict = {}
        try:
            out["cross_validation"] = nlu.cross_validation(
                hub, self.work / "nlu-cv", self.args.folds, self.progress
            )
        except Exception as error:  # one half failing must not lose the other
            out["cross_validation"] = {"error": f"{type(error).__name__}: {error}"}
        if self.args.subject == "stock" and self.args.nlu_test == BENCH / "data" / "nlu_test":
            out["held_out"] = {"skipped": "HubGuide's test questions do not apply to a stock bot"}
        else:
            try:
                out["held_out"] = nlu.held_out(
                    hub, self.args.nlu_test, self.work / "nlu-held-out", self.progress
                )
            except Exception as error:
                out["held_out"] = {"error": f"{type(error).__name__}: {error}"}
        return out

    def answers(self) -> dict:
        """The question bank against HubGuide on the seed content at the bank's frozen clock.

        `--quick` runs the fast subset `make test` runs (first case of each language and class).
        """
        cases = answer_bank.load_bank(self.args.answers)
        if not cases:
            return {"skipped": f"no question bank file in {self.args.answers}"}
        hub = self.bot("hubguide")
        if not hub.uses_action_server:
            return {"skipped": "the question bank asks HubGuide's knowledge, not a stock bot's"}
        if self.args.quick:
            cases = answer_bank.fast_subset(cases)
        database = serving.seed_database(self.work, self.progress)
        stack = Stack(
            model=hub.model,
            log_dir=self.work / "answers-logs",
            ports={"rasa": free_port(), "actions": free_port(), "web": free_port()},
            env={"HUBGUIDE_DATABASE_URL": database, "HUBGUIDE_NOW": FROZEN_NOW},
        )
        self.progress(f"answers: {len(cases)} cases, servers starting")
        with stack:
            out = answers.run(
                stack.rasa_url,
                stack.token,
                cases,
                concurrency=self.args.answers_concurrency,
                progress=self.progress,
            )
        out["frozen_now"] = FROZEN_NOW
        out["subset"] = "fast" if self.args.quick else "all"
        out["overlap"] = answers.overlap(answer_bank.load_bank(self.args.answers))
        return out

    def journeys(self) -> dict:
        """The entrepreneur journeys as conversations (bench/journeys/): the eligibility check
        and "what fits me" (bench/journeys.py), the calendar, reminders and the hand-off
        (bench/journeys_deadlines.py), each on a stack of its own with the seed content."""
        import yaml

        from bench import journeys, journeys_deadlines

        if self.args.subject == "stock":
            return {"skipped": "the journeys ask HubGuide's knowledge, not a stock bot's"}
        hub = self._bots.get("hubguide")
        model = hub.model if hub is not None else latest_model()
        work = self.work / "journeys"
        shutil.rmtree(work, ignore_errors=True)  # what an earlier run left (its content copy)
        (work / "eligibility").mkdir(parents=True, exist_ok=True)
        (work / "deadlines").mkdir(parents=True, exist_ok=True)
        self.progress("journeys: eligibility and what fits me")
        checks = journeys.run_on_stack(journeys.load(), work / "eligibility")
        self.progress("journeys: calendar, reminders and hand-off")
        cases = yaml.safe_load(journeys_deadlines.CASES.read_text(encoding="utf-8"))
        deadlines = journeys_deadlines.summary(
            journeys_deadlines.run_cases(cases, model, work / "deadlines")
        )
        return {"eligibility_and_fit": checks, "deadlines_and_handoff": deadlines}

    def load(self) -> dict:
        """Locust against nginx in front of one, then two, replicas (bench/load.py)."""
        from bench import load

        if self.args.subject == "stock":
            return {"skipped": "the load test drives HubGuide's cluster, not a stock bot"}
        # The model this run trained for the other parts, else the project's (models/, as
        # `make run` trains it): the load test measures serving, not training.
        hub = self._bots.get("hubguide")
        model = hub.model if hub is not None else latest_model()
        settings = load.LoadSettings.quick() if self.args.quick else load.LoadSettings()
        out = load.run(model, self.work / "load", self.progress, settings)
        out["model"] = model.name
        return out


def find_sqlite_url(result: object, folder: Path) -> str | None:
    """The large database kb_bench built: a sqlite URL in its result, else a file in its folder."""
    stack = [result]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and node.startswith("sqlite:///"):
            if Path(node[len("sqlite:///") :]).exists():
                return node
    files = sorted(folder.glob("**/*.sqlite3")) + sorted(folder.glob("**/*.db"))
    return f"sqlite:///{files[0].resolve()}" if files else None


def load_previous(path: Path, args: argparse.Namespace) -> dict:
    """Earlier figures to keep when only some parts run (same subject and mode only)."""
    if set(args.parts) == set(PARTS) or not path.exists():
        return {}
    try:
        previous = json.loads(path.read_text())
    except ValueError:
        return {}
    same = previous.get("subject") == args.subject and previous.get("quick") == args.quick
    return previous if same else {}


def write(results: dict, out_dir: Path) -> None:
    latency = results.get("latency") or {}
    if latency.get("stock") and latency.get("hubguide"):
        results["ratios"] = stats.ratios(latency["hubguide"], latency["stock"])
        results["ratio_targets"] = dict(stats.RATIO_TARGETS)
        results["ratio_met"] = stats.verdicts(results["ratios"])
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    (out_dir / "RESULTS.md").write_text(report.render(results))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render_only:
        path = args.out_dir / "results.json"
        (args.out_dir / "RESULTS.md").write_text(report.render(json.loads(path.read_text())))
        return 0
    progress = Progress()
    run = Run(args, progress)
    results = load_previous(args.out_dir / "results.json", args)
    commit = machine.git_commit(bots.REPO)
    results.update(
        {
            "generated": machine.now(),
            "commit": commit,
            "machine": machine.machine(),
            "subject": args.subject,
            "quick": args.quick,
            "settings": asdict(run.settings),
        }
    )
    results["parts_run"] = sorted(
        set(results.get("parts_run", [])) | set(args.parts), key=PARTS.index
    )
    results.setdefault("durations_s", {})
    results.setdefault("part_stamps", {})
    failed = []
    actions: dict[str, Callable[[], dict]] = {
        "langid": run.langid,
        "kb": run.kb,
        "latency": lambda: run.latency(results),
        "nlu": run.nlu,
        "answers": run.answers,
        "journeys": run.journeys,
        "load": run.load,
    }
    for part in PARTS:
        if part not in args.parts:
            continue
        progress(f"== {part} (budget {BUDGET_S[part] // 60} min) ==")
        start = time.perf_counter()
        try:
            figures = actions[part]()
        except Exception as error:
            traceback.print_exc()
            figures = {"error": f"{type(error).__name__}: {error}"}
        elapsed = time.perf_counter() - start
        if "error" in figures or any(
            isinstance(v, dict) and "error" in v for v in figures.values()
        ):
            failed.append(part)
        results[part] = figures
        results["durations_s"][part] = round(elapsed, 1)
        results["part_stamps"][part] = {
            "run": results["generated"],
            "date": machine.now(),
            "commit": commit.get("commit"),
        }
        over = " (over budget)" if not args.quick and elapsed > BUDGET_S[part] else ""
        progress(f"== {part} done in {elapsed:.0f} s{over} ==")
        write(results, args.out_dir)
    progress(f"wrote {args.out_dir / 'RESULTS.md'} and {args.out_dir / 'results.json'}")
    if failed:
        progress(f"parts with errors: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
