"""The support console at ``/support``: server-rendered pages (Jinja2) for agents and admins."""
