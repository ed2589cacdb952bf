"""The local stack: moto server + table/bucket + first admin + demo data + `chalice local`.

`make run` calls this. Everything binds to 127.0.0.1 and lives in memory; Ctrl-C stops all.

    python scripts/devstack.py [--port 8000] [--moto-port 0] [--no-demo]
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import secrets
import signal
import socket
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_ADMIN = ("admin", "livrili-admin-2026")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def configure_environment(moto_port: int) -> dict[str, str]:
    from chalicelib.core.config import stage_environment

    env = stage_environment("local")
    env.update(
        {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "LIVRILI_JWT_SECRET": os.environ.get("LIVRILI_JWT_SECRET") or secrets.token_urlsafe(48),
            # the stack's VAPID key (Web Push) is derived from it; browsers subscribe again after a restart
            "LIVRILI_VAPID_SECRET": os.environ.get("LIVRILI_VAPID_SECRET") or secrets.token_urlsafe(48),
            # the local server stands in for CloudFront: it tells the API the caller's address
            "LIVRILI_EDGE_SECRET": secrets.token_urlsafe(32),
        }
    )
    os.environ.update(env)
    return env


def _patch_gateway_responses() -> None:
    """Make chalice local answer unknown routes like our API Gateway does (envelope 404)."""
    from chalice import local

    from chalicelib.core.errors import GATEWAY_RESPONSES, gateway_body
    from chalicelib.core.headers import SECURITY_HEADERS

    status = GATEWAY_RESPONSES["MISSING_AUTHENTICATION_TOKEN"][0]

    class RouteNotFound(local.LocalGatewayException):
        CODE = status

    original = local.LocalGateway.handle_request

    def handle_request(self: Any, method: str, path: str, headers: Any, body: Any) -> Any:
        try:
            return original(self, method, path, headers, body)
        except local.ForbiddenError as exc:
            if b"Authorization header requires" in (exc.body or b"") or b"Missing Authentication Token" in (
                exc.body or b""
            ):
                raise RouteNotFound(
                    {**exc.headers, "Content-Type": "application/json", **SECURITY_HEADERS},
                    gateway_body("MISSING_AUTHENTICATION_TOKEN").encode(),
                ) from exc
            raise

    local.LocalGateway.handle_request = handle_request  # type: ignore[method-assign]


def start_local_events(env: dict[str, str]) -> Any:
    """Drive the event functions from moto (see scripts/local_events.py): the image function from
    the bucket, the document check from the bucket, the notification worker from its queue, the
    outbox relay every minute."""
    from chalicelib.accounts import document_check
    from chalicelib.catalog import images
    from chalicelib.events import outbox
    from chalicelib.notify import handlers as notify_handlers
    from scripts.local_events import LocalEvents

    events = LocalEvents(env["AWS_DEFAULT_REGION"], env["LIVRILI_BUCKET_NAME"])
    events.route_uploads(images.UPLOAD_PREFIX, images.handle_s3_event)
    events.route_uploads(document_check.PREFIX, document_check.handle_event)
    events.route_queue(env["LIVRILI_NOTIFICATION_QUEUE"], notify_handlers.process)
    events.every_minute.append(outbox.relay)
    events.start()
    return events


def serve(host: str, port: int, file_origins: tuple[str, ...] = ()) -> None:
    """Run `chalice local --stage local --no-autoreload` in this process, with the web apps'
    built files (`web/dist`) served beside the API on the same port (scripts/webserve.py)."""
    from chalice import local
    from chalice.cli.factory import CLIFactory

    from scripts.webserve import WEB_ROOT, handler_class

    _patch_gateway_responses()
    # the stdlib default backlog is 5: a burst of parallel clients would be reset
    local.ThreadedHTTPServer.request_queue_size = 128
    factory = CLIFactory(str(ROOT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name="local")
    app_obj = config.chalice_app
    # what local.create_local_server does, with our handler in place of chalice's own
    local.CustomLocalChalice.__bases__ = (local.LocalChalice, app_obj.__class__)
    app_obj.__class__ = local.CustomLocalChalice
    server = local.LocalDevServer(app_obj, config, host, port, handler_cls=handler_class(WEB_ROOT, file_origins))
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "0")))
    parser.add_argument("--no-demo", action="store_true", help="only the first admin, no demo shops")
    args = parser.parse_args()
    # Ctrl-C and SIGTERM stop everything, even when started from a shell that ignores SIGINT
    # in background jobs (Python keeps an inherited SIG_IGN).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 <pid>`: where is every thread?

    import logging

    from moto.server import ThreadedMotoServer

    from scripts import moto_patches

    moto_patches.apply()  # concurrent transactions: no lost writes, no whole-table copies
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per moto request (the event poller)

    moto_port = args.moto_port or _free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    env = configure_environment(moto_port)
    events = None
    try:
        from chalicelib.accounts import staff as accounts_staff
        from chalicelib.db.provision import create_bucket, create_queue, create_table

        create_table(env["LIVRILI_TABLE_NAME"], env["AWS_DEFAULT_REGION"])
        create_bucket(env["LIVRILI_BUCKET_NAME"], env["AWS_DEFAULT_REGION"])
        create_queue(env["LIVRILI_NOTIFICATION_QUEUE"], env["AWS_DEFAULT_REGION"])
        create_queue(env["LIVRILI_DEAD_LETTER_QUEUE"], env["AWS_DEFAULT_REGION"])
        events = start_local_events(env)
        username = os.environ.get("LIVRILI_ADMIN_USERNAME") or DEFAULT_ADMIN[0]
        password = os.environ.get("LIVRILI_ADMIN_PASSWORD") or DEFAULT_ADMIN[1]
        accounts_staff.create_staff_user(username, password, "Livrili Admin")
        logins = [("admin", username, password)]
        if not args.no_demo:
            from scripts.demo_data import load

            logins += load()
        url = f"http://127.0.0.1:{args.port}"
        print(f"\nLivrili app   {url}/   (the mobile app for shops and drivers)", flush=True)
        print(f"Livrili API   {url}/v1   (OpenAPI: {url}/openapi.json)", flush=True)
        print(f"moto server   http://127.0.0.1:{moto_port}  (DynamoDB, S3, SQS; in memory)", flush=True)
        print("demo logins:", flush=True)
        for role, user, pwd in logins:
            print(f"  {role:<22} {user:<16} {pwd}", flush=True)
        print("Ctrl-C stops everything.\n", flush=True)
        serve("127.0.0.1", args.port, file_origins=(env["AWS_ENDPOINT_URL"],))
    except KeyboardInterrupt:
        pass
    finally:
        if events is not None:
            events.stop()
        moto.stop()
        print("stopped.", flush=True)


if __name__ == "__main__":
    main()
