"""Shopper profiles: behaviour events in the SQL store, derived features, personal ranking."""

from profiles.personalize import personalize, personalized_search

__all__ = ["personalize", "personalized_search"]
