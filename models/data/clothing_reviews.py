"""Women's E-Commerce Clothing Reviews (Kaggle): titles and review text with 1–5 stars."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path

from models.data.sentiment_text import LabelledText, review_texts, star_label

FOLDER = "womens-ecommerce-clothing-reviews"
SOURCE = "clothing"


def read_reviews(data_dir: Path) -> Iterator[LabelledText]:
    """Titles and sentences of every 1–2 or 4–5 star review, labelled from the stars."""
    path = data_dir / FOLDER / "Womens Clothing E-Commerce Reviews.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for index, row in enumerate(csv.DictReader(f)):
            label = star_label(float(row["Rating"]))
            if label is not None:
                yield from review_texts(
                    row["Title"], row["Review Text"], label, SOURCE, f"review-{index}"
                )
