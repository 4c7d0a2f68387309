"""The generic loader: a store's own CSV or JSON-lines file, described by a TOML mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from core.settings import REPO_ROOT, Settings
from retrieval.ingest import ingest
from retrieval.loaders import NotACatalogue, RowError, resolve
from retrieval.loaders.mapped import Mapping
from retrieval.search import get_searcher

EXAMPLE = REPO_ROOT / "retrieval" / "mappings" / "example-store.toml"
ROWS = [
    {
        "SKU": "A1",
        "Name": "Linen Shirt",
        "Price": "€49.90",
        "RRP": "59",
        "Brand": "Oak",
        "Path": "Men / Shirts",
        "Colour": "White",
        "Size": "M",
        "Audience": "Men",
        "Stars": "4.5",
        "Image": "https://shop.example/a1.jpg",
        "Material": "Linen",
        "Fit": "",
        "Description": "Airy",
    },
    {
        "SKU": "A2",
        "Name": "Wool Scarf",
        "Price": "1,200.5",
        "RRP": "",
        "Brand": "Fjord",
        "Path": "Women / Accessories",
        "Colour": "Red",
        "Size": "",
        "Audience": "Women",
        "Stars": "",
        "Image": "",
        "Material": "Wool",
        "Fit": "",
        "Description": "",
    },
    {
        "SKU": "A3",
        "Name": "Mystery",
        "Price": "",
        "RRP": "",
        "Brand": "",
        "Path": "",
        "Colour": "",
        "Size": "",
        "Audience": "",
        "Stars": "",
        "Image": "",
        "Material": "",
        "Fit": "",
        "Description": "",
    },
]


def _csv(path: Path) -> Path:
    header = list(ROWS[0])
    lines = [",".join(header)] + [",".join(f'"{r[h]}"' for h in header) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_example_mapping_reads_a_csv(tmp_path: Path) -> None:
    source = resolve(str(_csv(tmp_path / "shop.csv")), tmp_path, EXAMPLE)
    first, second, error = list(source.rows())
    assert first.model_dump() == {
        "id": "shop-A1",
        "title": "Linen Shirt",
        "description": "Airy",
        "brand": "Oak",
        "category": ("Men", "Shirts"),
        "price": 49.9,
        "list_price": 59.0,
        "currency": "EUR",
        "colour": "White",
        "size": "M",
        "gender": "Men",
        "rating": 4.5,
        "image_url": "https://shop.example/a1.jpg",
        "attributes": {"material": "Linen"},
    }
    assert (second.price, second.list_price, second.rating) == (1200.5, None, None)
    assert isinstance(error, RowError) and (error.line, error.reason) == (4, "price: missing price")


def test_jsonl_with_list_of_category_columns(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'id_prefix = "j-"\n[columns]\nid = "id"\ntitle = "title"\nprice = "price"\n'
        'category = ["dept", "aisle"]\n'
    )
    data = tmp_path / "p.jsonl"
    records = [
        {"id": 1, "title": "Oat Milk", "price": 3, "dept": "Dairy", "aisle": "Milk"},
        {"id": 2, "title": "Rye Bread", "price": "x", "dept": "Bakery", "aisle": "Bread"},
    ]
    data.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n")
    report = ingest(str(data), settings=make_settings(), mapping=mapping)
    assert (report.added, [str(e) for e in report.errors]) == (
        1,
        [
            "p.jsonl:2: price: not a number: 'x'",
            "p.jsonl:3: invalid JSON (Expecting value: line 1 column 1 (char 0))",
        ],
    )
    [hit] = get_searcher(make_settings()).search("oat milk", k=1)
    assert hit.product.category == ("Dairy", "Milk")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[columns]\ntitle = 'name'\n", "columns.id: Field required"),
        ("[columns]\nid = 'sku'\ntitle = 'name'\ncolor = 'c'\n", "Extra inputs"),
        ("id = = 1", "cannot read the mapping"),
    ],
)
def test_bad_mapping_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(NotACatalogue, match=problem):
        Mapping.from_file(path)


def test_file_not_matching_the_mapping_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("sku,name\nA1,Shirt\n")
    with pytest.raises(NotACatalogue, match="missing column"):
        list(resolve(str(other), tmp_path, EXAMPLE).rows())
