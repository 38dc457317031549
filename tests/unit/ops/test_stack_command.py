"""The Rasa server's command line as ops/stack.py builds it, read by Rasa's own parser."""

from __future__ import annotations

import argparse
from pathlib import Path

from rasa.cli import run as rasa_run

from ops.stack import Stack


def parsed(stack: Stack) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    rasa_run.add_subparser(parser.add_subparsers(), parents=[])
    command = stack.rasa_server().command
    return parser.parse_args(command[command.index("run") :])


def test_a_token_that_starts_with_a_dash_stays_the_token(tmp_path: Path) -> None:
    stack = Stack(
        model=tmp_path / "m.tar.gz", log_dir=tmp_path, token="-Zt9_x", ports={"web": 8080}
    )
    args = parsed(stack)
    assert args.auth_token == "-Zt9_x"
    assert args.interface == "127.0.0.1"  # loopback unless HUBGUIDE_BIND says otherwise
    assert args.cors == ["http://localhost:8080", "http://127.0.0.1:8080"]
