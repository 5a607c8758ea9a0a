"""The NLU screen that takes a short "tell me more" or "I don't understand" for what it is
when the classifier took it for small talk (bot/more_screen.py)."""

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.more_screen import MoreScreen
from bot.screens import Phrases
from knowledge.settings import load_settings


@pytest.fixture(scope="module")
def screen():
    return MoreScreen(Phrases.read(load_settings({}).language_data_dir, "more"))


def classified(screen, text, intent, **why):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9, **why}})
    return screen.process([message])[0].get(INTENT)["name"]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("dis m en plus", "goodbye"),
        ("dime mas", "out_of_scope"),
        ("يعني ايه الكلام ده مش فاهم", "out_of_scope"),
        ("chno ya3ni had chi? mafhamtch mzyan", "out_of_scope"),
        ("mesh fahem mnee7, fasserli aktar", "give_details"),
        ("ha? di ko po gets yung sinabi mo", "nlu_fallback"),
        ("bujhi nai, ektu khule bolen", "greet"),
        ("ali detail ma bhannu na", "bot_capabilities"),
        ("maksudnya gmn min?", "out_of_scope"),
        ("sorry i dont understand", "thank"),
    ],
)
def test_a_short_ask_for_more_taken_for_small_talk_is_tell_more(screen, text, intent):
    assert classified(screen, text, intent) == "tell_more"


@pytest.mark.parametrize(
    "text, intent, why",
    [
        # A question on a topic, however it says it does not understand.
        ("no entiendo por que la agencia me cobra 2000 dolares", "topic_recruitment_fees", {}),
        # Too long to be only that.
        ("i dont understand why my boss keeps my passport and does not pay me", "out_of_scope", {}),
        # A place or an amount read as a detail stays one.
        ("y para canada? no entiendo", "give_details", {"detail_screen": "nlu_fallback"}),
        # "Explain X" asks about X; "I don't understand, help" may want the menu.
        ("explique moi le theoreme de pythagore", "out_of_scope", {}),
        ("मलाई केही बुझिएन, मद्दत गर्नुस्", "help", {}),
        # Small talk without such words stays small talk.
        ("ok thanks bye", "goodbye", {}),
        ("/tell_more", "greet", {}),
    ],
)
def test_other_messages_keep_their_intent(screen, text, intent, why):
    assert classified(screen, text, intent, **why) == intent


def test_an_ask_for_more_taken_for_help_is_marked_for_the_dialogue(screen):
    # The menu, unless there is a last answer to go on with (actions/knowledge.py).
    message = Message(data={TEXT: "bujhi nai, ektu khule bolen", INTENT: {"name": "help"}})
    intent = screen.process([message])[0].get(INTENT)
    assert intent["name"] == "help" and intent["asks_more"] is True
