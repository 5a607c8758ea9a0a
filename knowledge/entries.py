"""Curated entries as their source files say them (knowledge/entries/*.yml): reading and
checking them, before anything is written to the database. The format is described in
knowledge/entries/README.md."""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text, Tuple

import yaml

from knowledge.models import REVIEWED, TOPICS, UNREVIEWED
from knowledge.settings import SUPPORTED_LANGUAGES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
TITLE_MAX = 40
# Phone-sized: a few sentences. Scripts that need more characters per word get more room.
ANSWER_MAX = {"ar": 600, "ne": 600, "bn": 600}
ANSWER_MAX_DEFAULT = 500
QUESTIONS_MIN = 2
QUOTE_WORDS = (5, 15)


class EntryFileError(ValueError):
    """Entry files that cannot be loaded; `problems` lists every one ("file: entry: why")."""

    def __init__(self, problems: Sequence[Text]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class CitationSource:
    document: Optional[Text] = None
    quote: Optional[Text] = None
    reference: Optional[Text] = None


@dataclass(frozen=True)
class EntryText:
    """An entry in one language: button title, question phrasings, answer."""

    title: Text
    questions: Tuple[Text, ...]
    answer: Text


@dataclass(frozen=True)
class EntrySource:
    slug: Text
    topic: Text
    countries: Tuple[Text, ...]
    review_status: Text
    reviewer: Optional[Text]
    reviewed_on: Optional[datetime.date]
    citations: Tuple[CitationSource, ...]
    related: Tuple[Text, ...]
    texts: Mapping[Text, EntryText]
    origin: Text = field(default="", compare=False)


def read_entry_files(
    entries_dir: Path, references: Mapping[Text, Mapping[Text, Any]]
) -> List[EntrySource]:
    """Every entry of every file, checked; raises EntryFileError listing all problems."""
    problems: List[Text] = []
    entries: List[EntrySource] = []
    paths = sorted(entries_dir.glob("*.yml"))
    if not paths:
        raise EntryFileError([f"{entries_dir}: no entry files (*.yml)"])
    for path in paths:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            problems.append(f"{path.name}: not readable YAML: {error}")
            continue
        if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
            problems.append(f"{path.name}: expected a mapping with `topic` and `entries`")
            continue
        topic = document.get("topic")
        if topic not in TOPICS:
            problems.append(f"{path.name}: topic {topic!r} is not one of {', '.join(TOPICS)}")
            continue
        for raw in document["entries"]:
            where = f"{path.name}: {raw.get('id') if isinstance(raw, dict) else raw!r}"
            entry = _parse_entry(raw, topic, references, where, problems)
            if entry is not None:
                entries.append(_with_origin(entry, path))
    _check_across_entries(entries, problems)
    if problems:
        raise EntryFileError(problems)
    return entries


def _with_origin(entry: EntrySource, path: Path) -> EntrySource:
    return EntrySource(**{**entry.__dict__, "origin": f"file:knowledge/entries/{path.name}"})


def _parse_entry(
    raw: Any,
    topic: Text,
    references: Mapping[Text, Mapping[Text, Any]],
    where: Text,
    problems: List[Text],
) -> Optional[EntrySource]:
    before = len(problems)
    if not isinstance(raw, dict):
        problems.append(f"{where}: an entry must be a mapping")
        return None
    slug = raw.get("id")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append(f"{where}: id must be lowercase words joined by hyphens")
    countries = tuple(raw.get("countries") or ())
    if countries != ("all",) and not (countries and all(COUNTRY.match(str(c)) for c in countries)):
        problems.append(f"{where}: countries must be [all] or ISO 3166-1 alpha-2 codes")
    citations = _parse_citations(raw.get("citations"), references, where, problems)
    review = raw.get("review") or {}
    status = review.get("status")
    needs_check = any(
        c.reference and references.get(c.reference, {}).get("check") for c in citations
    )
    if status not in (REVIEWED, UNREVIEWED):
        problems.append(f"{where}: review.status must be reviewed or unreviewed")
    elif needs_check and status == REVIEWED:
        problems.append(
            f"{where}: cites a fact marked check in references.yml, so it must stay unreviewed"
        )
    elif status == REVIEWED and not (review.get("reviewer") and review.get("date")):
        problems.append(f"{where}: a reviewed entry needs review.reviewer and review.date")
    reviewed_on = review.get("date")
    if reviewed_on is not None and not isinstance(reviewed_on, datetime.date):
        problems.append(f"{where}: review.date must be a date (YYYY-MM-DD)")
    texts = _parse_texts(raw.get("texts"), where, problems)
    related = tuple(raw.get("related") or ())
    if len(problems) > before:
        return None
    return EntrySource(
        slug=slug,
        topic=topic,
        countries=countries,
        review_status=status,
        reviewer=review.get("reviewer"),
        reviewed_on=reviewed_on,
        citations=citations,
        related=related,
        texts=texts,
    )


def _parse_citations(
    raw: Any,
    references: Mapping[Text, Mapping[Text, Any]],
    where: Text,
    problems: List[Text],
) -> Tuple[CitationSource, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: at least one citation is needed")
        return ()
    citations = []
    for item in raw:
        if not isinstance(item, dict):
            problems.append(f"{where}: a citation must be a mapping")
        elif "document" in item:
            quote = str(item.get("quote") or "")
            words = len(quote.split())
            if not QUOTE_WORDS[0] <= words <= QUOTE_WORDS[1]:
                problems.append(
                    f"{where}: a quote of document {item['document']} must be "
                    f"{QUOTE_WORDS[0]}-{QUOTE_WORDS[1]} words, not {words}"
                )
            citations.append(CitationSource(document=str(item["document"]), quote=quote))
        elif "reference" in item:
            if item["reference"] not in references:
                problems.append(f"{where}: unknown reference {item['reference']!r}")
            citations.append(CitationSource(reference=str(item["reference"])))
        else:
            problems.append(f"{where}: a citation names a document or a reference")
    return tuple(citations)


def _parse_texts(raw: Any, where: Text, problems: List[Text]) -> Dict[Text, EntryText]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: texts must map each language to its title, questions, answer")
        return {}
    texts: Dict[Text, EntryText] = {}
    for language in SUPPORTED_LANGUAGES:
        text = raw.get(language)
        if not isinstance(text, dict):
            problems.append(f"{where}: no text in {language}")
            continue
        title = str(text.get("title") or "").strip()
        answer = " ".join(str(text.get("answer") or "").split())
        questions = tuple(
            " ".join(str(q).split()) for q in text.get("questions") or () if str(q).strip()
        )
        limit = ANSWER_MAX.get(language, ANSWER_MAX_DEFAULT)
        if not title or len(title) > TITLE_MAX:
            problems.append(f"{where}: {language} title must be 1-{TITLE_MAX} characters")
        if not answer or len(answer) > limit:
            problems.append(f"{where}: {language} answer must be 1-{limit} characters")
        if len(questions) < QUESTIONS_MIN:
            problems.append(f"{where}: {language} needs at least {QUESTIONS_MIN} questions")
        texts[language] = EntryText(title, questions, answer)
    unknown = sorted(set(raw) - set(SUPPORTED_LANGUAGES))
    if unknown:
        problems.append(f"{where}: unsupported languages {', '.join(map(str, unknown))}")
    return texts


def _check_across_entries(entries: Sequence[EntrySource], problems: List[Text]) -> None:
    seen: Dict[Text, Text] = {}
    for entry in entries:
        if entry.slug in seen:
            problems.append(f"{entry.origin}: id {entry.slug} is also used in {seen[entry.slug]}")
        seen[entry.slug] = entry.origin
    asked: Dict[Tuple[Text, Text], Text] = {}
    for entry in entries:
        for language, text in entry.texts.items():
            for question in text.questions:
                key = (language, " ".join(question.casefold().split()))
                other = asked.setdefault(key, entry.slug)
                if other != entry.slug:
                    problems.append(
                        f"{entry.origin}: {entry.slug}: {language} question {question!r} is "
                        f"also a question of {other}: the bot could not tell them apart"
                    )
    for entry in entries:
        for slug in entry.related:
            if slug not in seen or slug == entry.slug:
                problems.append(f"{entry.origin}: {entry.slug}: related {slug!r} is not an entry")


def read_references(path: Path) -> Dict[Text, Dict[Text, Any]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    problems = [
        f"{path.name}: {key}: needs short, full and check"
        for key, item in raw.items()
        if not isinstance(item, dict) or not {"short", "full", "check"} <= set(item)
    ]
    if problems:
        raise EntryFileError(problems)
    return raw
