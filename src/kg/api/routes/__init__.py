"""One router per concern; :func:`kg.api.app.create_app` assembles them."""
