"""A shopper's data, taken out and erased: ``aisle shopper export|delete`` and the console's
admin buttons.

The SQL store holds the transcript and flag (support/conversations.py), notes and assignment
(support/queue.py), hand-off requests, cart and return requests (shop/), profile events
(profiles/); Rasa holds the tracker (support/rasa_tracker.py). Nothing else caches a shopper's
data. The audit trail keeps who did what to which shopper id, never their content.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from profiles.tables import Event, Shopper
from shop.cart import CartItem
from shop.handoff import HandoffRequest
from shop.orders import ReturnRequest, WrongOrderTry
from support.answered_messages import AnsweredMessage
from support.audit import DELETED, EXPORTED, audit, audit_trail
from support.conversations import Conversation, TurnRecord
from support.queue import Assignment, Note
from support.rasa_tracker import RasaTrackers, RasaUnavailable


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: Any, *names: str) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _where(session: Session, model: Any, column: Any, sender_id: str) -> list[Any]:
    return list(session.scalars(select(model).where(column == sender_id)))


def export_shopper(
    session: Session, sender_id: str, trackers: RasaTrackers | None, actor: str
) -> dict[str, Any]:
    """Everything stored about the shopper, as JSON-ready data; audited as an export."""
    conversation = session.get(Conversation, sender_id)
    turns = _where(session, TurnRecord, TurnRecord.sender_id, sender_id)
    tracker: Any
    try:
        tracker = trackers.events(sender_id) if trackers else "not read (no Rasa settings)"
    except RasaUnavailable as error:
        tracker = f"not read: {error}"
    returns = _where(session, ReturnRequest, ReturnRequest.sender_id, sender_id)
    data = {
        "sender_id": sender_id,
        "transcript": [
            _row(t, "position", "speaker", "text", "intent", "sentiment_label", "sentiment_score")
            | {"products": t.products, "created_at": _plain(t.created_at)}
            for t in sorted(turns, key=lambda t: t.position)
        ],
        "rasa_tracker_events": tracker,
        "profile_events": [
            _row(e, "kind", "at", "product_id", "query", "value") | {"attributes": e.attributes}
            for e in _where(session, Event, Event.shopper_id, sender_id)
        ],
        "cart": [
            _row(i, "product_id", "quantity")
            for i in _where(session, CartItem, CartItem.sender_id, sender_id)
        ],
        "orders": [
            {"order_id": r.order_id, "return_reference": r.reference}
            | _row(r, "reason", "created_at")
            for r in returns
        ],
        "handoffs": [
            _row(h, "reason", "status", "created_at")
            for h in _where(session, HandoffRequest, HandoffRequest.sender_id, sender_id)
        ],
        "flags": _row(
            conversation, "status", "reason", "score", "tipping_turn", "flagged_at", "reviewed_at"
        )
        if conversation
        else None,
        "notes": [
            _row(n, "author", "text", "at")
            for n in _where(session, Note, Note.sender_id, sender_id)
        ],
    }
    audit(session, actor, EXPORTED, sender_id)
    data["audit_trail"] = [
        _row(a, "at", "actor", "action") for a in reversed(audit_trail(session, sender_id))
    ]
    return data


def delete_shopper(
    session: Session, sender_id: str, trackers: RasaTrackers | None, actor: str
) -> list[str]:
    """Erase the shopper from every store; returns what was erased where (audited).

    Rasa's tracker is erased from its SQL tracker store, whether or not Rasa is running.
    """
    done = trackers.erase(sender_id) if trackers else []
    counts = {}
    for name, model, column in (
        ("transcript turns", TurnRecord, TurnRecord.sender_id),
        ("conversations", Conversation, Conversation.sender_id),
        ("notes", Note, Note.sender_id),
        ("assignments", Assignment, Assignment.sender_id),
        ("hand-off requests", HandoffRequest, HandoffRequest.sender_id),
        ("cart items", CartItem, CartItem.sender_id),
        ("return requests", ReturnRequest, ReturnRequest.sender_id),
        ("wrong order tries", WrongOrderTry, WrongOrderTry.sender_id),
        ("stored answers", AnsweredMessage, AnsweredMessage.sender_id),
        ("profile events", Event, Event.shopper_id),
        ("profiles", Shopper, Shopper.id),
    ):
        result = cast(CursorResult[Any], session.execute(delete(model).where(column == sender_id)))
        counts[name] = result.rowcount
    done.append("sql store: " + ", ".join(f"{n} {c}" for n, c in counts.items()))
    audit(session, actor, DELETED, sender_id)
    return done
