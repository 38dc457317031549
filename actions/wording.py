"""Turns knowledge-base values into words of the conversation's language.

Everything here goes through the catalogues (`actions/catalogue.py`) and Babel
(`actions/formatting.py`); the answer modules only put the pieces together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from actions import formatting
from actions.catalogue import say
from knowledge.views import CallView, Money, PlaceRef, SourceView, Text, When


@dataclass(frozen=True)
class Wording:
    """The wording helpers for one conversation language at one instant."""

    lang: str
    now: datetime

    def say(self, key: str, count: int | None = None, **params: object) -> str:
        return say(self.lang, key, count, **params)

    def text(self, text: Text | None) -> str:
        """The text, marked when it is not in the conversation's language (no translation yet)."""
        if text is None:
            return ""
        if text.lang == self.lang:
            return text.value
        language = formatting.language_name(text.lang, self.lang)
        return f"{text.value} {self.say('original_marker', language=language)}"

    def name(self, text: Text | None) -> str:
        """A proper name (hub, project, place, publisher): never marked as untranslated; a
        translated name is followed by the source's own ("Ministry of … (Kommunal- og …)")."""
        if text is None:
            return ""
        if text.original and text.original != text.value:
            return self.say("name_translated", name=text.value, original=text.original)
        return text.value

    def place(self, place: PlaceRef) -> str:
        """A place's name, with its Latin-letter name beside an Arabic one ("ليكسيلي
        (Lycksele)"): the form maps and the sources use."""
        if place.latin:
            return self.say("name_translated", name=place.name, original=place.latin)
        return place.name

    def bullets(self, items: list[str]) -> list[str]:
        return [self.say("list_item", text=item) for item in items if item]

    def join(self, items: list[str]) -> str:
        return self.say("joiner").join(item for item in items if item)

    # --- money
    def money(self, money: Money | None) -> str:
        if money is None:
            return ""
        amount = formatting.money(money.value, money.currency, self.lang)
        if money.qualifier == "more_than":
            return self.say("amount_more_than", amount=amount)
        if money.qualifier in ("about", "approximately"):
            return self.say("amount_about", amount=amount)
        return amount

    # --- dates
    def month(self, year: int | None, month: int) -> str:
        """ "June 2018", or "June" alone when the source gives no year."""
        if year is None:
            return formatting.locale(self.lang).months["stand-alone"]["wide"][month]
        return format_skeleton("yMMMM", datetime(year, month, 1), locale=self.lang)

    def when(self, when: When | None) -> str:
        """A date as the locale writes it, with time and zone where the source gives them."""
        if when is None:
            return ""
        if when.precision == "datetime" and when.at is not None and when.timezone:
            return self.say(
                "when_date_time",
                date=formatting.long_date(when.at.date(), self.lang),
                time=formatting.short_time(when.at, when.timezone, self.lang),
                zone=formatting.zone_name(when.timezone, self.lang),
            )
        if when.date is not None:
            return self.say("when_date", date=formatting.long_date(when.date, self.lang))
        if when.month is not None:
            return self.say("when_month", month=self.month(when.year, when.month))
        return str(when.year) if when.year else ""

    def span(self, start: When | None, end: When | None) -> str:
        """An event's time span: "31 May 2018, 09:00–11:00 (Central European Time)"."""
        if (
            start is not None
            and end is not None
            and start.at is not None
            and end.at is not None
            and start.timezone
            and start.at.date() == end.at.date()
        ):
            return self.say(
                "when_span",
                date=formatting.long_date(start.at.date(), self.lang),
                start=formatting.short_time(start.at, start.timezone, self.lang),
                end=formatting.short_time(end.at, start.timezone, self.lang),
                zone=formatting.zone_name(start.timezone, self.lang),
            )
        return self.when(start)

    def days_left(self, deadline: When) -> int:
        """Calendar days from today to the deadline's day, both in the deadline's time zone
        (0: it closes today)."""
        if deadline.latest is None:
            return 0
        zone = ZoneInfo(deadline.timezone or "UTC")
        closing = deadline.at or deadline.latest - timedelta(microseconds=1)
        today = self.now.astimezone(zone).date()
        return max(0, (closing.astimezone(zone).date() - today).days)

    def status(self, call: CallView) -> str:
        """Open (days left), not open yet, closed since when, or unknown — relative to now."""
        status = call.status_at(self.now)
        if status == "open" and call.deadline is not None and call.deadline.latest:
            days = self.days_left(call.deadline)
            date = self.when(call.deadline)
            if days == 0:
                return self.say("status_last_day", date=date)
            return self.say("status_open", date=date, days_left=self.say("days_left", days))
        if status == "upcoming" and call.opens is not None:
            return self.say("status_upcoming", opens=self.when(call.opens))
        if status == "closed" and call.deadline is not None and call.deadline.latest:
            return self.say(
                "status_closed",
                date=self.when(call.deadline),
                ago=formatting.relative(call.deadline.latest - self.now, self.lang),
            )
        return self.say("status_unknown")

    # --- sources
    def citation(self, source: SourceView) -> str:
        parts = [self.text(source.title)]
        if source.publisher is not None:
            parts.append(self.name(source.publisher))
        published = source.published or {}
        if published.get("date"):
            parts.append(formatting.long_date(date.fromisoformat(published["date"]), self.lang))
        elif published.get("year") and published.get("month"):
            parts.append(self.month(published["year"], published["month"]))
        elif published.get("year"):
            parts.append(str(published["year"]))
        if source.url:
            parts.append(source.url)
        return self.say("source", citation=self.join(parts))

    def kind(self, kind: str) -> str:
        return self.say(f"kind_{kind}")
