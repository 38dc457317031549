"""Across files: duplicate ids and references to records that do not exist."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.validation.bundle import KINDS, Bundle
from knowledge.validation.checker import Problem


def check_references(
    bundle: Bundle, known: Mapping[str, set[str]], problems: list[Problem]
) -> None:
    """Duplicate ids and missing references (``known``: kind → {id: source} of other sources)."""
    where: dict[str, dict[str, str]] = {k: {} for k in KINDS}
    src_file = bundle.files
    for kind in KINDS:
        for row in bundle.rows[kind]:
            f = src_file.get(row["source_id"], "?")
            stored = known.get(kind, {})
            if row["id"] in stored:
                problems.append(
                    Problem(
                        f,
                        f"{kind}[{row['id']}]",
                        "id",
                        f"duplicate id (already stored from source {stored[row['id']]!r})",
                    )
                )
            if row["id"] in where[kind]:
                problems.append(
                    Problem(
                        f,
                        f"{kind}[{row['id']}]",
                        "id",
                        f"duplicate id (also in {where[kind][row['id']]})",
                    )
                )
            where[kind][row["id"]] = f
    seen_crit: dict[str, str] = {}
    for cr in bundle.criteria:
        if cr["id"] in seen_crit:
            problems.append(
                Problem(
                    cr["_file"],
                    f"calls[{cr['call_id']}]",
                    "criteria.id",
                    f"duplicate criterion id {cr['id']!r}",
                )
            )
        seen_crit[cr["id"]] = cr["_file"]

    def have(kind: str, rid: str) -> bool:
        return rid in where[kind] or rid in known.get(kind, {})

    def need(kind: str, row: dict, fld: str, rid: str | None, target: str) -> None:
        if rid is not None and not have(target, rid):
            f = src_file.get(row.get("source_id"), "?")
            problems.append(
                Problem(
                    f, f"{kind}[{row['id']}]", fld, f"refers to a missing {target[:-1]} {rid!r}"
                )
            )

    for o in bundle.rows["organisations"]:
        need("organisations", o, "parent", o["parent_id"], "organisations")
        if o["parent_id"] == o["id"]:
            problems.append(
                Problem(
                    src_file.get(o["source_id"], "?"),
                    f"organisations[{o['id']}]",
                    "parent",
                    "an organisation cannot be its own parent",
                )
            )
        for m in o["members"]:
            need("organisations", o, "members", m, "organisations")
        for s in o["services"]:
            need("organisations", o, "services", s, "services")
        for p in o["programmes"]:
            need("organisations", o, "programmes", p, "programmes")
    for p in bundle.rows["programmes"]:
        need("programmes", p, "funder", p["funder_id"], "organisations")
        need("programmes", p, "part_of", p["part_of_id"], "programmes")
    calls_by_id = {k["id"]: k for k in bundle.rows["calls"]}
    for k in bundle.rows["calls"]:
        need("calls", k, "issuer", k["issuer_id"], "organisations")
        need("calls", k, "programme", k["programme_id"], "programmes")
        for ct in k["contacts"]:
            need("calls", k, "contacts", ct, "contacts")
    for s in bundle.selected:
        k = calls_by_id[s["call_id"]]
        for o in s["organisations"]:
            need("calls", k, f"selected[{s['position']}].organisations", o, "organisations")
    for s in bundle.rows["services"]:
        need("services", s, "provider", s["provider_id"], "organisations")
    for e in bundle.rows["events"]:
        need("events", e, "organiser", e["organiser_id"], "organisations")
    for p in bundle.rows["contacts"]:
        need("contacts", p, "organisation", p["organisation_id"], "organisations")
        for t in p["responsible_for"]:
            if not (have("calls", t) or have("organisations", t) or have("programmes", t)):
                problems.append(
                    Problem(
                        src_file.get(p["source_id"], "?"),
                        f"contacts[{p['id']}]",
                        "responsible_for",
                        f"refers to a missing call, programme or organisation {t!r}",
                    )
                )

    for r in bundle.roles:
        holder = r["holder_id"]
        if holder is not None and not (have("contacts", holder) or have("organisations", holder)):
            problems.append(
                Problem(
                    r["_file"],
                    f"{r['record_kind']}s[{r['record_id']}]",
                    f"roles[{r['position']}].holder",
                    f"refers to a missing contact or organisation {holder!r}",
                )
            )
