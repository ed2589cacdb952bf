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
    # links and upload forms name the bucket's regional host (bucket.s3.<region>.amazonaws.com, the
    # origin the apps' CSP allows): boto3's default, the global bucket.s3.amazonaws.com, answers
    # a new bucket outside us-east-1 with a redirect for its first hours, and one in an opt-in
    # region (Milan, Bahrain) never — a browser's upload does not survive either
    addressing = {"addressing_style": "virtual", "us_east_1_regional_endpoint": "regional"}
    return boto3.client("s3", region_name=cfg.region, config=Config(signature_version="s3v4", s3=addressing))


def bucket_origin(bucket: str, region: str, suffix: str = "amazonaws.com") -> str:
    """The origin of `bucket`'s links and upload forms, as `s3()` signs them (the CDK gives it to
    the apps' Content-Security-Policy)."""
    return f"https://{bucket}.s3.{region}.{suffix}"


def presigned_post(key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
    """An upload grant: a POST policy fixing the key, the exact content type and a size range,
    in the API's shape (`core.schemas.UploadGrant`)."""
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
    return {
        "key": key,
        "upload": {"url": post["url"], "fields": post["fields"]},
        "max_bytes": max_bytes,
        "expires_in": expires_in,
    }


def presigned_get(key: str, expires_in: int = 900, filename: str | None = None) -> str:
    """A time-limited download link (`filename`: saved under that name by browsers)."""
    params: dict[str, Any] = {"Bucket": settings().bucket_name, "Key": key}
    if filename:
        params["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
    url: str = s3().generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
    return url


def _missing(exc: Any) -> bool:
    """Whether S3 answered that the object is not there (each operation says it its own way)."""
    return str(exc.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound")


def exists(key: str) -> bool:
    """True if the object is stored (one HEAD request)."""
    from botocore.exceptions import ClientError

    try:
        s3().head_object(Bucket=settings().bucket_name, Key=key)
    except ClientError as exc:
        if _missing(exc):
            return False
        raise
    return True


def list_prefix(prefix: str) -> dict[str, dict[str, Any]]:
    """Objects under `prefix` (one page of up to 1000): key -> {size, last_modified}."""
    reply = s3().list_objects_v2(Bucket=settings().bucket_name, Prefix=prefix, MaxKeys=1000)
    return {
        obj["Key"]: {"size": obj["Size"], "last_modified": obj["LastModified"].isoformat()}
        for obj in reply.get("Contents", [])
    }


def object_tags(key: str) -> dict[str, str]:
    """The object's tags (GuardDuty writes its malware verdict as one); empty if it is gone."""
    from botocore.exceptions import ClientError

    try:
        reply = s3().get_object_tagging(Bucket=settings().bucket_name, Key=key)
    except ClientError as exc:
        if _missing(exc):
            return {}
        raise
    return {tag["Key"]: tag["Value"] for tag in reply.get("TagSet", [])}


class NotModified(Exception):
    """`get_object` with the caller's ETag: the object has not changed."""


def get_object(key: str, etag: str | None = None) -> tuple[bytes, str] | None:
    """The object's bytes and ETag; None if it does not exist; NotModified if `etag` still holds."""
    from botocore.exceptions import ClientError

    kwargs: dict[str, Any] = {"Bucket": settings().bucket_name, "Key": key}
    if etag:
        kwargs["IfNoneMatch"] = etag
    try:
        reply = s3().get_object(**kwargs)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code"))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "304" or status == 304:
            raise NotModified(key) from exc
        if _missing(exc):
            return None
        raise
    return reply["Body"].read(), reply["ETag"]


def put_object(
    key: str,
    data: bytes,
    content_type: str,
    *,
    cache_control: str | None = None,
    content_encoding: str | None = None,
) -> str:
    """Store `data` under `key`; returns the new ETag."""
    kwargs: dict[str, Any] = {
        "Bucket": settings().bucket_name,
        "Key": key,
        "Body": data,
        "ContentType": content_type,
    }
    if cache_control:
        kwargs["CacheControl"] = cache_control
    if content_encoding:
        kwargs["ContentEncoding"] = content_encoding
    etag: str = s3().put_object(**kwargs)["ETag"]
    return etag


def delete_objects(keys: list[str]) -> None:
    """Delete up to 1000 keys in one call (missing keys are not an error)."""
    if keys:
        s3().delete_objects(
            Bucket=settings().bucket_name, Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True}
        )


def public_url(key: str) -> str:
    """Where a client fetches a public asset: the CDN when configured, else a presigned GET."""
    base = settings().cdn_base_url
    if base:
        return f"{base.rstrip('/')}/{key}"
    return presigned_get(key, settings().image_url_ttl)


def ping() -> bool:
    """True if the files bucket answers (the health check)."""
    try:
        s3().head_bucket(Bucket=settings().bucket_name)
    except Exception:  # any transport or permission failure means unhealthy
        return False
    return True
