"""``hubguide detect-language``: the bot's detector on the command line.

Reads one message per line on stdin and prints ``CODE<TAB>CONFIDENCE`` per line: the ISO 639-1
code (also for languages the bot does not speak), or ``und`` when the line carries no language.
``--reliable`` adds a third column, ``reliable`` or ``-`` (would it switch a conversation?).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

COMMAND = "detect-language"


def _configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--reliable",
        action="store_true",
        help="add a third column: 'reliable' when the message could switch a conversation",
    )
    parser.set_defaults(func=run)
    return parser


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``detect-language`` sub-command on the ``hubguide`` parser."""
    parser = subparsers.add_parser(
        COMMAND,
        help="language of each line on stdin (CODE<TAB>CONFIDENCE)",
        description=__doc__.splitlines()[0],
    )
    return _configure(parser)


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Detect every line of ``stdin``; one output line per input line, in order."""
    from bot.language.detector import get_detector

    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    detector = get_detector()
    for line in stdin:
        detection = detector.detect(line.rstrip("\r\n"))
        fields = [detection.code, f"{detection.confidence:.4f}"]
        if getattr(args, "reliable", False):
            fields.append("reliable" if detection.reliable else "-")
        stdout.write("\t".join(fields) + "\n")
        stdout.flush()  # one answer per line, also when used interactively or through a pipe
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m bot.language.cli [--reliable]``."""
    parser = _configure(argparse.ArgumentParser(prog=f"hubguide {COMMAND}"))
    args = parser.parse_args(argv)
    try:
        return run(args)
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
