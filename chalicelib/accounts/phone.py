"""A user changes their own phone: a 6-digit code is texted to the *new* number (WhatsApp,
else SMS), and only that code, typed back within 10 minutes (5 tries), moves the phone — so
nobody gives their account a number they cannot read. The code is stored as an HMAC bound to
the new number; sending is limited like the password reset's (1 a minute, 5 an hour). The
new number is claimed in the same transaction as the change (one phone, one user), the old
claim released, and the change audited."""

from __future__ import annotations

from chalicelib.accounts import codes
from chalicelib.accounts.items import get_user_item
from chalicelib.accounts.models import PhoneChange, PhoneClaim, User
from chalicelib.accounts.rules import CODE_TTL, RESEND_AFTER, allowance_after, fresh_code
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.errors import Conflict, field_error
from chalicelib.core.observability import count, mask_phone
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.base import read_many, read_one
from chalicelib.db.tx import TxCancelled, transaction
from chalicelib.events import bus, kinds


def _key(user_id: str) -> tuple[str, str]:
    return keys.user(user_id), keys.PHONE_CHANGE_SK


def _claim_key(phone: str) -> tuple[str, str]:
    return keys.phone(phone), keys.PHONE_SK


def _code_hash(user_id: str, phone: str, code: str) -> str:
    return security.sign(f"phone-change:{user_id}:{phone}:{code}".encode())


def request_change(actor: Actor, new_phone: str) -> int:
    """Text a code to `new_phone` (E.164, normalized by the schema); returns its lifetime in
    seconds. 422 when it is already the user's, 409 when another user has it or when a code
    went out too recently (with Retry-After)."""
    user = get_user_item(actor.user_id or "")
    if user.phone == new_phone:
        raise field_error("phone", "phone_unchanged")
    found = read_many([_key(user.user_id), _claim_key(new_phone)])
    claim = found.get(_claim_key(new_phone))
    if isinstance(claim, PhoneClaim) and claim.user_id != user.user_id:
        raise Conflict("phone_taken")
    pending = found.get(_key(user.user_id))
    current = pending if isinstance(pending, PhoneChange) else None
    now = clock.epoch()
    allowed = allowance_after(current, now)
    if allowed.wait > 0:
        wait = allowed.wait
        raise Conflict("code_recently_sent", params={"seconds": wait}, headers={"Retry-After": str(wait)})
    code, fields = fresh_code(allowed, now)
    pk, sk = _key(user.user_id)
    code_hash = _code_hash(user.user_id, new_phone, code)
    item = PhoneChange(PK=pk, SK=sk, user_id=user.user_id, new_phone=new_phone, code_hash=code_hash, **fields)
    unchanged = PhoneChange.last_sent_at == current.last_sent_at if current else PhoneChange.PK.does_not_exist()
    try:
        with transaction() as tx:
            tx.put(item, unchanged, label="phone_change")
            bus.record(
                tx, kinds.phone_code(user_id=user.user_id, phone=new_phone, code=code, expires_at=now + CODE_TTL)
            )
            audit.record(
                tx,
                actor,
                "user.phone_change_requested",
                "user",
                user.user_id,
                retailer_id=user.retailer_id,
                metadata={"phone": mask_phone(new_phone)},
            )
    except TxCancelled:  # a concurrent request sent one a moment ago
        raise Conflict("code_recently_sent", params={"seconds": RESEND_AFTER}) from None
    count("PhoneChangeRequested")
    return CODE_TTL


def confirm_change(actor: Actor, new_phone: str, code: str) -> User:
    """Move the phone with the code texted to it. A wrong, expired or spent code — or another
    number than the one it was sent to — is the same 422 on `code`."""
    user = get_user_item(actor.user_id or "")
    pending = read_one(PhoneChange, _key(user.user_id))
    if pending is None or pending.new_phone != new_phone:
        raise field_error("code", "phone_code_invalid")
    if not codes.matches(pending, _code_hash(user.user_id, new_phone, code.strip())):
        count("PhoneChangeWrongCode")
        raise field_error("code", "phone_code_invalid")
    before, moment = user.phone, clock.iso()
    try:
        with transaction() as tx:
            tx.update(user, [User.phone.set(new_phone), User.updated_at.set(moment)], label="user")
            tx.create(PhoneClaim(PK=keys.phone(new_phone), SK=keys.PHONE_SK, user_id=user.user_id), label="claim")
            if before:
                tx.delete(PhoneClaim(PK=keys.phone(before), SK=keys.PHONE_SK), label="old_claim")
            tx.delete(pending, PhoneChange.code_hash == pending.code_hash, label="phone_change")
            audit.record(
                tx,
                actor,
                "user.phone_changed",
                "user",
                user.user_id,
                retailer_id=user.retailer_id,
                before={"phone": mask_phone(before) if before else None},
                after={"phone": mask_phone(new_phone)},
            )
    except TxCancelled as exc:
        if "claim" in exc.failed:
            raise Conflict("phone_taken") from exc  # claimed by someone else since the code went out
        raise field_error("code", "phone_code_invalid") from exc  # the same code used twice at once
    count("PhoneChanged")
    return get_user_item(user.user_id)
