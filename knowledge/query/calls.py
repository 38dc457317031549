"""Calls for projects: one by id, calls by status relative to a clock, by issuer, place, …"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import String, and_, cast, false, func, or_, select

from knowledge.models import Call, Criterion, Organisation, Programme, SelectedProject
from knowledge.query.base import money
from knowledge.query.organisations import OrganisationQueries
from knowledge.timeutil import call_status
from knowledge.views import CallView, resolve, when_view
from knowledge.views import Criterion as CriterionView
from knowledge.views import SelectedProject as SelectedView

STATUSES = ("open", "upcoming", "closed", "unknown")
# Organisations of a place whose selected projects are looked at ("how much did Voss get?").
PLACE_PARTICIPANTS = 200


class CallQueries(OrganisationQueries):
    def call(self, id: str, lang: str, *, now: datetime | None = None) -> CallView | None:
        """One call for projects; with ``now`` its ``status`` is filled in."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Call).where(Call.id == id)).mappings().all()
            views = self._call_views(conn, rows, lang, now)
        return views[0] if views else None

    def _call_views(self, conn, rows: Sequence, lang: str, now: datetime | None) -> list[CallView]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        crit: dict[str, list] = defaultdict(list)
        for c in conn.execute(
            select(Criterion).where(Criterion.call_id.in_(ids)).order_by(Criterion.position)
        ).mappings():
            crit[c["call_id"]].append(c)
        sel: dict[str, list] = defaultdict(list)
        sel_rows = (
            conn.execute(
                select(SelectedProject)
                .where(SelectedProject.call_id.in_(ids))
                .order_by(SelectedProject.position)
            )
            .mappings()
            .all()
        )
        for s in sel_rows:
            sel[s["call_id"]].append(s)
        org_ids = {r["issuer_id"] for r in rows} | {o for s in sel_rows for o in s["organisations"]}
        orgs = self._names_of(conn, Organisation, org_ids, lang)
        progs = self._names_of(conn, Programme, (r["programme_id"] for r in rows), lang)
        out = []
        for r in rows:
            view = CallView(
                id=r["id"],
                title=resolve(r["title"], lang),
                issuer_id=r["issuer_id"],
                issuer_name=orgs.get(r["issuer_id"]),
                programme_id=r["programme_id"],
                programme_name=progs.get(r["programme_id"]),
                year=r["year"],
                opens=when_view(r["opens"], r["opens_earliest"], r["opens_latest"]),
                deadline=when_view(r["deadline"], r["deadline_earliest"], r["deadline_latest"]),
                timezone=r["timezone"],
                who_may_apply=resolve(r["who_may_apply"], lang),
                criteria=tuple(
                    CriterionView(
                        c["id"],
                        c["field"],
                        c["op"],
                        c["value"],
                        resolve(c["text"], lang),
                        c["evidence"],
                        c["applies_when"],
                    )  # fmt: skip
                    for c in crit[r["id"]]
                ),
                how_to_apply=resolve(r["how_to_apply"], lang),
                application_file=resolve(r["application_file"], lang),
                application_url=r["application_url"],
                applications_received=r["applications_received"],
                selected=tuple(
                    SelectedView(
                        project=resolve(s["project"], lang),
                        organisations=tuple(s["organisations"]),
                        organisation_names=tuple(orgs[o] for o in s["organisations"] if o in orgs),
                        amount=money(s["amount"], s["currency"], s["qualifier"]),
                        period_years=s["period_years"],
                    )
                    for s in sel[r["id"]]
                ),
                contact_ids=tuple(r["contacts"] or ()),
                source=self._source(r["source_id"], lang, r["evidence"]),
                evidence=r["evidence"],
                status=None if now is None else self._status(r, now),
            )
            out.append(view)
        return out

    @staticmethod
    def _status(row, now: datetime) -> str:
        return call_status(
            now,
            (row["opens_earliest"], row["opens_latest"]),
            bool(row["opens"]),
            (row["deadline_earliest"], row["deadline_latest"]),
        )

    def calls(
        self,
        *,
        status: str | None,
        now: datetime,
        lang: str,
        issuer: str | None = None,
        participant: str | None = None,
        source: str | None = None,
        place: str | None = None,
        programme: str | None = None,
        limit: int | None = None,
    ) -> list[CallView]:
        """Calls with ``status`` (open, upcoming, closed, unknown; None = all) at ``now``.

        Open calls come soonest deadline first, upcoming ones soonest opening first, closed ones
        most recently closed first. ``issuer`` restricts to one organisation's calls,
        ``participant`` to calls in which an organisation was selected, ``source`` to the calls
        of one document, ``place`` (a place id: ``country:ma``, ``municipality:voss``) to calls
        issued by, selecting, or funded (through their programme) by organisations of that
        place, ``programme`` to one programme's.
        """
        cond, order = self._status_filter(status, now)
        if issuer:
            cond.append(Call.issuer_id == issuer)
        if participant:
            cond.append(Call.id.in_(self._calls_selecting([participant])))
        if source:
            cond.append(Call.source_id == source)
        if programme:
            cond.append(Call.programme_id == programme)
        if place:
            local = self.organisations_in(place)
            with self.engine.connect() as conn:
                members = list(conn.execute(local.limit(PLACE_PARTICIPANTS)).scalars())
            funded = select(Programme.id).where(Programme.funder_id.in_(local))
            cond.append(
                or_(
                    Call.issuer_id.in_(local),
                    Call.id.in_(self._calls_selecting(members)),
                    Call.programme_id.in_(funded),
                )
            )
        stmt = select(Call).where(and_(*cond)).order_by(*order)
        with self.engine.connect() as conn:
            rows = self._exact_rows(conn, stmt, status, now, limit)
            return self._call_views(conn, rows, lang, now)

    @staticmethod
    def _status_filter(status: str | None, now: datetime) -> tuple[list, list]:
        """SQL conditions (a superset for open and unknown) and order of calls by status."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {STATUSES}")
        n = now.astimezone(timezone.utc).replace(tzinfo=None)
        cond = []
        order = [Call.deadline_latest.desc(), Call.id]
        if status == "closed":
            cond.append(Call.deadline_latest <= n)
        elif status == "upcoming":
            cond += [
                Call.opens_earliest > n,
                or_(Call.deadline_latest.is_(None), Call.deadline_latest > n),
            ]
            order = [Call.opens_earliest, Call.id]
        elif status == "open":
            cond += [
                Call.deadline_earliest > n,
                or_(Call.opens_earliest.is_(None), Call.opens_earliest <= n),
            ]
            order = [Call.deadline_earliest, Call.id]
        elif status == "unknown":
            cond.append(or_(Call.deadline_latest.is_(None), Call.deadline_latest > n))
        return cond, order

    def count_calls(self, *, status: str | None, now: datetime) -> int:
        """How many calls have ``status`` at ``now`` (without building their views)."""
        if status is None:
            with self.engine.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(Call)).scalar() or 0)
        columns = (Call.id, Call.opens, Call.opens_earliest, Call.opens_latest,
                   Call.deadline_earliest, Call.deadline_latest)  # fmt: skip
        cond, _ = self._status_filter(status, now)
        stmt = select(*columns).where(and_(*cond)).order_by(Call.id)
        with self.engine.connect() as conn:
            return len(self._exact_rows(conn, stmt, status, now, None))

    def _exact_rows(self, conn, stmt, status: str | None, now: datetime, limit: int | None):
        """Rows of ``stmt`` whose status at ``now`` is exactly ``status`` (the SQL filter is a
        superset for open and unknown), fetched page by page up to ``limit``."""
        page = 500 if limit is None else max(2 * limit, 20)
        rows: list = []
        offset = 0
        while True:
            batch = conn.execute(stmt.limit(page).offset(offset)).mappings().all()
            rows += [r for r in batch if status is None or self._status(r, now) == status]
            offset += page
            if len(batch) < page or (limit is not None and len(rows) >= limit):
                break
        return rows if limit is None else rows[:limit]

    @staticmethod
    def _calls_selecting(organisation_ids: list[str]):
        """Ids of calls with a selected project naming one of these organisations."""
        text = cast(SelectedProject.organisations, String)
        matches = [text.like(f'%"{oid}"%') for oid in organisation_ids] or [false()]
        return select(SelectedProject.call_id).where(or_(*matches))
