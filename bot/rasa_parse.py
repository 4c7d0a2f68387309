"""Classify sentences with a trained Rasa model, in ``.venv-rasa`` with ``bot/`` on the path.

    PYTHONPATH=bot python -m rasa_parse MODEL.tar.gz OUT.jsonl < texts.jsonl

Reads one JSON string per line and writes one JSON object per line to ``OUT.jsonl``:
``{"intent", "confidence", "fallback"}`` (a file, since Rasa logs to stdout); ``fallback`` says
whether the fallback classifier fired (``intent`` is then the best real intent below it).
Only the standard library and Rasa are imported here, since this runs in Rasa's environment.
"""

from __future__ import annotations

import asyncio
import json
import sys

FALLBACK = "nlu_fallback"


def best_intent(parsed: dict) -> tuple[str, float]:
    """The model's most likely real intent: when the fallback classifier fired (low
    confidence), the top intent of the ranking below it."""
    for candidate in parsed.get("intent_ranking") or [parsed["intent"]]:
        if candidate.get("name") != FALLBACK:
            return candidate["name"], float(candidate.get("confidence") or 0.0)
    return FALLBACK, 0.0


async def _classify(model: str, out: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    with open(out, "w", encoding="utf-8") as results:
        for line in sys.stdin:
            parsed = await agent.parse_message(json.loads(line))
            intent, confidence = best_intent(parsed)
            fallback = (parsed.get("intent") or {}).get("name") == FALLBACK
            record = {"intent": intent, "confidence": confidence, "fallback": fallback}
            results.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    asyncio.run(_classify(sys.argv[1], sys.argv[2]))
