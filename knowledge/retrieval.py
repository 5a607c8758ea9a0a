"""Finding the published entry that answers a question, in the user's language.

A question is compared with every phrasing (and the title) of every published entry in
that language, on two views of the text: lemmatised words without stop words (spaCy's
blank tokeniser and, where spacy-lookups-data has one, its lookup lemmatiser) and
character n-grams of the accent-folded words, which survive typos, romanisation and
scripts without word lists. Rasa's intent adds weight to the entries of its topic. Nothing
is trained: an edited phrasing counts from the next index build."""

import functools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Text, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge.entries import EntryText
from knowledge.language import is_latin_script
from knowledge.text import fold
from knowledge.transliterate import ARABIZI, spelling_key

logger = logging.getLogger(__name__)

# Rasa intents that name a topic of the knowledge base.
INTENT_TOPICS = {
    "topic_rights": "rights",
    "topic_legal_channels": "legal_channels",
    "topic_recruitment_fees": "recruitment_fees",
    "topic_remittances": "remittances",
    "topic_safety": "safety",
    "topic_predeparture": "predeparture",
    "urgent_safety": "safety",
    # The calculators' intents, when their question reaches the knowledge base.
    "ask_remittance_cost": "remittances",
    "check_recruitment_fee": "recruitment_fees",
}
# Languages also typed in another script than their entries': a question in Latin
# letters is compared with the entries through that spelling (Arabizi for Arabic).
LATIN_SPELLING = {"ar": ARABIZI}
WORD_WEIGHT = 0.5
# An entry's score: closest phrasing, all phrasings together, answer (sums to 1).
PHRASING_WEIGHT, TOGETHER_WEIGHT, ANSWER_WEIGHT = 0.5, 0.3, 0.2
MAX_QUERY = 2000
# Languages people often type mixed with English (Taglish, romanised Nepali and Bengali
# with English words): the entries' English phrasings count for them too.
MIXED_WITH_ENGLISH = {"tl", "ne", "bn"}
# Per-language thesauri: words and short phrases -> shared concept ids.
CONCEPTS_DIR = Path(__file__).resolve().parent / "language_data" / "concepts"
CONCEPT_MARK = "§"
MAX_CONCEPT_WORDS = 3
# How much Rasa's topic, at full confidence, adds to an entry's similarity.
# Rasa's topics and the entries' topics agree on about half of real questions (an
# entry about contracts may sit under pre-departure while Rasa hears "rights"): a nudge,
# not a filter.
TOPIC_WEIGHT = 0.05
# Concepts shared with the entry's phrasings in all languages.
CONCEPT_WEIGHT = 0.3
MIN_LEMMA_TABLE = 1000


@dataclass(frozen=True)
class PublishedEntry:
    slug: Text
    topic: Text
    countries: Tuple[Text, ...]
    review_status: Text
    related: Tuple[Text, ...]
    texts: Mapping[Text, EntryText]
    # Short citations for the source line: "ILO, GB.301/4, 2008, §21".
    sources: Tuple[Text, ...]


@dataclass(frozen=True)
class DocumentPassage:
    document: Text
    paragraph: Text
    section: Optional[Text]
    text: Text
    citation: Text


@dataclass(frozen=True)
class Match:
    slug: Text
    score: float


@dataclass(frozen=True)
class PassageMatch:
    passage: DocumentPassage
    score: float


class Normaliser:
    """How one language's text is cut into comparable words."""

    def __init__(
        self,
        language: Text,
        concepts_dir: Optional[Path] = CONCEPTS_DIR,
        spelling: Optional[Text] = None,
    ) -> None:
        import spacy  # a blank pipeline: tokeniser rules and stop words only, no model
        from spacy.lookups import load_lookups

        blank = spacy.blank(language)
        self.language = language
        # How words are spelt for comparing: the language's own way, or another script's
        # (ARABIZI: Arabic typed in Latin letters).
        self.spelling = spelling or language
        self._tokenizer = blank.tokenizer
        self._stop_words = {
            spelling_key(fold(word), self.spelling) for word in blank.Defaults.stop_words
        }
        self._lemmas = None
        try:
            table = load_lookups(language, ["lemma_lookup"], strict=True).get_table("lemma_lookup")
            # Tagalog's table has a handful of words: not a lemmatiser.
            if len(table) >= MIN_LEMMA_TABLE:
                self._lemmas = table
        except (ValueError, KeyError):
            pass
        self._concepts = self._read_concepts(concepts_dir)

    def _read_concepts(self, concepts_dir: Optional[Path]) -> Dict[Tuple[Text, ...], Set[Text]]:
        """Words and phrases of the language's thesaurus, as folded lemma sequences."""
        path = concepts_dir / f"{self.language}.yml" if concepts_dir else None
        if path is None or not path.exists():
            return {}
        concepts: Dict[Tuple[Text, ...], Set[Text]] = {}
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for concept, variants in raw.items():
            for variant in variants or ():
                key = tuple(self._folded(str(variant)))
                if 0 < len(key) <= MAX_CONCEPT_WORDS:
                    concepts.setdefault(key, set()).add(f"{CONCEPT_MARK}{concept}")
        return concepts

    @property
    def has_lemmatiser(self) -> bool:
        return self._lemmas is not None

    def lemma(self, word: Text) -> Text:
        if self._lemmas is None:
            return word
        found = self._lemmas.get(word)
        # French lists a word's lemmas for every part of speech: the first is the usual one.
        if isinstance(found, list):
            found = found[0] if found else None
        return found if isinstance(found, str) and found else word

    def tokens(self, text: Text) -> List[Text]:
        return [
            token.text
            for token in self._tokenizer(text[:2000])
            if not (token.is_punct or token.is_space)
        ]

    def _folded(self, text: Text) -> List[Text]:
        folded = (
            spelling_key(fold(self.lemma(token.lower())), self.spelling)
            for token in self.tokens(text)
        )
        return [word for word in folded if word]

    def words(self, text: Text) -> List[Text]:
        """Content words, then the thesaurus concepts the text mentions ("kasambahay",
        "house maid" -> §DOMESTIC_WORK), so different words for one thing still meet."""
        folded = self._folded(text)
        kept = [word for word in folded if word not in self._stop_words]
        mentioned: Set[Text] = set()
        if self._concepts:
            for size in range(1, MAX_CONCEPT_WORDS + 1):
                for start in range(len(folded) - size + 1):
                    mentioned.update(self._concepts.get(tuple(folded[start : start + size]), ()))
        return kept + sorted(mentioned)

    def letters(self, text: Text) -> Text:
        keys = (spelling_key(fold(token), self.spelling) for token in self.tokens(text))
        return " ".join(key for key in keys if key)


@functools.lru_cache(maxsize=None)
def normaliser(language: Text, spelling: Optional[Text] = None) -> Normaliser:
    return Normaliser(language, spelling=spelling)


class EntryIndex:
    """The published entries in one language, ready to be compared with a question.

    An entry's score blends three similarities: with its closest phrasing (or title),
    with all its phrasings together, and with its answer; each is half word view, half
    character view. On top comes the overlap of concepts (the thesauri) with the entry's
    phrasings in every language, so all eight languages' phrasings count as evidence."""

    def __init__(
        self, entries: Sequence[PublishedEntry], language: Text, spelling: Optional[Text] = None
    ) -> None:
        self.language = language
        self.entries = [e for e in entries if language in e.texts]
        phrasings: List[Text] = []
        owners: List[int] = []
        for number, entry in enumerate(self.entries):
            for phrasing in _phrasings(entry, language):
                phrasings.append(phrasing)
                owners.append(number)
        self._owners = np.asarray(owners, dtype=np.int64)
        # Rows of one entry are contiguous: where each entry's rows start.
        self._starts = np.searchsorted(self._owners, np.arange(len(self.entries)))
        self._topics = np.asarray([e.topic for e in self.entries], dtype=object)
        self._views: List[_View] = []
        if not phrasings:
            return
        norm = normaliser(language, spelling)
        together = [" \n ".join(_phrasings(e, language)) for e in self.entries]
        answers = [e.texts[language].answer for e in self.entries]
        for vectors, weight in (
            (
                TfidfVectorizer(analyzer=norm.words, sublinear_tf=True, dtype=np.float32),
                WORD_WEIGHT,
            ),
            (
                TfidfVectorizer(
                    analyzer="char_wb",
                    preprocessor=norm.letters,
                    ngram_range=(2, 4),
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
                1 - WORD_WEIGHT,
            ),
        ):
            vectors.fit(phrasings + answers)
            self._views.append(
                _View(
                    vectors,
                    weight,
                    vectors.transform(phrasings).T.tocsr(),
                    vectors.transform(together).T.tocsr(),
                    vectors.transform(answers).T.tocsr(),
                )
            )
        profiles = [entry_concepts(e) for e in self.entries]
        self._concept_vectors: Optional[TfidfVectorizer] = None
        if any(profiles):
            self._concept_vectors = TfidfVectorizer(
                analyzer=_as_is, sublinear_tf=True, dtype=np.float32
            )
            self._concepts = self._concept_vectors.fit_transform(profiles).T.tocsr()

    def __len__(self) -> int:
        return len(self.entries)

    def search(
        self,
        query: Text,
        topic: Optional[Text] = None,
        topic_confidence: float = 0.0,
        limit: int = 5,
    ) -> List[Match]:
        if not self._views or not query.strip():
            return []
        best = np.zeros(len(self.entries), dtype=np.float32)
        for view in self._views:
            vector = view.vectors.transform([query[:MAX_QUERY]])
            closest = np.maximum.reduceat(_cosine(view.phrasings, vector), self._starts)
            best += view.weight * (
                PHRASING_WEIGHT * closest
                + TOGETHER_WEIGHT * _cosine(view.together, vector)
                + ANSWER_WEIGHT * _cosine(view.answers, vector)
            )
        if self._concept_vectors is not None:
            # Not through the cache: users' messages are not kept in memory.
            mentioned = _concepts(self.language, query[:MAX_QUERY])
            if mentioned:
                vector = self._concept_vectors.transform([mentioned])
                best += CONCEPT_WEIGHT * _cosine(self._concepts, vector)
        if topic is not None and topic_confidence > 0:
            best = best + TOPIC_WEIGHT * topic_confidence * (self._topics == topic)
        order = np.argsort(-best)[:limit]
        return [Match(self.entries[i].slug, float(best[i])) for i in order if best[i] > 0]


@dataclass(frozen=True)
class _View:
    """One way of cutting text into features, and the entries' vectors in it (stored
    feature-major, so a query touches only the rows of its own features)."""

    vectors: TfidfVectorizer
    weight: float
    phrasings: Any
    together: Any
    answers: Any


def _phrasings(entry: PublishedEntry, language: Text) -> List[Text]:
    text = entry.texts[language]
    phrasings = [text.title, *text.questions]
    if language in MIXED_WITH_ENGLISH and "en" in entry.texts:
        phrasings.extend(entry.texts["en"].questions)
    return phrasings


def _as_is(tokens: List[Text]) -> List[Text]:
    return tokens


def _concepts(language: Text, text: Text) -> Tuple[Text, ...]:
    return tuple(w for w in normaliser(language).words(text) if w.startswith(CONCEPT_MARK))


@functools.lru_cache(maxsize=100_000)
def concepts_of(language: Text, text: Text) -> Tuple[Text, ...]:
    """The concepts of an entry's text (cached: entries are re-indexed on every publish)."""
    return _concepts(language, text)


def entry_concepts(entry: PublishedEntry) -> List[Text]:
    """The concepts of an entry's titles, phrasings and answers in all its languages."""
    return [
        concept
        for language, text in entry.texts.items()
        for phrasing in (text.title, *text.questions, text.answer)
        for concept in concepts_of(language, phrasing)
    ]


def _cosine(index_by_feature, query) -> np.ndarray:
    """Dot products of the query with every row, touching only the query's features
    (the vectors are already unit length)."""
    query = query.tocsr()
    if query.nnz == 0:
        return np.zeros(index_by_feature.shape[1], dtype=np.float32)
    rows = index_by_feature[query.indices]
    return np.asarray(rows.T @ query.data, dtype=np.float32).ravel()


class PassageIndex:
    """The body paragraphs of the source documents (French), for questions no entry
    answers: the bot may quote one, marked as an excerpt."""

    def __init__(self, passages: Sequence[DocumentPassage], language: Text = "fr") -> None:
        self.passages = list(passages)
        self._index = EntryIndex(
            [
                PublishedEntry(
                    slug=str(number),
                    topic="",
                    countries=("all",),
                    review_status="",
                    related=(),
                    texts={language: EntryText(p.text[:120], (p.text,), p.text)},
                    sources=(p.citation,),
                )
                for number, p in enumerate(self.passages)
            ],
            language,
        )

    def search(self, query: Text, limit: int = 3) -> List[PassageMatch]:
        return [
            PassageMatch(self.passages[int(match.slug)], match.score)
            for match in self._index.search(query, limit=limit)
        ]


class Snapshot:
    """Everything published at one content version, with one index per language built
    the first time that language is asked."""

    def __init__(
        self,
        version: int,
        entries: Iterable[PublishedEntry],
        passages: Iterable[DocumentPassage] = (),
    ) -> None:
        self.version = version
        self.entries: Dict[Text, PublishedEntry] = {e.slug: e for e in entries}
        self._passages = list(passages)
        self._indexes: Dict[Text, EntryIndex] = {}
        self._passage_index: Optional[PassageIndex] = None
        self._building = threading.Lock()

    def index(self, language: Text, spelling: Optional[Text] = None) -> EntryIndex:
        key = spelling or language
        if key not in self._indexes:
            with self._building:
                if key not in self._indexes:
                    self._indexes[key] = EntryIndex(list(self.entries.values()), language, spelling)
        return self._indexes[key]

    def search(
        self,
        query: Text,
        language: Text,
        intent: Optional[Text] = None,
        confidence: float = 0.0,
        limit: int = 5,
    ) -> List[Match]:
        spelling = LATIN_SPELLING.get(language) if is_latin_script(query) else None
        return self.index(language, spelling).search(
            query, INTENT_TOPICS.get(intent or ""), confidence, limit
        )

    def warm(self, languages: Iterable[Text]) -> None:
        """Build every index now rather than on the first question that needs it."""
        for language in languages:
            self.index(language)
            if language in LATIN_SPELLING:
                self.index(language, LATIN_SPELLING[language])
        self.search_passages("")

    def search_passages(self, query: Text, limit: int = 3) -> List[PassageMatch]:
        if self._passage_index is None:
            with self._building:
                if self._passage_index is None:
                    self._passage_index = PassageIndex(self._passages)
        return self._passage_index.search(query, limit)

    def by_topic(self, topic: Text) -> List[PublishedEntry]:
        return [e for e in self.entries.values() if e.topic == topic]
