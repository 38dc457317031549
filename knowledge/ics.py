"""A call's deadline as an iCalendar file (RFC 5545), for "put it in my calendar".

One event per call with a stable UID (``<call id>@hubguide``): importing the file again after
the deadline moved updates the event instead of adding a second one, because SEQUENCE,
DTSTAMP and LAST-MODIFIED come from the call's deadline version (``knowledge/deadlines.py``).
The deadline is written in its own time zone, with the VTIMEZONE the file needs, and a
display alarm ``alarm_before`` it. The words (summary, description, alarm) are the caller's,
already in the conversation's language: this layer holds no wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from knowledge.views import CallView

PRODUCT_ID = "-//HubGuide//Call deadlines//EN"
UID_DOMAIN = "hubguide"
#: a deadline given as a day closes at the end of that day: the event sits at its last minute
END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class EventTexts:
    summary: str
    description: str
    alarm: str
    lang: str


def uid(call_id: str) -> str:
    return f"{call_id}@{UID_DOMAIN}"


def deadline_local(call: CallView) -> datetime | None:
    """The deadline as an aware datetime in its zone (a day: its last minute); None when the
    content gives no exact day."""
    when = call.deadline
    if when is None or when.latest is None:
        return None
    zone = ZoneInfo(when.timezone or call.timezone or "UTC")
    if when.at is not None:
        return when.at.astimezone(zone)
    if when.date is not None:
        return datetime.combine(when.date, END_OF_DAY, tzinfo=zone)
    return None


def calendar(
    call: CallView,
    texts: EventTexts,
    *,
    sequence: int,
    changed_at: datetime | None,
    alarm_before: timedelta,
    url: str | None = None,
) -> bytes | None:
    """The .ics bytes of the call's deadline, or None when it has no exact day."""
    start = deadline_local(call)
    if start is None:
        return None
    stamp = (changed_at or datetime(2000, 1, 1)).replace(tzinfo=timezone.utc)
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid(call.id))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", start)
    event.add("summary", texts.summary, parameters={"LANGUAGE": texts.lang})
    event.add("description", texts.description, parameters={"LANGUAGE": texts.lang})
    event.add("transp", "TRANSPARENT")
    if url or call.application_url:
        event.add("url", call.application_url or url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", texts.alarm)
    alarm.add("trigger", -alarm_before)
    event.add_component(alarm)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
