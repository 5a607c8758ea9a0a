"""Rasa's NLG endpoint (`nlg:` in bot/endpoints.yml): Rasa posts a response name and the
tracker; we answer with the text and buttons in the conversation's language."""

import logging
from typing import Any, Dict, Text

from sanic.request import Request
from sanic.response import HTTPResponse, json

from actions import services
from knowledge.i18n import MissingValue

logger = logging.getLogger(__name__)


def language_of(tracker: Dict[Text, Any]) -> Any:
    return (tracker.get("slots") or {}).get("language")


async def generate(request: Request) -> HTTPResponse:
    body = request.json if request.body else None
    if not isinstance(body, dict) or not isinstance(body.get("response"), str):
        return json({"error": "expected a JSON object with a 'response' name"}, status=400)
    tracker, channel, arguments = (
        body.get(key) if isinstance(body.get(key), dict) else {}
        for key in ("tracker", "channel", "arguments")
    )
    try:
        message = services.renderer().render(
            body["response"], language_of(tracker), arguments, channel.get("name")
        )
    except KeyError as error:
        status = 500 if isinstance(error, MissingValue) else 404
        logger.error("Cannot render %r: %s", body["response"], error)
        return json({"error": f"cannot render {body['response']!r}: {error}"}, status=status)
    return json(message)
