"""The scope and normaliser NLU components (issue 12), run in the Rasa environment: one Rasa
start-up for every case, each case's result returned as JSON."""

from __future__ import annotations

import pytest

from tests.helpers.rasa_env import needs_rasa_env, run_in_rasa_env

pytestmark = needs_rasa_env

SCRIPT = """
import json, tempfile
from pathlib import Path
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from components.normaliser import english_words
from retrieval.spelling import Speller
from components.scope import ShoppingScope
from components.vocabulary import unreadable_script

def ranked(*pairs):
    ranking = [{"name": n, "confidence": c} for n, c in pairs]
    return {"intent": ranking[0], "intent_ranking": ranking}

examples = [
    Message({"text": "what's the weather like", "intent": "out_of_scope"}),
    Message({"text": "show me tea", "intent": "search_products",
             "entities": [{"entity": "product", "value": "tea", "start": 8, "end": 11}]}),
]
lookups = [
    {"name": "product", "elements": ["sofa", "atta", "weather"]},
    {"name": "brand", "elements": ["Himalaya", "Gold"]},
]
data = TrainingData(examples, lookup_tables=lookups)
storage = LocalModelStorage(Path(tempfile.mkdtemp()))
resource = Resource("scope")
ShoppingScope.create({}, storage, resource, None).train(data)
scope = ShoppingScope.load({}, storage, resource, None)
texts = [
    "could you put the grey top in my basket please",  # curated shopping words
    "is the sofa nice",  # a catalogue word
    "what's the weather like",  # a catalogue word, but general requests use it too
    "मुझे सस्ता आटा चाहिए",  # Devanagari
    "something from himalaya",  # a brand
    "who won the gold medal",  # a brand that is a plain English word is no evidence
]
messages = []
for text in texts:
    m = Message({"text": text})
    parsed = ranked(("out_of_scope", 0.6), ("add_to_cart", 0.3), ("search_products", 0.1))
    m.set("intent", parsed["intent"])
    m.set("intent_ranking", parsed["intent_ranking"])
    messages.append(m)
scope.process(messages)
scoped = [(m.get("intent")["name"], round(m.get("intent")["confidence"], 3)) for m in messages]
small_talk = []
for text, intent in [("atta", "greet"), ("Atta please!", "thank"), ("hello", "greet"),
                     ("atta", "view_cart"), ("do you sell car tyres?", "out_of_scope"),
                     ("I want to buy a hoverboard", "out_of_scope"), ("atta", "inform"),
                     ("checkout", "checkout")]:
    m = Message({"text": text})
    confidence = 0.25 if intent == "inform" else 0.5
    parsed = ranked((intent, confidence), ("search_products", 0.2))
    m.set("intent", parsed["intent"])
    m.set("intent_ranking", parsed["intent_ranking"])
    scope.process([m])
    small_talk.append(m.get("intent")["name"])

normalise = Speller(frozenset({"shampoo", "under", "soap", "checkout", "patanjali"}),
                       english_words())
normalised = [normalise(t) for t in [
    "mujhe sasta atta chahiye", "shampo undr 250", "sabun 200 se kam dikhao",
    "what is the weather like", "Patanjli chekout", "zzzz qqq",
    "pehla wala cart mein daal do", "sirf patanjali wala", "soap wsh", "toor dal do kilo",
]]
scripts = [unreadable_script(t) for t in ["这个多少钱", "café crème", "mujhe atta", "42 !!"]]
print(json.dumps({"scoped": scoped, "normalised": normalised, "scripts": scripts,
                  "small_talk": small_talk}))
"""


@pytest.fixture(scope="module")
def results() -> dict:
    out, _ = run_in_rasa_env(SCRIPT)
    assert isinstance(out, dict)
    return out


def test_shopping_words_override_out_of_scope_with_renormalised_confidence(results):
    scoped = results["scoped"]
    assert scoped[0] == ["add_to_cart", 0.75]  # 0.3 / (0.3 + 0.1)
    assert scoped[1][0] == "add_to_cart"


def test_a_brand_counts_unless_it_is_a_plain_english_word(results):
    assert results["scoped"][4][0] == "add_to_cart"
    assert results["scoped"][5][0] == "out_of_scope"


def test_general_requests_stay_out_of_scope(results):
    # "weather" is in the lookup table but also in the out-of-scope training examples.
    assert results["scoped"][2] == ["out_of_scope", 0.6]


def test_a_non_latin_script_is_unreadable(results):
    assert results["scoped"][3] == ["unreadable_script", 1.0]
    assert results["scripts"] == [True, False, False, False]


def test_hinglish_budget_and_typos_become_catalogue_words(results):
    assert results["normalised"] == [
        "i cheap atta want",
        "shampoo under 250",
        "soap under 200 show",
        "what is the weather like",  # English words are never "corrected"
        "Patanjali checkout",
        "zzzz qqq",  # nothing close enough: left alone
        "first one add to cart",
        "only patanjali one",
        "soap wsh",  # three consonants are a typo, but nothing is close enough here
        "toor dal do kilo",  # "dal do" without a verb's ending stays a lentil
    ]


def test_a_bare_product_name_is_a_search_and_shopping_phrasing_is_in_scope(results):
    assert results["small_talk"] == [
        "search_products",
        "search_products",
        "greet",
        "view_cart",  # only small talk is overruled
        "search_products",
        "search_products",
        "search_products",  # unsure: the fallback would have answered
        "checkout",
    ]
