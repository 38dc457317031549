"""Contacts: people and desks, and who to contact about a call, programme or organisation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from knowledge.models import Call, Contact, ContactLink, Organisation, Programme
from knowledge.query.base import QueryBase
from knowledge.views import ContactView, resolve


class ContactQueries(QueryBase):
    def _contact_views(self, conn, rows: Sequence, lang: str) -> list[ContactView]:
        orgs = self._names_of(conn, Organisation, (r["organisation_id"] for r in rows), lang)
        return [
            ContactView(
                id=r["id"],
                person=r["person"],
                role=resolve(r["role"], lang),
                organisation_id=r["organisation_id"],
                organisation_name=orgs.get(r["organisation_id"]),
                phones=tuple(r["phones"] or ()),
                email=r["email"],
                responsible_for=tuple(r["responsible_for"] or ()),
                source=self._source(r["source_id"], lang, r["evidence"]),
                evidence=r["evidence"],
            )
            for r in rows
        ]

    def contact(self, id: str, lang: str) -> ContactView | None:
        with self.engine.connect() as conn:
            rows = conn.execute(select(Contact).where(Contact.id == id)).mappings().all()
            views = self._contact_views(conn, rows, lang)
        return views[0] if views else None

    def contacts_of_source(self, source_id: str, lang: str) -> list[ContactView]:
        """Every person and desk one document names (a minister it quotes, its press contact)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Contact).where(Contact.source_id == source_id).order_by(Contact.position)
            ).mappings()
            return self._contact_views(conn, list(rows), lang)

    def contacts_for(self, id: str, lang: str) -> list[ContactView]:
        """Who to contact about a call, programme or organisation.

        Contacts named for the record first; when there are none, those of the organisations
        it is made of (a cooperative's regional branch, a network's members); then those of
        the organisation behind it (a call's issuer, a programme's funder, an organisation's
        parent), up to three steps.
        """
        with self.engine.connect() as conn:
            seen: list[str] = []
            targets = [id]
            for step in range(3):
                found = self._linked_contacts(conn, targets)
                if not found and step == 0:
                    found = self._linked_contacts(conn, self._parts_of(conn, id))
                if found:
                    return self._contact_views(conn, found, lang)
                seen.extend(targets)
                targets = [t for t in self._behind(conn, targets) if t and t not in seen]
                if not targets:
                    break
        return []

    @staticmethod
    def _linked_contacts(conn, targets: list[str]) -> list:
        if not targets:
            return []
        linked = select(ContactLink.contact_id).where(ContactLink.target_id.in_(targets))
        return (
            conn.execute(
                select(Contact)
                .where(or_(Contact.id.in_(linked), Contact.organisation_id.in_(targets)))
                .order_by(Contact.position, Contact.id)
            )
            .mappings()
            .all()
        )

    @staticmethod
    def _parts_of(conn, id: str) -> list[str]:
        """Organisations whose parent is ``id`` (a cooperative's regional branch)."""
        return list(
            conn.execute(select(Organisation.id).where(Organisation.parent_id == id)).scalars()
        )

    @staticmethod
    def _behind(conn, targets: list[str]) -> list[str]:
        """The records behind records: calls' issuers and programmes, funders, parents."""
        up = list(conn.execute(select(Call.issuer_id).where(Call.id.in_(targets))).scalars())
        up += conn.execute(select(Call.programme_id).where(Call.id.in_(targets))).scalars()
        up += conn.execute(select(Programme.funder_id).where(Programme.id.in_(targets))).scalars()
        up += conn.execute(
            select(Organisation.parent_id).where(Organisation.id.in_(targets))
        ).scalars()
        return up
