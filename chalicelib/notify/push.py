"""Web Push, the third channel beside WhatsApp and SMS: the browsers' subscriptions of a user,
and sending one notification to one of them — the payload encrypted for that browser (RFC
8291, aes128gcm) and the request signed with the stage's VAPID key (RFC 8292).

The VAPID key is derived from the stage's VAPID secret (`core.config.push_settings`), so the
key pair needs no storage of its own: rotating the secret means every browser subscribes
again (the app does it when the key it reads differs from its subscription's).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from chalicelib.core import clock
from chalicelib.core.config import push_settings
from chalicelib.core.errors import field_error
from chalicelib.db import keys
from chalicelib.notify.models import PushSubscription

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

MAX_SUBSCRIPTIONS = 10  # browsers per user; the oldest goes when an 11th subscribes
TTL_SECONDS = 24 * 3600  # how long a push service keeps a notification for an offline phone
TIMEOUT_SECONDS = 10
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=4)
def _private_key(secret: str) -> ec.EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives.asymmetric import ec

    digest = hashlib.sha256(b"livrili-vapid-key|" + secret.encode()).digest()
    scalar = int.from_bytes(digest, "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def vapid_key() -> ec.EllipticCurvePrivateKey:
    return _private_key(push_settings().secret)


def public_key() -> str:
    """The stage's VAPID public key (uncompressed P-256 point, base64url): the browser's
    `applicationServerKey`."""
    from cryptography.hazmat.primitives import serialization

    raw = (
        vapid_key().public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return b64url(raw)


def check_endpoint(endpoint: str) -> None:
    """A push service URL: https on a public host; on the local stack, also http on 127.0.0.1
    (a fake push service). Anything else is refused (the worker would call it: no SSRF)."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    local = push_settings().local_endpoints and host in ("127.0.0.1", "localhost")
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise field_error("endpoint", "push_endpoint_invalid")
    if not host or (not local and _private_host(host)):
        raise field_error("endpoint", "push_endpoint_invalid")


def is_loopback(endpoint: str) -> bool:
    return (urlsplit(endpoint).hostname or "") in ("127.0.0.1", "localhost")


def _private_host(host: str) -> bool:
    import ipaddress  # only when a browser subscribes: not on every cold start

    if host == "localhost" or host.endswith((".local", ".internal", ".localhost")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: push services are public names (fcm.googleapis.com, …)
    return not address.is_global


def check_keys(p256dh: str, auth: str) -> None:
    """The browser's keys must be a P-256 point and a 16-byte secret (or nothing can be sent)."""
    try:
        point, secret = unb64url(p256dh), unb64url(auth)
    except ValueError as exc:
        raise field_error("keys", "push_keys_invalid") from exc
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        raise field_error("keys", "push_keys_invalid")


def subscription_id(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()[:26].upper()


def save(
    user_id: str,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str | None,
    audience: tuple[str, int | None] = ("shop", None),
) -> PushSubscription:
    """Store a browser's subscription (again: it replaces the one of the same endpoint); a user
    keeps at most MAX_SUBSCRIPTIONS, the oldest is dropped. `audience` (the kind of user, and a
    shop's wilaya) files it for the announcements meant for them."""
    check_endpoint(endpoint)
    check_keys(p256dh, auth)
    sub_id = subscription_id(endpoint)
    existing = [s for s in of_user(user_id) if s.subscription_id != sub_id]
    for old in sorted(existing, key=lambda s: s.created_at)[: max(0, len(existing) - MAX_SUBSCRIPTIONS + 1)]:
        old.delete()
    item = PushSubscription(
        PK=keys.user(user_id),
        SK=keys.push_subscription(sub_id),
        subscription_id=sub_id,
        user_id=user_id,
        endpoint=endpoint,
        p256dh=p256dh,
        auth=auth,
        user_agent=(user_agent or "")[:200] or None,
        created_at=clock.iso(),
        GSI1PK=keys.push_audience(audience[0]),
        GSI1SK=keys.push_audience_sort(audience[1], sub_id),
    )
    item.save()
    return item


def of_audience(kind: str, wilaya: int | None = None) -> list[PushSubscription]:
    """The browsers of every user of a kind (`shop`, `driver`, `admin`), a shop's only in one
    wilaya when given."""
    sort = PushSubscription.GSI1SK.startswith(f"{wilaya:02d}#") if wilaya is not None else None
    return [s for s in PushSubscription.gsi1.query(keys.push_audience(kind), sort) if isinstance(s, PushSubscription)]


def of_user(user_id: str) -> list[PushSubscription]:
    return list(PushSubscription.query(keys.user(user_id), PushSubscription.SK.startswith(keys.PUSH_PREFIX)))


def remove(user_id: str, sub_id: str) -> bool:
    """Forget one subscription of a user; False when there was none."""
    try:
        PushSubscription.get(keys.user(user_id), keys.push_subscription(sub_id)).delete()
    except PushSubscription.DoesNotExist:
        return False
    return True


@dataclass(frozen=True)
class Outcome:
    status: int  # the push service's HTTP status (0: not reached)
    gone: bool = False  # 404/410: the browser dropped this subscription: forget it
    retry: bool = False  # 429, 5xx, the network: try again later


def encrypt(payload: bytes, p256dh: str, auth: str) -> bytes:
    """The body for one browser: aes128gcm with a fresh sender key (RFC 8291)."""
    import http_ece
    from cryptography.hazmat.primitives.asymmetric import ec

    sender = ec.generate_private_key(ec.SECP256R1())
    return bytes(
        http_ece.encrypt(
            payload, private_key=sender, dh=unb64url(p256dh), auth_secret=unb64url(auth), version="aes128gcm"
        )
    )


def vapid_headers(endpoint: str) -> dict[str, str]:
    """`Authorization: vapid t=<JWT>, k=<public key>` for the push service of `endpoint`."""
    from py_vapid import Vapid02

    parts = urlsplit(endpoint)
    claims = {"aud": f"{parts.scheme}://{parts.netloc}", "exp": int(time.time()) + 12 * 3600}
    claims["sub"] = push_settings().subject
    headers: dict[str, str] = Vapid02(private_key=vapid_key()).sign(claims)
    return headers


def send(subscription: PushSubscription, notification: dict[str, Any], topic: str | None = None) -> Outcome:
    """POST one encrypted notification to the subscription's push service."""
    import urllib3

    body = encrypt(json.dumps(notification, ensure_ascii=False).encode(), subscription.p256dh, subscription.auth)
    headers = {
        **vapid_headers(subscription.endpoint),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
    }
    if topic:  # a newer notification of the same topic replaces one still waiting
        headers["Topic"] = topic[:32]
    try:
        reply = urllib3.request(
            "POST", subscription.endpoint, body=body, headers=headers, timeout=TIMEOUT_SECONDS, retries=False
        )
    except urllib3.exceptions.HTTPError:
        return Outcome(0, retry=True)
    status = int(reply.status)
    return Outcome(status, gone=status in (404, 410), retry=status == 429 or status >= 500)
