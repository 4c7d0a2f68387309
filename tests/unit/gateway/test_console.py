"""The support console: strangers see the login page and nothing else, forms need the session's
CSRF token, agents work the queue (reply, hand back, notes), admins export and delete; the
shopper can cancel a request for a person."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.database import session_scope
from core.settings import Settings
from gateway.conversation import HANDOFF_CANCELLED
from gateway.main import create_app
from gateway.sessions import issue_token
from gateway.support_ops import BACK_WITH_BOT
from shop.cart import add_item
from shop.handoff import OPEN, QUEUED, HandoffRequest, request_handoff, waiting_request
from support.accounts import add_agent
from support.audit import audit_trail
from support.conversations import PERSON, Conversation, Exchange, TurnRecord, record_exchange
from support.rasa_tracker import RasaTrackers

RESUMED = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
PASSWORD = "correct horse battery"
NEGATIVE = {
    "label": "negative",
    "score": 0.9,
    "probabilities": {"negative": 0.9, "neutral": 0.08, "positive": 0.02},
}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)


@pytest.fixture()
def rasa_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, Any]]:
    """Rasa's tracker API, stood in for: the calls made, in order."""
    calls: list[tuple[str, str, Any]] = []

    def fake(self: RasaTrackers, method: str, sender_id: str, path: str = "", **kw: Any) -> Any:
        calls.append((method, sender_id, kw.get("json")))
        return {"events": [{"event": "user", "text": "hi"}]} if method == "GET" else {}

    monkeypatch.setattr(RasaTrackers, "_call", fake)
    return calls


@pytest.fixture()
def client(settings: Settings, rasa_calls: list) -> Iterator[TestClient]:
    with session_scope(settings) as session:
        add_agent(session, "agent@shop.test", PASSWORD)
        add_agent(session, "admin@shop.test", PASSWORD, admin=True)
        for text in ("show me tea", "these are awful and way too expensive"):
            parse = {"intent": {"name": "search_products"}, "sentiment": NEGATIVE}
            record_exchange(session, Exchange("web-unhappy", text, parse, [{"text": "ok"}]), 0.5)
        record_exchange(session, Exchange("web-human", "a person please", {}, []), 0.5)
        request_handoff(session, "web-human", "a person please", OPEN)
        add_item(session, "web-unhappy", "p1", 2)
    with TestClient(create_app(settings)) as client:
        yield client


def login(client: TestClient, email: str = "agent@shop.test", password: str = PASSWORD):
    page = client.get("/support/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/support/login",
        data={"csrf": csrf, "email": email, "password": password},
        follow_redirects=False,
    )


def csrf_of(page_html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_html).group(1)


@pytest.mark.parametrize(
    "path", ["/support", "/support/analytics", "/support/c/web-unhappy", "/support/anything"]
)
def test_strangers_see_the_login_page_and_nothing_else(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and 'action="/support/login"' in page.text
    assert "web-unhappy" not in page.text and "web-human" not in page.text
    assert client.get("/support/queue-rows").status_code == 401


def test_a_wrong_password_gets_nothing(client: TestClient) -> None:
    for email, password in (("agent@shop.test", "wrong password"), ("nobody@shop.test", PASSWORD)):
        answer = login(client, email, password)
        assert answer.status_code == 401 and "Wrong e-mail or password" in answer.text
        assert "aisle_console" not in answer.cookies
    assert "web-unhappy" not in client.get("/support").text


def test_session_cookie_is_signed_httponly_samesite(client: TestClient) -> None:
    answer = login(client)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    client.cookies.set("aisle_console", "forged." + client.cookies["aisle_console"][7:])
    assert 'action="/support/login"' in client.get("/support").text


def test_login_without_csrf_is_refused(client: TestClient) -> None:
    client.get("/support/login")
    answer = client.post("/support/login", data={"email": "agent@shop.test", "password": PASSWORD})
    assert answer.status_code == 403 and "aisle_console=" not in answer.headers.get(
        "set-cookie", ""
    )


@pytest.mark.parametrize("action", ["reply", "handback", "assign", "note", "review", "data/delete"])
def test_form_posts_without_the_csrf_token_are_refused(
    client: TestClient, settings: Settings, action: str
) -> None:
    login(client, "admin@shop.test")
    for data in ({"text": "hi"}, {"text": "hi", "csrf": "not-the-token"}):
        answer = client.post(f"/support/c/web-human/{action}", data=data)
        assert answer.status_code == 403
    with session_scope(settings) as session:
        assert session.get(Conversation, "web-human") is not None
        assert all(t.speaker != PERSON for t in session.get(Conversation, "web-human").turns)


def test_queue_puts_requests_for_a_person_first(client: TestClient) -> None:
    login(client)
    page = client.get("/support").text
    assert page.index("web-human") < page.index("web-unhappy")
    assert "waiting (bot paused)" in page
    only = client.get("/support/queue-rows?status=flagged").text
    assert "web-unhappy" in only and "web-human" not in only


def test_reply_then_hand_back(client: TestClient, settings: Settings, rasa_calls: list) -> None:
    login(client)
    csrf = csrf_of(client.get("/support/c/web-human").text)
    answer = client.post("/support/c/web-human/reply", data={"csrf": csrf, "text": "Hi, Sam here"})
    assert answer.status_code == 200  # followed back to the conversation page
    assert "Hi, Sam here" in answer.text
    assert ("POST", "web-human", {"event": "pause"}) in rasa_calls
    client.post("/support/c/web-human/handback", data={"csrf": csrf})
    assert rasa_calls[-1] == ("POST", "web-human", RESUMED)
    with session_scope(settings) as session:
        assert waiting_request(session, "web-human") is None
        turns = session.get(Conversation, "web-human").turns
        assert [t.speaker for t in turns[-2:]] == [PERSON, "agent"]
        assert turns[-1].text == BACK_WITH_BOT
        actions = [a.action for a in audit_trail(session, "web-human")]
        assert {"viewed", "replied", "handed_back"} <= set(actions)


def test_notes_assign_review(client: TestClient) -> None:
    login(client)
    csrf = csrf_of(client.get("/support/c/web-unhappy").text)
    client.post("/support/c/web-unhappy/note", data={"csrf": csrf, "text": "called back"})
    client.post("/support/c/web-unhappy/assign", data={"csrf": csrf})
    page = client.post("/support/c/web-unhappy/review", data={"csrf": csrf}).text
    assert "called back" in page and "badge reviewed" in page
    assert "agent@shop.test" in client.get("/support/queue-rows").text


def test_only_admins_export_and_delete(client: TestClient, settings: Settings) -> None:
    login(client)
    csrf = csrf_of(client.get("/support/c/web-unhappy").text)
    assert client.post("/support/c/web-unhappy/data/delete", data={"csrf": csrf}).status_code == 403
    client.post("/support/logout", data={"csrf": csrf})
    login(client, "admin@shop.test")
    csrf = csrf_of(client.get("/support/c/web-unhappy").text)
    exported = client.post("/support/c/web-unhappy/data/export", data={"csrf": csrf}).json()
    assert exported["cart"] == [{"product_id": "p1", "quantity": 2}]
    assert exported["rasa_tracker_events"] == [{"event": "user", "text": "hi"}]
    after = client.post("/support/c/web-unhappy/data/delete", data={"csrf": csrf})
    assert "Everything stored about <code>web-unhappy</code> was deleted" in after.text
    with session_scope(settings) as session:
        assert session.get(Conversation, "web-unhappy") is None
    assert client.get("/support/c/web-unhappy").status_code == 404


def test_analytics_draws_charts(client: TestClient) -> None:
    login(client)
    page = client.get("/support/analytics").text
    assert page.count("<svg") == 4 and "Conversations per day" in page


def test_the_conversation_page_shows_utc_times_the_tipping_turn_and_the_assignee(
    client: TestClient,
) -> None:
    login(client)
    page = client.get("/support/c/web-unhappy").text
    assert 'Assigned to: <strong class="assigned">nobody yet' in page
    client.post("/support/c/web-unhappy/assign", data={"csrf": csrf_of(page)})
    page = client.get("/support/c/web-unhappy").text
    assert 'Assigned to: <strong class="assigned">agent@shop.test' in page
    for html in (page, client.get("/support/c/web-unhappy/transcript").text):
        tipping = re.findall(r'<li class="turn (\w+) tipping">(.*?)</li>', html, re.S)
        assert len(tipping) == 1 and tipping[0][0] == "customer"
        assert "these are awful and way too expensive" in tipping[0][1]
        assert re.search(r"<time [^>]*>\d\d:\d\d UTC</time>", html)
    assert re.search(r'low="0.3" high="0.5" optimum="0" value="0.9\d+"', page)  # red


def test_empty_states(settings: Settings, rasa_calls: list) -> None:
    with session_scope(settings) as session:
        add_agent(session, "agent@shop.test", PASSWORD)
    with TestClient(create_app(settings)) as client:
        login(client)
        assert "Nothing to do: no shopper is waiting" in client.get("/support").text
        analytics = client.get("/support/analytics").text
        assert analytics.count("<svg") == 4 and "No conversations in this period yet" in analytics
        assert "0 conversations" in analytics and "None yet." in analytics
        with session_scope(settings) as session:
            request_handoff(session, "web-quiet", "a person please", QUEUED)
        page = client.get("/support/c/web-quiet").text
        assert "No messages recorded yet." in page and "No notes yet." in page
        assert "No shopper messages yet" in page


def test_the_queue_rows_name_their_fields_for_the_phone_layout(client: TestClient) -> None:
    login(client)
    rows = client.get("/support/queue-rows").text
    for label in ("Status", "Shopper", "Reason", "Unhappiness", "Since", "Assigned to"):
        assert f'data-label="{label}"' in rows
    assert re.search(r"<time [^>]*>\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>", rows)


@pytest.mark.parametrize("status", [OPEN, QUEUED])
def test_the_shopper_cancels_a_request(
    client: TestClient, settings: Settings, rasa_calls: list, status: str
) -> None:
    with session_scope(settings) as session:
        session.get(HandoffRequest, 1).status = status
    answer = client.post(
        "/api/chat",
        json={"message": "never mind, I'll keep browsing"},
        headers={"Authorization": f"Bearer {issue_token(settings, 'web-human')}"},
    )
    assert answer.json()[0]["text"] == HANDOFF_CANCELLED
    assert (rasa_calls[-1:] == [("POST", "web-human", RESUMED)]) == (status == OPEN)
    with session_scope(settings) as session:
        assert waiting_request(session, "web-human") is None
        last = session.query(TurnRecord).filter_by(sender_id="web-human").all()[-2:]
        assert [t.text for t in last] == ["never mind, I'll keep browsing", HANDOFF_CANCELLED]
