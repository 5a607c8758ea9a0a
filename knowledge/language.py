"""Which of the assistant's languages a message is written in, and in which language a
conversation goes on.

Native scripts (Arabic, Devanagari, Bengali) decide at once. Latin-script text is scored
by a naive Bayes model of how people type in each language (trained at start-up on the NLU
training messages: romanised Nepali and Bengali, Taglish, SMS French…), py3langid's
probabilities (which count more as the message gets longer) and marker words
(knowledge/language_data/*.yml). A short or mixed message does not move a conversation
to another language.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Set, Text, Tuple

import yaml
from py3langid.langid import MODEL_FILE
from py3langid.langid import LanguageIdentifier as LangidModel

from knowledge.i18n import babel_locale
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.text import fold

# The language a script belongs to, among the assistant's languages (Hindi and Urdu
# speakers get the closest supported language).
SCRIPT_RANGES: Tuple[Tuple[int, int, Text], ...] = (
    (0x0600, 0x06FF, "ar"),
    (0x0750, 0x077F, "ar"),
    (0x08A0, 0x08FF, "ar"),
    (0xFB50, 0xFDFF, "ar"),
    (0xFE70, 0xFEFF, "ar"),
    (0x0900, 0x097F, "ne"),
    (0x0980, 0x09FF, "bn"),
)
# Languages written in Latin script that py3langid knows (it has no romanised Nepali or
# Bengali: the typing-style model and the marker words cover those).
LANGID_LANGUAGES = ("en", "fr", "es", "tl", "id")

# Words typed in every language ("ok", "visa", "hello"): they never decide a language.
COMMON_FILE = "common.yml"
# How much marker words and py3langid count beside the typing-style model. Chosen by
# hand; held-out accuracy (benchmarks/nlu_quality.py) moves by under 2 points between
# 0.3 and 1.0 for either.
MARKER_WEIGHT = 1.0
LANGID_WEIGHT = 0.5
ENTITY_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)")
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
ELONGATION = re.compile(r"(\w)\1{2,}")  # "hellooo" is "hello"
# Arabic typed in Latin letters ("Arabizi") writes the sounds Latin lacks with digits
# inside words: 3 ع, 7 ح, 5 خ, 9 ق, 2 ء ("3andi", "a5rog", "bt5alini", "delwa2ti"). English
# text-speak uses 2, 4 and 8 ("2day", "b4", "gr8"), never 3, 5, 7 or 9 inside a word.
ARABIZI_WORD = re.compile(
    r"(?<![^\W\d_])(?:[^\W\d_]+[3579][^\W\d_]+|[3579](?!(?:am|pm|st|nd|rd|th|kg|km|hrs?|mins?|yrs?|gb|mb|lakh|days?)\b)[^\W\d_]{2,}|[^\W\d_]+2[^\W\d_]+)(?![^\W_])",
    re.IGNORECASE,
)
ARABIZI = "ar"
# A message with this many words of a language the assistant does not speak, and more of
# them than of any language it speaks, is answered in English.
UNSUPPORTED_WORDS = 2
UNSUPPORTED_ANSWER = "en"
NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


@dataclass(frozen=True)
class Guess:
    """The language a message looks written in; `decisive` when clear enough to switch."""

    language: Optional[Text]
    confidence: float
    decisive: bool


def script_language(char: Text) -> Optional[Text]:
    code = ord(char)
    for start, end, language in SCRIPT_RANGES:
        if start <= code <= end:
            return language
    return None


class LanguageIdentifier:
    def __init__(
        self,
        markers: Mapping[Text, Set[Text]],
        names: Mapping[Text, Text],
        common_words: Set[Text],
        typed_examples: Iterable[Tuple[Text, Text]] = (),
        requests: Iterable[Text] = (),
        unsupported: Iterable[Text] = (),
    ) -> None:
        self.markers = markers
        # Words of a language the assistant does not speak, typed in Latin letters (Roman
        # Urdu and Hindi): such a message is answered in English, not in the supported
        # language whose typing it happens to resemble (Nepali, Bengali).
        self.unsupported = frozenset(unsupported)
        self.names = names
        self.common_words = common_words
        # Words that ask for a language, in every language ("reply", "contestame", "भन्नु").
        self.requests = frozenset(requests)
        self._request = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(self.requests))) + r")(?!\w)")
            if self.requests
            else None
        )
        self._typed = TypingStyles(typed_examples)
        self._langid = LangidModel.from_pickled_model(MODEL_FILE, norm_probs=True)
        self._langid.set_languages(list(LANGID_LANGUAGES))

    @classmethod
    def from_directory(
        cls, directory: Path, examples_dir: Optional[Path] = None
    ) -> "LanguageIdentifier":
        """Build from the per-language YAML files (names and markers) in `directory`, and
        the messages in `examples_dir`/<language>.yml (Rasa NLU training files)."""
        raw_markers: Dict[Text, Set[Text]] = {}
        names: Dict[Text, Text] = dict(_cldr_language_names())
        common: Set[Text] = set()
        unsupported: Set[Text] = set()
        requests: Set[Text] = set()
        for path in sorted(directory.glob("*.yml")):
            # BaseLoader keeps every word a string ("no", "on" and "si" are not booleans).
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
            if path.name == COMMON_FILE:
                common = {fold(word) for word in data.get("words", [])}
                unsupported = {fold(word) for word in data.get("unsupported_latin", [])}
                continue
            language = path.stem
            raw_markers[language] = {fold(word) for word in data.get("markers") or []}
            requests.update(fold(word) for word in data.get("requests") or [])
            for code, spellings in (data.get("names") or {}).items():
                for spelling in spellings or []:
                    names[fold(spelling)] = code
        examples = load_examples(examples_dir) if examples_dir else []
        return cls(
            _distinctive(raw_markers, common), names, common, examples, requests, unsupported
        )

    def identify(self, text: Text) -> Guess:
        """Guess the language of one message on its own."""
        text = NOISE.sub(" ", text or "")
        by_script: Dict[Text, int] = {}
        latin = 0
        for char in text:
            if not char.isalpha():
                continue
            language = script_language(char)
            if language:
                by_script[language] = by_script.get(language, 0) + 1
            elif ord(char) < 0x0250:
                latin += 1
        letters = latin + sum(by_script.values())
        if letters == 0:
            return Guess(None, 0.0, False)
        if by_script:
            language, count = max(by_script.items(), key=lambda item: item[1])
            share = count / letters
            if share >= 0.5:
                return Guess(language, share, count >= 2)
        # A language's name says nothing about the language it is written in ("Nepali pls").
        tokens = [ELONGATION.sub(r"\1", fold(t)) for t in TOKEN.findall(text)]
        arabizi = len(ARABIZI_WORD.findall(text))
        return self._identify_latin([t for t in tokens if t not in self.names], arabizi)

    def _identify_latin(self, tokens: List[Text], arabizi: int = 0) -> Guess:
        words = [t for t in tokens if t not in self.common_words]
        if arabizi and (arabizi >= 2 or arabizi * 3 >= len(words)):
            return Guess(ARABIZI, 0.9, True)
        if not words:
            # Only international words ("ok", "hello", "visa"): English at best, never decisive.
            return Guess("en", 0.34, False) if tokens else Guess(None, 0.0, False)
        hits = {
            language: sum(1 for w in words if w in markers)
            for language, markers in self.markers.items()
        }
        hits[ARABIZI] = hits.get(ARABIZI, 0) + arabizi
        elsewhere = sum(1 for w in words if w in self.unsupported)
        if elsewhere >= UNSUPPORTED_WORDS and elsewhere > max(hits.values(), default=0):
            # "bhai mera iqama expire ho gaya, kafeel renew nhi kr rha": Roman Urdu.
            return Guess(UNSUPPORTED_ANSWER, 0.6, True)
        langid = dict(self._langid.rank(" ".join(words)))
        typed = self._typed.probabilities(" ".join(tokens))
        weight = LANGID_WEIGHT * min(len(words), 6) / 6
        scores = {
            language: MARKER_WEIGHT * hits.get(language, 0)
            + weight * langid.get(language, 0.0)
            + typed.get(language, 0.0)
            for language in SUPPORTED_LANGUAGES
        }
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        (best, best_score), (_, second_score) = ranked[0], ranked[1]
        total = sum(score for _, score in ranked) or 1.0
        confidence = best_score / total
        best_hits = hits.get(best, 0)
        other_hits = max((n for lang, n in hits.items() if lang != best), default=0)
        decisive = (
            (best_hits >= 2 and best_hits > other_hits)
            or (best_hits >= 1 and other_hits == 0 and best_hits * 2 >= len(words))
            or (len(words) >= 4 and confidence >= 0.5 and best_score >= 1.5 * second_score)
        )
        return Guess(best, confidence, decisive)

    def conversation_language(self, text: Text, current: Optional[Text], default: Text) -> Text:
        """The language to answer `text` in, given the conversation's language so far."""
        guess = self.identify(text)
        if guess.language is None:
            return current or default
        if current is None:
            return guess.language if guess.confidence > 0.3 else default
        if guess.language == current or not guess.decisive:
            return current
        if current in self.markers and self._mentions_markers_of(text, current):
            # Code-switching ("Hola, how much fee para Qatar?") is not a change of language.
            return current
        if current == ARABIZI and ARABIZI_WORD.search(text):
            # One word of Arabizi ("tab el bank a7san wala el sarafa?") keeps Arabic.
            return current
        return guess.language

    def _mentions_markers_of(self, text: Text, language: Text) -> bool:
        return any(fold(t) in self.markers[language] for t in TOKEN.findall(text))

    def asks_for_language(self, text: Text) -> bool:
        """Whether the message has a word that asks for a language ("reply in…")."""
        return bool(self._request and self._request.search(fold(text or "")))

    def named_language(self, text: Text, countries_too: bool = True) -> Optional[Text]:
        """The language a message asks for by name ("speak Nepali", "नेपालीमा"), if any.
        Some names are also countries' ("Nepal" is Nepali in Indonesian): with
        `countries_too=False` (while a country is asked for) they do not count."""
        folded = fold(text or "")
        if folded.strip() in SUPPORTED_LANGUAGES:
            return folded.strip()
        asks = [m.start() for m in self._request.finditer(folded)] if self._request else []
        found = []
        for name, code in self.names.items():
            if not countries_too and name in country_names():
                continue
            for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", folded):
                # The name nearest a word that asks for a language ("write in bangla, my
                # english is weak"), then the longest.
                distance = min((abs(match.start() - a) for a in asks), default=0)
                found.append((distance, -len(name), code))
        return min(found)[2] if found else None


@lru_cache(maxsize=None)
def country_names() -> FrozenSet[Text]:
    """Every country's name as CLDR writes it in each supported language, folded."""
    return frozenset(
        fold(name)
        for language in SUPPORTED_LANGUAGES
        for name in babel_locale(language).territories.values()
    )


def _cldr_language_names() -> Iterable[Tuple[Text, Text]]:
    """Each supported language's name as CLDR writes it in every supported language."""
    for display in SUPPORTED_LANGUAGES:
        locale = babel_locale(display)
        for code in SUPPORTED_LANGUAGES:
            name = locale.languages.get(babel_locale(code).language)
            if name:
                yield fold(name), code


def _distinctive(markers: Mapping[Text, Set[Text]], common: Set[Text]) -> Dict[Text, Set[Text]]:
    """Drop words listed for two languages, or typed in every language."""
    seen: Dict[Text, int] = {}
    for words in markers.values():
        for word in words:
            seen[word] = seen.get(word, 0) + 1
    return {
        language: {w for w in words if seen[w] == 1 and w not in common}
        for language, words in markers.items()
    }


def load_examples(directory: Path) -> List[Tuple[Text, Text]]:
    """(message, language) pairs from Rasa NLU training files named <language>.yml."""
    pairs: List[Tuple[Text, Text]] = []
    for language in SUPPORTED_LANGUAGES:
        path = directory / f"{language}.yml"
        if not path.exists():
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((ENTITY_ANNOTATION.sub(r"\1", line[2:]), language))
    return pairs


def is_latin_script(text: Text) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(ord(c) < 0x0250 for c in letters) * 2 >= len(letters)


class TypingStyles:
    """Naive Bayes over character n-grams of the Latin-script messages people write in each
    language (Taglish, informal Indonesian, romanised Nepali and Bengali, SMS French…)."""

    def __init__(self, examples: Iterable[Tuple[Text, Text]]) -> None:
        latin = [(fold(text), language) for text, language in examples if is_latin_script(text)]
        self.languages: List[Text] = sorted({language for _, language in latin})
        if len(self.languages) < 2:
            self._model = None
            return
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.naive_bayes import MultinomialNB

        self._vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4))
        features = self._vectorizer.fit_transform([text for text, _ in latin])
        self._model = MultinomialNB(alpha=0.1, fit_prior=False)
        self._model.fit(features, [language for _, language in latin])

    def probabilities(self, text: Text) -> Dict[Text, float]:
        if self._model is None or not text.strip():
            return {}
        row = self._model.predict_proba(self._vectorizer.transform([fold(text)]))[0]
        return dict(zip(self._model.classes_, row.tolist(), strict=True))
