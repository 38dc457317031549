"""The workspace's navigation, and the seam where another view plugs in.

A later package (for instance an analytics view of what entrepreneurs could not get answered)
adds its pages with ``add_section(app, Section(...), routes)``: its entry appears in the
navigation for the roles given, and its handlers get ``request["user"]`` and the same session,
CSRF and role checks as every other page (the middlewares of ``staff.app``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aiohttp import web

from staff.accounts import ROLES


@dataclass(frozen=True)
class Section:
    """One navigation entry: ``label`` is a catalogue key, ``path`` relative to /staff/."""

    label: str
    path: str
    roles: tuple[str, ...] = ROLES


SECTIONS_KEY = web.AppKey("staff_sections", list)

BUILT_IN = [
    Section("nav_records", ""),
    Section("nav_try", "try"),
    Section("nav_changes", "changes"),
    Section("nav_users", "users", ("admin",)),
]


def add_section(app: web.Application, section: Section, routes: Iterable[web.RouteDef]) -> None:
    """Register a view's routes (paths below /staff/) and its entry in the navigation."""
    app.add_routes(list(routes))
    app[SECTIONS_KEY].append(section)


def visible(app: web.Application | Mapping, role: str) -> list[Section]:
    return [s for s in app[SECTIONS_KEY] if role in s.roles]
