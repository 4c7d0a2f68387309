"""MODEL_CARD.md and metrics.json for a trained model's version folder."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from models.backends import QUALITY_TOLERANCE


def _table(rows: list[dict[str, Any]]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[h]) for h in head) + " |" for r in rows]
    return "\n".join(lines)


def write_model_card(
    folder: Path,
    title: str,
    summary: str,
    data: str,
    hyper_parameters: dict[str, Any],
    metrics: dict[str, Any],
    backends: list[dict[str, Any]],
    default_backend: str,
) -> None:
    """Write ``MODEL_CARD.md`` (for people) and ``metrics.json`` (for tools) into ``folder``."""
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    hyper = "\n".join(f"- `{k}`: {v}" for k, v in hyper_parameters.items())
    card = f"""# {title} — version {folder.name}

{summary}

Trained {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")} on {platform.machine()} CPU.

## Data and split

{data}

## Hyper-parameters

{hyper}

## Dev metrics

```json
{json.dumps(metrics, indent=2)}
```

## Inference backends (dev quality and latency on this machine)

{_table(backends)}

Default backend: **{default_backend}** (the fastest at p95 whose quality is within
{QUALITY_TOLERANCE} of the best).
"""
    (folder / "MODEL_CARD.md").write_text(card)
