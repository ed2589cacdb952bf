"""Accounts items: retailers, users, uniqueness claims, sessions, onboarding documents."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)

from chalicelib.db.base import Item


class Retailer(Item, discriminator="retailer"):
    retailer_id = UnicodeAttribute()
    business_name = UnicodeAttribute()
    business_type = UnicodeAttribute()
    registration_number = UnicodeAttribute()
    tax_number = UnicodeAttribute()
    nis = UnicodeAttribute(null=True)
    ai = UnicodeAttribute(null=True)
    phone = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    address = UnicodeAttribute()
    wilaya = NumberAttribute()
    commune = UnicodeAttribute()
    status = UnicodeAttribute()
    status_reason = UnicodeAttribute(null=True)
    owner_user_id = UnicodeAttribute()
    active_user_count = NumberAttribute(default=0)
    active_owner_count = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    approved_at = UnicodeAttribute(null=True)
    approved_by = UnicodeAttribute(null=True)
    delivery_notes = UnicodeAttribute(null=True)  # for the driver: opening hours, where to unload
    # legal identifiers the owner changed, waiting for an admin's review (the old ones stand)
    pending_legal = JSONAttribute(null=True)
    pending_legal_at = UnicodeAttribute(null=True)
    version = VersionAttribute()


class User(Item, discriminator="user"):
    user_id = UnicodeAttribute()
    username = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    role = UnicodeAttribute()
    retailer_id = UnicodeAttribute(null=True)
    full_name = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    language = UnicodeAttribute(default="fr")
    is_active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    created_by = UnicodeAttribute(null=True)
    last_login_at = UnicodeAttribute(null=True)
    must_change_password = BooleanAttribute(default=False)  # a temporary password, set by an admin
    two_factor = BooleanAttribute(default=False)  # TOTP enrolled: every login also asks for a code
    version = VersionAttribute()


class UsernameClaim(Item, discriminator="username"):
    """Makes usernames unique."""

    user_id = UnicodeAttribute()


class PhoneClaim(Item, discriminator="phone"):
    """Makes a phone number belong to one user (inbound WhatsApp maps back through it)."""

    user_id = UnicodeAttribute()


class Session(Item, discriminator="session"):
    """A login on one device: the refresh-token family. Revoked as a whole on reuse."""

    session_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    role = UnicodeAttribute()
    retailer_id = UnicodeAttribute(null=True)
    username = UnicodeAttribute()
    refresh_hash = UnicodeAttribute()
    # PynamoDB types `of=` as the element type itself; the elements are str
    used_hashes = ListAttribute[str](of=UnicodeAttribute, default=list)  # type: ignore[arg-type]
    created_at = UnicodeAttribute()
    last_used_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    revoked_reason = UnicodeAttribute(null=True)
    device_id = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    user_agent = UnicodeAttribute(null=True)


class PasswordReset(Item, discriminator="password_reset"):
    """A user's forgotten-password code: stored as an HMAC only, a few tries, a limited resend.
    PK=USER#id, SK=PASSWORD_RESET; the item outlives the code for the resend window (TTL)."""

    user_id = UnicodeAttribute()
    code_hash = UnicodeAttribute()
    code_expires_at = NumberAttribute()
    tries_left = NumberAttribute()
    last_sent_at = NumberAttribute()
    window_start = NumberAttribute()
    sends = NumberAttribute()


class PhoneChange(Item, discriminator="phone_change"):
    """A user's pending new phone and the code texted to it: stored as an HMAC bound to that
    phone, a few tries, a limited resend. PK=USER#id, SK=PHONE_CHANGE (TTL: the resend window)."""

    user_id = UnicodeAttribute()
    new_phone = UnicodeAttribute()
    code_hash = UnicodeAttribute()
    code_expires_at = NumberAttribute()
    tries_left = NumberAttribute()
    last_sent_at = NumberAttribute()
    window_start = NumberAttribute()
    sends = NumberAttribute()


class TwoFactor(Item, discriminator="two_factor"):
    """A user's authenticator (TOTP, RFC 6238): PK=USER#id, SK=TWO_FACTOR. `pending_secret`
    while the set-up waits for its first code; `secret` once confirmed. `last_step` is the
    time step of the last code accepted (a code is good once); recovery codes are kept as
    HMACs and struck off when used."""

    user_id = UnicodeAttribute()
    pending_secret = UnicodeAttribute(null=True)
    secret = UnicodeAttribute(null=True)
    enabled_at = UnicodeAttribute(null=True)
    last_step = NumberAttribute(default=0)
    # PynamoDB types `of=` as the element type itself; the elements are str
    recovery_hashes = ListAttribute[str](of=UnicodeAttribute, default=list)  # type: ignore[arg-type]


class Document(Item, discriminator="document"):
    document_id = UnicodeAttribute()
    retailer_id = UnicodeAttribute()
    document_type = UnicodeAttribute()
    content_type = UnicodeAttribute()
    file_name = UnicodeAttribute(null=True)
    s3_key = UnicodeAttribute()
    requested_by = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    # quarantine: awaiting_upload → (checked) → scanning (GuardDuty's verdict, where the stage
    # has it) → accepted, or rejected with `reason` and the file deleted
    status = UnicodeAttribute(default="awaiting_upload")
    reason = UnicodeAttribute(null=True)
    size = NumberAttribute(null=True)
    pages = NumberAttribute(null=True)
    checked_at = UnicodeAttribute(null=True)
