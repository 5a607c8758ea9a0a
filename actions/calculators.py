"""The remittance cost calculator and the recruitment-fee checker.

Each is a Rasa form (bot/domain/calculators.yml). Its validation action reads what the
latest message says (knowledge/details.py: amounts, currencies, countries with "from"/"to",
jobs, in the conversation's language), fills the slots it can, refuses values that cannot
be right with a clear message, and names the next question; the forms ask only for what
is still missing. When the message is not an answer (another question, "stop", a danger
signal), nothing is filled and Rasa's rules take over. The answer actions compute from
the knowledge base's data (knowledge/remittances.py, knowledge/fees.py)."""

import logging
from abc import ABCMeta, abstractmethod
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from babel.numbers import get_currency_name
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from sqlalchemy.exc import SQLAlchemyError

from actions import services
from actions.contacts import LOCATION_SLOT
from actions.intent_words import says_in_words
from actions.language import LANGUAGE_SLOT
from knowledge import remittances
from knowledge.details import (
    AT,
    FROM,
    HOME,
    TO,
    Amount,
    country_name,
    country_of_currency,
    currencies_of,
    vocabulary,
)
from knowledge.fees import (
    CAP_AMOUNT,
    CAP_MONTHS,
    WAGE_SHARE,
    ZERO,
    Rule,
    applicable_rules,
    authority_for,
    job_matters,
    judge,
    wage_matters,
)
from knowledge.i18n import babel_locale, format_value
from knowledge.models import UNREVIEWED

logger = logging.getLogger(__name__)

HOME_COUNTRY, WORK_COUNTRY = "home_country", "work_country"
LAST_ANSWER_SLOT, OFFERED_SLOT = "last_answer", "offered_calculator"
COUNTRY_SLOTS = (HOME_COUNTRY, WORK_COUNTRY)
UNKNOWN = "unknown"
# Larger than any transfer or fee in any currency: a typo, not an amount.
LARGEST_AMOUNT = Decimal("1000000000")
# Messages that are never an answer to the form's question, whatever they contain: the
# rules answer them (a danger signal first) and stop the form. ("delete" needs a word that
# says so before it gets here: bot/said_screen.py.)
NOT_AN_ANSWER = {"urgent_safety", "stop", "delete_conversation"}
# Of those, "stop" ends the form only when the message has a word that says so: an unknown
# word typed as an answer ("Wakanda") can be classified `stop` by the NLU. (The other
# calculator's intent is checked the same way.)
SAID_IN_WORDS = ("stop",)


def words_that_say_it() -> None:
    """Read the words of the calculators' intents (at start, not on a message)."""
    for intent in (*SAID_IN_WORDS, *FORMS.values()):
        says_it(intent, "")


def says_it(intent: Text, text: Text) -> bool:
    """Whether the message has a word that mostly means this intent (with its topic, for
    a calculator's)."""
    family = {t for t, (form, _) in CALCULATOR_FOR_TOPIC.items() if FORMS.get(form) == intent}
    return says_in_words(intent, text, frozenset(family))


# Intents that mean "I did not understand you", or that are meant as an answer ("and
# 500?", "yes"): mid-form, when nothing could be read, the form says what it needs.
NOT_UNDERSTOOD = {"nlu_fallback", "out_of_scope", "give_details", "affirm"}
# Below this confidence, a message the form cannot use counts as not understood, not as
# another question; so does a word or two taken for small talk ("Wakanda" is not a
# greeting when the bot just asked for a country).
UNSURE = 0.7
SMALL_TALK = {"greet", "thank"}
SHORT = 3
# A fee without a currency from this many units up is in the home country's money.
HOME_MONEY_FROM = Decimal(100_000)
SOURCE_CORRIDOR = "World Bank, Remittance Prices Worldwide, corridor average"
SOURCE_PROVIDERS = "World Bank, Remittance Prices Worldwide, corridor average of services surveyed"
SOURCE_REGIONAL = "World Bank, Remittance Prices Worldwide, issue 47"


def language_of(tracker: Tracker) -> Text:
    return tracker.get_slot(LANGUAGE_SLOT) or services.settings().default_language


def render(name: Text, language: Text, values: Optional[Dict[Text, Any]] = None) -> Dict[Text, Any]:
    return services.renderer().render(name, language, values)


def say(dispatcher: CollectingDispatcher, name: Text, language: Text, **values: Any) -> None:
    message = render(name, language, values)
    dispatcher.utter_message(
        text=message.get("text"), buttons=message.get("buttons"), language=language
    )


def money(amount: Any, currency: Optional[Text]) -> Any:
    """A value for the renderer: money when the currency is known, else a number."""
    if currency:
        return {"amount": Decimal(str(amount)), "currency": currency}
    return Decimal(str(amount))


def as_decimal(value: Any) -> Optional[Decimal]:
    if value is None or value == UNKNOWN:
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


class CalculatorForm(FormValidationAction, metaclass=ABCMeta):
    """What both forms share: reading a message into slots and checking the values."""

    amount_slot: Text
    currency_slot: Text
    # The other calculator's intent: the user wants to switch, a rule does it.
    other_calculator_intent: Text
    # Which slot a country goes to for each role the message gives it.
    roles: Dict[Text, Text]
    # What the calculator says when both countries are the same.
    same_country: Text
    # Its result in the `last_answer` slot: the kind, and the key of the currency there.
    kind: Text
    last_currency: Text
    # The slot that where the user said they are fills, unless the message says otherwise.
    where_user_is: Optional[Text] = None

    @abstractmethod
    def name(self) -> Text:
        """validate_<form>"""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
        # A "stop" without a word that says stop is the NLU's guess at an unknown word; a
        # bare country is no wish to switch to the other calculator.
        # The message that started the form (it has asked nothing yet) is read whatever
        # the classifier called it: the offer's details ("cekin aja. 25 jt, dr indonesia
        # ke taiwan, gaji 550 dolar") started it.
        starting = tracker.get_slot(REQUESTED_SLOT) is None
        misheard = (intent in SAID_IN_WORDS or intent == self.other_calculator_intent) and (
            starting or not says_it(intent, message.get("text") or "")
        )
        # The classifier's unsure guess at danger, with no sign of it, may be an answer
        # ("domestic helper. salary 4990 hkd per month"): read it; if nothing in it is
        # usable, the rules give the safety answer.
        guessed_danger = (
            intent == "urgent_safety"
            and not (message.get("intent") or {}).get("danger_signal")
            and confidence < UNSURE
        )
        if (
            (intent in NOT_AN_ANSWER or intent == self.other_calculator_intent)
            and not misheard
            and not guessed_danger
        ):
            return []
        language = language_of(tracker)
        text = message.get("text") or ""
        if text.startswith("/"):
            text = ""  # a button that started the form carries no details
        slots = {name: tracker.get_slot(name) for name in self.domain_slots(domain)}
        requested = tracker.get_slot(REQUESTED_SLOT)
        here = tracker.get_slot(LOCATION_SLOT)
        located = (
            {self.where_user_is: here}
            if self.where_user_is and here and slots.get(self.where_user_is) is None
            else {}
        )
        try:
            # "I work in Jordan" earlier, then "200 dinars to Syria": sent from Jordan, in
            # Jordanian dinars.
            updates = self.read(text, language, {**slots, **located}, requested)
            if located and here not in (updates.get(s) for s in COUNTRY_SLOTS):
                updates = {**located, **updates}
            updates.update(self.as_last_time(tracker, slots, updates))
            updates = self.check(dispatcher, language, slots, updates)
            merged = {**slots, **updates}
            required = self.required(merged)
        except SQLAlchemyError as error:
            logger.error("Calculator data unavailable: %s", error.__class__.__name__)
            say(dispatcher, "utter_kb_unavailable", language)
            return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        # Nothing usable: another question is left to the rules (the form asks again
        # after the answer); what was not understood gets a hint and the question again.
        short_small_talk = intent in SMALL_TALK and len(text.split()) <= SHORT
        not_understood = (
            misheard
            or intent in NOT_UNDERSTOOD
            or (not updates and (confidence < UNSURE or short_small_talk))
        )
        if requested and requested not in updates and text.rstrip().endswith(("?", "؟")):
            # A question that does not answer the one asked ("so do I pay him or not? he
            # wants 1 lakh advance"): not an answer, whatever details it names; the rules
            # answer it and the form is left, keeping what it had.
            return []
        if requested and requested not in updates and text and not_understood:
            self.explain(dispatcher, requested, language)
            updates[requested] = None
        if not updates:
            return []
        next_slot = next((s for s in required if merged.get(s) is None), None)
        events = [SlotSet(slot, value) for slot, value in updates.items()]
        # Slots that no longer apply (the job after the countries changed) are cleared.
        events += [
            SlotSet(s, None) for s in slots if s not in required and merged.get(s) is not None
        ]
        return events + [SlotSet(REQUESTED_SLOT, next_slot)]

    # --- reading ----------------------------------------------------------------------
    def read(
        self, text: Text, language: Text, slots: Dict[Text, Any], requested: Optional[Text]
    ) -> Dict[Text, Any]:
        if not text:
            return {}
        words = vocabulary(language)
        updates: Dict[Text, Any] = {}
        mentions = words.country_mentions(text)
        uncued: List[Text] = []
        # "where" (AT) is the weakest cue: after "from" and "to" have their countries, a
        # second country "in" a place is the other end ("1500 riyal to my family in Yemen,
        # from Jeddah").
        placed_at = 0
        for mention in sorted(mentions, key=lambda m: m.role == AT):
            slot = self.roles.get(mention.role) if mention.role else None
            if slot and slot in updates and mention.role == AT:
                other = next(s for s in COUNTRY_SLOTS if s != slot)
                slot = other if other not in updates else None
            if slot:
                updates[slot] = mention.code
                placed_at += mention.role == AT
            else:
                uncued.append(mention.code)
        if placed_at == 2:
            # Two places "in" ("السمسار فطنجة ... نخدم طباخ فالسعودية"): the one that only
            # sends money in the price data is where the work is.
            senders, _ = services.corridor_roles()
            if updates[HOME_COUNTRY] in senders and updates[WORK_COUNTRY] not in senders:
                updates[HOME_COUNTRY], updates[WORK_COUNTRY] = (
                    updates[WORK_COUNTRY],
                    updates[HOME_COUNTRY],
                )
        if len(uncued) == 2 and not updates and requested not in COUNTRY_SLOTS:
            # "france senegal", "nepal malaysia": people name where from, then where to.
            uncued_roles = (self.roles[FROM], self.roles[TO])
            updates.update(dict(zip(uncued_roles, uncued, strict=True)))
            uncued = []
        unplaced = []
        for code in uncued:
            slot = self.slot_for_uncued(code, {**slots, **updates}, requested)
            empty = [s for s in COUNTRY_SLOTS if {**slots, **updates}.get(s) is None]
            cued = [s for s in COUNTRY_SLOTS if s in updates]
            if slot is None and len(uncued) == 1 and len(cued) == 1:
                # "nepal bata romania", "bangladesh theke croatia" (after a question on
                # Poland): beside the country "from", the other end.
                slot = next(s for s in COUNTRY_SLOTS if s not in cued)
            elif slot is None and len(uncued) == 1 and len(empty) == 1:
                slot = empty[0]
            if slot and slot not in updates:
                updates[slot] = code
            elif slot is None:
                unplaced.append(code)
        amounts = words.amounts(text)
        countries = [
            updates.get(WORK_COUNTRY) or slots.get(WORK_COUNTRY),
            updates.get(HOME_COUNTRY) or slots.get(HOME_COUNTRY),
        ]
        if amounts:
            self.read_amount(amounts[0], countries, slots, requested, updates)
        elif requested == self.currency_slot:
            currency = words.currency_in(text)
            if currency:
                updates[self.currency_slot] = Amount(Decimal(1), currency).currency_for(countries)
        self.read_more(words, text, slots, requested, updates)
        empty = [s for s in COUNTRY_SLOTS if {**slots, **updates}.get(s) is None]
        if len(unplaced) == 1 and len(empty) == 1 and unplaced[0] not in updates.values():
            # "malaysia ko ... 1 lakh 65 hajar rupiya": the rupees say home, so Malaysia
            # is the other end.
            updates[empty[0]] = unplaced[0]
        return updates

    def as_last_time(
        self, tracker: Tracker, slots: Dict[Text, Any], updates: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        """A new amount for the same countries as the last calculation of this kind ("and
        if I send 600?", also after an answer in between) is in the same currency as last
        time, unless the message names one."""
        last = next(
            (
                e["value"]
                for e in reversed(tracker.events)
                if e.get("event") == "slot"
                and e.get("name") == LAST_ANSWER_SLOT
                and (e.get("value") or {}).get("kind") == self.kind
            ),
            tracker.get_slot(LAST_ANSWER_SLOT) or {},
        )
        if last.get("kind") != self.kind or self.amount_slot not in updates:
            return {}
        if self.currency_slot in updates or slots.get(self.currency_slot):
            return {}
        same = all(
            {**slots, **updates}.get(country) == last.get(country) for country in COUNTRY_SLOTS
        )
        currency = last.get(self.last_currency)
        return {self.currency_slot: currency} if same and currency else {}

    def read_amount(self, amount: Amount, countries, slots, requested, updates) -> None:
        updates[self.amount_slot] = str(amount.value)
        currency = amount.currency_for(countries)
        if currency:
            updates[self.currency_slot] = currency
        # "1000 qr to nepal": the money says where it comes from, when one country uses it.
        country = country_of_currency(currency)
        known = {slots.get(s) for s in COUNTRY_SLOTS} | {updates.get(s) for s in COUNTRY_SLOTS}
        if country and country not in known and requested not in COUNTRY_SLOTS:
            empty = [
                slot
                for slot in (self.roles[FROM], self.roles[TO])
                if slots.get(slot) is None and updates.get(slot) is None
            ]
            if empty:
                updates[empty[0]] = country

    def read_more(self, words, text, slots, requested, updates) -> None:
        """Form-specific details (the job, the wage)."""

    def slot_for_uncued(
        self, code: Text, slots: Dict[Text, Any], requested: Optional[Text]
    ) -> Optional[Text]:
        """A country named without "from" or "to": the country asked for; else the role
        it has in the price data (a country that only sends money is a work country)."""
        if requested in COUNTRY_SLOTS:
            return requested
        empty = [s for s in COUNTRY_SLOTS if slots.get(s) is None]
        if not empty:
            return None
        senders, receivers = services.corridor_roles()
        guess = WORK_COUNTRY if code in senders else HOME_COUNTRY if code in receivers else None
        return guess if guess in empty else None

    # --- checking ---------------------------------------------------------------------
    def check(
        self, dispatcher, language: Text, slots: Dict[Text, Any], updates: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        checked = dict(updates)
        amount = as_decimal(checked.get(self.amount_slot))
        if self.amount_slot in checked and amount is not None:
            if amount <= 0:
                say(dispatcher, "utter_amount_not_positive", language)
                checked[self.amount_slot] = None
                checked.pop(self.currency_slot, None)
            elif amount > LARGEST_AMOUNT:
                say(dispatcher, "utter_amount_too_large", language, amount=amount)
                checked[self.amount_slot] = None
                checked.pop(self.currency_slot, None)
        merged = {**slots, **checked}
        home, work = merged.get(HOME_COUNTRY), merged.get(WORK_COUNTRY)
        if home and home == work and (HOME_COUNTRY in checked or WORK_COUNTRY in checked):
            say(dispatcher, self.same_country, language, country=country_name(home, language))
            for slot in COUNTRY_SLOTS:
                if slot in checked:
                    checked[slot] = None
        return checked

    def explain(self, dispatcher, requested: Text, language: Text) -> None:
        """Say what the form could not find in the answer to its question."""
        response = {
            self.amount_slot: "utter_amount_not_understood",
            self.currency_slot: "utter_currency_not_understood",
            HOME_COUNTRY: "utter_country_not_understood",
            WORK_COUNTRY: "utter_country_not_understood",
            "job": "utter_job_not_understood",
            "monthly_wage": "utter_wage_not_understood",
        }.get(requested)
        if response:
            say(dispatcher, response, language)

    @abstractmethod
    def required(self, slots: Dict[Text, Any]) -> List[Text]:
        """The slots this case needs, in the order they are asked."""


class ValidateRemittanceForm(CalculatorForm):
    amount_slot, currency_slot = "remit_amount", "remit_currency"
    other_calculator_intent = "check_recruitment_fee"
    same_country = "utter_same_country"
    kind, last_currency = "remittance", "currency"
    # The money goes from where the user works to their home.
    roles = {TO: HOME_COUNTRY, HOME: HOME_COUNTRY, FROM: WORK_COUNTRY, AT: WORK_COUNTRY}
    where_user_is = WORK_COUNTRY

    def name(self) -> Text:
        return "validate_remittance_form"

    def required(self, slots: Dict[Text, Any]) -> List[Text]:
        return ["remit_amount", WORK_COUNTRY, HOME_COUNTRY, "remit_currency"]

    def check(self, dispatcher, language, slots, updates):
        checked = super().check(dispatcher, language, slots, updates)
        merged = {**slots, **checked}
        currency, work = merged.get("remit_currency"), merged.get(WORK_COUNTRY)
        if currency and work and ("remit_currency" in checked or WORK_COUNTRY in checked):
            # The sending country's money, the dollar (the World Bank's unit) or the
            # money the family receives: the cost is a share of the amount in any of them.
            local = currencies_of(work)
            home = merged.get(HOME_COUNTRY)
            if currency not in set(local) | set(currencies_of(home)) | {"USD"}:
                say(
                    dispatcher,
                    "utter_remit_currency_mismatch",
                    language,
                    currency=currency,
                    work_country=country_name(work, language),
                    local_currency=local[0] if local else "USD",
                )
                checked["remit_currency"] = None
        return checked


class ValidateFeeForm(CalculatorForm):
    amount_slot, currency_slot = "fee_amount", "fee_currency"
    other_calculator_intent = "ask_remittance_cost"
    same_country = "utter_same_country_fee"
    kind, last_currency = "fee", "fee_currency"
    # The worker goes from home to the work country.
    roles = {TO: WORK_COUNTRY, AT: WORK_COUNTRY, FROM: HOME_COUNTRY, HOME: HOME_COUNTRY}

    def name(self) -> Text:
        return "validate_fee_form"

    def required(self, slots: Dict[Text, Any]) -> List[Text]:
        required = ["fee_amount", HOME_COUNTRY, WORK_COUNTRY, "fee_currency"]
        home, work = slots.get(HOME_COUNTRY), slots.get(WORK_COUNTRY)
        if home is None or work is None:
            return required
        rules = services.fee_rules()
        if job_matters(rules, home, work):
            required.append("job")
            if slots.get("job") is None:
                return required
        if wage_matters(rules, home, work, slots.get("job")):
            required.append("monthly_wage")
        return required

    def read(
        self, text: Text, language: Text, slots: Dict[Text, Any], requested: Optional[Text]
    ) -> Dict[Text, Any]:
        """A wage named with its word ("gaji 4990 hkd", "salary bolse 1400 riyal") is the
        wage, whichever question the form asked; the rest of the message is read as usual."""
        rest, wage = vocabulary(language).wage_in(text) if text else (text, None)
        if wage is None or requested == "monthly_wage":
            return self.home_money(super().read(text, language, slots, requested), slots)
        updates = super().read(rest, language, slots, requested)
        work = updates.get(WORK_COUNTRY) or slots.get(WORK_COUNTRY)
        home = updates.get(HOME_COUNTRY) or slots.get(HOME_COUNTRY)
        local = currencies_of(work) if work else []
        updates["monthly_wage"] = str(wage.value)
        currency = wage.currency_for([work, home]) or (local[0] if local else None)
        if currency:
            updates["wage_currency"] = currency
        paid_in = country_of_currency(currency)
        if work is None and paid_in and paid_in != home:
            updates[WORK_COUNTRY] = paid_in  # "salary 1700 ringgit": the job is in Malaysia
        return self.home_money(updates, slots)

    @staticmethod
    def home_money(updates: Dict[Text, Any], slots: Dict[Text, Any]) -> Dict[Text, Any]:
        """A fee of six figures or more without a currency ("4 lakh 70 hajar", "35 juta")
        is in the money of the country the worker leaves: no recruiter asks that many
        dollars. The result shows the currency it assumed."""
        merged = {**slots, **updates}
        amount, home = as_decimal(merged.get("fee_amount")), merged.get(HOME_COUNTRY)
        if amount is None or merged.get("fee_currency") or not home or amount < HOME_MONEY_FROM:
            return updates
        local = currencies_of(home)
        return {**updates, "fee_currency": local[0]} if local else updates

    def read_amount(self, amount: Amount, countries, slots, requested, updates) -> None:
        if requested == "monthly_wage":
            updates["monthly_wage"] = str(amount.value)
            currency = amount.currency_for(countries) or slots.get("fee_currency")
            if currency:
                updates["wage_currency"] = currency
            return
        super().read_amount(amount, countries[::-1], slots, requested, updates)

    def read_more(self, words, text, slots, requested, updates) -> None:
        job = words.job(text)
        if job:
            updates["job"] = job
        if (
            requested == "monthly_wage"
            and "monthly_wage" not in updates
            and words.says_unknown(text)
        ):
            updates["monthly_wage"] = UNKNOWN

    def check(self, dispatcher, language, slots, updates):
        checked = super().check(dispatcher, language, slots, updates)
        wage = as_decimal(checked.get("monthly_wage"))
        if wage is not None and (wage <= 0 or wage > LARGEST_AMOUNT):
            say(
                dispatcher,
                "utter_amount_not_positive" if wage <= 0 else "utter_amount_too_large",
                language,
                amount=wage,
            )
            checked["monthly_wage"] = None
        return checked


# The calculator that goes further than an answer on these topics (offered after it).
TRANSFER_TOPIC = "topic_remittances"
CALCULATOR_FOR_TOPIC = {
    "topic_remittances": ("remittance_form", "utter_calculator_button_remittances"),
    "topic_recruitment_fees": ("fee_form", "utter_calculator_button_fees"),
}
# The intent that starts each calculator's form.
FORMS = {"remittance_form": "ask_remittance_cost", "fee_form": "check_recruitment_fee"}
AMOUNT_SLOTS = {"remittance_form": "remit_amount", "fee_form": "fee_amount"}
# Intents whose message, when it gives an amount and both countries, is a transfer to
# calculate: questions about remittances, and messages the classifier could not place.
GIVES_A_TRANSFER = frozenset({"topic_remittances", "out_of_scope", "nlu_fallback"})


def calculator_for(intent: Optional[Text], text: Text, language: Text) -> Optional[Text]:
    """The form to start now, or None: a calculation asked for with a button or in words
    ("check my agency fee"), or a message that gives what it needs (the amount and both
    countries: "cost to send 500 dollars from Qatar to Nepal", "1000 qr to nepal").
    Anything else is a question ("agency wants 3 lakh for Malaysia, is it legal?"): it is
    answered first, and the calculator is offered after the answer with what it gave."""
    form = next((f for f, i in FORMS.items() if i == intent), None)
    if not text:
        return None
    if text.startswith("/"):
        return form
    if form in (None, "remittance_form") and vocabulary(language).only_pay(text):
        # "from nepal, salary 1400 riyal", "le contrat disait agent de securite 1800
        # riyals": a job's pay, not a transfer.
        return None
    if (
        form is None
        and intent in GIVES_A_TRANSFER
        and gives_all("remittance_form", text, language)
        and not names_calculator("fee_form", text)
    ):
        # "i send 300 dollar from usa to nigeria, how much i lose" taken for a question
        # about remittances, or for nothing known: the transfer it gives is calculated
        # (not "the agency in lome asks 450 mille for a job in jordan").
        return "remittance_form"
    if form is None and intent == TRANSFER_TOPIC:
        # "ayudame a sacar la cuenta de lo q me cobran x un envio", taken for a question on
        # remittances: a request to calculate starts the transfer calculator. (On fees,
        # "check" also asks about an agency's licence: that is answered.)
        return "remittance_form" if vocabulary(language).asks_to_calculate(text) else None
    if form is None:
        return None
    if vocabulary(language).asks_to_calculate(text):
        return form
    return form if gives_all(form, text, language) else None


def names_calculator(form: Text, text: Text) -> bool:
    """Whether the message has a word of this calculator or its topic ("fee", "agency";
    "send", "cost")."""
    topic = next(t for t, (f, _) in CALCULATOR_FOR_TOPIC.items() if f == form)
    return says_in_words(FORMS[form], text, frozenset({topic}))


def gives_all(form: Text, text: Text, language: Text) -> bool:
    """Whether the message gives the amount and both countries; for a fee, the amount's
    currency too ("1 million 500 mille pour le Canada, c normal?" is a question, answered
    first: asking "in which currency?" would put a form before the answer)."""
    given = details_for_calculator(form, text, language)
    validator = VALIDATORS[form]
    needed = [validator.amount_slot, HOME_COUNTRY, WORK_COUNTRY]
    if form == "fee_form":
        needed.append(validator.currency_slot)
    return all(given.get(slot) for slot in needed)


def waiting_calculator(
    tracker: Tracker, language: Text, text: Text, least: int = 1
) -> Optional[Text]:
    """The calculator offered after the last answer, or one the user left, when this
    message gives what it asks for ("from nepal, salary 1400 riyal"): at least `least`
    details, or words that ask for the check. Not when the last answer is a calculation
    of the same kind: a follow-up changes that one."""
    if not text or text.startswith("/"):
        return None
    last = tracker.get_slot(LAST_ANSWER_SLOT) or {}
    offered = tracker.get_slot(OFFERED_SLOT)
    candidates = [offered] if offered in FORMS else []
    candidates += [f for f in interrupted_calculators(tracker) if f not in candidates]
    for form in candidates:
        if last.get("kind") == VALIDATORS[form].kind:
            continue
        given = details_for_calculator(form, text, language)
        if given and (
            len(given) >= least
            or vocabulary(language).asks_to_calculate(text)
            or completes(form, tracker, given)
        ):
            return form
    return None


def completes(form: Text, tracker: Tracker, given: Dict[Text, Any]) -> bool:
    """Whether these details and what the conversation already has (kept from the offer,
    from the calculator the user left, where they are) give the amount and both countries:
    "ok. from uae to india, dirham" after a question in between, "et pour 400 euros ça
    coûte combien?" after "le moins cher pour envoyer au maroc" from France."""
    validator = VALIDATORS[form]
    known = {slot for slot in (validator.amount_slot, *COUNTRY_SLOTS) if tracker.get_slot(slot)}
    if validator.where_user_is and tracker.get_slot(LOCATION_SLOT):
        known.add(validator.where_user_is)
    return {validator.amount_slot, *COUNTRY_SLOTS} <= known | set(given)


AMOUNT_AND_CURRENCY = ("remit_amount", "remit_currency")


def details_for_calculator(form: Text, text: Text, language: Text) -> Dict[Text, Any]:
    """The slots a message fills for a calculator it did not start ("they ask 500 usd
    for poland?"): kept, so that the calculator, once started, asks only for the rest."""
    validator = VALIDATORS[form]()
    try:
        read = validator.read(text, language, {}, None)
        checked = validator.check(CollectingDispatcher(), language, {}, read)
    except SQLAlchemyError:
        return {}
    if form == "remittance_form" and vocabulary(language).only_pay(text):
        # A job's pay is no amount to send.
        checked = {k: v for k, v in checked.items() if k not in AMOUNT_AND_CURRENCY}
    return {slot: value for slot, value in checked.items() if value is not None}


def interrupted_calculators(tracker: Tracker) -> List[Text]:
    """Calculators the user left before their answer (they can go back with one tap): they
    are not offered again as if new."""
    return [form for form, slot in AMOUNT_SLOTS.items() if tracker.get_slot(slot) is not None]


class AskCurrency(Action, metaclass=ABCMeta):
    """Asks the currency of an amount, with the sending country's currency and the US
    dollar as buttons."""

    country_slot: Text

    @abstractmethod
    def name(self) -> Text:
        """action_ask_<form>_<slot>"""

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        # action_ask_<form>_<slot> asks with the text of utter_ask_<form>_<slot>.
        message = render("utter" + self.name()[len("action") :], language)
        options = list(currencies_of(tracker.get_slot(self.country_slot)))[:1] + ["USD"]
        locale = babel_locale(language)
        dispatcher.utter_message(
            text=message.get("text"),
            buttons=[
                {"title": f"{get_currency_name(code, locale=locale)} ({code})", "payload": code}
                for code in dict.fromkeys(options)
            ],
            language=language,
        )
        return []


class AskRemittanceCurrency(AskCurrency):
    country_slot = WORK_COUNTRY

    def name(self) -> Text:
        return "action_ask_remittance_form_remit_currency"


class AskFeeCurrency(AskCurrency):
    country_slot = HOME_COUNTRY

    def name(self) -> Text:
        return "action_ask_fee_form_fee_currency"


# "No", "no thanks", "bas pugyo" are short; a question taken for "no" is longer or asks.
LONGEST_NO = 3


def asks_something(text: Text) -> bool:
    return len(text.split()) > LONGEST_NO or text.rstrip().endswith(("?", "؟"))


class ActionStopCalculator(Action):
    def name(self) -> Text:
        return "action_stop_calculator"

    async def run(self, dispatcher, tracker, domain):
        text = (tracker.latest_message or {}).get("text") or ""
        running = tracker.active_loop.get("name")
        if not running and not text.startswith("/") and asks_something(text):
            # Nothing runs (at most a calculator was offered), and no "no thanks" but a
            # question ("so I don't have to pay?", "magbabayad ba ko o hindi?" taken for
            # "no"): answered. Imported here: that module imports this one.
            from actions.knowledge import answer

            return [SlotSet(OFFERED_SLOT, None)] + answer(dispatcher, tracker, language_of(tracker))
        say(dispatcher, "utter_calculator_stopped", language_of(tracker))
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), SlotSet(OFFERED_SLOT, None)] + [
            SlotSet(slot, None)
            for slot in (
                "remit_amount",
                "remit_currency",
                "fee_amount",
                "fee_currency",
                "monthly_wage",
                "wage_currency",
            )
        ]


VALIDATORS = {"remittance_form": ValidateRemittanceForm, "fee_form": ValidateFeeForm}


class ActionLeaveCalculator(Action):
    """The user said something else while a calculator waited: it was answered; the
    calculator stops, keeps what it had, and offers the way back with one tap."""

    def name(self) -> Text:
        return "action_leave_calculator"

    async def run(self, dispatcher, tracker, domain):
        form = tracker.active_loop.get("name")
        if form in RESUME_RESPONSE:
            dispatcher.utter_message(response=RESUME_RESPONSE[form])
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]


RESUME_RESPONSE = {"remittance_form": "utter_resume_remittance", "fee_form": "utter_resume_fee"}


def joined(parts: Sequence[Dict[Text, Any]]) -> Text:
    return "\n".join(p["text"] for p in parts if p.get("text"))


class ActionRemittanceCost(Action):
    def name(self) -> Text:
        return "action_remittance_cost"

    async def run(self, dispatcher, tracker, domain):
        details = {
            "amount": tracker.get_slot("remit_amount"),
            "currency": tracker.get_slot("remit_currency"),
            WORK_COUNTRY: tracker.get_slot(WORK_COUNTRY),
            HOME_COUNTRY: tracker.get_slot(HOME_COUNTRY),
        }
        reset = [SlotSet("remit_amount", None), SlotSet("remit_currency", None)]
        return reset + remittance_reply(dispatcher, language_of(tracker), details)


def remittance_reply(
    dispatcher: CollectingDispatcher, language: Text, details: Dict[Text, Any], again: bool = False
) -> List[Dict[Text, Any]]:
    """The cost of one transfer; remembered, so that a follow-up can change one detail
    (`again`: the tips were given with the first result)."""
    amount = as_decimal(details.get("amount"))
    currency = details.get("currency")
    work, home = details.get(WORK_COUNTRY), details.get(HOME_COUNTRY)
    if amount is None or not work or not home:
        say(dispatcher, "utter_default", language)
        return []
    try:
        with services.knowledge_sessions()() as session:
            figure = remittances.corridor_cost(session, work, home)
            loaded = figure is not None or remittances.has_data(session)
    except SQLAlchemyError as error:
        logger.error("Remittance data unavailable: %s", error.__class__.__name__)
        say(dispatcher, "utter_kb_unavailable", language)
        return []
    if not loaded:
        say(dispatcher, "utter_remittance_no_data", language)
        return []
    return send_result(
        dispatcher,
        language,
        remittance_answer(language, amount, currency, work, home, figure),
        {} if again else render("utter_remittance_tips", language),
        "utter_calculator_next",
        {"kind": "remittance", **details, "amount": str(amount)},
    )


def send_result(
    dispatcher: CollectingDispatcher,
    language: Text,
    result: Text,
    advice: Dict[Text, Any],
    follow_response: Text,
    remembered: Dict[Text, Any],
) -> List[Dict[Text, Any]]:
    """A calculator's result, then its advice with what the user can do next; the
    result's details are remembered for follow-ups ("and from Saudi?")."""
    dispatcher.utter_message(text=result, language=language)
    follow = render(follow_response, language)
    dispatcher.utter_message(
        text=joined([advice, follow]), buttons=follow.get("buttons"), language=language
    )
    return [SlotSet(LAST_ANSWER_SLOT, remembered), SlotSet(OFFERED_SLOT, None)]


def remittance_answer(
    language: Text,
    amount: Decimal,
    currency: Text,
    work: Text,
    home: Text,
    figure: Optional[remittances.CorridorFigure],
) -> Text:
    names = {
        "work_country": country_name(work, language),
        "home_country": country_name(home, language),
    }
    parts = []
    if figure is not None:
        percent = figure.summary.average_cost
        period = figure.summary.period
        response = "utter_remittance_corridor"
        extra: Dict[Text, Any] = {}
        source = SOURCE_PROVIDERS if figure.kind == remittances.PROVIDER_PRICES else SOURCE_CORRIDOR
    else:
        region = remittances.regional_figure(home, services.regions())
        fact = services.renderer().facts[region.fact]
        percent = float(fact.value) * 100
        period = services.renderer().facts["rpw_period"].value
        if region.key == "global":
            response, extra = "utter_remittance_global", {}
        else:
            response = "utter_remittance_region"
            extra = {"region": render(f"utter_region_{region.key}", language)["text"]}
        source = SOURCE_REGIONAL
    cost = (amount * Decimal(str(percent)) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    parts.append(
        render(
            response,
            language,
            {
                **names,
                **extra,
                "amount": money(amount, currency),
                "cost_percent": {"percent": round(percent / 100, 4)},
                "cost_amount": money(cost, currency),
                "period": {"quarter": period},
            },
        )
    )
    parts.append(render(f"utter_remittance_{remittances.sdg_band(percent)}", language))
    if figure is not None and figure.summary.cheapest:
        providers = [
            f"{item['firm']} ({format_value({'percent': round(item['cost'] / 100, 4)}, language)})"
            for item in figure.summary.cheapest
        ]
        parts.append(
            render(
                "utter_remittance_cheapest",
                language,
                {"providers": providers, "period": {"quarter": period}},
            )
        )
    if figure is not None and figure.summary.by_type:
        by_type = [
            f"{render(f'utter_provider_type_{kind}', language)['text']} "
            f"{format_value({'percent': round(cost / 100, 4)}, language)}"
            for kind, cost in sorted(figure.summary.by_type.items(), key=lambda item: item[1])
        ]
        parts.append(render("utter_remittance_by_type", language, {"by_type": by_type}))
    parts.append(
        render(
            "utter_remittance_source", language, {"source": source, "period": {"quarter": period}}
        )
    )
    return joined(parts)


FEE_DETAILS = (
    "fee_amount",
    "fee_currency",
    HOME_COUNTRY,
    WORK_COUNTRY,
    "job",
    "monthly_wage",
    "wage_currency",
)


class ActionCheckFee(Action):
    def name(self) -> Text:
        return "action_check_fee"

    async def run(self, dispatcher, tracker, domain):
        details = {name: tracker.get_slot(name) for name in FEE_DETAILS}
        reset = [
            SlotSet(s, None)
            for s in ("fee_amount", "fee_currency", "monthly_wage", "wage_currency")
        ]
        return reset + fee_reply(dispatcher, language_of(tracker), details)


def fee_reply(
    dispatcher: CollectingDispatcher, language: Text, details: Dict[Text, Any], again: bool = False
) -> List[Dict[Text, Any]]:
    """The fee checker's verdict; remembered, so that a follow-up can change one detail
    (`again`: the next steps were given with the first verdict)."""
    amount = as_decimal(details.get("fee_amount"))
    if amount is None or not details.get(HOME_COUNTRY) or not details.get(WORK_COUNTRY):
        say(dispatcher, "utter_default", language)
        return []
    try:
        rules = services.fee_rules()
    except SQLAlchemyError as error:
        logger.error("Fee rules unavailable: %s", error.__class__.__name__)
        say(dispatcher, "utter_kb_unavailable", language)
        return []
    text, authority = fee_answer(language, rules, amount, details)
    return send_result(
        dispatcher,
        language,
        text,
        {} if again else render("utter_fee_next_steps", language, {"authority": authority}),
        "utter_fee_next",
        {"kind": "fee", **details, "fee_amount": str(amount)},
    )


def converted_verdict(
    language: Text, amount: Decimal, currency: Optional[Text], verdict: Any
) -> Dict[Text, Any]:
    """A fee in one currency against a cap in another, at a sourced annual average rate;
    without one, the user is told to compare them at today's rate."""
    asked = money(amount, currency)
    conversion = (
        services.exchange_rates().convert(amount, currency, verdict.cap_currency)
        if currency
        else None
    )
    if conversion is None:
        return render(
            "utter_fee_other_currency",
            language,
            {"currency": currency or "?", "cap_currency": verdict.cap_currency},
        )
    rounded = conversion.amount.quantize(Decimal("1"), ROUND_HALF_UP)
    values = {
        "amount": asked,
        "converted": money(rounded, conversion.currency),
        "period": conversion.year,
        "source": conversion.source,
    }
    if rounded > verdict.cap:
        excess = money(rounded - verdict.cap, conversion.currency)
        return render("utter_fee_above_converted", language, {**values, "excess": excess})
    return render("utter_fee_within_converted", language, values)


def fee_answer(
    language: Text, rules: Sequence[Rule], amount: Decimal, slots: Dict[Text, Any]
) -> Tuple[Text, Text]:
    """The answer's text and the authority to name in the next steps."""
    home, work, job = slots[HOME_COUNTRY], slots[WORK_COUNTRY], slots.get("job")
    currency = slots.get("fee_currency")
    wage = as_decimal(slots.get("monthly_wage"))
    wage_currency = slots.get("wage_currency") or currency
    asked = money(amount, currency)
    parts = [render("utter_fee_standard", language)]
    applied = applicable_rules(rules, home, work, job)
    for rule in applied:
        verdict = judge(rule, amount, currency, wage, wage_currency)
        where = {"authority_country": country_name(rule.jurisdiction, language)}
        if rule.kind == ZERO:
            parts.append(render("utter_fee_rule_zero", language, {**where, "amount": asked}))
        else:
            if rule.kind == CAP_AMOUNT:
                parts.append(
                    render(
                        "utter_fee_rule_cap",
                        language,
                        {**where, "cap": money(rule.amount, rule.currency)},
                    )
                )
            elif rule.kind == CAP_MONTHS:
                parts.append(
                    render(
                        "utter_fee_rule_months",
                        language,
                        {**where, "months": Decimal(str(rule.months)).normalize()},
                    )
                )
            elif rule.kind == WAGE_SHARE:
                parts.append(
                    render(
                        "utter_fee_rule_wage_share",
                        language,
                        {**where, "share": {"percent": rule.share}},
                    )
                )
            if rule.kind != CAP_AMOUNT and verdict.cap is not None:
                parts.append(
                    render(
                        "utter_fee_cap_from_wage",
                        language,
                        {"cap": money(verdict.cap, verdict.cap_currency)},
                    )
                )
            if verdict.cap is None:
                parts.append(render("utter_fee_needs_wage", language))
            elif not verdict.comparable:
                parts.append(converted_verdict(language, amount, currency, verdict))
            elif verdict.excess and verdict.excess > 0:
                parts.append(
                    render(
                        "utter_fee_above",
                        language,
                        {"amount": asked, "excess": money(verdict.excess, currency)},
                    )
                )
            else:
                parts.append(render("utter_fee_within", language, {"amount": asked}))
        if rule.condition:
            parts.append(render(f"utter_fee_condition_{rule.condition}", language))
        if rule.note:
            parts.append(render(f"utter_fee_note_{rule.note}", language))
        source = services.reference_short(rule.reference)
        if rule.review_status == UNREVIEWED:
            parts.append(
                render(
                    "utter_fee_rule_unreviewed",
                    language,
                    {"source": source, "authority": rule.authority},
                )
            )
        else:
            parts.append(
                render(
                    "utter_fee_rule_source",
                    language,
                    {"source": source, "reviewed": {"date": rule.last_reviewed.isoformat()}},
                )
            )
    generic = render("utter_generic_authority", language)["text"]
    authority = authority_for(rules, home) or generic
    if not any(rule.jurisdiction == home for rule in applied):
        parts.append(
            render(
                "utter_fee_no_rule",
                language,
                {
                    "home_country": country_name(home, language),
                    "work_country": country_name(work, language),
                    "authority": authority,
                },
            )
        )
    return joined(parts), authority
