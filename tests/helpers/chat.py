"""Reading the bot's messages as the gateway returns them (Rasa's REST format)."""

from __future__ import annotations


def cards(messages: list[dict]) -> list[dict]:
    """The product cards shown, in order."""
    return [p for m in messages if m.get("custom") for p in m["custom"].get("products", [])]


def texts(messages: list[dict]) -> str:
    """Every text of the answer, joined."""
    return " ".join(m.get("text", "") for m in messages)


def buttons(messages: list[dict]) -> list[dict]:
    """The buttons offered, both plain and on product cards."""
    found = [b for m in messages for b in m.get("buttons", [])]
    return found + [b for m in messages if m.get("custom") for b in m["custom"]["buttons"]]


def assert_cheaper_of_the_same(first: list[dict], cheaper: list[dict], product: str) -> None:
    """The answer to "show me something cheaper" after ``first`` (cards of one brand) refined
    that search: cheaper products of the same brand, or honestly none cheaper of the same
    ``product``. Either shows the earlier search was remembered (it names neither)."""
    refined = cards(cheaper)
    if refined:
        assert {c["brand"] for c in refined} == {c["brand"] for c in first}
        assert max(c["price"] for c in refined) < min(c["price"] for c in first)
    else:
        assert f"cheapest {product}" in texts(cheaper), cheaper
