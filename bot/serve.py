"""Start the Rasa server with its API token taken from the environment.

Rasa 3.6 reads the token only from ``--auth-token``, and a command line is visible to every
local user (``ps``). ``aisle up`` therefore runs ``python serve.py run …`` and this script
appends the token from ``AISLE_RASA_TOKEN`` inside the process, where ``ps`` does not see it.
"""

import os
import sys

from rasa.__main__ import main

if __name__ == "__main__":
    token = os.environ.get("AISLE_RASA_TOKEN")
    if not token:
        sys.exit("AISLE_RASA_TOKEN is not set: refusing to start Rasa's HTTP API without a token")
    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    main()
