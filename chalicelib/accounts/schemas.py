"""Accounts API shapes, with the validation rules of Algerian business identifiers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from chalicelib.core.money import Centimes
from chalicelib.core.schemas import Flag, Model, PageQuery, Reason, Strict, Text, UploadGrant, clean_text

# ------------------------------------------------------------------ field rules


def normalize_phone(value: str) -> str:
    """An Algerian mobile (05/06/07…) in any usual spelling -> E.164 (`+213661234567`)."""
    import phonenumbers  # ~60 ms of import: paid by the first phone validated, not by every cold start

    try:
        number = phonenumbers.parse(value, "DZ")
    except phonenumbers.NumberParseException as exc:
        raise PydanticCustomError("invalid_phone", "invalid phone") from exc
    national = str(number.national_number)
    if (
        number.country_code != 213
        or len(national) != 9
        or national[0] not in "567"
        or not phonenumbers.is_valid_number(number)
    ):
        raise PydanticCustomError("invalid_phone", "invalid phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _digits(value: str) -> str:
    # Arabic-Indic and Eastern Arabic digits are digits too: fold them to ASCII.
    folded = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in value)
    return re.sub(r"[\s.\-/]", "", folded)


def _digit_rule(code: str, lengths: set[int] | range) -> Callable[[str], str]:
    def check(value: str) -> str:
        digits = _digits(value)
        if not digits.isdigit() or len(digits) not in lengths:
            raise PydanticCustomError(code, code)
        return digits

    return check


normalize_nif = _digit_rule("invalid_nif", {15, 20})
normalize_nis = _digit_rule("invalid_nis", range(11, 21))
normalize_ai = _digit_rule("invalid_ai", range(8, 21))

_RC_RE = re.compile(r"^[0-9A-Z][0-9A-Z/\-]{5,29}$")


def normalize_rc(value: str) -> str:
    """Registre de commerce, e.g. `16/00-1234567 B 21`: uppercased, inner spaces removed."""
    folded = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in value.upper())
    compact = re.sub(r"\s+", "", folded)
    if not _RC_RE.match(compact) or not any(ch.isdigit() for ch in compact):
        raise PydanticCustomError("invalid_rc", "invalid rc")
    return compact


_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")


_PHONE_LIKE = re.compile(r"\+?[\d\s.\-/()]{6,24}")


def phone_in(text: str) -> str | None:
    """The Algerian mobile a login or a search names (any usual spelling) as E.164, or None."""
    text = text.strip()
    if not _PHONE_LIKE.fullmatch(text):  # digits and separators only (no letters: no "vanity" numbers)
        return None
    try:
        return normalize_phone(text)
    except PydanticCustomError:
        return None


def normalize_username(value: str) -> str:
    name = value.strip().lower()
    if not _USERNAME_RE.match(name):
        raise PydanticCustomError("invalid_username", "invalid username")
    if phone_in(name) is not None:  # one signs in with a phone too: a username must not be one
        raise PydanticCustomError("username_is_phone", "a username cannot be a phone number")
    return name


def check_password(value: str) -> str:
    if len(value) < 10 or not re.search(r"[^\W\d_]", value) or not re.search(r"\d", value):
        raise PydanticCustomError("weak_password", "weak password")
    return value


Phone = Annotated[
    str,
    Field(
        min_length=6,
        max_length=24,
        description="An Algerian mobile (05, 06 or 07…) in any usual spelling — `0661 23 45 67`, "
        "`+213 661 23 45 67` — stored and returned as E.164 (`+213661234567`); else 422 `invalid_phone`",
        examples=["0661 23 45 67"],
    ),
    AfterValidator(normalize_phone),
]
Username = Annotated[str, Field(min_length=3, max_length=32), AfterValidator(normalize_username)]
Password = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        description="At least 10 characters, with a letter and a digit (else 422 `weak_password`)",
        json_schema_extra={"minLength": 10},
    ),
    AfterValidator(check_password),
]
LongText = Annotated[str, Field(min_length=3, max_length=500), AfterValidator(clean_text)]
Wilaya = Annotated[int, Field(ge=1, le=69, strict=True, description="Wilaya code, 1–69")]


class BusinessType(StrEnum):
    GROCERY = "grocery"
    SUPERETTE = "superette"
    MINI_MARKET = "mini_market"
    SUPERMARKET = "supermarket"
    KIOSK = "kiosk"
    WHOLESALER = "wholesaler"
    BAKERY = "bakery"
    CAFE_RESTAURANT = "cafe_restaurant"
    COSMETICS = "cosmetics"
    OTHER = "other"


class RetailerStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


# ------------------------------------------------------------------ auth


# a second factor: an authenticator's or a texted 6 digits, or a recovery code (abcde-fghjk)
SecondFactor = Annotated[
    str,
    Field(
        pattern=r"^\s*([0-9]{6}|[a-zA-Z0-9]{5}-?[a-zA-Z0-9]{5})\s*$",
        description="6 digits (authenticator app or texted login code) or a recovery code",
    ),
]


class LoginIn(Strict):
    username: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            description="The username, or the user's phone in any usual spelling (`0661 23 45 67`, `+213661234567`)",
        ),
    ]
    password: Annotated[str, Field(min_length=1, max_length=128)]
    device_id: Annotated[str, Field(max_length=128)] | None = None
    code: SecondFactor | None = Field(
        default=None,
        description="sent again with the password when a login answered 401 `authenticator_code_required` "
        "or `login_code_sent` (details.second_factor: `totp` or `sms`)",
    )


class RefreshIn(Strict):
    refresh_token: Annotated[str, Field(min_length=10, max_length=256)]


class UserOut(Model):
    model_config = ConfigDict(from_attributes=True)

    user_id: str
    username: str
    role: str
    retailer_id: str | None
    full_name: str
    phone: str | None
    language: str
    is_active: bool
    created_at: str
    last_login_at: str | None
    must_change_password: bool = Field(
        default=False, description="a temporary password: the app asks for a new one before anything else"
    )
    two_factor: bool = Field(default=False, description="an authenticator app is set up: logins ask for its code")


class TokenOut(Model):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_in: int
    user: UserOut


class SessionOut(Model):
    model_config = ConfigDict(from_attributes=True)

    session_id: str
    device_id: str | None
    ip: str | None
    user_agent: str | None
    created_at: str
    last_used_at: str
    current: bool = False


class RetailerSummary(Model):
    retailer_id: str
    business_name: str
    status: str


class MeOut(Model):
    user: UserOut
    retailer: RetailerSummary | None


# ------------------------------------------------------------------ retailers


class OwnerIn(Strict):
    username: Username
    password: Password
    full_name: Text
    phone: Phone
    language: Literal["ar", "fr", "en"] = "fr"


class RetailerRegistration(Strict):
    business_name: Text
    business_type: BusinessType
    registration_number: Annotated[str, Field(min_length=6, max_length=40), AfterValidator(normalize_rc)]
    tax_number: Annotated[str, Field(min_length=15, max_length=40), AfterValidator(normalize_nif)]
    nis: Annotated[str, Field(min_length=8, max_length=40), AfterValidator(normalize_nis)] | None = None
    ai: Annotated[str, Field(min_length=8, max_length=40), AfterValidator(normalize_ai)] | None = None
    phone: Phone
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    address: LongText
    wilaya: Wilaya
    commune: Text
    owner: OwnerIn


class RetailerOut(Model):
    model_config = ConfigDict(from_attributes=True)

    retailer_id: str
    business_name: str
    business_type: str
    registration_number: str
    tax_number: str
    nis: str | None
    ai: str | None
    phone: str
    email: str | None
    address: str
    wilaya: int
    commune: str
    status: str
    status_reason: str | None
    credit_limit: int | None = Field(
        default=None, description="Centimes, from the shop's credit account; hidden from buyers"
    )
    owner_user_id: str
    active_user_count: int
    created_at: str
    updated_at: str
    approved_at: str | None
    delivery_notes: str | None = None
    pending_legal: dict[str, str | None] | None = Field(
        default=None, description="Legal identifiers the owner changed, waiting for an admin's review"
    )
    version: int


class RetailerPatchIn(Strict):
    """What a shop changes of itself (owner) or an admin fixes. Address, contact and delivery
    notes apply at once; an owner's change of a legal identifier waits for an admin's review."""

    version: Annotated[int, Field(ge=1, strict=True)] = Field(
        description="The `version` you read: a stale one gets 409"
    )
    address: LongText | None = None
    commune: Text | None = None
    wilaya: Wilaya | None = None
    phone: Phone | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    delivery_notes: Annotated[str, Field(max_length=300), AfterValidator(clean_text)] | None = None
    registration_number: Annotated[str, Field(min_length=6, max_length=40), AfterValidator(normalize_rc)] | None = None
    tax_number: Annotated[str, Field(min_length=15, max_length=40), AfterValidator(normalize_nif)] | None = None
    nis: Annotated[str, Field(min_length=8, max_length=40), AfterValidator(normalize_nis)] | None = None
    ai: Annotated[str, Field(min_length=8, max_length=40), AfterValidator(normalize_ai)] | None = None


class LegalReviewIn(Strict):
    approve: Annotated[bool, Field(strict=True)]
    reason: Reason | None = None


class RegistrationOut(Model):
    retailer: RetailerOut
    owner: UserOut
    onboarding_token: str = Field(description="Lets the new shop upload its documents before approval")
    onboarding_token_expires_in: int


class RetailerListQuery(Strict):
    status: RetailerStatus = RetailerStatus.PENDING
    cursor: Annotated[str, Field(max_length=2048)] | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 25


class ApproveIn(Strict):
    credit_limit: Centimes


class ReasonIn(Strict):
    reason: Reason


class ReactivateIn(Strict):
    reason: Reason | None = None


# ------------------------------------------------------------------ shop users


class UserCreateIn(Strict):
    username: Username
    password: Password
    role: Literal["owner", "buyer"]
    full_name: Text
    phone: Phone
    language: Literal["ar", "fr", "en"] = "fr"


class UserPatchIn(Strict):
    role: Literal["owner", "buyer"] | None = None
    is_active: Flag | None = None
    full_name: Text | None = None
    language: Literal["ar", "fr", "en"] | None = None


# ------------------------------------------------------------------ me


class MePatchIn(Strict):
    """What a user changes of their own profile (the phone changes by a confirmed code)."""

    full_name: Text | None = None
    language: Literal["ar", "fr", "en"] | None = None


class PasswordChangeIn(Strict):
    current_password: Annotated[str, Field(min_length=1, max_length=128)]
    new_password: Password


class ResetRequestIn(Strict):
    login: Annotated[str, Field(min_length=3, max_length=64, description="username or phone number")]


class ResetRequestOut(Model):
    """The same for every login, known or not: if it names an account with a phone, a code is on its way."""

    requested: Literal[True] = True
    expires_in: int = Field(description="seconds the code stays valid")
    resend_after: int = Field(description="seconds before another code may be asked for")


class ResetConfirmIn(Strict):
    login: Annotated[str, Field(min_length=3, max_length=64)]
    code: Annotated[str, Field(pattern=r"^\s*[0-9]{6}\s*$", description="the 6 digits received")]
    new_password: Password


class PhoneChangeIn(Strict):
    phone: Phone


class PhoneChangeOut(Model):
    """A code is on its way to the new number."""

    phone: str
    expires_in: int
    resend_after: int


class PhoneConfirmIn(Strict):
    phone: Phone
    code: Annotated[str, Field(pattern=r"^\s*[0-9]{6}\s*$", description="the 6 digits the new phone received")]


class TwoFactorStartIn(Strict):
    password: Annotated[str, Field(min_length=1, max_length=128, description="the current password")]


class TwoFactorStartOut(Model):
    """Scan the QR code (or type the secret) in an authenticator app, then confirm a code."""

    secret: str = Field(description="base32, for typing into the app by hand")
    otpauth_uri: str
    qr_svg: str = Field(description="a data: URI of the QR code (SVG)")


class TwoFactorConfirmIn(Strict):
    code: Annotated[str, Field(pattern=r"^\s*[0-9]{6}\s*$", description="the app's current 6 digits")]


class TwoFactorOut(TokenOut):
    """Two-factor is on: the recovery codes (shown only now) and this device's new session
    (every other session ended)."""

    recovery_codes: list[str]


class TwoFactorOffIn(Strict):
    password: Annotated[str, Field(min_length=1, max_length=128)]
    code: SecondFactor


# ------------------------------------------------------------------ staff


class StaffRole(StrEnum):
    ADMIN = "admin"
    DRIVER = "driver"


class StaffCreateIn(Strict):
    """A driver or admin account, with a temporary password the person changes at first login."""

    username: Username
    temporary_password: Password
    role: StaffRole
    full_name: Text
    phone: Phone | None = None
    language: Literal["ar", "fr", "en"] = "fr"


class StaffPatchIn(Strict):
    is_active: Flag | None = None
    full_name: Text | None = None
    language: Literal["ar", "fr", "en"] | None = None


class StaffListQuery(PageQuery):
    role: StaffRole | None = None


# ------------------------------------------------------------------ documents


class DocumentType(StrEnum):
    RC_EXTRACT = "rc_extract"
    TAX_ATTESTATION = "tax_attestation"
    NIF_CARD = "nif_card"
    NIS_CARD = "nis_card"
    ID_CARD = "id_card"
    SHOP_PHOTO = "shop_photo"
    OTHER = "other"


DOCUMENT_CONTENT_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


class DocumentUploadIn(Strict):
    document_type: DocumentType
    content_type: Literal["image/jpeg", "image/png", "image/webp", "application/pdf"]
    file_name: Annotated[str, Field(max_length=200), AfterValidator(clean_text)] | None = None


class DocumentUploadOut(UploadGrant):
    document_id: str


class DocumentOut(Model):
    document_id: str
    document_type: str
    content_type: str
    file_name: str | None
    created_at: str
    status: Literal["awaiting_upload", "scanning", "accepted", "rejected"] = Field(
        description="awaiting_upload, then checked (type, decoding, PDF content) and, where the stage scans for "
        "malware, scanning; accepted, or rejected with the reason (the file is deleted)"
    )
    reason: str | None = Field(description="why it was rejected: document_type_mismatch, pdf_active_content…")
    reason_message: str | None = Field(description="the reason in the caller's language")
    uploaded: bool
    size: int | None
    pages: int | None = Field(description="pages of an accepted PDF")
    download_url: str | None = Field(description="accepted documents only (staff and the owner)")
