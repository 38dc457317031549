"""Date specs of the content format → UTC bounds, and call status relative to a clock.

A spec is what the source says: ``{at, timezone}``, ``{date, timezone}`` or a partial
``{year?, month?, day?, timezone?}``. Its bounds are the earliest and latest UTC instant it can
denote (naive UTC datetimes, as stored). An *end* (deadline, event end) given as a date closes at
the end of that day in its zone; a *start* given as a date begins at the start of the day.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


def _utc(local: datetime, tz: ZoneInfo) -> datetime:
    return local.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def bounds(spec: dict | None, *, end: bool) -> tuple[datetime | None, datetime | None]:
    """(earliest, latest) naive-UTC instants a valid spec can mean; (None, None) if unknown."""
    if not spec:
        return None, None
    tz = ZoneInfo(spec.get("timezone") or "UTC")
    if "at" in spec:
        moment = _utc(datetime.fromisoformat(spec["at"]), tz)
        return moment, moment
    if "date" in spec:
        day = date.fromisoformat(spec["date"])
        start = datetime.combine(day, time())
        moment = _utc(start + timedelta(days=1) if end else start, tz)
        return moment, moment
    year, month, day_ = spec.get("year"), spec.get("month"), spec.get("day")
    if year is None:
        return None, None
    if month is None:
        lo, hi = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    elif day_ is None:
        last = calendar.monthrange(year, month)[1]
        lo, hi = datetime(year, month, 1), datetime(year, month, last) + timedelta(days=1)
    else:
        lo = datetime(year, month, day_)
        hi = lo + timedelta(days=1)
        if end:
            lo = hi
        else:
            hi = lo
    return _utc(lo, tz), _utc(hi, tz)


def local_datetime(spec: dict | None) -> datetime | None:
    """The exact aware local datetime of an ``at`` spec (or the closing instant of a ``date``)."""
    if not spec or not spec.get("timezone"):
        return None
    tz = ZoneInfo(spec["timezone"])
    if "at" in spec:
        return datetime.fromisoformat(spec["at"]).replace(tzinfo=tz)
    return None


def call_status(
    now: datetime,
    opens: tuple[datetime | None, datetime | None],
    opens_stated: bool,
    deadline: tuple[datetime | None, datetime | None],
) -> str:
    """``open``, ``upcoming``, ``closed`` or ``unknown`` at the aware instant ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    n = now.astimezone(UTC).replace(tzinfo=None)
    d_lo, d_hi = deadline
    o_lo, o_hi = opens
    if d_hi is not None and d_hi <= n:
        return "closed"
    if o_lo is not None and o_lo > n:
        return "upcoming"
    opened = (not opens_stated) or (o_hi is not None and o_hi <= n)
    if d_lo is not None and d_lo > n and opened:
        return "open"
    return "unknown"
