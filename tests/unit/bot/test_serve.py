"""bot/serve.py's check of custom-action responses: the same verdicts as Rasa's, with the
response schema checked once instead of on every response."""

import pytest

from tests.helpers.rasa_env import needs_rasa_env, run_in_rasa_env

pytestmark = needs_rasa_env

SCRIPT = """
import json
from unittest import mock
from jsonschema import ValidationError
from jsonschema.validators import Draft202012Validator
from rasa.core.actions.action import RemoteAction
import serve

serve.validate_action_responses_once()
action = RemoteAction("action_search", None)
valid = {
    "events": [{"event": "slot", "name": "product", "value": "tea", "timestamp": None}],
    "responses": [{"text": "Here you go", "custom": {"products": [{"id": "bb-1"}]}}],
}
checked = Draft202012Validator.check_schema
with mock.patch.object(Draft202012Validator, "check_schema", wraps=checked) as check:
    verdicts = [action._validate_action_result(valid) for _ in range(3)]
    checks = check.call_count
try:
    action._validate_action_result({"events": [{"name": "no event type"}], "responses": "x"})
    error = ""
except ValidationError as e:
    error = e.message
print(json.dumps({"verdicts": verdicts, "checks": checks, "error": error}))
"""


@pytest.fixture(scope="module")
def outcome() -> dict:
    out, _ = run_in_rasa_env(SCRIPT)
    assert isinstance(out, dict)
    return out


def test_valid_responses_pass_without_checking_the_schema_again(outcome: dict):
    assert outcome["verdicts"] == [True, True, True]
    assert outcome["checks"] == 0


def test_an_invalid_response_still_raises_rasas_error(outcome: dict):
    assert "Failed to validate Action server response" in outcome["error"]
