"""The gateway's HTTP API: routes and their typed dependencies."""
