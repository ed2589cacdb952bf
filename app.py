"""Livrili API: registers the blueprints, the middleware and the event handlers — nothing else."""

from chalice import Chalice

from chalicelib.accounts import routes as accounts_routes
from chalicelib.accounts import service as accounts_service
from chalicelib.audit import routes as audit_routes
from chalicelib.catalog import events as catalog_events
from chalicelib.catalog import routes as catalog_routes
from chalicelib.core import routes as core_routes
from chalicelib.credit import events as credit_events
from chalicelib.credit import routes as credit_routes
from chalicelib.notify import events as notify_events
from chalicelib.notify import routes as notify_routes
from chalicelib.orders import routes as orders_routes

app = Chalice(app_name="livrili")
app.register_middleware(core_routes.http_middleware, "http")
core_routes.set_authenticator(accounts_service.authenticate)

app.register_blueprint(core_routes.system)
app.register_blueprint(accounts_routes.bp)
app.register_blueprint(audit_routes.bp)
app.register_blueprint(catalog_routes.bp)
app.register_blueprint(catalog_events.bp)
app.register_blueprint(orders_routes.bp)
app.register_blueprint(credit_routes.bp)
app.register_blueprint(notify_routes.bp)
app.register_blueprint(notify_events.bp)
app.register_blueprint(credit_events.bp)
