"""The staff web app: one Sanic app (the same pinned environment as Rasa and the action
server, so there is one environment to build and keep safe) with the JSON API and the
pages that use it. Knowledge-base changes go through knowledge/editorial.py."""

import logging
import os
from typing import Mapping, Optional, Text

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from knowledge.db import make_engine, session_factory
from knowledge.settings import load_settings
from staff import api, pages

logger = logging.getLogger(__name__)

# Large enough for a knowledge-base export or a quarter of World Bank prices, small
# enough that a hostile upload cannot fill the memory.
MAX_REQUEST_BYTES = 20 * 1024 * 1024


def create_app(
    database_url: Optional[Text] = None, environ: Mapping[Text, Text] = os.environ
) -> Sanic:
    settings = load_settings(environ)
    app = Sanic("staff")
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    engine = make_engine(database_url or settings.database_url)
    app.ctx.sessions = session_factory(engine)
    app.ctx.settings = settings
    app.ctx.secure_cookies = environ.get("ASSISTANT_STAFF_SECURE_COOKIES", "") == "1"
    api.add_to(app)
    pages.add_to(app, settings.locales_dir)

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return json_response({"status": "ok"})

    @app.on_response
    async def security_headers(_request: Request, response: HTTPResponse) -> None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )

    @app.after_server_stop
    async def close(*_: object) -> None:
        engine.dispose()

    return app
