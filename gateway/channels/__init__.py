"""Messaging channels: Telegram, Slack, Messenger and WhatsApp relayed through the gateway.

Each platform module turns the platform's webhook payload into shopper messages
(:class:`~gateway.channels.base.Inbound`) and the bot's replies into the platform's own
messages (inline keyboards, Block Kit, carousels, interactive lists); :mod:`.base` relays them
through :func:`gateway.conversation.converse` and sends the answers with retries.
"""
