"""Rasa custom actions, served by rasa-sdk's action server."""

import warnings

# rasa-sdk 3.21 talks to the Rasa 3.6 server correctly (checked by the integration tests) but
# warns on every request that the versions differ.
warnings.filterwarnings("ignore", message="Your versions of rasa and rasa_sdk might not be")
