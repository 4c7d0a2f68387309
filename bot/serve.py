"""Start the Rasa server with its API token taken from the environment.

Rasa 3.6 reads the token only from ``--auth-token``, and a command line is visible to every
local user (``ps``). ``aisle up`` therefore runs ``python serve.py run …`` and this script
appends the token from ``AISLE_RASA_TOKEN`` inside the process, where ``ps`` does not see it.

It also makes Rasa check custom-action responses with one prepared validator
(:func:`validate_action_responses_once`).
"""

import os
import sys
from typing import Any

from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction


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


if __name__ == "__main__":
    token = os.environ.get("AISLE_RASA_TOKEN")
    if not token:
        sys.exit("AISLE_RASA_TOKEN is not set: refusing to start Rasa's HTTP API without a token")
    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    validate_action_responses_once()
    main()
