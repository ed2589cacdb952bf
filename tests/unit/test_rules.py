"""Pure rules: languages, Algerian identifiers, money, audit diffs, cursors, tokens."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from chalicelib.accounts import schemas
from chalicelib.audit.service import diff
from chalicelib.core import i18n
from chalicelib.core.errors import BadRequest, Unauthorized
from chalicelib.core.money import format_dzd
from chalicelib.core.observability import mask_phone
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.security import decode_token, issue_token


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "fr"),
        ("ar", "ar"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE, ar-DZ;q=0.8, fr;q=0.5", "ar"),
        ("fr;q=0.2, en;q=0.7", "en"),
        ("es, it", "fr"),
        ("ar;q=0", "fr"),
    ],
)
def test_negotiate(header, lang):
    assert i18n.negotiate(header) == lang


def test_every_message_has_three_languages():
    for code, entry in i18n.MESSAGES.items():
        assert set(entry) == {"ar", "fr", "en"}, code


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0661234567", "+213661234567"),
        ("06 61 23 45 67", "+213661234567"),
        ("+213 5 50 12 34 56", "+213550123456"),
        ("00213770123456", "+213770123456"),
        ("٠٦٦١٢٣٤٥٦٧", "+213661234567"),
    ],
)
def test_phone_normalized(raw, e164):
    assert schemas.normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["021234567", "0861234567", "+33612345678", "06612345", "hello"])
def test_phone_rejected(raw):
    with pytest.raises(PydanticCustomError) as caught:
        schemas.normalize_phone(raw)
    assert caught.value.type == "invalid_phone"


@pytest.mark.parametrize(
    ("login", "phone"),
    [
        ("(0661) 23-45-67", "+213661234567"),
        (" 0661234567 ", "+213661234567"),
        ("karim.baraka", None),
        ("2024-shop", None),
        ("0661-abc-def", None),  # letters are a username's, never a "vanity" phone number
        ("+33612345678", None),
    ],
)
def test_a_login_names_a_phone_only_when_it_is_one(login, phone):
    assert schemas.phone_in(login) == phone


def test_nif_15_or_20_digits():
    assert schemas.normalize_nif("0019 1609 1234 567") == "001916091234567"
    assert schemas.normalize_nif("00191609123456712345") == "00191609123456712345"
    for bad in ("0019160912345678", "00191609123456A"):
        with pytest.raises(PydanticCustomError):
            schemas.normalize_nif(bad)


def test_rc_normalized():
    assert schemas.normalize_rc("16/00-0912345 b 19") == "16/00-0912345B19"


def test_password_policy():
    with pytest.raises(ValidationError):
        schemas.UserCreateIn(username="abc", password="abcdefghij", role="buyer", full_name="A", phone="0661234567")


def test_money_format():
    assert format_dzd(125000, "fr").replace("\u202f", " ").replace("\xa0", " ") == "1 250,00 DA"
    assert format_dzd(125000, "en") == "1,250.00 DA"
    assert format_dzd(5, "ar").endswith("0,05 DA")


def test_mask_phone():
    assert mask_phone("+213661234567") == "+2136******67"


def test_audit_diff_skips_secrets_and_unchanged():
    changes = diff(
        {"role": "buyer", "password_hash": "x", "name": "a"}, {"role": "owner", "password_hash": "y", "name": "a"}
    )
    assert changes == {"role": {"before": "buyer", "after": "owner"}}


def test_cursor_roundtrip_and_tamper():
    key = {"PK": {"S": "RETAILER#1"}, "SK": {"S": "PROFILE"}}
    cursor = encode_cursor(key, "scope-a")
    assert decode_cursor(cursor, "scope-a") == key
    with pytest.raises(BadRequest):
        decode_cursor(cursor, "scope-b")
    body, sig = cursor.rsplit(".", 1)
    with pytest.raises(BadRequest):
        decode_cursor(body[:-2] + "AA." + sig, "scope-a")


def test_token_kinds_do_not_mix():
    onboarding = issue_token({"sub": "u", "rid": "r"}, 60, kind="onboarding")
    with pytest.raises(Unauthorized):
        decode_token(onboarding)
    assert decode_token(onboarding, kind="onboarding")["rid"] == "r"


@pytest.mark.parametrize("text", ["ab\u0000cd", "a\x07\x1b[31mred", "fin\x7f", "c1\x85"])
def test_control_characters_are_refused_in_any_text(text):
    from chalicelib.core.schemas import clean_free_text, clean_text

    for clean in (clean_text, clean_free_text):
        with pytest.raises(PydanticCustomError) as caught:
            clean(text)
        assert caught.value.type == "control_characters"


def test_text_is_stored_in_one_spelling_and_notes_keep_their_lines():
    from chalicelib.core.schemas import clean_free_text, clean_text

    assert clean_text("  e\u0301cole \t du\nport ") == "école du port"  # NFC, one line
    assert clean_free_text("Livrer\r\n  avant   10h\n\n porte 2 ") == "Livrer\navant 10h\n\nporte 2"
    assert clean_text("مكتبة \u200fالنور") == "مكتبة \u200fالنور"  # a right-to-left mark is not a control
