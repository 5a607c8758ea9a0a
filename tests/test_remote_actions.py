"""bot/remote_actions.py: the Rasa process checks action server answers with one compiled
validator instead of `jsonschema.validate` each time; the verdicts must be Rasa's own."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import bot.nlg  # noqa: F401 (installs the check, as in every Rasa process of the assistant)
from bot.remote_actions import validate_action_result

ANSWERS = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "language", "value": "ne", "timestamp": None},
            {"event": "active_loop", "name": "remittance_form"},
            {"event": "bot", "text": "स्रोत: ILO", "data": {}},
        ],
        "responses": [{"text": "नमस्ते", "language": "ne", "buttons": []}],
    },
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": {"event": "slot"}, "responses": []},
    {"events": [{"event": "slot", "name": 7, "value": "x"}], "responses": []},
    {"events": [], "responses": "hello"},
    {"events": [], "responses": [["hello"]]},
    {"events": [{"event": "followup"}], "responses": []},
]


def rasa_verdict(answer) -> bool:
    try:
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
        return True
    except jsonschema.ValidationError:
        return False


@pytest.mark.parametrize("answer", ANSWERS)
def test_the_same_verdict_as_rasa(answer):
    action = RemoteAction("action_answer", None)
    if rasa_verdict(answer):
        assert action._validate_action_result(answer) is True
    else:
        with pytest.raises(jsonschema.ValidationError) as raised:
            action._validate_action_result(answer)
        assert "Failed to validate Action server response" in raised.value.message


def test_both_kinds_of_answer_are_in_the_corpus():
    assert {rasa_verdict(answer) for answer in ANSWERS} == {True, False}


def test_installed_in_the_rasa_process():
    assert RemoteAction._validate_action_result is validate_action_result
