"""Programmes: funder, budget, cap per recipient and year, period and duration, their calls."""

from __future__ import annotations

from sqlalchemy import select

from knowledge.models import Call, Organisation, Programme
from knowledge.query.base import money
from knowledge.query.roles import RoleQueries
from knowledge.timeutil import bounds
from knowledge.views import Figure, ProgrammeView, resolve, when_view


class ProgrammeQueries(RoleQueries):
    def programme(self, id: str, lang: str) -> ProgrammeView | None:
        """One programme (funder, budget, cap per recipient and year, period, its calls)."""
        with self.engine.connect() as conn:
            r = conn.execute(select(Programme).where(Programme.id == id)).mappings().first()
            if r is None:
                return None
            funder = self._names_of(conn, Organisation, [r["funder_id"]], lang)
            call_ids = conn.execute(
                select(Call.id).where(Call.programme_id == id).order_by(Call.position, Call.id)
            ).scalars()
            call_ids = tuple(call_ids)
            roles = self._roles(conn, [id], lang)
        period = r["period"] or {}

        def w(key: str, end: bool):
            spec = period.get(key)
            return when_view(spec, *bounds(spec, end=end)) if spec else None

        return ProgrammeView(
            id=r["id"],
            name=resolve(r["name"], lang),
            funder_id=r["funder_id"],
            funder_name=funder.get(r["funder_id"]),
            budget_total=money(r["budget_total"], r["budget_currency"], r["budget_qualifier"]),
            max_per_recipient_per_year=money(
                r["max_per_recipient_per_year"], r["max_currency"], r["max_qualifier"]
            ),
            period_start=w("start", False),
            period_end=w("end", True),
            description=resolve(r["description"], lang),
            call_ids=call_ids,
            source=self._source(r["source_id"], lang, r["evidence"]),
            evidence=r["evidence"],
            duration_years=r["duration_years"],
            figures=tuple(Figure(f["what"], f["value"]) for f in r["figures"] or ()),
            roles=roles.get(id, ()),
            part_of=r["part_of_id"],
        )

    def programmes_funded_by(self, organisation_id: str) -> list[str]:
        """Ids of the programmes an organisation funds."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(Programme.id)
                .where(Programme.funder_id == organisation_id)
                .order_by(Programme.position, Programme.id)
            ).scalars()
            return list(found)
