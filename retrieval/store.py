"""The product store: LangChain's Chroma vector store over the shipped MiniLM encoder.

Chroma is the store of record for the catalogue. Each product is one record: its id, the text
from :func:`retrieval.text.product_text` with its normalised MiniLM embedding
(:class:`retrieval.encoder.MiniLMEncoder`, cosine space), and its
fields flattened into metadata (exact float prices; lower-cased ``_`` keys that the filters match
case-insensitively). The embedded PersistentClient at ``settings.chroma_dir`` is the default; a
Chroma server is used when ``settings.chroma_url`` is set.

Nothing heavy is imported at module import time: rasa-sdk imports the actions (and so this
module) in two processes, and torch or Chroma loaded there kills the server at start-up.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np
from langchain_core.embeddings import Embeddings

from core.settings import Settings, get_settings
from retrieval.encoder import MiniLMEncoder, Precision
from retrieval.encoder_export import ENCODER_CACHE
from retrieval.schema import Product
from retrieval.text import product_text

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Include
    from langchain_chroma import Chroma

ATTRIBUTE_PREFIX = "attr:"
_TEXT_FIELDS = (
    "title",
    "description",
    "brand",
    "currency",
    "colour",
    "size",
    "gender",
    "image_url",
)
_OPTIONAL_FLOATS = ("price", "list_price", "rating")
_PAGE = 5000  # records per Chroma get() call when reading the whole catalogue


def to_metadata(product: Product) -> dict[str, Any]:
    """The flat Chroma metadata of a product (empty values left out; Chroma has no nulls)."""
    meta: dict[str, Any] = {"id": product.id, "_hash": content_hash(product)}
    meta.update({name: getattr(product, name) for name in _TEXT_FIELDS if getattr(product, name)})
    meta.update(
        {
            name: float(getattr(product, name))
            for name in _OPTIONAL_FLOATS
            if getattr(product, name) is not None
        }
    )
    if product.category:
        meta["category"] = list(product.category)
        meta["_category"] = [level.casefold() for level in product.category]
    for name in ("brand", "colour", "gender"):  # kept even when empty: a filter may ask for ""
        meta["_" + name] = getattr(product, name).casefold()
    meta["_rating"] = float(product.rating or 0.0)  # Filters treat an unrated product as 0
    meta.update({ATTRIBUTE_PREFIX + key: value for key, value in product.attributes.items()})
    return meta


def from_metadata(meta: dict[str, Any]) -> Product:
    """The product a metadata record holds (inverse of :func:`to_metadata`)."""
    fields: dict[str, Any] = {
        name: meta[name] for name in (*_TEXT_FIELDS, *_OPTIONAL_FLOATS) if name in meta
    }
    return Product(
        id=meta["id"],
        category=tuple(meta.get("category", ())),
        attributes={
            key.removeprefix(ATTRIBUTE_PREFIX): str(value)
            for key, value in meta.items()
            if key.startswith(ATTRIBUTE_PREFIX)
        },
        **fields,
    )


def content_hash(product: Product) -> str:
    """A digest of everything stored for a product, to skip re-embedding unchanged ones."""
    payload = json.dumps([product.model_dump(mode="json"), product_text(product)], sort_keys=True)
    return hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()


@lru_cache(maxsize=2)
def _encoder(encoder_path: str, cache_dir: Path, precision: Precision) -> MiniLMEncoder:
    """One encoder per process and model folder (it loads its models on first use)."""
    return MiniLMEncoder(encoder_path, cache_dir, precision)


class ProductStore:
    """Catalogue records in one Chroma collection; every connection is opened on first use."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    @property
    def location(self) -> str:
        """Where the store lives, for messages and caching."""
        where = self.settings.chroma_url or str(self.settings.chroma_dir)
        return f"{where}#{self.settings.chroma_collection}"

    @cached_property
    def client(self) -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self.settings.chroma_url:
            url = urlparse(self.settings.chroma_url)
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        self.settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(self.settings.chroma_dir), settings=chroma_settings
        )

    @property
    def embeddings(self) -> MiniLMEncoder:
        return _encoder(
            self.settings.encoder_path(),
            ENCODER_CACHE,
            self.settings.embedding_precision,
        )

    @cached_property
    def collection(self) -> Collection:
        """The Chroma collection, created with the HNSW settings when missing."""
        from chromadb.api.collection_configuration import (
            CreateCollectionConfiguration,
            CreateHNSWConfiguration,
            UpdateCollectionConfiguration,
            UpdateHNSWConfiguration,
        )

        ef_search = self.settings.hnsw_ef_search
        hnsw = CreateHNSWConfiguration(
            space="cosine",
            ef_construction=self.settings.hnsw_ef_construction,
            max_neighbors=self.settings.hnsw_max_neighbors,
            ef_search=ef_search,
        )
        collection = self.client.get_or_create_collection(
            self.settings.chroma_collection,
            configuration=CreateCollectionConfiguration(hnsw=hnsw),
            embedding_function=None,
        )
        current = (collection.configuration_json or {}).get("hnsw") or {}
        if current.get("ef_search") != ef_search:
            update = UpdateCollectionConfiguration(
                hnsw=UpdateHNSWConfiguration(ef_search=ef_search)
            )
            _retry_while_locked(lambda: collection.modify(configuration=update))
        return collection

    @cached_property
    def vectorstore(self) -> Chroma:
        """LangChain's view of the collection, embedding with the shipped encoder."""
        from langchain_chroma import Chroma

        return Chroma(
            collection_name=self.collection.name,
            embedding_function=self.embeddings,
            client=self.client,
        )

    def count(self) -> int:
        return self.collection.count()

    def stored_count(self) -> int:
        """Products in the store; 0 when its collection does not exist (never creates it)."""
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(self.settings.chroma_collection).count()
        except NotFoundError:
            return 0

    def revision(self) -> str:
        """Changes whenever products are written or deleted (by any process): every write batch
        stores a new one. Reads only the collection's metadata, which is cheaper than a count."""
        meta = self.client.get_collection(self.collection.name).metadata or {}
        return str(meta.get("revision", ""))

    def _bump_revision(self) -> None:
        self.collection.modify(metadata={"revision": uuid.uuid4().hex})

    def hashes(self) -> dict[str, str]:
        """Content hash of every stored product, by id."""
        return {meta["id"]: meta.get("_hash", "") for meta in self._all_metadata()}

    def ids(self) -> set[str]:
        return set(self.hashes())

    def all_products(self) -> list[Product]:
        """Every stored product (read in pages)."""
        return [from_metadata(meta) for meta in self._all_metadata()]

    def catalogue(self) -> tuple[list[Product], np.ndarray]:
        """Every stored product and its embedding (row i of the float32 matrix is product i)."""
        products: list[Product] = []
        vectors: list[np.ndarray] = []
        for page in self._pages(["metadatas", "embeddings"]):
            products += [from_metadata(dict(meta)) for meta in page["metadatas"] or []]
            vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
        matrix = np.concatenate(vectors) if products else np.zeros((0, 0), dtype=np.float32)
        return products, matrix

    def _all_metadata(self) -> Iterable[dict[str, Any]]:
        for page in self._pages(["metadatas"]):
            yield from (dict(meta) for meta in page["metadatas"] or [])

    def _pages(self, include: Include) -> Iterable[Any]:
        collection = self.collection
        total = collection.count()
        for offset in range(0, total, _PAGE):
            yield collection.get(include=include, limit=_PAGE, offset=offset)

    def get(self, ids: Sequence[str]) -> list[Product]:
        """The stored products with these ids, in the order asked; unknown ids are left out."""
        if not ids:
            return []
        found = self.collection.get(ids=list(dict.fromkeys(ids)), include=["metadatas"])
        by_id = {meta["id"]: from_metadata(dict(meta)) for meta in found["metadatas"] or []}
        return [by_id[i] for i in ids if i in by_id]

    def upsert(
        self,
        products: Sequence[Product],
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Insert or replace products by id, in batches of similar text length (less padding).

        Batch N+1 is embedded while one background thread writes batch N through LangChain's
        Chroma store, in order; each written batch stores a new revision (readers see partial runs
        too) and is then reported to ``on_progress``. A failed write stops the run with its error
        once the batch in hand is embedded: no later batch is written, earlier ones stay written.
        """
        size = self.settings.ingest_batch_size
        ordered = sorted(products, key=lambda p: len(product_text(p)))
        self.collection  # noqa: B018 -- opened here, not first in the writer thread
        pending: tuple[Future[None], int] | None = None
        with ThreadPoolExecutor(1, thread_name_prefix="chroma-writer") as writer:
            try:
                for start in range(0, len(ordered), size):
                    batch = ordered[start : start + size]
                    texts = [product_text(p) for p in batch]
                    vectors = self.embeddings.encode(texts)
                    _finish(pending, on_progress)
                    pending = writer.submit(self._write, batch, texts, vectors), len(batch)
                _finish(pending, on_progress)
            except BaseException as error:
                if pending:
                    _note_failure(error, pending[0])
                raise

    def _write(self, batch: Sequence[Product], texts: list[str], vectors: np.ndarray) -> None:
        """Upsert one embedded batch through LangChain's Chroma store; store a new revision."""
        from langchain_chroma import Chroma

        store = Chroma(
            collection_name=self.collection.name,
            embedding_function=_Computed(texts, vectors),
            client=self.client,
            create_collection_if_not_exists=False,
        )
        store.add_texts(
            texts=texts, metadatas=[to_metadata(p) for p in batch], ids=[p.id for p in batch]
        )
        self._bump_revision()

    def delete(self, ids: Iterable[str]) -> int:
        """Remove products by id; returns how many of them were stored."""
        removed = 0
        ids = list(ids)
        for start in range(0, len(ids), _PAGE):
            stored = self.collection.get(ids=ids[start : start + _PAGE], include=[])["ids"]
            if stored:
                self.collection.delete(ids=stored)
                removed += len(stored)
        if removed:
            self._bump_revision()
        return removed

    def embed_query(self, query: str) -> list[float]:
        return self.embeddings.embed_query(query)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of many texts (one float32 row each), embedded in batches."""
        return self.embeddings.encode(texts)


class _Computed(Embeddings):
    """The vectors of one batch, embedded ahead of its write, looked up by text."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self._rows = dict(zip(texts, vectors, strict=True))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._rows[text].tolist() for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._rows[text].tolist()


def _finish(
    pending: tuple[Future[None], int] | None, on_progress: Callable[[int], None] | None
) -> None:
    """Wait for a batch's write (raising its error) and report its products."""
    if pending:
        pending[0].result()
        if on_progress:
            on_progress(pending[1])


def _note_failure(error: BaseException, write: Future[None]) -> None:
    """Note on ``error`` (raised elsewhere) that the last batch's write failed too, if it did."""
    failed = write.exception()  # waits for the write to end
    if failed is not None and failed is not error:
        error.add_note(f"the batch being written then also failed: {failed!r}")


def _retry_while_locked(write: Callable[[], None], attempts: int = 10) -> None:
    """Run a Chroma write, retrying while SQLite reports the file locked: another client of the
    same embedded store (in this process or another) may hold a write for a moment."""
    for attempt in range(attempts):
        try:
            write()
            return
        except Exception as exc:  # chromadb's InternalError carries SQLite's message
            if "database is locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
