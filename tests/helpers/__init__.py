"""Helpers shared by the tests (conftest files hold only fixtures)."""
