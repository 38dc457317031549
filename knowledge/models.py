"""ORM tables of the knowledge base.

Multilingual text is stored as JSON ``{"original": "fr", "fr": "...", "en": "...",
"machine": ["en"]}``. Date fields keep the content's spec as JSON (what the source said) plus
the UTC bounds ``*_earliest``/``*_latest`` (naive UTC datetimes) derived from it, so status
queries run in SQL. ``evidence`` maps a field name to the verbatim excerpt it rests on.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator


class Amount(TypeDecorator):
    """Money as NUMERIC(20, 2); on SQLite passed as text so no float rounding creeps in."""

    impl = Numeric(20, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(20, 2))

    def process_bind_param(self, value, dialect):
        if value is not None and dialect.name == "sqlite":
            return str(value)
        return value

    def process_result_value(self, value, dialect):
        from decimal import Decimal

        return None if value is None else Decimal(str(value))


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))

ID = String(120)


def fk(target: str, *, cascade: bool = False) -> ForeignKey:
    """Deferred foreign keys: an import replaces records in any order within one transaction."""
    return ForeignKey(
        target, deferrable=True, initially="DEFERRED", ondelete="CASCADE" if cascade else None
    )


class Meta(Base):
    """Key/value table; ``revision`` bumps on every import or staff edit."""

    __tablename__ = "kb_meta"
    key = Column(String(40), primary_key=True)
    value = Column(BigInteger, nullable=False)


class Source(Base):
    __tablename__ = "sources"
    id = Column(ID, primary_key=True)
    file = Column(String(255))
    language = Column(String(8), nullable=False)
    title = Column(JSON, nullable=False)
    publisher = Column(JSON)
    published = Column(JSON)
    url = Column(Text)
    position = Column(Integer, nullable=False, default=0)


class Organisation(Base):
    __tablename__ = "organisations"
    id = Column(ID, primary_key=True)
    source_id = Column(ID, fk("sources.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    kind = Column(String(40), nullable=False, index=True)
    name = Column(JSON, nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    former_names = Column(JSON, nullable=False, default=list)
    short_name = Column(String(200))
    country = Column(String(2), index=True)
    region = Column(JSON)
    municipalities = Column(JSON, nullable=False, default=list)
    address = Column(JSON)
    languages = Column(JSON, nullable=False, default=list)
    sectors = Column(JSON, nullable=False, default=list)
    services = Column(JSON, nullable=False, default=list)
    parent_id = Column(ID, fk("organisations.id"), index=True)
    members = Column(JSON, nullable=False, default=list)
    programmes = Column(JSON, nullable=False, default=list)  # programme ids it is a project of
    website = Column(Text)
    founded = Column(JSON)  # a date spec, like the dates of calls
    figures = Column(JSON, nullable=False, default=list)  # [{what, value}] stated by the source
    description = Column(JSON)
    evidence = Column(JSON, nullable=False, default=dict)
    extra = Column(JSON, nullable=False, default=dict)


class OrganisationTerm(Base):
    """Search terms of an organisation: its country code (``country``), the id of every place it
    lies in, its regions' ancestors included (``place``), and its sector stems (``sector``)."""

    __tablename__ = "organisation_terms"
    id = Column(Integer, primary_key=True, autoincrement=True)
    organisation_id = Column(ID, fk("organisations.id", cascade=True), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    norm = Column(String(200), nullable=False)
    __table_args__ = (Index("ix_organisation_terms_kind_norm", "kind", "norm"),)


class Programme(Base):
    __tablename__ = "programmes"
    id = Column(ID, primary_key=True)
    source_id = Column(ID, fk("sources.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    name = Column(JSON, nullable=False)
    funder_id = Column(ID, fk("organisations.id"), index=True)
    part_of_id = Column(ID, fk("programmes.id"))  # the framework (plan) it belongs to
    budget_total = Column(Amount())
    budget_currency = Column(String(3))
    budget_qualifier = Column(String(20))
    max_per_recipient_per_year = Column(Amount())
    max_currency = Column(String(3))
    max_qualifier = Column(String(20))
    period = Column(JSON)
    duration_years = Column(Integer)
    figures = Column(JSON, nullable=False, default=list)
    description = Column(JSON)
    evidence = Column(JSON, nullable=False, default=dict)
    extra = Column(JSON, nullable=False, default=dict)


class Call(Base):
    __tablename__ = "calls"
    id = Column(ID, primary_key=True)
    source_id = Column(ID, fk("sources.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    title = Column(JSON, nullable=False)
    issuer_id = Column(ID, fk("organisations.id"), index=True)
    programme_id = Column(ID, fk("programmes.id"), index=True)
    year = Column(Integer)
    opens = Column(JSON)
    opens_earliest = Column(DateTime, index=True)
    opens_latest = Column(DateTime)
    deadline = Column(JSON)
    deadline_earliest = Column(DateTime, index=True)
    deadline_latest = Column(DateTime, index=True)
    timezone = Column(String(64))
    who_may_apply = Column(JSON)
    how_to_apply = Column(JSON)
    application_file = Column(JSON)
    application_url = Column(Text)
    applications_received = Column(Integer)
    contacts = Column(JSON, nullable=False, default=list)
    evidence = Column(JSON, nullable=False, default=dict)
    extra = Column(JSON, nullable=False, default=dict)


class Criterion(Base):
    __tablename__ = "criteria"
    id = Column(ID, primary_key=True)
    call_id = Column(ID, fk("calls.id", cascade=True), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    field = Column(String(40), nullable=False)
    op = Column(String(16), nullable=False)
    value = Column(JSON)
    text = Column(JSON, nullable=False)
    evidence = Column(JSON, nullable=False, default=dict)
    applies_when = Column(JSON)  # {field, op, value}: to whom the criterion applies; None: all


class SelectedProject(Base):
    __tablename__ = "selected_projects"
    id = Column(Integer, primary_key=True, autoincrement=True)
    call_id = Column(ID, fk("calls.id", cascade=True), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    project = Column(JSON, nullable=False)
    organisations = Column(JSON, nullable=False, default=list)
    amount = Column(Amount())
    currency = Column(String(3))
    qualifier = Column(String(20))
    period_years = Column(Integer)
    evidence = Column(JSON, nullable=False, default=dict)


class Service(Base):
    __tablename__ = "services"
    id = Column(ID, primary_key=True)
    source_id = Column(ID, fk("sources.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    provider_id = Column(ID, fk("organisations.id"), index=True)
    name = Column(JSON, nullable=False)
    description = Column(JSON)
    evidence = Column(JSON, nullable=False, default=dict)
    extra = Column(JSON, nullable=False, default=dict)


class Event(Base):
    __tablename__ = "events"
    id = Column(ID, primary_key=True)
    source_id = Column(ID, fk("sources.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    title = Column(JSON, nullable=False)
    organiser_id = Column(ID, fk("organisations.id"), index=True)
    start = Column(JSON)
    start_earliest = Column(DateTime, index=True)
    end = Column(JSON)
    place = Column(JSON)
    place_municipality = Column(String(200), index=True)  # folded
    place_country = Column(String(2))
    description = Column(JSON)
    evidence = Column(JSON, nullable=False, default=dict)
    extra = Column(JSON, nullable=False, default=dict)


class Contact(Base):
    __tablename__ = "contacts"
    id = Column(ID, primary_key=True)
    source_id = Column(ID, fk("sources.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    person = Column(String(200))
    role = Column(JSON)
    organisation_id = Column(ID, fk("organisations.id"), index=True)
    phones = Column(JSON, nullable=False, default=list)
    email = Column(String(254))
    responsible_for = Column(JSON, nullable=False, default=list)
    evidence = Column(JSON, nullable=False, default=dict)
    extra = Column(JSON, nullable=False, default=dict)


class ContactLink(Base):
    """Which call or organisation a contact answers for (from ``responsible_for``/``contacts``)."""

    __tablename__ = "contact_links"
    id = Column(Integer, primary_key=True, autoincrement=True)
    contact_id = Column(ID, fk("contacts.id", cascade=True), nullable=False, index=True)
    target_id = Column(ID, nullable=False, index=True)
    via_call = Column(Boolean, nullable=False, default=False)


class Role(Base):
    """Who holds a role in an organisation or programme: a contact or organisation, or a text
    when the source names no record ("a group of stakeholders" owns the arena)."""

    __tablename__ = "roles"
    id = Column(Integer, primary_key=True, autoincrement=True)
    record_kind = Column(String(16), nullable=False)
    record_id = Column(ID, nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    role = Column(String(20), nullable=False)
    holder_id = Column(ID, index=True)
    holder_text = Column(JSON)


class Place(Base):
    """A region, municipality or locality (``places.yaml``), linked to the region it lies in."""

    __tablename__ = "places"
    id = Column(String(160), primary_key=True)  # "region:rogaland", "municipality:voss"
    kind = Column(String(16), nullable=False)
    type = Column(String(40))
    country = Column(String(2), nullable=False, index=True)
    parent_id = Column(String(160), fk("places.id"), index=True)
    iso_code = Column(String(10))
    names = Column(JSON, nullable=False)  # {lang: [name, ...]}; the first is the display name
    position = Column(Integer, nullable=False, default=0)


class RecordOrigin(Base):
    """Where a record's stored version comes from: the hash of the record as its content file
    held it at the last import (``file_sha``; null for a record created in the staff workspace)
    and, when hub staff saved it in the workspace after that, when (``edited_at``). The import
    keeps such a record while its file still holds the version it was edited from
    (``knowledge/origins.py``)."""

    __tablename__ = "kb_record_origins"
    kind = Column(String(20), primary_key=True)  # content section: "calls", "contacts", …
    record_id = Column(ID, primary_key=True)
    source_id = Column(ID, nullable=False, index=True)
    file_sha = Column(String(64))
    edited_at = Column(DateTime)
