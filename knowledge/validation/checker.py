"""The primitives every content check is built from: texts, ids, money, dates, evidence.

A ``Checker`` validates one file; it appends a ``Problem`` (file, record, field, message) instead
of raising, so staff see every problem of a file at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.numbers import list_currencies

from knowledge.languages import SUPPORTED

QUALIFIERS = frozenset("more_than less_than up_to at_least about approximately".split())
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANG_CODE_RE = re.compile(r"^[a-z]{2,3}$")
#: roles a person or organisation can hold in a record (``roles:``), in answer order
ROLES = ("initiator", "coordinator", "chair", "manager", "owner", "funder", "minister")
#: counts a source can state about a record (``figures:``)
FIGURES = ("municipalities", "counties", "representatives", "regional_hubs", "subregions")


@dataclass(frozen=True)
class Problem:
    file: str
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts) + f": {self.message}"


class ContentError(Exception):
    """One or more content problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _countries() -> frozenset[str]:
    return frozenset(c for c in Locale("en").territories if len(c) == 2 and c.isalpha())


COUNTRIES = _countries()
CURRENCIES = frozenset(list_currencies())


class Checker:
    """Validates one file; appends problems instead of raising so all are reported at once."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.record: str | None = None
        self.lang = "en"

    def err(self, fld: str | None, msg: str) -> None:
        self.problems.append(Problem(self.file, self.record, fld, msg))

    # -------------------------------------------------------------- primitives
    def text(self, value: Any, fld: str, required: bool = False) -> dict | None:
        if value is None:
            if required:
                self.err(fld, "is required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            if not value.strip():
                self.err(fld, "is empty")
                return None
            return {"original": self.lang, self.lang: value}
        if not isinstance(value, Mapping):
            self.err(fld, "must be a string or a mapping of languages")
            return None
        out: dict[str, Any] = {}
        original = value.get("original", self.lang)
        machine = value.get("machine", []) or []
        for key, val in value.items():
            if key in ("original", "machine"):
                continue
            if key not in SUPPORTED:
                self.err(fld, f"unknown language code {key!r} (allowed: {' '.join(SUPPORTED)})")
                continue
            if not isinstance(val, str) or not val.strip():
                self.err(f"{fld}.{key}", "must be a non-empty string")
                continue
            out[key] = val
        if original not in SUPPORTED:
            self.err(f"{fld}.original", f"unknown language code {original!r}")
            return None
        if original not in out:
            self.err(fld, f"the original language {original!r} has no text")
            return None
        if not isinstance(machine, list) or any(m not in out for m in machine):
            self.err(f"{fld}.machine", "must list languages that have a text")
            machine = []
        if original in machine:
            self.err(f"{fld}.machine", "the original cannot be machine-written")
        result = {"original": original, **{k: out[k] for k in SUPPORTED if k in out}}
        if machine:
            result["machine"] = [m for m in SUPPORTED if m in machine]
        return result

    def string(self, value: Any, fld: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.err(fld, "is required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.err(fld, "must be a non-empty string")
            return None
        return value

    def strings(self, value: Any, fld: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(fld, "must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            s = self.string(item, f"{fld}[{i}]", required=True)
            if s is not None:
                out.append(s)
        return out

    def ident(self, value: Any, fld: str) -> str | None:
        if not isinstance(value, str) or not ID_RE.match(value):
            self.err(fld, f"must be a lowercase slug id ([a-z0-9][a-z0-9-]*), got {value!r}")
            return None
        return value

    def ref(self, record: Mapping, fld: str) -> str | None:
        """An optional reference to another record's id."""
        value = record.get(fld)
        return None if value is None else self.ident(value, fld)

    def ids(self, value: Any, fld: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(fld, "must be a list of ids")
            return []
        return [i for n, v in enumerate(value) if (i := self.ident(v, f"{fld}[{n}]"))]

    def integer(self, value: Any, fld: str, minimum: int = 0) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(fld, f"must be a whole number, got {value!r}")
            return None
        if value < minimum:
            self.err(fld, f"must be at least {minimum}, got {value}")
            return None
        return value

    def money(self, value: Any, fld: str) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.err(fld, "must be a mapping {value, currency}")
            return None
        unknown = set(value) - {"value", "currency", "qualifier"}
        if unknown:
            self.err(fld, f"unknown keys {sorted(unknown)}")
        amount = value.get("value")
        if isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
            self.err(f"{fld}.value", f"must be a number, got {amount!r}")
            return None
        try:
            dec = Decimal(str(amount))
        except InvalidOperation:
            self.err(f"{fld}.value", f"must be a number, got {amount!r}")
            return None
        if not dec.is_finite() or dec < 0:
            self.err(f"{fld}.value", f"must be zero or more, got {amount!r}")
            return None
        currency = value.get("currency")
        if currency not in CURRENCIES:
            self.err(f"{fld}.currency", f"unknown ISO 4217 currency {currency!r}")
            return None
        qualifier = value.get("qualifier")
        if qualifier is not None and qualifier not in QUALIFIERS:
            self.err(f"{fld}.qualifier", f"must be one of {sorted(QUALIFIERS)}")
            return None
        return {"value": dec, "currency": currency, "qualifier": qualifier}

    def zone(self, value: Any, fld: str) -> str | None:
        if not isinstance(value, str) or not value:
            self.err(fld, "an IANA time zone is required")
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            self.err(fld, f"unknown time zone {value!r}")
            return None
        return value

    def when(self, value: Any, fld: str) -> dict | None:
        """A datetime field: {at|date, timezone} or a partial {year?, month?, day?}."""
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.err(fld, "must be a mapping ({at, timezone}, {date, timezone} or a partial date)")
            return None
        keys = set(value)
        allowed = {"at", "date", "timezone", "year", "month", "day"}
        if keys - allowed:
            self.err(fld, f"unknown keys {sorted(keys - allowed)}")
            return None
        if "at" in keys or "date" in keys:
            if keys & {"year", "month", "day"} or {"at", "date"} <= keys:
                self.err(fld, "give either at, date or a partial date, not several")
                return None
            tz = self.zone(value.get("timezone"), f"{fld}.timezone")
            if "at" in keys:
                raw = value["at"]
                if isinstance(raw, datetime):
                    raw = raw.isoformat()
                try:
                    parsed = datetime.fromisoformat(str(raw))
                except ValueError:
                    self.err(f"{fld}.at", f"invalid date-time {raw!r} (use YYYY-MM-DDTHH:MM)")
                    return None
                if parsed.tzinfo is not None:
                    self.err(f"{fld}.at", "give the local time without offset and a timezone")
                    return None
                spec = {
                    "at": parsed.isoformat(timespec="minutes" if not parsed.second else "seconds")
                }
            else:
                raw = value["date"]
                try:
                    parsed_d = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
                except ValueError:
                    self.err(f"{fld}.date", f"invalid date {raw!r} (use YYYY-MM-DD)")
                    return None
                spec = {"date": parsed_d.isoformat()}
            if tz is None:
                return None
            spec["timezone"] = tz
            return spec
        return self.partial(value, fld)

    def partial(self, value: Any, fld: str) -> dict | None:
        if value is None:
            return None
        if isinstance(value, (str, date)):
            try:
                return {
                    "date": (
                        value if isinstance(value, date) else date.fromisoformat(value)
                    ).isoformat()
                }
            except ValueError:
                self.err(fld, f"invalid date {value!r} (use YYYY-MM-DD or {{year, month}})")
                return None
        if not isinstance(value, Mapping):
            self.err(fld, "must be a date or a partial date {year?, month?, day?}")
            return None
        if set(value) == {"date"}:
            return self.partial(value["date"], fld)
        if set(value) - {"year", "month", "day", "timezone"}:
            self.err(
                fld, f"unknown keys {sorted(set(value) - {'year', 'month', 'day', 'timezone'})}"
            )
            return None
        spec: dict[str, Any] = {}
        for key, lo, hi in (("year", 1000, 9999), ("month", 1, 12), ("day", 1, 31)):
            v = value.get(key)
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                self.err(f"{fld}.{key}", f"invalid {key} {v!r}")
                return None
            spec[key] = v
        if not spec:
            self.err(fld, "a partial date needs at least a year, month or day")
            return None
        if {"year", "month", "day"} <= set(spec):
            try:
                date(spec["year"], spec["month"], spec["day"])
            except ValueError as exc:
                self.err(fld, f"invalid date: {exc}")
                return None
        if value.get("timezone") is not None:
            tz = self.zone(value["timezone"], f"{fld}.timezone")
            if tz is None:
                return None
            spec["timezone"] = tz
        return spec

    def evidence(self, value: Any, fld: str = "evidence", required: bool = True) -> dict:
        if value is None:
            if required:
                self.err(fld, "is required (field → verbatim excerpt of the source)")
            return {}
        if not isinstance(value, Mapping):
            self.err(fld, "must be a mapping of field → excerpt")
            return {}
        out = {}
        for key, val in value.items():
            if isinstance(val, list) and all(isinstance(v, str) for v in val):
                out[str(key)] = val
            elif isinstance(val, str):
                out[str(key)] = val
            else:
                self.err(f"{fld}.{key}", "must be an excerpt string or a list of excerpts")
        return out

    def mapping(self, value: Any, allowed: set[str], required: set[str]) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.err(None, "must be a mapping")
            return None
        for key in sorted(set(value) - allowed):
            self.err(str(key), "unknown field")
        for key in sorted(required - set(value)):
            self.err(key, "is required")
        return value

    # -------------------------------------------------------------- shared record parts
    def roles(self, value: Any, fld: str = "roles") -> list[dict]:
        """Who holds a role in a record: ``[{role, holder}]`` (holder: a contact or organisation
        id) or ``[{role, text}]`` when the source names no record ("a group of stakeholders")."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(fld, "must be a list of {role, holder} or {role, text}")
            return []
        out = []
        for n, item in enumerate(value):
            where = f"{fld}[{n}]"
            if not isinstance(item, Mapping) or set(item) - {"role", "holder", "text"}:
                self.err(where, "must be a mapping {role, holder} or {role, text}")
                continue
            role = item.get("role")
            if role not in ROLES:
                self.err(f"{where}.role", f"unknown role {role!r} (allowed: {', '.join(ROLES)})")
                continue
            has_holder, has_text = item.get("holder") is not None, item.get("text") is not None
            if has_holder == has_text:
                self.err(where, "give either holder (an id) or text, not both or neither")
                continue
            holder = self.ident(item["holder"], f"{where}.holder") if has_holder else None
            text = self.text(item.get("text"), f"{where}.text") if has_text else None
            if holder or text:
                out.append({"role": role, "holder": holder, "text": text})
        return out

    def figures(self, value: Any, fld: str = "figures") -> list[dict]:
        """Counts the source states: ``[{what, value}]`` ("25 kommuner" → municipalities: 25)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(fld, "must be a list of {what, value}")
            return []
        out = []
        for n, item in enumerate(value):
            where = f"{fld}[{n}]"
            if not isinstance(item, Mapping) or set(item) != {"what", "value"}:
                self.err(where, "must be a mapping {what, value}")
                continue
            if item["what"] not in FIGURES:
                self.err(f"{where}.what", f"unknown figure {item['what']!r} "
                         f"(allowed: {', '.join(FIGURES)})")  # fmt: skip
                continue
            number = self.integer(item["value"], f"{where}.value")
            if number is not None:
                out.append({"what": item["what"], "value": number})
        return out
