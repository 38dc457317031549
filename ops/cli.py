"""The ``hubguide`` program: every layer's command line under one name.

``hubguide kb …`` comes from ``knowledge.cli``, ``hubguide detect-language`` from
``bot.language.cli`` and ``hubguide staff …`` from ``staff.cli``. The commands are put
together here, above the layers, so that the knowledge layer never imports the bot.
"""

from __future__ import annotations

import argparse
import sys

import bot.language.cli as language_cli
import knowledge.cli as knowledge_cli
import staff.cli as staff_cli
from ops import retention


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hubguide", description="HubGuide staff tools (knowledge base, language detection)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    knowledge_cli.add_parser(sub)
    language_cli.add_parser(sub)
    retention.add_parser(sub)
    staff_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    return knowledge_cli.run(build_parser().parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
