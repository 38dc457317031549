"""The staff workspace's tables (created by migration 0004 in knowledge/migrations/)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

users = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("orgs", JSON, nullable=False),
    Column("language", String(8), nullable=False, default="en"),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

login_attempts = Table(
    "staff_login_attempts",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
)

changes = Table(
    "staff_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user_name", String(80), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("record_id", String(120), nullable=False),
    Column("source_id", String(120), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("undo_of", Integer),
    Column("undone_by", Integer),
)
