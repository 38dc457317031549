"""The hand-off section's words: every state, queue part, author and action has its text in
each of the six catalogues, and every key its templates use exists."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.languages import SUPPORTED
from staff import i18n
from staff.handoff_views import labels

TEMPLATES = Path(i18n.__file__).with_name("templates")


def test_every_state_part_author_and_action_has_its_words_in_every_language():
    for lang in SUPPORTED:
        for group, words in labels(lang).items():
            for name, text in words.items():
                assert text and not text.startswith("handoff_"), (lang, group, name)


def test_every_key_the_hand_off_templates_use_exists():
    used = set()
    for path in TEMPLATES.glob("handoff*.html"):
        used |= set(re.findall(r"""\bt\(["']([a-z_]+)["']""", path.read_text(encoding="utf-8")))
    assert used and not used - set(i18n.catalogue("en"))
