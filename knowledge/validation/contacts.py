"""Contacts: people and desks, with what they answer for."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.validation.bundle import Bundle
from knowledge.validation.checker import EMAIL_RE, Checker

FIELDS = {"id", "person", "role", "organisation", "phones", "email", "responsible_for", "evidence"}


def check(c: Checker, p: Mapping, rid: str, sid: str, pos: int, bundle: Bundle) -> None:
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
