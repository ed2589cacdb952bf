"""The change feed clients poll (`GET /v1/changes`), read from the entries the domain events
wrote (`events.feed`), with the announcements meant for the caller."""
