"""The NLU screen that takes a request for a real person for a hand-over, whatever else the
message says (bot/person_screen.py)."""

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.person_screen import PersonScreen
from bot.screens import Phrases
from knowledge.settings import load_settings


@pytest.fixture(scope="module")
def screen():
    return PersonScreen(Phrases.read(load_settings({}).language_data_dir, "person"))


def classified(screen, text, intent):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}})
    return screen.process([message])[0].get(INTENT)["name"]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("i am very scared now, can i talk to somebody real pls? not machine", "what_now"),
        ("ekhn ki korbo apu? kono manush er sathe sorasori kotha bola jabe?", "topic_safety"),
        ("hp aku cm dipinjemin 1 jam sehari. bs ngomong sm org beneran gk?", "what_now"),
        ("aba k garu? kohi sachikai ko manxe sanga kura garna milxa?", "topic_legal_channels"),
        ("ano gagawin ko ngayon? may tao po ba ko pwede makausap", "what_now"),
        ("je fais koi mtn? ya pas qqn de vrai ki peut me parler", "nlu_fallback"),
        ("يا ريت اكلم انسان حقيقي", "topic_rights"),
    ],
)
def test_asking_for_a_real_person_is_a_hand_over(screen, text, intent):
    assert classified(screen, text, intent) == "human_handoff"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("is human trafficking a crime in qatar?", "topic_safety"),
        ("malik bangladeshi manush der sathe kharap byabohar kore", "topic_rights"),
        ("delete my conversation, i want to talk to a human later", "delete_conversation"),
        ("/human_handoff", "greet"),
    ],
)
def test_other_messages_keep_their_intent(screen, text, intent):
    assert classified(screen, text, intent) == intent
