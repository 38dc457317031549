"""The validated rows of one import, keyed by table, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field

#: record sections of a content file, in the order they are written
KINDS = ("organisations", "programmes", "calls", "services", "events", "contacts")


@dataclass
class Bundle:
    """Validated rows of one or more files, keyed by table."""

    sources: list[dict] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=lambda: {k: [] for k in KINDS})
    criteria: list[dict] = field(default_factory=list)
    selected: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # source id -> file name
    #: what an import's keep-staff-edits rule decided (``knowledge/origins.py``)
    kept: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    def ids(self, kind: str) -> set[str]:
        return {r["id"] for r in self.rows[kind]}

    def add_roles(self, record_kind: str, record_id: str, roles: list[dict], file: str) -> None:
        """Role rows of one record (``roles:`` of an organisation or programme)."""
        for position, role in enumerate(roles):
            self.roles.append(
                {
                    "record_kind": record_kind,
                    "record_id": record_id,
                    "position": position,
                    "role": role["role"],
                    "holder_id": role["holder"],
                    "holder_text": role["text"],
                    "_file": file,
                }
            )
