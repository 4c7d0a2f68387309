"""Latency the normaliser and the scope rule add to a turn (issue 12).

Builds both from ``data/nlu`` as training would (the lookup tables, the English words of the
examples) and times ``rescope(normalise(text))`` on each text of a JSON-lines file, three
rounds. Run from bot/: ``../.venv-rasa/bin/python -m scope_bench TEXTS.jsonl``
(e.g. the SIMMC turns ``aisle eval simmc`` wrote). Prints one JSON line: p50/p95/max in ms.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from components.normaliser import english_words
from components.scope import rescope
from components.vocabulary import SHOPPING_WORDS, lookup_words, shopping_vocabulary, words
from rasa.shared.nlu.training_data.loading import load_data

from retrieval.spelling import Speller

PARSED = {
    "intent": {"name": "out_of_scope", "confidence": 0.6},
    "intent_ranking": [
        {"name": "out_of_scope", "confidence": 0.6},
        {"name": "add_to_cart", "confidence": 0.4},
    ],
}


def main(texts_file: str) -> None:
    data = load_data("data/nlu")
    english = english_words()
    examples = [m.get("text") or "" for m in data.training_examples]
    targets = lookup_words(data.lookup_tables) | SHOPPING_WORDS
    targets |= {w for text in examples for w in words(text) if w in english}
    normalise = Speller(frozenset(targets), english)
    vocabulary = shopping_vocabulary(data.lookup_tables, [], [], english)
    texts = [json.loads(line) for line in Path(texts_file).read_text().splitlines()]
    times = []
    for text in texts * 3:
        start = time.perf_counter()
        rescope(PARSED, normalise(text), vocabulary)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        json.dumps(
            {
                "n": len(times),
                "p50_ms": round(times[len(times) // 2], 3),
                "p95_ms": round(times[int(len(times) * 0.95)], 3),
                "max_ms": round(times[-1], 3),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
