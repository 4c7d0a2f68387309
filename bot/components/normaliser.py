"""Hinglish and typos to the catalogue's words, before the message is featurised.

First in the pipeline: it rewrites the message's text, so the featurizers, the entity extractor
and the custom actions (``tracker.latest_message["text"]``) all read "cheap atta under 200"
where the shopper typed "sasta atta 200 se kam". The rewriting is the project's one speller,
``retrieval/spelling.py`` (the search action reads the catalogue's words with it too): the
Hinglish lexicon and Hindi budget and cart phrases, then spelling correction towards the words
this component learns, never of an English word (a whole word of the MiniLM tokenizer's
vocabulary).

Training examples are left as written (their entity offsets point into that text); the
vocabulary the corrections aim at is built from them when the model is trained: the lookup
tables, ``SHOPPING_WORDS`` and the English words of the examples.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.base import WordsComponent  # also puts the repository on sys.path
from components.sentence_encoder import encoder_folder
from components.vocabulary import SHOPPING_WORDS, lookup_words, words
from retrieval import spelling


def english_words() -> frozenset[str]:
    """The whole, alphabetic words of the MiniLM tokenizer's vocabulary (~20k English words)."""
    return spelling.english_words(encoder_folder())


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class TextNormaliser(WordsComponent):
    """Rewrites each message's text with the shared speller before tokenisation; the words it
    learns are the spelling corrections' targets."""

    def use(self, words: frozenset[str]) -> None:
        self.normalise = spelling.Speller(words, english_words())

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
