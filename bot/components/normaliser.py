"""Hinglish and typos to the catalogue's words, before the message is featurised.

First in the pipeline: it rewrites the message's text, so the featurizers, the entity extractor
and the custom actions (``tracker.latest_message["text"]``) all read "cheap atta under 200"
where the shopper typed "sasta atta 200 se kam". Two steps, word by word:

1. ``HINGLISH``, a curated lexicon of Hindi/Hinglish words in Latin letters → the catalogues'
   English words ("namak" → "salt", "sabun" → "soap", "sasta" → "cheap", "dikhao" → "show"),
   and the postpositions of a budget ("200 se kam" → "under 200").
   Putting in the cart ("cart mein daal do") becomes "add to cart".
2. Spelling correction with ``rapidfuzz``: a word of four letters or more (or three consonants:
   "wsh") that is neither an English word (a whole word of the MiniLM tokenizer's vocabulary)
   nor a catalogue word (the lookup tables, ``SHOPPING_WORDS``) becomes the closest such word
   with the same first letter when it is close enough ("shampo" → "shampoo", "undr" → "under").

Training examples are left as written (their entity offsets point into that text); the
vocabulary the corrections aim at is built from them when the model is trained.
"""

from __future__ import annotations

import json
import re

from rapidfuzz import fuzz, process
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.base import WordsComponent
from components.sentence_encoder import encoder_folder
from components.vocabulary import SHOPPING_WORDS, lookup_words, words

# Hindi/Hinglish (Latin letters) → the catalogue's English words. Written for this assistant.
HINGLISH: dict[str, str] = {
    **dict.fromkeys(["namak"], "salt"),
    **dict.fromkeys(["sabun", "saabun"], "soap"),
    **dict.fromkeys(["chawal", "chaawal", "chaval"], "rice"),
    **dict.fromkeys(["doodh", "dudh"], "milk"),
    **dict.fromkeys(["haldi"], "turmeric"),
    **dict.fromkeys(["daal", "dal"], "dal"),
    **dict.fromkeys(["cheeni", "chini", "shakkar"], "sugar"),
    **dict.fromkeys(["tel"], "oil"),
    **dict.fromkeys(["chai", "chaay", "chaai"], "tea"),
    **dict.fromkeys(["mirch", "mirchi"], "chilli"),
    **dict.fromkeys(["jeera", "zeera"], "cumin"),
    **dict.fromkeys(["dhania", "dhaniya"], "coriander"),
    **dict.fromkeys(["pyaz", "pyaaz", "kanda"], "onion"),
    **dict.fromkeys(["aloo", "alu"], "potato"),
    **dict.fromkeys(["tamatar"], "tomato"),
    **dict.fromkeys(["sabzi", "sabji"], "vegetables"),
    **dict.fromkeys(["phal"], "fruits"),
    **dict.fromkeys(["anda", "ande", "anday"], "eggs"),
    **dict.fromkeys(["makhan", "makkhan"], "butter"),
    **dict.fromkeys(["dahi"], "curd"),
    **dict.fromkeys(["kapde", "kapda", "kapre"], "clothes"),
    **dict.fromkeys(["joote", "joota", "jutte"], "shoes"),
    **dict.fromkeys(["chappal", "chappals"], "slippers"),
    **dict.fromkeys(["sasta", "sasti", "saste", "sastaa"], "cheap"),
    **dict.fromkeys(["mehenga", "mehnga", "mehngi", "mehenge", "mehange"], "expensive"),
    **dict.fromkeys(["accha", "achha", "acha", "achchha"], "good"),
    **dict.fromkeys(["bada", "badi", "bade"], "big"),
    **dict.fromkeys(["chhota", "chota", "chhoti", "choti"], "small"),
    **dict.fromkeys(["daam", "keemat", "kimat"], "price"),
    **dict.fromkeys(["chahiye", "chaiye", "chahie", "chahiya"], "want"),
    **dict.fromkeys(["dikhao", "dikhaao", "dikha", "dikhana"], "show"),
    **dict.fromkeys(["mujhe", "muje", "mereko", "mujhko"], "i"),
    **dict.fromkeys(["kitna", "kitne", "kitni"], "how much"),
    **dict.fromkeys(["aur"], "and"),
    **dict.fromkeys(["nahi", "nahin", "nai"], "not"),
    **dict.fromkeys(["sirf", "sirif"], "only"),
    **dict.fromkeys(["wala", "wali", "wale", "waala", "waali", "waale", "vala", "vali"], "one"),
    **dict.fromkeys(["pehla", "pehli", "pehle", "pahla", "pahli"], "first"),
    **dict.fromkeys(["teesra", "teesri", "tisra"], "third"),
}
# Putting something in the cart, said the Hindi way: "cart mein daal do", "basket me rakh do";
# then "daal do" alone ("daal" is also the lentil, and "do" also two).
CART_PUT = re.compile(
    r"\b(?:cart|basket|bag|trolley)\s+(?:mein|me|main|mai|men)\s+"
    r"(?:daal|dal|daalo|dalo|rakh|rakho|add kar|add karo)\s*(?:do|dijiye|dijie|dena|de)?\b",
    re.IGNORECASE,
)
PUT = re.compile(  # but "dal do kilo" is two kilos of dal
    r"\b(?:daal|dal|daalo|dalo)\s+(?:do|dijiye|dijie|dena)\b"
    r"(?!\s*(?:kilo|kg|g|gm|grams?|litres?|l|packets?|packs?|pieces?)\b)",
    re.IGNORECASE,
)
VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
# A budget said the Hindi way: "200 se kam", "300 ke andar", "500 tak".
BUDGET = re.compile(
    r"\b(\d[\d,]*)\s*(?:rs|rupaye|rupees|₹)?\s*"
    r"(?:se\s+kam|se\s+sasta|ke\s+andar|ke\s+niche|ke\s+neeche|tak)\b",
    re.IGNORECASE,
)
LATIN_WORD = re.compile(r"[A-Za-z]+")
MIN_LENGTH = 4
CUTOFF = 84.0


def english_words() -> frozenset[str]:
    """The whole, alphabetic words of the MiniLM tokenizer's vocabulary (~20k English words)."""
    tokenizer = json.loads((encoder_folder() / "tokenizer.json").read_text(encoding="utf-8"))
    return frozenset(w for w in tokenizer["model"]["vocab"] if w.isalpha() and w.isascii())


class Normaliser:
    """Rewrites a message word by word: the Hinglish lexicon, then spelling correction."""

    def __init__(self, targets: frozenset[str], known: frozenset[str]) -> None:
        self.known = known | targets | frozenset(HINGLISH)
        self.targets: dict[str, list[str]] = {}
        for word in sorted(targets):
            if len(word) >= MIN_LENGTH:
                self.targets.setdefault(word[0], []).append(word)

    def word(self, token: str) -> str:
        lower = token.lower()
        if lower in HINGLISH:
            return HINGLISH[lower]
        # Three letters without a vowel are a word typed in a hurry ("wsh"), never a word.
        short = len(lower) < MIN_LENGTH and not (len(lower) == 3 and not VOWEL.search(lower))
        if short or lower in self.known:
            return token
        best = process.extractOne(
            lower, self.targets.get(lower[0], []), scorer=fuzz.ratio, score_cutoff=CUTOFF
        )
        if not best:
            return token
        return best[0].capitalize() if token[0].isupper() else best[0]

    def __call__(self, text: str) -> str:
        text = BUDGET.sub(lambda m: f"under {m.group(1)}", text)
        text = PUT.sub("add", CART_PUT.sub("add to cart", text))
        return LATIN_WORD.sub(lambda m: self.word(m.group(0)), text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class TextNormaliser(WordsComponent):
    """Rewrites each message's text with :class:`Normaliser` before tokenisation; the words it
    learns are the spelling corrections' targets."""

    def use(self, words: frozenset[str]) -> None:
        self.normalise = Normaliser(words, english_words())

    def train(self, training_data: TrainingData) -> Resource:
        english = english_words()
        targets = lookup_words(training_data.lookup_tables) | SHOPPING_WORDS
        for message in training_data.training_examples:
            targets.update(w for w in words(message.get(TEXT) or "") if w in english)
        return self.learnt(frozenset(w for w in targets if w.isascii()))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(TEXT):
                message.set(TEXT, self.normalise(message.get(TEXT)))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
