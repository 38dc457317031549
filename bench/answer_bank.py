"""Load and validate the question bank (bench/data/answers/<lang>.yml; format in its README).

The bank is written by people who never see the code, so a mistake in it (a misspelt class, an
unquoted time, a fact kind that does not exist) must stop the run with a message naming the
file, the case and the field, instead of turning into a silent pass or fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.answer_checks import check_value, describe
from bot.language.codes import SUPPORTED

BANK_DIR = Path(__file__).resolve().parent / "data" / "answers"
CLASSES = (
    "deadline",
    "eligibility",
    "funding",
    "how_to_apply",
    "contact",
    "services",
    "events",
    "find_hub",
    "list_calls",
    "location",
    "founded",
    "people",
    "members",
    "counts",
    "website",
    "names",
    "programme",
    "duration",
    "about",
    "unknown",
    "follow_up",
    "language_switch",
)
TAGS = ("typo", "no_accent", "informal")
CHECK_LISTS = ("facts", "any", "not")
CASE_KEYS = {"id", "seed", "class", "tags", "turns"}
TURN_KEYS = {"user", "expect"}
EXPECT_KEYS = {"language", *CHECK_LISTS}


class BankError(ValueError):
    """A bank file that does not follow bench/data/answers/README.md."""


@dataclass(frozen=True)
class Fact:
    """One `kind: value` item of a turn's `facts`, `any` or `not` list."""

    kind: str
    value: object

    def __str__(self) -> str:
        return describe(self.kind, self.value)


@dataclass(frozen=True)
class Expect:
    """What a reply must (facts, at least one of any) and must not (not) contain."""

    language: str | None = None
    facts: tuple[Fact, ...] = ()
    any: tuple[Fact, ...] = ()
    not_: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Turn:
    user: str
    expect: Expect | None = None  # None: a set-up turn, sent but not checked


@dataclass(frozen=True)
class Case:
    id: str
    lang: str  # the file's language (the bank's per-language figures count by it)
    seed: str
    question_class: str
    turns: tuple[Turn, ...]
    tags: tuple[str, ...] = ()
    path: Path = field(default=BANK_DIR, compare=False)

    @property
    def questions(self) -> list[str]:
        return [turn.user for turn in self.turns]


def bank_files(folder: Path = BANK_DIR) -> list[Path]:
    """The bank files present, in the order of the supported languages."""
    return [folder / f"{lang}.yml" for lang in SUPPORTED if (folder / f"{lang}.yml").is_file()]


def load_bank(folder: Path = BANK_DIR) -> list[Case]:
    """Every case of every bank file present; ids unique across files."""
    return load_files(bank_files(folder))


def load_files(paths: Iterable[Path]) -> list[Case]:
    cases: list[Case] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for case in load_file(path):
            if case.id in seen:
                raise BankError(f"{path}: case {case.id}: id already used in {seen[case.id]}")
            seen[case.id] = path
            cases.append(case)
    return cases


def load_file(path: Path) -> list[Case]:
    """The cases of one `<lang>.yml` file (an empty file holds no case)."""
    lang = path.stem
    if lang not in SUPPORTED:
        raise BankError(f"{path}: the file name must be a language code ({', '.join(SUPPORTED)})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise BankError(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise BankError(f"{path}: the file must be a list of cases")
    cases = [_case(path, lang, index, raw) for index, raw in enumerate(data, start=1)]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise BankError(f"{path}: case {case.id}: id used twice")
        seen.add(case.id)
    return cases


def _case(path: Path, lang: str, index: int, raw: object) -> Case:
    where = f"{path}: case #{index}"
    if not isinstance(raw, dict):
        raise BankError(f"{where}: must be a mapping with id, seed, class, turns")
    case_id = raw.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise BankError(f"{where}: field id: missing or not a text")
    where = f"{path}: case {case_id}"
    _no_unknown_keys(where, "", raw, CASE_KEYS)
    question_class = raw.get("class")
    if question_class not in CLASSES:
        raise BankError(
            f"{where}: field class: {question_class!r} is not one of {', '.join(CLASSES)}"
        )
    seed = raw.get("seed")
    if not isinstance(seed, str) or not re.fullmatch(r"\d{3}_\S+", seed):
        raise BankError(f"{where}: field seed: {seed!r} is not a seed file name (000_….txt)")
    pattern = rf"{lang}-{re.escape(seed[:3])}-{re.escape(question_class)}-\d+"
    if not re.fullmatch(pattern, case_id):
        raise BankError(
            f"{where}: field id: must read <lang>-<seed number>-<class>-<n> "
            f"({lang}-{seed[:3]}-{question_class}-N)"
        )
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or any(tag not in TAGS for tag in tags):
        raise BankError(f"{where}: field tags: {tags!r}: known tags are {', '.join(TAGS)}")
    turns_raw = raw.get("turns")
    if not isinstance(turns_raw, list) or not turns_raw:
        raise BankError(f"{where}: field turns: must be a non-empty list")
    turns = tuple(_turn(where, number, turn) for number, turn in enumerate(turns_raw, start=1))
    last = turns[-1].expect
    if last is None or not (last.facts or last.any or last.not_):
        raise BankError(
            f"{where}: field turns[{len(turns)}].expect: the last turn must check facts, any or not"
        )
    return Case(case_id, lang, seed, question_class, turns, tuple(tags), path)


def _no_unknown_keys(where: str, prefix: str, raw: dict, known: set[str]) -> None:
    unknown = sorted(set(map(str, raw)) - known)
    if unknown:
        raise BankError(
            f"{where}: field {prefix}{unknown[0]}: unknown (known: {', '.join(sorted(known))})"
        )


def _turn(where: str, number: int, raw: object) -> Turn:
    name = f"turns[{number}]"
    if not isinstance(raw, dict):
        raise BankError(f"{where}: field {name}: must be a mapping with user and expect")
    _no_unknown_keys(where, f"{name}.", raw, TURN_KEYS)
    user = raw.get("user")
    if not isinstance(user, str) or not user.strip():
        raise BankError(f"{where}: field {name}.user: missing or not a text")
    if "expect" not in raw:
        return Turn(user)
    return Turn(user, _expect(where, f"{name}.expect", raw["expect"]))


def _expect(where: str, name: str, raw: object) -> Expect:
    if not isinstance(raw, dict):
        raise BankError(f"{where}: field {name}: must be a mapping")
    _no_unknown_keys(where, f"{name}.", raw, EXPECT_KEYS)
    language = raw.get("language")
    if language is not None and language not in SUPPORTED:
        raise BankError(
            f"{where}: field {name}.language: {language!r} is not one of {', '.join(SUPPORTED)}"
        )
    lists = {key: _facts(where, f"{name}.{key}", raw[key]) for key in CHECK_LISTS if key in raw}
    return Expect(language, lists.get("facts", ()), lists.get("any", ()), lists.get("not", ()))


def _facts(where: str, name: str, raw: object) -> tuple[Fact, ...]:
    if not isinstance(raw, list) or not raw:
        raise BankError(f"{where}: field {name}: must be a non-empty list of `kind: value` items")
    facts = []
    for number, item in enumerate(raw, start=1):
        field_name = f"{name}[{number}]"
        if not isinstance(item, dict) or len(item) != 1:
            raise BankError(f"{where}: field {field_name}: must be one `kind: value` pair")
        ((kind, value),) = item.items()
        try:
            check_value(str(kind), value)
        except ValueError as error:
            raise BankError(f"{where}: field {field_name}.{kind}: {error}") from None
        facts.append(Fact(str(kind), value))
    return tuple(facts)


def fast_subset(cases: Sequence[Case]) -> list[Case]:
    """The first case of each (language, class) in file order: what `make test` runs."""
    chosen: dict[tuple[str, str], Case] = {}
    for case in cases:
        chosen.setdefault((case.lang, case.question_class), case)
    return list(chosen.values())
