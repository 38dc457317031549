"""Who holds which role in an organisation or programme, and what a person or body holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from knowledge.models import Contact, Organisation, Programme, Role
from knowledge.query.base import QueryBase
from knowledge.views import RoleView, Text, resolve


class RoleQueries(QueryBase):
    def _roles(self, conn, record_ids: Iterable[str], lang: str) -> dict[str, tuple[RoleView, ...]]:
        """The roles of each record, holders named in ``lang``."""
        ids = list(record_ids)
        if not ids:
            return {}
        rows = conn.execute(
            select(Role).where(Role.record_id.in_(ids)).order_by(Role.record_id, Role.position)
        ).mappings()
        rows = list(rows)
        holders = self._holders(conn, [r["holder_id"] for r in rows if r["holder_id"]], lang)
        out: dict[str, list[RoleView]] = defaultdict(list)
        for r in rows:
            kind, name = holders.get(r["holder_id"], (None, None))
            if r["holder_id"] is None:
                name = resolve(r["holder_text"], lang)
            out[r["record_id"]].append(RoleView(r["role"], kind, r["holder_id"], name))
        return {rid: tuple(views) for rid, views in out.items()}

    def _holders(self, conn, ids: list[str], lang: str) -> dict[str, tuple[str, Text | None]]:
        people = conn.execute(select(Contact.id, Contact.person).where(Contact.id.in_(ids)))
        out: dict[str, tuple[str, Text | None]] = {
            cid: ("contact", Text(person, lang, True, False) if person else None)
            for cid, person in people
        }
        for oid, name in self._names_of(conn, Organisation, ids, lang).items():
            out[oid] = ("organisation", name)
        return out

    def roles_held(self, holder_id: str, lang: str) -> list[tuple[str, str, str, Text | None]]:
        """What a person or organisation holds: (role, record kind, record id, record name)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Role.role, Role.record_kind, Role.record_id)
                .where(Role.holder_id == holder_id)
                .order_by(Role.record_kind, Role.record_id, Role.position)
            ).all()
            names = self._names_of(conn, Organisation, [r.record_id for r in rows], lang)
            names |= self._names_of(conn, Programme, [r.record_id for r in rows], lang)
        return [(r.role, r.record_kind, r.record_id, names.get(r.record_id)) for r in rows]
