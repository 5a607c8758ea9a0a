"""Language identification of single messages and of a conversation's language."""

import pytest

from actions import services

identifier = services.language_identifier()


@pytest.mark.parametrize(
    "text, language",
    [
        ("hello", "en"),
        ("namaste", "ne"),
        ("salamat po", "tl"),
        ("terima kasih banyak", "id"),
        ("merci beaucoup", "fr"),
        ("muchas gracias", "es"),
        ("شكرا جزيلا", "ar"),
        ("ধন্যবাদ", "bn"),
        ("धन्यवाद", "ne"),
        ("malai agency le 3 lakh mageko cha", "ne"),
        ("ami saudi jabo, agency koto taka nibe?", "bn"),
        ("magkano po ang placement fee sa Qatar?", "tl"),
        ("brp biaya kirim uang ke indonesia dari malaysia?", "id"),
        ("slt, cmt envoyer de l'argent au pays sans payer trop?", "fr"),
        ("q derechos tengo si trabajo en españa", "es"),
        ("كم ال fee للوكالة", "ar"),
    ],
)
def test_message_language(text, language):
    assert identifier.identify(text).language == language


@pytest.mark.parametrize("text", ["ok", "👍", "visa?", "123", "/topic_rights", ""])
def test_a_message_that_cannot_tell_keeps_the_conversation_language(text):
    assert identifier.conversation_language(text, "bn", "en") == "bn"


def test_a_clear_sentence_in_another_language_switches():
    text = "Je voudrais savoir combien coûte l'envoi d'argent vers le Sénégal"
    assert identifier.conversation_language(text, "en", "en") == "fr"


def test_code_switching_keeps_the_conversation_language():
    assert identifier.conversation_language("Hola, how much fee para Qatar?", "es", "en") == "es"
    assert identifier.conversation_language("thank you po, salamat", "tl", "en") == "tl"


def test_first_message_without_a_clue_uses_the_default():
    assert identifier.conversation_language("👍", None, "fr") == "fr"


@pytest.mark.parametrize(
    "text, language",
    [
        ("can you speak nepali", "ne"),
        ("नेपालीमा बोल्नुस्", "ne"),
        ("en español por favor", "es"),
        ("bahasa indonesia aja", "id"),
        ("بالعربي لو سمحت", "ar"),
        ("bangla te bolen", "bn"),
        ("Tagalog na lang po", "tl"),
        ("in French please", "fr"),
        ("change language", None),
    ],
)
def test_named_language(text, language):
    assert identifier.named_language(text) == language


def test_the_name_of_a_language_does_not_decide_the_language_of_the_message():
    assert identifier.identify("can you answer me in Tagalog language please").language == "en"


@pytest.mark.parametrize(
    "text, language",
    [
        ("from Nepal", None),
        ("Indonesia", None),
        ("in Nepali please", "ne"),
        ("bahasa indonesia", "id"),
    ],
)
def test_while_a_country_is_asked_a_country_is_not_a_language(text, language):
    # "Nepal" is how Indonesian names the Nepali language; in a calculator it is a country.
    assert identifier.named_language(text, countries_too=False) == language


@pytest.mark.parametrize(
    "text",
    [
        "el madam msh bt5alini a5rog",  # Egyptian: the lady of the house won't let me out
        "3andi mushkila m3a el kafeel",  # Levantine/Gulf: I have a problem with the sponsor
        "ana sha8al fi el sa3odia w ma 3tuni flous",  # Gulf: I work in Saudi, no pay
        "kifash nsift flous l lmaghrib b ar5as taman",  # Moroccan: cheapest way to send
    ],
)
def test_arabic_in_latin_letters_and_digits_is_arabic(text):
    assert identifier.identify(text).language == "ar"
    assert identifier.conversation_language(text, "en", "en") == "ar"


@pytest.mark.parametrize("text", ["see you 2day at 5pm", "i have 3 kids and 2 jobs", "mp3 4u"])
def test_english_text_speak_with_digits_is_not_arabizi(text):
    assert identifier.identify(text).language != "ar"


@pytest.mark.parametrize(
    "text, current",
    [
        ("I am filipina working in hong kong, my employer wants me to pay the agency", "en"),
        ("we are nepali workers, how much the agency can take?", "en"),
        ("how much is 500 riyal in nepali rupees", "en"),
    ],
)
def test_a_nationality_or_currency_in_a_question_does_not_switch(text, current):
    assert identifier.conversation_language(text, current, "en") == current


@pytest.mark.parametrize(
    "text",
    [
        "bhai mera iqama expire ho gaya 2 month se, kafeel renew nhi kr rha",
        "mujhe paisa bhejna hai pakistan, kitna lagega",
    ],
)
def test_roman_urdu_is_answered_in_english_not_in_a_language_it_resembles(text):
    guess = identifier.identify(text)
    assert guess.language == "en" and guess.decisive
