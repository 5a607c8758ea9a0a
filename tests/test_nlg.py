"""The bot's own words in a conversation (bot/nlg.py): what was already said moves on."""

import asyncio

from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlg import CatalogNaturalLanguageGenerator

KUWAIT = {
    "country": "Kuwait",
    "contacts": "• Emergency: 112\n• PAM: 128",
    "first": "• Emergency: 112",
}
OMAN = {"country": "Oman", "contacts": "• Emergency: 9999", "first": "• Emergency: 9999"}


def say(generator, tracker, name, values):
    reply = asyncio.run(generator.generate(name, tracker, "rest", **values))
    tracker.update(BotUttered(reply["text"], metadata={"utter_action": name}))
    return reply["text"]


def test_the_numbers_for_one_place_are_listed_twice_then_pointed_to():
    generator = CatalogNaturalLanguageGenerator()
    tracker = DialogueStateTracker.from_events("someone", [])
    first = say(generator, tracker, "utter_local_contacts", KUWAIT)
    again = say(generator, tracker, "utter_local_contacts", KUWAIT)
    third = say(generator, tracker, "utter_local_contacts", KUWAIT)
    assert "PAM: 128" in first and "PAM: 128" in again and first != again
    assert "PAM: 128" not in third and "Emergency: 112" in third and "above" in third
    # Another place's numbers are new: said in full.
    assert "Who can help in Oman" in say(generator, tracker, "utter_local_contacts", OMAN)


def test_a_second_choice_between_two_answers_is_asked_in_other_words():
    generator = CatalogNaturalLanguageGenerator()
    tracker = DialogueStateTracker.from_events("someone", [])
    texts = [say(generator, tracker, "utter_kb_clarify", {}) for _ in range(2)]
    assert texts[0] != texts[1]


def test_once_every_wording_was_said_the_one_said_longest_ago_comes_back():
    generator = CatalogNaturalLanguageGenerator()
    tracker = DialogueStateTracker.from_events("someone", [])
    texts = [say(generator, tracker, "utter_local_contacts", KUWAIT) for _ in range(5)]
    assert texts[3] == texts[0] and texts[4] == texts[1]
