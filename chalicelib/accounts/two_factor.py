"""Two-factor authentication with an authenticator app (TOTP, RFC 6238; e.g. pyotp's).

Set-up is two steps: `start` (with the password) makes a secret and shows it as an
`otpauth://` link and a QR code; `confirm` with the app's first code turns it on, hands out
ten recovery codes (shown once, kept as HMACs) and ends the user's other sessions. From then
on every login also asks for a code: the app's (each accepted once: the time step is kept)
or a recovery code (struck off when used). Admins must set it up when the stage says so
(`LIVRILI_STAFF_2FA=required`): until then their session may only do this. A user turns it
off with password and code (not an admin of such a stage); an admin may remove another
user's authenticator (a lost phone), which ends that user's sessions. All of it audited.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.accounts.items import get_user_item
from chalicelib.accounts.models import TwoFactor, User
from chalicelib.accounts.sessions import Tokens, open_session, revoke_all_sessions
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, Forbidden, field_error
from chalicelib.core.observability import count
from chalicelib.core.rbac import Actor, Role
from chalicelib.db import keys
from chalicelib.db.base import read_one
from chalicelib.db.tx import TxCancelled, transaction

ISSUER = "Livrili"
STEP = 30  # seconds per code
DRIFT = 1  # steps accepted either side (a phone's clock a little off)
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str  # a data: URI of the QR code of `otpauth_uri`


def _key(user_id: str) -> tuple[str, str]:
    return keys.user(user_id), keys.TWO_FACTOR_SK


def _recovery_hash(user_id: str, code: str) -> str:
    return security.sign(f"recovery:{user_id}:{code.strip().lower().replace('-', '')}".encode())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def is_recovery_code(code: str) -> bool:
    """A recovery code's shape (`abcde-fghjk`), against an app's 6 digits."""
    text = code.strip()
    return not text.isdigit() and len(text.replace("-", "")) == 10


def _check_password(user: User, password: str) -> None:
    if not security.verify_password(user.password_hash, password):
        raise field_error("password", "wrong_password")


def start(actor: Actor, password: str) -> Enrolment:
    """A new secret waiting for its first code (a set-up started again replaces it)."""
    import pyotp
    import segno

    user = get_user_item(actor.user_id or "")
    _check_password(user, password)
    if user.two_factor:
        raise Conflict("two_factor_already_enabled")
    secret = pyotp.random_base32()
    pk, sk = _key(user.user_id)
    try:  # never over an authenticator turned on meanwhile
        TwoFactor(PK=pk, SK=sk, user_id=user.user_id, pending_secret=secret).save(TwoFactor.secret.does_not_exist())
    except PutError as exc:
        raise Conflict("two_factor_already_enabled") from exc
    uri = pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=user.username, issuer_name=ISSUER)
    qr = segno.make(uri, error="m").svg_data_uri(scale=4, border=2)
    return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=qr)


def _step_of(secret: str, code: str, after: int) -> int | None:
    """The time step whose code is `code`, within the drift and later than `after`."""
    import pyotp

    totp = pyotp.TOTP(secret, interval=STEP)
    now = clock.epoch()
    text = code.strip()
    for offset in range(-DRIFT, DRIFT + 1):
        at = now + offset * STEP
        step = at // STEP
        if step > after and hmac.compare_digest(totp.at(at), text):
            return step
    return None


def confirm(actor: Actor, code: str) -> tuple[list[str], Tokens]:
    """Turn the set-up on with the app's first code: the recovery codes (shown once) and a
    fresh session for this device (every other session ends)."""
    user = get_user_item(actor.user_id or "")
    item = read_one(TwoFactor, _key(user.user_id))
    if user.two_factor:
        raise Conflict("two_factor_already_enabled")
    if item is None or not item.pending_secret:
        raise Conflict("two_factor_not_started")
    step = _step_of(item.pending_secret, code, 0)
    if step is None:
        raise field_error("code", "two_factor_code_invalid")
    recovery = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    try:
        with transaction() as tx:
            tx.update(
                item,
                [
                    TwoFactor.secret.set(item.pending_secret),
                    TwoFactor.pending_secret.remove(),
                    TwoFactor.enabled_at.set(clock.iso()),
                    TwoFactor.last_step.set(step),
                    TwoFactor.recovery_hashes.set([_recovery_hash(user.user_id, c) for c in recovery]),
                ],
                condition=TwoFactor.pending_secret == item.pending_secret,
                label="two_factor",
            )
            tx.update(user, [User.two_factor.set(True), User.updated_at.set(clock.iso())], label="user")
            audit.record(tx, actor, "auth.two_factor_enabled", "user", user.user_id, retailer_id=user.retailer_id)
    except TxCancelled as exc:  # confirmed twice at once, or started again meanwhile
        raise Conflict("two_factor_not_started") from exc
    revoke_all_sessions(user.user_id, "two_factor_enabled")
    user.two_factor = True
    tokens = open_session(actor, user)
    count("TwoFactorEnabled")
    return recovery, tokens


def verify(user: User, code: str) -> bool:
    """Whether `code` is this user's app code (never one already accepted) or an unused
    recovery code (then struck off). One read, and one conditional write when it is good."""
    item = read_one(TwoFactor, _key(user.user_id))
    if item is None or not item.secret:
        return False
    if is_recovery_code(code):
        wanted = _recovery_hash(user.user_id, code)
        left = [h for h in item.recovery_hashes or [] if not hmac.compare_digest(h, wanted)]
        if len(left) == len(item.recovery_hashes or []):
            return False
        try:
            item.update(
                [TwoFactor.recovery_hashes.set(left)],
                condition=TwoFactor.recovery_hashes == list(item.recovery_hashes or []),
            )
        except UpdateError:  # the same code used twice at once: one wins
            return False
        audit.record(
            None,
            _self(user),
            "auth.recovery_code_used",
            "user",
            user.user_id,
            retailer_id=user.retailer_id,
            metadata={"left": len(left)},
        )
        return True
    step = _step_of(item.secret, code, int(item.last_step or 0))
    if step is None:
        return False
    try:  # a code is good once: the step only moves forward
        item.update([TwoFactor.last_step.set(step)], condition=TwoFactor.last_step < step)
    except UpdateError:
        return False
    return True


def _self(user: User) -> Actor:
    return Actor(user_id=user.user_id, role=user.role, retailer_id=user.retailer_id, username=user.username)


def _remove(actor: Actor, user: User, action: str) -> None:
    with transaction() as tx:
        tx.delete(TwoFactor(PK=keys.user(user.user_id), SK=keys.TWO_FACTOR_SK), label="two_factor")
        tx.update(user, [User.two_factor.set(False), User.updated_at.set(clock.iso())], label="user")
        audit.record(tx, actor, action, "user", user.user_id, retailer_id=user.retailer_id)


def disable(actor: Actor, password: str, code: str) -> None:
    """Turn it off with the password and a code; an admin of a stage that requires it may not."""
    user = get_user_item(actor.user_id or "")
    if not user.two_factor:
        raise Conflict("two_factor_not_enabled")
    if settings().staff_two_factor and user.role == Role.ADMIN:
        raise Forbidden("two_factor_required_for_staff")
    _check_password(user, password)
    if not verify(user, code):
        raise field_error("code", "two_factor_code_invalid")
    _remove(actor, user, "auth.two_factor_disabled")
    count("TwoFactorDisabled")


def remove_for(actor: Actor, user_id: str) -> None:
    """An admin removes another user's authenticator (a lost phone): their sessions end, and
    they log in with the password alone until they set up a new one."""
    if user_id == actor.user_id:  # one's own goes with password and code (`disable`)
        raise Forbidden("two_factor_required_for_staff")
    user = get_user_item(user_id)
    if not user.two_factor:
        raise Conflict("two_factor_not_enabled")
    _remove(actor, user, "auth.two_factor_removed")
    revoke_all_sessions(user.user_id, "two_factor_removed")
    count("TwoFactorRemoved")
