"""The proper names the knowledge base knows: what a message may quote without writing in that
name's language ("Næringshage Nord", "Innov'Eurometropolis", "Västerbotten", "Jean D'Amour")."""

from __future__ import annotations

from sqlalchemy import select

from knowledge.models import Contact, Organisation
from knowledge.query.base import QueryBase
from knowledge.query.name_forms import original


class ProperNameQueries(QueryBase):
    def proper_names(self) -> list[str]:
        """Organisations' original names, aliases, short and former names; persons' names;
        places' names. Not translated names ("Regional innovation hubs"): those are words of
        the language they are written in."""
        names: list[str] = []
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    Organisation.name,
                    Organisation.aliases,
                    Organisation.short_name,
                    Organisation.former_names,
                )
            )
            for name, aliases, short, former in rows:
                names += [original(name), *(aliases or []), short or "", *(former or [])]
            names += [p for (p,) in conn.execute(select(Contact.person)) if p]
        tree = self.place_tree()
        for place_id in tree.places:
            names += tree.all_names(place_id)
        return [name for name in names if name]
