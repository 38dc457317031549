"""Database → content files in the same format as knowledge/content/ (see FORMAT.md).

Importing an export into an empty database gives the same content: every stored field is
written back, texts keep their original language and machine marks.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from knowledge.models import (
    Call,
    Contact,
    Criterion,
    Event,
    Organisation,
    Place,
    Programme,
    Role,
    SelectedProject,
    Service,
    Source,
)


def _text(stored: dict | None, source_lang: str) -> Any:
    if not stored:
        return None
    langs = [k for k in stored if k not in ("original", "machine")]
    original = stored["original"]
    if langs == [original] and original == source_lang and not stored.get("machine"):
        return stored[original]
    out: dict[str, Any] = {}
    if original != source_lang:
        out["original"] = original
    out.update({k: stored[k] for k in langs})
    if stored.get("machine"):
        out["machine"] = list(stored["machine"])
    return out


def _number(value: Decimal | float | int) -> int | float:
    dec = Decimal(str(value))
    return int(dec) if dec == dec.to_integral_value() else float(dec)


def _money(value, currency, qualifier) -> dict | None:
    if value is None:
        return None
    out = {"value": _number(value), "currency": currency}
    if qualifier:
        out["qualifier"] = qualifier
    return out


def _clean(record: dict) -> dict:
    """Drop unknown (None) and empty optional fields; keep ids and evidence."""
    return {
        k: v
        for k, v in record.items()
        if k in ("id", "evidence") or (v is not None and v != [] and v != {})
    }


def source_document(conn: Connection, source_id: str) -> dict:
    """The content-file mapping of one source."""
    src = conn.execute(select(Source).where(Source.id == source_id)).mappings().one()
    lang = src["language"]

    def rows(model):
        return (
            conn.execute(
                select(model).where(model.source_id == source_id).order_by(model.position, model.id)
            )
            .mappings()
            .all()
        )

    def roles(record_id: str) -> list[dict]:
        found = conn.execute(
            select(Role).where(Role.record_id == record_id).order_by(Role.position)
        ).mappings()
        return [
            {"role": r["role"], "holder": r["holder_id"]}
            if r["holder_id"]
            else {"role": r["role"], "text": _text(r["holder_text"], lang)}
            for r in found
        ]

    doc: dict[str, Any] = {
        "source": {
            "id": src["id"],
            "file": src["file"],
            "language": lang,
            "title": _text(src["title"], lang),
            "publisher": _text(src["publisher"], lang),
            "published": (src["published"] or {}).get("date", src["published"]),
            "url": src["url"],
        }
    }
    orgs = [
        _clean(
            {
                "id": o["id"],
                "kind": o["kind"],
                "name": _text(o["name"], lang),
                "aliases": o["aliases"],
                "former_names": o["former_names"],
                "short_name": o["short_name"],
                "country": o["country"],
                "region": _text(o["region"], lang),
                "municipalities": o["municipalities"],
                "address": _text(o["address"], lang),
                "languages": o["languages"],
                "sectors": [_text(s, lang) for s in o["sectors"]],
                "services": o["services"],
                "parent": o["parent_id"],
                "members": o["members"],
                "programmes": o["programmes"],
                "website": o["website"],
                "founded": o["founded"],
                "roles": roles(o["id"]),
                "figures": o["figures"],
                "description": _text(o["description"], lang),
                "evidence": o["evidence"],
            }
        )
        for o in rows(Organisation)
    ]
    progs = [
        _clean(
            {
                "id": p["id"],
                "name": _text(p["name"], lang),
                "funder": p["funder_id"],
                "part_of": p["part_of_id"],
                "budget_total": _money(
                    p["budget_total"], p["budget_currency"], p["budget_qualifier"]
                ),
                "max_per_recipient_per_year": _money(
                    p["max_per_recipient_per_year"], p["max_currency"], p["max_qualifier"]
                ),
                "period": {k: v for k, v in (p["period"] or {}).items() if v} or None,
                "duration_years": p["duration_years"],
                "roles": roles(p["id"]),
                "figures": p["figures"],
                "description": _text(p["description"], lang),
                "evidence": p["evidence"],
            }
        )
        for p in rows(Programme)
    ]
    calls = []
    for k in rows(Call):
        crit = conn.execute(
            select(Criterion).where(Criterion.call_id == k["id"]).order_by(Criterion.position)
        ).mappings()
        sel = conn.execute(
            select(SelectedProject)
            .where(SelectedProject.call_id == k["id"])
            .order_by(SelectedProject.position)
        ).mappings()
        calls.append(
            _clean(
                {
                    "id": k["id"],
                    "title": _text(k["title"], lang),
                    "issuer": k["issuer_id"],
                    "programme": k["programme_id"],
                    "year": k["year"],
                    "opens": k["opens"],
                    "deadline": k["deadline"],
                    "who_may_apply": _text(k["who_may_apply"], lang),
                    "criteria": [
                        {
                            "id": c["id"],
                            "rule": {"field": c["field"], "op": c["op"], "value": c["value"]},
                            **({"when": c["applies_when"]} if c["applies_when"] else {}),
                            "text": _text(c["text"], lang),
                            **({"evidence": c["evidence"]} if c["evidence"] else {}),
                        }
                        for c in crit
                    ],
                    "how_to_apply": _text(k["how_to_apply"], lang),
                    "application_file": _text(k["application_file"], lang),
                    "application_url": k["application_url"],
                    "applications_received": k["applications_received"],
                    "selected": [
                        _clean(
                            {
                                "project": _text(s["project"], lang),
                                "organisations": s["organisations"],
                                "amount": _money(s["amount"], s["currency"], s["qualifier"]),
                                "period_years": s["period_years"],
                                "evidence": s["evidence"] or None,
                            }
                        )
                        for s in sel
                    ],
                    "contacts": k["contacts"],
                    "evidence": k["evidence"],
                }
            )
        )
    services = [
        _clean(
            {
                "id": s["id"],
                "provider": s["provider_id"],
                "name": _text(s["name"], lang),
                "description": _text(s["description"], lang),
                "evidence": s["evidence"],
            }
        )
        for s in rows(Service)
    ]
    events = []
    for e in rows(Event):
        place = None
        if e["place"]:
            place = {
                k: (_text(v, lang) if k in ("name", "address") else v)
                for k, v in e["place"].items()
                if v is not None
            }
        events.append(
            _clean(
                {
                    "id": e["id"],
                    "title": _text(e["title"], lang),
                    "organiser": e["organiser_id"],
                    "start": e["start"],
                    "end": e["end"],
                    "place": place,
                    "description": _text(e["description"], lang),
                    "evidence": e["evidence"],
                }
            )
        )
    contacts = [
        _clean(
            {
                "id": c["id"],
                "person": c["person"],
                "role": _text(c["role"], lang),
                "organisation": c["organisation_id"],
                "phones": c["phones"],
                "email": c["email"],
                "responsible_for": c["responsible_for"],
                "evidence": c["evidence"],
            }
        )
        for c in rows(Contact)
    ]
    for key, items in (
        ("organisations", orgs),
        ("programmes", progs),
        ("calls", calls),
        ("services", services),
        ("events", events),
        ("contacts", contacts),
    ):
        if items:
            doc[key] = items
    return doc


def place_item(row) -> dict:
    """One ``places`` row as ``places.yaml`` holds it (ids without their ``kind:`` prefix)."""
    item: dict[str, Any] = {"id": row["id"].partition(":")[2], "kind": row["kind"]}
    if row["type"]:
        item["type"] = row["type"]
    item["country"] = row["country"]
    if row["parent_id"]:
        item["parent"] = row["parent_id"].partition(":")[2]
    if row["iso_code"]:
        item["iso"] = row["iso_code"]
    item["names"] = {lang: list(forms) for lang, forms in row["names"].items()}
    return item


def places_document(conn: Connection) -> dict:
    """The ``places`` table in the format of ``knowledge/places.yaml``."""
    rows = conn.execute(select(Place).order_by(Place.position, Place.id)).mappings()
    return {"places": [place_item(r) for r in rows]}


PLACES_NAME = "places.yaml"


def dump(doc: dict) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def export(engine: Engine, directory: str | Path) -> list[Path]:
    """Write one ``<source-id>.yaml`` per stored source into ``directory``, and the places as
    ``places.yaml`` (what ``hubguide kb import DIR`` reads with them); return the paths."""
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with engine.connect() as conn:
        ids = conn.execute(select(Source.id).order_by(Source.position, Source.id)).scalars().all()
        for sid in ids:
            path = out_dir / f"{sid}.yaml"
            path.write_text(dump(source_document(conn, sid)), encoding="utf-8")
            written.append(path)
        path = out_dir / PLACES_NAME
        path.write_text(dump(places_document(conn)), encoding="utf-8")
        written.append(path)
    return written
