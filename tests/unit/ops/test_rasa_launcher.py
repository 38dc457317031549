"""The compiled action-response check accepts and rejects exactly what Rasa's own check does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from ops.rasa import validate_action_result

GOOD = {
    "events": [{"event": "slot", "name": "language", "value": "fr"}],
    "responses": [{"text": "x"}],
}
BAD = {"events": [{"event": "slot", "name": 3}], "responses": "not a list"}


def test_a_valid_response_passes() -> None:
    action = RemoteAction("action_answer_deadline", None)
    assert validate_action_result(action, GOOD) is True
    jsonschema.validate(GOOD, RemoteAction.action_response_format_spec())  # Rasa agrees


def test_an_invalid_response_raises_like_rasa() -> None:
    action = RemoteAction("action_answer_deadline", None)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        validate_action_result(action, BAD)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(BAD, RemoteAction.action_response_format_spec())
