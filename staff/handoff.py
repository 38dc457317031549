"""The hand-off queue as the workspace sees it: which cases a staff member may see and act on,
the actions (take, reply, close, give back to the bot), each recorded with the account's name.

Shared by the pages and the JSON API (``staff/handoff_views.py``), like ``staff/service.py``
for records; the states and transitions themselves are ``knowledge/handoff.py``.

Who sees what:
- admin: every case, and may act on every case;
- editor: the cases whose responsible hub is one of their organisations, and may act on them;
  a case with no responsible hub (nobody could tell the hub) is an admin's to handle;
- reviewer: every case, read only (an action is refused with 403 and changes nothing).
Only an admin assigns a case to a hub (routing an unassigned one, or a wrong guess).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, insert, select
from sqlalchemy.engine import Engine

from knowledge import editing, handoff, notices
from knowledge.handoff import CaseView
from knowledge.notices import utc_naive
from staff.accounts import User
from staff.service import Forbidden, NotFound

#: what a staff member can do to a case (the last part of its POST path)
ACTIONS = ("take", "reply", "close", "give_back", "assign")
MAX_REPLY = 4000

metadata = MetaData()
#: who did what to which case (migration 0007)
actions_table = Table(
    "handoff_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("user_name", String(80), nullable=False),
    Column("action", String(16), nullable=False),
    Column("message_id", Integer),
    Column("detail", String(120)),
)


class Refused(Exception):
    """An action the case's state or the input does not allow: ``key`` is a catalogue key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class ActionRecord:
    at: datetime
    user_name: str
    action: str
    message_id: int | None
    detail: str | None = None

    def as_json(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "user": self.user_name,
            "action": self.action,
            "message_id": self.message_id,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class CaseDetail:
    case: CaseView
    actions: tuple[ActionRecord, ...]
    can_act: bool

    def author_of(self, message_id: int) -> str | None:
        """The account that wrote a staff message."""
        return next((a.user_name for a in self.actions if a.message_id == message_id), None)


def can_see(user: User, case: CaseView) -> bool:
    if user.role in ("admin", "reviewer"):
        return True
    return user.role == "editor" and case.hub_id is not None and case.hub_id in user.orgs


def can_act(user: User, case: CaseView) -> bool:
    return user.role != "reviewer" and can_see(user, case)


def can_assign(user: User) -> bool:
    return user.is_admin


def _is_organisation(engine: Engine, hub_id: str) -> bool:
    with engine.connect() as conn:
        return editing.find(conn, "organisations", hub_id) is not None


def summary(case: CaseView, user: User) -> dict:
    """A case in the queue (API)."""
    return {
        "id": case.id,
        "state": case.state,
        "hub_id": case.hub_id,
        "subject_id": case.subject_id,
        "language": case.lang,
        "question": case.question,
        "staff_name": case.staff_name,
        "created_at": case.created_at.isoformat(),
        "timed_out": case.timed_out_at is not None,
        "can_act": can_act(user, case),
    }


def cases(engine: Engine, user: User, states: tuple[str, ...] = handoff.STATES) -> list[CaseView]:
    """The cases in ``states`` the user may see, oldest first."""
    return [c for c in handoff.queue(engine, states=states) if can_see(user, c)]


def _actions(engine: Engine, case_id: int) -> tuple[ActionRecord, ...]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(actions_table)
            .where(actions_table.c.case_id == case_id)
            .order_by(actions_table.c.id)
        ).all()
    return tuple(ActionRecord(r.at, r.user_name, r.action, r.message_id, r.detail) for r in rows)


def detail(engine: Engine, user: User, case_id: int) -> CaseDetail:
    """One case with its messages and what staff did; 404 / 403 outside the user's cases."""
    found = handoff.case(engine, case_id)
    if found is None:
        raise NotFound(str(case_id))
    if not can_see(user, found):
        raise Forbidden(str(case_id))
    return CaseDetail(found, _actions(engine, case_id), can_act(user, found))


def of_conversation(engine: Engine, user: User, sender: str) -> list[CaseView]:
    """The cases of one conversation the user may see (its transcript is shown to them only)."""
    return [c for c in cases(engine, user) if c.sender == sender]


def act(
    engine: Engine, user: User, case_id: int, action: str, text: str, now: datetime
) -> CaseView:
    """Do ``action`` to the case as ``user`` and record it; the case afterwards.

    Refused (403) outside the user's role before anything is read back to them, 409 when the
    case's state does not allow it (someone else took it meanwhile, it was closed)."""
    if action not in ACTIONS:
        raise NotFound(action)
    current = detail(engine, user, case_id).case
    if not can_act(user, current) or (action == "assign" and not can_assign(user)):
        raise Forbidden(str(case_id))
    message_id, hub_id = None, None
    try:
        if action == "take":
            handoff.take(engine, case_id, user.name, now)
        elif action == "reply":
            text = text.strip()
            if not text:
                raise Refused("handoff_empty_reply")
            if len(text) > MAX_REPLY:
                raise Refused("handoff_long_reply")
            was_waiting = current.state == "waiting"
            notice = notices.get(engine, handoff.reply(engine, case_id, user.name, text, now))
            if was_waiting:
                _record(engine, case_id, user.name, "take", None, now)
            message_id = int(notice.params["message_id"]) if notice else None
        elif action == "close":
            handoff.close(engine, case_id, now, user.name)
        elif action == "assign":
            hub_id = text.strip()
            if not _is_organisation(engine, hub_id):
                raise Refused("handoff_unknown_hub")
            handoff.assign(engine, case_id, hub_id)
        else:
            handoff.give_back(engine, case_id, now, user.name)
    except handoff.CaseError as error:
        raise Refused("handoff_conflict") from error
    _record(engine, case_id, user.name, action, message_id, now, hub_id)
    return handoff.case(engine, case_id)


def _record(
    engine: Engine,
    case_id: int,
    name: str,
    action: str,
    message_id: int | None,
    now: datetime,
    detail: str | None = None,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(actions_table).values(
                case_id=case_id,
                at=utc_naive(now),
                user_name=name,
                action=action,
                message_id=message_id,
                detail=detail,
            )
        )
