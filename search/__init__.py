"""The search pipeline: retrieve (``retrieval/``) → score (``models/``) → personalise
(``profiles/``).

The one layer that composes the three; the search action calls :func:`search_products`, and the
evaluations of the composed pipeline (re-ranking depth, personalisation) live here too.
"""

from search.pipeline import search_products

__all__ = ["search_products"]
