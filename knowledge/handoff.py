"""The hand-off queue: conversations waiting for a person at the responsible hub.

No UI here, only the states and their transitions, each a conditional UPDATE so that two staff
members (or a staff member and the time-out) cannot both win the same case:

    waiting ──take──▶ with_person ──close──▶ closed        (back to the bot)
       └──close──▶ closed;   waiting too long ──▶ the user is told (timed_out_at), still waiting
    waiting / with_person ──give_back──▶ returned            (back to the bot, not resolved)

Every transition the user must hear about queues a notice (``knowledge/notices.py``) for the
conversation; the bot words it in the conversation's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from knowledge import notices
from knowledge.journey_models import HandoffCase, HandoffMessage
from knowledge.notices import utc_naive

OPEN_STATES = ("waiting", "with_person")
#: every state a case can be in; ``closed`` and ``returned`` both give the conversation back
STATES = ("waiting", "with_person", "closed", "returned")


@dataclass(frozen=True)
class MessageView:
    id: int
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class CaseView:
    id: int
    sender: str
    hub_id: str | None
    subject_id: str | None
    lang: str
    question: str | None
    profile: dict
    transcript_url: str | None
    state: str
    staff_name: str | None
    created_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None
    timed_out_at: datetime | None
    messages: tuple[MessageView, ...] = ()


class CaseError(ValueError):
    """A transition the case's state does not allow (taken by someone else, already closed)."""


def _view(row, messages: tuple[MessageView, ...] = ()) -> CaseView:
    return CaseView(
        row.id,
        row.sender,
        row.hub_id,
        row.subject_id,
        row.lang,
        row.question,
        dict(row.profile or {}),
        row.transcript_url,
        row.state,
        row.staff_name,
        row.created_at,
        row.taken_at,
        row.closed_at,
        row.timed_out_at,
        messages,
    )


def open_case(
    engine: Engine,
    sender: str,
    *,
    lang: str,
    hub_id: str | None,
    subject_id: str | None,
    question: str | None,
    profile: dict,
    now: datetime,
    transcript_url: str | None = None,
) -> tuple[CaseView, bool]:
    """The conversation's open case, else a new waiting one; (case, whether it is new)."""
    with engine.begin() as conn:
        existing = conn.execute(
            select(HandoffCase).where(
                HandoffCase.sender == sender, HandoffCase.state.in_(OPEN_STATES)
            )
        ).first()
        if existing is not None:
            return _view(existing), False
        result = conn.execute(
            insert(HandoffCase).values(
                sender=sender,
                hub_id=hub_id,
                subject_id=subject_id,
                lang=lang,
                question=question,
                profile=profile,
                transcript_url=transcript_url,
                state="waiting",
                created_at=utc_naive(now),
            )
        )
        case_id = int(result.inserted_primary_key[0])
        row = conn.execute(select(HandoffCase).where(HandoffCase.id == case_id)).one()
    return _view(row), True


def case(engine: Engine, case_id: int) -> CaseView | None:
    """One case with its messages."""
    with engine.connect() as conn:
        row = conn.execute(select(HandoffCase).where(HandoffCase.id == case_id)).first()
        if row is None:
            return None
        messages = tuple(
            MessageView(m.id, m.author, m.text, m.created_at)
            for m in conn.execute(
                select(HandoffMessage)
                .where(HandoffMessage.case_id == case_id)
                .order_by(HandoffMessage.id)
            )
        )
    return _view(row, messages)


def open_case_of(engine: Engine, sender: str) -> CaseView | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(HandoffCase).where(
                HandoffCase.sender == sender, HandoffCase.state.in_(OPEN_STATES)
            )
        ).first()
    return _view(row) if row else None


def queue(
    engine: Engine, *, hub_id: str | None = None, states: tuple[str, ...] = OPEN_STATES
) -> list[CaseView]:
    """Cases in the given states (of one hub, or all), oldest first."""
    query = select(HandoffCase).where(HandoffCase.state.in_(states))
    if hub_id is not None:
        query = query.where(HandoffCase.hub_id == hub_id)
    with engine.connect() as conn:
        return [_view(row) for row in conn.execute(query.order_by(HandoffCase.id))]


def _transition(
    engine: Engine,
    case_id: int,
    allowed: tuple[str, ...],
    values: dict,
    kind: str,
    params: dict,
    now: datetime,
) -> CaseView:
    with engine.begin() as conn:
        changed = conn.execute(
            update(HandoffCase)
            .where(HandoffCase.id == case_id, HandoffCase.state.in_(allowed))
            .values(**values)
        ).rowcount
        if changed != 1:
            raise CaseError(f"case {case_id} is not {' or '.join(allowed)}")
        row = conn.execute(select(HandoffCase).where(HandoffCase.id == case_id)).one()
        notices.add(conn, row.sender, kind, {"case_id": case_id, **params}, now=now)
    return _view(row)


def take(engine: Engine, case_id: int, staff_name: str, now: datetime) -> CaseView:
    """A staff member takes a waiting case: from now on the bot is silent in it."""
    return _transition(
        engine,
        case_id,
        ("waiting",),
        {"state": "with_person", "staff_name": staff_name, "taken_at": utc_naive(now)},
        "handoff_taken",
        {"staff": staff_name},
        now,
    )


def reply(engine: Engine, case_id: int, staff_name: str, text: str, now: datetime) -> int:
    """A staff message to the user (taking the case if it was waiting); the notice's id."""
    text = text.strip()
    if not text:
        raise CaseError("an empty reply")
    current = case(engine, case_id)
    if current is None or current.state not in OPEN_STATES:
        raise CaseError(f"case {case_id} is not open")
    if current.state == "waiting":
        take(engine, case_id, staff_name, now)
    with engine.begin() as conn:
        result = conn.execute(
            insert(HandoffMessage).values(
                case_id=case_id, author="staff", text=text, created_at=utc_naive(now)
            )
        )
        message_id = int(result.inserted_primary_key[0])
        return notices.add(
            conn,
            current.sender,
            "staff_reply",
            {"case_id": case_id, "message_id": message_id, "staff": staff_name},
            now=now,
        )


def close(engine: Engine, case_id: int, now: datetime, staff_name: str | None = None) -> CaseView:
    """The conversation goes back to the bot (``staff_name``: who closed it, the user hears)."""
    return _transition(
        engine,
        case_id,
        OPEN_STATES,
        {"state": "closed", "closed_at": utc_naive(now)},
        "handoff_closed",
        {"staff": staff_name} if staff_name else {},
        now,
    )


def give_back(
    engine: Engine, case_id: int, now: datetime, staff_name: str | None = None
) -> CaseView:
    """The person hands the conversation back to the bot without resolving it."""
    return _transition(
        engine,
        case_id,
        OPEN_STATES,
        {"state": "returned", "closed_at": utc_naive(now)},
        "handoff_returned",
        {"staff": staff_name} if staff_name else {},
        now,
    )


def assign(engine: Engine, case_id: int, hub_id: str) -> CaseView:
    """Put an open case in another hub's queue (e.g. one nobody could tell the hub of)."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(HandoffCase)
            .where(HandoffCase.id == case_id, HandoffCase.state.in_(OPEN_STATES))
            .values(hub_id=hub_id)
        ).rowcount
        if changed != 1:
            raise CaseError(f"case {case_id} is not open")
        row = conn.execute(select(HandoffCase).where(HandoffCase.id == case_id)).one()
    return _view(row)


def forward(engine: Engine, sender: str, text: str, now: datetime) -> int | None:
    """Keep a user's message in their open case (the person reads it); the case id, or None."""
    current = open_case_of(engine, sender)
    if current is None or not text.strip():
        return None
    with engine.begin() as conn:
        conn.execute(
            insert(HandoffMessage).values(
                case_id=current.id, author="user", text=text, created_at=utc_naive(now)
            )
        )
    return current.id


def staff_message(engine: Engine, message_id: int) -> MessageView | None:
    with engine.connect() as conn:
        row = conn.execute(select(HandoffMessage).where(HandoffMessage.id == message_id)).first()
    return MessageView(row.id, row.author, row.text, row.created_at) if row else None


def time_out(engine: Engine, now: datetime, after: timedelta) -> list[int]:
    """Waiting cases nobody took within ``after``: the user is told once; their ids."""
    limit = utc_naive(now) - after
    with engine.connect() as conn:
        ids = [
            row.id
            for row in conn.execute(
                select(HandoffCase.id).where(
                    HandoffCase.state == "waiting",
                    HandoffCase.timed_out_at.is_(None),
                    HandoffCase.created_at <= limit,
                )
            )
        ]
    told = []
    for case_id in ids:
        with engine.begin() as conn:
            won = conn.execute(
                update(HandoffCase)
                .where(HandoffCase.id == case_id, HandoffCase.timed_out_at.is_(None))
                .values(timed_out_at=utc_naive(now))
            ).rowcount
            if won != 1:
                continue
            row = conn.execute(select(HandoffCase).where(HandoffCase.id == case_id)).one()
            notices.add(
                conn,
                row.sender,
                "handoff_timeout",
                {"case_id": case_id, "hub_id": row.hub_id},
                now=now,
            )
        told.append(case_id)
    return told
