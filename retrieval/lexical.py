"""BM25 over product text, as an inverted index of precomputed per-term weights.

rank-bm25 scores every document in Python for every query term, which is slow on a large
catalogue; with the weights precomputed per (term, document), a query is a few numpy additions
(docs/retrieval.md).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from retrieval.text import tokenize


class BM25Index:
    """Okapi BM25 (Lucene's non-negative idf) over a fixed list of texts."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(texts)
        docs = [Counter(tokenize(text)) for text in texts]
        lengths = np.array([sum(doc.values()) for doc in docs], dtype=np.float64)
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1.0)) if self.size else lengths
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for row, doc in enumerate(docs):
            for term, tf in doc.items():
                rows, weights = postings[term]
                rows.append(row)
                weights.append(tf * (k1 + 1) / (tf + norm[row]))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (rows, weights) in postings.items():
            idf = math.log(1 + (self.size - len(rows) + 0.5) / (len(rows) + 0.5))
            self._postings[term] = (np.array(rows), np.array(weights) * idf)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every text for ``query`` (0 where no query term occurs)."""
        scores = np.zeros(self.size, dtype=np.float64)
        for term, count in Counter(tokenize(query)).items():
            if term in self._postings:
                rows, weights = self._postings[term]
                scores[rows] += count * weights
        return scores
