"""The shop's SQL store: carts, orders and returns, hand-off requests (SQLAlchemy 2)."""
