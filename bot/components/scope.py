"""Out of scope only when nothing in the message is about shopping; an unreadable script is
said so.

Runs after the intent classifier and before ``FallbackClassifier``. The classifier's
``out_of_scope`` intent is trained on general-assistant requests, and polite shopper turns it
never saw ("Could you put the grey and white top in my basket, please?") drift towards it. When
the message holds a shopping word (``vocabulary.shopping_vocabulary``, built from the training
data when the model is trained), ``out_of_scope`` is dropped from the ranking and the other
intents' confidences renormalised: the best in-scope intent wins, and the fallback classifier
still catches it when even that is unsure. A message mostly in a non-Latin script becomes the
``unreadable_script`` intent, answered honestly instead of with a random search.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.base import WordsComponent
from components.normaliser import english_words
from components.vocabulary import (
    OUT_OF_SCOPE,
    SHOPPING_FRAME,
    SMALL_TALK,
    is_about_shopping,
    is_bare_product,
    shopping_vocabulary,
    unreadable_script,
)

UNREADABLE_SCRIPT = "unreadable_script"
SEARCH = "search_products"
UNSURE = 0.3  # FallbackClassifier's threshold (config.yml): below it, the fallback would answer


def rescope(parsed: dict[str, Any], text: str, vocabulary: frozenset[str]) -> dict[str, Any]:
    """The intent and ranking after the scope rules (``parsed`` holds ``intent`` and
    ``intent_ranking`` as Rasa writes them); unchanged when no rule applies. A bare product name
    read as small talk or left to the fallback, and an out-of-scope request phrased as
    shopping, are searches."""
    if unreadable_script(text):
        top = {INTENT_NAME_KEY: UNREADABLE_SCRIPT, PREDICTED_CONFIDENCE_KEY: 1.0}
        return {INTENT: top, INTENT_RANKING_KEY: [top]}
    intent = parsed.get(INTENT) or {}
    name = intent.get(INTENT_NAME_KEY)
    unsure = (intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < UNSURE
    if ((name in SMALL_TALK or unsure) and is_bare_product(text, vocabulary)) or (
        name == OUT_OF_SCOPE and SHOPPING_FRAME.search(text)
    ):
        top = {INTENT_NAME_KEY: SEARCH, PREDICTED_CONFIDENCE_KEY: 1.0}
        return {INTENT: top, INTENT_RANKING_KEY: [top]}
    if name != OUT_OF_SCOPE or not is_about_shopping(text, vocabulary):
        return parsed
    ranking = [
        r for r in parsed.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != OUT_OF_SCOPE
    ]
    if not ranking:
        return parsed
    in_scope = sum(r[PREDICTED_CONFIDENCE_KEY] for r in ranking) or 1.0
    ranking = [
        {**r, PREDICTED_CONFIDENCE_KEY: r[PREDICTED_CONFIDENCE_KEY] / in_scope} for r in ranking
    ]
    ranking.sort(key=lambda r: -r[PREDICTED_CONFIDENCE_KEY])
    return {INTENT: ranking[0], INTENT_RANKING_KEY: ranking}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ShoppingScope(WordsComponent):
    """Overrides an ``out_of_scope`` prediction for a message about shopping; the words it
    learns are the shopping vocabulary."""

    def use(self, words: frozenset[str]) -> None:
        self.vocabulary = words

    def train(self, training_data: TrainingData) -> Resource:
        examples = training_data.intent_examples
        vocabulary = shopping_vocabulary(
            training_data.lookup_tables,
            [
                str(e[ENTITY_ATTRIBUTE_VALUE])
                for m in training_data.entity_examples
                for e in m.get(ENTITIES) or []
                if e.get("entity") == "product"
            ],
            [m.get(TEXT) for m in examples if m.get(INTENT) == OUT_OF_SCOPE],
            english_words(),
        )
        return self.learnt(vocabulary)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            parsed = {
                INTENT: message.get(INTENT),
                INTENT_RANKING_KEY: message.get(INTENT_RANKING_KEY),
            }
            scoped = rescope(parsed, message.get(TEXT) or "", self.vocabulary)
            if scoped is not parsed:
                message.set(INTENT, scoped[INTENT], add_to_output=True)
                message.set(INTENT_RANKING_KEY, scoped[INTENT_RANKING_KEY], add_to_output=True)
        return messages
