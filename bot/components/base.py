"""What the custom NLU components share: Rasa's ``create`` and, for those that learn a set of
words, its storage in the Rasa model.

Rasa reads these methods' type hints to validate the graph, so they stay resolvable at run time
(``Self`` from ``typing_extensions``: this environment runs Python 3.10).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from typing_extensions import Self

VOCABULARY_FILE = "vocabulary.json"
# The project package needs Python 3.11, so this environment does not install it; the modules
# written to run under both (``models.onnx_runtime``, ``models.artifacts``,
# ``retrieval.spelling``) are imported from the repository.
REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.append(str(REPO_ROOT))


class Component(GraphComponent):
    """A graph component made by :meth:`from_config` when Rasa creates it."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls.from_config(config, model_storage, resource)

    @classmethod
    def from_config(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> Self:
        """The component before training (or, untrainable, for good)."""
        raise NotImplementedError


class WordsComponent(Component):
    """A trainable component whose learnt state is a set of words, kept in its resource."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        words: frozenset[str] | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.use(words or frozenset())

    def use(self, words: frozenset[str]) -> None:
        """Start working with these learnt words."""
        raise NotImplementedError

    @classmethod
    def from_config(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> Self:
        return cls(model_storage, resource)

    def learnt(self, words: frozenset[str]) -> Resource:
        """Use the words just learnt and store them in the resource (``train``'s end)."""
        self.use(words)
        with self._model_storage.write_to(self._resource) as folder:
            (folder / VOCABULARY_FILE).write_text(json.dumps(sorted(words)))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        with model_storage.read_from(resource) as folder:
            words = json.loads((folder / VOCABULARY_FILE).read_text())
        return cls(model_storage, resource, frozenset(words))
