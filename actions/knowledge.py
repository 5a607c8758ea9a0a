"""Answers from the knowledge base: the topic Rasa recognised is a strong hint, the
user's own words are the query. Entries chosen with a button are answered directly."""

import json
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import services
from actions.calculators import CALCULATOR_FOR_TOPIC, calculator_for
from actions.language import LANGUAGE_SLOT, is_button_payload
from knowledge.answering import (
    ANSWER,
    CLARIFY,
    EXCERPT,
    Reply,
    answer_entry,
    answer_question,
)
from knowledge.i18n import mark_direction
from knowledge.models import UNREVIEWED
from knowledge.published import KnowledgeUnavailable
from knowledge.retrieval import INTENT_TOPICS, PublishedEntry
from knowledge.store import record_unanswered

logger = logging.getLogger(__name__)

ENTRY_ENTITY = "entry"
TOPIC_MENU_SIZE = 6
# Answers on this topic come with a link to the printable checklist (webchat/).
CHECKLIST_TOPIC = "predeparture"
EXCERPT_CHARACTERS = 420
# Intents that are not questions about a topic: only a clear match is answered.
NOT_A_TOPIC_ACCEPT = 0.45
TOPIC_INTENT = {
    topic: intent for intent, topic in INTENT_TOPICS.items() if intent.startswith("topic_")
}


def entry_payload(entry: PublishedEntry) -> Text:
    """The button that asks for one entry: its topic's intent with the entry as entity."""
    return f"/{TOPIC_INTENT[entry.topic]}{json.dumps({ENTRY_ENTITY: entry.slug})}"


def excerpt(text: Text, limit: int = EXCERPT_CHARACTERS) -> Text:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        language = tracker.get_slot(LANGUAGE_SLOT) or services.settings().default_language
        text = message.get("text") or ""
        intent = (message.get("intent") or {}).get("name")
        confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
        chosen = next(tracker.get_latest_entity_values(ENTRY_ENTITY), None)
        form = None if tracker.active_loop.get("name") else calculator_for(intent, text, language)
        if form and not chosen:
            return [FollowupAction(form)]
        try:
            snapshot = services.published_knowledge().current()
        except KnowledgeUnavailable as error:
            logger.error("Knowledge base unavailable: %s", error)
            self._utter(dispatcher, "utter_kb_unavailable", language)
            return []
        if chosen:
            reply = answer_entry(snapshot, str(chosen), language)
        elif is_button_payload(text) and intent in TOPIC_INTENT.values():
            self._topic_menu(dispatcher, snapshot, intent, language)
            return []
        else:
            accept = None if intent in INTENT_TOPICS else NOT_A_TOPIC_ACCEPT
            reply = answer_question(
                snapshot,
                text,
                language,
                intent,
                confidence,
                **({"accept_score": accept} if accept else {}),
            )
        self._say(dispatcher, reply, language, intent, text)
        if reply.kind == ANSWER and reply.entry.topic == CHECKLIST_TOPIC:
            self._checklist_link(dispatcher, language)
        return []

    def _say(
        self,
        dispatcher: CollectingDispatcher,
        reply: Reply,
        language: Text,
        intent: Optional[Text],
        text: Text,
    ) -> None:
        if reply.kind == ANSWER:
            entry = reply.entry
            self._utter(
                dispatcher,
                "utter_kb_answer_unreviewed"
                if entry.review_status == UNREVIEWED
                else "utter_kb_answer",
                language,
                {"answer": entry.texts[language].answer, "sources": "; ".join(entry.sources[:2])},
                buttons=[self._entry_button(e, language) for e in reply.related]
                + self._calculator_button(entry.topic, language),
            )
        elif reply.kind == CLARIFY:
            self._utter(
                dispatcher,
                "utter_kb_clarify",
                language,
                buttons=[self._entry_button(e, language) for e in reply.choices],
            )
        elif reply.kind == EXCERPT:
            self._utter(
                dispatcher,
                "utter_kb_excerpt",
                language,
                {"excerpt": excerpt(reply.passage.text), "sources": reply.passage.citation},
            )
            self._log_unanswered(text, language, intent, reply.score)
        else:
            self._utter(
                dispatcher,
                "utter_out_of_scope" if intent == "out_of_scope" else "utter_kb_unanswered",
                language,
            )
            self._log_unanswered(text, language, intent, reply.score)

    def _checklist_link(self, dispatcher: CollectingDispatcher, language: Text) -> None:
        """The printable pre-departure checklist, where the web chat is published."""
        public = services.settings().public_url
        if public:
            url = f"{public}/checklist?language={language}"
            self._utter(dispatcher, "utter_checklist_link", language, {"checklist_url": url})

    def _calculator_button(self, topic: Text, language: Text) -> List[Dict[Text, Text]]:
        """For fees and remittances: the button that starts the calculator."""
        calculator = CALCULATOR_FOR_TOPIC.get(TOPIC_INTENT.get(topic, ""))
        if calculator is None:
            return []
        return services.renderer().render(calculator[1], language)["buttons"]

    def _topic_menu(self, dispatcher, snapshot, intent: Text, language: Text) -> None:
        entries = [e for e in snapshot.by_topic(INTENT_TOPICS[intent]) if language in e.texts]
        message = services.renderer().render(f"utter_{intent}", language)
        buttons = self._calculator_button(INTENT_TOPICS[intent], language)
        buttons += [self._entry_button(e, language) for e in entries[:TOPIC_MENU_SIZE]]
        buttons += services.renderer().render("utter_kb_more_topics", language)["buttons"]
        dispatcher.utter_message(text=message.get("text"), buttons=buttons, language=language)
        if INTENT_TOPICS[intent] == CHECKLIST_TOPIC:
            self._checklist_link(dispatcher, language)

    def _entry_button(self, entry: PublishedEntry, language: Text) -> Dict[Text, Text]:
        return {
            "title": mark_direction(entry.texts[language].title, language),
            "payload": entry_payload(entry),
        }

    def _utter(
        self,
        dispatcher: CollectingDispatcher,
        name: Text,
        language: Text,
        values: Optional[Dict[Text, Any]] = None,
        buttons: Optional[List[Dict[Text, Text]]] = None,
    ) -> None:
        message = services.renderer().render(name, language, values)
        all_buttons = (buttons or []) + message.get("buttons", [])
        dispatcher.utter_message(
            text=message.get("text"), buttons=all_buttons or None, language=language
        )

    def _log_unanswered(
        self, text: Text, language: Text, intent: Optional[Text], score: float
    ) -> None:
        if is_button_payload(text):
            return
        try:
            record_unanswered(services.knowledge_sessions(), text, language, intent, score)
        except SQLAlchemyError as error:
            logger.warning("Could not log an unanswered question: %s", error.__class__.__name__)
