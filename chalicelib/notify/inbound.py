"""What the messaging provider tells us: delivery status callbacks (forward only) and the
messages shops send us (recorded, opening the WhatsApp window, acting on the keywords)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.accounts import items as accounts_items
from chalicelib.accounts.models import User
from chalicelib.core import clock
from chalicelib.core.i18n import LANGUAGES as LANGS
from chalicelib.core.i18n import ORDER_STATUS_WORDS
from chalicelib.core.observability import count, mask_phone
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import transaction
from chalicelib.notify.models import Inbound, Message, ProviderSid
from chalicelib.notify.preferences import consent, get_preference
from chalicelib.notify.rules import (
    OPT_IN_WORDS,
    OPT_OUT_WORDS,
    REPLIES,
    STATUS_RANK,
    STATUS_WORDS,
    keyword,
)
from chalicelib.orders import schemas as order_schemas
from chalicelib.orders import views as order_views


def apply_status(sid: str, status: str, error_code: str | None) -> bool:
    """A Twilio status callback: update the message's status if it moves it forward.
    Idempotent and order-tolerant; False when the callback changes nothing."""
    rank = STATUS_RANK.get(status)
    if rank is None:
        return False
    try:
        link = ProviderSid.get(keys.provider_sid(sid), keys.PROVIDER_SID_SK, consistent_read=True)
    except DoesNotExist:
        return False
    actions: list[Action] = [
        Message.status.set(status),
        Message.status_rank.set(rank),
        Message.updated_at.set(clock.iso()),
    ]
    if error_code:
        actions.append(Message.error_code.set(error_code))
    try:
        Message(PK=link.message_pk, SK=keys.MESSAGE_SK).update(
            actions=actions, condition=Message.PK.exists() & (Message.status_rank < rank)
        )
    except UpdateError:
        return False
    return True


def handle_inbound(sender: str, body: str, sid: str) -> str:
    """A message from a phone: record it, open the WhatsApp window, act on the keywords;
    returns the reply text (unknown senders get a polite reply and nothing else)."""
    channel = "whatsapp" if sender.startswith("whatsapp:") else "sms"
    phone = sender.removeprefix("whatsapp:")
    user = accounts_items.user_by_phone(phone)
    word = keyword(body)
    lang = user.language if user is not None and user.language in LANGS else "fr"
    if user is None:
        handled, reply = "unknown_sender", REPLIES["unknown"][lang]
    elif word in OPT_OUT_WORDS:
        handled, reply = "opt_out", REPLIES["opted_out"][lang]
    elif word in OPT_IN_WORDS:
        handled, reply = "opt_in", REPLIES["opted_in"][lang]
    elif word in STATUS_WORDS:
        handled, reply = "status", _latest_order_status(user, lang)
    else:
        handled, reply = "other", REPLIES["help"][lang]
    now = clock.iso()
    with transaction() as tx:
        tx.put(
            Inbound(
                PK=keys.INBOUND,
                SK=keys.inbound(now, sid),
                sid=sid,
                sender=mask_phone(phone) or "",
                channel=channel,
                user_id=user.user_id if user is not None else None,
                body=body[:1600],
                handled_as=handled,
                created_at=now,
                expires_at=clock.epoch(clock.now() + timedelta(days=90)),
            ),
            label="inbound",
        )
        if user is not None:
            preference = get_preference(user.user_id)
            values: dict[str, Any] = {"updated_at": now}
            if channel == "whatsapp":
                values["window_until"] = clock.iso(clock.now() + timedelta(hours=24))
            if handled in ("opt_out", "opt_in"):
                values["opted_out"] = handled == "opt_out"
                consent(tx, user.user_id, handled, f"inbound {channel}", f"{word} ({sid})", channel)
            for name, value in values.items():
                setattr(preference, name, value)
            tx.put(preference, label="preference")
    count(f"Inbound_{handled}")
    return reply


def _latest_order_status(user: User, lang: str) -> str:
    actor = Actor(user_id=user.user_id, role=user.role, retailer_id=user.retailer_id, username=user.username)
    if not user.retailer_id:
        return REPLIES["no_order"][lang]
    latest, _ = order_views.list_orders(actor, order_schemas.OrderListQuery(limit=1))
    if not latest:
        return REPLIES["no_order"][lang]
    status = ORDER_STATUS_WORDS[latest[0].status][lang]
    return REPLIES["status"][lang].format(number=latest[0].order_number, status=status)
