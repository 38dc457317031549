"""Proper names a message quotes, so that they do not decide its language.

"Næringshage Nord up in Troms, did it use to go by another name?" is English: the garden's and
the county's names are Norwegian, the person is not. The names are the knowledge base's own
(organisations, persons, places: `KnowledgeBase.proper_names`), matched as whole names in the
accent- and case-folded message; the words around them are what the detector judges.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from knowledge.text import fold

logger = logging.getLogger(__name__)

#: how often the running assistant looks for names staff added (seconds)
REFRESH_SECONDS = 30.0


class NameMask:
    """Finds the tokens of a message that belong to a known name (longest name first)."""

    def __init__(self, names: Iterable[str]) -> None:
        by_first: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for name in names:
            words = tuple(fold(name).split())
            if words:
                by_first[words[0]].add(words)
        self._by_first = {
            first: sorted(forms, key=len, reverse=True) for first, forms in by_first.items()
        }

    def __len__(self) -> int:
        return sum(len(forms) for forms in self._by_first.values())

    def flags(self, tokens: Sequence[str]) -> list[bool]:
        """For each token, whether it is part of a known name quoted in the message."""
        words: list[str] = []
        owner: list[int] = []  # token index of each folded word ("Innov'Eurometropolis": 2)
        for index, token in enumerate(tokens):
            for word in fold(token).split():
                words.append(word)
                owner.append(index)
        flagged = [False] * len(tokens)
        at = 0
        while at < len(words):
            length = next(
                (
                    len(form)
                    for form in self._by_first.get(words[at], ())
                    if tuple(words[at : at + len(form)]) == form
                ),
                0,
            )
            for position in range(at, at + length):
                flagged[owner[position]] = True
            at += max(length, 1)
        return flagged


class KnownNames:
    """The knowledge base's names as a `NameMask`, reloaded in the background every
    `refresh` seconds (staff may have added some); no mask (None) while the knowledge base
    cannot be read: detection then goes on without."""

    def __init__(self, refresh: float = REFRESH_SECONDS) -> None:
        self.refresh = refresh
        self._kb = None
        self._mask: NameMask | None = None
        self._loaded = float("-inf")
        self._lock = threading.Lock()

    def mask(self) -> NameMask | None:
        due = time.monotonic() - self._loaded >= self.refresh
        if due and self._lock.acquire(blocking=False):
            if self._mask is None:
                self._reload()  # the first message waits for the names (once, milliseconds)
            else:
                threading.Thread(target=self._reload, daemon=True).start()
        return self._mask

    def _reload(self) -> None:
        """Runs with the lock held; releases it."""
        try:
            if self._kb is None:
                from knowledge.query import KnowledgeBase

                # Read only: the schema is the knowledge tools' business (`hubguide kb migrate`).
                self._kb = KnowledgeBase(None, migrate_schema=False)
            self._mask = NameMask(self._kb.proper_names())
        except Exception as error:  # no database yet, or a schema being migrated
            logger.warning("Known names not loaded (%s); language detection goes on.", error)
        finally:
            self._loaded = time.monotonic()
            self._lock.release()


_known = KnownNames()


def known_names() -> NameMask | None:
    """The process-wide mask of the knowledge base's names (None when it cannot be read)."""
    return _known.mask()
