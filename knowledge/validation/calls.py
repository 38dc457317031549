"""Calls for projects: dates, eligibility criteria with their rules, selected projects."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.timeutil import bounds
from knowledge.validation.bundle import Bundle
from knowledge.validation.checker import Checker

FIELDS = {
    "id", "title", "issuer", "programme", "year", "opens", "deadline", "who_may_apply",
    "criteria", "how_to_apply", "application_file", "application_url",
    "applications_received", "selected", "contacts", "evidence",
}  # fmt: skip
CRITERION_FIELDS = frozenset(
    "organisation_type region years_of_support existing_label sector country stage".split()
)
CRITERION_OPS = frozenset("eq ne in not_in lt le lte gt ge gte min max".split())
SELECTED_FIELDS = {"project", "organisations", "amount", "period_years", "evidence"}


def check(c: Checker, k: Mapping, rid: str, sid: str, pos: int, bundle: Bundle) -> None:
    opens = c.when(k.get("opens"), "opens")
    deadline = c.when(k.get("deadline"), "deadline")
    o_lo, o_hi = bounds(opens, end=False)
    d_lo, d_hi = bounds(deadline, end=True)
    for n, criterion in enumerate(_list(c, k.get("criteria"), "criteria")):
        _criterion(c, criterion, f"criteria[{n}]", rid, n, bundle)
    for n, selected in enumerate(_list(c, k.get("selected"), "selected")):
        _selected(c, selected, f"selected[{n}]", rid, n, bundle)
    url = k.get("application_url")
    bundle.rows["calls"].append(
        {
            "id": rid, "source_id": sid, "position": pos,
            "title": c.text(k.get("title"), "title", required=True),
            "issuer_id": c.ref(k, "issuer"),
            "programme_id": c.ref(k, "programme"),
            "year": c.integer(k.get("year"), "year", minimum=1000),
            "opens": opens, "opens_earliest": o_lo, "opens_latest": o_hi,
            "deadline": deadline, "deadline_earliest": d_lo, "deadline_latest": d_hi,
            "timezone": (deadline or {}).get("timezone") or (opens or {}).get("timezone"),
            "who_may_apply": c.text(k.get("who_may_apply"), "who_may_apply"),
            "how_to_apply": c.text(k.get("how_to_apply"), "how_to_apply"),
            "application_file": c.text(k.get("application_file"), "application_file"),
            "application_url": c.string(url, "application_url") if url is not None else None,
            "applications_received": c.integer(
                k.get("applications_received"), "applications_received"
            ),
            "contacts": c.ids(k.get("contacts"), "contacts"),
            "evidence": c.evidence(k.get("evidence")),
        }
    )  # fmt: skip


def _list(c: Checker, value: object, fld: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        c.err(fld, "must be a list")
        return []
    return value


def _criterion(c: Checker, cr: object, fld: str, call_id: str, n: int, bundle: Bundle) -> None:
    if not isinstance(cr, Mapping):
        c.err(fld, "must be a mapping {id, rule, text}")
        return
    for key in sorted(set(cr) - {"id", "rule", "when", "text", "evidence"}):
        c.err(f"{fld}.{key}", "unknown field")
    cid = c.ident(cr.get("id"), f"{fld}.id")
    rule = cr.get("rule")
    if not _rule(c, rule, f"{fld}.rule"):
        return
    when = cr.get("when")
    if when is not None and not _rule(c, when, f"{fld}.when"):
        return
    text = c.text(cr.get("text"), f"{fld}.text", required=True)
    if cid:
        bundle.criteria.append(
            {
                "id": cid, "call_id": call_id, "position": n, "field": rule.get("field"),
                "op": rule.get("op"), "value": rule.get("value"), "text": text,
                "evidence": c.evidence(cr.get("evidence"), f"{fld}.evidence", False),
                "applies_when": dict(when) if when is not None else None,
                "_file": c.file,
            }
        )  # fmt: skip


def _rule(c: Checker, rule: object, fld: str) -> bool:
    """A `{field, op, value}` mapping with a known field and operator (errors reported)."""
    if not isinstance(rule, Mapping) or set(rule) - {"field", "op", "value"}:
        c.err(fld, "must be a mapping {field, op, value}")
        return False
    if rule.get("field") not in CRITERION_FIELDS:
        c.err(f"{fld}.field", f"must be one of {sorted(CRITERION_FIELDS)}")
    if rule.get("op") not in CRITERION_OPS:
        c.err(f"{fld}.op", f"must be one of {sorted(CRITERION_OPS)}")
    return True


def _selected(c: Checker, s: object, fld: str, call_id: str, n: int, bundle: Bundle) -> None:
    if not isinstance(s, Mapping):
        c.err(fld, "must be a mapping {project, organisations, amount, period_years}")
        return
    for key in sorted(set(s) - SELECTED_FIELDS):
        c.err(f"{fld}.{key}", "unknown field")
    amount = c.money(s.get("amount"), f"{fld}.amount")
    bundle.selected.append(
        {
            "call_id": call_id, "position": n,
            "project": c.text(s.get("project"), f"{fld}.project", required=True),
            "organisations": c.ids(s.get("organisations"), f"{fld}.organisations"),
            "amount": amount and amount["value"],
            "currency": amount and amount["currency"],
            "qualifier": amount and amount["qualifier"],
            "period_years": c.integer(s.get("period_years"), f"{fld}.period_years", 1),
            "evidence": c.evidence(s.get("evidence"), f"{fld}.evidence", required=False),
        }
    )  # fmt: skip
