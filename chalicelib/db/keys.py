"""Key builders: every PK/SK/GSI key shape of the table is spelled here, once.

Access patterns (the README repeats this table):

| pattern | key |
| --- | --- |
| retailer by id | PK=RETAILER#id, SK=PROFILE |
| retailers by status, newest first | GSI1PK=RSTATUS#status, GSI1SK=created_at#id (desc) |
| onboarding documents of a retailer | PK=RETAILER#id, SK begins_with DOC# |
| user by id | PK=USER#id, SK=PROFILE |
| users of a retailer | GSI1PK=RETAILER#id, GSI1SK=USER#created_at#id |
| staff (admins, drivers) by role | GSI1PK=STAFF, GSI1SK=role#created_at#id |
| shops with legal identifiers to review (sparse) | GSI2PK=LEGAL_REVIEW, GSI2SK=requested_at#retailer |
| a user's password-reset or login code (HMAC, tries, resend window) | PK=USER#id, SK=PASSWORD_RESET (TTL) |
| a user's authenticator (TOTP secret, last step, recovery codes) | PK=USER#id, SK=TWO_FACTOR |
| username -> user (unique) | PK=USERNAME#name, SK=USERNAME |
| a rate-limit counter (per address or username) | PK=LIMIT#name#hmac, SK=W#window (TTL) |
| a user's Web Push subscriptions | PK=USER#id, SK begins_with PUSH# |
| push subscriptions by kind of user (shop by wilaya, driver, admin) | GSI1PK=PUSHAUD#kind, GSI1SK=wilaya#sub |
| announcements, newest first | PK=ANNOUNCEMENTS, SK=created_at#id (TTL) |
| phone -> user (unique) | PK=PHONE#e164, SK=PHONE |
| sessions of a user | PK=USER#id, SK begins_with SESSION# (TTL expires_at) |
| audit of one resource | PK=AUDIT#type#id, SK=ts#id |
| audit by actor | GSI1PK=ACTOR#user, GSI1SK=ts#id |
| audit by retailer | GSI2PK=ARETAILER#id, GSI2SK=ts#id |
| audit, all, by month | GSI3PK=AUDITMONTH#yyyy-mm, GSI3SK=ts#id (desc) |
| categories (all, one partition) | PK=CATALOG, SK begins_with CATEGORY# |
| product by id | PK=PRODUCT#id, SK=PROFILE |
| products of a category by name | GSI1PK=PCAT#cat (active) or PCAT#cat#off (inactive), GSI1SK=name#id |
| products under a top category by name | GSI2PK=PTOP#top (active) or PTOP#top#off, GSI2SK=name#id |
| low-stock products (sparse), emptiest first | GSI3PK=LOWSTOCK, GSI3SK=stock#id |
| the low-stock digest of a day (sent once) | PK=LOWSTOCKDIGEST#day, SK=LOWSTOCK |
| SKU -> product (unique) | PK=SKU#sku, SK=SKU |
| barcode -> product (unique) | PK=BARCODE#code, SK=BARCODE |
| stock movements of a product | PK=PRODUCT#id, SK begins_with STOCK#ts#id |
| image uploads of a product | PK=PRODUCT#id, SK begins_with UPLOAD# (TTL) |
| search index changes since a snapshot | PK=SEARCHLOG, SK=ts#product#version (TTL) |
| order by id (header, lines, history) | PK=ORDER#id, SK=ORDER |
| orders of a retailer, newest first | GSI1PK=RETAILER#id, GSI1SK=ORDER#created_at#id |
| orders by status, newest first | GSI2PK=OSTATUS#status, GSI2SK=created_at#id |
| orders assigned to a driver, newest first | GSI3PK=DRIVER#user, GSI3SK=created_at#id |
| order number -> order (unique) | PK=ORDERNO#LV-2026-000123, SK=ORDERNO |
| invoice number -> order (unique, gapless per year) | PK=INVOICENO#FA-2026-000045, SK=INVOICENO |
| sequences (order numbers, invoice numbers) per year | PK=SEQUENCE, SK=ORDER#yyyy / INVOICE#yyyy |
| credit account of a retailer (limit, balance, open orders) | PK=RETAILER#id, SK=CREDIT |
| retailers owing money, oldest due date first (sparse) | GSI3PK=DUE, GSI3SK=oldest_due_date#retailer |
| open receivables of a retailer, oldest due first | PK=RETAILER#id, SK begins_with RECV#due_date#order |
| ledger of a retailer (append-only) | PK=RETAILER#id, SK begins_with LEDGER#ts#entry |
| reversal of a ledger entry (at most one) | PK=RETAILER#id, SK=REVERSAL#entry |
| dashboard counters (sharded) | PK=DASHBOARD, SK=STATUS#n, DAY#yyyy-mm-dd#n, CREDIT#n, DUEDAY#yyyy-mm-dd#n |
| used Idempotency-Keys (body fingerprint, first reply; 30 days) | PK=IDEMPOTENCY#scope|key, SK=IDEMPOTENCY (TTL) |
| events waiting for the notification queue | PK=OUTBOX, SK=created_at#event |
| products by last change (catalog delta sync), oldest first | GSI4PK=CATALOG_CHANGES, GSI4SK=updated_at#product |
| change feed of a shop / a driver / the admins | PK=FEED#SHOP#id / FEED#DRIVER#id / FEED#ADMIN, SK=event id (TTL) |
| announcements in the change feed (every reader looks; each sees its own) | PK=FEED#BROADCAST, SK=event id (TTL) |
| the newest announcement entry (read with the session: a poll skips FEED#BROADCAST) | PK=FEED#BROADCAST#HEAD, SK=HEAD |
| message log (one per event, recipient, template) | PK=MESSAGE#event#user#template, SK=MESSAGE |
| messages, newest first (admin list) | GSI1PK=MESSAGES, GSI1SK=created_at#message |
| a user's notification preferences (channel, opt-out, WhatsApp window) | PK=USER#id, SK=NOTIFY |
| a user's consent log | PK=USER#id, SK begins_with CONSENT#ts#id |
| provider message id -> message log | PK=PROVIDERSID#sid, SK=PROVIDERSID |
| inbound messages, newest first | PK=INBOUND, SK=ts#sid (TTL 90 days) |
| credit reminders sent (per due date and step) | PK=REMINDER#shop#due#step, SK=REMINDER (TTL) |
| credit reminders sent (per shop and day) | PK=REMINDERDAY#shop#day, SK=REMINDER (TTL) |
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


STAFF = "STAFF"
LEGAL_REVIEW = "LEGAL_REVIEW"


def staff_sort(role: str, created_at: str, user_id: str) -> str:
    return f"{role}#{created_at}#{user_id}"


def username(name: str) -> str:
    return f"USERNAME#{name}"


USERNAME_SK = "USERNAME"


def phone(e164: str) -> str:
    return f"PHONE#{e164}"


PHONE_SK = "PHONE"


def session(session_id: str) -> str:
    return f"SESSION#{session_id}"


SESSION_PREFIX = "SESSION#"
PHONE_CHANGE_SK = "PHONE_CHANGE"
PASSWORD_RESET_SK = "PASSWORD_RESET"  # noqa: S105 (a key name, not a secret)
TWO_FACTOR_SK = "TWO_FACTOR"
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


CATALOG = "CATALOG"
CATEGORY_PREFIX = "CATEGORY#"


def category(category_id: str) -> str:
    return f"{CATEGORY_PREFIX}{category_id}"


def product(product_id: str) -> str:
    return f"PRODUCT#{product_id}"


def _listing(prefix: str, key: str, active: bool) -> str:
    return f"{prefix}#{key}" if active else f"{prefix}#{key}#off"


def products_in_category(category_id: str, active: bool) -> str:
    return _listing("PCAT", category_id, active)


def products_under_top(category_id: str, active: bool) -> str:
    return _listing("PTOP", category_id, active)


def product_name_sort(sort_name: str, product_id: str) -> str:
    return f"{sort_name}#{product_id}"


LOW_STOCK = "LOWSTOCK"


def low_stock_sort(stock: int, product_id: str) -> str:
    return f"{max(stock, 0):012d}#{product_id}"


def sku(value: str) -> str:
    return f"SKU#{value}"


SKU_SK = "SKU"


def barcode(value: str) -> str:
    return f"BARCODE#{value}"


BARCODE_SK = "BARCODE"
STOCK_PREFIX = "STOCK#"


def stock_movement(ts: str, movement_id: str) -> str:
    return f"{STOCK_PREFIX}{ts}#{movement_id}"


UPLOAD_PREFIX = "UPLOAD#"


def image_upload(image_id: str) -> str:
    return f"{UPLOAD_PREFIX}{image_id}"


SEARCH_LOG = "SEARCHLOG"
CATALOG_CHANGES = "CATALOG_CHANGES"


def catalog_change(updated_at: str, product_id: str) -> str:
    return f"{updated_at}#{product_id}"


def search_change(ts: str, product_id: str, version: int) -> str:
    return f"{ts}#{product_id}#{version:09d}"


ORDER_SK = "ORDER"


def order(order_id: str) -> str:
    return f"ORDER#{order_id}"


ORDER_IN_RETAILER_PREFIX = "ORDER#"


def order_in_retailer(created_at: str, order_id: str) -> str:
    return f"{ORDER_IN_RETAILER_PREFIX}{created_at}#{order_id}"


def order_status(status: str) -> str:
    return f"OSTATUS#{status}"


def driver_orders(driver_id: str) -> str:
    return f"DRIVER#{driver_id}"


def created_sort(created_at: str, item_id: str) -> str:
    return f"{created_at}#{item_id}"


def order_number(number: str) -> str:
    return f"ORDERNO#{number}"


ORDER_NUMBER_SK = "ORDERNO"


def invoice_number(number: str) -> str:
    return f"INVOICENO#{number}"


INVOICE_NUMBER_SK = "INVOICENO"
SEQUENCE = "SEQUENCE"


def sequence(kind: str, year: int) -> str:
    return f"{kind}#{year}"


CREDIT_SK = "CREDIT"
DUE = "DUE"


def due_sort(oldest_due_date: str, retailer_id: str) -> str:
    return f"{oldest_due_date}#{retailer_id}"


RECEIVABLE_PREFIX = "RECV#"


def receivable(due_date: str, order_id: str) -> str:
    return f"{RECEIVABLE_PREFIX}{due_date}#{order_id}"


LEDGER_PREFIX = "LEDGER#"


def ledger_entry(ts: str, entry_id: str) -> str:
    return f"{LEDGER_PREFIX}{ts}#{entry_id}"


def reversal(entry_id: str) -> str:
    return f"REVERSAL#{entry_id}"


DASHBOARD = "DASHBOARD"
DASHBOARD_SHARDS = 8


def shard_of(item_id: str) -> int:
    """A stable shard (0..7) for an id: spreads hot dashboard counters over several items."""
    return sum(item_id.encode()) % DASHBOARD_SHARDS


def status_counter(shard: int) -> str:
    return f"STATUS#{shard}"


def day_counter(day: str, shard: int) -> str:
    return f"DAY#{day}#{shard}"


def credit_counter(shard: int) -> str:
    return f"CREDIT#{shard}"


DUE_DAY_PREFIX = "DUEDAY#"


def due_day_counter(day: str, shard: int) -> str:
    return f"{DUE_DAY_PREFIX}{day}#{shard}"


IDEMPOTENCY_SK = "IDEMPOTENCY"


def rate_limit(name: str, digest: str) -> str:
    """One partition per limited subject (an address, a username): no hot spot."""
    return f"LIMIT#{name}#{digest}"


def rate_window(index: int) -> str:
    return f"W#{index}"


def idempotency(scope: str, key: str) -> str:
    """One partition per used key (not one partition for every key: no hot spot)."""
    return f"IDEMPOTENCY#{scope}|{key}"


OUTBOX = "OUTBOX"


def feed(audience: str) -> str:
    """`shop:<id>`, `driver:<id>`, `admin` or `broadcast` → FEED#SHOP#<id>, FEED#DRIVER#<id>,
    FEED#ADMIN, FEED#BROADCAST."""
    kind, _, ident = audience.partition(":")
    return f"FEED#{kind.upper()}" + (f"#{ident}" if ident else "")


def feed_head(audience: str) -> tuple[str, str]:
    """The item saying which entry of a feed partition is the newest."""
    return f"{feed(audience)}#HEAD", "HEAD"


def outbox(created_at: str, event_id: str) -> str:
    return f"{created_at}#{event_id}"


def message(event_id: str, user_id: str, template: str) -> str:
    return f"MESSAGE#{event_id}#{user_id}#{template}"


MESSAGE_SK = "MESSAGE"

PUSH_PREFIX = "PUSH#"
ANNOUNCEMENTS = "ANNOUNCEMENTS"


def push_subscription(subscription_id: str) -> str:
    return f"{PUSH_PREFIX}{subscription_id}"


def push_audience(kind: str) -> str:
    """The browsers of one kind of user (`shop`, `driver`, `admin`): who an announcement reaches."""
    return f"PUSHAUD#{kind}"


def push_audience_sort(wilaya: int | None, subscription_id: str) -> str:
    return f"{wilaya or 0:02d}#{subscription_id}"


MESSAGES = "MESSAGES"

NOTIFY_SK = "NOTIFY"
CONSENT_PREFIX = "CONSENT#"


def consent(ts: str, entry_id: str) -> str:
    return f"{CONSENT_PREFIX}{ts}#{entry_id}"


def provider_sid(sid: str) -> str:
    return f"PROVIDERSID#{sid}"


PROVIDER_SID_SK = "PROVIDERSID"


def inbound(ts: str, sid: str) -> str:
    return f"{ts}#{sid}"


INBOUND = "INBOUND"


def reminder_step(retailer_id: str, due_date: str, step: str) -> str:
    return f"REMINDER#{retailer_id}#{due_date}#{step}"


def reminder_day(retailer_id: str, day: str) -> str:
    return f"REMINDERDAY#{retailer_id}#{day}"


REMINDER_SK = "REMINDER"


def low_stock_digest(day: str) -> str:
    return f"LOWSTOCKDIGEST#{day}"
