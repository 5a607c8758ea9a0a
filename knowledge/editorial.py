"""The staff workflow on entries: an editor saves a draft, a colleague with the reviewer
role publishes it or sends it back with a comment, every published version is kept and
any earlier one can be published again in one step (rollback).

Every change raises the entry's `version`. A save must name the version it was based on:
if somebody changed the entry since, the save is refused with who and when, and nothing is
written (optimistic locking); the caller still has the text it tried to save."""

import difflib
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from knowledge.db import transaction
from knowledge.entries import SLUG
from knowledge.models import (
    DRAFT,
    RETURNED,
    TOPICS,
    UNREVIEWED,
    Citation,
    Entry,
    EntryRevision,
    ExternalReference,
    Publication,
    RevisionText,
    UnansweredQuestion,
    utcnow,
)
from knowledge.published import citation_text
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.store import publish_revision

STAFF = "staff"
OPEN = (DRAFT, RETURNED)
MAX_TITLE = 120
MAX_ANSWER = 1200
MAX_QUESTION = 300
MAX_QUESTIONS = 60


class EditorialError(ValueError):
    """A change that cannot be made; the message says why, nothing was written."""

    status = 400


class NotFound(EditorialError):
    status = 404


class Forbidden(EditorialError):
    status = 403


class StaleVersion(EditorialError):
    """Somebody changed the entry since the caller read it."""

    status = 409


@dataclass(frozen=True)
class TextChange:
    title: Text
    questions: List[Text]
    answer: Text


def check_texts(changes: Mapping[Text, Any]) -> Dict[Text, TextChange]:
    """Validate texts sent by a client: every problem is listed at once."""
    problems: List[Text] = []
    checked: Dict[Text, TextChange] = {}
    if not isinstance(changes, Mapping) or not changes:
        raise EditorialError("Send the texts to change, by language.")
    for language, text in changes.items():
        where = f"{language}:"
        if language not in SUPPORTED_LANGUAGES:
            problems.append(
                f"{language!r} is not one of the languages {', '.join(SUPPORTED_LANGUAGES)}"
            )
            continue
        if not isinstance(text, Mapping):
            problems.append(f"{where} expected title, questions and answer")
            continue
        title = text.get("title")
        answer = text.get("answer")
        questions = text.get("questions")
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
            problems.append(f"{where} the title must have 1 to {MAX_TITLE} characters")
        if not isinstance(answer, str) or not answer.strip() or len(answer) > MAX_ANSWER:
            problems.append(f"{where} the answer must have 1 to {MAX_ANSWER} characters")
        if (
            not isinstance(questions, list)
            or not questions
            or len(questions) > MAX_QUESTIONS
            or not all(
                isinstance(q, str) and q.strip() and len(q) <= MAX_QUESTION for q in questions
            )
        ):
            problems.append(
                f"{where} give 1 to {MAX_QUESTIONS} ways of asking, "
                f"each 1 to {MAX_QUESTION} characters"
            )
        elif len({q.strip().casefold() for q in questions}) != len(questions):
            problems.append(f"{where} the same way of asking is there twice")
        if not any(p.startswith(where) for p in problems):
            checked[language] = TextChange(
                title.strip(), [q.strip() for q in questions], answer.strip()
            )
    if problems:
        raise EditorialError("; ".join(problems))
    return checked


def _entry(session: Session, slug: Text) -> Entry:
    entry = session.execute(
        select(Entry)
        .filter_by(slug=slug)
        .options(selectinload(Entry.published_revision).selectinload(EntryRevision.texts))
    ).scalar_one_or_none()
    if entry is None:
        raise NotFound(f"No entry {slug!r}.")
    return entry


def open_draft(session: Session, entry: Entry) -> Optional[EntryRevision]:
    return (
        session.execute(
            select(EntryRevision)
            .filter(EntryRevision.entry_id == entry.id, EntryRevision.status.in_(OPEN))
            .order_by(EntryRevision.number.desc())
        )
        .scalars()
        .first()
    )


def _check_version(session: Session, entry: Entry, expected: Any) -> None:
    if not isinstance(expected, int) or isinstance(expected, bool):
        raise EditorialError("Send the version of the entry your change is based on.")
    if entry.version != expected:
        last = (
            session.execute(
                select(EntryRevision)
                .filter_by(entry_id=entry.id)
                .order_by(EntryRevision.created_at.desc(), EntryRevision.id.desc())
            )
            .scalars()
            .first()
        )
        who = f" by {last.author}" if last is not None else ""
        raise StaleVersion(
            f"This entry was changed{who} since you opened it (version {entry.version}, you "
            f"had {expected}). Nothing was saved: copy your text, reload the entry and apply "
            "your change again."
        )


def _next_number(session: Session, entry: Entry) -> int:
    current = session.execute(
        select(func.max(EntryRevision.number)).filter_by(entry_id=entry.id)
    ).scalar_one()
    return (current or 0) + 1


def copy_revision(
    session: Session, entry: Entry, source: EntryRevision, author: Text, origin: Text
) -> EntryRevision:
    revision = EntryRevision(
        entry_id=entry.id,
        number=_next_number(session, entry),
        status=DRAFT,
        review_status=source.review_status,
        reviewer=source.reviewer,
        reviewed_on=source.reviewed_on,
        countries=list(source.countries),
        related=list(source.related),
        author=author,
        origin=origin,
        texts=[
            RevisionText(
                language=t.language, title=t.title, questions=list(t.questions), answer=t.answer
            )
            for t in source.texts
        ],
        citations=[
            Citation(
                position=c.position,
                passage_id=c.passage_id,
                reference_id=c.reference_id,
                quote=c.quote,
            )
            for c in source.citations
        ],
    )
    session.add(revision)
    session.flush()
    return revision


def save_draft(
    factory: sessionmaker,
    slug: Text,
    expected_version: Any,
    changes: Mapping[Text, Any],
    author: Text,
) -> Dict[Text, Any]:
    """Save texts of one or more languages in the entry's open draft (made from the live
    version if there is none). Returns the draft's number and the entry's new version."""
    texts = check_texts(changes)
    with transaction(factory) as session:
        entry = _entry(session, slug)
        _check_version(session, entry, expected_version)
        draft = open_draft(session, entry)
        if draft is None:
            if entry.published_revision is None:
                raise EditorialError("This entry has no published version to start from.")
            draft = copy_revision(session, entry, entry.published_revision, author, STAFF)
        by_language = {t.language: t for t in draft.texts}
        for language, change in texts.items():
            row = by_language.get(language)
            if row is None:
                row = RevisionText(language=language, title="", questions=[], answer="")
                draft.texts.append(row)
            row.title, row.questions, row.answer = (
                change.title,
                list(change.questions),
                change.answer,
            )
        draft.status = DRAFT
        draft.author = author
        draft.created_at = utcnow()
        entry.version += 1
        session.flush()
        return {"draft": draft.number, "version": entry.version}


def _draft(session: Session, entry: Entry, number: Any) -> EntryRevision:
    draft = session.execute(
        select(EntryRevision).filter_by(entry_id=entry.id, number=number)
    ).scalar_one_or_none()
    if draft is None or draft.status not in OPEN:
        raise NotFound(f"Entry {entry.slug!r} has no draft number {number!r} waiting for review.")
    return draft


def publish_draft(
    factory: sessionmaker, slug: Text, number: Any, expected_version: Any, reviewer: Text
) -> Dict[Text, Any]:
    """Make a draft live. A colleague publishes: not the draft's last author."""
    with transaction(factory) as session:
        entry = _entry(session, slug)
        _check_version(session, entry, expected_version)
        draft = _draft(session, entry, number)
        if draft.author == reviewer:
            raise Forbidden("A colleague must review and publish your own change.")
        draft.comment = None
        publish_revision(session, entry, draft, reviewer)
        entry.version += 1
        return {"published": draft.number, "version": entry.version}


def return_draft(
    factory: sessionmaker,
    slug: Text,
    number: Any,
    expected_version: Any,
    reviewer: Text,
    comment: Any,
) -> Dict[Text, Any]:
    if not isinstance(comment, str) or not comment.strip() or len(comment) > 2000:
        raise EditorialError("Say what should change (1 to 2000 characters).")
    with transaction(factory) as session:
        entry = _entry(session, slug)
        _check_version(session, entry, expected_version)
        draft = _draft(session, entry, number)
        draft.status = RETURNED
        draft.comment = f"{reviewer}: {comment.strip()}"
        entry.version += 1
        return {"returned": draft.number, "version": entry.version}


def rollback(
    factory: sessionmaker, slug: Text, number: Any, expected_version: Any, reviewer: Text
) -> Dict[Text, Any]:
    """Publish again what revision `number` said, as a new revision."""
    with transaction(factory) as session:
        entry = _entry(session, slug)
        _check_version(session, entry, expected_version)
        source = session.execute(
            select(EntryRevision).filter_by(entry_id=entry.id, number=number)
        ).scalar_one_or_none()
        if source is None or source.published_at is None:
            raise NotFound(f"Entry {slug!r} has no published version number {number!r}.")
        if entry.published_revision_id == source.id:
            raise EditorialError(f"Version {number} is already the live one.")
        revision = copy_revision(session, entry, source, reviewer, f"rollback to {number}")
        publish_revision(session, entry, revision, reviewer)
        entry.version += 1
        return {"published": revision.number, "version": entry.version}


# --- reading -----------------------------------------------------------------------------
def _texts(revision: Optional[EntryRevision]) -> Dict[Text, Dict[Text, Any]]:
    if revision is None:
        return {}
    return {
        t.language: {"title": t.title, "questions": list(t.questions), "answer": t.answer}
        for t in revision.texts
    }


def _revision(revision: Optional[EntryRevision]) -> Optional[Dict[Text, Any]]:
    if revision is None:
        return None
    return {
        "number": revision.number,
        "status": revision.status,
        "author": revision.author,
        "origin": revision.origin,
        "comment": revision.comment,
        "review_status": revision.review_status,
        "created_at": revision.created_at.isoformat(timespec="seconds"),
        "published_at": revision.published_at.isoformat(timespec="seconds")
        if revision.published_at
        else None,
        "texts": _texts(revision),
    }


def entry_detail(session: Session, slug: Text) -> Dict[Text, Any]:
    entry = _entry(session, slug)
    live = entry.published_revision
    draft = open_draft(session, entry)
    shown = live if live is not None else draft  # a new entry has only its draft
    detail = {
        "slug": entry.slug,
        "topic": entry.topic,
        "version": entry.version,
        "live": _revision(live),
        "draft": _revision(draft),
        "citations": [
            {
                "source": citation_text(c),
                "quote": c.quote,
                "passage": c.passage.text if c.passage is not None else None,
                "reference": c.reference.full if c.reference is not None else None,
            }
            for c in (shown.citations if shown is not None else [])
        ],
        "countries": list(shown.countries) if shown is not None else [],
        "missing": [lang for lang in SUPPORTED_LANGUAGES if lang not in _texts(shown)],
    }
    if draft is not None and live is not None:
        detail["diff"] = diff_texts(_texts(live), _texts(draft))
    return detail


def list_entries(
    session: Session,
    topic: Optional[Text] = None,
    language: Optional[Text] = None,
    country: Optional[Text] = None,
    review_status: Optional[Text] = None,
    missing: Optional[Text] = None,
    query: Optional[Text] = None,
    display: Optional[Text] = None,
) -> List[Dict[Text, Any]]:
    """The entries matching the filters; titles in `language`, else in `display` (the
    interface's language), else in English."""
    entries = (
        session.execute(
            select(Entry)
            .options(selectinload(Entry.published_revision).selectinload(EntryRevision.texts))
            .order_by(Entry.topic, Entry.slug)
        )
        .scalars()
        .all()
    )
    drafts = {
        entry_id
        for (entry_id,) in session.execute(
            select(EntryRevision.entry_id).filter(EntryRevision.status.in_(OPEN))
        )
    }
    needle = (query or "").strip().casefold()
    shown = next((c for c in (language, display) if c in SUPPORTED_LANGUAGES), "en")
    rows = []
    for entry in entries:
        live = entry.published_revision
        texts = _texts(live)
        if topic and entry.topic != topic:
            continue
        if review_status and (live is None or live.review_status != review_status):
            continue
        if country and (live is None or not ({country.upper(), "all"} & set(live.countries))):
            continue
        if missing and missing in texts:
            continue
        if needle and not any(
            needle in " ".join([t["title"], t["answer"], *t["questions"]]).casefold()
            for lang, t in texts.items()
            if language in (None, "", lang)
        ):
            continue
        title = (texts.get(shown) or texts.get("en") or {}).get("title", entry.slug)
        rows.append(
            {
                "slug": entry.slug,
                "topic": entry.topic,
                "title": title,
                "version": entry.version,
                "review_status": live.review_status if live is not None else None,
                "countries": list(live.countries) if live is not None else [],
                "missing": [lang for lang in SUPPORTED_LANGUAGES if lang not in texts],
                "has_draft": entry.id in drafts,
            }
        )
    return rows


def drafts_waiting(session: Session) -> List[Dict[Text, Any]]:
    rows = session.execute(
        select(EntryRevision, Entry)
        .join(Entry, EntryRevision.entry_id == Entry.id)
        .filter(EntryRevision.status.in_(OPEN))
        .order_by(EntryRevision.created_at)
    ).all()
    return [
        {
            "slug": entry.slug,
            "number": revision.number,
            "status": revision.status,
            "author": revision.author,
            "comment": revision.comment,
            "saved_at": revision.created_at.isoformat(timespec="seconds"),
            "version": entry.version,
        }
        for revision, entry in rows
    ]


def history(session: Session, slug: Text) -> List[Dict[Text, Any]]:
    entry = _entry(session, slug)
    revisions = (
        session.execute(
            select(EntryRevision)
            .filter_by(entry_id=entry.id)
            .options(selectinload(EntryRevision.texts))
            .order_by(EntryRevision.number)
        )
        .scalars()
        .all()
    )
    published_by = {
        revision_id: who
        for revision_id, who in session.execute(
            select(Publication.revision_id, Publication.published_by).filter_by(entry_id=entry.id)
        )
    }
    result, previous = [], None
    for revision in revisions:
        item = _revision(revision)
        item["live"] = revision.id == entry.published_revision_id
        item["published_by"] = published_by.get(revision.id)
        if revision.published_at is not None:
            item["diff"] = diff_texts(_texts(previous), _texts(revision)) if previous else None
            previous = revision
        result.append(item)
    return list(reversed(result))


# --- differences -------------------------------------------------------------------------
_WORDS = re.compile(r"\s+|[^\s]+")


def diff_words(old: Text, new: Text) -> List[List[Text]]:
    """[["=", "same"], ["-", "removed"], ["+", "added"]] word by word."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    parts: List[List[Text]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(["=", "".join(a[i1:i2])])
            continue
        if i2 > i1:
            parts.append(["-", "".join(a[i1:i2])])
        if j2 > j1:
            parts.append(["+", "".join(b[j1:j2])])
    return parts


def diff_texts(old: Mapping[Text, Any], new: Mapping[Text, Any]) -> Dict[Text, Any]:
    """What changed, per language: title and answer word by word, questions added and
    removed. Languages without changes are left out."""
    changed: Dict[Text, Any] = {}
    for language in SUPPORTED_LANGUAGES:
        before, after = old.get(language), new.get(language)
        if before == after:
            continue
        before = before or {"title": "", "questions": [], "answer": ""}
        after = after or {"title": "", "questions": [], "answer": ""}
        changed[language] = {
            "title": diff_words(before["title"], after["title"]),
            "answer": diff_words(before["answer"], after["answer"]),
            "questions_added": [q for q in after["questions"] if q not in before["questions"]],
            "questions_removed": [q for q in before["questions"] if q not in after["questions"]],
        }
    return changed


# --- the unanswered questions inbox -------------------------------------------------------
def unanswered_groups(
    session: Session, status: Text = "new", limit: int = 200
) -> List[Dict[Text, Any]]:
    """Questions nobody answered, the same question (case and spacing aside) counted
    once per language, most asked first."""
    rows = (
        session.execute(
            select(UnansweredQuestion)
            .filter_by(status=status)
            .order_by(UnansweredQuestion.asked_at.desc())
        )
        .scalars()
        .all()
    )
    groups: Dict[tuple, Dict[Text, Any]] = {}
    for row in rows:
        key = (row.language, " ".join(row.text.casefold().split()))
        group = groups.get(key)
        if group is None:
            groups[key] = {
                "ids": [row.id],
                "text": row.text,
                "language": row.language,
                "count": 1,
                "last_asked": row.asked_at.isoformat(timespec="minutes"),
                "intent": row.intent,
            }
        else:
            group["ids"].append(row.id)
            group["count"] += 1
    return sorted(groups.values(), key=lambda g: -g["count"])[:limit]


def close_unanswered(factory: sessionmaker, ids: Sequence[Any], status: Text) -> int:
    if status not in ("done", "dismissed"):
        raise EditorialError("The status must be done or dismissed.")
    if not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise EditorialError("Send the ids of the questions.")
    with transaction(factory) as session:
        rows = (
            session.execute(select(UnansweredQuestion).filter(UnansweredQuestion.id.in_(list(ids))))
            .scalars()
            .all()
        )
        if len(rows) != len(set(ids)):
            raise NotFound("Some of these questions do not exist.")
        for row in rows:
            row.status = status
        return len(rows)


def add_phrasing(
    factory: sessionmaker,
    slug: Text,
    expected_version: Any,
    language: Text,
    question: Any,
    author: Text,
) -> Dict[Text, Any]:
    """Turn an unanswered question into a new way of asking an entry, in a draft. Adding is
    safe on any version: without `expected_version`, the current one is used."""
    with factory() as session:
        entry = _entry(session, slug)
        draft = open_draft(session, entry)
        texts = _texts(draft or entry.published_revision)
        if expected_version is None:
            expected_version = entry.version
    if language not in texts:
        raise EditorialError(f"Entry {slug!r} has no {language!r} text yet.")
    if not isinstance(question, str) or not question.strip():
        raise EditorialError("Send the question to add.")
    current = texts[language]
    return save_draft(
        factory,
        slug,
        expected_version,
        {language: {**current, "questions": current["questions"] + [question.strip()]}},
        author,
    )


# --- new entries -------------------------------------------------------------------------
def create_entry(
    factory: sessionmaker,
    slug: Any,
    topic: Any,
    language: Any,
    text: Any,
    references: Any,
    author: Text,
) -> Dict[Text, Any]:
    """A new entry (e.g. from an unanswered question) as a draft in one language, citing
    at least one source of knowledge/references.yml; other languages are added as drafts
    later, and a colleague publishes it."""
    problems = []
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 80:
        problems.append("the id must be lowercase words joined by hyphens (e.g. fees-visa-costs)")
    if topic not in TOPICS:
        problems.append(f"the topic must be one of {', '.join(TOPICS)}")
    if (
        not isinstance(references, list)
        or not references
        or not all(isinstance(r, str) for r in references)
    ):
        problems.append("cite at least one source")
    if problems:
        raise EditorialError("; ".join(problems))
    texts = check_texts({language: text})
    with transaction(factory) as session:
        if session.execute(select(Entry.id).filter_by(slug=slug)).first():
            raise EditorialError(f"There is already an entry {slug!r}.")
        found = {
            r.key: r
            for r in session.execute(
                select(ExternalReference).where(ExternalReference.key.in_(references))
            ).scalars()
        }
        unknown = [r for r in references if r not in found]
        if unknown:
            raise EditorialError(f"Unknown sources: {', '.join(unknown)}.")
        entry = Entry(slug=slug, topic=topic, version=1)
        session.add(entry)
        session.flush()
        change = texts[language]
        session.add(
            EntryRevision(
                entry_id=entry.id,
                number=1,
                status=DRAFT,
                review_status=UNREVIEWED,
                countries=["all"],
                related=[],
                author=author,
                origin=STAFF,
                texts=[
                    RevisionText(
                        language=language,
                        title=change.title,
                        questions=list(change.questions),
                        answer=change.answer,
                    )
                ],
                citations=[
                    Citation(position=n, reference=found[key]) for n, key in enumerate(references)
                ],
            )
        )
        return {"slug": slug, "draft": 1, "version": entry.version}


def reference_keys(session: Session) -> List[Dict[Text, Text]]:
    return [
        {"key": r.key, "short": r.short}
        for r in session.execute(
            select(ExternalReference).order_by(ExternalReference.key)
        ).scalars()
    ]
