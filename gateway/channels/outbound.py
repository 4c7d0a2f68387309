"""Messages the shopper did not trigger, sent to their messaging platform: a support agent's
reply reaches a Telegram, Slack, Messenger or WhatsApp shopper like the bot's answers do.

The platform address comes from the sender id each channel gives its shoppers
(``telegram-<chat>``, ``slack-<team>-<user>``, ``messenger-<psid>``, ``whatsapp-<phone>``);
web shoppers read the reply from their message feed instead.
"""

from __future__ import annotations

from gateway.channels import meta, slack, telegram
from gateway.channels.base import Channels, Inbound, Renderer
from gateway.rasa_client import bot_text

_ROUTES: dict[str, tuple[Renderer, str]] = {
    "telegram": (telegram.render, "chat_id"),
    "slack": (slack.render, "channel"),  # a user id as channel: the app's direct message
    "messenger": (meta.render_messenger, "psid"),
    "whatsapp": (meta.render_whatsapp, "to"),
}


def address(sender_id: str) -> tuple[str, str] | None:
    """(channel, platform address) of a messaging shopper; None for web shoppers."""
    channel, _, rest = sender_id.partition("-")
    if channel not in _ROUTES or not rest:
        return None
    return channel, rest.rsplit("-", 1)[-1] if channel == "slack" else rest


async def push(channels: Channels, sender_id: str, text: str) -> bool | None:
    """Send ``text`` to the shopper's platform; None for web shoppers, else whether it went."""
    found = address(sender_id)
    if found is None:
        return None
    channel, to = found
    render, key = _ROUTES[channel]
    inbound = Inbound(channel, "support", sender_id, "", {key: to})
    sent = [
        await channels.send(channel, out)
        for out in render(channels.settings, inbound, [bot_text(sender_id, text)])
    ]
    return all(sent)
