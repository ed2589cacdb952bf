"""HTTP response headers defined once, for every place that answers: the Lambda's replies
(`core/routes`), API Gateway's own responses (`infra/`), and the local server of `make run`."""

from __future__ import annotations

# on every reply of the API: JSON is never sniffed into something else, never framed, HTTPS
# only (HSTS: browsers ignore it over the local http), no referrer leaves, nothing loads
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
