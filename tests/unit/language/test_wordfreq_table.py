"""The compact word-frequency table: look-ups, the cache file, and wordfreq's own figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.language import wordfreq_table
from bot.language.wordfreq_table import COLUMNS, FrequencyTable, get_table


def _row(**zipf: float) -> bytearray:
    row = bytearray(len(COLUMNS))
    for code, value in zipf.items():
        row[COLUMNS.index(code)] = round(value * 10)
    return row


def test_look_up_and_round_trip(tmp_path: Path) -> None:
    table = FrequencyTable.from_entries(
        {"ikke": _row(nb=7.1, da=7.1, sv=3.4), "inte": _row(sv=7.2), "är": _row(sv=7.0)}
    )
    assert len(table) == 3
    assert table.zipf("inte")[COLUMNS.index("sv")] == pytest.approx(7.2)
    assert table.zipf("ikke")[COLUMNS.index("nb")] == pytest.approx(7.1)
    assert table.zipf("ikk") is None and table.zipf("zzz") is None and table.zipf("") is None
    path = tmp_path / "table.bin"
    table.save(path)
    again = FrequencyTable.load(path)
    assert len(again) == 3 and again.zipf("är") == table.zipf("är")


def test_a_truncated_cache_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    FrequencyTable.from_entries({"hej": _row(sv=6.0), "hei": _row(nb=6.0)}).save(path)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(ValueError):
        FrequencyTable.load(path)


def test_the_cache_folder_can_be_chosen(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HUBGUIDE_CACHE_DIR", str(tmp_path))
    assert wordfreq_table.cache_path().parent == tmp_path


def test_the_shared_table_knows_the_nordic_function_words() -> None:
    table = get_table()
    nb, sv = COLUMNS.index("nb"), COLUMNS.index("sv")
    assert table.zipf("ikke")[nb] > table.zipf("ikke")[sv] + 2
    assert table.zipf("inte")[sv] > table.zipf("inte")[nb] + 2
    assert table.zipf("hvordan")[nb] > 5 and table.zipf("hur")[sv] > 5
