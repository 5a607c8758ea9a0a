"""The NLU screen that keeps "delete my conversation" only when the message says so in
words (bot/said_screen.py): run on messages as Rasa's pipeline hands them over."""

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.said_screen import SaidScreen
from knowledge.intent_words import distinctive_words
from knowledge.settings import load_settings

EXAMPLES = load_settings({}).typed_examples_dir


@pytest.fixture(scope="module")
def screen():
    config = SaidScreen.get_default_config()["intents"]
    return SaidScreen(
        {intent: distinctive_words(EXAMPLES, [intent], share=s) for intent, s in config.items()}
    )


def classified(screen, text, intent):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}})
    return screen.process([message])[0].get(INTENT)["name"]


@pytest.mark.parametrize(
    "text",
    [
        "delete my conversation",
        "borra la conversacion",
        "hapus percakapan kita",
        "मेरो कुराकानी मेटाइदिनुस्",
        "امسح المحادثة",
        "please delete everything",
    ],
)
def test_a_request_to_delete_in_words_is_kept(screen, text):
    assert classified(screen, text, "delete_conversation") == "delete_conversation"


@pytest.mark.parametrize(
    "text",
    [
        "ha? di ko po gets yung sinabi mo",
        "Wakanda",
        "ok",
        "what did you say?",
        # Words that delete requests use, and every other message too ("all", "what I said").
        "सबै ठिक छ",
        "যা বলছেন বুঝিনি",
        "no entendi lo que dije antes",
        "ماذا قلته لك امس",
    ],
)
def test_a_guess_without_a_word_that_says_delete_deletes_nothing(screen, text):
    assert classified(screen, text, "delete_conversation") == "nlu_fallback"


def test_other_intents_are_not_screened(screen):
    assert classified(screen, "Wakanda", "stop") == "stop"


def test_buttons_are_not_screened(screen):
    assert classified(screen, "/delete_conversation", "delete_conversation") == (
        "delete_conversation"
    )
