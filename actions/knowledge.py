"""Answers from the knowledge base: the topic Rasa recognised is a strong hint, the
user's own words are the query. Entries chosen with a button are answered directly.

A question is answered first; where a calculator could go further (a fee, a transfer), it
is offered after the answer with what the user already said, and starts only when asked
for (actions/calculators.py decides). A document excerpt is quoted only to someone who
reads the document's language; anyone else gets the honest "no checked answer yet" with
the nearest checked answers."""

import json
import logging
from dataclasses import replace
from typing import Any, Callable, Dict, FrozenSet, List, NamedTuple, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import services
from actions.calculators import (
    CALCULATOR_FOR_TOPIC,
    FORMS,
    calculator_for,
    details_for_calculator,
    interrupted_calculators,
    names_calculator,
    waiting_calculator,
)
from actions.contacts import (
    DANGER_SLOT,
    GIVEN_SLOT,
    HOME_COUNTRY,
    LOCATION_SLOT,
    WORK_COUNTRY,
    answers_where,
    asked_where,
    in_danger_at,
    say_contacts,
    where_and_from,
)
from actions.language import LANGUAGE_SLOT, is_button_payload
from knowledge.answering import (
    ACCEPT_SCORE,
    ANSWER,
    CLARIFY,
    EXCERPT,
    RELATED_MAX,
    UNANSWERED,
    Reply,
    answer_entry,
    answer_question,
    related_entries,
)
from knowledge.details import alpha2_codes, country_name, currencies_of, vocabulary
from knowledge.i18n import mark_direction
from knowledge.models import UNREVIEWED
from knowledge.published import KnowledgeUnavailable
from knowledge.retrieval import INTENT_TOPICS, PublishedEntry
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.store import record_unanswered
from knowledge.text import first_sentence

logger = logging.getLogger(__name__)

ENTRY_ENTITY = "entry"
TOPIC_MENU_SIZE = 6
# Answers on this topic come with a link to the printable checklist (webchat/).
CHECKLIST_TOPIC = "predeparture"
EXCERPT_CHARACTERS = 420
# The language of the source documents (knowledge/sources/documents/): their excerpts are
# quoted only to people who write in it.
DOCUMENTS_LANGUAGE = "fr"
LAST_ANSWER_SLOT = "last_answer"
# An entry's `countries` when it holds everywhere (knowledge/entries/README.md).
GENERAL = "all"
# Entries about danger now: a message whose best answer is one of them gets the safety
# answer first, even without a danger signal.
DANGER_NOW = frozenset(
    {
        "safety-danger-abroad",
        "safety-locked-in",
        "safety-wages-unpaid",
        "safety-debt-bondage",
        "safety-women-domestic-workers",
        "safety-what-is-trafficking",
        "rights-keep-passport",
    }
)
# The entry that says what the safety answer says (get safe, call the police, the
# embassy): not given beside it.
SAFETY_ANSWER_ENTRY = "safety-danger-abroad"
# Entries that answer whom to call or where to complain: the contacts where the person is
# follow them (knowledge/contacts.yml).
WHOM_TO_CALL = frozenset(
    {
        "pre-contacts-abroad",
        "rights-complaints-justice",
        "fees-protect-complain",
        "safety-danger-abroad",
        "safety-wages-unpaid",
        "safety-locked-in",
        "rights-keep-passport",
    }
)
# Topics with an answer that holds everywhere: a question on them with no closer checked
# answer, or only the rules of countries the conversation is not about, gets it ("the
# agency asks 4 lakh 70 for Saudi, normal?": the worker pays no recruitment fee).
PRINCIPLE = {"recruitment_fees": "fees-employer-pays"}
OFFERED_SLOT = "offered_calculator"
# How much the last answer's topic counts for a message that names none: as much as a
# confident classifier's topic.
CONVERSATION_TOPIC_WEIGHT = 1.0
# The topic of a calculation's result, for the questions that follow it.
CALCULATION_TOPIC = {"fee": "topic_recruitment_fees", "remittance": "topic_remittances"}
# Messages whose buttons the calculator's button joins.
ANSWERS_WITH_BUTTONS = (
    "utter_kb_answer",
    "utter_kb_answer_unreviewed",
    "utter_kb_answer_short",
    "utter_kb_answer_short_unreviewed",
    "utter_kb_clarify",
)
# The knowledge base's topic each calculator goes further on.
CALCULATOR_TOPIC = {"remittance_form": "remittances", "fee_form": "recruitment_fees"}
# A follow-up that changes a detail of the last calculation is short ("and for 500?", "et
# si j envoie 1000 d un coup", "y si lo manda mi hermano q esta en madrid?").
SHORT_FOLLOW_UP = 12
# Intents that are about the other calculator than the last calculation's.
OTHER_CALCULATOR = {
    "remittance_form": frozenset({"check_recruitment_fee", "topic_recruitment_fees"}),
    "fee_form": frozenset({"ask_remittance_cost", "topic_remittances"}),
}
# A calculation asked for in a message best answered on these topics (a scam, a visit
# visa, danger, a contract changed on arrival, a wage below the promised one) gets that
# answer first: the figure would miss the point.
ANSWER_BEFORE_CALCULATING = frozenset({"safety", "legal_channels", "rights"})
# In danger, an answer on these topics is said beside the numbers of a place just named;
# one on fees or remittances is beside the point.
TO_THE_POINT = ANSWER_BEFORE_CALCULATING
# How much closer an answer beside the point must be to be given instead of one to the
# point, in danger.
DANGER_MARGIN = 0.2
OFFER_RESPONSE = {
    "remittance_form": "utter_offer_remittance_check",
    "fee_form": "utter_offer_fee_check",
}
# A message with this many details for the calculator offered (the amount, countries, the
# job, the wage), or that asks for the check, answers the offer; fewer is a question of
# its own ("and for romania? there only 3 lakh").
DETAILS_FOR_A_CHECK = 3
BARE_AMOUNT_WORDS = 4
# Intents that are not questions about a topic: only a clear match is answered.
NOT_A_TOPIC_ACCEPT = 0.45
# Small talk the classifier may take a question for: without a clear checked answer, the
# message gets the small talk's own reply.
SMALL_TALK = {"help": "utter_help", "bot_capabilities": "utter_bot_capabilities"}
# Below this confidence, small talk after an answer may be a question that leans on it
# ("siento q en el cambio me tumban" after the cheapest way to send, taken for "what can
# you do"): it is matched like one first.
SURE_SMALL_TALK = 0.8
TOPIC_INTENT = {
    topic: intent for intent, topic in INTENT_TOPICS.items() if intent.startswith("topic_")
}


class Conversation(NamedTuple):
    """What a conversation is about, to choose between two close answers."""

    countries: Tuple[Text, ...]
    topics: FrozenSet[Text]


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
        chosen = next(tracker.get_latest_entity_values(ENTRY_ENTITY), None)
        located = answers_where(dispatcher, tracker, language)
        if located is not None:
            return located
        running = tracker.active_loop.get("name")
        form = None if running else calculator_for(intent, text, language)
        waiting = (
            None
            if running or chosen
            else waiting_calculator(
                tracker,
                language,
                text,
                least=1 if only_an_amount(text, language) else DETAILS_FOR_A_CHECK,
            )
        )
        named_other = intent in OTHER_CALCULATOR.get(waiting or "", ()) and not names_calculator(
            waiting or "", text
        )
        other = named_other and (
            (form is not None and form != waiting and names_calculator(form, text))
            # "ar saudi theke 1000 riyal pathaile bari te koto jabe?" after a fee check: a
            # transfer, without a job or a fee word to keep it with the fee.
            or (
                waiting == "fee_form"
                and not vocabulary(language).job(text)
                and not only_an_amount(text, language)
            )
        )
        if waiting and not other:
            # The details the offered calculator (or one the user left) asks for, not a
            # question that names a country, nor the other calculation asked for in full
            # in its words ("1000 qr to nepal send, what is the cost" after a fee answer; but
            # "check it, the fee is 4990 hkd" or "35000 dirhams from morocco to saudi, cook"
            # stay with the fee).
            return [SlotSet(OFFERED_SLOT, None), FollowupAction(waiting)]
        if form and not chosen and not answered_elsewhere(form, text, language, intent):
            return [FollowupAction(form)]
        return answer(dispatcher, tracker, language, chosen)


def only_an_amount(text: Text, language: Text) -> bool:
    """A message that is nothing but an amount ("3 lakh 20 hajar", "18 jt"): the answer
    to an offer that asked for it, not a question."""
    words = vocabulary(language)
    return (
        len(text.split()) <= BARE_AMOUNT_WORDS
        and not text.rstrip().endswith(("?", "؟"))
        and bool(words.amounts(text))
        and not words.country_mentions(text)
    )


def changes_last_calculation(
    tracker: Tracker, text: Text, language: Text
) -> Optional[Dict[Text, Any]]:
    """The last calculation, when this short message only changes a detail of it (an
    amount, a country, a currency)."""
    last = tracker.get_slot(LAST_ANSWER_SLOT) or {}
    form = {"remittance": "remittance_form", "fee": "fee_form"}.get(last.get("kind"))
    if form is None or is_button_payload(text) or len(text.split()) > SHORT_FOLLOW_UP:
        return None
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    words = vocabulary(language)
    known = {last.get("home_country"), last.get("work_country")} - {None}
    converts = not words.amounts(text) and any(
        code in words.currency_in(text) for country in known for code in currencies_of(country)
    )
    if intent in OTHER_CALCULATOR[form] and not converts:
        # "agent asks 3 lakh for malaysia, ok?" after a transfer: about the other one (but
        # "itu jd brp rupiah ya? buat bayar sekolah" asks for the last figure in rupiah).
        return None
    changes = details_for_calculator(form, text, language) or words.currency_in(text)
    return last if changes else None


def answered_elsewhere(form: Text, text: Text, language: Text, intent: Optional[Text]) -> bool:
    """A calculation asked for in a message whose best checked answer is about safety or
    the legal way to go ("they want 500 usd first for the visa, real or fake?" is a scam
    warning first): the answer comes first and the calculator is offered after it."""
    if is_button_payload(text) or vocabulary(language).asks_to_calculate(text):
        return False
    try:
        snapshot = services.published_knowledge().current()
    except KnowledgeUnavailable:
        return False
    reply = answer_question(snapshot, text, language, intent)
    best = reply.entry if reply.kind == ANSWER else reply.choices[0] if reply.choices else None
    return best is not None and best.topic in ANSWER_BEFORE_CALCULATING


def answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    language: Text,
    chosen: Optional[Text] = None,
    text: Optional[Text] = None,
    a_question: bool = False,
) -> List[Dict[Text, Any]]:
    """Answer the latest message (or `text`) from the knowledge base, then offer the
    calculator that goes further and the way back to one the user left. `a_question`: the
    caller knows the message asks something, whatever intent it was given (it is matched
    as a question on a topic is)."""
    message = tracker.latest_message or {}
    latest = text is None and chosen is None
    text = message.get("text") or "" if text is None else text
    intent = (message.get("intent") or {}).get("name")
    follow_up = changes_last_calculation(tracker, text, language) if latest else None
    if follow_up:
        # "and for 500 dollars?", "in rupees?" after a figure, whatever the classifier
        # took it for. Imported here: the follow-up action imports this module.
        from actions.followup import ActionFollowUp

        return ActionFollowUp().change_detail(dispatcher, tracker, language, text, follow_up)
    confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
    try:
        snapshot = services.published_knowledge().current()
    except KnowledgeUnavailable as error:
        logger.error("Knowledge base unavailable: %s", error)
        dispatcher.utter_message(response="utter_kb_unavailable")
        return []
    last = tracker.get_slot(LAST_ANSWER_SLOT)
    asks_more = latest and bool((message.get("intent") or {}).get("asks_more")) and bool(last)
    if asks_more and intent == "help":
        # "yani eh el kalam da, mesh fahem" after an answer: more of it (bot/more_screen.py).
        return _go_on(dispatcher, tracker, language, last)
    unsure = confidence < SURE_SMALL_TALK and bool(last) and not is_button_payload(text)
    if intent in SMALL_TALK and not chosen and not unsure:
        reply = (
            Reply(UNANSWERED)
            if is_button_payload(text)
            else answer_question(snapshot, text, language, accept_score=NOT_A_TOPIC_ACCEPT)
        )
        if reply.kind != ANSWER:
            dispatcher.utter_message(response=SMALL_TALK[intent])
            return []
    elif chosen:
        reply = answer_entry(snapshot, str(chosen), language)
    elif is_button_payload(text) and intent in TOPIC_INTENT.values():
        _topic_menu(dispatcher, snapshot, intent, language)
        return []
    else:
        accept = None if intent in INTENT_TOPICS or a_question else NOT_A_TOPIC_ACCEPT
        hint, weight = intent, confidence
        if intent not in INTENT_TOPICS:
            # No topic in this message ("so do I pay or not?"): the conversation's is a hint.
            hint, weight = _conversation_topic(tracker, snapshot), CONVERSATION_TOPIC_WEIGHT
        reply = answer_question(
            snapshot,
            text,
            language,
            hint,
            weight,
            query_language=written_in(text, language),
            # After the safety answer, the entry that says the same is no answer ("no
            # papers, if I go to the police will they deport me?").
            leave_out=BESIDE_SAFETY if tracker.get_slot(DANGER_SLOT) else frozenset(),
            **({"accept_score": accept} if accept else {}),
        )
        about = conversation_about(tracker, snapshot, text, language)
        reply = _in_conversation(snapshot, reply, seen_entries(tracker), language, about)
        if tracker.get_slot(DANGER_SLOT):
            reply = _to_the_point(snapshot, reply, text, language, (hint, weight))
        if reply.kind not in (ANSWER, CLARIFY) and not is_button_payload(text):
            reply = _leaning_on_last(
                snapshot, reply, tracker, text, language, (hint, weight), intent, about
            )
        if not tracker.get_slot(DANGER_SLOT):
            reply = _principle(snapshot, reply, intent, language)
        if reply.kind not in (ANSWER, CLARIFY) and intent in SMALL_TALK:
            # Taken, unsure, for small talk, and no answer in the conversation either.
            dispatcher.utter_message(response=SMALL_TALK[intent])
            return []
    in_danger = bool(tracker.get_slot(DANGER_SLOT))
    here, _ = where_and_from(text, language, in_danger_at(tracker)) if in_danger else (None, None)
    new_place = here is not None and here != tracker.get_slot(GIVEN_SLOT)
    if in_danger and (
        reply.kind not in (ANSWER, CLARIFY)
        or (new_place and not (reply.kind == ANSWER and reply.entry.topic in TO_THE_POINT))
    ):
        # Someone in danger is never told "no answer yet": the numbers where they say they
        # are ("nasa muscat oman po ako, nakikitira muna sa kakilala", whatever topic the
        # classifier saw in it), or what they can do next.
        if here:
            given = say_contacts(dispatcher, here, tracker.get_slot("home_country"), language)
            return [SlotSet(LOCATION_SLOT, here)] + given
        dispatcher.utter_message(response="utter_safety_next")
        return []
    again = reply.kind == ANSWER and not chosen and reply.entry.slug in seen_entries(tracker)
    if again and asks_more:
        # "يعني ايه الكلام ده؟ اشرحلي براحه" finds the answer just given: what follows it.
        return _go_on(dispatcher, tracker, language, last)
    _say(dispatcher, snapshot, reply, language, intent, text, again=again)
    events: List[Dict[Text, Any]] = []
    if reply.kind == ANSWER:
        remembered = {"kind": "entry", "entry": reply.entry.slug, "question": text}
        events.append(SlotSet(LAST_ANSWER_SLOT, remembered))
        if reply.entry.topic == CHECKLIST_TOPIC:
            _checklist_link(dispatcher, language)
        # An answer on whom to call said again ("if we complain, will they deport us?"
        # after "where can we complain?") does not bring the same numbers once more.
        numbers_again = again and tracker.get_slot(GIVEN_SLOT) is not None
        if (reply.entry.slug in WHOM_TO_CALL and not numbers_again) or (in_danger and new_place):
            events += contacts_where(dispatcher, tracker, text, language, in_danger)
    elif reply.kind == CLARIFY:
        choices = [e.slug for e in reply.choices]
        remembered = {"kind": "clarify", "choices": choices, "question": text}
        events.append(SlotSet(LAST_ANSWER_SLOT, remembered))
    elif latest and intent != "out_of_scope" and not is_button_payload(text):
        # "Tell me more" after "no checked answer yet" gets the closest one
        # (actions/followup.py).
        events.append(SlotSet(LAST_ANSWER_SLOT, {"kind": UNANSWERED, "question": text}))
    if not tracker.active_loop.get("name"):
        events += _offer_calculator(dispatcher, tracker, reply, intent, text, language)
    return events


def _go_on(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: Text, last: Dict[Text, Any]
) -> List[Dict[Text, Any]]:
    """More of the last answer, as "tell me more" gets it. Imported here: the follow-up
    action imports this module."""
    from actions.followup import ActionFollowUp

    return ActionFollowUp().go_on(dispatcher, tracker, language, last, "tell_more")


def contacts_where(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: Text,
    language: Text,
    in_danger: bool,
) -> List[Dict[Text, Any]]:
    """After an answer on whom to call or where to complain: the contacts of the country
    the question names, or of where the person is."""
    here, _ = where_and_from(text, language, in_danger_at(tracker))
    location = here or tracker.get_slot(LOCATION_SLOT)
    if location is None and in_danger:
        location = tracker.get_slot("work_country")
    if location is None and in_danger and not asked_where(tracker):
        # Someone in danger asks whom to call: where they are decides the numbers.
        dispatcher.utter_message(response="utter_ask_location")
        return []
    if location is None or (
        here is None and location == tracker.get_slot(GIVEN_SLOT) and not in_danger
    ):
        # Nowhere known, or that place's numbers are already in this conversation. Someone
        # in danger who asks again whom to call gets them again (in other words: bot/nlg.py).
        return []
    return say_contacts(dispatcher, location, tracker.get_slot("home_country"), language)


def written_in(text: Text, language: Text) -> Text:
    """The language the question is written in, when it clearly is another than the one
    the answer is in ("pls write in bangla, what is the cheapest way to send money?")."""
    if is_button_payload(text):
        return language
    guess = services.language_identifier().identify(text)
    if guess.decisive and guess.language in SUPPORTED_LANGUAGES:
        return guess.language
    return language


def seen_entries(tracker: Tracker) -> List[Text]:
    """The entries answered in this conversation, oldest first."""
    seen: List[Text] = []
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") == LAST_ANSWER_SLOT:
            slug = (event.get("value") or {}).get("entry")
            if slug and slug not in seen:
                seen.append(slug)
    return seen


def _leaning_on_last(
    snapshot,
    reply: Reply,
    tracker: Tracker,
    text: Text,
    language: Text,
    hinted: Tuple[Optional[Text], float],
    intent: Optional[Text],
    about: Conversation,
) -> Reply:
    """A message without an answer of its own that leans on the last one ("he says
    everybody pays like this", "and if the employer still refuses?"): asked again together
    with the last question; failing that, the last answer's next entries are offered as a
    choice (and the question is still logged for the team)."""
    last = tracker.get_slot(LAST_ANSWER_SLOT) or {}
    question = last.get("question")
    seen = seen_entries(tracker)
    if last.get("kind") in CALCULATION_TOPIC:
        # "so how much maximum can they take from me?" after a fee check: a question on
        # the calculation's topic, about its countries.
        places = " ".join(
            country_name(last[k], language) for k in (HOME_COUNTRY, WORK_COUNTRY) if last.get(k)
        )
        hint = CALCULATION_TOPIC[last["kind"]]
        together = answer_question(
            snapshot, f"{text} {places}", language, hint, CONVERSATION_TOPIC_WEIGHT
        )
        if together.kind in (ANSWER, CLARIFY):
            return _in_conversation(snapshot, together, seen, language, about)
        return reply
    if last.get("kind") not in ("entry", "clarify") or not question:
        return reply
    together = answer_question(snapshot, f"{question} {text}", language, *hinted)
    if together.kind in (ANSWER, CLARIFY):
        return _in_conversation(snapshot, together, seen, language, about)
    entry = snapshot.entries.get(last.get("entry") or "")
    if entry is None or intent == "out_of_scope":
        return reply
    nearest = [
        e for e in related_entries(snapshot, entry, language, limit=4) if e.slug not in seen
    ][:2]
    if len(nearest) < 2:
        return reply
    _log_unanswered(text, language, intent, reply.score)
    return Reply(CLARIFY, choices=tuple(nearest), score=reply.score)


def _in_conversation(
    snapshot,
    reply: Reply,
    seen: List[Text],
    language: Text,
    about: Optional[Conversation] = None,
) -> Reply:
    """A choice between two answers becomes one answer where the conversation decides it,
    with the other as the first button (one tap, as the choice would have cost):
    - one of them the user already has: the other (a follow-up that asks again with a new
      detail wants what it has not read yet);
    - one of them on a country the conversation is about (named in it, where the person
      goes, comes from or is): that one;
    - one of them on the conversation's topic (in danger: safety, rights, legal routes;
      "where can I complain?" after a beating is not about agency fees): that one;
    - neither on a country the conversation is about: the closer one, if no more than one
      is a rule of one country (what holds everywhere, or one country's rules, never
      misleads: for someone in danger, the closer whom-to-call answer). Rules of
      two other countries stay a choice: the wrong country's rule would mislead."""
    if reply.kind != CLARIFY:
        return reply
    new = [e for e in reply.choices if e.slug not in seen]
    if len(new) == 1 and len(new) < len(reply.choices):
        return answer_entry(snapshot, new[0].slug, language, reply.score)
    about = about or Conversation((), frozenset())
    ours = [e for e in reply.choices if set(e.countries) & set(about.countries)]
    if len(ours) == 1:
        return _with_the_other(snapshot, reply, ours[0], language)
    on_topic = [e for e in reply.choices if e.topic in about.topics]
    if not ours and len(on_topic) == 1:
        return _with_the_other(snapshot, reply, on_topic[0], language)
    ruled = {c for e in reply.choices for c in e.countries if c != GENERAL}
    if ours or len(ruled) <= 1:
        return _with_the_other(snapshot, reply, reply.choices[0], language)
    return reply


def _to_the_point(
    snapshot, reply: Reply, text: Text, language: Text, hinted: Tuple[Optional[Text], float]
) -> Reply:
    """In danger, an answer on fees or transfers gives way to a near one on safety, rights or
    legal routes ("where can I complain?" after a beating is not about an agency)."""
    if reply.kind != ANSWER or reply.entry.topic in TO_THE_POINT:
        return reply
    for match in snapshot.search(text, language, *hinted, limit=3):
        entry = snapshot.entries[match.slug]
        near = match.score >= max(ACCEPT_SCORE, reply.score - DANGER_MARGIN)
        if entry.topic in TO_THE_POINT and near and language in entry.texts:
            return _with_the_other(
                snapshot, replace(reply, choices=(reply.entry,)), entry, language
            )
    return reply


def _principle(snapshot, reply: Reply, intent: Optional[Text], language: Text) -> Reply:
    """A question on a topic with an answer that holds everywhere, which has no closer
    checked answer or only a choice the conversation could not decide (the rules of two
    other countries): that answer, the choices a tap away."""
    principle = snapshot.entries.get(PRINCIPLE.get(INTENT_TOPICS.get(intent or ""), ""))
    if principle is None or language not in principle.texts or reply.kind == ANSWER:
        return reply
    if reply.kind == CLARIFY:
        return _with_the_other(snapshot, reply, principle, language)
    return answer_entry(snapshot, principle.slug, language, reply.score)


def _with_the_other(snapshot, reply: Reply, chosen: PublishedEntry, language: Text) -> Reply:
    """`chosen`'s answer, the other choice as its first related button."""
    answered = answer_entry(snapshot, chosen.slug, language, reply.score)
    other = tuple(e for e in reply.choices if e != chosen)
    related = other + tuple(e for e in answered.related if e not in other)
    return replace(answered, related=related[:RELATED_MAX])


def conversation_about(tracker: Tracker, snapshot, text: Text, language: Text) -> Conversation:
    """The countries this conversation is about (named in the message, where the person goes
    or works, comes from, or is) and its topics (in danger, the ones to the point; else
    the last answer's)."""
    named = [m.code for m in vocabulary(language).country_mentions(text)]
    slots = (tracker.get_slot(name) for name in (WORK_COUNTRY, HOME_COUNTRY, LOCATION_SLOT))
    # Entries name countries by their two letters (knowledge/entries/), the rest by three.
    countries = tuple(alpha2_codes().get(c, c) for c in named + [c for c in slots if c])
    if tracker.get_slot(DANGER_SLOT):
        return Conversation(countries, TO_THE_POINT)
    last = INTENT_TOPICS.get(_conversation_topic(tracker, snapshot) or "")
    return Conversation(countries, frozenset({last}) if last else frozenset())


def _conversation_topic(tracker: Tracker, snapshot) -> Optional[Text]:
    """The topic intent of the last checked answer (or choice) in this conversation."""
    last = tracker.get_slot(LAST_ANSWER_SLOT) or {}
    entry = snapshot.entries.get(last.get("entry") or next(iter(last.get("choices") or []), ""))
    return TOPIC_INTENT.get(entry.topic) if entry is not None else None


# Beside the safety answer, or after it, the entry that says the same is not said.
BESIDE_SAFETY = frozenset({SAFETY_ANSWER_ENTRY})


def answer_checked(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    language: Text,
    fits: Callable[[Reply], bool],
    intent: Optional[Text] = None,
    leave_out: FrozenSet[Text] = frozenset(),
    contacts: bool = True,
    decide: bool = True,
) -> Optional[List[Dict[Text, Any]]]:
    """The checked answer (or choice) to the latest message, if it `fits` where the
    conversation is; entries in `leave_out` are not candidates. What the user already has
    is said in short, and a choice the conversation decides is one answer (unless `decide`
    is False: beside the safety answer, only a clear answer to a question is worth its
    length); after an answer on whom to call come the numbers where the person is (unless
    `contacts` is False: the caller gives them). Says it and returns the events, or says
    nothing and returns None."""
    text = (tracker.latest_message or {}).get("text") or ""
    if not text or is_button_payload(text):
        return None
    try:
        snapshot = services.published_knowledge().current()
    except KnowledgeUnavailable:
        return None
    seen = seen_entries(tracker)
    reply = answer_question(snapshot, text, language, intent, leave_out=leave_out)
    in_danger = bool(tracker.get_slot(DANGER_SLOT))
    if decide:
        about = conversation_about(tracker, snapshot, text, language)
        reply = _in_conversation(snapshot, reply, seen, language, about)
    if reply.kind not in (ANSWER, CLARIFY) or not fits(reply):
        return None
    again = reply.kind == ANSWER and reply.entry.slug in seen
    _say(dispatcher, snapshot, reply, language, intent, text, again=again)
    if reply.kind == CLARIFY:
        choices = [e.slug for e in reply.choices]
        return [
            SlotSet(LAST_ANSWER_SLOT, {"kind": "clarify", "choices": choices, "question": text})
        ]
    remembered = {"kind": "entry", "entry": reply.entry.slug, "question": text}
    events: List[Dict[Text, Any]] = [SlotSet(LAST_ANSWER_SLOT, remembered)]
    if reply.entry.slug in WHOM_TO_CALL and contacts:
        # "I don't know my embassy's number": whom to call where the person is, again.
        events += contacts_where(dispatcher, tracker, text, language, in_danger)
    return events


def intent_of(tracker: Tracker) -> Optional[Text]:
    """The intent the NLU gave the latest message."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def not_danger_now(reply: Reply) -> bool:
    """An answer on something else than danger now (a day off, a changed contract)."""
    slugs = {e.slug for e in reply.choices} if reply.kind == CLARIFY else {reply.entry.slug}
    return not slugs & DANGER_NOW


def beyond_safety(reply: Reply) -> bool:
    """One answer that says more than the safety answer."""
    return reply.kind == ANSWER and reply.entry.slug not in BESIDE_SAFETY


def any_answer(reply: Reply) -> bool:
    return True


def _offer_calculator(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reply: Reply,
    intent: Optional[Text],
    text: Text,
    language: Text,
) -> List[Dict[Text, Any]]:
    """After a fee or remittance answer, or a calculator question that did not give what
    it needs: offer the calculator, keeping the details the message gave."""
    topic_intent = TOPIC_INTENT.get(reply.entry.topic, "") if reply.kind == ANSWER else intent
    by_topic = CALCULATOR_FOR_TOPIC.get(topic_intent or "", (None,))[0]
    by_intent = next((f for f, i in FORMS.items() if i == intent), None)
    # The answer's topic says which calculator goes further ("send every 3 months?" taken
    # for a fee question gets the transfer calculator after a remittance answer).
    form = by_topic if reply.kind == ANSWER and by_topic else by_intent or by_topic
    if form is None or form in interrupted_calculators(tracker):
        return []
    details = details_for_calculator(form, text, language) if not is_button_payload(text) else {}
    if reply.kind not in (ANSWER, CLARIFY) and intent not in FORMS.values() and not details:
        # After "no checked answer" to a message without an amount or a country ("can I
        # send a voice note?"), an offer to calculate would be beside the point.
        return []
    # The calculator's button joins the answer's buttons (one list of options, numbered on
    # a phone without buttons), and the offer follows as a plain sentence.
    offer = services.renderer().render(OFFER_RESPONSE[form], language)
    answered = [m for m in dispatcher.messages if m.get("response") in ANSWERS_WITH_BUTTONS]
    if answered:
        answered[-1]["buttons"] = list(answered[-1].get("buttons") or []) + offer["buttons"]
        if not _offered_before(tracker, form):
            # The sentence once per conversation; the button with every answer.
            dispatcher.utter_message(text=offer["text"], language=language)
    else:
        dispatcher.utter_message(response=OFFER_RESPONSE[form])
    return [SlotSet(OFFERED_SLOT, form)] + [SlotSet(k, v) for k, v in details.items()]


def _offered_before(tracker: Tracker, form: Text) -> bool:
    return any(
        e.get("event") == "slot" and e.get("name") == OFFERED_SLOT and e.get("value") == form
        for e in tracker.events
    )


def _say(
    dispatcher: CollectingDispatcher,
    snapshot,
    reply: Reply,
    language: Text,
    intent: Optional[Text],
    text: Text,
    again: bool = False,
) -> None:
    if reply.kind == ANSWER:
        entry = reply.entry
        if again:
            # Asked again ("so do I pay or not?"): its point in short, not the same block.
            response = "utter_kb_answer_short" + (
                "_unreviewed" if entry.review_status == UNREVIEWED else ""
            )
            said = first_sentence(entry.texts[language].answer)
        elif entry.review_status == UNREVIEWED:
            response, said = "utter_kb_answer_unreviewed", entry.texts[language].answer
        else:
            response, said = "utter_kb_answer", entry.texts[language].answer
        dispatcher.utter_message(
            response=response,
            answer=said,
            sources="; ".join(entry.sources[:2]),
            buttons=[_entry_button(e, language) for e in reply.related],
        )
    elif reply.kind == CLARIFY:
        dispatcher.utter_message(
            response="utter_kb_clarify",
            buttons=[_entry_button(e, language) for e in reply.choices],
        )
    elif reply.kind == EXCERPT and language == DOCUMENTS_LANGUAGE:
        dispatcher.utter_message(
            response="utter_kb_excerpt",
            excerpt=excerpt(reply.passage.text),
            sources=reply.passage.citation,
        )
        _log_unanswered(text, language, intent, reply.score)
    else:
        # No raw excerpt in a language the user did not write in: the nearest checked
        # answers instead, when there are any.
        nearest = (
            [
                snapshot.entries[m.slug]
                for m in snapshot.search(text, language, limit=3)
                if language in snapshot.entries[m.slug].texts
            ]
            if text and not is_button_payload(text)
            else []
        )
        dispatcher.utter_message(
            response="utter_out_of_scope" if intent == "out_of_scope" else "utter_kb_unanswered",
            buttons=[_entry_button(e, language) for e in nearest[:2]],
        )
        _log_unanswered(text, language, intent, reply.score)


def _checklist_link(dispatcher: CollectingDispatcher, language: Text) -> None:
    """The printable pre-departure checklist, where the web chat is published."""
    public = services.settings().public_url
    if public:
        url = f"{public}/checklist?language={language}"
        dispatcher.utter_message(response="utter_checklist_link", checklist_url=url)


def _calculator_button(topic: Text, language: Text) -> List[Dict[Text, Text]]:
    """For fees and remittances: the button that starts the calculator."""
    calculator = CALCULATOR_FOR_TOPIC.get(TOPIC_INTENT.get(topic, ""))
    if calculator is None:
        return []
    return services.renderer().render(calculator[1], language)["buttons"]


def _topic_menu(dispatcher, snapshot, intent: Text, language: Text) -> None:
    entries = [e for e in snapshot.by_topic(INTENT_TOPICS[intent]) if language in e.texts]
    buttons = _calculator_button(INTENT_TOPICS[intent], language)
    buttons += [_entry_button(e, language) for e in entries[:TOPIC_MENU_SIZE]]
    buttons += services.renderer().render("utter_kb_more_topics", language)["buttons"]
    # The topic's text with these buttons instead of its own topic buttons.
    message = services.renderer().render(f"utter_{intent}", language)
    dispatcher.utter_message(text=message.get("text"), buttons=buttons, language=language)
    if INTENT_TOPICS[intent] == CHECKLIST_TOPIC:
        _checklist_link(dispatcher, language)


def _entry_button(entry: PublishedEntry, language: Text) -> Dict[Text, Text]:
    return {
        "title": mark_direction(entry.texts[language].title, language),
        "payload": entry_payload(entry),
    }


def _log_unanswered(text: Text, language: Text, intent: Optional[Text], score: float) -> None:
    if is_button_payload(text):
        return
    try:
        record_unanswered(services.knowledge_sessions(), text, language, intent, score)
    except SQLAlchemyError as error:
        logger.warning("Could not log an unanswered question: %s", error.__class__.__name__)
