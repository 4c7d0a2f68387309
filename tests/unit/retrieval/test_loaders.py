"""Loaders: products from good rows, (file, line, reason) for bad rows, non-catalogues refused."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from retrieval.loaders import (
    NotACatalogue,
    RowError,
    bigbasket,
    flipkart,
    instacart,
    myntra,
    resolve,
)
from tests.helpers.catalogues import HEADER, write_catalogue

GOOD = (
    "1,Garlic Oil - Capsule 500 mg,Beauty & Hygiene,Hair Care,Sri Sri Ayurveda ,220,220,"
    "Hair Oil & Serum,4.1\n"
)


def _write(path: Path, body: bytes | str) -> Path:
    path.write_bytes(body.encode() if isinstance(body, str) else body)
    return path


def test_bigbasket_row_becomes_product(tmp_path: Path) -> None:
    path = _write(tmp_path / "bb.csv", ",".join(HEADER) + "\n" + GOOD)
    [product] = list(bigbasket.load(path))
    assert product.id == "bb-1"
    assert product.brand == "Sri Sri Ayurveda"
    assert product.category == ("Beauty & Hygiene", "Hair Care", "Hair Oil & Serum")
    assert (product.price, product.list_price, product.currency, product.rating) == (
        220,
        220,
        "INR",
        4.1,
    )


def test_bad_rows_are_reported_with_line_and_reason_and_reading_goes_on(tmp_path: Path) -> None:
    body = (
        ",".join(HEADER).encode()
        + b"\n"
        + GOOD.encode()
        + b"2,Tea,Beverages,Tea,Tata,abc,10,Green Tea,\n"  # line 3: price not a number
        + b",Rice,Foodgrains,Rice,Tata,10,10,Rice,\n"  # line 4: no id
        + b"5,Caf\xe9 Latte,Beverages,Coffee,Nescafe,10,10,Coffee,\n"  # line 5: latin-1 byte
        + b'6,"Two\nline title",Beverages,Tea,Tata,-3,10,Tea,\n'  # line 6-7: negative price
        + b"1,Again,Beverages,Tea,Tata,10,10,Tea,\n"  # line 8: duplicate id
        + b"9,Short row,Beverages\n"  # line 9: too few fields
        + b"10,Coffee,Beverages,Coffee,Bru,99.5,120,Instant Coffee,6\n"  # line 10: rating > 5
        + b"11,Good Coffee,Beverages,Coffee,Bru,99.5,,Instant Coffee,\n"
    )
    rows = list(bigbasket.load(_write(tmp_path / "broken.csv", body)))
    errors = [r for r in rows if isinstance(r, RowError)]
    assert [p.id for p in rows if not isinstance(p, RowError)] == ["bb-1", "bb-11"]
    assert [(e.file, e.line) for e in errors] == [("broken.csv", n) for n in (3, 4, 5, 6, 8, 9, 10)]
    reasons = [e.reason for e in errors]
    assert "sale_price: not a number" in reasons[0]
    assert "missing product id" in reasons[1]
    assert "not valid utf-8" in reasons[2]
    assert "price" in reasons[3] and "greater than or equal to 0" in reasons[3]
    assert "duplicate id bb-1 (first on line 2)" in reasons[4]
    assert "3 fields where the header has 9" in reasons[5]
    assert "rating" in reasons[6]
    assert errors[0].product_id == "bb-2" and errors[1].product_id is None


@pytest.mark.parametrize(
    "name, body",
    [
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
        ("empty.csv", b""),
        ("other.csv", b"id,name,price\n1,Tea,10\n"),
        ("fake.csv.gz", b"not gzip at all"),
        ("utf16.csv", ",".join(HEADER).encode("utf-16") + b"\n"),
    ],
)
def test_a_file_that_is_not_a_catalogue_is_refused(tmp_path: Path, name: str, body: bytes) -> None:
    with pytest.raises(NotACatalogue):
        list(bigbasket.load(_write(tmp_path / name, body)))


def test_resolve_recognises_builtin_name_and_format(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert resolve("bigbasket", data).path == data / bigbasket.DEFAULT_FILE
    gz = tmp_path / "slice.csv.gz"
    gz.write_bytes(gzip.compress(write_catalogue(tmp_path / "slice.csv", 5).read_bytes()))
    source = resolve(str(gz), data)
    assert source.kind == "bigbasket"
    assert len(list(source.rows())) == 5
    with pytest.raises(NotACatalogue, match="mapping"):
        resolve(str(_write(tmp_path / "x.csv", "sku,name\n1,a\n")), data)
    with pytest.raises(NotACatalogue, match="no such file"):
        resolve(str(tmp_path / "missing.csv"), data)


def test_myntra_row_with_brand_from_display_name(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "styles.csv",
        "id,gender,masterCategory,subCategory,baseColour,season,usage,productDisplayName\n"
        "39386,Men,Apparel,Bottomwear,Blue,Summer,Casual,Peter England Men Party Blue Jeans\n"
        "1,Women,Accessories,Jewellery,Silver,,NA,Fabindia Silver Pendant\n",
    )
    jeans, pendant = myntra.load(path)
    assert (jeans.id, jeans.brand, jeans.category, jeans.colour, jeans.gender, jeans.price) == (
        "myntra-39386",
        "Peter England",
        ("Apparel", "Bottomwear"),
        "Blue",
        "Men",
        None,
    )
    assert jeans.attributes == {"season": "Summer", "usage": "Casual"}
    assert (pendant.brand, pendant.attributes) == ("", {"usage": "NA"})


def test_flipkart_parsers() -> None:
    specs = (
        '{"product_specification"=>[{"key"=>"Color", "value"=>"Red"}, {"value"=>"no key"}, '
        '{"key"=>"Ideal For", "value"=>"Men, Women"}]}'
    )
    assert flipkart.specifications(specs) == {"Color": "Red", "Ideal For": "Men, Women"}
    assert flipkart.specifications("garbage") == {}
    assert flipkart.category_path('["Watches >> Wrist Watches >> Titan Analog Watch Fo..."]') == (
        "Watches",
        "Wrist Watches",
    )
    assert [flipkart.audience(v) for v in ("Men, Women", "Baby Girl's", "Boys, Girls", "")] == [
        "Unisex",
        "Girls",
        "",
        "",
    ]


def test_instacart_joins_aisles_and_departments(tmp_path: Path) -> None:
    _write(tmp_path / "aisles.csv", "aisle_id,aisle\n61,cookies cakes\n")
    _write(tmp_path / "departments.csv", "department_id,department\n19,snacks\n")
    path = _write(
        tmp_path / "products.csv",
        "product_id,product_name,aisle_id,department_id\n"
        "1,Chocolate Sandwich Cookies,61,19\n2,Lost,99,19\n",
    )
    cookies, lost = instacart.load(path)
    assert (cookies.id, cookies.category, cookies.price) == (
        "ic-1",
        ("snacks", "cookies cakes"),
        None,
    )
    assert isinstance(lost, RowError) and "unknown aisle '99'" in lost.reason
