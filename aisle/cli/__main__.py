"""``python -m aisle.cli`` runs the same CLI as ``aisle``."""

from aisle.cli import app

app()
