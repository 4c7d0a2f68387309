"""bot/serve.py's shortcuts inside Rasa: the same answers as Rasa's own, without repeating
work on every turn (the response schema's check, the search for each event's class)."""

import pytest

from tests.helpers.rasa_env import needs_rasa_env, run_in_rasa_env

pytestmark = needs_rasa_env

SCRIPT = """
import json
from unittest import mock
from jsonschema import ValidationError
from jsonschema.validators import Draft202012Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events
from rasa.shared.core.events import Event
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

import rasa.shared.utils.common
serve.remember_event_classes()
walk = rasa.shared.utils.common.all_subclasses
with mock.patch.object(rasa.shared.utils.common, "all_subclasses", wraps=walk) as walked:
    parse = {"intent": {"name": "search_products"}, "entities": []}
    tracker = [
        {"event": "user", "text": "tea", "parse_data": parse},
        {"event": "action", "name": "action_listen"},
    ]
    classes = [type(e).__name__ for _ in range(3) for e in events.deserialise_events(tracker)]
    walks = sum(call.args[0] is Event for call in walked.call_args_list)
try:
    Event.resolve_by_type("no such event")
    unknown = ""
except ValueError as e:
    unknown = str(e)
print(json.dumps({"verdicts": verdicts, "checks": checks, "error": error, "classes": classes,
                  "walks": walks, "unknown": unknown}))
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


def test_each_event_class_is_searched_for_once(outcome: dict):
    assert outcome["classes"] == ["UserUttered", "ActionExecuted"] * 3
    assert outcome["walks"] == 2  # once for "user", once for "action"


def test_an_unknown_event_type_is_still_refused(outcome: dict):
    assert "Unknown event name 'no such event'" in outcome["unknown"]
