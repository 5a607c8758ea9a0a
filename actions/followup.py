"""Follow-ups lean on the last answer (the `last_answer` slot): "and for Malaysia?",
"and 1000?", "in rupees?" change one detail and answer again; "tell me more" and "what do
I do now?" go on with the same subject (after "which of these two answers?", the closer
one); "yes" takes the calculator the bot offered ("no"
is `stop`: action_stop_calculator).
Nothing to lean on: the bot asks what the user means, with what it understood."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.calculators import (
    COUNTRY_SLOTS,
    FORMS,
    HOME_COUNTRY,
    VALIDATORS,
    WORK_COUNTRY,
    as_decimal,
    fee_reply,
    money,
    remittance_reply,
    waiting_calculator,
)
from actions.contacts import answers_where, say_contacts
from actions.knowledge import (
    LAST_ANSWER_SLOT,
    OFFERED_SLOT,
    answer,
    answer_checked,
    any_answer,
    changes_last_calculation,
    intent_of,
    seen_entries,
    written_in,
)
from actions.language import LANGUAGE_SLOT
from knowledge.answering import UNANSWERED
from knowledge.details import country_name, currencies_of, vocabulary

# For each kind of answer, the checked entry that says what to do next.
NEXT_ENTRY = {
    "remittance": "remit-compare-providers",
    "fee": "fees-protect-complain",
}
# Asked for more after "no checked answer yet", the nearest entry is given (said to be the
# closest) from this score: on the unanswered questions of the conversation suite, the
# nearest entry above it is the one the question was about; off-topic questions ("how do
# I cook rice") score below it.
CLOSEST_SCORE = 0.25
MORE_ENTRY = {
    "remittance": "remit-total-cost",
    "fee": "fees-what-counts",
}


class ActionFollowUp(Action):
    def name(self) -> Text:
        return "action_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = tracker.get_slot(LANGUAGE_SLOT) or services.settings().default_language
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        text = message.get("text") or ""
        last = tracker.get_slot(LAST_ANSWER_SLOT) or {}
        offered = tracker.get_slot(OFFERED_SLOT)
        if intent == "affirm" and offered in FORMS:
            return [SlotSet(OFFERED_SLOT, None), FollowupAction(offered)]
        if intent == "affirm" and not last:
            dispatcher.utter_message(response="utter_ok_what_else")
            return [SlotSet(OFFERED_SLOT, None)]
        if intent == "give_details":
            located = answers_where(dispatcher, tracker, language)
            if located is not None:
                return located
            waiting = waiting_calculator(tracker, language, text)
            if waiting:
                # The details the offer (or the calculator the user left) asked for: it
                # starts, reading them from this message.
                return [SlotSet(OFFERED_SLOT, None), FollowupAction(waiting)]
            return self.change_detail(dispatcher, tracker, language, text, last)
        if changes_last_calculation(tracker, text, language):
            # "y a lima?", "ar kuwait theke?" after a figure, taken for "tell me more" or
            # "what now": the same calculation with that detail changed.
            return self.change_detail(dispatcher, tracker, language, text, last)
        return self.go_on(dispatcher, tracker, language, last, intent)

    # --- "and for Malaysia?", "and 1000?", "in rupees?" -----------------------------------
    def change_detail(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: Text,
        text: Text,
        last: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        kind = last.get("kind")
        words = vocabulary(language)
        if kind in ("remittance", "fee") and not words.amounts(text):
            # "in rupees?", "ch7al b dinar dzayri?", "bd takay koto?": the last amount in
            # that money, unless the message names a country the calculation did not.
            known = {last.get(HOME_COUNTRY), last.get(WORK_COUNTRY)}
            target = _currency_asked(words, text, known)
            if target and all(m.code in known for m in words.country_mentions(text)):
                return self.convert(dispatcher, language, last, target)
        if kind == "remittance":
            details = self.changed("remittance_form", text, language, last, "amount", "currency")
            return remittance_reply(dispatcher, language, details, again=True)
        if kind == "fee":
            details = self.changed("fee_form", text, language, last, "fee_amount", "fee_currency")
            return fee_reply(dispatcher, language, details, again=True)
        if kind == "safety":
            here = next(iter(words.country_mentions(text)), None)
            if here:
                given = say_contacts(
                    dispatcher, here.code, tracker.get_slot(HOME_COUNTRY), language
                )
                return [SlotSet("location", here.code)] + given
        if kind == "entry":
            return self.entry_for(dispatcher, tracker, language, text, last)
        return self.no_context(dispatcher, tracker, language, text)

    @staticmethod
    def changed(
        form: Text,
        text: Text,
        language: Text,
        last: Dict[Text, Any],
        amount_key: Text,
        currency_key: Text,
    ) -> Dict[Text, Any]:
        """The last calculation's details with what this message changes: a country takes
        the place of the one with its role (or, named alone, of the sending or work
        country), an amount the place of the amount."""
        validator = VALIDATORS[form]()
        slots = {
            validator.amount_slot: None,
            validator.currency_slot: None,
            HOME_COUNTRY: None,
            WORK_COUNTRY: None,
        }
        read = validator.read(text, language, slots, None)
        details = dict(last)
        words = vocabulary(language)
        mentions = words.country_mentions(text)
        money = set(words.currency_in(text))
        arrives = [m.code for m in mentions if money & set(currencies_of(m.code))]
        if form == "remittance_form" and validator.amount_slot not in read and arrives:
            # "y en lempiras si se los mando a mi compadre en honduras?": the country whose
            # money is asked for is where the money arrives; it leaves as before.
            read = {k: v for k, v in read.items() if k not in COUNTRY_SLOTS}
            read.pop(validator.currency_slot, None)
            read[HOME_COUNTRY] = arrives[0]
        elif len(mentions) == 1 and mentions[0].role is None:
            # Named alone ("and for Malaysia?"): the country the user compares is the one
            # the money leaves from, or where the worker goes.
            read = {k: v for k, v in read.items() if k not in (HOME_COUNTRY, WORK_COUNTRY)}
            read[WORK_COUNTRY] = mentions[0].code
        for slot, value in read.items():
            key = {
                validator.amount_slot: amount_key,
                validator.currency_slot: currency_key,
            }.get(slot, slot)
            details[key] = value
        if validator.amount_slot in read and validator.currency_slot not in read:
            details[currency_key] = last.get(currency_key)
        if (
            WORK_COUNTRY in read
            and form == "remittance_form"
            and validator.currency_slot not in read
        ):
            # Another sending country: its own money, unless the amount was in dollars.
            if last.get(currency_key) != "USD":
                local = currencies_of(read[WORK_COUNTRY])
                details[currency_key] = local[0] if local else "USD"
        return details

    def convert(
        self, dispatcher: CollectingDispatcher, language: Text, last: Dict[Text, Any], target: Text
    ) -> List[Dict[Text, Any]]:
        amount_key, currency_key = (
            ("amount", "currency")
            if last.get("kind") == "remittance"
            else ("fee_amount", "fee_currency")
        )
        amount, currency = as_decimal(last.get(amount_key)), last.get(currency_key)
        if amount is None or not currency:
            dispatcher.utter_message(response="utter_ok_what_else")
            return []
        conversion = services.exchange_rates().convert(amount, currency, target)
        if conversion is None:
            dispatcher.utter_message(response="utter_no_rate", currency=currency, target=target)
            return []
        dispatcher.utter_message(
            response="utter_converted",
            amount=money(amount, currency),
            converted=money(
                conversion.amount.quantize(Decimal("1"), ROUND_HALF_UP), conversion.currency
            ),
            period=conversion.year,
            source=conversion.source,
        )
        return []

    @staticmethod
    def entry_for(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: Text,
        text: Text,
        last: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        """The last question asked again with the new detail: another entry if one fits
        better, else the honest "no answer specific to that country"."""
        question = f"{last.get('question') or ''} {text}".strip()
        mentions = vocabulary(language).country_mentions(text)
        before = dispatcher.messages[:]
        events = answer(dispatcher, tracker, language, text=question)
        same = any(
            e.get("name") == LAST_ANSWER_SLOT
            and (e.get("value") or {}).get("entry") == last.get("entry")
            for e in events
        )
        if same and mentions:
            del dispatcher.messages[len(before) :]
            dispatcher.utter_message(
                response="utter_general_rule_only", country=country_name(mentions[0].code, language)
            )
            return []
        return events

    @staticmethod
    def no_context(
        dispatcher: CollectingDispatcher, tracker: Tracker, language: Text, text: Text
    ) -> List[Dict[Text, Any]]:
        answered = answer_checked(dispatcher, tracker, language, any_answer, intent_of(tracker))
        if answered is not None:
            # A question of its own ("what papers to take to Spain"): its answer.
            return answered
        words = vocabulary(language)
        mentions = words.country_mentions(text)
        if words.amounts(text):
            details: Dict[Text, Any] = {}
            for form in FORMS:
                validator = VALIDATORS[form]()
                details.update(validator.read(text, language, {}, None))
            dispatcher.utter_message(response="utter_which_calculator")
            return [SlotSet(slot, value) for slot, value in details.items() if value is not None]
        if mentions:
            dispatcher.utter_message(
                response="utter_ask_about_country",
                country=country_name(mentions[0].code, language),
            )
            return [SlotSet(WORK_COUNTRY, mentions[0].code)]
        return answer(dispatcher, tracker, language)

    # --- "tell me more", "what do I do now?" ------------------------------------------------
    def go_on(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: Text,
        last: Dict[Text, Any],
        intent: Optional[Text],
    ) -> List[Dict[Text, Any]]:
        kind = last.get("kind")
        if kind in NEXT_ENTRY:
            slug = (NEXT_ENTRY if intent == "what_now" else MORE_ENTRY)[kind]
            return answer(dispatcher, tracker, language, chosen=slug)
        if kind == "entry":
            slug = self.next_entry(tracker, last.get("entry"), language)
            if slug:
                return answer(dispatcher, tracker, language, chosen=slug)
            dispatcher.utter_message(response="utter_nothing_more")
            return []
        if kind == UNANSWERED:
            # "Explain more" after "no checked answer yet": the closest checked answer, said
            # to be only that; the menu if none is close.
            slug = self.closest(last.get("question") or "", language)
            if slug:
                dispatcher.utter_message(response="utter_kb_closest")
                return answer(dispatcher, tracker, language, chosen=slug)
        if kind == "clarify" and last.get("choices"):
            # "What do you mean?" after "which of these two?": the closer one.
            return answer(dispatcher, tracker, language, chosen=last["choices"][0])
        if kind == "safety":
            location = tracker.get_slot("location")
            if location:
                dispatcher.utter_message(response="utter_safety_next")
            else:
                dispatcher.utter_message(response="utter_ask_location")
            return []
        dispatcher.utter_message(response="utter_help")
        return []

    @staticmethod
    def closest(question: Text, language: Text) -> Optional[Text]:
        """The entry nearest to a question that had no checked answer, if near enough."""
        snapshot = services.published_knowledge().current()
        matches = snapshot.search(question, written_in(question, language), limit=1)
        if not matches or matches[0].score < CLOSEST_SCORE:
            return None
        entry = snapshot.entries[matches[0].slug]
        return entry.slug if language in entry.texts else None

    @staticmethod
    def next_entry(tracker: Tracker, slug: Optional[Text], language: Text) -> Optional[Text]:
        """The first related entry of the last answer that the user has not seen yet."""
        snapshot = services.published_knowledge().current()
        entry = snapshot.entries.get(slug or "")
        if entry is None:
            return None
        seen = seen_entries(tracker)
        for other in entry.related:
            candidate = snapshot.entries.get(other)
            if candidate is not None and other not in seen and language in candidate.texts:
                return other
        return None


def _currency_asked(words, text: Text, countries=()) -> Optional[Text]:
    """The currency a follow-up asks for ("in rupees?", "ringgit ma kati?"): of a word
    several countries use ("dinar"), the one of the calculation's countries."""
    found = words.currency_in(text)
    for country in countries:
        for code in currencies_of(country):
            if code in found:
                return code
    return found[0] if found else None
