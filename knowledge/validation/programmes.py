"""Programmes: the funding frameworks that calls for projects belong to."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.validation.bundle import Bundle
from knowledge.validation.checker import Checker

FIELDS = {
    "id", "name", "funder", "part_of", "budget_total", "max_per_recipient_per_year", "period",
    "duration_years", "roles", "figures", "description", "evidence",
}  # fmt: skip


def check(c: Checker, p: Mapping, rid: str, sid: str, pos: int, bundle: Bundle) -> None:
    budget = c.money(p.get("budget_total"), "budget_total")
    cap = c.money(p.get("max_per_recipient_per_year"), "max_per_recipient_per_year")
    period = p.get("period")
    period_spec = None
    if period is not None:
        if not isinstance(period, Mapping) or set(period) - {"start", "end"}:
            c.err("period", "must be a mapping {start, end}")
        else:
            period_spec = {k: c.when(period.get(k), f"period.{k}") for k in ("start", "end")}
    bundle.rows["programmes"].append(
        {
            "id": rid, "source_id": sid, "position": pos,
            "name": c.text(p.get("name"), "name", required=True),
            "funder_id": c.ref(p, "funder"),
            "part_of_id": c.ref(p, "part_of"),
            "budget_total": budget and budget["value"],
            "budget_currency": budget and budget["currency"],
            "budget_qualifier": budget and budget["qualifier"],
            "max_per_recipient_per_year": cap and cap["value"],
            "max_currency": cap and cap["currency"],
            "max_qualifier": cap and cap["qualifier"],
            "period": period_spec,
            "duration_years": c.integer(p.get("duration_years"), "duration_years", 1),
            "figures": c.figures(p.get("figures")),
            "description": c.text(p.get("description"), "description"),
            "evidence": c.evidence(p.get("evidence")),
        }
    )  # fmt: skip
    bundle.add_roles("programme", rid, c.roles(p.get("roles")), c.file)
