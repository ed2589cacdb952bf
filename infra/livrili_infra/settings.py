"""Per-stage settings, read from the CDK context (`cdk.json` → `stages`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STAGES = ("dev", "prod")


@dataclass(frozen=True)
class StageSettings:
    stage: str
    throttle_rate: int
    throttle_burst: int
    cors_origins: tuple[str, ...]
    alarm_email: str
    retain_data: bool
    sms_from: str
    whatsapp_from: str
    whatsapp_templates: dict[str, dict[str, str]]
    escalation_phones: tuple[str, ...]
    public_base_url: str
    malware_scan: bool  # GuardDuty Malware Protection for S3 on the registration documents

    @property
    def prefix(self) -> str:
        return f"livrili-{self.stage}"

    @classmethod
    def from_context(cls, stage: str, stages: dict[str, Any]) -> StageSettings:
        if stage not in STAGES or stage not in stages:
            raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
        raw = stages[stage]
        return cls(
            stage=stage,
            throttle_rate=int(raw["throttle_rate"]),
            throttle_burst=int(raw["throttle_burst"]),
            cors_origins=tuple(raw["cors_origins"]),
            alarm_email=str(raw.get("alarm_email") or ""),
            retain_data=bool(raw["retain_data"]),
            sms_from=str(raw.get("sms_from") or ""),
            whatsapp_from=str(raw.get("whatsapp_from") or ""),
            whatsapp_templates=dict(raw.get("whatsapp_templates") or {}),
            escalation_phones=tuple(raw.get("escalation_phones") or ()),
            public_base_url=str(raw.get("public_base_url") or "").rstrip("/"),
            malware_scan=bool(raw.get("malware_scan", True)),
        )
