"""Deciding what to say to a question: one entry's answer, a choice between two close
entries, an excerpt of a source document, or an honest "I don't know"."""

from dataclasses import dataclass
from typing import Collection, List, Optional, Text, Tuple

from knowledge.retrieval import DocumentPassage, PublishedEntry, Snapshot

ANSWER = "answer"
CLARIFY = "clarify"
EXCERPT = "excerpt"
UNANSWERED = "unanswered"

# Scores: a blend of cosines (0-1) plus the concept and topic weights. ACCEPT_SCORE is
# about the 90th-95th percentile of what the out_of_scope training messages (data/nlu)
# score against the entries, so an off-topic message is rarely answered; the held-out
# questions only measure (benchmarks/retrieval.py).
ACCEPT_SCORE = 0.35
# Two entries closer than this are both offered: one tap for the user is cheaper than a
# wrong answer (on the held-out questions, 0.05 instead of 0.03 turns a third of the wrong
# answers into a choice that offers the right entry four times in five).
CLOSE_MARGIN = 0.05
EXCERPT_SCORE = 0.35
RELATED_MAX = 2


@dataclass(frozen=True)
class Reply:
    kind: Text
    entry: Optional[PublishedEntry] = None
    choices: Tuple[PublishedEntry, ...] = ()
    related: Tuple[PublishedEntry, ...] = ()
    passage: Optional[DocumentPassage] = None
    score: float = 0.0


def answer_question(
    snapshot: Snapshot,
    question: Text,
    language: Text,
    intent: Optional[Text] = None,
    confidence: float = 0.0,
    accept_score: float = ACCEPT_SCORE,
    query_language: Optional[Text] = None,
    leave_out: Collection[Text] = (),
) -> Reply:
    """The reply in `language` to a question written in `query_language` (the same,
    unless the message asks for another language: "pls write in bangla, what is the
    cheapest way to send money?" is matched in English and answered in Bengali). Entries
    in `leave_out` are not candidates (what the conversation has just said otherwise)."""
    matches = snapshot.search(
        question, query_language or language, intent, confidence, limit=3 + len(leave_out)
    )
    matches = [m for m in matches if m.slug not in leave_out][:3]
    if matches and matches[0].score >= accept_score:
        best = snapshot.entries[matches[0].slug]
        runner_up = matches[1] if len(matches) > 1 else None
        if (
            runner_up is not None
            and runner_up.score >= accept_score
            and matches[0].score - runner_up.score < CLOSE_MARGIN
        ):
            return Reply(
                CLARIFY,
                choices=(best, snapshot.entries[runner_up.slug]),
                score=matches[0].score,
            )
        return answer_entry(snapshot, best.slug, language, matches[0].score)
    best_score = matches[0].score if matches else 0.0
    passages = snapshot.search_passages(question, limit=1)
    if passages and passages[0].score >= EXCERPT_SCORE:
        return Reply(EXCERPT, passage=passages[0].passage, score=best_score)
    return Reply(UNANSWERED, score=best_score)


def answer_entry(snapshot: Snapshot, slug: Text, language: Text, score: float = 1.0) -> Reply:
    entry = snapshot.entries.get(slug)
    if entry is None or language not in entry.texts:
        return Reply(UNANSWERED, score=0.0)
    return Reply(
        ANSWER, entry=entry, related=related_entries(snapshot, entry, language), score=score
    )


def related_entries(
    snapshot: Snapshot, entry: PublishedEntry, language: Text, limit: int = RELATED_MAX
) -> Tuple[PublishedEntry, ...]:
    """The entry's own related entries first, then the nearest by their phrasings."""
    chosen: List[PublishedEntry] = []
    for slug in entry.related:
        other = snapshot.entries.get(slug)
        if other is not None and language in other.texts and other not in chosen:
            chosen.append(other)
    if len(chosen) < limit:
        text = entry.texts[language]
        for match in snapshot.search(" ".join(text.questions), language, limit=limit + 2):
            other = snapshot.entries[match.slug]
            if other.slug != entry.slug and other not in chosen:
                chosen.append(other)
    return tuple(chosen[:limit])
