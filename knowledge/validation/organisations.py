"""Organisations: hubs, gardens, networks, platforms, desks, ministries, … (one record each)."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.validation.bundle import Bundle
from knowledge.validation.checker import COUNTRIES, LANG_CODE_RE, Checker

KINDS = frozenset(
    "hub_network network_coordinator regional_hub business_garden business_garden_group cluster "
    "innovation_platform desk thematic_cluster innovation_arena ministry agency government "
    "regional_authority cooperative advisory_body campus online_platform other".split()
)
FIELDS = {
    "id", "kind", "name", "aliases", "former_names", "short_name", "country", "region",
    "municipalities", "address", "languages", "sectors", "services", "parent", "members",
    "programmes", "website", "founded", "roles", "figures", "description", "evidence",
}  # fmt: skip


def check(c: Checker, o: Mapping, rid: str, sid: str, pos: int, bundle: Bundle) -> None:
    kind = o.get("kind")
    if kind not in KINDS:
        c.err("kind", f"unknown kind {kind!r} (allowed: {', '.join(sorted(KINDS))})")
    country = o.get("country")
    if country is not None and country not in COUNTRIES:
        c.err("country", f"unknown ISO 3166-1 alpha-2 country code {country!r}")
        country = None
    langs = c.strings(o.get("languages"), "languages")
    for n, code in enumerate(langs):
        if not LANG_CODE_RE.match(code):
            c.err(f"languages[{n}]", f"not a language code: {code!r}")
    sectors = o.get("sectors") or []
    if not isinstance(sectors, list):
        c.err("sectors", "must be a list")
        sectors = []
    bundle.rows["organisations"].append(
        {
            "id": rid, "source_id": sid, "position": pos, "kind": kind,
            "name": c.text(o.get("name"), "name", required=True),
            "aliases": c.strings(o.get("aliases"), "aliases"),
            "former_names": c.strings(o.get("former_names"), "former_names"),
            "short_name": c.string(o.get("short_name"), "short_name"),
            "country": country,
            "region": c.text(o.get("region"), "region"),
            "municipalities": c.strings(o.get("municipalities"), "municipalities"),
            "address": c.text(o.get("address"), "address"),
            "languages": langs,
            "sectors": [
                t for n, s in enumerate(sectors) if (t := c.text(s, f"sectors[{n}]", True))
            ],
            "services": c.ids(o.get("services"), "services"),
            "parent_id": c.ref(o, "parent"),
            "members": c.ids(o.get("members"), "members"),
            "programmes": c.ids(o.get("programmes"), "programmes"),
            "website": c.string(o.get("website"), "website"),
            "founded": c.partial(o.get("founded"), "founded"),
            "figures": c.figures(o.get("figures")),
            "description": c.text(o.get("description"), "description"),
            "evidence": c.evidence(o.get("evidence")),
        }
    )  # fmt: skip
    bundle.add_roles("organisation", rid, c.roles(o.get("roles")), c.file)
