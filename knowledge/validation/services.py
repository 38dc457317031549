"""Services: what a hub, garden, desk or platform offers."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.validation.bundle import Bundle
from knowledge.validation.checker import Checker

FIELDS = {"id", "provider", "name", "description", "evidence"}


def check(c: Checker, s: Mapping, rid: str, sid: str, pos: int, bundle: Bundle) -> None:
    bundle.rows["services"].append(
        {
            "id": rid, "source_id": sid, "position": pos,
            "provider_id": c.ref(s, "provider"),
            "name": c.text(s.get("name"), "name", required=True),
            "description": c.text(s.get("description"), "description"),
            "evidence": c.evidence(s.get("evidence")),
        }
    )  # fmt: skip
