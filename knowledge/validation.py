"""Content files (YAML, see FORMAT.md) → validated rows ready for the database.

Everything is checked before anything is written; every problem names the file, the record and
the field, so hub staff can fix the file without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from babel import Locale
from babel.numbers import list_currencies

from knowledge.names import fold
from knowledge.timeutil import bounds

LANGS = ("en", "fr", "nb", "nl", "sv", "ar")
ORG_KINDS = frozenset(
    "hub_network network_coordinator regional_hub business_garden business_garden_group cluster "
    "innovation_platform desk thematic_cluster innovation_arena ministry agency government "
    "regional_authority cooperative advisory_body campus online_platform other".split()
)
CRITERION_FIELDS = frozenset(
    "organisation_type region years_of_support existing_label sector country".split()
)
CRITERION_OPS = frozenset("eq ne in not_in lt le lte gt ge gte min max".split())
QUALIFIERS = frozenset("more_than less_than up_to at_least about approximately".split())
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANG_CODE_RE = re.compile(r"^[a-z]{2,3}$")
KINDS = ("organisations", "programmes", "calls", "services", "events", "contacts")


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


@dataclass
class Bundle:
    """Validated rows of one or more files, keyed by table."""

    sources: list[dict] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=lambda: {k: [] for k in KINDS})
    criteria: list[dict] = field(default_factory=list)
    selected: list[dict] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # source id -> file name

    def ids(self, kind: str) -> set[str]:
        return {r["id"] for r in self.rows[kind]}


def _countries() -> frozenset[str]:
    return frozenset(c for c in Locale("en").territories if len(c) == 2 and c.isalpha())


COUNTRIES = _countries()
CURRENCIES = frozenset(list_currencies())


class _Checker:
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
            if key not in LANGS:
                self.err(fld, f"unknown language code {key!r} (allowed: {' '.join(LANGS)})")
                continue
            if not isinstance(val, str) or not val.strip():
                self.err(f"{fld}.{key}", "must be a non-empty string")
                continue
            out[key] = val
        if original not in LANGS:
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
        result = {"original": original, **{k: out[k] for k in LANGS if k in out}}
        if machine:
            result["machine"] = [m for m in LANGS if m in machine]
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


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with the C loader when available (hub content can be large)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - safe loader


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problems.append(Problem(path.name, None, None, f"malformed YAML: {where}{exc}"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, None, None, f"cannot read file: {exc}"))
    return None


ORG_FIELDS = {
    "id", "kind", "name", "aliases", "short_name", "country", "region", "municipalities",
    "address", "languages", "sectors", "services", "parent", "members", "website",
    "description", "evidence",
}  # fmt: skip
PROGRAMME_FIELDS = {
    "id", "name", "funder", "budget_total", "max_per_recipient_per_year", "period",
    "description", "evidence",
}  # fmt: skip
CALL_FIELDS = {
    "id", "title", "issuer", "programme", "year", "opens", "deadline", "who_may_apply",
    "criteria", "how_to_apply", "application_file", "application_url",
    "applications_received", "selected", "contacts", "evidence",
}  # fmt: skip
SERVICE_FIELDS = {"id", "provider", "name", "description", "evidence"}
EVENT_FIELDS = {"id", "title", "organiser", "start", "end", "place", "description", "evidence"}
CONTACT_FIELDS = {
    "id", "person", "role", "organisation", "phones", "email", "responsible_for", "evidence",
}  # fmt: skip
SOURCE_FIELDS = {"id", "file", "language", "title", "publisher", "published", "url"}


def check_file(path: Path, bundle: Bundle, problems: list[Problem]) -> None:
    """Validate one content file and add its rows to ``bundle``."""
    data = _read_yaml(path, problems)
    if data is None and not any(p.file == path.name for p in problems):
        problems.append(Problem(path.name, None, None, "the file is empty"))
    if data is None:
        return
    c = _Checker(path.name, problems)
    if not isinstance(data, Mapping):
        c.err(None, "the file must be a mapping with source, organisations, calls, …")
        return
    for key in sorted(set(data) - {"source", *KINDS}):
        c.err(str(key), "unknown section")
    src = data.get("source")
    c.record = "source"
    if (
        not isinstance(src, Mapping)
        or c.mapping(src, SOURCE_FIELDS, {"id", "language", "title"}) is None
    ):
        if not isinstance(src, Mapping):
            c.err(None, "the source section is required")
        return
    sid = c.ident(src.get("id"), "id")
    lang = src.get("language")
    if lang not in LANGS:
        c.err("language", f"unknown language code {lang!r} (allowed: {' '.join(LANGS)})")
        return
    c.lang = lang
    if sid is None:
        return
    c.record = f"source[{sid}]"
    if sid in bundle.files:
        c.err("id", f"duplicate source id (also in {bundle.files[sid]})")
    bundle.files[sid] = path.name
    publisher = src.get("publisher")
    bundle.sources.append(
        {
            "id": sid,
            "file": c.string(src.get("file"), "file"),
            "language": lang,
            "title": c.text(src.get("title"), "title", required=True),
            "publisher": c.text(publisher, "publisher") if publisher is not None else None,
            "published": c.partial(src.get("published"), "published"),
            "url": c.string(src.get("url"), "url"),
            "position": len(bundle.sources),
        }
    )

    def records(section: str, allowed: set[str]) -> Iterable[tuple[int, Mapping, str]]:
        items = data.get(section) or []
        if not isinstance(items, list):
            c.record = None
            c.err(section, "must be a list")
            return
        for pos, item in enumerate(items):
            rid = item.get("id") if isinstance(item, Mapping) else None
            c.record = f"{section}[{rid if isinstance(rid, str) else pos}]"
            if c.mapping(item, allowed, {"id"}) is None:
                continue
            if c.ident(rid, "id") is None:
                continue
            yield pos, item, rid

    for pos, o, rid in records("organisations", ORG_FIELDS):
        kind = o.get("kind")
        if kind not in ORG_KINDS:
            c.err("kind", f"unknown kind {kind!r} (allowed: {', '.join(sorted(ORG_KINDS))})")
        country = o.get("country")
        if country is not None and country not in COUNTRIES:
            c.err("country", f"unknown ISO 3166-1 alpha-2 country code {country!r}")
            country = None
        langs = c.strings(o.get("languages"), "languages")
        for n, code in enumerate(langs):
            if not LANG_CODE_RE.match(code):
                c.err(f"languages[{n}]", f"not a language code: {code!r}")
        sectors = o.get("sectors") or []
        if not isinstance(sectors, list):
            c.err("sectors", "must be a list")
            sectors = []
        bundle.rows["organisations"].append(
            {
                "id": rid, "source_id": sid, "position": pos, "kind": kind,
                "name": c.text(o.get("name"), "name", required=True),
                "aliases": c.strings(o.get("aliases"), "aliases"),
                "short_name": c.string(o.get("short_name"), "short_name"),
                "country": country,
                "region": c.text(o.get("region"), "region"),
                "municipalities": c.strings(o.get("municipalities"), "municipalities"),
                "address": c.text(o.get("address"), "address"),
                "languages": langs,
                "sectors": [
                    t for n, s in enumerate(sectors) if (t := c.text(s, f"sectors[{n}]", True))
                ],
                "services": c.ids(o.get("services"), "services"),
                "parent_id": c.ref(o, "parent"),
                "members": c.ids(o.get("members"), "members"),
                "website": c.string(o.get("website"), "website"),
                "description": c.text(o.get("description"), "description"),
                "evidence": c.evidence(o.get("evidence")),
            }
        )  # fmt: skip

    for pos, p, rid in records("programmes", PROGRAMME_FIELDS):
        budget = c.money(p.get("budget_total"), "budget_total")
        cap = c.money(p.get("max_per_recipient_per_year"), "max_per_recipient_per_year")
        period = p.get("period")
        period_spec = None
        if period is not None:
            if not isinstance(period, Mapping) or set(period) - {"start", "end"}:
                c.err("period", "must be a mapping {start, end}")
            else:
                period_spec = {k: c.when(period.get(k), f"period.{k}") for k in ("start", "end")}
        bundle.rows["programmes"].append(
            {
                "id": rid, "source_id": sid, "position": pos,
                "name": c.text(p.get("name"), "name", required=True),
                "funder_id": c.ref(p, "funder"),
                "budget_total": budget and budget["value"],
                "budget_currency": budget and budget["currency"],
                "budget_qualifier": budget and budget["qualifier"],
                "max_per_recipient_per_year": cap and cap["value"],
                "max_currency": cap and cap["currency"],
                "max_qualifier": cap and cap["qualifier"],
                "period": period_spec,
                "description": c.text(p.get("description"), "description"),
                "evidence": c.evidence(p.get("evidence")),
            }
        )  # fmt: skip

    for pos, k, rid in records("calls", CALL_FIELDS):
        opens = c.when(k.get("opens"), "opens")
        deadline = c.when(k.get("deadline"), "deadline")
        o_lo, o_hi = bounds(opens, end=False)
        d_lo, d_hi = bounds(deadline, end=True)
        crit = k.get("criteria") or []
        if not isinstance(crit, list):
            c.err("criteria", "must be a list")
            crit = []
        for n, cr in enumerate(crit):
            fld = f"criteria[{n}]"
            if not isinstance(cr, Mapping):
                c.err(fld, "must be a mapping {id, rule, text}")
                continue
            for key in sorted(set(cr) - {"id", "rule", "text", "evidence"}):
                c.err(f"{fld}.{key}", "unknown field")
            cid = c.ident(cr.get("id"), f"{fld}.id")
            rule = cr.get("rule")
            if not isinstance(rule, Mapping) or set(rule) - {"field", "op", "value"}:
                c.err(f"{fld}.rule", "must be a mapping {field, op, value}")
                continue
            if rule.get("field") not in CRITERION_FIELDS:
                c.err(f"{fld}.rule.field", f"must be one of {sorted(CRITERION_FIELDS)}")
            if rule.get("op") not in CRITERION_OPS:
                c.err(f"{fld}.rule.op", f"must be one of {sorted(CRITERION_OPS)}")
            text = c.text(cr.get("text"), f"{fld}.text", required=True)
            if cid:
                bundle.criteria.append(
                    {
                        "id": cid, "call_id": rid, "position": n, "field": rule.get("field"),
                        "op": rule.get("op"), "value": rule.get("value"), "text": text,
                        "evidence": c.evidence(cr.get("evidence"), f"{fld}.evidence", False),
                        "_file": path.name,
                    }
                )  # fmt: skip
        sel = k.get("selected") or []
        if not isinstance(sel, list):
            c.err("selected", "must be a list")
            sel = []
        for n, s in enumerate(sel):
            fld = f"selected[{n}]"
            if not isinstance(s, Mapping):
                c.err(fld, "must be a mapping {project, organisations, amount, period_years}")
                continue
            for key in sorted(
                set(s) - {"project", "organisations", "amount", "period_years", "evidence"}
            ):
                c.err(f"{fld}.{key}", "unknown field")
            amount = c.money(s.get("amount"), f"{fld}.amount")
            bundle.selected.append(
                {
                    "call_id": rid, "position": n,
                    "project": c.text(s.get("project"), f"{fld}.project", required=True),
                    "organisations": c.ids(s.get("organisations"), f"{fld}.organisations"),
                    "amount": amount and amount["value"],
                    "currency": amount and amount["currency"],
                    "qualifier": amount and amount["qualifier"],
                    "period_years": c.integer(s.get("period_years"), f"{fld}.period_years", 1),
                    "evidence": c.evidence(s.get("evidence"), f"{fld}.evidence", required=False),
                }
            )  # fmt: skip
        year = c.integer(k.get("year"), "year", minimum=1000)
        url = k.get("application_url")
        bundle.rows["calls"].append(
            {
                "id": rid, "source_id": sid, "position": pos,
                "title": c.text(k.get("title"), "title", required=True),
                "issuer_id": c.ref(k, "issuer"),
                "programme_id": c.ref(k, "programme"),
                "year": year,
                "opens": opens, "opens_earliest": o_lo, "opens_latest": o_hi,
                "deadline": deadline, "deadline_earliest": d_lo, "deadline_latest": d_hi,
                "timezone": (deadline or {}).get("timezone") or (opens or {}).get("timezone"),
                "who_may_apply": c.text(k.get("who_may_apply"), "who_may_apply"),
                "how_to_apply": c.text(k.get("how_to_apply"), "how_to_apply"),
                "application_file": c.text(k.get("application_file"), "application_file"),
                "application_url": c.string(url, "application_url") if url is not None else None,
                "applications_received": c.integer(
                    k.get("applications_received"), "applications_received"
                ),
                "contacts": c.ids(k.get("contacts"), "contacts"),
                "evidence": c.evidence(k.get("evidence")),
            }
        )  # fmt: skip

    for pos, s, rid in records("services", SERVICE_FIELDS):
        bundle.rows["services"].append(
            {
                "id": rid, "source_id": sid, "position": pos,
                "provider_id": c.ref(s, "provider"),
                "name": c.text(s.get("name"), "name", required=True),
                "description": c.text(s.get("description"), "description"),
                "evidence": c.evidence(s.get("evidence")),
            }
        )  # fmt: skip

    for pos, e, rid in records("events", EVENT_FIELDS):
        start = c.when(e.get("start"), "start")
        end = c.when(e.get("end"), "end")
        s_lo, _ = bounds(start, end=False)
        _, prev_end = bounds(end, end=True)
        if s_lo and prev_end and prev_end < s_lo:
            c.err("end", "the event ends before it starts")
        place = e.get("place")
        place_row = None
        if place is not None:
            if not isinstance(place, Mapping) or set(place) - {
                "name",
                "municipality",
                "country",
                "address",
            }:
                c.err("place", "must be a mapping {name, municipality, country}")
            else:
                if place.get("country") is not None and place["country"] not in COUNTRIES:
                    c.err(
                        "place.country",
                        f"unknown ISO 3166-1 alpha-2 country code {place['country']!r}",
                    )
                place_row = {
                    "name": c.text(place.get("name"), "place.name"),
                    "municipality": c.string(place.get("municipality"), "place.municipality"),
                    "country": place.get("country"),
                }
                if place.get("address") is not None:
                    place_row["address"] = c.text(place.get("address"), "place.address")
        municipality = place_row.get("municipality") if place_row else None
        bundle.rows["events"].append(
            {
                "id": rid, "source_id": sid, "position": pos,
                "title": c.text(e.get("title"), "title", required=True),
                "organiser_id": c.ref(e, "organiser"),
                "start": start, "start_earliest": s_lo, "end": end, "place": place_row,
                "place_municipality": fold(municipality) if municipality else None,
                "place_country": place_row.get("country") if place_row else None,
                "description": c.text(e.get("description"), "description"),
                "evidence": c.evidence(e.get("evidence")),
            }
        )  # fmt: skip

    for pos, p, rid in records("contacts", CONTACT_FIELDS):
        email = p.get("email")
        if email is not None and (not isinstance(email, str) or not EMAIL_RE.match(email)):
            c.err("email", f"not an e-mail address: {email!r}")
            email = None
        bundle.rows["contacts"].append(
            {
                "id": rid, "source_id": sid, "position": pos,
                "person": c.string(p.get("person"), "person"),
                "role": c.text(p.get("role"), "role"),
                "organisation_id": c.ref(p, "organisation"),
                "phones": c.strings(p.get("phones"), "phones"),
                "email": email,
                "responsible_for": c.ids(p.get("responsible_for"), "responsible_for"),
                "evidence": c.evidence(p.get("evidence")),
            }
        )  # fmt: skip


def content_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into their ``*.yaml``/``*.yml`` files, sorted by name."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        else:
            out.append(p)
    return out


def check_references(
    bundle: Bundle, known: Mapping[str, set[str]], problems: list[Problem]
) -> None:
    """Duplicate ids and missing references (``known``: kind → {id: source} of other sources)."""
    where: dict[str, dict[str, str]] = {k: {} for k in KINDS}
    src_file = bundle.files
    for kind in KINDS:
        for row in bundle.rows[kind]:
            f = src_file.get(row["source_id"], "?")
            stored = known.get(kind, {})
            if row["id"] in stored:
                problems.append(
                    Problem(
                        f,
                        f"{kind}[{row['id']}]",
                        "id",
                        f"duplicate id (already stored from source {stored[row['id']]!r})",
                    )
                )
            if row["id"] in where[kind]:
                problems.append(
                    Problem(
                        f,
                        f"{kind}[{row['id']}]",
                        "id",
                        f"duplicate id (also in {where[kind][row['id']]})",
                    )
                )
            where[kind][row["id"]] = f
    seen_crit: dict[str, str] = {}
    for cr in bundle.criteria:
        if cr["id"] in seen_crit:
            problems.append(
                Problem(
                    cr["_file"],
                    f"calls[{cr['call_id']}]",
                    "criteria.id",
                    f"duplicate criterion id {cr['id']!r}",
                )
            )
        seen_crit[cr["id"]] = cr["_file"]

    def have(kind: str, rid: str) -> bool:
        return rid in where[kind] or rid in known.get(kind, {})

    def need(kind: str, row: dict, fld: str, rid: str | None, target: str) -> None:
        if rid is not None and not have(target, rid):
            f = src_file.get(row.get("source_id"), "?")
            problems.append(
                Problem(
                    f, f"{kind}[{row['id']}]", fld, f"refers to a missing {target[:-1]} {rid!r}"
                )
            )

    for o in bundle.rows["organisations"]:
        need("organisations", o, "parent", o["parent_id"], "organisations")
        if o["parent_id"] == o["id"]:
            problems.append(
                Problem(
                    src_file.get(o["source_id"], "?"),
                    f"organisations[{o['id']}]",
                    "parent",
                    "an organisation cannot be its own parent",
                )
            )
        for m in o["members"]:
            need("organisations", o, "members", m, "organisations")
        for s in o["services"]:
            need("organisations", o, "services", s, "services")
    for p in bundle.rows["programmes"]:
        need("programmes", p, "funder", p["funder_id"], "organisations")
    calls_by_id = {k["id"]: k for k in bundle.rows["calls"]}
    for k in bundle.rows["calls"]:
        need("calls", k, "issuer", k["issuer_id"], "organisations")
        need("calls", k, "programme", k["programme_id"], "programmes")
        for ct in k["contacts"]:
            need("calls", k, "contacts", ct, "contacts")
    for s in bundle.selected:
        k = calls_by_id[s["call_id"]]
        for o in s["organisations"]:
            need("calls", k, f"selected[{s['position']}].organisations", o, "organisations")
    for s in bundle.rows["services"]:
        need("services", s, "provider", s["provider_id"], "organisations")
    for e in bundle.rows["events"]:
        need("events", e, "organiser", e["organiser_id"], "organisations")
    for p in bundle.rows["contacts"]:
        need("contacts", p, "organisation", p["organisation_id"], "organisations")
        for t in p["responsible_for"]:
            if not (have("calls", t) or have("organisations", t) or have("programmes", t)):
                problems.append(
                    Problem(
                        src_file.get(p["source_id"], "?"),
                        f"contacts[{p['id']}]",
                        "responsible_for",
                        f"refers to a missing call, programme or organisation {t!r}",
                    )
                )


def load(
    paths: Iterable[str | Path], known: Mapping[str, Mapping[str, str]] | None = None
) -> Bundle:
    """Validate content files; raise ``ContentError`` listing every problem, else the rows."""
    problems: list[Problem] = []
    bundle = Bundle()
    files = content_paths(paths)
    if not files:
        raise ContentError([Problem("(none)", None, None, "no content files given or found")])
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), None, None, "file not found"))
            continue
        check_file(path, bundle, problems)
    if not problems:
        check_references(bundle, known or {}, problems)
    if problems:
        raise ContentError(problems)
    return bundle
