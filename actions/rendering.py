"""How products are shown: cards for the widget, numbered text for text-only channels.

Prices are formatted from the catalogue's numbers here, never written by a model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from retrieval.schema import Product, SearchHit

CURRENCY_SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£"}


NO_PRICE = "price not listed"


def format_price(amount: float | None, currency: str = "INR") -> str:
    """``₹1,250`` or ``₹99.50``: whole amounts without decimals. Some catalogues (Myntra,
    Instacart) carry no prices; those products say so rather than show a made-up amount."""
    if amount is None:
        return NO_PRICE
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{symbol}{text}"


def titled(product: Product) -> str:
    """The title, with the brand when the title lacks it ("Iodized (Tata Salt)")."""
    brand = product.brand.strip()
    if brand and brand.casefold() not in product.title.casefold():
        return f"{product.title} ({brand})"
    return product.title


def distinct_names(products: Sequence[Product]) -> list[str]:
    """A name for each product that tells same-titled ones apart: the title with its brand
    (:func:`titled`), then the pack size, then the price where names still collide."""
    names = [titled(p) for p in products]
    for extra in (lambda p: p.size, lambda p: format_price(p.price, p.currency)):
        counts = Counter(n.casefold() for n in names)
        names = [
            f"{n}, {extra(p)}" if counts[n.casefold()] > 1 and extra(p) else n
            for n, p in zip(names, products, strict=True)
        ]
    return names


def product_card(product: Product, reason: str = "") -> dict[str, Any]:
    """The JSON a widget renders for one product."""
    return {
        "id": product.id,
        "title": product.title,
        "brand": product.brand,
        "size": product.size,
        "price": product.price,
        "list_price": product.list_price,
        "list_price_text": (
            format_price(product.list_price, product.currency)
            if product.list_price is not None
            and product.price is not None
            and product.list_price > product.price
            else None
        ),
        "currency": product.currency,
        "price_text": format_price(product.price, product.currency),
        "rating": product.rating,
        "category": product.category_path,
        "image_url": product.image_url,
        "reason": reason,
    }


def text_line(position: int, product: Product) -> str:
    """One numbered line of a text-only product list."""
    parts = [f"{position}. {product.title}"]
    if product.brand:
        parts.append(product.brand)
    parts.append(format_price(product.price, product.currency))
    if product.rating is not None:
        parts.append(f"★{product.rating:.1f}")
    return " — ".join(parts)


def product_list_payload(
    hits: list[SearchHit], buttons: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """A ``custom`` payload: cards for rich channels, ``text`` for text-only ones.

    Next-step ``buttons`` travel inside the payload so that they show after the cards.
    """
    return {
        "type": "product_cards",
        "products": [product_card(hit.product, hit.reason) for hit in hits],
        "text": "\n".join(text_line(i, hit.product) for i, hit in enumerate(hits, start=1)),
        "buttons": buttons or [],
    }
