"""The knowledge base as the assistant sees it: lookups by name, by place, by status, by id.

``KnowledgeBase`` is the only thing the actions use from ``knowledge``. It is put together from
one mixin per record kind (``organisations``, ``programmes``, ``calls``, ``contacts``,
``events``, ``places``, ``roles``), the proper names it knows (``proper_names``, for language
detection) and the ranking of a record's sentences (``passages``), on top of ``base`` (engine,
revision, caches, name lookups). Every view carries its source citation; every user-facing
text is resolved to the asked language where a translation exists (else the original, marked
with its language).
"""

from __future__ import annotations

from knowledge.query.base import DEFAULT_KINDS
from knowledge.query.calls import STATUSES, CallQueries
from knowledge.query.contacts import ContactQueries
from knowledge.query.events import EventQueries
from knowledge.query.name_forms import country_names
from knowledge.query.organisations import NON_HUB_KINDS
from knowledge.query.passages import Passage, PassageQueries
from knowledge.query.programmes import ProgrammeQueries
from knowledge.query.proper_names import ProperNameQueries
from knowledge.views import (
    CallView,
    ContactView,
    EventView,
    Match,
    OrganisationView,
    ProgrammeView,
    SourceView,
    Text,
)


class KnowledgeBase(
    CallQueries, ProgrammeQueries, ContactQueries, EventQueries, ProperNameQueries, PassageQueries
):
    """Read access to the knowledge base, with a fuzzy name index cached per revision."""


__all__ = [
    "DEFAULT_KINDS",
    "NON_HUB_KINDS",
    "STATUSES",
    "CallView",
    "ContactView",
    "EventView",
    "KnowledgeBase",
    "Match",
    "OrganisationView",
    "Passage",
    "ProgrammeView",
    "SourceView",
    "Text",
    "country_names",
]
