"""The question bank's loader (errors name file, case and field), the real bank files (they load,
none of their questions is in the training data), and the runner's scoring with a fake bot."""

from pathlib import Path

import pytest

from bench import answers, report
from bench.answer_bank import (
    BankError,
    bank_files,
    fast_subset,
    load_bank,
    load_file,
    load_files,
)

GOOD = """
- id: en-004-deadline-1
  seed: 004_b849c5ac1eaad6ef.txt
  class: deadline
  tags: [no_accent]
  turns:
    - user: "When is the deadline for the Moroccan clusters call?"
      expect:
        language: en
        facts:
          - date: 2023-06-14
          - time: "15:00"
        any:
          - number: 13
        not:
          - date: 2018-04-30
- id: en-004-follow_up-1
  seed: 004_b849c5ac1eaad6ef.txt
  class: follow_up
  turns:
    - user: "Tell me about the Moroccan clusters call"
    - user: "and the deadline?"
      expect:
        language: en
        facts:
          - text: [June, juin]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _case(**overrides: str) -> str:
    fields = {
        "id": "en-004-deadline-1",
        "seed": "004_b849c5ac1eaad6ef.txt",
        "class": "deadline",
        "turns": '\n    - user: "when?"\n      expect:\n        facts:\n'
        "          - date: 2023-06-14",
    }
    fields.update(overrides)
    lines = [
        f"  {key}: {value}" if key != "id" else f"- id: {value}" for key, value in fields.items()
    ]
    return "\n".join(lines) + "\n"


def test_loads_cases_turns_and_facts(tmp_path):
    (case, follow_up) = load_file(_write(tmp_path, "en.yml", GOOD))
    assert case.id == "en-004-deadline-1" and case.lang == "en"
    assert case.question_class == "deadline" and case.tags == ("no_accent",)
    expect = case.turns[0].expect
    assert expect.language == "en"
    assert [str(f) for f in expect.facts] == ["date 2023-06-14", "time 15:00"]
    assert [str(f) for f in expect.any] == ["number 13"]
    assert [str(f) for f in expect.not_] == ["date 2018-04-30"]
    assert follow_up.turns[0].expect is None  # a set-up turn
    assert follow_up.questions == ["Tell me about the Moroccan clusters call", "and the deadline?"]


def test_empty_file_holds_no_case(tmp_path):
    assert load_file(_write(tmp_path, "fr.yml", "# nothing yet\n")) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_case(**{"class": "weather"}), "case en-004-deadline-1: field class: 'weather'"),
        (_case(tags="[shouting]"), "field tags"),
        (_case(id="en-4-deadline-1"), "field id"),
        (_case(id="fr-004-deadline-1"), "field id"),
        (_case(seed="manual.txt"), "field seed"),
        (_case(colour="red"), "field colour: unknown"),
        (_case(turns="[]"), "field turns"),
        (
            _case(turns='\n    - user: "when?"\n      expect:\n        language: en'),
            "field turns[1].expect: the last turn must check",
        ),
        (
            _case(
                turns='\n    - user: "when?"\n      expect:\n        language: de\n'
                "        facts:\n          - number: 3"
            ),
            "field turns[1].expect.language: 'de'",
        ),
        (
            _case(
                turns='\n    - user: "when?"\n      expect:\n        facts:\n'
                "          - colour: red"
            ),
            "field turns[1].expect.facts[1].colour: unknown fact kind",
        ),
        (
            _case(
                turns='\n    - user: "when?"\n      expect:\n        facts:\n'
                "          - time: 15:00"
            ),
            "field turns[1].expect.facts[1].time: not a time",
        ),
        (
            _case(
                turns='\n    - user: "when?"\n      expect:\n        any:\n'
                "          - date: 2023-06-14\n            number: 3"
            ),
            "field turns[1].expect.any[1]: must be one `kind: value` pair",
        ),
        (
            _case(turns='\n    - user: "when?"\n      expect:\n        facts: []'),
            "field turns[1].expect.facts: must be a non-empty list",
        ),
        (
            _case(turns='\n    - user: ""\n      expect:\n        facts:\n          - number: 3'),
            "field turns[1].user",
        ),
        (
            _case(
                turns='\n    - user: "when?"\n      expects:\n        facts:\n          - number: 3'
            ),
            "field turns[1].expects: unknown",
        ),
        (_case() + _case(), "case en-004-deadline-1: id used twice"),
        ("id: en-004-deadline-1\n", "must be a list of cases"),
        ("- [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_bank_names_file_case_and_field(tmp_path, text, message):
    path = _write(tmp_path, "en.yml", text)
    with pytest.raises(BankError) as error:
        load_file(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_file_name_must_be_a_language(tmp_path):
    with pytest.raises(BankError, match="language code"):
        load_file(_write(tmp_path, "english.yml", GOOD))


def test_ids_unique_across_files(tmp_path):
    first = _write(tmp_path, "en.yml", GOOD)
    other = tmp_path / "other"
    other.mkdir()
    second = _write(other, "en.yml", GOOD)
    with pytest.raises(BankError, match="id already used"):
        load_files([first, second])


def test_fast_subset_is_first_case_of_each_language_and_class(tmp_path):
    more = GOOD + GOOD.replace("deadline-1", "deadline-2").replace("follow_up-1", "follow_up-2")
    cases = load_file(_write(tmp_path, "en.yml", more))
    assert [c.id for c in fast_subset(cases)] == ["en-004-deadline-1", "en-004-follow_up-1"]


# --- the runner, with a fake bot ---------------------------------------------------------------


def test_run_scores_cases_and_lists_failures(tmp_path, monkeypatch):
    cases = load_file(_write(tmp_path, "en.yml", GOOD))
    replies = {
        "When is the deadline for the Moroccan clusters call?": "Closes on June 14, 2023 at 3 PM.",
        "Tell me about the Moroccan clusters call": "A call for clusters.",
        "and the deadline?": "I don't know.",
    }
    monkeypatch.setattr(
        answers, "send", lambda url, sender, text, timeout: [{"text": replies[text]}]
    )
    monkeypatch.setattr(answers, "language_slot", lambda url, sender, token: "en")
    result = answers.run("http://bot", "token", cases, concurrency=2)
    assert (result["correct"], result["total"]) == (0, 2)
    first = result["failures"][0]
    assert first["id"] == "en-004-deadline-1"
    assert first["turns"][0]["failed"] == ["any: none of number 13 found"]
    second = result["failures"][1]
    assert second["turns"][0]["turn"] == 2
    assert second["turns"][0]["failed"] == ["facts: text [June | juin] not found"]
    assert result["per_language"]["en"] == {"correct": 0, "total": 2, "accuracy": 0.0}
    assert result["per_tag"]["no_accent"]["total"] == 1
    assert result["per_language_class"]["en"]["follow_up"]["total"] == 1
    met = {(t["target"], t["scope"]): t["met"] for t in result["targets"]}
    assert met[("overall", "overall")] is False and met[("unknown_failures", "unknown")] is True
    text = report.render({"answers": {**result, "overlap": answers.overlap(cases)}})
    assert "## Answers (question bank)" in text and "I don't know." in text


def test_run_checks_language_and_not(tmp_path, monkeypatch):
    cases = load_file(_write(tmp_path, "en.yml", GOOD))[:1]
    reply = "14 juin 2023, 15 h, 13 jours ; pas le 30 avril 2018"
    monkeypatch.setattr(answers, "send", lambda url, sender, text, timeout: [{"text": reply}])
    monkeypatch.setattr(answers, "language_slot", lambda url, sender, token: "fr")
    (failure,) = answers.run("http://bot", "token", cases)["failures"]
    assert failure["turns"][0]["failed"] == [
        "language: fr instead of en",
        "not: date 2018-04-30 found",
    ]


def test_unreachable_bot_fails_the_case_not_the_run(tmp_path, monkeypatch):
    cases = load_file(_write(tmp_path, "en.yml", GOOD))

    def refuse(url, sender, text, timeout):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr(answers, "send", refuse)
    result = answers.run("http://bot", "token", cases)
    assert result["correct"] == 0 and len(result["failures"]) == 2
    assert result["failures"][1]["turns"][0]["failed"][0].startswith("error: ConnectionRefused")


def test_overlap_folds_and_strips_annotations(tmp_path):
    nlu = tmp_path / "nlu" / "en"
    nlu.mkdir(parents=True)
    _write(
        nlu,
        "language.yml",
        'version: "3.1"\nnlu:\n- intent: change_language\n  examples: |\n'
        '    - in [English]{"entity": "language", "value": "en"} please\n'
        "    - And the DEADLINE?\n",
    )
    held = tmp_path / "held"
    held.mkdir()
    _write(held, "en.yml", 'version: "3.1"\nnlu:\n- intent: x\n  examples: |\n    - unrelated\n')
    cases = load_file(_write(tmp_path, "en.yml", GOOD))
    out = answers.overlap(cases, nlu_dir=tmp_path / "nlu", held_out_dir=held)
    assert out["bank_messages"] == 3
    assert out["training"]["count"] == 1
    assert out["training"]["texts"][0]["text"] == "and the deadline?"
    assert out["held_out"]["count"] == 0
    assert "in english please" in answers.nlu_examples([nlu / "language.yml"])


# --- the real bank -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_bank():
    if not bank_files():
        pytest.skip("no question bank file in bench/data/answers/ yet")
    return load_bank()


def test_real_bank_loads(real_bank):
    assert real_bank
    assert {case.lang for case in real_bank} == {path.stem for path in bank_files()}


def test_no_bank_question_is_in_the_training_data(real_bank):
    found = answers.overlap(real_bank)["training"]
    texts = "\n".join(f"{t['case']}: {t['text']!r} in {t['found_in']}" for t in found["texts"])
    assert found["count"] == 0, f"bank questions in the training data:\n{texts}"
