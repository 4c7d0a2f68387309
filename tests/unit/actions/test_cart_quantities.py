"""Quantities in cart messages: how many to add, or the total to set."""

import pytest

from actions.cart import quantity_in, total_in


@pytest.mark.parametrize(
    ("text", "added", "total"),
    [
        ("add it", 1, None),
        ("add 3 of the third one", 3, None),
        ("two packs of the first one", 2, None),
        ("make it 2", 1, 2),
        ("change it to three", 1, 3),
        ("add the first two", 1, None),
    ],
)
def test_quantities(text: str, added: int, total: int | None) -> None:
    assert quantity_in(text) == added and total_in(text) == total
