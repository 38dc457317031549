"""Fingerprints of the code and data behind a component that Rasa cannot see.

Rasa retrains a component when its configuration or inputs change; the language detector's word
lists or the folding rules are neither, so their content is added to the fingerprint.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any


def files_fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def language_package_fingerprint() -> str:
    """Everything that decides a message's language or its folded words: bot/language and the
    shared folding and language list of knowledge/ (`knowledge.text`, `knowledge.languages`)."""
    package = Path(str(resources.files("bot.language")))
    shared = Path(str(resources.files("knowledge")))
    return files_fingerprint(
        *package.glob("*.py"),
        *(package / "lexicon").glob("*.txt"),
        shared / "text.py",
        shared / "languages.py",
    )


class LanguagePackageFingerprint:
    """Mixin for components whose output depends on bot/language (detector, folding)."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the detector, its word lists or the folding rules change."""
        return language_package_fingerprint()
