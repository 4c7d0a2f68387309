"""Aisle: a conversational shopping assistant."""
