"""Read-only views the assistant gets from ``KnowledgeBase``: frozen dataclasses, text resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from knowledge.timeutil import call_status, local_datetime


@dataclass(frozen=True)
class Text:
    """A user-facing text in one language.

    ``lang`` is the language of ``value``; ``is_original`` tells whether it is the source's own
    wording; ``machine`` whether a machine wrote this translation; ``original`` is the source's
    own wording when ``value`` is a translation (a ministry's name in its own language).
    """

    value: str
    lang: str
    is_original: bool
    machine: bool
    original: str | None = None

    def __str__(self) -> str:
        return self.value


def resolve(stored: dict | None, lang: str) -> Text | None:
    """The text in ``lang`` where it exists, else the original (marked with its language)."""
    if not stored:
        return None
    original = stored["original"]
    if lang in stored and lang not in ("original", "machine") and lang != original:
        machine = lang in stored.get("machine", ())
        return Text(stored[lang], lang, False, machine, stored[original])
    return Text(stored[original], original, True, False)


def languages_of(stored: dict | None) -> tuple[str, ...]:
    """Languages a stored text is available in."""
    return tuple(k for k in (stored or {}) if k not in ("original", "machine"))


@dataclass(frozen=True)
class SourceView:
    """Where a fact comes from: the document and the verbatim excerpt."""

    id: str
    title: Text
    language: str
    publisher: Text | None
    published: dict | None  # {"date": "YYYY-MM-DD"} or a partial {"year", "month"}; None unknown
    url: str | None
    file: str | None
    excerpt: str | None  # the record's main excerpt (``evidence.record`` or the first one)


@dataclass(frozen=True)
class Money:
    value: Decimal
    currency: str
    qualifier: str | None = None  # more_than, up_to, …


@dataclass(frozen=True)
class When:
    """A date as the source states it, with the instants it can mean.

    ``precision``: ``datetime`` (``at`` is exact), ``date`` (day known), ``month``/``year``
    (partial) or ``partial`` (e.g. a month without a year). ``earliest``/``latest`` are aware UTC
    instants (equal for a datetime; a date-only deadline closes at the end of its day).
    """

    spec: dict
    precision: str
    timezone: str | None
    at: datetime | None  # aware, in ``timezone``; only for precision ``datetime``
    date: date | None  # the day, where known
    year: int | None
    month: int | None
    day: int | None
    earliest: datetime | None
    latest: datetime | None

    def isoformat(self) -> str | None:
        """ISO 8601 with the UTC offset (datetime), the day (date), else None."""
        if self.at is not None:
            return self.at.isoformat()
        if self.date is not None:
            return self.date.isoformat()
        return None


@dataclass(frozen=True)
class Criterion:
    id: str
    field: str
    op: str
    value: Any
    text: Text  # the original sentence (or its translation)
    evidence: dict
    when: dict | None = None  # {field, op, value}: to whom it applies (None: every applicant)


@dataclass(frozen=True)
class SelectedProject:
    project: Text
    organisations: tuple[str, ...]  # organisation ids
    organisation_names: tuple[Text, ...]
    amount: Money | None
    period_years: int | None


@dataclass(frozen=True)
class Figure:
    """A count the source states about a record ("25 kommuner" → municipalities, 25)."""

    what: str
    value: int


@dataclass(frozen=True)
class RoleView:
    """Someone who holds a role in a record: a contact or organisation, or only a text."""

    role: str  # initiator, coordinator, chair, manager, owner, funder, minister
    holder_kind: str | None  # "contact" or "organisation"; None when only a text is known
    holder_id: str | None
    holder_name: Text | None  # the person's or organisation's name, else the text


@dataclass(frozen=True)
class PlaceRef:
    """A place a record lies in, named in the asked language."""

    id: str  # "municipality:voss", "region:vestland", "country:no"
    kind: str  # municipality, locality, region, country
    name: str
    # the name in Latin letters where ``name`` is written in Arabic ("ليكسيلي" → "Lycksele"):
    # the one maps, signs and the sources use
    latin: str | None = None


@dataclass(frozen=True)
class ServiceView:
    id: str
    name: Text
    description: Text | None
    provider_id: str | None
    source: SourceView
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class OrganisationView:
    id: str
    kind: str
    name: Text
    aliases: tuple[str, ...]
    short_name: str | None
    country: str | None
    region: Text | None
    municipalities: tuple[str, ...]
    address: Text | None
    languages: tuple[str, ...]
    sectors: tuple[Text, ...]
    services: tuple[ServiceView, ...]
    parent_id: str | None
    parent_name: Text | None
    members: tuple[str, ...]
    website: str | None
    description: Text | None
    source: SourceView
    evidence: dict = field(default_factory=dict)
    former_names: tuple[str, ...] = ()
    founded: When | None = None
    figures: tuple[Figure, ...] = ()
    roles: tuple[RoleView, ...] = ()
    places: tuple[PlaceRef, ...] = ()  # municipalities, region and their regions, nearest first
    programmes: tuple[str, ...] = ()  # ids of the programmes it is a project of


@dataclass(frozen=True)
class ProgrammeView:
    id: str
    name: Text
    funder_id: str | None
    funder_name: Text | None
    budget_total: Money | None
    max_per_recipient_per_year: Money | None
    period_start: When | None
    period_end: When | None
    description: Text | None
    call_ids: tuple[str, ...]
    source: SourceView
    evidence: dict = field(default_factory=dict)
    duration_years: int | None = None
    figures: tuple[Figure, ...] = ()
    roles: tuple[RoleView, ...] = ()
    part_of: str | None = None  # the programme (plan, framework) it belongs to


@dataclass(frozen=True)
class CallView:
    id: str
    title: Text
    issuer_id: str | None
    issuer_name: Text | None
    programme_id: str | None
    programme_name: Text | None
    year: int | None
    opens: When | None
    deadline: When | None
    timezone: str | None  # IANA zone of the deadline (else of the opening)
    who_may_apply: Text | None
    criteria: tuple[Criterion, ...]
    how_to_apply: Text | None
    application_file: Text | None
    application_url: str | None
    applications_received: int | None
    selected: tuple[SelectedProject, ...]
    contact_ids: tuple[str, ...]
    source: SourceView
    evidence: dict = field(default_factory=dict)
    status: str | None = None  # filled by ``calls(now=…)`` / ``call(…, now=…)``

    def status_at(self, now: datetime) -> str:
        """``open``, ``upcoming``, ``closed`` or ``unknown`` at the aware instant ``now``."""
        naive = _naive_bounds
        return call_status(now, naive(self.opens), self.opens is not None, naive(self.deadline))


def _naive_bounds(when: When | None) -> tuple[datetime | None, datetime | None]:
    if when is None:
        return None, None
    lo = when.earliest.replace(tzinfo=None) if when.earliest else None
    hi = when.latest.replace(tzinfo=None) if when.latest else None
    return lo, hi


@dataclass(frozen=True)
class ContactView:
    id: str
    person: str | None
    role: Text | None
    organisation_id: str | None
    organisation_name: Text | None
    phones: tuple[str, ...]
    email: str | None
    responsible_for: tuple[str, ...]
    source: SourceView
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PlaceView:
    name: Text | None
    municipality: str | None
    country: str | None
    address: Text | None = None


@dataclass(frozen=True)
class EventView:
    id: str
    title: Text
    organiser_id: str | None
    organiser_name: Text | None
    start: When | None
    end: When | None
    place: PlaceView | None
    description: Text | None
    source: SourceView
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """A record found by name. ``kind``: organisation, programme, call, contact, event, place.

    For places ``id`` is ``country:<iso>``, ``region:<folded name>`` or
    ``municipality:<folded name>``; ``name`` is the name as stored. ``source`` is the document
    the record comes from (title in its original language; no excerpt — fetch the record's view
    for that); None for places.
    """

    kind: str
    id: str
    name: str
    score: float
    source: SourceView | None = None
    subkind: str | None = None  # an organisation's kind ("business_garden"), a place's kind
    country: str | None = None
    year: int | None = None  # a call's year
    matched: str = ""  # the folded name form the message matched


def when_view(spec: dict | None, earliest: datetime | None, latest: datetime | None) -> When | None:
    """Build a ``When`` from a stored spec and its naive-UTC bounds."""
    from datetime import timezone as _tz

    if not spec:
        return None
    tzname = spec.get("timezone")
    at = local_datetime(spec)
    day = None
    if "at" in spec:
        precision = "datetime"
        day = at.date() if at else None
    elif "date" in spec:
        precision = "date"
        day = date.fromisoformat(spec["date"])
    elif {"year", "month", "day"} <= set(spec):
        precision = "date"
        day = date(spec["year"], spec["month"], spec["day"])
    elif "year" in spec:
        precision = "month" if "month" in spec else "year"
    else:
        precision = "partial"
    return When(
        spec=dict(spec),
        precision=precision,
        timezone=tzname,
        at=at,
        date=day,
        year=day.year if day else spec.get("year"),
        month=day.month if day else spec.get("month"),
        day=day.day if day else spec.get("day"),
        earliest=earliest.replace(tzinfo=_tz.utc) if earliest else None,
        latest=latest.replace(tzinfo=_tz.utc) if latest else None,
    )
