"""The catalogue benchmark's figures on a fresh generated store."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from core.settings import Settings
from retrieval.loaders import bigbasket
from retrieval.schema import Product
from retrieval.speed_and_recall import bench_catalogue, sample_queries
from tests.helpers.catalogues import write_catalogue


def test_bench_measures_a_fresh_store(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings()
    source = settings.data_dir / bigbasket.DEFAULT_FILE
    source.parent.mkdir(parents=True)
    write_catalogue(source.with_suffix(""), 120)
    source.write_bytes(gzip.compress(source.with_suffix("").read_bytes()))
    figures = bench_catalogue(
        "bigbasket",
        settings,
        tmp_path / "bench",
        queries=20,
        ef_values=[10, 100],
        log=lambda _: None,
    )
    assert figures["products"] == 120 and figures["ingest_products_per_s"] > 0
    for side in ("hybrid", "hybrid_filtered"):
        assert 0 < figures[side]["p50_ms"] <= figures[side]["p95_ms"]
    assert figures["hnsw_recall@50"]["100"]["unfiltered"] >= 0.98
    assert not settings.chroma_dir.exists()  # the live store is untouched


def test_sample_queries_are_distinct_and_satisfied_by_their_product() -> None:
    products = [
        Product(
            id=f"p{i}",
            title=f"Organic Basmati Rice {i} kg",
            price=10.0 * i,
            category=("Food", "Rice"),
        )
        for i in range(1, 30)
    ]
    pairs = sample_queries(products, 10)
    assert len({q for q, _ in pairs}) == len(pairs) == 10
    assert all(f.category == "Rice" and f.max_price is not None for _, f in pairs)
