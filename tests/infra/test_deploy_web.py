"""The deploy step of the web apps: every file lands with the Cache-Control of the shared
definition and its type; the HTML and the service worker go last and are the ones invalidated."""

from __future__ import annotations

from pathlib import Path

import boto3
from moto import mock_aws

from scripts import deploy_web


def _build(root: Path) -> Path:
    dist = root / "dist"
    for name, text in {
        "index.html": "<!doctype html>",
        "sw.js": "self.addEventListener('fetch', () => {})",
        "push-sw.js": "self.addEventListener('push', () => {})",
        "manifest.webmanifest": "{}",
        "workbox-35e397ac.js": "//",
        "assets/index-DOLhLm6w.js": "export {}",
        "assets/index-7kmCCvb.css": "body{}",
        "icon-192.png": "png",
        ".vite/manifest.json": "{}",
    }.items():
        (dist / name).parent.mkdir(parents=True, exist_ok=True)
        (dist / name).write_text(text)
    return dist


def test_a_build_is_uploaded_with_its_caching_and_the_html_last(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    dist = _build(tmp_path)
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-3")
        s3.create_bucket(Bucket="web", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        changing = deploy_web.upload(s3, "web", dist)
        stored = {o["Key"] for o in s3.list_objects_v2(Bucket="web")["Contents"]}
        heads = {key: s3.head_object(Bucket="web", Key=key) for key in stored}
    assert ".vite/manifest.json" not in stored
    assert heads["assets/index-DOLhLm6w.js"]["CacheControl"] == "public, max-age=31536000, immutable"
    assert heads["assets/index-DOLhLm6w.js"]["ContentType"] == "text/javascript; charset=utf-8"
    assert heads["workbox-35e397ac.js"]["CacheControl"] == "public, max-age=31536000, immutable"
    for key in ("index.html", "sw.js", "push-sw.js", "manifest.webmanifest"):
        assert heads[key]["CacheControl"] == "no-cache", key
    assert heads["manifest.webmanifest"]["ContentType"].startswith("application/manifest+json")
    assert heads["icon-192.png"]["CacheControl"] == "public, max-age=86400"
    order = [key for key, *_ in deploy_web.plan(dist)]
    assert max(order.index(k) for k in order if k.startswith("assets/")) < order.index("index.html")
    assert sorted(changing) == ["/icon-192.png", "/index.html", "/manifest.webmanifest", "/push-sw.js", "/sw.js"]
