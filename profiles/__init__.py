"""Shopper profiles: behaviour events in the SQL store, derived features, personal ranking."""
