from profiles.features import ShopperFeatures
from profiles.ranking import RankingWeights, rank_for_shopper
from retrieval.schema import SearchHit
from tests.helpers.catalogues import product


def hits(*products) -> list[SearchHit]:
    return [SearchHit(product=p, score=1.0, reason="matches your words") for p in products]


MILK = product("milk", brand="Amul", category=("Dairy", "Milk"))
OAT = product("oat", brand="Oatly", category=("Dairy", "Milk"))
SOY = product("soy", brand="Sofit", category=("Dairy", "Milk"))


def test_anonymous_shopper_keeps_the_search_order_and_reasons() -> None:
    found = hits(MILK, OAT)
    assert rank_for_shopper(found, ShopperFeatures.empty(), RankingWeights()) == found


def test_bought_before_moves_up_and_says_why() -> None:
    profile = ShopperFeatures(bought={"soy": 3.0}, aisle={"milk": 1.0})
    ranked = rank_for_shopper(hits(MILK, OAT, SOY), profile, RankingWeights())
    assert ranked[0].product.id == "soy"
    assert ranked[0].reason == "you buy this often"


def test_brand_affinity_is_the_reason_when_it_dominates() -> None:
    profile = ShopperFeatures(brand={"oatly": 0.9, "amul": 0.1})
    ranked = rank_for_shopper(hits(MILK, OAT), profile, RankingWeights())
    assert [h.product.id for h in ranked] == ["oat", "milk"]
    assert ranked[0].reason == "you often buy Oatly"
    assert ranked[1].reason == "matches your words"  # too small to explain


def test_disliked_products_and_attributes_sink() -> None:
    profile = ShopperFeatures(
        disliked_products=frozenset({"milk"}),
        disliked_attributes={"brand": frozenset({"oatly"})},
    )
    ranked = rank_for_shopper(hits(MILK, OAT, SOY), profile, RankingWeights())
    assert ranked[0].product.id == "soy"


def test_weights_round_trip_through_the_models_folder(profile_settings) -> None:
    assert RankingWeights.load(profile_settings) == RankingWeights()
    RankingWeights(bought=9.0).save(profile_settings)
    assert RankingWeights.load(profile_settings).bought == 9.0
