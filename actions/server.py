"""The action server: rasa-sdk's own app.

Run with `python -m actions.server` (ACTION_SERVER_PORT, default 5055)."""

import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import Sanic

from actions import calculators, services
from knowledge.details import vocabulary
from knowledge.published import KnowledgeUnavailable
from knowledge.settings import SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)


def build_app() -> Sanic:
    app = create_app("actions", cors_origins=None)

    @app.before_server_start
    async def load_knowledge(*_: object) -> None:
        # Load catalogs and the language model before the first message, not during it.
        services.renderer()
        services.language_identifier()

    @app.after_server_start
    async def build_indexes(_app: Sanic, loop) -> None:
        # The knowledge-base indexes take seconds to build: in a thread, so the server
        # answers /health at once; a question that comes first waits for its language.
        # The calculators' vocabularies are read there too.
        loop.run_in_executor(None, warm_knowledge)

    return app


def warm_knowledge() -> None:
    for language in SUPPORTED_LANGUAGES:
        vocabulary(language)  # the calculators' words, read before the first message
    calculators.words_that_say_it()
    try:
        snapshot = services.published_knowledge().current()
        snapshot.warm(SUPPORTED_LANGUAGES)
        logger.info("Knowledge base indexes ready (version %s).", snapshot.version)
    except KnowledgeUnavailable as error:
        logger.error("Knowledge base not readable yet (%s); answers will say so.", error)


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    port = int(os.environ.get("ACTION_SERVER_PORT", "5055"))
    host = os.environ.get("ACTION_SERVER_HOST", "127.0.0.1")
    logger.info("Action and NLG server on http://%s:%s", host, port)
    build_app().run(host=host, port=port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
