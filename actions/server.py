"""The action server: rasa-sdk's own app, plus the NLG endpoint on the same port.

Run with `python -m actions.server` (ACTION_SERVER_PORT, default 5055)."""

import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import Sanic

from actions import nlg, services

logger = logging.getLogger(__name__)


def build_app() -> Sanic:
    app = create_app("actions", cors_origins=None)
    app.add_route(nlg.generate, "/nlg", methods=["POST"])

    @app.before_server_start
    async def load_knowledge(*_: object) -> None:
        # Load catalogs and the language model before the first message, not during it.
        services.renderer()
        services.language_identifier()

    return app


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    port = int(os.environ.get("ACTION_SERVER_PORT", "5055"))
    host = os.environ.get("ACTION_SERVER_HOST", "127.0.0.1")
    logger.info("Action and NLG server on http://%s:%s", host, port)
    build_app().run(host=host, port=port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
