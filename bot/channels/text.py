"""Message text for messaging apps: long answers split at a channel's limit without cutting a
sentence, and choices written out as numbered lines where a channel has no native buttons.

Pure functions, shared by the Telegram, Messenger and WhatsApp channels.
"""

from __future__ import annotations

import re

__all__ = ["choice_number", "numbered", "plain_text", "split_text"]

# A sentence ends at . ! ? … or the Arabic question mark/full stop, followed by a space; a line
# break always ends one.
_SENTENCE_END = re.compile(r"(?<=[.!?…؟۔])\s+|\n+")
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?:|mailto:|tel:)[^\s()]+)\)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _pieces(text: str) -> list[str]:
    """The text as sentences, each keeping the whitespace that followed it."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _cut_long(sentence: str, limit: int) -> list[str]:
    """A sentence longer than a whole message: cut between words (inside a word only when one
    word alone is longer than the limit)."""
    parts: list[str] = []
    rest = sentence.strip()
    while len(rest) > limit:
        cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in messages of at most ``limit`` characters, each ending at a sentence end
    (a sentence is only cut when it alone exceeds the limit)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    messages: list[str] = []
    current = ""
    for piece in _pieces(text):
        if len(current) + len(piece.rstrip()) <= limit:
            current += piece
            continue
        if current.strip():
            messages.append(current.strip())
        current = ""
        if len(piece.rstrip()) > limit:
            *whole, current = _cut_long(piece, limit)
            messages.extend(whole)
            current += " "
        else:
            current = piece
    if current.strip():
        messages.append(current.strip())
    return messages


def numbered(text: str, titles: list[str]) -> str:
    """The message followed by its choices as "1. …" lines (a reply "1" picks the first)."""
    lines = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
    return "\n".join([text.rstrip(), "", *lines]) if text.strip() else "\n".join(lines)


def choice_number(text: str | None, count: int) -> int | None:
    """The 0-based choice a reply such as "2", "2." or "٢" names, if it names one of ``count``."""
    if not text:
        return None
    candidate = text.strip().translate(_DIGITS).rstrip(".)")
    if not candidate.isdigit() or len(candidate) > 3:
        return None
    number = int(candidate)
    return number - 1 if 1 <= number <= count else None


def plain_text(text: str) -> str:
    """The bot's Markdown links as text a messaging app shows as it is: "label (address)", the
    address alone when it is the label; ``mailto:``/``tel:`` dropped (the apps link both)."""

    def link(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        shown = re.sub(r"^(mailto|tel):", "", target)
        return shown if shown == label else f"{label} ({shown})"

    return _LINK.sub(link, text)
