"""One router per area; :func:`sentinela.web.app.create_app` includes each one explicitly."""
