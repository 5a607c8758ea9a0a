"""Storing the knowledge base: migrations, ingestion, loading entries as revisions, the
unanswered-questions log. Each test runs on SQLite and on PostgreSQL."""

import copy
import datetime
from pathlib import Path
from typing import Any, Dict, Text

import pytest
import yaml
from sqlalchemy import func, inspect, select

from knowledge.db import make_engine, upgrade
from knowledge.entries import EntryFileError
from knowledge.models import (
    PUBLISHED,
    SUPERSEDED,
    Document,
    Entry,
    EntryRevision,
    Passage,
    Publication,
    UnansweredQuestion,
)
from knowledge.published import read_snapshot
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.store import (
    IngestError,
    content_version,
    ingest_documents,
    load_entries,
    record_unanswered,
    strip_personal_data,
)
from tests.conftest import SETTINGS

# 001 §1, as the document words it (quoted with the typographic apostrophe it uses).
# 001 §50, its last paragraph.
LAST_QUOTE = "Des ressources additionnelles permettraient au Bureau de répondre à davantage"
MISSION_QUOTE = "L’OIT a pour mission, en vertu de sa Constitution, de protéger les travailleurs"


def entry(slug: Text, **changes: Any) -> Dict[Text, Any]:
    texts = {
        language: {
            "title": f"Agencies and fees ({language})",
            "questions": [f"may the agency charge me {slug}", f"agency fee legal {slug}"],
            "answer": f"No: agencies may not charge workers fees ({language}).",
        }
        for language in SUPPORTED_LANGUAGES
    }
    raw = {
        "id": slug,
        "countries": ["all"],
        "review": {
            "status": "reviewed",
            "reviewer": "Test reviewer",
            "date": datetime.date(2026, 12, 1),
        },
        "citations": [
            {"document": "001", "quote": MISSION_QUOTE},
            {"reference": "ilo-c181-art7"},
        ],
        "related": [],
        "texts": texts,
    }
    raw.update(changes)
    return raw


def write_entries(folder: Path, *entries: Dict[Text, Any], topic: Text = "recruitment_fees"):
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"topic": topic, "entries": list(entries)}, allow_unicode=True)
    (folder / f"{topic}.yml").write_text(text, encoding="utf-8")
    return folder


def copy_documents(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in SETTINGS.documents_dir.glob("*.txt"):
        (target / path.name).write_bytes(path.read_bytes())
    return target


def count(sessions, model) -> int:
    with sessions() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_migrations_create_every_table_and_can_be_repeated(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {
        "documents",
        "passages",
        "entries",
        "entry_revisions",
        "revision_texts",
        "citations",
        "external_references",
        "publications",
        "unanswered_questions",
        "alembic_version",
    } <= tables


def test_ingesting_twice_adds_nothing_the_second_time(sessions):
    first = ingest_documents(sessions, SETTINGS.documents_dir)
    passages = count(sessions, Passage)
    second = ingest_documents(sessions, SETTINGS.documents_dir)
    assert sorted(first.ingested) == ["000", "001", "002", "003", "004"]
    assert second.ingested == [] and sorted(second.unchanged) == sorted(first.ingested)
    assert count(sessions, Passage) == passages > 100
    assert count(sessions, Document) == 5


@pytest.mark.parametrize(
    "broken",
    [
        b"",
        b"   \n\n  ",
        b"\x00\x01\x02binary\x00" * 50,
        "Migration et d\xe9veloppement".encode("latin-1"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_a_broken_document_is_named_and_changes_nothing(sessions, tmp_path, broken):
    folder = copy_documents(tmp_path / "documents")
    ingest_documents(sessions, folder)
    passages = count(sessions, Passage)
    with sessions() as session:
        before = session.execute(select(Document.code, Document.sha256)).all()
    (folder / "005_broken.txt").write_bytes(broken)
    (folder / "001_1f701b8efe1d1d64.txt").write_text("1. Un paragraphe changé.\n", "utf-8")
    with pytest.raises(IngestError, match="005_broken.txt"):
        ingest_documents(sessions, folder)
    with sessions() as session:
        assert session.execute(select(Document.code, Document.sha256)).all() == before
    assert count(sessions, Passage) == passages


def test_loading_entries_twice_creates_one_revision(sessions, tmp_path):
    ingest_documents(sessions, SETTINGS.documents_dir)
    folder = write_entries(tmp_path / "entries", entry("fees-agency"), entry("fees-other"))
    first = load_entries(sessions, folder, SETTINGS.references_file)
    second = load_entries(sessions, folder, SETTINGS.references_file)
    assert sorted(first.created) == ["fees-agency", "fees-other"]
    assert second.created == second.updated == [] and len(second.unchanged) == 2
    assert count(sessions, EntryRevision) == 2
    assert count(sessions, Publication) == 2


def test_a_changed_entry_is_a_new_revision_and_the_old_one_is_kept(sessions, tmp_path):
    ingest_documents(sessions, SETTINGS.documents_dir)
    original = entry("fees-agency")
    folder = write_entries(tmp_path / "entries", original)
    load_entries(sessions, folder, SETTINGS.references_file)
    with sessions() as session:
        version = content_version(session)
    changed = copy.deepcopy(original)
    changed["texts"]["en"]["answer"] = "No. The employer pays the costs of recruitment."
    write_entries(folder, changed)
    report = load_entries(sessions, folder, SETTINGS.references_file)
    assert report.updated == ["fees-agency"]
    with sessions() as session:
        revisions = (
            session.execute(select(EntryRevision).order_by(EntryRevision.number)).scalars().all()
        )
        assert [(r.number, r.status) for r in revisions] == [(1, SUPERSEDED), (2, PUBLISHED)]
        old_en = next(t for t in revisions[0].texts if t.language == "en")
        assert old_en.answer == "No: agencies may not charge workers fees (en)."
        current = session.execute(select(Entry)).scalar_one().published_revision
        assert current.number == 2
        assert content_version(session) > version
        snapshot = read_snapshot(session)
    assert snapshot.entries["fees-agency"].texts["en"].answer.startswith("No. The employer")
    assert snapshot.entries["fees-agency"].sources == (
        "ILO, GB.301/4, 2008, §1",
        "ILO Convention 181 (1997), art. 7",
    )


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {
                "citations": [
                    {"document": "001", "quote": "ceci ne figure nulle part dans le texte"}
                ]
            },
            "quote not found",
        ),
        ({"citations": [{"reference": "no-such-reference"}]}, "unknown reference"),
        ({"citations": [{"reference": "np-free-visa-free-ticket"}]}, "must stay unreviewed"),
        ({"countries": ["Nepal"]}, "ISO 3166-1"),
        ({"related": ["fees-missing"]}, "related 'fees-missing' is not an entry"),
        ({"id": "Fees Agency"}, "lowercase words"),
        (
            {"texts": entry("fees-good")["texts"]},
            "'may the agency charge me fees-good' is also a question of fees-good",
        ),
    ],
)
def test_an_invalid_entry_file_is_refused_and_nothing_is_loaded(
    sessions, tmp_path, change, message
):
    ingest_documents(sessions, SETTINGS.documents_dir)
    folder = write_entries(tmp_path / "entries", entry("fees-good"), entry("fees-bad", **change))
    with pytest.raises(EntryFileError, match=message):
        load_entries(sessions, folder, SETTINGS.references_file)
    assert count(sessions, Entry) == 0 and count(sessions, EntryRevision) == 0


def test_an_entry_missing_a_language_is_refused(sessions, tmp_path):
    ingest_documents(sessions, SETTINGS.documents_dir)
    incomplete = entry("fees-agency")
    del incomplete["texts"]["bn"]
    folder = write_entries(tmp_path / "entries", incomplete)
    with pytest.raises(EntryFileError, match="no text in bn"):
        load_entries(sessions, folder, SETTINGS.references_file)


def test_a_cited_paragraph_cannot_disappear_from_a_reingested_document(sessions, tmp_path):
    folder = copy_documents(tmp_path / "documents")
    ingest_documents(sessions, folder)
    last = entry("fees-agency", citations=[{"document": "001", "quote": LAST_QUOTE}])
    load_entries(sessions, write_entries(tmp_path / "entries", last), SETTINGS.references_file)
    path = next(folder.glob("001_*.txt"))
    text = path.read_text("utf-8")
    path.write_text(text[: text.index("\n50. Le Bureau répond")] + "\n", "utf-8")
    passages = count(sessions, Passage)
    with pytest.raises(IngestError, match="paragraph 50 is cited"):
        ingest_documents(sessions, folder)
    assert count(sessions, Passage) == passages


def test_unanswered_questions_are_logged_without_phone_numbers_or_emails(sessions):
    record_unanswered(
        sessions,
        "my number is +977 980-1234567, write to ram.bahadur@example.com about the visa",
        "en",
        "nlu_fallback",
        0.12,
    )
    with sessions() as session:
        row = session.execute(select(UnansweredQuestion)).scalar_one()
    assert row.text == "my number is [phone], write to [email] about the visa"
    assert (row.language, row.intent, row.status) == ("en", "nlu_fallback", "new")
    assert not hasattr(row, "sender_id")


def test_short_numbers_such_as_amounts_are_kept():
    assert strip_personal_data("agency wants 150000 rupees for 2 years") == (
        "agency wants 150000 rupees for 2 years"
    )
