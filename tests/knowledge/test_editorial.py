"""The staff workflow on entries (SQLite and PostgreSQL): drafts, review by a colleague,
publishing that the bot sees, sending back, optimistic locking, history and rollback, the
unanswered-questions inbox, and the entry files not overwriting staff changes."""

import pytest

from knowledge import editorial
from knowledge.editorial import EditorialError, Forbidden, NotFound, StaleVersion
from knowledge.models import UnansweredQuestion
from knowledge.published import read_snapshot
from knowledge.settings import load_settings
from knowledge.store import ingest_documents, load_entries, record_unanswered

SETTINGS = load_settings({})
SLUG = "fees-employer-pays"


@pytest.fixture
def kb(sessions):
    ingest_documents(sessions, SETTINGS.documents_dir)
    load_entries(sessions, SETTINGS.entries_dir, SETTINGS.references_file)
    return sessions


def detail(kb, slug=SLUG):
    with kb() as session:
        return editorial.entry_detail(session, slug)


def english(kb, slug=SLUG, **changes):
    current = detail(kb, slug)["live"]["texts"]["en"]
    return {"en": {**current, **changes}}


def live_answer(kb, slug=SLUG, language="en"):
    with kb() as session:
        return read_snapshot(session).entries[slug].texts[language].answer


def test_a_draft_is_invisible_until_a_colleague_publishes_it(kb):
    before = detail(kb)
    assert before["slug"] == SLUG and before["draft"] is None and before["missing"] == []
    old_answer = before["live"]["texts"]["en"]["answer"]
    saved = editorial.save_draft(
        kb, SLUG, before["version"], english(kb, answer="New answer."), "ana"
    )
    assert saved["version"] == before["version"] + 1
    assert live_answer(kb) == old_answer  # the bot still says the old one
    after = detail(kb)
    assert after["draft"]["texts"]["en"]["answer"] == "New answer."
    added = "".join(text for op, text in after["diff"]["en"]["answer"] if op != "-")
    assert added == "New answer."
    with pytest.raises(Forbidden, match="colleague"):
        editorial.publish_draft(kb, SLUG, saved["draft"], saved["version"], "ana")
    published = editorial.publish_draft(kb, SLUG, saved["draft"], saved["version"], "ben")
    assert live_answer(kb) == "New answer."
    assert published["version"] == saved["version"] + 1
    assert detail(kb)["draft"] is None


def test_the_second_save_on_the_same_version_is_refused_and_nothing_is_lost(kb):
    version = detail(kb)["version"]
    editorial.save_draft(kb, SLUG, version, english(kb, answer="First editor."), "ana")
    with pytest.raises(StaleVersion) as refused:
        editorial.save_draft(kb, SLUG, version, english(kb, answer="Second editor."), "ben")
    assert "changed by ana" in str(refused.value) and refused.value.status == 409
    assert detail(kb)["draft"]["texts"]["en"]["answer"] == "First editor."


def test_sent_back_with_a_comment_then_edited_again(kb):
    version = detail(kb)["version"]
    saved = editorial.save_draft(kb, SLUG, version, english(kb, answer="Too short."), "ana")
    returned = editorial.return_draft(
        kb, SLUG, saved["draft"], saved["version"], "ben", "Add the source."
    )
    draft = detail(kb)["draft"]
    assert draft["status"] == "returned" and draft["comment"] == "ben: Add the source."
    again = editorial.save_draft(
        kb, SLUG, returned["version"], english(kb, answer="Longer."), "ana"
    )
    assert again["draft"] == saved["draft"] and detail(kb)["draft"]["status"] == "draft"
    with editorial_session(kb) as session:
        waiting = editorial.drafts_waiting(session)
    assert [(w["slug"], w["number"]) for w in waiting] == [(SLUG, saved["draft"])]


def editorial_session(kb):
    return kb()


def test_history_keeps_every_version_and_rollback_is_one_step(kb):
    first_answer = live_answer(kb)
    version = detail(kb)["version"]
    saved = editorial.save_draft(kb, SLUG, version, english(kb, answer="Changed."), "ana")
    published = editorial.publish_draft(kb, SLUG, saved["draft"], saved["version"], "ben")
    with kb() as session:
        revisions = editorial.history(session, SLUG)
    assert [r["number"] for r in revisions] == [2, 1]
    assert revisions[0]["live"] and revisions[0]["published_by"] == "ben"
    before = "".join(text for op, text in revisions[0]["diff"]["en"]["answer"] if op != "+")
    assert before == first_answer
    rolled = editorial.rollback(kb, SLUG, 1, published["version"], "ben")
    assert rolled["published"] == 3 and live_answer(kb) == first_answer
    with pytest.raises(EditorialError, match="already the live one"):
        editorial.rollback(kb, SLUG, 3, rolled["version"], "ben")
    with pytest.raises(NotFound):
        editorial.rollback(kb, SLUG, 99, rolled["version"], "ben")


def test_bad_texts_are_refused_with_every_problem(kb):
    version = detail(kb)["version"]
    with pytest.raises(EditorialError) as refused:
        editorial.save_draft(
            kb,
            SLUG,
            version,
            {
                "en": {"title": "", "questions": ["a", "A"], "answer": "x" * 5000},
                "xx": {"title": "t", "questions": ["q"], "answer": "a"},
            },
            "ana",
        )
    message = str(refused.value)
    assert "title must have" in message and "answer must have" in message
    assert "twice" in message and "'xx' is not one of the languages" in message
    assert detail(kb)["version"] == version and detail(kb)["draft"] is None
    with pytest.raises(EditorialError, match="version"):
        editorial.save_draft(kb, SLUG, "3", english(kb), "ana")
    with pytest.raises(NotFound):
        editorial.save_draft(kb, "no-such-entry", 1, english(kb), "ana")


def test_markup_is_stored_as_text(kb):
    version = detail(kb)["version"]
    script = "<script>alert('x')</script> & <b>bold</b>"
    editorial.save_draft(kb, SLUG, version, english(kb, answer=script), "ana")
    assert detail(kb)["draft"]["texts"]["en"]["answer"] == script


def test_the_entry_files_do_not_overwrite_what_staff_published(kb):
    version = detail(kb)["version"]
    saved = editorial.save_draft(kb, SLUG, version, english(kb, answer="Staff answer."), "ana")
    editorial.publish_draft(kb, SLUG, saved["draft"], saved["version"], "ben")
    report = load_entries(kb, SETTINGS.entries_dir, SETTINGS.references_file)
    assert SLUG in report.kept and SLUG not in report.updated
    assert live_answer(kb) == "Staff answer."


def test_listing_and_filters(kb):
    with kb() as session:
        everything = editorial.list_entries(session)
        fees = editorial.list_entries(session, topic="recruitment_fees")
        unreviewed = editorial.list_entries(session, review_status="unreviewed")
        nepal = editorial.list_entries(session, country="NP")
        found = editorial.list_entries(session, query="passport", language="en")
        missing = editorial.list_entries(session, missing="ne")
    assert len(everything) == 61 and all(row["topic"] == "recruitment_fees" for row in fees)
    assert len(unreviewed) == 6 and any(row["slug"] == "fees-np-free-visa-ticket" for row in nepal)
    assert found and all(row["slug"] for row in found)
    assert missing == []  # every entry has all eight languages


def test_the_unanswered_inbox_groups_counts_and_closes(kb):
    for text in ("Visa for Mars?", "visa  for mars?", "What about Mars?"):
        record_unanswered(kb, text, "en")
    record_unanswered(kb, "मंगल ग्रह भिसा?", "ne")
    with kb() as session:
        groups = editorial.unanswered_groups(session)
    assert groups[0]["count"] == 2 and groups[0]["language"] == "en"
    assert editorial.close_unanswered(kb, groups[0]["ids"], "dismissed") == 2
    with kb() as session:
        assert len(editorial.unanswered_groups(session)) == 2
        assert session.query(UnansweredQuestion).filter_by(status="dismissed").count() == 2
    with pytest.raises(EditorialError):
        editorial.close_unanswered(kb, ["1"], "dismissed")
    with pytest.raises(NotFound):
        editorial.close_unanswered(kb, [999999], "done")


def test_an_unanswered_question_becomes_a_way_of_asking(kb):
    version = detail(kb)["version"]
    saved = editorial.add_phrasing(
        kb, SLUG, version, "en", "who pays my agency, me or the boss?", "ana"
    )
    assert "who pays my agency, me or the boss?" in detail(kb)["draft"]["texts"]["en"]["questions"]
    assert saved["version"] == version + 1


def test_a_new_entry_from_an_unanswered_question(kb):
    text = {
        "title": "Taking a pet abroad",
        "questions": ["can i take my cat to qatar"],
        "answer": "Ask the embassy of the country you go to which papers a pet needs.",
    }
    created = editorial.create_entry(
        kb, "predeparture-pets", "predeparture", "en", text, ["gcm-objective-6"], "ana"
    )
    assert created == {"slug": "predeparture-pets", "draft": 1, "version": 1}
    with kb() as session:
        detail = editorial.entry_detail(session, "predeparture-pets")
        assert "predeparture-pets" not in read_snapshot(session).entries
    assert detail["live"] is None and detail["draft"]["texts"]["en"]["title"] == text["title"]
    assert detail["missing"] == ["fr", "es", "ar", "ne", "tl", "bn", "id"]
    editorial.publish_draft(kb, "predeparture-pets", 1, 1, "ben")
    with kb() as session:
        snapshot = read_snapshot(session)
    assert snapshot.entries["predeparture-pets"].texts["en"].answer == text["answer"]
    for bad, message in (
        (("Bad Slug", "predeparture", ["gcm-objective-6"]), "lowercase"),
        (("predeparture-pets", "predeparture", ["gcm-objective-6"]), "already"),
        (("pets-two", "astrology", ["gcm-objective-6"]), "topic"),
        (("pets-three", "predeparture", ["no-such-source"]), "Unknown sources"),
        (("pets-four", "predeparture", []), "cite at least one source"),
    ):
        slug, topic, references = bad
        with pytest.raises(EditorialError, match=message):
            editorial.create_entry(kb, slug, topic, "en", text, references, "ana")
