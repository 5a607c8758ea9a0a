"""The knowledge base in and out as files, for staff:

- the whole knowledge base as the repository's own source files, in a zip archive
  (`entries/<topic>.yml` in the format of knowledge/entries/README.md, plus the
  references and the fee rules for reading); importing such an archive checks every file
  first (the same checks as `make kb`) and loads all entries or none;
- one language's titles and answers as a gettext .po file for a translator (the English
  text as msgid), and back: a file that does not parse is refused with its line number, a
  file made from an older version of an entry is refused, and all changes land as drafts
  for review in one transaction, or none do.

Ways of asking are not in the .po file: each language has its own, written by people who
speak it, not translations of the English ones."""

import datetime
import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List, Text

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from knowledge.db import transaction
from knowledge.editorial import (
    MAX_ANSWER,
    MAX_TITLE,
    STAFF,
    EditorialError,
    StaleVersion,
    copy_revision,
    open_draft,
)
from knowledge.entries import EntryFileError
from knowledge.fees import live_rules, rule_as_item
from knowledge.models import TOPICS, Entry, EntryRevision, RevisionText, utcnow
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.store import LoadReport, load_entries

MAX_ARCHIVE_BYTES = 20 * 1024 * 1024
MAX_MEMBER_BYTES = 10 * 1024 * 1024
FIELDS = ("title", "answer")


class _Literal(str):
    """A long text written as a YAML block, as in the repository's files."""


def _dumper() -> type:
    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(
        _Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style=">")
    )
    return Dumper


def _published(session: Session) -> List[Entry]:
    return list(
        session.execute(
            select(Entry)
            .where(Entry.published_revision_id.is_not(None))
            .options(
                selectinload(Entry.published_revision).selectinload(EntryRevision.texts),
                selectinload(Entry.published_revision).selectinload(EntryRevision.citations),
            )
            .order_by(Entry.slug)
        ).scalars()
    )


def entry_files(session: Session) -> Dict[Text, Text]:
    """The published entries as the repository's files: {"rights.yml": text, …}."""
    by_topic: Dict[Text, List[Dict[Text, Any]]] = {topic: [] for topic in TOPICS}
    for entry in _published(session):
        revision = entry.published_revision
        review: Dict[Text, Any] = {"status": revision.review_status}
        if revision.reviewer:
            review["reviewer"] = revision.reviewer
        if revision.reviewed_on:
            review["date"] = revision.reviewed_on
        citations = []
        for citation in revision.citations:
            if citation.reference is not None:
                citations.append({"reference": citation.reference.key})
            else:
                citations.append(
                    {"document": citation.passage.document.code, "quote": citation.quote}
                )
        by_topic[entry.topic].append(
            {
                "id": entry.slug,
                "countries": list(revision.countries),
                "review": review,
                "citations": citations,
                "related": list(revision.related),
                "texts": {
                    t.language: {
                        "title": t.title,
                        "questions": list(t.questions),
                        "answer": _Literal(t.answer),
                    }
                    for t in sorted(
                        revision.texts, key=lambda t: SUPPORTED_LANGUAGES.index(t.language)
                    )
                },
            }
        )
    return {
        f"{topic}.yml": yaml.dump(
            {"topic": topic, "entries": entries},
            Dumper=_dumper(),
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        for topic, entries in by_topic.items()
        if entries
    }


def fee_rules_file(session: Session) -> Text:
    """The live fee rules in the format of knowledge/fee_rules.yml."""
    rules = {rule.key: rule_as_item(rule) for rule in live_rules(session)}
    return yaml.safe_dump({"rules": rules}, allow_unicode=True, sort_keys=False, width=100)


def export_archive(session: Session, references_file: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entry_files(session).items():
            archive.writestr(f"entries/{name}", text)
        archive.writestr("references.yml", references_file.read_text(encoding="utf-8"))
        archive.writestr("fee_rules.yml", fee_rules_file(session))
    return buffer.getvalue()


def import_archive(
    factory: sessionmaker, data: bytes, references_file: Path, author: Text, name: Text = "upload"
) -> LoadReport:
    """Load the entry files of an exported (and edited) archive: every file is checked
    first; every entry lands as a new published revision, or nothing does."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise EditorialError(f"The file is larger than {MAX_ARCHIVE_BYTES // 2**20} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        raise EditorialError("The file is not a zip archive exported from this app.") from None
    entries = [
        m
        for m in members
        if PurePosixPath(m.filename).parent.name == "entries" and m.filename.endswith(".yml")
    ]
    if not entries:
        raise EditorialError("The archive has no entries/<topic>.yml files.")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "entries"
        target.mkdir()
        for member in entries:
            if member.file_size > MAX_MEMBER_BYTES:
                raise EditorialError(f"{member.filename} is too large.")
            # Only the file's own name is used: no path from the archive is trusted.
            (target / PurePosixPath(member.filename).name).write_bytes(archive.read(member))
        try:
            return load_entries(
                factory, target, references_file, author=author, origin=f"import:{name[:100]}"
            )
        except EntryFileError as refused:
            raise EditorialError(
                "The archive was not imported:\n" + "\n".join(refused.problems)
            ) from None


# --- one language as a .po file ------------------------------------------------------------
def export_po(session: Session, language: Text) -> bytes:
    if language not in SUPPORTED_LANGUAGES or language == "en":
        raise EditorialError("Choose one of the languages other than English.")
    catalog = Catalog(
        locale="fil" if language == "tl" else language,
        project="Migrant worker assistant: knowledge base",
        creation_date=datetime.datetime.now(datetime.timezone.utc),
    )
    for entry in _published(session):
        texts = {t.language: t for t in entry.published_revision.texts}
        if "en" not in texts:
            continue
        for field in FIELDS:
            catalog.add(
                getattr(texts["en"], field),
                string=getattr(texts[language], field) if language in texts else "",
                context=f"{entry.slug}|{field}",
                auto_comments=[f"entry {entry.slug}, version {entry.version}, {field}"],
            )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False)
    return buffer.getvalue()


def _versions(catalog: Catalog) -> Dict[Text, int]:
    versions: Dict[Text, int] = {}
    for message in catalog:
        for comment in message.auto_comments:
            parts = comment.replace(",", "").split()
            if len(parts) >= 4 and parts[0] == "entry" and parts[2] == "version":
                versions[parts[1]] = int(parts[3])
    return versions


def import_po(factory: sessionmaker, language: Text, data: bytes, author: Text) -> Dict[Text, Any]:
    """Translations back from a .po file, as drafts for review, all or nothing."""
    if language not in SUPPORTED_LANGUAGES or language == "en":
        raise EditorialError("Choose one of the languages other than English.")
    if len(data) > MAX_ARCHIVE_BYTES:
        raise EditorialError("The file is too large.")
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as error:
        line = getattr(error, "lineno", None)
        reason = str(error).rsplit(" on ", 1)[0]
        raise EditorialError(f"The .po file is broken at line {line}: {reason}.") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise EditorialError(f"The .po file cannot be read: {error}") from None
    problems: List[Text] = []
    changes: Dict[Text, Dict[Text, Text]] = {}
    for message in catalog:
        if not message.id:
            continue
        where = f"line {message.lineno}"
        context = message.context or ""
        slug, _, field = context.partition("|")
        if field not in FIELDS:
            problems.append(f"{where}: msgctxt {context!r} is not 'entry|title' or 'entry|answer'")
            continue
        text = (message.string or "").strip()
        if not text or message.fuzzy:
            continue  # not translated yet: left as it is
        limit = MAX_TITLE if field == "title" else MAX_ANSWER
        if len(text) > limit:
            problems.append(f"{where}: the {field} of {slug} is longer than {limit} characters")
            continue
        changes.setdefault(slug, {})[field] = text
    versions = _versions(catalog)
    with transaction(factory) as session:
        entries = {
            e.slug: e
            for e in session.execute(
                select(Entry)
                .where(Entry.slug.in_(list(changes)))
                .options(selectinload(Entry.published_revision).selectinload(EntryRevision.texts))
            ).scalars()
        }
        for slug in changes:
            if slug not in entries:
                problems.append(f"entry {slug!r} does not exist")
            elif versions.get(slug) is not None and versions[slug] != entries[slug].version:
                problems.append(
                    f"entry {slug!r} changed since this file was exported (version "
                    f"{entries[slug].version}, the file has {versions[slug]}): export it again"
                )
        if problems:
            error = StaleVersion if all("changed since" in p for p in problems) else EditorialError
            raise error("The file was not imported, nothing changed:\n" + "\n".join(problems))
        drafted = []
        for slug, fields in sorted(changes.items()):
            entry = entries[slug]
            draft = open_draft(session, entry)
            current = {t.language: t for t in (draft or entry.published_revision).texts}
            existing = current.get(language)
            if existing is not None and all(getattr(existing, f) == v for f, v in fields.items()):
                continue
            if draft is None:
                draft = copy_revision(session, entry, entry.published_revision, author, STAFF)
                current = {t.language: t for t in draft.texts}
            row = current.get(language)
            if row is None:
                english = current["en"]
                row = RevisionText(
                    language=language,
                    title=english.title,
                    questions=list(english.questions),
                    answer=english.answer,
                )
                draft.texts.append(row)
            for field, value in fields.items():
                setattr(row, field, value)
            draft.status, draft.author, draft.created_at = "draft", author, utcnow()
            entry.version += 1
            drafted.append(slug)
        return {"drafts": drafted, "language": language}
