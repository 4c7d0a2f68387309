import gzip
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from profiles.instacart import import_orders, order_times, read_orders, shopper_id
from profiles.store import ProfileStore
from retrieval.loaders import NotACatalogue
from tests.helpers.catalogues import product

LINES = (
    (
        "order_id,user_id,order_number,order_dow,order_hour_of_day,days_since_prior_order,"
        "product_id,add_to_cart_order,reordered\n"
    )
    + """11,1,1,2,8,,196,1,0
11,1,1,2,8,,12427,2,0
12,1,2,3,7,15.0,196,1,1
21,2,1,0,9,,196,1,0
"""
)
PRODUCTS = {
    "ic-196": product("ic-196", category=("beverages", "soft drinks")),
    "ic-12427": product("ic-12427", category=("snacks", "cookies cakes")),
}


@pytest.fixture()
def orders_file(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv.gz"
    path.write_bytes(gzip.compress(LINES.encode()))
    return path


def test_orders_are_grouped_by_user_in_order(orders_file: Path) -> None:
    orders = read_orders(orders_file)
    assert [o.order_id for o in orders["1"]] == ["11", "12"]
    assert orders["1"][0].product_ids == ["ic-196", "ic-12427"]
    assert orders["1"][1].days_since_prior == 15


def test_order_times_end_at_the_reference(orders_file: Path) -> None:
    reference = datetime(2024, 1, 31)
    first, last = order_times(read_orders(orders_file)["1"], reference)
    assert last == reference
    assert first == reference - timedelta(days=15)


def test_import_is_idempotent(orders_file: Path, profile_store: ProfileStore) -> None:
    orders = read_orders(orders_file)
    assert import_orders(profile_store, orders, PRODUCTS) == 4
    assert import_orders(profile_store, orders, PRODUCTS) == 0
    features = profile_store.features(shopper_id("1"))
    assert features.bought["ic-196"] > features.bought["ic-12427"]
    assert max(features.aisle, key=features.aisle.get) == "soft drinks"


def test_a_file_that_is_not_order_lines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("product_id,product_name\n1,Soda\n")
    with pytest.raises(NotACatalogue):
        read_orders(path)
