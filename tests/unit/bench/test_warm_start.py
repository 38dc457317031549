"""The warm-start measurement: a model recorded as trained from the current inputs is reused."""

from __future__ import annotations

from pathlib import Path

from bench import warm_start


def test_an_unchanged_project_reuses_the_model_and_writes_no_file(tmp_path: Path) -> None:
    model = tmp_path / "20260101-000000-test.tar.gz"
    model.write_bytes(b"not a real model: the reuse check never opens it")
    result = warm_start.measure(model, tmp_path / "work")
    assert result["reused"] is True
    assert result["new_files"] is False
    assert 0 <= result["reuse_check_s"] < 60
