"""Passwords (argon2id), access tokens (JWT), opaque refresh tokens, signed cursors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from chalicelib.core import clock
from chalicelib.core.config import jwt_secret, settings
from chalicelib.core.errors import Unauthorized

JWT_ALGORITHM = "HS256"
JWT_ISSUER = "livrili"
ACCESS = "access"
ONBOARDING = "onboarding"
_LEEWAY = 5


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    cfg = settings()
    return PasswordHasher(time_cost=cfg.argon2_time_cost, memory_cost=cfg.argon2_memory_kib, parallelism=1)


def hash_password(password: str) -> str:
    """An argon2id hash (salted, parameters encoded in the string)."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Constant-time check of a password against its hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist (same timing either way)."""
    return hash_password(secrets.token_urlsafe(16))


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def issue_token(claims: dict[str, Any], ttl: int, kind: str = ACCESS) -> str:
    """A signed JWT with `claims`, valid for `ttl` seconds."""
    issued = clock.epoch()
    payload = {**claims, "typ": kind, "iss": JWT_ISSUER, "iat": issued, "exp": issued + ttl}
    import jwt  # PyJWT pulls in `cryptography` (~50 ms): imported at the first token, not at cold start

    return jwt.encode(payload, jwt_secret(), algorithm=JWT_ALGORITHM)


def decode_token(token: str, kind: str = ACCESS) -> dict[str, Any]:
    """Verify a JWT's signature, expiry, issuer and kind; 401 otherwise."""
    import jwt

    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            jwt_secret(),
            algorithms=[JWT_ALGORITHM],
            issuer=JWT_ISSUER,
            # expiry is checked below against our clock (which tests and replays can pin)
            options={"require": ["exp", "iat", "sub", "typ"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized("invalid_token") from exc
    if claims.get("typ") != kind:
        raise Unauthorized("invalid_token")
    if int(claims["exp"]) + _LEEWAY < clock.epoch():
        raise Unauthorized("token_expired")
    return claims


def new_secret() -> str:
    """A random URL-safe secret (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """SHA-256 of a high-entropy secret (refresh tokens are stored only as this)."""
    return hashlib.sha256(value.encode()).hexdigest()


def sign(data: bytes) -> str:
    """HMAC-SHA256 of `data` with the signing secret, URL-safe base64."""
    mac = hmac.new(jwt_secret().encode(), data, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:16]).decode().rstrip("=")


def verify_signature(data: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(data), signature)
