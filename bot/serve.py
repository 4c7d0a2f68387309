"""Start the Rasa server with its API token taken from the environment.

Rasa 3.6 reads the token only from ``--auth-token``, and a command line is visible to every
local user (``ps``). ``aisle up`` therefore runs ``python serve.py run …`` and this script
appends the token from ``AISLE_RASA_TOKEN`` inside the process, where ``ps`` does not see it.

It also spares Rasa two lookups it repeats on every turn: the check of the custom-action
response schema (:func:`validate_action_responses_once`) and the search for each stored
event's class (:func:`remember_event_classes`).
"""

import os
import sys
from typing import Any

from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event


def validate_action_responses_once() -> None:
    """Check each action server response against a validator built once.

    Rasa calls ``jsonschema.validate`` on every custom-action response, which first checks the
    response *schema* against the JSON-Schema meta-schema: a sixth of a Rasa process's CPU per
    turn (docs/scaling.md). The schema is a constant, so it is checked here once; a response
    that fails goes through Rasa's own check, which raises with Rasa's message.
    """
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    rasa_check = RemoteAction._validate_action_result

    def validate(action: RemoteAction, result: dict[str, Any]) -> bool:
        return validator.is_valid(result) or rasa_check(action, result)

    RemoteAction._validate_action_result = validate  # type: ignore[method-assign]


def remember_event_classes() -> None:
    """Remember the class of each event type once Rasa has found it.

    Loading a tracker from the SQL store turns every event of the conversation back into an
    object, and Rasa finds each one's class by walking every ``Event`` subclass
    (``all_subclasses``, which checks each for abstract methods): about 6% of a Rasa process's
    CPU per turn (docs/scaling.md). A type name's class never changes once the classes are
    imported; names Rasa does not find still go through Rasa's lookup each time.
    """
    rasa_lookup = Event.resolve_by_type
    found: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        if type_name in found:
            return found[type_name]
        cls = rasa_lookup(type_name, default)
        if cls is not None and cls.type_name == type_name:
            found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]


if __name__ == "__main__":
    token = os.environ.get("AISLE_RASA_TOKEN")
    if not token:
        sys.exit("AISLE_RASA_TOKEN is not set: refusing to start Rasa's HTTP API without a token")
    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    validate_action_responses_once()
    remember_event_classes()
    main()
