"""Every shared catalogue reads cleanly through its loader (no embedding: this checks the data)."""

from __future__ import annotations

import pytest

from core.settings import Settings
from retrieval.ingest import read_source
from retrieval.loaders import resolve

pytestmark = pytest.mark.integration

# name: (valid products, skipped rows and why)
EXPECTED = {
    "bigbasket": (
        27554,
        ["bigbasket_products.csv.gz:14366: title: String should have at least 1 character"],
    ),
    "myntra": (44446, []),
    "flipkart": (
        1049,
        ["flipkart_com-ecommerce_sample_1050.csv.gz:4: discounted_price: missing price"],
    ),
    "instacart": (49688, []),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_catalogue_reads_cleanly(name: str) -> None:
    settings = Settings(_env_file=None)
    source = resolve(name, settings.data_dir)
    if not source.path.exists():
        pytest.skip(f"{source.path} is not here (set AISLE_DATA_DIR)")
    products, errors = read_source(source)
    assert (len(products), [str(e) for e in errors]) == EXPECTED[name]
    assert len({p.id for p in products}) == len(products)
    if name in ("bigbasket", "flipkart"):
        assert all(p.price is not None and p.currency == "INR" for p in products)
    if name == "myntra":
        assert sum(bool(p.brand) for p in products) > 0.9 * len(products)
        assert {p.gender for p in products} == {"Men", "Women", "Unisex", "Boys", "Girls"}
