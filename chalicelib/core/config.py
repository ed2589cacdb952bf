"""Configuration: read once from the environment (set per stage in `.chalice/config.json`)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

LOCAL_STAGES = ("local", "test")
PROJECT_DIR = Path(__file__).resolve().parents[2]


class ConfigError(RuntimeError):
    """The process is misconfigured; it must not serve requests."""


@dataclass(frozen=True)
class Settings:
    stage: str
    table_name: str
    bucket_name: str
    region: str
    endpoint_url: str | None
    jwt_secret_env: str | None
    jwt_secret_name: str | None
    access_token_ttl: int
    refresh_token_ttl: int
    onboarding_token_ttl: int
    argon2_time_cost: int
    argon2_memory_kib: int
    login_user_failures: int  # failed logins of one username before a second factor is asked
    login_address_failures: int  # failed logins from one address before it is refused
    login_window: int
    address_limits: dict[str, int]  # per address and hour: registrations, reset codes, refreshes
    staff_two_factor: bool  # admins must enrol TOTP before their session may do anything
    max_users_per_retailer: int
    document_max_bytes: int
    upload_url_ttl: int
    cdn_base_url: str | None
    image_url_ttl: int
    image_max_bytes: int
    search_snapshot_max_age: int
    seller: dict[str, str]
    event_queue_name: str
    dead_letter_queue_name: str  # where the worker's failed events end (the admins' health check)
    malware_scan: bool  # GuardDuty scans uploads: a document is accepted only on its clean verdict
    public_base_url: str | None  # the API's public base when behind a custom domain (webhook signatures)

    @property
    def is_local(self) -> bool:
        return self.stage in LOCAL_STAGES


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer") from exc


def table_name() -> str:
    """The table of this process (per stage in `.chalice/config.json`); read at import by the
    table's model, so without the checks of :func:`settings`."""
    return os.environ.get("LIVRILI_TABLE_NAME", "livrili-local")


def region() -> str:
    return os.environ.get("AWS_DEFAULT_REGION", "eu-west-3")


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process settings. The `local` stage must point at a loopback endpoint (moto)."""
    stage = os.environ.get("LIVRILI_STAGE", "local")
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or None
    if stage == "local":
        host = urlparse(endpoint).hostname if endpoint else None
        if host not in ("127.0.0.1", "localhost"):
            raise ConfigError(
                "stage 'local' needs AWS_ENDPOINT_URL on 127.0.0.1 (the moto server); start it with `make run`"
            )
    return Settings(
        stage=stage,
        table_name=table_name(),
        bucket_name=os.environ.get("LIVRILI_BUCKET_NAME", "livrili-local-files"),
        region=region(),
        endpoint_url=endpoint,
        jwt_secret_env=os.environ.get("LIVRILI_JWT_SECRET") or None,
        jwt_secret_name=os.environ.get("LIVRILI_JWT_SECRET_NAME") or None,
        access_token_ttl=_int("LIVRILI_ACCESS_TOKEN_TTL", 900),
        refresh_token_ttl=_int("LIVRILI_REFRESH_TOKEN_TTL", 30 * 24 * 3600),
        onboarding_token_ttl=_int("LIVRILI_ONBOARDING_TOKEN_TTL", 7 * 24 * 3600),
        argon2_time_cost=_int("LIVRILI_ARGON2_TIME_COST", 3),
        argon2_memory_kib=_int("LIVRILI_ARGON2_MEMORY_KIB", 65536),
        login_user_failures=_int("LIVRILI_LOGIN_USER_FAILURES", 5),
        login_address_failures=_int("LIVRILI_LOGIN_ADDRESS_FAILURES", 30),
        login_window=_int("LIVRILI_LOGIN_WINDOW", 15 * 60),
        address_limits={
            "register": _int("LIVRILI_LIMIT_REGISTER", 10),
            "reset": _int("LIVRILI_LIMIT_RESET", 20),
            "refresh": _int("LIVRILI_LIMIT_REFRESH", 600),
        },
        staff_two_factor=os.environ.get("LIVRILI_STAFF_2FA", "") == "required",
        max_users_per_retailer=_int("LIVRILI_MAX_USERS_PER_RETAILER", 20),
        document_max_bytes=_int("LIVRILI_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024),
        upload_url_ttl=_int("LIVRILI_UPLOAD_URL_TTL", 900),
        cdn_base_url=os.environ.get("LIVRILI_CDN_BASE_URL") or None,
        image_url_ttl=_int("LIVRILI_IMAGE_URL_TTL", 3600),
        image_max_bytes=_int("LIVRILI_IMAGE_MAX_BYTES", 5 * 1024 * 1024),
        search_snapshot_max_age=_int("LIVRILI_SEARCH_SNAPSHOT_MAX_AGE", 900),
        seller={
            field: os.environ.get(f"LIVRILI_SELLER_{field.upper()}", "")
            for field in ("name", "name_ar", "address", "rc", "nif", "nis", "ai")
        },
        event_queue_name=os.environ.get("LIVRILI_NOTIFICATION_QUEUE", "livrili-local-notifications"),
        dead_letter_queue_name=os.environ.get("LIVRILI_DEAD_LETTER_QUEUE", "livrili-local-notifications-dlq"),
        malware_scan=os.environ.get("LIVRILI_MALWARE_SCAN", "") == "guardduty",
        public_base_url=(os.environ.get("LIVRILI_PUBLIC_BASE_URL") or "").rstrip("/") or None,
    )


def _secret(env_name: str, secret_env_name: str, what: str) -> str:
    """A secret from the environment (local/test) or from the Secrets Manager secret it names."""
    value: str | bytes | None = os.environ.get(env_name) or None
    name = os.environ.get(secret_env_name) or None
    if value is None and name:
        from aws_lambda_powertools.utilities import parameters

        value = parameters.get_secret(name, max_age=300)
    if value is None:
        raise ConfigError(f"set {env_name} (local) or {secret_env_name} (deployed)")
    text = value.decode() if isinstance(value, bytes) else str(value)
    if len(text) < 32:
        raise ConfigError(f"the {what} must be at least 32 characters")
    return text


@lru_cache(maxsize=1)
def edge_secret() -> str | None:
    """What CloudFront (or the local server) proves itself with, see `core.routes`: an env
    value (local/test) or a Secrets Manager secret, read once per process like the signing
    secret (every request through CloudFront asks); None when there is no edge in front."""
    if not (os.environ.get("LIVRILI_EDGE_SECRET") or os.environ.get("LIVRILI_EDGE_SECRET_NAME")):
        return None
    return _secret("LIVRILI_EDGE_SECRET", "LIVRILI_EDGE_SECRET_NAME", "edge secret")


@lru_cache(maxsize=1)
def jwt_secret() -> str:
    """The token signing secret: an env value (local/test) or a Secrets Manager secret."""
    cfg = settings()
    if cfg.jwt_secret_env:
        return cfg.jwt_secret_env
    if cfg.jwt_secret_name:
        return _secret("LIVRILI_JWT_SECRET", "LIVRILI_JWT_SECRET_NAME", "JWT signing secret")
    raise ConfigError("set LIVRILI_JWT_SECRET (local) or LIVRILI_JWT_SECRET_NAME (deployed)")


@dataclass(frozen=True)
class PushSettings:
    secret: str  # the stage's VAPID key is derived from it (notify/push.py)
    subject: str  # the contact push services may use (VAPID `sub`)
    local_endpoints: bool  # push services on 127.0.0.1 over http (the local stack, tests)


@lru_cache(maxsize=1)
def push_settings() -> PushSettings:
    """Web Push: the stage's VAPID secret (LIVRILI_VAPID_SECRET locally, a Secrets Manager
    secret named by LIVRILI_VAPID_SECRET_NAME when deployed)."""
    base = (os.environ.get("LIVRILI_PUBLIC_BASE_URL") or "").rstrip("/")
    return PushSettings(
        secret=_secret("LIVRILI_VAPID_SECRET", "LIVRILI_VAPID_SECRET_NAME", "VAPID secret"),
        subject=os.environ.get("LIVRILI_PUSH_SUBJECT") or base or "mailto:support@livrili.dz",
        local_endpoints=settings().is_local,
    )


def stage_environment(stage: str) -> dict[str, str]:
    """The env vars Chalice applies for `stage` (top level merged with the stage), for tools
    that run outside Chalice: the local stack and the admin command."""
    config = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    if stage not in config["stages"]:
        raise ConfigError(f"unknown stage {stage!r}; one of {', '.join(config['stages'])}")
    env = dict(config.get("environment_variables", {}))
    env.update(config["stages"][stage].get("environment_variables", {}))
    return env


@dataclass(frozen=True)
class NotifySettings:
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    sms_from: str
    whatsapp_from: str
    whatsapp_templates: dict[str, dict[str, str]]  # template -> language -> ContentSid
    status_callback_url: str | None
    escalation_phones: tuple[str, ...]


@lru_cache(maxsize=1)
def notify_settings() -> NotifySettings:
    """Messaging settings. Twilio credentials come from a Secrets Manager secret (JSON
    `{account_sid, auth_token}`, deployed) or the environment (a developer's own account);
    without them messages are recorded, not sent."""
    sid = os.environ.get("LIVRILI_TWILIO_ACCOUNT_SID") or None
    token = os.environ.get("LIVRILI_TWILIO_AUTH_TOKEN") or None
    secret_name = os.environ.get("LIVRILI_TWILIO_SECRET_NAME")
    if secret_name and not sid:
        from aws_lambda_powertools.utilities import parameters

        secret = json.loads(str(parameters.get_secret(secret_name, max_age=300)))
        sid, token = secret.get("account_sid") or None, secret.get("auth_token") or None
    try:
        templates = json.loads(os.environ.get("LIVRILI_WHATSAPP_TEMPLATES") or "{}")
    except ValueError as exc:
        raise ConfigError("LIVRILI_WHATSAPP_TEMPLATES must be JSON: {template: {language: ContentSid}}") from exc
    return NotifySettings(
        twilio_account_sid=sid,
        twilio_auth_token=token,
        sms_from=os.environ.get("LIVRILI_SMS_FROM", ""),
        whatsapp_from=os.environ.get("LIVRILI_WHATSAPP_FROM", ""),
        whatsapp_templates=templates,
        status_callback_url=os.environ.get("LIVRILI_TWILIO_STATUS_CALLBACK") or None,
        escalation_phones=tuple(
            p.strip() for p in os.environ.get("LIVRILI_ESCALATION_PHONES", "").split(",") if p.strip()
        ),
    )
