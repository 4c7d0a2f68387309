"""The support API: token required, list and filter flags, transcripts, reviews; shoppers have
no route to anyone's transcript."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from core.database import session_scope
from core.settings import Settings
from gateway.main import create_app
from shop.handoff import QUEUED, request_handoff
from support.conversations import Exchange, record_exchange
from support.rasa_tracker import RasaTrackers

RESUMED = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
TOKEN = "a-support-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEGATIVE = {
    "label": "negative",
    "score": 0.9,
    "probabilities": {"negative": 0.9, "neutral": 0.08, "positive": 0.02},
}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path, support_token=TOKEN)


@pytest.fixture()
def client(settings: Settings) -> Iterator[TestClient]:
    with session_scope(settings) as session:
        for text in ("show me tea", "these are ugly and way too expensive") * 2:
            parse = {"intent": {"name": "search_products"}, "sentiment": NEGATIVE}
            record_exchange(session, Exchange("web-unhappy", text, parse, [{"text": "ok"}]), 0.5)
        record_exchange(session, Exchange("web-calm", "hi", {}, [{"text": "Hi!"}]), 0.5)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/support/conversations"),
        ("get", "/api/support/conversations/web-unhappy"),
        ("post", "/api/support/conversations/web-unhappy/review"),
        ("post", "/api/support/conversations/web-unhappy/messages"),
        ("post", "/api/support/conversations/web-unhappy/handback"),
    ],
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"X-Token": TOKEN}])
def test_no_token_no_data(client: TestClient, method: str, path: str, headers: dict) -> None:
    response = client.request(method, path, headers=headers)
    assert response.status_code == 401
    assert "web-unhappy" not in response.text


def test_list_transcript_review(client: TestClient) -> None:
    listed = client.get("/api/support/conversations", headers=AUTH).json()
    assert [c["sender_id"] for c in listed] == ["web-unhappy"]
    assert listed[0]["status"] == "flagged" and listed[0]["reason"]
    reason = listed[0]["reason"]
    query = {"reason": reason, "since": "2000-01-01T00:00:00"}
    assert len(client.get("/api/support/conversations", params=query, headers=AUTH).json()) == 1
    future = {"since": "2999-01-01T00:00:00"}
    assert client.get("/api/support/conversations", params=future, headers=AUTH).json() == []

    transcript = client.get("/api/support/conversations/web-unhappy", headers=AUTH).json()
    customer = [t for t in transcript["turns"] if t["speaker"] == "customer"]
    assert customer[1]["sentiment"] == {"label": "negative", "score": 0.9}
    assert transcript["turns"][transcript["tipping_turn"]]["speaker"] == "customer"

    reviewed = client.post("/api/support/conversations/web-unhappy/review", headers=AUTH)
    assert reviewed.json()["status"] == "reviewed"
    flagged = client.get("/api/support/conversations?status=flagged", headers=AUTH).json()
    assert flagged == []
    assert (
        client.post("/api/support/conversations/web-calm/review", headers=AUTH).status_code == 404
    )
    assert client.get("/api/support/conversations/nobody", headers=AUTH).status_code == 404


def test_no_shopper_route_reads_a_conversation(client: TestClient) -> None:
    open_routes = [
        r
        for r in client.app.routes
        if isinstance(r, APIRoute) and not r.path.startswith("/api/support/")
    ]
    # Only the support routes (token-protected above) take a conversation or sender in the path.
    assert not [r.path for r in open_routes if "{" in r.path]
    for route in open_routes:
        if "GET" in route.methods:
            response = client.get(route.path, params={"sender": "web-unhappy"})
            assert "ugly" not in response.text


def test_handoff_queue_person_reply_and_handback(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, dict]] = []
    monkeypatch.setattr(RasaTrackers, "append", lambda self, sender, e: events.append((sender, e)))
    with session_scope(settings) as session:
        request_handoff(session, "web-calm", "talk to a person", QUEUED)
    queue = client.get("/api/support/conversations", headers=AUTH).json()
    assert [(c["sender_id"], c["status"]) for c in queue] == [
        ("web-calm", "handoff"),
        ("web-unhappy", "flagged"),
    ]
    assert queue[0]["waiting"] == "queued" and queue[0]["channel"] == "web"
    only = client.get("/api/support/conversations?status=handoff", headers=AUTH).json()
    assert [c["sender_id"] for c in only] == ["web-calm"]

    sent = client.post(
        "/api/support/conversations/web-calm/messages", json={"text": "Hi, Sam here"}, headers=AUTH
    )
    assert sent.status_code == 200 and events == [("web-calm", {"event": "pause"})]
    transcript = client.get("/api/support/conversations/web-calm", headers=AUTH).json()
    assert transcript["turns"][-1] | {"created_at": None} == {
        "position": sent.json()["position"],
        "speaker": "person",
        "text": "Hi, Sam here",
        "intent": None,
        "sentiment": None,
        "products": [],
        "created_at": None,
    }
    assert transcript["waiting"] == "open"  # a person answering pauses the bot

    assert client.post("/api/support/conversations/web-calm/handback", headers=AUTH).is_success
    assert events[-1] == ("web-calm", RESUMED)
    assert client.get("/api/support/conversations/web-calm", headers=AUTH).json()["waiting"] is None
    empty = client.post(
        "/api/support/conversations/web-calm/messages", json={"text": ""}, headers=AUTH
    )
    assert empty.status_code == 422
