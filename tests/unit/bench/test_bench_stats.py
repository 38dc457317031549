"""Percentiles, latency summaries and HubGuide ÷ stock ratios of the benchmark suite."""

import math

import pytest

from bench.stats import percentile, ratio, ratios, summarise_latencies, verdicts


def test_percentile_matches_linear_interpolation():
    values = [15, 20, 35, 40, 50]
    assert percentile(values, 0) == 15
    assert percentile(values, 100) == 50
    assert percentile(values, 50) == 35
    # position (5 - 1) * 0.4 = 1.6 → 20 + 0.6 * (35 - 20)
    assert percentile(values, 40) == pytest.approx(29.0)


def test_percentile_ignores_input_order_and_handles_one_value():
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.5], 95) == 7.5


def test_p95_of_one_to_hundred():
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


@pytest.mark.parametrize("q", [-1, 100.5])
def test_percentile_rejects_out_of_range(q):
    with pytest.raises(ValueError):
        percentile([1, 2], q)


def test_percentile_rejects_empty():
    with pytest.raises(ValueError):
        percentile([], 50)


def test_summary_is_in_milliseconds():
    summary = summarise_latencies([0.010, 0.020, 0.030, 0.040])
    assert summary["count"] == 4
    assert summary["p50_ms"] == pytest.approx(25.0)
    assert summary["mean_ms"] == pytest.approx(25.0)
    assert summary["max_ms"] == pytest.approx(40.0)
    assert summary["p95_ms"] == pytest.approx(38.5)


def test_ratio_needs_both_sides_and_a_positive_baseline():
    assert ratio(1.0, 4.0) == 0.25
    assert ratio(None, 4.0) is None
    assert ratio(1.0, None) is None
    assert ratio(1.0, 0.0) is None


def _bot(p50, p95, startup, rss, train):
    return {
        "serial": {"p50_ms": p50, "p95_ms": p95},
        "startup_s": startup,
        "rss": {"rasa_bytes": rss, "actions_bytes": 10},
        "train_time_s": train,
    }


def test_ratios_are_hubguide_over_stock_with_the_issue_names():
    hub = _bot(10.0, 30.0, 4.0, 500, 90.0)
    stock = _bot(20.0, 40.0, 20.0, 1000, 50.0)
    values = ratios(hub, stock)
    assert set(values) == {"p50_latency", "p95_latency", "startup", "rss", "train_time"}
    assert values["p50_latency"] == pytest.approx(0.5)
    assert values["p95_latency"] == pytest.approx(0.75)
    assert values["startup"] == pytest.approx(0.2)
    assert values["rss"] == pytest.approx(0.5)
    assert values["train_time"] == pytest.approx(1.8)


def test_ratios_of_a_failed_bot_are_none():
    values = ratios({"error": "did not start", "train_time_s": 9.0}, _bot(1, 2, 3, 4, 5))
    assert values["p50_latency"] is None
    assert values["train_time"] == pytest.approx(1.8)


def test_verdicts_compare_with_the_targets():
    met = verdicts(
        {"p50_latency": 0.6, "p95_latency": 3.0, "startup": 0.41, "rss": None, "train_time": 1.2}
    )
    assert met == {
        "p50_latency": True,
        "p95_latency": None,  # no target
        "startup": False,
        "rss": None,
        "train_time": True,
    }
    assert not math.isnan(percentile([1.0, 2.0], 95))
