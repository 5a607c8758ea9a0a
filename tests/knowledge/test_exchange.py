"""The knowledge base as files: the repository's source files in a zip archive and one
language as a .po file, out and back in, with the refusals that leave everything as it was."""

import io
import zipfile

import pytest
from babel.messages.pofile import read_po, write_po
from sqlalchemy import func, select

from knowledge import editorial, exchange
from knowledge.calculator_data import load_fee_rules
from knowledge.db import make_engine, session_factory, upgrade
from knowledge.editorial import EditorialError, StaleVersion
from knowledge.models import Publication
from knowledge.settings import load_settings
from knowledge.store import ingest_documents, load_entries

SETTINGS = load_settings({})


@pytest.fixture
def kb(sessions):
    ingest_documents(sessions, SETTINGS.documents_dir)
    load_entries(sessions, SETTINGS.entries_dir, SETTINGS.references_file)
    load_fee_rules(sessions, SETTINGS)
    return sessions


def publications(factory):
    with factory() as session:
        return session.execute(select(func.count(Publication.id))).scalar_one()


def archive(kb):
    with kb() as session:
        return exchange.export_archive(session, SETTINGS.references_file)


def test_the_archive_round_trips_into_an_empty_knowledge_base(kb, tmp_path):
    data = archive(kb)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "entries/rights.yml" in names and "fee_rules.yml" in names
    engine = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    upgrade(engine)
    copy = session_factory(engine)
    ingest_documents(copy, SETTINGS.documents_dir)
    report = exchange.import_archive(copy, data, SETTINGS.references_file, "ana", "kb.zip")
    assert len(report.created) == 61
    with kb() as original, copy() as imported:
        assert exchange.entry_files(original) == exchange.entry_files(imported)
        assert exchange.fee_rules_file(original).startswith("rules:")
    engine.dispose()


def test_an_edited_archive_changes_only_what_was_edited(kb):
    data = archive(kb)
    source = zipfile.ZipFile(io.BytesIO(data))
    edited = io.BytesIO()
    with zipfile.ZipFile(edited, "w") as target:
        for name in source.namelist():
            text = source.read(name).decode()
            if name == "entries/rights.yml":
                text = text.replace("title: Can I join a union?", "title: May I join a union?", 1)
            target.writestr(name, text)
    report = exchange.import_archive(kb, edited.getvalue(), SETTINGS.references_file, "ana")
    assert report.updated == ["rights-join-union"] and len(report.unchanged) == 60


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda data: b"not a zip", "not a zip archive"),
        (lambda data: _zip({"readme.txt": "hello"}), "no entries"),
        (
            lambda data: _zip({"entries/rights.yml": "topic: rights\nentries: [: broken"}),
            "not readable YAML",
        ),
        (
            lambda data: _replace(
                data, "entries/rights.yml", "reference: icrmw-art26", "reference: no-such"
            ),
            "unknown reference",
        ),
    ],
    ids=["not-zip", "no-entries", "bad-yaml", "bad-reference"],
)
def test_a_bad_archive_is_refused_and_nothing_changes(kb, build, message):
    before = publications(kb)
    with pytest.raises(EditorialError) as refused:
        exchange.import_archive(kb, build(archive(kb)), SETTINGS.references_file, "ana")
    assert message in str(refused.value)
    assert publications(kb) == before


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, text in files.items():
            target.writestr(name, text)
    return buffer.getvalue()


def _replace(data, member, old, new):
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {name: source.read(name).decode() for name in source.namelist()}
    assert old in files[member]
    files[member] = files[member].replace(old, new, 1)
    return _zip(files)


def po_for(kb, language):
    with kb() as session:
        return exchange.export_po(session, language)


def test_a_translators_po_file_comes_back_as_drafts(kb):
    catalog = read_po(io.BytesIO(po_for(kb, "ne")))
    titles = [m for m in catalog if m.context and m.context.endswith("|title")]
    assert len(titles) == 61 and all(m.string for m in titles)
    message = catalog.get(titles[0].id, context=titles[0].context)
    message.string = "नयाँ शीर्षक"
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    result = exchange.import_po(kb, "ne", buffer.getvalue(), "translator")
    slug = titles[0].context.split("|")[0]
    assert result["drafts"] == [slug]
    with kb() as session:
        draft = editorial.entry_detail(session, slug)["draft"]
    assert draft["texts"]["ne"]["title"] == "नयाँ शीर्षक" and draft["author"] == "translator"


def test_a_broken_po_file_is_refused_with_its_line(kb):
    broken = po_for(kb, "fr").decode().replace('msgstr "', 'msgstr_oops "', 1).encode()
    with pytest.raises(EditorialError, match="line"):
        exchange.import_po(kb, "fr", broken, "translator")
    with pytest.raises(EditorialError, match="other than English"):
        exchange.import_po(kb, "en", po_for(kb, "fr"), "translator")


def test_a_po_file_from_before_a_change_is_refused(kb):
    exported = po_for(kb, "es")
    with kb() as session:
        detail = editorial.entry_detail(session, "rights-join-union")
    text = detail["live"]["texts"]["es"]
    editorial.save_draft(
        kb, "rights-join-union", detail["version"], {"es": {**text, "title": "Otro"}}, "ana"
    )
    catalog = read_po(io.BytesIO(exported))
    for message in catalog:
        if message.context == "rights-join-union|answer":
            message.string = "Texto nuevo."
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    with pytest.raises(StaleVersion, match="changed since this file was exported"):
        exchange.import_po(kb, "es", buffer.getvalue(), "translator")
