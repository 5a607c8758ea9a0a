"""The actions that keep a conversation going (actions/safety.py, actions/followup.py) and
their data (knowledge/contacts.yml, knowledge/sources/fx.csv), as Rasa runs them: a tracker
in, slot events and response names out, against the real knowledge base."""

import copy
import json
from decimal import Decimal

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction

from actions import services
from actions.followup import ActionFollowUp
from actions.handoff import ActionHumanHandoff
from actions.knowledge import (
    ActionAnswerQuestion,
    Conversation,
    _in_conversation,
    _principle,
)
from actions.language import ActionChooseLanguage
from actions.safety import ActionSafety
from knowledge.answering import Reply
from knowledge.contacts import EMERGENCY, ContactDirectory
from knowledge.fx import ExchangeRates
from knowledge.settings import load_settings
from knowledge.text import first_sentence
from tests.conftest import FIXTURES

SETTINGS = load_settings({})


@pytest.fixture(autouse=True)
def knowledge(actions_on_built_knowledge):
    return actions_on_built_knowledge


def tracker(text, intent="nlu_fallback", language="en", events=(), **slots):
    state = copy.deepcopy(
        json.loads((FIXTURES / "tracker_en_greet.json").read_text(encoding="utf-8"))
    )
    state["slots"].update(language=language, **slots)
    state["latest_message"].update(
        text=text, intent={"name": intent, "confidence": 0.9}, entities=[], metadata={}
    )
    state["events"] = list(state.get("events") or []) + list(events)
    state["active_loop"] = {}
    return Tracker.from_dict(state)


def sent(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


def slot(events, name):
    return next((e["value"] for e in events if e.get("name") == name), "unset")


async def run(action, dispatcher, state):
    return await action.run(dispatcher, state, {})


# --- danger ------------------------------------------------------------------------------
async def test_danger_first_puts_safety_first_then_asks_where_the_person_is(dispatcher):
    events = await run(ActionSafety(), dispatcher, tracker("my madam took my passport"))
    assert sent(dispatcher) == ["utter_urgent_safety", "utter_kb_answer", "utter_ask_location"]
    # Beside the safety answer, the checked answer to what was said: passport rights.
    assert dispatcher.messages[1]["answer"].startswith("Your passport")
    assert slot(events, "danger") is True


async def test_the_generic_safety_entry_is_not_said_beside_the_safety_answer(dispatcher):
    await run(ActionSafety(), dispatcher, tracker("i am in danger please help me"))
    assert "utter_kb_answer" not in sent(dispatcher)


async def test_where_the_person_is_gets_that_countrys_contacts_with_sources(dispatcher):
    state = tracker("i am in riyadh", intent="give_details", danger=True)
    events = await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher) == ["utter_local_contacts"]
    message = dispatcher.messages[0]
    assert message["country"] == "Saudi Arabia"
    assert "911" in message["contacts"] and "zawya.com" in message["contacts"]
    assert slot(events, "location") == "SAU" and slot(events, "contacts_given") == "SAU"


async def test_the_safety_block_is_never_sent_twice(dispatcher):
    state = tracker("they beat me again", intent="urgent_safety", danger=True,
                    location="QAT", contacts_given="QAT")  # fmt: skip
    await run(ActionSafety(), dispatcher, state)
    assert "utter_urgent_safety" not in sent(dispatcher)
    assert "utter_local_contacts" not in sent(dispatcher)
    assert sent(dispatcher)  # something that goes on: an answer or the next steps


def said_before(text, signal):
    intent = {"name": "urgent_safety", "confidence": 1.0, "danger_signal": signal}
    return {"event": "user", "text": text, "parse_data": {"intent": intent, "entities": []}}


async def test_a_new_kind_of_danger_gets_safety_first_again_and_the_numbers(dispatcher):
    # Unpaid wages first, then "he pulled a gun": safety again (bot/nlg.py says it in its
    # short words), and where to call or the question where the person is.
    before = [said_before("the contractor owes us 7 weeks", "wages_withheld")]
    now = [said_before("yesterday he pulled a gun on us", "violence")]  # Rasa's last event
    state = tracker("yesterday he pulled a gun on us", intent="urgent_safety", danger=True,
                    events=before + now)  # fmt: skip
    state.latest_message["intent"]["danger_signal"] = "violence"
    await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher) == ["utter_urgent_safety", "utter_ask_location"]
    state = tracker("she beat me with a stick", intent="urgent_safety", danger=True,
                    location="KWT", contacts_given="KWT", events=before + now)  # fmt: skip
    state.latest_message["intent"]["danger_signal"] = "violence"
    events = await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher)[-2:] == ["utter_urgent_safety", "utter_local_contacts"]
    assert slot(events, "contacts_given") == "KWT"


async def test_the_same_kind_of_danger_told_again_is_answered_not_alarmed_again(dispatcher):
    before = [said_before("my madam took my passport", "passport_taken")]
    state = tracker("she keeps my passport and says she will call the police",
                    intent="urgent_safety", danger=True, location="LBN",
                    contacts_given="LBN", events=before * 2)  # fmt: skip
    state.latest_message["intent"]["danger_signal"] = "passport_taken"
    await run(ActionSafety(), dispatcher, state)
    assert "utter_urgent_safety" not in sent(dispatcher)
    assert sent(dispatcher)


async def test_of_two_places_the_one_people_work_in_gets_the_numbers(dispatcher):
    # A mother at home in Senegal, her daughter in danger in Kuwait.
    state = tracker("moi je suis a thies, elle c a koweit city", intent="give_details",
                    language="fr", danger=True)  # fmt: skip
    events = await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher)[0] == "utter_local_contacts"
    assert slot(events, "location") == "KWT" and slot(events, "home_country") == "SEN"


async def test_in_danger_asking_whom_to_call_again_gets_the_numbers_again(dispatcher):
    state = tracker("i dont know my embassy number mam, what i do", intent="out_of_scope",
                    danger=True, location="SAU", contacts_given="SAU")  # fmt: skip
    await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher)[0] in ("utter_kb_answer", "utter_kb_answer_unreviewed")
    assert sent(dispatcher)[-1] == "utter_local_contacts"


async def test_in_danger_a_home_country_named_keeps_the_numbers_where_the_danger_is(dispatcher):
    # The sister is locked in in Oman; the person writing is at home in Bangladesh.
    state = tracker("ami to bangladesh e, embassy r number jani na. ekhan theke ki kori",
                    language="bn", intent="human_handoff", danger=True, location="OMN",
                    contacts_given="OMN")  # fmt: skip
    events = await run(ActionHumanHandoff(), dispatcher, state)
    assert dispatcher.messages[-2]["country"] == "ওমান"
    assert sent(dispatcher)[-1] == "utter_home_contacts"
    assert slot(events, "contacts_given") == "OMN" and slot(events, "home_country") == "BGD"


async def test_in_danger_where_the_person_is_beats_the_topic_the_classifier_saw(dispatcher):
    state = tracker("nasa muscat oman po ako, nakikitira muna sa kakilala", language="tl",
                    intent="topic_remittances", danger=True)  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert sent(dispatcher) == ["utter_local_contacts"]
    assert slot(events, "contacts_given") == "OMN"


async def test_a_country_without_contacts_gets_the_embassy_and_police_advice(dispatcher):
    state = tracker("we are in brazil", intent="give_details", danger=True)
    await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher) == ["utter_no_local_contacts"]


async def test_talk_to_a_person_is_never_a_dead_end(dispatcher):
    state = tracker("i want to talk to a human", intent="human_handoff", location="HKG")
    await run(ActionHumanHandoff(), dispatcher, state)
    assert sent(dispatcher) == ["utter_handoff_unavailable", "utter_local_contacts"]
    assert "2157 9537" in dispatcher.messages[1]["contacts"]


# --- answer first, calculator second -----------------------------------------------------
async def test_a_fee_question_is_answered_then_the_checker_is_offered(dispatcher):
    state = tracker("is it legal that the agency asks me this much?",
                    intent="topic_recruitment_fees")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    answer, offer = dispatcher.messages
    assert answer["response"] in ("utter_kb_answer", "utter_kb_answer_unreviewed")
    assert answer["buttons"][-1]["payload"] == "/check_recruitment_fee"
    assert offer["text"] == services.renderer().render("utter_offer_fee_check", "en")["text"]
    assert not any(isinstance(e, dict) and e.get("event") == "followup" for e in events)
    assert slot(events, "offered_calculator") == "fee_form"


async def test_a_question_with_an_amount_keeps_it_for_the_calculator(dispatcher):
    state = tracker("agent wants 500 usd for poland job, is it ok?",
                    intent="topic_recruitment_fees")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert slot(events, "fee_amount") == "500" and slot(events, "fee_currency") == "USD"
    assert slot(events, "work_country") == "POL"


async def test_asking_for_a_calculation_with_what_it_needs_starts_the_form(dispatcher):
    state = tracker("how much to send 500 dollars from qatar to nepal",
                    intent="ask_remittance_cost")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert events == [FollowupAction("remittance_form")]


# --- follow-ups --------------------------------------------------------------------------
LAST_REMITTANCE = {"kind": "remittance", "amount": "500", "currency": "QAR",
                   "work_country": "QAT", "home_country": "NPL"}  # fmt: skip


async def test_and_from_another_country_answers_again_with_that_country(dispatcher):
    state = tracker("and from saudi?", intent="give_details", last_answer=LAST_REMITTANCE)
    events = await run(ActionFollowUp(), dispatcher, state)
    remembered = slot(events, "last_answer")
    assert remembered["work_country"] == "SAU" and remembered["home_country"] == "NPL"
    assert remembered["currency"] == "SAR" and remembered["amount"] == "500"
    assert "Saudi Arabia" in dispatcher.messages[0]["text"]


async def test_the_country_whose_money_is_asked_for_is_where_the_money_arrives(dispatcher):
    last = {"kind": "remittance", "amount": "300", "currency": "USD",
            "work_country": "USA", "home_country": "GTM"}  # fmt: skip
    state = tracker("y en lempiras si se los mando a mi compadre en honduras?", language="es",
                    intent="topic_rights", last_answer=last)  # fmt: skip
    events = await run(ActionFollowUp(), dispatcher, state)
    remembered = slot(events, "last_answer")
    assert (remembered["work_country"], remembered["home_country"]) == ("USA", "HND")
    assert remembered["currency"] == "USD"


async def test_tell_me_more_after_no_answer_gives_the_closest_said_to_be_so(dispatcher):
    question = "বিদেশে গিয়া কি ইউনিয়নে নাম লেখানো যায়? কাতারে কাজ করি"
    last = {"kind": "unanswered", "question": question}
    state = tracker("bujhi nai, ektu khule bolen", language="bn", intent="tell_more",
                    last_answer=last)  # fmt: skip
    events = await run(ActionFollowUp(), dispatcher, state)
    assert sent(dispatcher)[0] == "utter_kb_closest"
    assert slot(events, "last_answer")["entry"] == "rights-join-union"
    # Nothing near: the menu, not a far-fetched answer.
    dispatcher.messages.clear()
    last = {"kind": "unanswered", "question": "how do i cook rice"}
    await run(ActionFollowUp(), dispatcher, tracker("tell me more", intent="tell_more",
                                                    last_answer=last))  # fmt: skip
    assert sent(dispatcher) == ["utter_help"]


@pytest.mark.parametrize("intent", ["tell_more", "what_now"])
async def test_a_new_place_taken_for_tell_me_more_changes_the_calculation(dispatcher, intent):
    # "y a lima?", "ar kuwait theke?" after a figure.
    state = tracker("and to kathmandu?", intent=intent, last_answer=LAST_REMITTANCE)
    events = await run(ActionFollowUp(), dispatcher, state)
    assert slot(events, "last_answer")["kind"] == "remittance"
    state = tracker("and from kuwait?", intent=intent, last_answer=LAST_REMITTANCE)
    events = await run(ActionFollowUp(), dispatcher, state)
    assert slot(events, "last_answer")["work_country"] == "KWT"


async def test_the_fee_check_offered_stays_when_the_message_speaks_of_the_fee(dispatcher):
    # The classifier took "check it, the fee is 4990 hkd" for a transfer.
    state = tracker("pls check, 4990 hkd agency fee, i am from philippines, domestic helper",
                    intent="ask_remittance_cost", offered_calculator="fee_form")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert FollowupAction("fee_form") in events
    state = tracker("1000 qr to nepal send, what is the cost", intent="ask_remittance_cost",
                    offered_calculator="fee_form")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert FollowupAction("remittance_form") in events


async def test_a_bare_amount_after_the_offer_starts_the_offered_calculator(dispatcher):
    state = tracker("3 lakh 20 hajar", intent="check_recruitment_fee", language="ne",
                    offered_calculator="fee_form")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert FollowupAction("fee_form") in events
    state = tracker("and for romania? only 3 lakh", intent="check_recruitment_fee",
                    offered_calculator="fee_form")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert FollowupAction("fee_form") not in events


async def test_a_request_to_calculate_a_transfer_starts_the_calculator(dispatcher):
    state = tracker("ayudame a sacar la cuenta de lo q me cobran x un envio", language="es",
                    intent="topic_remittances")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert FollowupAction("remittance_form") in events


async def test_in_my_currency_is_a_conversion_whatever_the_classifier_said(dispatcher):
    # "bayar" (pay) made it a fee question to the classifier.
    state = tracker("itu jd brp rupee ya kira2? buat bayar sekolah adek",
                    intent="check_recruitment_fee", last_answer=LAST_REMITTANCE)  # fmt: skip
    await run(ActionAnswerQuestion(), dispatcher, state)
    assert sent(dispatcher) == ["utter_converted"]
    assert dispatcher.messages[0]["converted"]["currency"] == "NPR"


async def test_the_answers_topic_decides_which_calculator_is_offered(dispatcher):
    # The classifier's unsure guess was a fee check; the answer is on sending money.
    state = tracker("is it cheaper to send money less often, like every 3 months?",
                    intent="check_recruitment_fee")  # fmt: skip
    state.latest_message["intent"]["confidence"] = 0.47
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert slot(events, "last_answer")["entry"].startswith("remit-")
    assert slot(events, "offered_calculator") == "remittance_form"


async def test_a_question_taken_for_a_language_request_is_answered(dispatcher):
    state = tracker("i am filipina domestic worker, my madam never gives me a day off, "
                    "is that allowed?", intent="choose_language")  # fmt: skip
    await run(ActionChooseLanguage(), dispatcher, state)
    assert sent(dispatcher)[0] in ("utter_kb_answer", "utter_kb_answer_unreviewed")


async def test_another_amount_answers_again_with_that_amount(dispatcher):
    state = tracker("and 1000?", intent="give_details", last_answer=LAST_REMITTANCE)
    events = await run(ActionFollowUp(), dispatcher, state)
    assert slot(events, "last_answer")["amount"] == "1000"
    assert slot(events, "last_answer")["work_country"] == "QAT"


async def test_in_my_currency_converts_with_a_sourced_dated_rate(dispatcher):
    state = tracker("how much is that in rupees?", intent="give_details",
                    last_answer=LAST_REMITTANCE)  # fmt: skip
    await run(ActionFollowUp(), dispatcher, state)
    assert sent(dispatcher) == ["utter_converted"]
    message = dispatcher.messages[0]
    assert message["period"] == "2024" and "World Bank" in message["source"]
    assert message["converted"]["currency"] == "NPR"


async def test_tell_me_more_goes_on_with_a_related_answer(dispatcher):
    last = {"kind": "entry", "entry": "fees-employer-pays", "question": "do i pay the agency"}
    state = tracker("what do you mean?", intent="tell_more", last_answer=last)
    events = await run(ActionFollowUp(), dispatcher, state)
    assert slot(events, "last_answer")["entry"] != "fees-employer-pays"


async def test_yes_starts_the_calculator_that_was_offered(dispatcher):
    state = tracker("yes", intent="affirm", offered_calculator="fee_form")
    events = await run(ActionFollowUp(), dispatcher, state)
    assert FollowupAction("fee_form") in events


def answered(slug, question="do i pay the agency"):
    """The slot event that remembers an answer given earlier in the conversation."""
    value = {"kind": "entry", "entry": slug, "question": question}
    return {"event": "slot", "name": "last_answer", "value": value}


async def test_an_answer_asked_again_is_its_point_in_short_not_the_same_block(dispatcher):
    state = tracker("so i pay or not pay??", intent="topic_recruitment_fees",
                    events=[answered("fees-employer-pays")],
                    last_answer=answered("fees-employer-pays")["value"])  # fmt: skip
    await run(ActionAnswerQuestion(), dispatcher, state)
    message = dispatcher.messages[0]
    assert message["response"].startswith("utter_kb_answer_short")
    entry = services.published_knowledge().current().entries["fees-employer-pays"]
    assert message["answer"] == first_sentence(entry.texts["en"].answer)
    assert len(message["answer"]) < len(entry.texts["en"].answer)


async def test_a_choice_between_an_answer_given_and_another_is_the_other(dispatcher):
    snapshot = services.published_knowledge().current()
    given, other = "fees-employer-pays", "fees-how-much-paid"
    reply = Reply("clarify", choices=(snapshot.entries[given], snapshot.entries[other]))
    chosen = _in_conversation(snapshot, reply, [given], "en")
    assert chosen.kind == "answer" and chosen.entry.slug == other


async def test_a_choice_between_two_countries_rules_is_the_conversations_country():
    snapshot = services.published_knowledge().current()
    nepal, bangladesh = (
        snapshot.entries["fees-np-free-visa-ticket"],
        snapshot.entries["fees-bd-ceilings"],
    )
    reply = Reply("clarify", choices=(nepal, bangladesh))
    chosen = _in_conversation(snapshot, reply, [], "bn", Conversation(("SA", "BD"), frozenset()))
    assert chosen.kind == "answer" and chosen.entry == bangladesh
    assert chosen.related[0] == nepal  # the other one tap away
    # Nothing says which country: the wrong country's rule would mislead, so it is asked.
    only_saudi = Conversation(("SA",), frozenset())
    assert _in_conversation(snapshot, reply, [], "bn", only_saudi).kind == "clarify"


async def test_a_choice_between_what_holds_everywhere_and_one_rule_is_the_closer_one():
    snapshot = services.published_knowledge().current()
    everywhere, indonesia = (
        snapshot.entries["fees-employer-pays"],
        snapshot.entries["fees-id-zero-cost"],
    )
    chosen = _in_conversation(snapshot, Reply("clarify", choices=(everywhere, indonesia)), [], "en")
    assert chosen.kind == "answer" and chosen.entry == everywhere
    assert chosen.related[0] == indonesia


async def test_i_dont_understand_taken_for_help_after_an_answer_goes_on_with_it(dispatcher):
    question = "can the agency in nepal take money for a qatar visa"
    state = tracker("bujhena, ali detail ma bhannu na", language="ne", intent="help",
                    last_answer=answered("fees-np-free-visa-ticket", question)["value"],
                    events=[answered("fees-np-free-visa-ticket", question)])  # fmt: skip
    state.latest_message["intent"]["asks_more"] = True
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert "utter_help" not in sent(dispatcher)
    assert slot(events, "last_answer")["entry"] not in ("unset", "fees-np-free-visa-ticket")


async def test_what_do_you_mean_after_a_choice_answers_the_closer_one(dispatcher):
    choices = ["safety-what-is-trafficking", "safety-trafficking-vs-smuggling"]
    last = {"kind": "clarify", "choices": choices, "question": "trafficking, smuggling same?"}
    state = tracker("what do you mean?", intent="tell_more", last_answer=last)
    events = await run(ActionFollowUp(), dispatcher, state)
    assert slot(events, "last_answer")["entry"] == "safety-what-is-trafficking"


async def test_a_follow_up_without_an_answer_of_its_own_leans_on_the_last_question(dispatcher):
    question = "can the agency in nepal take money for a qatar visa"
    state = tracker("he say everybody paying like this, no problem", intent="out_of_scope",
                    last_answer=answered("fees-np-free-visa-ticket", question)["value"],
                    events=[answered("fees-np-free-visa-ticket", question)])  # fmt: skip
    await run(ActionAnswerQuestion(), dispatcher, state)
    assert sent(dispatcher)[0] not in ("utter_kb_unanswered", "utter_out_of_scope")


async def test_details_after_the_offer_start_the_calculator_with_them(dispatcher):
    state = tracker("i am from nepal, salary 1400 riyal", intent="give_details",
                    offered_calculator="fee_form",
                    last_answer=answered("fees-employer-pays")["value"])  # fmt: skip
    events = await run(ActionFollowUp(), dispatcher, state)
    assert FollowupAction("fee_form") in events


async def test_a_place_named_in_danger_gets_its_contacts_unasked(dispatcher):
    state = tracker("we in johor bahru malaysia. all bangladeshi", intent="topic_recruitment_fees",
                    danger=True)  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert sent(dispatcher)[0] == "utter_local_contacts"
    assert slot(events, "location") == "MYS"


async def test_a_transfer_with_every_detail_is_calculated_whatever_the_intent(dispatcher):
    state = tracker("i send 300 dollar every 2 weeks from usa to nigeria, how much i lose",
                    intent="out_of_scope")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert events == [FollowupAction("remittance_form")]


async def test_a_question_taken_for_the_menu_gets_its_clear_answer(dispatcher):
    state = tracker("my boss took my passport, is that allowed?", intent="help")
    await run(ActionAnswerQuestion(), dispatcher, state)
    assert sent(dispatcher)[0] in ("utter_kb_answer", "utter_kb_answer_unreviewed")


async def test_the_menu_asked_for_is_the_menu(dispatcher):
    await run(ActionAnswerQuestion(), dispatcher, tracker("menu", intent="help"))
    assert sent(dispatcher) == ["utter_help"]


async def test_what_can_you_do_is_answered_as_such(dispatcher):
    state = tracker("what can you do?", intent="bot_capabilities")
    await run(ActionAnswerQuestion(), dispatcher, state)
    assert sent(dispatcher) == ["utter_bot_capabilities"]


async def test_the_details_the_offer_asked_for_start_it_not_the_other_calculator(dispatcher):
    state = tracker("dr indonesia ke hongkong, jd prt, gaji 4990 hkd", intent="ask_remittance_cost",
                    language="id", offered_calculator="fee_form")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert FollowupAction("fee_form") in events


async def test_a_question_naming_a_country_after_an_offer_is_answered(dispatcher):
    state = tracker("is it legal for the agency to keep my passport in qatar?",
                    intent="topic_rights", offered_calculator="fee_form")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert not any(e.get("event") == "followup" for e in events)
    assert sent(dispatcher)[0].startswith("utter_kb_answer")


async def test_a_wage_is_never_read_as_a_transfer(dispatcher):
    state = tracker("from bangladesh to saudi, salary 1400 riyal", intent="topic_remittances")
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert FollowupAction("remittance_form") not in events


async def test_someone_in_danger_who_asks_whom_to_call_is_asked_where_they_are(dispatcher):
    state = tracker("i dont know my embassy number, what i do", intent="topic_rights",
                    danger=True)  # fmt: skip
    await run(ActionAnswerQuestion(), dispatcher, state)
    assert sent(dispatcher)[-1] == "utter_ask_location"


async def test_a_question_written_in_another_language_is_matched_in_it(dispatcher):
    # The conversation is now in Bengali; the question was typed in English.
    state = tracker("what is the cheapest way to send money home from singapore",
                    intent="topic_remittances", language="bn")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    entry = slot(events, "last_answer")["entry"]
    assert entry.startswith("remit-")


# --- data --------------------------------------------------------------------------------
def test_every_contact_has_a_number_a_source_and_a_date():
    directory = ContactDirectory.from_file(SETTINGS.contacts_file)
    assert len(directory.countries()) >= 25
    for country in directory.countries():
        for contact in directory.for_country(country, limit=100):
            assert contact.number.strip() and contact.source.strip(), contact
            assert contact.source_date.strip() and contact.review == "unreviewed", contact
        assert all(
            c.kind == EMERGENCY for c in directory.for_country(country, limit=100)[:1]
        ) or not any(c.kind == EMERGENCY for c in directory.for_country(country, limit=100))


def test_a_rate_is_used_only_where_one_source_and_year_cover_both_currencies():
    rates = ExchangeRates.from_csv(SETTINGS.fx_file)
    qar_npr = rates.convert(Decimal(364), "QAR", "NPR")
    assert qar_npr.year == "2024" and round(qar_npr.amount) == 13373
    assert rates.convert(Decimal(100), "QAR", "XAF") is None  # no sourced rate


async def test_a_classifier_guess_at_danger_about_something_else_gets_that_answer(dispatcher):
    state = tracker("do i have to pay the agency for the job?", intent="urgent_safety")
    events = await run(ActionSafety(), dispatcher, state)
    assert "utter_urgent_safety" not in sent(dispatcher)
    assert sent(dispatcher)[0] in ("utter_kb_answer", "utter_kb_answer_unreviewed")
    assert slot(events, "danger") == "unset"


async def test_a_danger_signal_always_gets_the_safety_answer_first(dispatcher):
    state = tracker("my madam took my passport, no day off", intent="urgent_safety")
    state.latest_message["intent"]["danger_signal"] = "passport_taken"
    await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher)[0] == "utter_urgent_safety"


async def test_a_question_after_a_fee_check_is_asked_about_its_countries(dispatcher):
    last = {"kind": "fee", "fee_amount": "350000", "fee_currency": "NPR",
            "home_country": "NPL", "work_country": "QAT"}  # fmt: skip
    state = tracker("so how much maximum they can take from me", intent="topic_recruitment_fees",
                    last_answer=last)  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert "utter_kb_unanswered" not in sent(dispatcher)
    assert slot(events, "last_answer")["entry"].startswith("fees-np")


async def test_a_follow_up_on_a_transfer_guessed_to_be_danger_changes_the_transfer(dispatcher):
    last = {"kind": "remittance", "amount": "200", "currency": "EUR",
            "work_country": "FRA", "home_country": "MAR"}  # fmt: skip
    state = tracker("wakha, w depuis l espagne? ma soeur est a malaga", language="fr",
                    intent="urgent_safety", last_answer=last)  # fmt: skip
    events = await run(ActionSafety(), dispatcher, state)
    assert "utter_urgent_safety" not in sent(dispatcher)
    assert slot(events, "last_answer")["work_country"] == "ESP"
    assert slot(events, "danger") == "unset"


async def test_explain_finding_the_answer_just_given_goes_on_to_what_follows(dispatcher):
    question = "ازاي اسافر ايطاليا بشكل قانوني؟ في فيزا شغل موسمي في الزراعه"
    state = tracker("يعني ايه الكلام ده؟ اشرحلي براحه", language="ar",
                    intent="topic_legal_channels",
                    last_answer=answered("channels-seasonal-work", question)["value"],
                    events=[answered("channels-seasonal-work", question)])  # fmt: skip
    state.latest_message["intent"]["asks_more"] = True
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert "utter_kb_answer_short" not in sent(dispatcher)
    assert slot(events, "last_answer")["entry"] not in ("unset", "channels-seasonal-work")


async def test_an_answer_on_whom_to_call_said_again_does_not_bring_the_numbers_again(dispatcher):
    question = "san po kami pwede magreklamo dito sa qatar"
    state = tracker("pag nagreklamo ba kami di kami ipapadeport?", language="tl",
                    intent="topic_rights", danger=True, location="QAT", contacts_given="QAT",
                    last_answer=answered("rights-complaints-justice", question)["value"],
                    events=[answered("rights-complaints-justice", question)])  # fmt: skip
    await run(ActionAnswerQuestion(), dispatcher, state)
    assert "utter_local_contacts" not in sent(dispatcher)


async def test_in_danger_a_choice_on_where_to_complain_is_not_about_agency_fees():
    snapshot = services.published_knowledge().current()
    fees, rights = (
        snapshot.entries["fees-protect-complain"],
        snapshot.entries["rights-complaints-justice"],
    )
    danger = Conversation((), frozenset({"safety", "rights", "legal_channels"}))
    chosen = _in_conversation(snapshot, Reply("clarify", choices=(fees, rights)), [], "en", danger)
    assert chosen.entry == rights and chosen.related[0] == fees


async def test_in_danger_where_to_complain_is_not_answered_about_agencies(dispatcher):
    state = tracker("where i can complain?", intent="topic_rights", danger=True,
                    location="SAU", contacts_given="SAU")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    answered_with = slot(events, "last_answer")["entry"]
    assert services.published_knowledge().current().entries[answered_with].topic != (
        "recruitment_fees"
    )


async def test_a_fee_question_without_a_closer_answer_gets_the_principle(dispatcher):
    state = tracker("el maktab 3ayez 40 alf geneh, howa da 3ady?", language="ar",
                    intent="check_recruitment_fee")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert "utter_kb_unanswered" not in sent(dispatcher)
    assert slot(events, "last_answer")["entry"] == "fees-employer-pays"


async def test_a_fee_choice_between_two_other_countries_rules_is_the_principle():
    snapshot = services.published_knowledge().current()
    nepal, bangladesh = (
        snapshot.entries["fees-np-free-visa-ticket"],
        snapshot.entries["fees-bd-ceilings"],
    )
    reply = _principle(snapshot, Reply("clarify", choices=(nepal, bangladesh)),
                       "check_recruitment_fee", "bn")  # fmt: skip
    assert reply.kind == "answer" and reply.entry.slug == "fees-employer-pays"
    assert reply.related[:2] == (nepal, bangladesh)  # each country's rule a tap away
    # Another topic's question stays as it was.
    assert _principle(snapshot, Reply("clarify", choices=(nepal, bangladesh)),
                      "topic_rights", "bn").kind == "clarify"  # fmt: skip


async def test_in_danger_a_question_is_not_answered_with_the_safety_answer_again(dispatcher):
    state = tracker("pero no tengo papeles aun, si voy a la poli me pueden deportar??",
                    intent="topic_safety", language="es", danger=True, location="ESP",
                    contacts_given="ESP")  # fmt: skip
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert slot(events, "last_answer")["entry"] not in ("unset", "safety-danger-abroad")


async def test_a_new_danger_where_the_numbers_were_given_gets_its_answer(dispatcher):
    earlier = {"event": "user", "text": "she pulls my hair", "parse_data": {
        "intent": {"name": "urgent_safety", "danger_signal": "violence"}}}  # fmt: skip
    state = tracker("they still have my passport and i am scared they report me for leaving",
                    intent="urgent_safety", danger=True, location="ARE",
                    contacts_given="ARE", events=[earlier])  # fmt: skip
    state.latest_message["intent"]["danger_signal"] = "passport_taken"
    await run(ActionSafety(), dispatcher, state)
    assert sent(dispatcher)[0] == "utter_urgent_safety"
    assert "utter_local_contacts" not in sent(dispatcher)  # given just before
    assert "utter_kb_answer" in sent(dispatcher) or "utter_kb_answer_unreviewed" in sent(dispatcher)


async def test_small_talk_the_classifier_is_unsure_of_after_an_answer_leans_on_it(dispatcher):
    question = "q es mejor pa mandar plata a colombia, el banco o esas apps?"
    state = tracker("siento q en el cambio me tumban", intent="bot_capabilities",
                    language="es", last_answer=answered("remit-provider-types", question)["value"],
                    events=[answered("remit-provider-types", question)])  # fmt: skip
    state.latest_message["intent"]["confidence"] = 0.61
    events = await run(ActionAnswerQuestion(), dispatcher, state)
    assert "utter_bot_capabilities" not in sent(dispatcher)
    entries = services.published_knowledge().current().entries
    assert entries[slot(events, "last_answer")["entry"]].topic == "remittances"
