"""The ground layer: what every other package may import, and which imports none of them.

``settings`` is the one configuration object; ``database`` holds the SQL store's engine,
sessions and ORM base. See docs/architecture.md for the layers above it.
"""
