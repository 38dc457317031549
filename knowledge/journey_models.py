"""Tables of the entrepreneur journeys: deadline reminders, notices to deliver to a
conversation, the calendar version of each call's deadline, and hand-off cases.

They live in the knowledge base's database (one migration chain, one URL), so every process that
reads the content — action server, scheduler, web server, staff tools — shares them, and a
restart of any of them loses nothing. Times are naive UTC, like the content's bounds.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Text

from knowledge.models import ID, Base

SENDER = String(255)


class DeadlineVersion(Base):
    """The deadline a call's calendar event shows: ``sequence`` counts its changes (iCalendar
    SEQUENCE), ``changed_at`` is when it last changed (DTSTAMP / LAST-MODIFIED)."""

    __tablename__ = "deadline_versions"
    call_id = Column(ID, primary_key=True)
    sequence = Column(Integer, nullable=False, default=0)
    deadline = Column(JSON)
    deadline_latest = Column(DateTime)
    changed_at = Column(DateTime, nullable=False)


class Reminder(Base):
    """ "Remind me a week before": one conversation, one call, a lead time before its deadline.

    ``state``: ``pending`` → ``sent`` (claimed by exactly one scheduler), or ``cancelled``.
    """

    __tablename__ = "reminders"
    id = Column(Integer, primary_key=True, autoincrement=True)
    sender = Column(SENDER, nullable=False, index=True)
    call_id = Column(ID, nullable=False, index=True)
    lang = Column(String(8), nullable=False)
    lead_minutes = Column(Integer, nullable=False)
    deadline_latest = Column(DateTime, nullable=False)
    fire_at = Column(DateTime, nullable=False)
    state = Column(String(16), nullable=False, default="pending")
    created_at = Column(DateTime, nullable=False)
    claimed_by = Column(String(64))
    sent_at = Column(DateTime)
    __table_args__ = (Index("ix_reminders_state_fire_at", "state", "fire_at"),)


class Notice(Base):
    """Something the bot must say in a conversation without being asked: a reminder, a moved
    deadline, a staff reply. Delivered through Rasa's external-event API by whichever process
    claims it first (``pending`` → ``claimed`` → ``delivered``; released on failure)."""

    __tablename__ = "notices"
    id = Column(Integer, primary_key=True, autoincrement=True)
    sender = Column(SENDER, nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    params = Column(JSON, nullable=False, default=dict)
    state = Column(String(16), nullable=False, default="pending")
    due_at = Column(DateTime)  # None: at once
    attempts = Column(Integer, nullable=False, default=0)
    claimed_by = Column(String(64))
    claimed_at = Column(DateTime)
    delivered_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False)
    __table_args__ = (Index("ix_notices_state_due_at", "state", "due_at"),)


class HandoffCase(Base):
    """A conversation handed to a person at the responsible hub.

    ``state``: ``waiting`` (in the queue) → ``with_person`` (a staff member took it) →
    ``closed`` (back to the bot); ``timed_out_at`` is set once the user was told nobody came.
    """

    __tablename__ = "handoff_cases"
    id = Column(Integer, primary_key=True, autoincrement=True)
    sender = Column(SENDER, nullable=False, index=True)
    hub_id = Column(ID)
    subject_id = Column(String(200))
    lang = Column(String(8), nullable=False)
    question = Column(Text)
    profile = Column(JSON, nullable=False, default=dict)
    transcript_url = Column(Text)  # where staff read the whole conversation
    state = Column(String(16), nullable=False, default="waiting", index=True)
    staff_name = Column(String(120))
    created_at = Column(DateTime, nullable=False)
    taken_at = Column(DateTime)
    closed_at = Column(DateTime)
    timed_out_at = Column(DateTime)


class HandoffMessage(Base):
    """One message of a case: the user's (forwarded while a person has it) or staff's."""

    __tablename__ = "handoff_messages"
    id = Column(Integer, primary_key=True, autoincrement=True)
    case_id = Column(Integer, nullable=False, index=True)
    author = Column(String(16), nullable=False)  # "user" or "staff"
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)


class WebchatOutbox(Base):
    """A bot message for a web chat session with no socket open (the visitor left): sent when
    the session reconnects (webchat/rasa_channel.py)."""

    __tablename__ = "webchat_outbox"
    id = Column(Integer, primary_key=True, autoincrement=True)
    sender = Column(SENDER, nullable=False, index=True)
    payload = Column(JSON, nullable=False)
    created_at = Column(DateTime, nullable=False)
