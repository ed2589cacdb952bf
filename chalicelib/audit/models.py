"""Audit entries: one item per mutation, indexed by resource, actor, retailer and month."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute

from chalicelib.db.base import Item


class AuditEntry(Item, discriminator="audit"):
    audit_id = UnicodeAttribute()
    ts = UnicodeAttribute()
    action = UnicodeAttribute()
    resource_type = UnicodeAttribute()
    resource_id = UnicodeAttribute()
    actor_id = UnicodeAttribute(null=True)
    actor_role = UnicodeAttribute()
    actor_username = UnicodeAttribute(null=True)
    retailer_id = UnicodeAttribute(null=True)
    changes = JSONAttribute(null=True)
    metadata = JSONAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    user_agent = UnicodeAttribute(null=True)
    device_id = UnicodeAttribute(null=True)
