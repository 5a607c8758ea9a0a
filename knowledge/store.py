"""Writing to the knowledge base: ingesting the source documents, loading the curated
entries as new revisions, publishing, and the unanswered-questions log. Each command
works in one transaction: it all lands, or nothing does."""

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from knowledge import ingest
from knowledge.db import transaction
from knowledge.entries import EntryFileError, EntrySource, read_entry_files, read_references
from knowledge.models import (
    PUBLISHED,
    SUPERSEDED,
    Citation,
    Document,
    Entry,
    EntryRevision,
    ExternalReference,
    Passage,
    Publication,
    RevisionText,
    UnansweredQuestion,
    utcnow,
)
from knowledge.privacy import strip_personal_data

logger = logging.getLogger(__name__)

FILE_IMPORT = "file import"


@dataclass
class IngestReport:
    ingested: List[Text] = field(default_factory=list)
    unchanged: List[Text] = field(default_factory=list)
    passages: int = 0


@dataclass
class LoadReport:
    created: List[Text] = field(default_factory=list)
    updated: List[Text] = field(default_factory=list)
    unchanged: List[Text] = field(default_factory=list)
    # Entries staff have changed in the web app: the file does not overwrite them.
    kept: List[Text] = field(default_factory=list)


class IngestError(ValueError):
    """The documents could not be ingested; the knowledge base was left as it was."""


def quote_key(text: Text) -> Text:
    """What a quote and a passage are compared on: letters and digits only, lower case, no
    accents, so line breaks, hyphenation and typographic apostrophes do not matter."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "", text)


# --- documents ---------------------------------------------------------------------------


def ingest_documents(factory: sessionmaker, documents_dir: Path) -> IngestReport:
    """Parse every document, then store them all in one transaction. A document that
    cannot be parsed stops the whole ingestion before anything is written."""
    parsed: List[Tuple[Path, Text, Text, List[ingest.Passage]]] = []
    problems: List[Text] = []
    paths = sorted(documents_dir.glob("[0-9][0-9][0-9]_*.txt"))
    if not paths:
        raise IngestError(f"no documents (NNN_*.txt) in {documents_dir}")
    for path in paths:
        try:
            code = ingest.document_code(path)
            if code not in ingest.DOCUMENTS:
                raise ingest.DocumentError(f"{path.name}: no metadata for document {code}")
            text = ingest.read_document(path)
            passages = ingest.parse_document(code, text)
        except ingest.DocumentError as error:
            problems.append(str(error) if path.name in str(error) else f"{path.name}: {error}")
            continue
        # The passages are part of the digest: a better parser re-ingests an unchanged file.
        digest = hashlib.sha256(path.read_bytes() + repr(passages).encode("utf-8")).hexdigest()
        parsed.append((path, code, digest, passages))
    if problems:
        raise IngestError("not ingested, nothing changed:\n" + "\n".join(problems))
    report = IngestReport()
    with transaction(factory) as session:
        for path, code, digest, passages in parsed:
            _store_document(session, path, code, digest, passages, report)
    return report


def _store_document(
    session: Session,
    path: Path,
    code: Text,
    digest: Text,
    passages: Sequence[ingest.Passage],
    report: IngestReport,
) -> None:
    info = ingest.DOCUMENTS[code]
    document = session.execute(select(Document).filter_by(code=code)).scalar_one_or_none()
    if document is not None and document.sha256 == digest:
        report.unchanged.append(code)
        return
    if document is None:
        document = Document(code=code)
        session.add(document)
    document.title, document.reference, document.short = info.title, info.reference, info.short
    document.publisher, document.language = info.publisher, info.language
    document.file_name, document.sha256, document.ingested_at = path.name, digest, utcnow()
    session.flush()
    existing = {p.paragraph: p for p in document.passages}
    labels = set()
    for item in passages:
        labels.add(item.paragraph)
        passage = existing.get(item.paragraph)
        if passage is None:
            passage = Passage(document_id=document.id, paragraph=item.paragraph)
            session.add(passage)
        passage.position, passage.section = item.position, item.section
        passage.kind, passage.text = item.kind, item.text
    for label, passage in existing.items():
        if label in labels:
            continue
        cited = session.execute(
            select(func.count(Citation.id)).filter_by(passage_id=passage.id)
        ).scalar_one()
        if cited:
            raise IngestError(
                f"{path.name}: paragraph {label} is cited by curated entries and no longer "
                "exists in the document; nothing changed"
            )
        session.delete(passage)
    report.ingested.append(code)
    report.passages += len(passages)


# --- curated entries ---------------------------------------------------------------------


def load_entries(
    factory: sessionmaker,
    entries_dir: Path,
    references_file: Path,
    author: Text = FILE_IMPORT,
    origin: Optional[Text] = None,
) -> LoadReport:
    """Load the entry files: a new or changed entry becomes a new published revision, an
    unchanged one is left alone (loading twice changes nothing). The repository's files
    (no `origin`) do not overwrite an entry staff changed in the web app; files staff
    import there (`origin` "import: …") do."""
    references = read_references(references_file)
    entries = read_entry_files(entries_dir, references)
    report = LoadReport()
    with transaction(factory) as session:
        stored_references = _store_references(session, references)
        passages = _passages_by_document(session)
        problems: List[Text] = []
        resolved = {
            entry.slug: _resolve_citations(entry, passages, stored_references, problems)
            for entry in entries
        }
        if problems:
            raise EntryFileError(problems)
        for entry in entries:
            if origin is not None:
                entry = EntrySource(**{**entry.__dict__, "origin": origin})
            _store_entry(session, entry, resolved[entry.slug], author, report)
    return report


def _store_references(
    session: Session, references: Mapping[Text, Mapping[Text, Any]]
) -> Dict[Text, ExternalReference]:
    stored = {r.key: r for r in session.execute(select(ExternalReference)).scalars()}
    for key, item in references.items():
        reference = stored.get(key)
        if reference is None:
            reference = stored[key] = ExternalReference(key=key)
            session.add(reference)
        reference.short, reference.full = str(item["short"]), " ".join(str(item["full"]).split())
        reference.needs_check = bool(item["check"])
    session.flush()
    return stored


def _passages_by_document(session: Session) -> Dict[Text, List[Tuple[Text, Passage]]]:
    rows = session.execute(
        select(Passage, Document.code).join(Document).order_by(Document.code, Passage.position)
    ).all()
    by_document: Dict[Text, List[Tuple[Text, Passage]]] = {}
    for passage, code in rows:
        by_document.setdefault(code, []).append((quote_key(passage.text), passage))
    return by_document


def _resolve_citations(
    entry: EntrySource,
    passages: Mapping[Text, List[Tuple[Text, Passage]]],
    references: Mapping[Text, ExternalReference],
    problems: List[Text],
) -> List[Citation]:
    citations = []
    for position, source in enumerate(entry.citations):
        if source.reference:
            citations.append(Citation(position=position, reference=references[source.reference]))
            continue
        if source.document not in passages:
            problems.append(
                f"{entry.origin}: {entry.slug}: document {source.document} is not ingested "
                "(run `python -m knowledge ingest` first)"
            )
            continue
        key = quote_key(source.quote or "")
        found = [p for text, p in passages[source.document] if key and key in text]
        if not found:
            problems.append(
                f"{entry.origin}: {entry.slug}: quote not found in one paragraph of document "
                f"{source.document}: {source.quote!r}"
            )
            continue
        citations.append(Citation(position=position, passage=found[0], quote=source.quote))
    return citations


def _content_of_source(entry: EntrySource, citations: Sequence[Citation]) -> Dict[Text, Any]:
    texts = [(language, t.title, t.questions, t.answer) for language, t in entry.texts.items()]
    review = (entry.review_status, entry.reviewer, entry.reviewed_on)
    return _content(entry.topic, entry.countries, review, entry.related, citations, texts)


def _content_of_revision(entry: Entry, revision: EntryRevision) -> Dict[Text, Any]:
    texts = [(t.language, t.title, t.questions, t.answer) for t in revision.texts]
    review = (revision.review_status, revision.reviewer, revision.reviewed_on)
    return _content(
        entry.topic, revision.countries, review, revision.related, revision.citations, texts
    )


def _content(topic, countries, review, related, citations, texts) -> Dict[Text, Any]:
    """What an entry says, in one comparable shape, whether from a file or a revision."""
    return {
        "topic": topic,
        "countries": list(countries),
        "review": list(review),
        "related": list(related),
        "citations": [_citation_key(c) for c in citations],
        "texts": {
            language: [title, list(questions), answer]
            for language, title, questions, answer in sorted(texts)
        },
    }


def _citation_key(citation: Citation) -> Tuple[Any, ...]:
    if citation.reference is not None:
        return ("reference", citation.reference.key)
    return ("passage", citation.passage.id, citation.quote)


def _store_entry(
    session: Session,
    source: EntrySource,
    citations: List[Citation],
    author: Text,
    report: LoadReport,
) -> None:
    entry = session.execute(
        select(Entry).filter_by(slug=source.slug).options(selectinload(Entry.published_revision))
    ).scalar_one_or_none()
    if entry is None:
        entry = Entry(slug=source.slug, topic=source.topic)
        session.add(entry)
        session.flush()
        report.created.append(source.slug)
    elif entry.published_revision is not None and _content_of_revision(
        entry, entry.published_revision
    ) == _content_of_source(source, citations):
        report.unchanged.append(source.slug)
        return
    elif (
        entry.published_revision is not None
        and source.origin.startswith("file:")
        and not entry.published_revision.origin.startswith("file:")
    ):
        # Staff changed this entry in the web app since: their version stays live.
        report.kept.append(source.slug)
        return
    else:
        entry.topic = source.topic
        report.updated.append(source.slug)
    number = (
        session.execute(
            select(func.max(EntryRevision.number)).filter_by(entry_id=entry.id)
        ).scalar_one()
        or 0
    ) + 1
    revision = EntryRevision(
        entry_id=entry.id,
        number=number,
        review_status=source.review_status,
        reviewer=source.reviewer,
        reviewed_on=source.reviewed_on,
        countries=list(source.countries),
        related=list(source.related),
        author=author,
        origin=source.origin,
        texts=[
            RevisionText(
                language=language, title=t.title, questions=list(t.questions), answer=t.answer
            )
            for language, t in sorted(source.texts.items())
        ],
        citations=citations,
    )
    session.add(revision)
    session.flush()
    publish_revision(session, entry, revision, author)


def publish_revision(
    session: Session, entry: Entry, revision: EntryRevision, published_by: Text
) -> None:
    """Make `revision` the live one; the previous live revision is kept as superseded."""
    if entry.published_revision is not None and entry.published_revision is not revision:
        entry.published_revision.status = SUPERSEDED
    revision.status = PUBLISHED
    revision.published_at = utcnow()
    entry.published_revision = revision
    session.add(Publication(entry_id=entry.id, revision_id=revision.id, published_by=published_by))
    session.flush()


def content_version(session: Session) -> int:
    """Changes whenever anything is published; 0 for an empty knowledge base."""
    return session.execute(select(func.max(Publication.id))).scalar_one() or 0


# --- unanswered questions ----------------------------------------------------------------

UNANSWERED_MAX = 500


def record_unanswered(
    factory: sessionmaker,
    text: Text,
    language: Text,
    intent: Optional[Text] = None,
    best_score: Optional[float] = None,
) -> None:
    """Log a question nobody answered, without who asked it."""
    cleaned = strip_personal_data(" ".join(text.split()))[:UNANSWERED_MAX]
    if not cleaned:
        return
    with transaction(factory) as session:
        session.add(
            UnansweredQuestion(
                text=cleaned, language=language, intent=intent, best_score=best_score
            )
        )
