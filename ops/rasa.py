"""`rasa`, as HubGuide runs it: Rasa 3.6.21 with its action-response check compiled once.

Rasa validates every reply of the action server with `jsonschema.validate`, which re-checks the
schema itself against the JSON-Schema meta-schema each time: about 20 ms per custom action on
this machine, more than the rest of a HubGuide turn. Here the same schema is checked once and its
validator reused; the validation, and the error it raises, are unchanged. Used by ops/stack.py
(`make run`, tests) and the benchmarks: `python -m ops.rasa run …` takes `rasa`'s arguments.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` with the compiled validator."""
    error = jsonschema.exceptions.best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        "the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def apply() -> None:
    RemoteAction._validate_action_result = validate_action_result


if __name__ == "__main__":
    apply()
    from ops import rasa_metrics  # messages, intents, fallbacks: HUBGUIDE_RASA_METRICS_PORT

    rasa_metrics.apply()
    from rasa.__main__ import main

    main()
