"""Cross-validation data: every language's lookup tables reach the folds."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bench.nlu import with_lookup_tables_merged

FILES = {
    "en/language.yml": ["English", "French"],
    "sv/language.yml": ["engelska", "franska"],
}


def test_same_named_tables_become_one_with_every_name(tmp_path: Path) -> None:
    data = tmp_path / "nlu"
    for relative, names in FILES.items():
        path = data / relative
        path.parent.mkdir(parents=True)
        lines = "\n".join(f"    - {name}" for name in names)
        path.write_text(
            'version: "3.1"\nnlu:\n- intent: change_language\n  examples: |\n'
            f'    - [{names[0]}]{{"entity": "language", "value": "en"}} please\n'
            f"- lookup: language\n  examples: |\n{lines}\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    out.mkdir()
    merged = load_data(str(with_lookup_tables_merged(data, out)))
    assert [table["name"] for table in merged.lookup_tables] == ["language"]
    assert sorted(merged.lookup_tables[0]["elements"]) == sorted(sum(FILES.values(), []))
    assert len(merged.intent_examples) == 2
