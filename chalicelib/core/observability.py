"""Structured logs (Powertools Logger, JSON, correlation id) and business metrics (EMF)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

SERVICE = "livrili-api"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="Livrili", service=SERVICE)


def count(name: str, value: int = 1) -> None:
    """Add one business count (e.g. `RetailerRegistered`) to this invocation's metrics."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def mask_phone(phone: str | None) -> str | None:
    """Keep the country code and last 2 digits only: `+2135******89`."""
    if not phone:
        return phone
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:5] + "*" * (len(phone) - 7) + phone[-2:]
