"""``hubguide detect-language``: one ``CODE<TAB>CONFIDENCE`` line per input line."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.language import cli

ROOT = Path(__file__).resolve().parents[3]
HUBGUIDE = ROOT / ".venv" / "bin" / "hubguide"
LINES = ["hei", "merci", "vem kan söka", "شكرا", "123", "", "wer kann sich bewerben?"]
CODES = ["nb", "fr", "sv", "ar", "und", "und", "de"]


def _parse(output: str) -> list[tuple[str, float]]:
    rows = []
    for line in output.splitlines():
        code, confidence = line.split("\t")
        rows.append((code, float(confidence)))
    return rows


@pytest.mark.skipif(not HUBGUIDE.exists(), reason="console script not installed in .venv")
def test_console_script_reads_stdin_line_by_line() -> None:
    done = subprocess.run(
        [str(HUBGUIDE), "detect-language"],
        input="\n".join(LINES) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = _parse(done.stdout)
    assert [code for code, _ in rows] == CODES
    assert all(0.0 <= confidence <= 1.0 for _, confidence in rows)


def test_main_writes_one_line_per_input_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(LINES) + "\n"))
    assert cli.main([]) == 0
    assert [code for code, _ in _parse(capsys.readouterr().out)] == CODES


def test_reliable_column(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    text = "takk\nwhen is the deadline for the innovation call?\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert cli.main(["--reliable"]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [(row[0], row[2]) for row in lines] == [("nb", "-"), ("en", "reliable")]


def test_add_parser_registers_the_sub_command() -> None:
    parser = argparse.ArgumentParser(prog="hubguide")
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["detect-language"])
    out = io.StringIO()
    assert args.func(args, stdin=io.StringIO("tack så mycket\n"), stdout=out) == 0
    assert out.getvalue().startswith("sv\t")
