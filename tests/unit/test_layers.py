"""The layers' imports point one way: `actions` and `bot` may import `knowledge`; `knowledge`
imports neither (it is the lowest layer, usable by staff tools without the bot)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "path", sorted((ROOT / "knowledge").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_knowledge_imports_neither_bot_nor_actions(path: Path) -> None:
    assert not imported_packages(path) & {"bot", "actions", "webchat", "ops", "bench"}


def test_one_folding_and_one_language_list() -> None:
    definitions = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "fold":
                definitions.append(("fold", path.relative_to(ROOT)))
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                if names & {"SUPPORTED", "LANGS"} and isinstance(node.value, ast.Tuple):
                    definitions.append(("languages", path.relative_to(ROOT)))
    assert sorted(definitions) == [
        ("fold", Path("knowledge/text.py")),
        ("languages", Path("knowledge/languages.py")),
    ]
