"""HTTP response headers defined once, for every place that answers: the Lambda's replies
(`core/routes`), API Gateway's own responses (`infra/`), the CloudFront response-headers policy
of the web apps (`infra/`), and the local server of `make run` (`scripts/webserve.py`)."""

from __future__ import annotations

import json
from pathlib import Path

# The caller's address behind CloudFront: API Gateway's `sourceIp` is then CloudFront's own, so
# the distribution writes the viewer's address into VIEWER_HEADER (a function on the API's
# behaviours, over whatever the viewer sent) and proves itself with EDGE_HEADER, a secret
# origin header (`make run`'s server does the same). Without the proof (a request straight to
# API Gateway) the header is ignored: nobody picks the address their limits are counted against.
EDGE_HEADER, VIEWER_HEADER = "x-livrili-edge", "x-livrili-viewer"

# the header a client sends so that a retried write is applied once (`db.idempotency`)
IDEMPOTENCY_HEADER = "Idempotency-Key"

# on every reply of the API: JSON is never sniffed into something else, never framed, HTTPS
# only (HSTS: browsers ignore it over the local http), no referrer leaves, nothing loads
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}

# the paths the CDN forwards to the API; everything else is the web apps' static files
API_PATHS: tuple[str, ...] = ("/v1/*", "/health", "/openapi.json")


def is_api_path(path: str) -> bool:
    """True for a request path (query string allowed) that the API answers."""
    bare = path.split("?", 1)[0]
    return any(bare.startswith(p[:-1]) if p.endswith("*") else bare == p for p in API_PATHS)


Inline = dict[str, list[str]]  # directive → the hashes of the build's inline script and style


def built_inline(dist: Path) -> Inline:
    """The hashes of a build's inline boot script and CSS (`web/dist/.vite/csp.json`, written
    by the build); empty when there is no build."""
    path = dist / ".vite" / "csp.json"
    if not path.is_file():
        return {}
    found: Inline = json.loads(path.read_text(encoding="utf-8"))
    return found


def web_csp(file_origins: tuple[str, ...] = (), inline: Inline | None = None) -> str:
    """The web apps' Content-Security-Policy: their own scripts, styles and API only, plus the
    one inline boot script and inline CSS of the build, by hash (never 'unsafe-inline'); the
    files' origins (the CDN, the bucket: presigned S3) for images shown and for uploads (a new
    shop's documents, posted straight to the bucket); no framing."""
    images = " ".join(("'self'", "data:", "blob:", *file_origins))
    connect = " ".join(("'self'", *file_origins))
    scripts = " ".join(("'self'", *(inline or {}).get("script-src", [])))
    styles = " ".join(("'self'", *(inline or {}).get("style-src", [])))
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            f"style-src {styles}",
            f"img-src {images}",
            "media-src 'self' blob:",
            f"connect-src {connect}",
            "font-src 'self'",
            "manifest-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def web_headers(file_origins: tuple[str, ...] = (), inline: Inline | None = None) -> dict[str, str]:
    """Security headers of every static file of the web apps (the camera only for this origin:
    the barcode scanner; no microphone, no location)."""
    return {
        **SECURITY_HEADERS,
        "Content-Security-Policy": web_csp(file_origins, inline),
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


# caching of the web apps' files: hashed names never change (a year, immutable); the HTML, the
# service worker and the manifest are checked every time so an update reaches users at once
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SHORT = "public, max-age=86400"


def web_cache_control(path: str) -> str:
    """Cache-Control of one static file of the web apps, by its path."""
    name = path.rsplit("/", 1)[-1]
    if path.startswith("/assets/") or (name.startswith("workbox-") and name.endswith(".js")):
        return IMMUTABLE
    if name in ("", "index.html", "sw.js", "push-sw.js", "manifest.webmanifest") or name.endswith(".html"):
        return REVALIDATE
    return SHORT
