"""The journeys' own wording catalogue: `actions/journeys/messages/<lang>.yml`, the same format
as `actions/messages/` (flat keys, `{placeholders}`, CLDR plural forms)."""

from __future__ import annotations

from pathlib import Path

from actions.catalogue import Catalogue

MESSAGES_DIR = Path(__file__).with_name("messages")
CATALOGUE = Catalogue(MESSAGES_DIR)
messages = CATALOGUE.messages
has = CATALOGUE.has
say = CATALOGUE.say
