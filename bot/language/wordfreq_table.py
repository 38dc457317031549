"""How common a word is in each Latin-script language the detector weighs: a compact table.

The frequencies are wordfreq's (the PyPI package's own word lists: Wikipedia, subtitles, news,
books, web text), read once from the installed package and kept as one sorted string of words
with a byte of Zipf frequency per language (Zipf = log10 of occurrences per billion words; 0 =
not in the list or rarer than ``MIN_ZIPF``). About 1 M words in some 30 MiB instead of the
hundreds of MiB of wordfreq's own dictionaries; a look-up is a binary search (a few µs).

Word frequencies are what n-gram models lack on one- and two-word texts: "antal" and "kommun" are
everyday Swedish and rare Norwegian, "disse" and "hvordan" the reverse, although their letters
look alike to a character model.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from array import array
from functools import lru_cache
from pathlib import Path

__all__ = ["COLUMNS", "MIN_ZIPF", "FrequencyTable", "get_table"]

#: languages of the table, in the order of each word's bytes: the Latin-script ones the detector
#: weighs, less Afrikaans (not in wordfreq); Danish and Icelandic are wordfreq's small lists
COLUMNS = ("en", "fr", "nb", "nl", "sv", "da", "de", "es", "it", "pt", "fi", "is", "pl", "tr")
#: words rarer than this in a language (≈ 3 per 100 M words) count as absent from it
MIN_ZIPF = 1.5


class FrequencyTable:
    """word -> Zipf frequency per language of ``COLUMNS`` (0.0 where the word is not listed)."""

    def __init__(self, blob: str, offsets: array, values: bytes) -> None:
        self._blob, self._offsets, self._values = blob, offsets, values
        self._n = len(offsets) - 1
        self.zipf = lru_cache(maxsize=1 << 16)(self._zipf)

    @classmethod
    def from_entries(cls, entries: dict[str, bytearray]) -> FrequencyTable:
        words = sorted(entries)
        offsets = array("I", [0])
        position = 0
        values = bytearray()
        for word in words:
            position += len(word)
            offsets.append(position)
            values += entries[word]
        return cls("".join(words), offsets, bytes(values))

    def save(self, path: Path) -> None:
        """Write the table to ``path`` atomically (a cache: rebuilt when missing or unreadable)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = self._blob.encode("utf-8")
        header = f"{len(blob)} {len(self._offsets)} {len(self._values)}\n".encode()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header)
                fh.write(blob)
                fh.write(self._offsets.tobytes())
                fh.write(self._values)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: Path) -> FrequencyTable:
        data = path.read_bytes()
        newline = data.index(b"\n")
        n_blob, n_offsets, n_values = (int(x) for x in data[:newline].split())
        at = newline + 1
        blob = data[at : at + n_blob].decode("utf-8")
        at += n_blob
        offsets = array("I")
        offsets.frombytes(data[at : at + n_offsets * offsets.itemsize])
        at += n_offsets * offsets.itemsize
        values = data[at : at + n_values]
        if len(offsets) != n_offsets or len(values) != n_values or offsets[-1] != len(blob):
            raise ValueError(f"{path}: truncated word-frequency table")
        return cls(blob, offsets, values)

    def __len__(self) -> int:
        return self._n

    def _find(self, word: str) -> int:
        blob, offsets = self._blob, self._offsets
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offsets[mid] : offsets[mid + 1]] < word:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._n and blob[offsets[lo] : offsets[lo + 1]] == word:
            return lo
        return -1

    def _zipf(self, word: str) -> tuple[float, ...] | None:
        """Zipf frequency of ``word`` (lower-case) in each language, None when in no list."""
        index = self._find(word)
        if index < 0:
            return None
        row = self._values[index * len(COLUMNS) : (index + 1) * len(COLUMNS)]
        return tuple(value / 10.0 for value in row)

    @classmethod
    def from_wordfreq(cls) -> FrequencyTable:
        import wordfreq

        entries: dict[str, bytearray] = {}
        threshold = 10.0 ** (MIN_ZIPF - 9.0)
        for position, code in enumerate(COLUMNS):
            frequencies = wordfreq.get_frequency_dict(code, "best")
            for word, frequency in frequencies.items():
                if frequency < threshold or not word.isalpha():
                    continue
                row = entries.get(word)
                if row is None:
                    row = entries[word] = bytearray(len(COLUMNS))
                zipf = 9.0 + _log10(frequency)
                row[position] = min(255, max(1, round(zipf * 10.0)))
            del frequencies
        return cls.from_entries(entries)


def _log10(value: float) -> float:
    import math

    return math.log10(value)


_table: FrequencyTable | None = None
_lock = threading.Lock()


def cache_path() -> Path:
    """Where the built table is kept between processes: keyed by wordfreq's version and the
    table's settings, in ``$HUBGUIDE_CACHE_DIR`` or the user's cache folder."""
    from importlib.metadata import version

    key = hashlib.sha256(f"{version('wordfreq')} {COLUMNS} {MIN_ZIPF} 1".encode()).hexdigest()[:16]
    root = os.environ.get("HUBGUIDE_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    folder = Path(root) if root else Path.home() / ".cache"
    if not os.environ.get("HUBGUIDE_CACHE_DIR"):
        folder = folder / "hubguide"
    return folder / f"wordfreq-{key}.bin"


def get_table() -> FrequencyTable:
    """The process-wide table: read from the cache file (milliseconds) or built from wordfreq's
    lists on first use (a few seconds) and then cached."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                path = cache_path()
                try:
                    _table = FrequencyTable.load(path)
                except (OSError, ValueError):
                    _table = FrequencyTable.from_wordfreq()
                    _clear_wordfreq_cache()
                    try:
                        _table.save(path)
                    except OSError:
                        pass  # a read-only home: build again next time
    return _table


def _clear_wordfreq_cache() -> None:
    """wordfreq memoises the dictionaries it read: drop them, the table has what it needs."""
    try:
        import wordfreq

        for name in ("get_frequency_dict", "get_frequency_list", "read_cBpack"):
            cache_clear = getattr(getattr(wordfreq, name, None), "cache_clear", None)
            if cache_clear is not None:
                cache_clear()
    except Exception:  # noqa: BLE001 - only memory is at stake
        pass
