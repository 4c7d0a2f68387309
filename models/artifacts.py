"""Versioned model folders: ``<models_dir>/<name>/<version>/`` plus a ``current`` pointer file.

Each version holds a ``manifest.json`` with the SHA-256 of every file, the inference settings
and the metrics; loading checks it, so a missing or damaged artifact fails with a clear message
instead of a stack trace deep inside a model library. Standard library only: the Rasa NLU
component (Python 3.10, no torch) uses it too.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

# timezone.utc, not datetime.UTC: this module also runs under Python 3.10 in the Rasa env.
UTC = timezone.utc  # noqa: UP017

MANIFEST = "manifest.json"
CURRENT = "current"
FORMAT = 1


class ArtifactError(RuntimeError):
    """A model artifact is missing, incomplete or corrupt."""


def new_version(tag: str = "") -> str:
    """A sortable version name from the UTC time, e.g. ``20261127-210502`` or ``…-quick``."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{tag}" if tag else stamp


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(
    folder: Path, name: str, inference: dict[str, Any], metrics: dict[str, Any]
) -> dict[str, Any]:
    """Write the manifest of a version folder: checksums of its files, inference settings,
    metrics."""
    files = {
        str(p.relative_to(folder)): sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }
    manifest = {
        "format": FORMAT,
        "name": name,
        "version": folder.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
        "inference": inference,
        "metrics": metrics,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def set_current(folder: Path) -> None:
    """Point the model's ``current`` file at this version folder (atomically)."""
    pointer = folder.parent / CURRENT
    tmp = pointer.with_suffix(".tmp")
    tmp.write_text(folder.name + "\n")
    os.replace(tmp, pointer)


def current_folder(models_dir: Path, name: str) -> Path:
    """The folder of the current version of model ``name``, or ArtifactError."""
    hint = f"train it with `aisle train {name}`"
    pointer = Path(models_dir) / name / CURRENT
    if not pointer.is_file():
        raise ArtifactError(f"no trained {name} model in {pointer.parent}: {hint}")
    folder = pointer.parent / pointer.read_text().strip()
    if not pointer.read_text().strip() or not folder.is_dir():
        raise ArtifactError(f"{pointer} names a missing version {folder.name!r}: {hint}")
    return folder


def read_manifest(folder: Path, required: list[str] | None = None) -> dict[str, Any]:
    """The manifest of a version folder after checking the ``required`` files' checksums
    (all listed files when ``required`` is None)."""
    hint = f"retrain it with `aisle train {folder.parent.name}`"
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files: dict[str, str] = manifest["files"]
        manifest["inference"]
    except FileNotFoundError:
        raise ArtifactError(f"{folder} has no {MANIFEST} (unfinished training?): {hint}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ArtifactError(f"{folder / MANIFEST} is unreadable ({exc}): {hint}") from None
    if manifest.get("format") != FORMAT:
        raise ArtifactError(f"{folder} has format {manifest.get('format')}, need {FORMAT}: {hint}")
    for rel in files if required is None else required:
        path = folder / rel
        if rel not in files or not path.is_file():
            raise ArtifactError(f"{folder} lacks {rel}: {hint}")
        if sha256(path) != files[rel]:
            raise ArtifactError(f"{path} is corrupt (checksum mismatch): {hint}")
    return manifest
