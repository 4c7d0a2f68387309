"""The text a product is searched by, and the tokeniser of the lexical side."""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.schema import Product

_TOKEN = re.compile(r"[^\W_]+")


def product_text(product: Product) -> str:
    """What is embedded and indexed for a product: title, brand and category path."""
    return " | ".join(
        part for part in (product.title, product.brand, product.category_path) if part
    )


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens with a light plural folding ('shampoos' -> 'shampoo')."""
    return [_fold(token) for token in _TOKEN.findall(text.casefold())]


def _fold(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def stem(token: str) -> str:
    """A lighter-than-Porter stem on top of ``tokenize``'s plural folding: 'berries' -> 'berry',
    'tomatoes' -> 'tomato', 'brushes' -> 'brush'."""
    if len(token) > 4 and token.endswith("ie"):
        return token[:-2] + "y"
    if len(token) > 4 and token.endswith(("oe", "che", "she", "xe")):
        return token[:-1]
    return token


def words(text: str) -> list[str]:
    """Stemmed word tokens of ``text``."""
    return list(_words(text))


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    # The relevance floor reads the same titles and categories many times per search.
    return tuple(stem(token) for token in tokenize(text))
