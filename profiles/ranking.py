"""Personal re-ranking: the upstream relevance order combined linearly with profile features.

The features of a candidate are its upstream position (as ``-log(rank)``, so the fine-tuned
ranker's or the retrieval's order counts wherever it came from), how often the shopper bought
it, their affinity for its brand, top category and aisle, how well its price fits their band,
and whether they turned it (or one of its attributes) down. The weights were fitted on Instacart
users (``aisle profiles tune``, docs/personalization.md); a tuned file in the models folder
overrides the defaults here. The largest personal contribution becomes the card's reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from core.settings import Settings
from profiles.features import ShopperFeatures
from retrieval.schema import Product, SearchHit

WEIGHTS_FILE = "personalization.json"
MIN_REASON = 0.3  # a personal contribution smaller than this does not replace the search reason


class RankingWeights(BaseModel):
    """One weight per feature; see the module docstring for the features."""

    # relevance, bought, category and aisle: fitted by `aisle profiles tune` on the Instacart
    # train users (docs/personalization.md) and copied, rounded; Instacart has no brands,
    # prices or rejections, so those three are set by hand.
    relevance: float = 1.0
    bought: float = 200.0
    brand: float = 2.0
    category: float = -14.0
    aisle: float = -3.9
    price: float = 0.5
    disliked: float = -6.0

    @classmethod
    def path(cls, settings: Settings) -> Path:
        return settings.models_dir / WEIGHTS_FILE

    @classmethod
    def load(cls, settings: Settings) -> RankingWeights:
        """The tuned weights when ``aisle profiles tune`` wrote them, else the defaults."""
        path = cls.path(settings)
        return cls.model_validate_json(path.read_text()) if path.is_file() else cls()

    def save(self, settings: Settings) -> Path:
        path = self.path(settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.model_dump(), indent=2) + "\n")
        return path


FEATURES = tuple(RankingWeights.model_fields)


def _levels(product: Product) -> tuple[str, str]:
    path = product.category
    return (path[0].casefold(), path[-1].casefold()) if path else ("", "")


def feature_values(rank: int, product: Product, profile: ShopperFeatures) -> dict[str, float]:
    """The features of ``product`` at 1-based upstream ``rank`` for this shopper."""
    category, aisle = _levels(product)
    disliked = product.id in profile.disliked_products or bool(
        profile.dislikes({"brand": product.brand, "colour": product.colour, "category": category})
    )
    return {
        "relevance": -math.log(rank),
        "bought": math.log1p(profile.bought.get(product.id, 0.0)),
        "brand": profile.brand.get(product.brand.casefold(), 0.0) if product.brand else 0.0,
        "category": profile.category.get(category, 0.0),
        "aisle": profile.aisle.get(aisle, 0.0),
        "price": profile.price_fit(product.price),
        "disliked": float(disliked),
    }


def _reason(contributions: dict[str, float], product: Product, times_bought: float) -> str | None:
    name, value = max(
        ((n, v) for n, v in contributions.items() if n not in ("relevance", "disliked")),
        key=lambda item: item[1],
    )
    if value < MIN_REASON:
        return None
    category, aisle = product.category[:1], product.category[-1:]
    return {
        "bought": "you buy this often" if times_bought >= 3 else "you bought this before",
        "brand": f"you often buy {product.brand}",
        "category": f"you often shop {category[0] if category else 'here'}",
        "aisle": f"you often buy {aisle[0].lower() if aisle else 'these'}",
        "price": "in your usual price range",
    }[name]


def rank_for_shopper(
    hits: Sequence[SearchHit], profile: ShopperFeatures, weights: RankingWeights
) -> list[SearchHit]:
    """``hits`` (best first) re-ordered for the shopper, each with its score and reason."""
    if profile.is_empty:
        return list(hits)
    scored = []
    for rank, hit in enumerate(hits, start=1):
        values = feature_values(rank, hit.product, profile)
        contributions = {name: getattr(weights, name) * x for name, x in values.items()}
        reason = _reason(contributions, hit.product, profile.bought.get(hit.product.id, 0.0))
        scored.append(
            hit.model_copy(
                update={"score": sum(contributions.values()), "reason": reason or hit.reason}
            )
        )
    return sorted(scored, key=lambda hit: -hit.score)
