"""Faults while people are talking to the bot: the user gets a polite answer, never
silence, and the conversation goes on when the failed part is back."""

from pathlib import Path
from typing import Text

import pytest

from bot import launcher
from knowledge.i18n import build_renderer
from tests.conftest import MODEL, SETTINGS, Assistant

RENDERER = build_renderer(SETTINGS)


def expected(name: Text, language: Text) -> Text:
    return RENDERER.render(name, language)["text"]


def test_action_server_down_gets_a_polite_try_again_and_the_conversation_goes_on(
    tmp_path: Path, built_knowledge_url: Text
):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it first)")
    rasa_port, action_port = launcher.free_port(), launcher.free_port()
    env = launcher.environment(action_port, ASSISTANT_DATABASE_URL=built_knowledge_url)
    health = f"http://127.0.0.1:{action_port}/health"
    rasa = launcher.rasa_command(MODEL, rasa_port, "bot/endpoints.yml", "bot/credentials.yml")
    with launcher.running(launcher.ACTIONS, health, tmp_path / "actions-1.log", env) as actions:
        with launcher.running(rasa, launcher.status_url(rasa_port), tmp_path / "rasa.log", env):
            bot = Assistant(f"http://127.0.0.1:{rasa_port}")
            sender = "fault-action-server"
            first = bot.say(sender, "म्यानपावर एजेन्टले कति शुल्क लिन पाउँछ?")
            assert bot.slots(sender)["language"] == "ne"
            try_again = expected("utter_try_again", "ne")
            assert try_again not in [m.get("text") for m in first]

            actions.kill()
            actions.wait(10)
            down = bot.say(sender, "रेमिटेन्स पठाउँदा कति खर्च लाग्छ?")
            assert [m.get("text") for m in down] == [try_again]
            # A greeting needs no custom action: it is still answered, in Nepali.
            greeting = bot.say(sender, "नमस्ते")
            assert greeting and try_again not in [m.get("text") for m in greeting]

            with launcher.running(launcher.ACTIONS, health, tmp_path / "actions-2.log", env):
                back = bot.say(sender, "रेमिटेन्स पठाउँदा कति खर्च लाग्छ?")
                texts = [m.get("text") or "" for m in back]
                assert back and try_again not in texts
                assert any("\u0900" <= c <= "\u097f" for c in "".join(texts))
