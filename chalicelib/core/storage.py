"""S3: presigned uploads (policy-limited) and downloads. boto3 honours AWS_ENDPOINT_URL.

boto3 (with s3transfer, ~70 ms) is imported on first use: most API calls never touch S3.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chalicelib.core.config import settings


@lru_cache(maxsize=1)
def s3() -> Any:
    import boto3
    from botocore.config import Config

    cfg = settings()
    return boto3.client("s3", region_name=cfg.region, config=Config(signature_version="s3v4"))


def presigned_post(key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
    """A POST policy fixing the key, the exact content type and a size range."""
    cfg = settings()
    post: dict[str, Any] = s3().generate_presigned_post(
        Bucket=cfg.bucket_name,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", 1, max_bytes],
        ],
        ExpiresIn=expires_in,
    )
    return post


def presigned_get(key: str, expires_in: int = 900) -> str:
    url: str = s3().generate_presigned_url(
        "get_object", Params={"Bucket": settings().bucket_name, "Key": key}, ExpiresIn=expires_in
    )
    return url


def list_prefix(prefix: str) -> dict[str, dict[str, Any]]:
    """Objects under `prefix` (one page of up to 1000): key -> {size, last_modified}."""
    reply = s3().list_objects_v2(Bucket=settings().bucket_name, Prefix=prefix, MaxKeys=1000)
    return {
        obj["Key"]: {"size": obj["Size"], "last_modified": obj["LastModified"].isoformat()}
        for obj in reply.get("Contents", [])
    }
