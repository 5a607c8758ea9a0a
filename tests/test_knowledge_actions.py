"""action_answer_question as Rasa runs it: tracker in, messages out, against the real
knowledge base (built once per session) or a small snapshot made for the case."""

import json

import pytest
from sqlalchemy import select

from actions import services
from actions.knowledge import ActionAnswerQuestion, entry_payload
from knowledge.db import make_engine, session_factory
from knowledge.models import UnansweredQuestion
from knowledge.published import PublishedKnowledge
from knowledge.retrieval import EntryText, PublishedEntry, Snapshot


def expected(response, language, **values):
    return services.renderer().render(response, language, values)["text"]


@pytest.fixture
def knowledge(monkeypatch, built_knowledge_url):
    """The action reads the session's knowledge base; unanswered questions go to it too."""
    factory = session_factory(make_engine(built_knowledge_url))
    published = PublishedKnowledge(factory, refresh_interval=3600)
    monkeypatch.setattr(services, "knowledge_sessions", lambda: factory)
    monkeypatch.setattr(services, "published_knowledge", lambda: published)
    return published.current(), factory


async def answer(dispatcher, tracker):
    """The messages as the user sees them: a response name the action sends is rendered
    as the NLG in the Rasa server renders it (its own buttons, then the action's)."""
    await ActionAnswerQuestion().run(dispatcher, tracker, {})
    language = tracker.get_slot("language")
    seen = []
    for message in dispatcher.messages:
        name = message.get("response")
        if not name:
            seen.append(message)
            continue
        values = {k: v for k, v in message.items() if k not in ("response", "buttons")}
        shown = services.renderer().render(name, language, values)
        buttons = (shown.get("buttons") or []) + (message.get("buttons") or [])
        seen.append({"text": shown.get("text"), "buttons": buttons, "response": name})
    return seen


def first_entry(snapshot, topic, review_status="reviewed"):
    return next(
        e
        for e in snapshot.entries.values()
        if e.topic == topic and e.review_status == review_status
    )


async def test_a_question_gets_the_entry_answer_with_its_source(
    knowledge, make_tracker, dispatcher
):
    snapshot, _ = knowledge
    entry = first_entry(snapshot, "recruitment_fees")
    question = entry.texts["ne"].questions[0]
    tracker = make_tracker(text=question, intent="topic_recruitment_fees", language="ne")
    message, offer = await answer(dispatcher, tracker)
    assert message["text"] == expected(
        "utter_kb_answer",
        "ne",
        answer=entry.texts["ne"].answer,
        sources="; ".join(entry.sources[:2]),
    )
    assert "स्रोत" in message["text"]
    # Up to two related entries, then the button that checks the user's own fee; the
    # offer follows in a plain sentence.
    *related, calculator = message["buttons"]
    assert calculator["payload"] == "/check_recruitment_fee"
    assert offer["text"] == expected("utter_offer_fee_check", "ne")
    assert 1 <= len(related) <= 2
    for button in related:
        payload = button["payload"]
        assert payload.startswith("/topic_")
        assert json.loads(payload[payload.index("{") :])["entry"] != entry.slug


async def test_a_button_for_an_entry_answers_that_entry(knowledge, make_tracker, dispatcher):
    snapshot, _ = knowledge
    entry = first_entry(snapshot, "rights")
    tracker = make_tracker(
        text=entry_payload(entry),
        intent="topic_rights",
        language="ar",
        entities=[{"entity": "entry", "value": entry.slug}],
    )
    [message] = await answer(dispatcher, tracker)
    assert entry.texts["ar"].answer in message["text"]
    assert message["text"].startswith("\u200f")


async def test_an_unreviewed_rule_says_it_must_be_confirmed(knowledge, make_tracker, dispatcher):
    snapshot, _ = knowledge
    entry = first_entry(snapshot, "recruitment_fees", review_status="unreviewed")
    tracker = make_tracker(
        text=entry_payload(entry),
        intent="topic_recruitment_fees",
        language="en",
        entities=[{"entity": "entry", "value": entry.slug}],
    )
    message, *_ = await answer(dispatcher, tracker)
    assert "⚠" in message["text"] and "not checked" in message["text"]


async def test_a_topic_button_lists_the_topics_entries(knowledge, make_tracker, dispatcher):
    snapshot, _ = knowledge
    tracker = make_tracker(text="/topic_remittances", intent="topic_remittances", language="id")
    [message] = await answer(dispatcher, tracker)
    assert message["text"] == expected("utter_topic_remittances", "id")
    titles = {e.texts["id"].title for e in snapshot.by_topic("remittances")}
    entry_buttons = [b for b in message["buttons"] if '"entry"' in b["payload"]]
    assert 3 <= len(entry_buttons) <= 6
    assert all(b["title"] in titles for b in entry_buttons)
    assert message["buttons"][-1]["payload"] == "/help"


async def test_nothing_good_enough_is_said_honestly_and_logged(knowledge, make_tracker, dispatcher):
    _, factory = knowledge
    question = "what time does the cricket final start tonight, call me on 0712345678"
    tracker = make_tracker(text=question, intent="nlu_fallback", language="en")
    [message] = await answer(dispatcher, tracker)
    assert message["text"] == expected("utter_kb_unanswered", "en")
    with factory() as session:
        logged = session.execute(
            select(UnansweredQuestion).where(UnansweredQuestion.text.contains("cricket final"))
        ).scalar_one()
    assert "0712345678" not in logged.text and logged.language == "en"


def close_entries(monkeypatch, countries):
    """Two entries on fees whose phrasings are equally close to "agency fee for a job in
    qatar", each for the given countries."""

    def entry(slug, question, where):
        return PublishedEntry(
            slug,
            "recruitment_fees",
            where,
            "reviewed",
            (),
            {"en": EntryText(slug.title(), (question,), "answer")},
            ("src",),
        )

    snapshot = Snapshot(
        1,
        [
            entry("fees-nepal", "agency fee for a job in qatar from nepal", countries[0]),
            entry("fees-philippines", "agency fee for a job in qatar from manila", countries[1]),
        ],
    )
    monkeypatch.setattr(
        services, "published_knowledge", lambda: type("K", (), {"current": lambda self: snapshot})()
    )


async def test_two_close_rules_of_different_countries_are_offered_as_a_choice(
    monkeypatch, make_tracker, dispatcher
):
    close_entries(monkeypatch, [("NP",), ("PH",)])
    tracker = make_tracker(
        text="agency fee for a job in qatar", intent="topic_recruitment_fees", language="en"
    )
    message, offer = await answer(dispatcher, tracker)
    assert message["text"] == expected("utter_kb_clarify", "en")
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:2] == ["Fees-Nepal", "Fees-Philippines"]
    assert offer["text"] == expected("utter_offer_fee_check", "en")


async def test_two_close_general_answers_give_the_closer_with_the_other_a_tap_away(
    monkeypatch, make_tracker, dispatcher
):
    close_entries(monkeypatch, [("all",), ("all",)])
    tracker = make_tracker(
        text="agency fee for a job in qatar", intent="topic_recruitment_fees", language="en"
    )
    message, _ = await answer(dispatcher, tracker)
    assert message["response"] == "utter_kb_answer"
    titles = [b["title"] for b in message["buttons"]]
    assert titles[0] in ("Fees-Nepal", "Fees-Philippines") and titles[0] not in message["text"]


async def test_an_unreachable_knowledge_base_says_so(monkeypatch, make_tracker, dispatcher):
    factory = session_factory(make_engine("postgresql+psycopg2://nobody@127.0.0.1:1/closed"))
    monkeypatch.setattr(services, "published_knowledge", lambda: PublishedKnowledge(factory, 0))
    tracker = make_tracker(text="agency fees?", intent="topic_recruitment_fees", language="fr")
    [message] = await answer(dispatcher, tracker)
    assert message["text"] == expected("utter_kb_unavailable", "fr")


async def test_pre_departure_answers_link_to_the_printable_checklist(
    knowledge, make_tracker, dispatcher, monkeypatch
):
    import dataclasses

    from knowledge.settings import load_settings

    configured = dataclasses.replace(load_settings({}), public_url="https://assistant.example.org")
    monkeypatch.setattr(services, "settings", lambda: configured)
    tracker = make_tracker(text="/topic_predeparture", intent="topic_predeparture", language="ne")
    messages = await answer(dispatcher, tracker)
    assert messages[-1]["text"] == expected(
        "utter_checklist_link",
        "ne",
        checklist_url="https://assistant.example.org/checklist?language=ne",
    )
