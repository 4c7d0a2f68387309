"""Rasa custom actions, served by rasa-sdk's action server."""
