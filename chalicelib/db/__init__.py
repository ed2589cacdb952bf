"""The single table: base model, key builders, transactions, connection settings."""

from __future__ import annotations

from chalicelib.db.base import Item


def ping() -> bool:
    """True if the table answers a read (the health check)."""
    try:
        Item.get("HEALTH", "HEALTH")
    except Item.DoesNotExist:
        return True
    except Exception:  # any transport or permission failure means unhealthy
        return False
    return True
