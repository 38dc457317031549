"""The workspace's wording in the six languages: one catalogue per language
(``staff/messages/<lang>.yml``), and the validation messages of ``knowledge.validation``
translated by matching their English templates (the CLI keeps printing the English ones)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from knowledge.languages import SUPPORTED

MESSAGES = Path(__file__).with_name("messages")
DEFAULT = "en"
#: the script direction of each language, for the page's dir attribute
RTL = frozenset({"ar"})


@cache
def catalogue(lang: str) -> dict:
    """``messages/<lang>.yml``, with the catalogues of added sections
    (``messages/<section>/<lang>.yml``, e.g. the analytics view's) merged in."""
    merged = yaml.safe_load((MESSAGES / f"{lang}.yml").read_text(encoding="utf-8"))
    for extra in sorted(MESSAGES.glob(f"*/{lang}.yml")):
        added = yaml.safe_load(extra.read_text(encoding="utf-8")) or {}
        # a section's own validation messages join the main ones
        merged["validation"] = {**merged.get("validation", {}), **added.pop("validation", {})}
        merged.update(added)
    return merged


def text(lang: str, key: str, **params: object) -> str:
    """The message ``key`` in ``lang`` (English when the language lacks it)."""
    lang = lang if lang in SUPPORTED else DEFAULT
    template = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return template.format(**params) if params else template


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)" for n, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.S)


@cache
def _validation(lang: str) -> list[tuple[re.Pattern, str]]:
    entries = catalogue(lang).get("validation") or {}
    return [(_pattern(english), translated) for english, translated in entries.items()]


def problem(lang: str, message: str) -> str:
    """A validation message in ``lang``: the catalogue's translation of its English template,
    with the template's values (ids, names, numbers) filled in; else the English message."""
    if lang not in SUPPORTED or lang == DEFAULT:
        return message
    # a problem of another record comes as "file: record: field: message": keep the prefix
    starts = [0] + [n + 2 for n in range(len(message)) if message.startswith(": ", n)]
    for start in starts:
        for pattern, translated in _validation(lang):
            found = pattern.match(message[start:])
            if found:
                for name, value in found.groupdict().items():
                    translated = translated.replace(f"{{{name}}}", value)
                return message[:start] + translated
    return message


def language_names() -> dict[str, str]:
    """Each language's name in itself (the language menu)."""
    return {code: catalogue(code)["language_name"] for code in SUPPORTED}
