"""Shopper chat turns generated from templates over the catalogues' product types and brands.

The review, tweet and dialogue sources teach that "not", "no", "only", "cheaper", "less than"
and "another" carry dissatisfaction; in a shop they are mostly refinements ("not Dove", "only
Amul", "less than 150", "a different brand"). These templates give the model neutral requests
full of such words, next to complaints, sarcasm and praise in a shopper's voice. They were
written for this project: never taken from ``evalsets/``, and avoiding the example phrasings of
its README and of issue 12. Each template is one group, so the dev split holds out whole
templates.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
from collections.abc import Iterator
from pathlib import Path

from models.data.sentiment_text import LabelledText
from retrieval.loaders.myntra import brand_from_title

SOURCE = "shopper"
FILLS_PER_TEMPLATE = 12
SEED = 29

# {p}/{q}: product types, {b}/{c}: brands, {n}: a budget, {s}: a size, {k}: a colour.
NEUTRAL = (
    # brand filters and exclusions
    "only {b}", "just {b}", "just {b} please", "only {b} {p}", "{b} only", "show only {b}",
    "only {b} ones", "not {b}", "no {b}", "not {b} please", "no {b}, something else",
    "anything but {b}", "{p} but not {b}", "not {b}, show me {c}", "i don't want {b}",
    "i dont want {b} {p}", "don't show me {b}", "no {b} or {c}", "except {b}", "without {b}",
    "skip {b}", "not from {b}", "{p} not {b}", "a brand other than this", "another brand please",
    "other brands?", "some other brand", "different brand of {p}", "any other brand",
    "show me another {p}", "not this brand", "not these, show {c} instead",
    # price
    "cheaper ones pls", "cheaper ones", "something cheaper", "anything cheaper?", "cheapest {p}",
    "the cheapest one", "less than {n}", "under {n}", "below {n} rupees", "not more than {n}",
    "no more than {n}", "{p} under {n}", "{p} less than {n}", "budget is {n}", "max {n}",
    "my budget is only {n}", "not above {n}", "nothing over {n}", "a bit less expensive",
    "lower price please", "less costly options", "{b} {p} below {n}", "less than {n} only",
    "can't spend more than {n}", "i can't go above {n}", "{p} within {n}",
    # size and pack
    "bigger pack", "in a larger size", "a bigger pack of {p}", "smaller size", "smaller pack",
    "not so big", "less quantity", "size {s}", "in {s}", "do you have it in {s}?",
    "{p} {s}", "not {s}, {s2}", "a larger one", "no small packs", "family pack of {p}",
    # attributes and negated requests
    "{p} without sugar", "{p} with zero sugar", "sugar free {p}", "{p} free of palm oil",
    "{p} without paraben", "no added preservatives", "not spicy", "less oily {p}",
    "low fat {p}", "{p} that isn't {k}", "not in {k}", "no {k} please", "anything but {k}",
    "{p} for dry skin", "{p} for hair fall", "{p} against dandruff", "something to kill ants",
    "something that removes stains", "{p} that doesn't smell", "no plastic packaging",
    "plastic free please", "nothing with alcohol", "no chemicals", "not too sweet",
    # bare products and plain requests
    "{p}", "{b} {p}", "{p}?", "{k} {p}", "show me {p}", "do you have {p}", "i need {p}",
    "looking for {b} {p}", "{p} please", "got any {p}", "need {p} and {q}", "{p} and {q}",
    # references, cart, orders, dialogue
    "not that one, the second", "no, the first one", "the other one", "the last one",
    "take the second one out", "remove {b}", "scrap that", "never mind", "no thanks",
    "no, that's all", "delete the {p} from my cart", "take out the {b} one", "not now",
    "which is cheaper?", "which one is less expensive", "add the cheaper one",
    "don't add it yet", "no i meant {p}", "not {p}, {q}", "where is my order?",
    "i want to return the {p}", "my order hasn't arrived yet, can you check",
    "cancel my order", "can i talk to a person about delivery", "no problem", "hmm",
    "wait", "ok", "show more", "anything else?", "any other options", "more like this",
    # Hinglish requests
    "sasta {p} dikhao na", "{p} dikhao", "{b} wala nahi chahiye", "kam daam mein {p}",
    "bada pack chahiye", "aur sasta dikhao", "{n} se kam", "{b} ka {p} hai kya",
    "dusra brand dikhao", "sirf {b}", "{p} chahiye {n} ke andar", "chhota pack",
    # typos
    "chepaer {p}", "undr {n}", "onyl {b}", "nto {b}", "diffrent brand", "biger pack",
)  # fmt: skip
NEGATIVE = (
    "nope, nothing right here", "you are of no use", "i said not {b}, why are you still showing it",
    "i asked for {p}, not this", "why are you showing me {q}? i wanted {p}",
    "you keep ignoring my budget of {n}", "fantastic, you showed me the identical list",
    "great, more {q} i didn't ask for", "oh perfect, another useless list", "thanks for nothing",
    "seriously? again?", "this bot is terrible", "worst shopping assistant ever",
    "my order is late again, this is ridiculous", "the {p} i got was expired",
    "the {p} arrived broken", "still waiting for my refund, very disappointed",
    "i'm fed up with this", "way too expensive, all of them", "these prices are a joke",
    "nothing here is any good", "ugh, not again", "you're not helping at all",
    "let me talk to a real person, this is going nowhere", "this is so frustrating",
    "you never understand what i want", "what a waste of time", "terrible {b} quality",
    "the {b} {p} was awful", "i hate this", "stop showing me {b}, i told you twice",
    "brilliant, exactly what i didn't ask for", "love how you keep ignoring me",
    "yeah right, like that's under {n}", "nice job showing {q} when i asked for {p}",
    "oh great, {b} again", "wow, so helpful. not.", "amazing, wrong again",
    "kya bakwas hai", "bekar service", "bilkul galat dikha rahe ho",
    "delivery phir late, bahut bura",
    "ths is usless", "worst servce ever", "u r not helpfull", "horrible, the {p} leaked",
    "i was charged twice, fix this now", "your search is broken", "none of these make sense",
    "i'm really annoyed, the {p} smelled bad", "not happy with the {b} {p} at all",
)  # fmt: skip
POSITIVE = (
    "these are lovely", "perfect, thanks", "great, that {p} is exactly what i wanted",
    "awesome, many thanks", "you're really helpful", "nice, the {b} one looks great",
    "badhiya", "bahut accha, thanks", "mast hai", "super, thanks a lot", "these look lovely",
    "excellent, adding it", "wow great prices", "cheers, you helped a lot",
    "love the {k} one", "the {b} {p} i bought last time was amazing", "great service",
    "brilliant, found it quickly", "so easy, thanks!", "you're the best", "amazing deal on {p}",
    "that's perfect for me", "really happy with my order", "the {p} arrived early, great",
    "thnx a lot, very helpful", "gr8 options", "awesome {b} {p}", "very nice selection",
    "shukriya, bahut madad mili", "exactly what i needed, thanks", "love it!", "nice one",
)  # fmt: skip
SIZES = ("s", "m", "l", "xl", "500 g", "1 kg", "5 kg", "200 ml", "1 litre", "small", "large")
COLOURS = ("black", "white", "red", "blue", "green", "pink", "grey", "navy", "brown", "yellow")
BUDGETS = ("99", "150", "200", "250", "300", "500", "1000", "rs 400", "₹250", "2k")
_FIELD = re.compile(r"\{(\w+)\}")


def catalogue_vocabulary(data_dir: Path) -> tuple[list[str], list[str]]:
    """(product types, brands) of the BigBasket and Myntra catalogues, lower-cased."""
    types: set[str] = set()
    brands: set[str] = set()
    path = data_dir / "bigbasket-products" / "bigbasket_products.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            types |= {t.strip().lower() for t in re.split(r"[&,/]", row["type"]) if t.strip()}
            brands.add(row["brand"].strip().lower())
    path = data_dir / "myntra-fashion-styles" / "styles.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            title = row["productDisplayName"].strip()
            brands.add(brand_from_title(title).lower())
            last = title.split()[-1].lower() if title else ""
            if last.isalpha() and len(last) > 2:  # "Shirt", not a style code like "D415"
                types.add(last)
    return sorted(t for t in types if t), sorted(b for b in brands if b)


def fill(template: str, rng: random.Random, types: list[str], brands: list[str]) -> str:
    """The template with each field replaced by a random value of its kind."""
    values = {
        "p": rng.choice(types),
        "q": rng.choice(types),
        "b": rng.choice(brands),
        "c": rng.choice(brands),
        "n": rng.choice(BUDGETS),
        "s": rng.choice(SIZES),
        "s2": rng.choice(SIZES),
        "k": rng.choice(COLOURS),
    }
    return _FIELD.sub(lambda m: values[m.group(1)], template)


def read_turns(data_dir: Path) -> Iterator[LabelledText]:
    """Up to ``FILLS_PER_TEMPLATE`` distinct fillings of every template, seeded."""
    types, brands = catalogue_vocabulary(data_dir)
    rng = random.Random(SEED)
    for label, templates in (("neutral", NEUTRAL), ("negative", NEGATIVE), ("positive", POSITIVE)):
        for number, template in enumerate(templates):
            tries = FILLS_PER_TEMPLATE if _FIELD.search(template) else 1
            texts = {fill(template, rng, types, brands) for _ in range(tries)}
            for text in sorted(texts):
                yield LabelledText(text, label, SOURCE, f"{label}-{number}", "message")
