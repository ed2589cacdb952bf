"""The web apps' static files beside the API, on one port, as CloudFront serves them: the API
paths go to `chalice local`, everything else is a file of `web/dist` (gzip-compressed when the
browser accepts it, cached by `core.headers.web_cache_control`, with `core.headers.web_headers`),
and an app route without a file falls back to `index.html`."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from http import HTTPStatus
from pathlib import Path
from typing import Any

from chalice.local import ChaliceRequestHandler

from chalicelib.core.config import edge_secret
from chalicelib.core.errors import GATEWAY_RESPONSES, error_body, gateway_body
from chalicelib.core.headers import (
    EDGE_HEADER,
    SECURITY_HEADERS,
    VIEWER_HEADER,
    built_inline,
    is_api_path,
    web_cache_control,
    web_headers,
)

WEB_ROOT = Path(__file__).resolve().parent.parent / "web" / "dist"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json", "image/svg+xml")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


class StaticFiles:
    """The built files, read once each (and their gzip form), from `root`."""

    def __init__(self, root: Path, file_origins: tuple[str, ...]) -> None:
        self.root = root.resolve()
        self.file_origins = file_origins
        self._cache: dict[tuple[str, int, bool], tuple[bytes, str]] = {}
        self._lock = threading.Lock()
        self._headers: tuple[int, dict[str, str]] | None = None

    @property
    def headers(self) -> dict[str, str]:
        """The headers of the build being served (its inline hashes change with each build:
        read again when `.vite/csp.json` changes, not on every request)."""
        hashes = self.root / ".vite" / "csp.json"
        stamp = hashes.stat().st_mtime_ns if hashes.is_file() else 0
        if self._headers is None or self._headers[0] != stamp:
            self._headers = (stamp, web_headers(self.file_origins, built_inline(self.root)))
        return self._headers[1]

    def find(self, url_path: str) -> tuple[Path, str] | None:
        """The file for a URL path and the path it is served as; app routes get index.html."""
        clean = url_path.split("?", 1)[0].split("#", 1)[0]
        candidate = (self.root / clean.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root):
            return None
        if candidate.is_file():
            return candidate, clean
        last = clean.rsplit("/", 1)[-1]
        if "." in last:  # a missing file (an old hashed asset): 404, never the HTML in its place
            return None
        index = self.root / "index.html"
        return (index, "/index.html") if index.is_file() else None

    def body(self, file: Path, gzipped: bool) -> tuple[bytes, str]:
        """The file's bytes (gzipped or not) and a tag of its content, for the ETag."""
        key = (str(file), file.stat().st_mtime_ns, gzipped)  # a rebuild is served at once
        with self._lock:
            if key not in self._cache:
                data = file.read_bytes()
                tag = hashlib.sha256(data).hexdigest()[:20]
                self._cache[key] = (gzip.compress(data, 9, mtime=0) if gzipped else data, tag)
            return self._cache[key]


class WebRequestHandler(ChaliceRequestHandler):
    """chalice local's handler, with the static files in front of it for non-API GET/HEAD."""

    static: StaticFiles

    def version_string(self) -> str:
        """No software or version in the `Server` header (CloudFront and API Gateway send their own)."""
        return "livrili"

    def parse_request(self) -> bool:
        """As CloudFront does: the caller's own address (whatever it sent) and the edge's proof."""
        if not super().parse_request():
            return False
        for name in (EDGE_HEADER, VIEWER_HEADER):
            del self.headers[name]
        secret = edge_secret()
        if secret:
            self.headers[EDGE_HEADER] = secret
            self.headers[VIEWER_HEADER] = self.client_address[0]
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The HTTP server's own refusals in the envelope, as API Gateway answers them: a method
        nothing routes (TRACE…) is its 404 `route_not_found`; a malformed request a 400."""
        if code == HTTPStatus.NOT_IMPLEMENTED:
            status, body = (
                GATEWAY_RESPONSES["MISSING_AUTHENTICATION_TOKEN"][0],
                gateway_body("MISSING_AUTHENTICATION_TOKEN"),
            )
        else:
            status, body = code, error_body("bad_request", "The request is malformed.")
        data = body.encode()
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8"}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.close_connection = True

    def do_GET(self) -> None:
        if is_api_path(self.path):
            super().do_GET()
        else:
            self._static(send_body=True)

    def do_HEAD(self) -> None:
        if is_api_path(self.path):
            super().do_HEAD()
        else:
            self._static(send_body=False)

    def _static(self, send_body: bool) -> None:
        found = self.static.find(self.path)
        if found is None:
            self._reply(404, b"Not found", {"Content-Type": "text/plain; charset=utf-8"}, send_body)
            return
        file, served_as = found
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        compress = kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", "")
        data, tag = self.body(file, compress)
        etag = f'"{tag}{"-gz" if compress else ""}"'
        headers = {
            "Content-Type": f"{kind}; charset=utf-8" if kind.startswith("text/") or "javascript" in kind else kind,
            "Cache-Control": web_cache_control(served_as),
            "ETag": etag,
            "Vary": "Accept-Encoding",
        }
        if compress:
            headers["Content-Encoding"] = "gzip"
        if self.headers.get("If-None-Match") == etag:
            self._reply(304, b"", headers, send_body=False)
            return
        self._reply(200, data, headers, send_body)

    def body(self, file: Path, gzipped: bool) -> tuple[bytes, str]:
        return self.static.body(file, gzipped)

    def _send_http_response_with_body(self, code: int, headers: Any, body: str | bytes) -> None:
        """The API's replies compressed as CloudFront does (text and JSON from 1,000 bytes)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        kind = str(headers.get("Content-Type", "application/json"))
        if (
            len(data) >= 1000
            and kind.startswith(COMPRESSIBLE)
            and "gzip" in self.headers.get("Accept-Encoding", "")
            and "Content-Encoding" not in headers
        ):
            data = gzip.compress(data, 6)
            headers = {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        super()._send_http_response_with_body(code, headers, data)

    def _reply(self, status: int, data: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.send_response(status)
        for name, value in {**self.static.headers, **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)) if status != 304 else "0")
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(data)


def handler_class(root: Path, file_origins: tuple[str, ...]) -> Any:
    """A request handler class serving `root`'s files beside the API."""
    return type("LivriliHandler", (WebRequestHandler,), {"static": StaticFiles(root, file_origins)})
