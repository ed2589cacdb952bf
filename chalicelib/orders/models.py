"""Order items: the order (header, priced lines and history in one item), number claims,
yearly sequences, and the sharded dashboard counters."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.db.base import Item


class OrderLine(MapAttribute[str, object]):
    """One product of an order, priced by the server when it was placed (a snapshot: later
    catalog edits do not change a placed order)."""

    product_id = UnicodeAttribute()
    sku = UnicodeAttribute()
    name_ar = UnicodeAttribute()
    name_fr = UnicodeAttribute(null=True)
    name_en = UnicodeAttribute(null=True)
    sale_unit = UnicodeAttribute()
    pack_size = NumberAttribute()
    quantity = NumberAttribute()
    delivered_quantity = NumberAttribute(null=True)  # set at delivery
    unit_price = NumberAttribute()  # centimes before VAT
    vat_rate = NumberAttribute()


class VatLine(MapAttribute[str, object]):
    rate = NumberAttribute()
    base = NumberAttribute()
    vat = NumberAttribute()


class OrderEvent(MapAttribute[str, object]):
    """One step of the order's life: who did what, when, from which status, why."""

    at = UnicodeAttribute()
    by = UnicodeAttribute(null=True)
    by_username = UnicodeAttribute(null=True)
    by_role = UnicodeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    reason_code = UnicodeAttribute(null=True)  # a failed delivery's (schemas.FailureReason)


class Order(Item, discriminator="order"):
    """PK=ORDER#id, SK=ORDER. Lines and history live inside the item, so an order is read
    with one GetItem and a transition is one conditional update (`version` == read).

    Index keys: GSI1 the retailer's orders, GSI2 the status, GSI3 the assigned driver.
    Amounts are centimes: `subtotal` before VAT, `vat_total`, `total_amount` = both; the
    `delivered_*` amounts follow the delivered quantities (the invoice uses them).
    """

    order_id = UnicodeAttribute()
    order_number = UnicodeAttribute()
    retailer_id = UnicodeAttribute()
    retailer_name = UnicodeAttribute()
    status = UnicodeAttribute()
    payment_method = UnicodeAttribute()  # cash_on_delivery | credit
    lines = ListAttribute(of=OrderLine)
    subtotal = NumberAttribute()
    vat_total = NumberAttribute()
    total_amount = NumberAttribute()
    vat_breakdown = ListAttribute(of=VatLine)
    credit_reserved = NumberAttribute(default=0)
    delivery_address = UnicodeAttribute()
    delivery_phone = UnicodeAttribute(null=True)  # the shop's phone when it ordered: the driver calls it
    requested_date = UnicodeAttribute(null=True)  # YYYY-MM-DD, the delivery day the shop asked for
    notes = UnicodeAttribute(null=True)
    placed_by = UnicodeAttribute(null=True)
    placed_by_role = UnicodeAttribute()
    reorder_of = UnicodeAttribute(null=True)
    driver_id = UnicodeAttribute(null=True)
    delivered_subtotal = NumberAttribute(null=True)
    delivered_vat_total = NumberAttribute(null=True)
    delivered_total = NumberAttribute(null=True)
    delivered_vat_breakdown = ListAttribute(of=VatLine, null=True)
    cash_collected = NumberAttribute(null=True)
    stamp_duty = NumberAttribute(null=True)
    due_date = UnicodeAttribute(null=True)
    invoice_number = UnicodeAttribute(null=True)
    invoice_key = UnicodeAttribute(null=True)
    history = ListAttribute(of=OrderEvent, default=list)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    delivered_at = UnicodeAttribute(null=True)
    version = NumberAttribute(default=1)


class NumberClaim(Item, discriminator="number_claim"):
    """PK=ORDERNO#… or INVOICENO#…: a human-readable number belongs to one order."""

    order_id = UnicodeAttribute()


class Sequence(Item, discriminator="sequence"):
    """PK=SEQUENCE, SK=ORDER#yyyy or INVOICE#yyyy: the last number handed out that year."""

    value = NumberAttribute(default=0)


class StatusCounter(Item, discriminator="status_counter"):
    """PK=DASHBOARD, SK=STATUS#shard: how many orders are in each status."""

    pending = NumberAttribute(default=0)
    confirmed = NumberAttribute(default=0)
    preparing = NumberAttribute(default=0)
    out_for_delivery = NumberAttribute(default=0)
    delivered = NumberAttribute(default=0)
    cancelled = NumberAttribute(default=0)


class DayCounter(Item, discriminator="day_counter"):
    """PK=DASHBOARD, SK=DAY#yyyy-mm-dd#shard (Algiers date): orders placed and delivered."""

    placed_count = NumberAttribute(default=0)
    placed_amount = NumberAttribute(default=0)
    delivered_count = NumberAttribute(default=0)
    delivered_amount = NumberAttribute(default=0)
