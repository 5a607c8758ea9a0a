"""The published knowledge the bot answers from, read from the database and kept in
memory; it is read again within seconds of anything being published, with no restart."""

import logging
import threading
import time
from typing import List, Optional, Text

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from knowledge.models import Citation, Document, Entry, EntryRevision, Passage
from knowledge.retrieval import DocumentPassage, EntryText, PublishedEntry, Snapshot
from knowledge.store import content_version

logger = logging.getLogger(__name__)


class KnowledgeUnavailable(RuntimeError):
    """The database cannot be read and nothing was read from it before."""


def passage_citation(document_short: Text, paragraph: Text) -> Text:
    """ "ILO, GB.301/4, 2008, §21"; labels that are not numbers are shown as they are."""
    label = f"§{paragraph}" if paragraph[:1].isdigit() else paragraph
    return f"{document_short}, {label}"


def citation_text(citation: Citation) -> Text:
    if citation.reference is not None:
        return citation.reference.short
    passage = citation.passage
    return passage_citation(passage.document.short, passage.paragraph)


def read_snapshot(session: Session) -> Snapshot:
    version = content_version(session)
    entries = session.execute(
        select(Entry)
        .where(Entry.published_revision_id.is_not(None))
        .options(
            selectinload(Entry.published_revision).selectinload(EntryRevision.texts),
            selectinload(Entry.published_revision)
            .selectinload(EntryRevision.citations)
            .selectinload(Citation.passage)
            .selectinload(Passage.document),
            selectinload(Entry.published_revision)
            .selectinload(EntryRevision.citations)
            .selectinload(Citation.reference),
        )
        .order_by(Entry.id)
    ).scalars()
    published: List[PublishedEntry] = []
    for entry in entries:
        revision = entry.published_revision
        sources: List[Text] = []
        for citation in revision.citations:
            text = citation_text(citation)
            if text not in sources:
                sources.append(text)
        published.append(
            PublishedEntry(
                slug=entry.slug,
                topic=entry.topic,
                countries=tuple(revision.countries),
                review_status=revision.review_status,
                related=tuple(revision.related),
                texts={
                    t.language: EntryText(t.title, tuple(t.questions), t.answer)
                    for t in revision.texts
                },
                sources=tuple(sources),
            )
        )
    rows = session.execute(
        select(Passage, Document.short)
        .join(Document)
        .where(Passage.kind == "body")
        .order_by(Document.code, Passage.position)
    ).all()
    passages = [
        DocumentPassage(
            document=short,
            paragraph=passage.paragraph,
            section=passage.section,
            text=passage.text,
            citation=passage_citation(short, passage.paragraph),
        )
        for passage, short in rows
    ]
    return Snapshot(version, published, passages)


class PublishedKnowledge:
    """The latest snapshot, checked against the database at most every
    `refresh_interval` seconds. If the database cannot be reached, the last snapshot
    keeps serving; with none, KnowledgeUnavailable."""

    def __init__(self, factory: sessionmaker, refresh_interval: float = 2.0) -> None:
        self._factory = factory
        self._refresh_interval = refresh_interval
        self._snapshot: Optional[Snapshot] = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        now = time.monotonic()
        if self._snapshot is not None and now - self._checked_at < self._refresh_interval:
            return self._snapshot
        with self._lock:
            try:
                with self._factory() as session:
                    version = content_version(session)
                    if self._snapshot is None or version != self._snapshot.version:
                        self._snapshot = read_snapshot(session)
                        logger.info("Knowledge base version %s loaded.", version)
                self._checked_at = now
            except SQLAlchemyError as error:
                if self._snapshot is None:
                    raise KnowledgeUnavailable(str(error)) from error
                logger.warning(
                    "Knowledge base unreachable, answering from version %s: %s",
                    self._snapshot.version,
                    error.__class__.__name__,
                )
                self._checked_at = now
        return self._snapshot
