"""What the bot says, rendered in the Rasa server's own process (`nlg:` in
bot/endpoints.yml): the response's English text from bot/domain/, translated with the
catalog of the conversation's language and its values formatted for that locale
(knowledge/i18n.py). No round trip per message, and the answers that need no custom
action still come when the action server is down.

A reply whose words were already sent in this conversation is said in the response's
`<name>_again` words where the domain has them, and a third time in its `<name>_more`
words (the numbers for a place a third time are a pointer to them), then in the words said
longest ago: a person who asks again gets a reply that moves on, not the same block word
for word."""

import logging
from functools import lru_cache
from typing import Any, Dict, Optional, Text, Tuple

from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.events import BotUttered, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

import bot.remote_actions  # noqa: F401 (the faster check of action server answers)
from knowledge.i18n import ResponseRenderer, build_renderer
from knowledge.settings import load_settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def texts() -> ResponseRenderer:
    return build_renderer(load_settings())


def say(name: Text, language: Optional[Text]) -> Text:
    """One response's text in a language (the default language when it is None)."""
    return texts().render(name, language).get("text", "")


class CatalogNaturalLanguageGenerator(NaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Any = None) -> None:
        self.renderer = texts()  # read at start, not on the first message

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        language = tracker.get_slot("language")
        wordings = [utter_action] + [
            utter_action + suffix
            for suffix in (AGAIN, MORE)
            if utter_action + suffix in self.renderer.responses
        ]
        sent = texts_sent(tracker) if len(wordings) > 1 else {}
        oldest: Optional[Tuple[int, Dict[Text, Any]]] = None
        for name in wordings:
            try:
                reply = self.renderer.render(name, language, kwargs, output_channel)
            except KeyError as error:
                # An unknown response or a missing value: said in the log, not to the user.
                logger.error("Cannot render %r: %s", name, error)
                return oldest[1] if oldest else None
            said_at = sent.get(reply.get("text"))
            if said_at is None:
                return reply
            if oldest is None or said_at < oldest[0]:
                oldest = (said_at, reply)
        # Every wording was said: the one said longest ago, not the last one again.
        return oldest[1] if oldest else None


AGAIN, MORE = "_again", "_more"


def texts_sent(tracker: DialogueStateTracker) -> Dict[Text, int]:
    """What the bot has said in this session, each text with when it last said it."""
    sent: Dict[Text, int] = {}
    for position, event in enumerate(tracker.events):
        if isinstance(event, SessionStarted):
            sent.clear()
        elif isinstance(event, BotUttered) and event.text:
            sent[event.text] = position
    return sent
