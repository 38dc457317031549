"""The load benchmark's plumbing without a cluster: Locust's CSV read back, the report table."""

from __future__ import annotations

from pathlib import Path

from bench import report
from bench.load import LoadSettings, read_stats

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,"
    "75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def test_read_stats_takes_the_aggregated_row_and_the_failures(tmp_path: Path) -> None:
    prefix = tmp_path / "locust"
    Path(f"{prefix}_stats.csv").write_text(
        HEADER
        + "\nPOST,message,100,2,40,55.5,10,900,700,9.5,0.2,40,50,60,70,80,120,300,450,900,900,900"
        + "\n,Aggregated,100,2,40,55.5,10,900,700,9.5,0.2,40,50,60,70,80,120,300,450,900,900,900\n"
    )
    Path(f"{prefix}_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nPOST,message,HTTP 502,2\n"
    )
    stats = read_stats(prefix)
    assert stats["messages"] == 100 and stats["errors"] == 2
    assert (stats["p50_ms"], stats["p95_ms"], stats["p99_ms"]) == (40.0, 120.0, 450.0)
    assert stats["messages_per_s"] == 9.5
    assert stats["failures"] == [{"error": "HTTP 502", "count": 2}]


def test_the_report_has_one_row_per_replica_count_and_says_whether_the_target_is_met() -> None:
    run = {
        "messages": 100,
        "messages_per_s": 9.5,
        "p50_ms": 40.0,
        "p95_ms": 120.0,
        "p99_ms": 450.0,
        "errors": 0,
        "wrong_answers": 0,
        "answers_checked": 100,
        "load_average_before": [1.0, 1.0, 1.0],
        "load_average_after": [2.0, 1.0, 1.0],
    }
    slow = {**run, "p95_ms": 900.0}
    results = {"load": {"settings": vars(LoadSettings()), "cpus": 2, "runs": {"1": slow, "2": run}}}
    text = "\n".join(report.load_test(results))
    assert "| 1 | 100 | 9.5 | 40.0 ms | 900.0 ms |" in text and "**no** |" in text
    assert "| 2 | 100 | 9.5 | 40.0 ms | 120.0 ms |" in text and "| yes |" in text
    assert "2–5 s of thinking" in text
    skipped = report.load_test({"load": {"skipped": "PostgreSQL not reachable"}})
    assert "Not run: PostgreSQL not reachable" in "\n".join(skipped)
    assert report.load_test({}) == []
