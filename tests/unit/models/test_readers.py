"""The readers on tiny files written in each source's real format."""

import csv
import gzip
import json
import random
from pathlib import Path

import pytest

from core.evaluation import read_pairs
from models.data import (
    airline_tweets,
    amazon_reviews,
    assistant_requests,
    clothing_reviews,
    home_depot,
    redial,
    shopper_chat,
)
from models.data.sentiment_corpus import split_corpus
from models.data.sentiment_text import LabelledText, sentences, star_label


def write_gz(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding=encoding, newline="") as f:
        f.write(text)


def test_home_depot_reads_latin1_and_splits_by_search_term(tmp_path):
    rows = [
        ["id", "product_uid", "product_title", "search_term", "relevance"],
        *[
            [str(i), str(100 + i), f"Caf\xe9 Lamp {i}", f"term {i % 20}", "2.33"]
            for i in range(200)
        ],
    ]
    text = "".join(",".join(f'"{v}"' for v in row) + "\n" for row in rows)
    write_gz(tmp_path / home_depot.FOLDER / "train.csv.gz", text, encoding="latin1")
    pairs = read_pairs(home_depot.train_file(tmp_path))
    assert len(pairs) == 200 and pairs[0].product_title == "Café Lamp 0"
    assert pairs[0].relevance == 2.33
    train, dev = home_depot.split_pairs(pairs, dev_fraction=0.25, seed=1)
    assert {p.search_term for p in train}.isdisjoint({p.search_term for p in dev})
    assert len({p.search_term for p in dev}) == 5
    assert home_depot.split_pairs(pairs, 0.25, 1) == (train, dev)  # seeded
    assert home_depot.split_pairs(pairs, 0.25, 2)[1] != dev


REVIEW = """<review>
<unique_id>
B0001:great:someone
</unique_id>
<rating>
{rating}
</rating>
<title>
{title}
</title>
<review_text>
It works &amp;amp; it is cheap. Would buy again!
ok
</review_text>
</review>
"""


def test_amazon_pseudo_xml_gives_title_and_sentences_with_star_labels(tmp_path):
    folder = tmp_path / amazon_reviews.FOLDER
    write_gz(folder / "kitchen_positive.review.gz", REVIEW.format(rating="5.0", title="Great pan"))
    write_gz(folder / "kitchen_negative.review.gz", REVIEW.format(rating="1.0", title="Junk"))
    texts = list(amazon_reviews.read_reviews(tmp_path))
    positive = [t for t in texts if t.label == "positive"]
    assert [(t.kind, t.text) for t in positive] == [
        ("title", "Great pan"),
        ("sentence", "It works & it is cheap."),
        ("sentence", "Would buy again!"),
    ]
    assert {t.label for t in texts} == {"positive", "negative"}
    assert len({t.group for t in texts}) == 2


def test_clothing_reviews_drop_three_stars(tmp_path):
    rows = [
        ["", "Clothing ID", "Age", "Title", "Review Text", "Rating", "Recommended IND"],
        ["0", "1", "30", "Love it", "So soft and comfy. Fits well.", "5", "1"],
        ["1", "2", "40", "", "Meh fabric, odd cut overall.", "3", "0"],
        ["2", "3", "50", "Returned", "The zipper broke on day one.", "1", "0"],
    ]
    path = tmp_path / clothing_reviews.FOLDER / "Womens Clothing E-Commerce Reviews.csv.gz"
    path.parent.mkdir(parents=True)
    with gzip.open(path, "wt", newline="") as f:
        csv.writer(f).writerows(rows)
    texts = list(clothing_reviews.read_reviews(tmp_path))
    assert {(t.text, t.label) for t in texts} == {
        ("Love it", "positive"),
        ("So soft and comfy.", "positive"),
        ("Returned", "negative"),
        ("The zipper broke on day one.", "negative"),
    }


def test_tweets_drop_leading_mentions_and_duplicates(tmp_path):
    text = (
        "tweet_id,airline_sentiment,negativereason,airline,text,tweet_created\n"
        "1,negative,Late Flight,United,@united @x late again &amp; again,2/24/2015 11:35\n"
        "1,negative,Late Flight,United,@united @x late again &amp; again,2/24/2015 11:35\n"
        "2,neutral,,Delta,@JetBlue what time is it,2/24/2015 11:35\n"
    )
    write_gz(tmp_path / airline_tweets.FOLDER / "Tweets.csv.gz", text)
    texts = list(airline_tweets.read_tweets(tmp_path))
    assert [(t.text, t.label) for t in texts] == [
        ("late again & again", "negative"),
        ("what time is it", "neutral"),
    ]


def test_redial_labels_user_turns_by_mean_rating_per_dialogue(tmp_path):
    text = (
        "USER\tHello!\t\t4,4,5,4\nSYSTEM\thi\t\t\nUSER\tnot that one again\t\t2,2,1,2\n"
        "\nUSER\tok\t\t3,3,3,3\n"
    )
    write_gz(tmp_path / redial.FOLDER / "ReDial.txt.gz", text)
    texts = list(redial.read_turns(tmp_path))
    assert [(t.text, t.label) for t in texts] == [
        ("Hello!", "positive"),
        ("not that one again", "negative"),
        ("ok", "neutral"),
    ]
    assert texts[0].group == texts[1].group != texts[2].group


def test_assistant_requests_are_neutral_in_scope_turns_grouped_by_intent(tmp_path):
    data = {
        "train": [
            ["book a table for two", "restaurant_reservation"],
            ["what is my  balance", "balance"],
        ],
        "val": [["reserve a table at 8", "restaurant_reservation"]],
        "oos_train": [["how old is the universe", "oos"]],
    }
    write_gz(tmp_path / assistant_requests.FOLDER / "data_full.json.gz", json.dumps(data))
    texts = list(assistant_requests.read_requests(tmp_path))
    assert [t.text for t in texts] == [
        "book a table for two",
        "what is my balance",
        "reserve a table at 8",
    ]
    assert {t.label for t in texts} == {"neutral"}
    assert texts[0].group == texts[2].group != texts[1].group


@pytest.mark.parametrize(
    ("stars", "label"), [(1, "negative"), (2, "negative"), (3, None), (5, "positive")]
)
def test_star_label(stars, label):
    assert star_label(stars) == label


def test_sentences_split_on_end_marks_and_bound_length():
    text = "Great. This fits me really well! Does it?\nNew line here too"
    assert list(sentences(text)) == ["This fits me really well!", "New line here too"]


def test_corpus_split_keeps_each_review_on_one_side():
    texts = [
        LabelledText(f"t{i}", "positive", source, f"g{i // 3}", "sentence")
        for source in ("amazon", "airline")
        for i in range(300)
    ]
    train, dev = split_corpus(texts, dev_fraction=0.1, seed=3)
    assert len(train) + len(dev) == len(texts)
    for source in ("amazon", "airline"):
        dev_groups = {t.group for t in dev if t.source == source}
        assert len(dev_groups) == 10
        assert not any(t.group in dev_groups for t in train if t.source == source)


def test_shopper_chat_fills_templates_from_both_catalogues(tmp_path):
    write_gz(
        tmp_path / "bigbasket-products" / "bigbasket_products.csv.gz",
        "index,product,category,sub_category,brand,sale_price,market_price,type,rating\n"
        "1,Rose Soap,Beauty,Bath,Dove ,20,20,Bathing Bars & Soaps,4\n",
    )
    write_gz(
        tmp_path / "myntra-fashion-styles" / "styles.csv.gz",
        "id,gender,masterCategory,subCategory,baseColour,season,usage,productDisplayName\n"
        "1,Men,Apparel,Topwear,Navy,Fall,Casual,Peter England Men Navy Shirt\n"
        "2,Men,Apparel,Topwear,Navy,Fall,Casual,Puma Men Cap D415\n",
    )
    types, brands = shopper_chat.catalogue_vocabulary(tmp_path)
    assert types == ["bathing bars", "shirt", "soaps"] and brands == [
        "dove",
        "peter england",
        "puma",
    ]
    assert shopper_chat.catalogue_products(tmp_path) == ["cap d415", "navy shirt", "rose soap"]
    texts = list(shopper_chat.read_turns(tmp_path))
    assert {t.label for t in texts} == {"negative", "neutral", "positive"}
    assert all("{" not in t.text and t.source == shopper_chat.SOURCE for t in texts)
    only = {t.text for t in texts if t.group == "neutral-0"}  # "only {b}"
    plain = {"only dove", "only peter england", "only puma"}
    assert only & plain
    # the same turns with a shopper's filler around them, or a typo
    assert any(t not in plain and any(p in t for p in plain) for t in only)


def test_a_typo_changes_one_word_by_one_letter_or_a_shorthand():
    rng = random.Random(4)
    for _ in range(50):
        text = "please show something cheaper"
        slipped = shopper_chat.typo(text, rng)
        changed = [(a, b) for a, b in zip(text.split(), slipped.split(), strict=True) if a != b]
        assert len(changed) == 1
        before, after = changed[0]
        assert abs(len(before) - len(after)) <= 1 or shopper_chat._SHORTHAND[before] == after
