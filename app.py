"""Livrili API: registers the blueprints, the middleware and the event handlers — nothing else."""

from typing import TYPE_CHECKING

from chalice import Chalice

from chalicelib.accounts import handlers as accounts_handlers
from chalicelib.accounts import routes as accounts_routes
from chalicelib.accounts import shop_routes as accounts_shop_routes
from chalicelib.audit import routes as audit_routes
from chalicelib.catalog import handlers as catalog_handlers
from chalicelib.catalog import routes as catalog_routes
from chalicelib.core import lazy
from chalicelib.core import routes as core_routes
from chalicelib.credit import handlers as credit_handlers
from chalicelib.credit import routes as credit_routes
from chalicelib.events import handlers as event_handlers
from chalicelib.live import routes as live_routes
from chalicelib.notify import handlers as notify_handlers
from chalicelib.notify import routes as notify_routes
from chalicelib.orders import routes as orders_routes
from chalicelib.system import routes as system_routes

if TYPE_CHECKING:
    from chalicelib.accounts import sessions as accounts_sessions
    from chalicelib.db import base as db_base
else:  # loaded by the first request that carries a token (cold start: see chalicelib.core.lazy)
    accounts_sessions = lazy.module("chalicelib.accounts.sessions")
    db_base = lazy.module("chalicelib.db.base")

app = Chalice(app_name="livrili")
app.register_middleware(core_routes.http_middleware, "http")
core_routes.set_authentication(
    core_routes.Authentication(
        check=lambda token, info, roles: accounts_sessions.authenticate(token, info, roles),
        settle=lambda: db_base.settle_riders(),
        forget=lambda: db_base.forget_riders(),
    )
)

app.register_blueprint(system_routes.bp)
app.register_blueprint(accounts_routes.bp)
app.register_blueprint(accounts_shop_routes.bp)
app.register_blueprint(accounts_handlers.bp)
app.register_blueprint(audit_routes.bp)
app.register_blueprint(catalog_routes.bp)
app.register_blueprint(catalog_handlers.bp)
app.register_blueprint(orders_routes.bp)
app.register_blueprint(credit_routes.bp)
app.register_blueprint(notify_routes.bp)
app.register_blueprint(notify_handlers.bp)
app.register_blueprint(event_handlers.bp)
app.register_blueprint(live_routes.bp)
app.register_blueprint(credit_handlers.bp)
