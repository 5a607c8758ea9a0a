"""Words that mostly mean one intent, derived from the training data at start: a message
classified "stop", "choose_language" or as the other calculator changes what the bot does
only when it has such a word ("Wakanda" typed as a country can be classified `stop`;
"nepali rupiya ma kati huncha?" can be classified `choose_language`)."""

import re
from collections import Counter
from functools import lru_cache
from typing import FrozenSet, Text

import yaml

from actions import services
from knowledge.details import vocabulary
from knowledge.language import country_names
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.text import fold

# Runs of anything but spaces, digits and punctuation (not \w: Devanagari and Bengali vowel
# signs are not word characters to `re`).
WORD = re.compile(r"[^\s\d!-/:-@\[-`{-~।॥،؛؟…“”«»]+")


@lru_cache(maxsize=None)
def words_of(intent: Text, family: FrozenSet[Text] = frozenset()) -> FrozenSet[Text]:
    """The words that mostly mean this intent (or one of `family`): at least half of the
    training examples (data/nlu/, every language) that use them are its own. Countries
    and languages are left out: they say where and which, not what."""
    ours: Counter = Counter()
    everywhere: Counter = Counter()
    for path in sorted(services.settings().typed_examples_dir.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                words = set(WORD.findall(fold(line.strip().lstrip("- "))))
                everywhere.update(words)
                if block.get("intent") in family | {intent}:
                    ours.update(words)
    names = services.language_identifier().names
    return frozenset(
        w
        for w, n in ours.items()
        if n * 2 >= everywhere[w] and not names_a_country(w) and w not in names
    )


def says_in_words(intent: Text, text: Text, family: FrozenSet[Text] = frozenset()) -> bool:
    return bool(set(WORD.findall(fold(text))) & words_of(intent, family))


def names_a_country(word: Text) -> bool:
    """A word of a country's name, or a country as people write it ("KSA", "Dubai")."""
    return word in country_words() or any(
        vocabulary(language).country_mentions(word) for language in SUPPORTED_LANGUAGES
    )


@lru_cache(maxsize=None)
def country_words() -> FrozenSet[Text]:
    return frozenset(w for name in country_names() for w in WORD.findall(name))
