"""Helpers shared by the knowledge-base tests (a module name no other test folder uses)."""

from __future__ import annotations

from pathlib import Path

import pytest

CONTENT = Path(__file__).resolve().parents[3] / "knowledge" / "content"


def needs_source(source_id: str) -> None:
    """Skip (with the reason) when a seed's content file has not been written yet."""
    if not (CONTENT / f"{source_id}.yaml").exists() and not any(
        source_id in p.name for p in CONTENT.glob("*.yaml")
    ):
        pytest.skip(f"content file for {source_id} not present in knowledge/content")
