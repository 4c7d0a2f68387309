"""The console's pages and forms under ``/support``.

Anyone without a valid session cookie gets the login page (GET) or 403 (POST), whatever the
path; every form post must carry the session's CSRF token. Admins also export and delete a
shopper's data.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from core.database import session_scope
from core.settings import Settings
from gateway.api.deps import SettingsDep
from gateway.console import auth, charts
from gateway.support_ops import hand_back, reply_as_person
from shop.cart import quantities
from shop.handoff import waiting_request
from support.accounts import agents_online, authenticate
from support.analytics import daily, signed_sentiment, unanswered_searches
from support.audit import VIEWED, audit, audit_trail
from support.conversations import CUSTOMER, Conversation, mark_reviewed
from support.queue import STATUSES, Assignment, QueueFilter, add_note, assign, notes, queue
from support.rasa_tracker import RasaTrackers, RasaUnavailable
from support.shopper_data import delete_shopper, export_shopper

router = APIRouter(prefix="/support", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# Stored times are naive UTC (support/conversations.py): shown as such, with the zone.
templates.env.filters["utc"] = lambda at, fmt="%Y-%m-%d %H:%M": f"{at.strftime(fmt)} UTC"


def _login_page(
    request: Request, settings: Settings, error: str | None = None, code: int = 200
) -> HTMLResponse:
    token = auth.login_csrf(request, settings)
    context = {"error": error, "csrf": token}
    response = templates.TemplateResponse(request, "login.html", context, status_code=code)
    auth.set_login_csrf(response, settings, token)
    return response


async def _user_or_login(request: Request, settings: Settings) -> auth.ConsoleUser | HTMLResponse:
    user = await run_in_threadpool(auth.current_user, request, settings)
    return user if user is not None else _login_page(request, settings)


async def _form_user(
    request: Request, settings: Settings
) -> tuple[auth.ConsoleUser, dict[str, Any]]:
    """The logged-in agent of a form post with a valid CSRF token, else 403."""
    user = await run_in_threadpool(auth.current_user, request, settings)
    form = dict(await request.form())
    if user is None or not auth.csrf_ok(user.csrf, str(form.get("csrf") or "")):
        raise HTTPException(403, "log in, and send the form's CSRF token")
    return user, form


def _back(sender_id: str | None = None) -> RedirectResponse:
    return RedirectResponse(f"/support/c/{sender_id}" if sender_id else "/support", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _login_page(request, settings)


@router.post("/login", response_model=None)
async def login(request: Request, settings: SettingsDep) -> Response:
    form = await request.form()
    if not auth.login_csrf_ok(request, settings, str(form.get("csrf") or "")):
        return _login_page(request, settings, "Your session expired; please try again.", 403)

    def check() -> str | None:
        with session_scope(settings) as session:
            agent = authenticate(
                session, str(form.get("email") or ""), str(form.get("password") or "")
            )
            return agent.email if agent else None

    email = await run_in_threadpool(check)
    if email is None:
        return _login_page(request, settings, "Wrong e-mail or password.", 401)
    response = RedirectResponse("/support", status_code=303)
    auth.start_session(response, settings, email)
    return response


@router.post("/logout")
async def logout(request: Request, settings: SettingsDep) -> RedirectResponse:
    await _form_user(request, settings)
    response = RedirectResponse("/support", status_code=303)
    auth.end_session(response)
    return response


def _filters(request: Request) -> QueueFilter:
    q = request.query_params

    def day(name: str, shift: int = 0) -> datetime | None:
        try:
            return datetime.fromisoformat(q[name]) + timedelta(days=shift) if q.get(name) else None
        except ValueError:
            return None

    status = q.get("status") if q.get("status") in STATUSES else None
    return QueueFilter(
        status, q.get("reason") or None, q.get("channel") or None, day("from"), day("to", 1)
    )


def _queue_context(settings: Settings, wanted: QueueFilter) -> dict[str, Any]:
    with session_scope(settings) as session:
        return {
            "items": queue(session, wanted),
            "online": agents_online(session),
            "filters": asdict(wanted),
            "filtered": any(asdict(wanted).values()),
        }


@router.get("", response_class=HTMLResponse, response_model=None)
async def queue_page(request: Request, settings: SettingsDep) -> Response:
    user = await _user_or_login(request, settings)
    if not isinstance(user, auth.ConsoleUser):
        return user
    context = await run_in_threadpool(_queue_context, settings, _filters(request))
    return templates.TemplateResponse(
        request, "queue.html", context | {"user": user, "statuses": STATUSES}
    )


@router.get("/queue-rows", response_class=HTMLResponse, response_model=None)
async def queue_rows(request: Request, settings: SettingsDep) -> Response:
    """The queue's rows alone, polled by the page for live updates."""
    user = await run_in_threadpool(auth.current_user, request, settings)
    if user is None:
        return Response(status_code=401)
    context = await run_in_threadpool(_queue_context, settings, _filters(request))
    return templates.TemplateResponse(request, "_queue_rows.html", context)


def _conversation_context(settings: Settings, sender_id: str, actor: str) -> dict[str, Any] | None:
    with session_scope(settings) as session:
        conversation = session.get(Conversation, sender_id)
        request = waiting_request(session, sender_id)
        if conversation is None and request is None:
            return None
        turns = list(conversation.turns) if conversation else []
        shown = {p["id"]: p for t in turns for p in t.products if p.get("id")}
        cart = [
            (shown.get(pid, {"id": pid, "title": pid}), n)
            for pid, n in quantities(session, sender_id).items()
        ]
        audit(session, actor, VIEWED, sender_id)
        customer = [t for t in turns if t.speaker == CUSTOMER]
        return {
            "sender_id": sender_id,
            "conversation": conversation,
            "turns": turns,
            "handoff": request,
            "assigned_to": assignment.agent
            if (assignment := session.get(Assignment, sender_id))
            else None,
            "cart": cart,
            "notes": notes(session, sender_id),
            "trail": audit_trail(session, sender_id, limit=20),
            "chart": charts.sparkline(
                [signed_sentiment(t) for t in customer], "Sentiment of each shopper turn"
            ),
        }


@router.get("/c/{sender_id}", response_class=HTMLResponse, response_model=None)
async def conversation_page(sender_id: str, request: Request, settings: SettingsDep) -> Response:
    user = await _user_or_login(request, settings)
    if not isinstance(user, auth.ConsoleUser):
        return user
    context = await run_in_threadpool(_conversation_context, settings, sender_id, user.email)
    if context is None:
        raise HTTPException(404, "no such conversation")
    return templates.TemplateResponse(request, "conversation.html", context | {"user": user})


@router.get("/c/{sender_id}/transcript", response_class=HTMLResponse, response_model=None)
async def transcript_rows(sender_id: str, request: Request, settings: SettingsDep) -> Response:
    """The transcript alone, polled by the conversation page."""
    user = await run_in_threadpool(auth.current_user, request, settings)
    if user is None:
        return Response(status_code=401)

    def read() -> dict[str, Any]:
        with session_scope(settings) as session:
            conversation = session.get(Conversation, sender_id)
            turns = list(conversation.turns) if conversation else []
            return {"turns": turns, "conversation": conversation}

    return templates.TemplateResponse(request, "_transcript.html", await run_in_threadpool(read))


@router.post("/c/{sender_id}/reply")
async def reply(sender_id: str, request: Request, settings: SettingsDep) -> RedirectResponse:
    user, form = await _form_user(request, settings)
    text = str(form.get("text") or "").strip()
    if text:
        try:
            await reply_as_person(
                settings,
                request.app.state.channels,
                sender_id,
                user.email,
                text[: settings.max_message_chars],
            )
        except RasaUnavailable as error:
            raise HTTPException(503, str(error)) from error
    return _back(sender_id)


@router.post("/c/{sender_id}/handback")
async def handback(sender_id: str, request: Request, settings: SettingsDep) -> RedirectResponse:
    user, form = await _form_user(request, settings)
    try:
        await hand_back(settings, sender_id, user.email, resolved=form.get("resolved") == "1")
    except RasaUnavailable as error:
        raise HTTPException(503, str(error)) from error
    return _back(sender_id)


@router.post("/c/{sender_id}/{action}")
async def simple_action(
    sender_id: str, action: str, request: Request, settings: SettingsDep
) -> RedirectResponse:
    """assign (to me), note, review."""
    user, form = await _form_user(request, settings)
    if action not in ("assign", "note", "review"):
        raise HTTPException(404, "no such action")
    text = str(form.get("text") or "").strip()[:4000]

    def run() -> None:
        with session_scope(settings) as session:
            if action == "assign":
                assign(session, sender_id, user.email)
            elif action == "review":
                mark_reviewed(session, sender_id)
            elif text:
                add_note(session, sender_id, user.email, text)

    await run_in_threadpool(run)
    return _back(sender_id)


@router.post("/c/{sender_id}/data/{what}", response_model=None)
async def shopper_data(
    sender_id: str, what: str, request: Request, settings: SettingsDep
) -> Response:
    """Admins only: export (a JSON download) or delete the shopper's data."""
    user, _ = await _form_user(request, settings)
    if not user.is_admin:
        raise HTTPException(403, "admins only")
    if what not in ("export", "delete"):
        raise HTTPException(404, "no such action")

    def run() -> Any:
        with session_scope(settings) as session:
            if what == "export":
                return export_shopper(session, sender_id, RasaTrackers(settings), user.email)
            return delete_shopper(session, sender_id, RasaTrackers(settings), user.email)

    result = await run_in_threadpool(run)  # neither needs Rasa running (its SQL store is read)
    if what == "export":
        return Response(
            json.dumps(result, indent=2, ensure_ascii=False),
            media_type="application/json",
            headers={"content-disposition": f'attachment; filename="shopper-{sender_id}.json"'},
        )
    return RedirectResponse(f"/support?deleted={quote(sender_id)}", status_code=303)


@router.get("/analytics", response_class=HTMLResponse, response_model=None)
async def analytics(request: Request, settings: SettingsDep) -> Response:
    user = await _user_or_login(request, settings)
    if not isinstance(user, auth.ConsoleUser):
        return user

    def read() -> dict[str, Any]:
        with session_scope(settings) as session:
            days = daily(session, 30)
            return {"days": days, "unanswered": unanswered_searches(session)}

    data = await run_in_threadpool(read)
    days = data["days"]
    labels = [d.day.isoformat() for d in days]
    context = {
        "user": user,
        "unanswered": data["unanswered"],
        "total": sum(d.conversations for d in days),
        "per_day": charts.bars([d.conversations for d in days], labels, "Conversations per day"),
        "flagged": charts.bars(
            [100 * d.flagged_rate for d in days],
            labels,
            "Flagged, % of conversations",
            "{:.0f}%",
            "No conversation flagged in this period",
        ),
        "handoff": charts.bars(
            [100 * d.handoff_rate for d in days],
            labels,
            "Hand-offs, % of conversations",
            "{:.0f}%",
            "No request for a person in this period",
        ),
        "sentiment": charts.line(
            [d.sentiment for d in days], labels, "Mean shopper sentiment per day"
        ),
    }
    return templates.TemplateResponse(request, "analytics.html", context)


@router.get("/{rest:path}", response_class=HTMLResponse, response_model=None)
async def anything_else(rest: str, request: Request, settings: SettingsDep) -> Response:
    """Unknown console paths: the login page for strangers, 404 for agents."""
    user = await _user_or_login(request, settings)
    if not isinstance(user, auth.ConsoleUser):
        return user
    raise HTTPException(404)
