"""The NLU screen that reads a place or an amount the classifier was unsure of as a detail
of the conversation (bot/detail_screen.py)."""

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.detail_screen import DetailScreen


def classified(text, intent):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.6}})
    return DetailScreen().process([message])[0].get(INTENT)["name"]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("estamos en houston", "nlu_fallback"),
        ("dammam", "nlu_fallback"),
        ("उ मस्कटमा छे", "nlu_fallback"),
        ("1 lakh 50 hajar", "nlu_fallback"),
        ("itu brp rupiah?", "nlu_fallback"),
    ],
)
def test_a_place_or_an_amount_the_classifier_was_unsure_of_is_a_detail(text, intent):
    assert classified(text, intent) == "give_details"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("thank you so much", "nlu_fallback"),
        ("hello, i am from nepal", "greet"),
        ("what is the weather in dubai", "out_of_scope"),
        ("how much can the agency charge for qatar?", "topic_recruitment_fees"),
        ("/greet", "greet"),
    ],
)
def test_small_talk_and_real_questions_keep_their_intent(text, intent):
    assert classified(text, intent) == intent


@pytest.mark.parametrize(
    "text",
    [
        "domestic helper. salary 4990 hkd per month",
        "dr indonesia ke hongkong, jd prt, gaji 4990 hkd",
    ],
)
def test_a_transfer_whose_only_amount_is_a_wage_gives_job_details(text):
    assert classified(text, "ask_remittance_cost") == "give_details"


def test_a_transfer_with_a_wage_and_an_amount_to_send_stays_a_transfer():
    text = "my salary is 1500 ringgit, i send 500 ringgit to indonesia, how much cost"
    assert classified(text, "ask_remittance_cost") == "ask_remittance_cost"


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # The fee asked for, or "check": a check.
        ("la agencia me cobra 900 dolares y aparte el pasaje, es legal?",
         "topic_recruitment_fees", "check_recruitment_fee"),
        ("japan jana manpower le 9 lakh magyo, dherai ho?",
         "topic_recruitment_fees", "check_recruitment_fee"),
        ("revisa si es legal lo que me cobra la agencia", "check_recruitment_fee",
         "check_recruitment_fee"),
        # "Check" alone may ask for another check: the classifier's guess stays.
        ("ayudame a sacar la cuenta de lo q me cobran x un envio", "topic_recruitment_fees",
         "topic_recruitment_fees"),
        # Neither: a question on fees.
        ("who pays the recruitment fee, me or the employer?", "check_recruitment_fee",
         "topic_recruitment_fees"),
        # A wage is no fee.
        ("salary 1400 riyal, do i pay the agency?", "check_recruitment_fee",
         "topic_recruitment_fees"),
    ],
)  # fmt: skip
def test_a_fee_question_is_a_check_when_it_gives_the_fee_or_asks_to_check(text, intent, expected):
    assert classified(text, intent) == expected
