"""Key builders: every PK/SK/GSI key shape of the table is spelled here, once.

Access patterns (the README repeats this table):

| pattern | key |
| --- | --- |
| retailer by id | PK=RETAILER#id, SK=PROFILE |
| retailers by status, newest first | GSI1PK=RSTATUS#status, GSI1SK=created_at#id (desc) |
| onboarding documents of a retailer | PK=RETAILER#id, SK begins_with DOC# |
| user by id | PK=USER#id, SK=PROFILE |
| users of a retailer | GSI1PK=RETAILER#id, GSI1SK=USER#created_at#id |
| username -> user (unique, lockout counters) | PK=USERNAME#name, SK=USERNAME |
| phone -> user (unique) | PK=PHONE#e164, SK=PHONE |
| sessions of a user | PK=USER#id, SK begins_with SESSION# (TTL expires_at) |
| audit of one resource | PK=AUDIT#type#id, SK=ts#id |
| audit by actor | GSI1PK=ACTOR#user, GSI1SK=ts#id |
| audit by retailer | GSI2PK=ARETAILER#id, GSI2SK=ts#id |
| audit, all, by month | GSI3PK=AUDITMONTH#yyyy-mm, GSI3SK=ts#id (desc) |
"""

from __future__ import annotations

PROFILE = "PROFILE"


def retailer(retailer_id: str) -> str:
    return f"RETAILER#{retailer_id}"


def retailer_status(status: str) -> str:
    return f"RSTATUS#{status}"


def document(document_id: str) -> str:
    return f"DOC#{document_id}"


def user(user_id: str) -> str:
    return f"USER#{user_id}"


def user_in_retailer(created_at: str, user_id: str) -> str:
    return f"USER#{created_at}#{user_id}"


def username(name: str) -> str:
    return f"USERNAME#{name}"


USERNAME_SK = "USERNAME"


def phone(e164: str) -> str:
    return f"PHONE#{e164}"


PHONE_SK = "PHONE"


def session(session_id: str) -> str:
    return f"SESSION#{session_id}"


SESSION_PREFIX = "SESSION#"
DOC_PREFIX = "DOC#"


def audit(resource_type: str, resource_id: str) -> str:
    return f"AUDIT#{resource_type}#{resource_id}"


def audit_sort(ts: str, audit_id: str) -> str:
    return f"{ts}#{audit_id}"


def audit_actor(user_id: str) -> str:
    return f"ACTOR#{user_id}"


def audit_retailer(retailer_id: str) -> str:
    return f"ARETAILER#{retailer_id}"


def audit_month(month: str) -> str:
    return f"AUDITMONTH#{month}"
