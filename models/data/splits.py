"""Seeded train/dev splits by group (search term, review, dialogue), never by row."""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable
from typing import TypeVar

Group = TypeVar("Group", bound=Hashable)


def dev_groups(groups: Iterable[Group], dev_fraction: float, seed: int) -> set[Group]:
    """Pick a seeded ``dev_fraction`` of the distinct groups for the dev split."""
    distinct = sorted(set(groups), key=str)
    random.Random(seed).shuffle(distinct)
    return set(distinct[: round(len(distinct) * dev_fraction)])
