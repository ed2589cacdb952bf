"""A user's notification preferences (channel, opt-out, the WhatsApp window) and the consent
log every change of them writes."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core import clock
from chalicelib.core.ids import new_id
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import Tx, transaction
from chalicelib.notify.models import ConsentEntry, Preference


def get_preference(user_id: str) -> Preference:
    try:
        return Preference.get(keys.user(user_id), keys.NOTIFY_SK, consistent_read=True)
    except DoesNotExist:
        return Preference(PK=keys.user(user_id), SK=keys.NOTIFY_SK, user_id=user_id, updated_at=clock.iso())


def window_open(preference: Preference) -> bool:
    return bool(preference.window_until) and str(preference.window_until) > clock.iso()


def consent(tx: Tx, user_id: str, action: str, source: str, evidence: str | None, channel: str | None) -> None:
    moment = clock.now()
    entry_id = new_id(moment)
    tx.create(
        ConsentEntry(
            PK=keys.user(user_id),
            SK=keys.consent(clock.iso(moment), entry_id),
            user_id=user_id,
            action=action,
            channel=channel,
            source=source,
            evidence=evidence,
            created_at=clock.iso(moment),
        ),
        label="consent",
    )


def set_preference(actor: Actor, channel: str | None, opted_out: bool | None) -> Preference:
    """A user chooses a channel or opts in/out from the app; every change goes to the consent log."""
    user_id = actor.user_id or ""  # a signed-in user: the route admits no anonymous caller
    preference = get_preference(user_id)
    with transaction() as tx:
        if channel is not None and channel != preference.channel:
            preference.channel = channel
            consent(tx, user_id, "channel", "api", None, channel)
        if opted_out is not None and opted_out != bool(preference.opted_out):
            preference.opted_out = opted_out
            consent(tx, user_id, "opt_out" if opted_out else "opt_in", "api", None, None)
        preference.updated_at = clock.iso()
        tx.put(preference, label="preference")
    return preference


def preference_view(preference: Preference) -> dict[str, Any]:
    return {
        "channel": preference.channel,
        "opted_out": bool(preference.opted_out),
        "whatsapp_window_open": window_open(preference),
        "updated_at": preference.updated_at,
    }
