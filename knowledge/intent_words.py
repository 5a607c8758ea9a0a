"""Words that mostly mean one intent, read from the NLU training files: at least half of
the training messages (every language) that use the word, and at least two, are that
intent's. A message
classified as an intent that deletes or stops something must have such a word: the
classifier's guess at an unknown word ("Wakanda", "ha? di ko po gets") deletes nothing.
Countries are left out: they say where, not what."""

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Iterable, Text

import yaml

from knowledge.details import vocabulary
from knowledge.language import country_names
from knowledge.settings import SUPPORTED_LANGUAGES
from knowledge.text import fold

# Runs of anything but spaces, digits and punctuation (not \w: Devanagari and Bengali vowel
# signs are not word characters to `re`).
WORD = re.compile(r"[^\s\d!-/:-@\[-`{-~।॥،؛؟…“”«»]+")


# A word used once is a coincidence of one example ("sinabi", "told"), not the intent's.
MIN_USES = 2


def words_in(text: Text) -> FrozenSet[Text]:
    return frozenset(WORD.findall(fold(text)))


def distinctive_words(
    examples_dir: Path,
    intents: Iterable[Text],
    exclude: FrozenSet[Text] = frozenset(),
    share: float = 0.5,
) -> FrozenSet[Text]:
    """The words that mostly mean one of `intents` in the training files of `examples_dir`:
    at least `share` of the examples that use them are the intents'."""
    family = set(intents)
    ours: Counter = Counter()
    everywhere: Counter = Counter()
    for path in sorted(examples_dir.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                words = words_in(line.strip().lstrip("- "))
                everywhere.update(words)
                if block.get("intent") in family:
                    ours.update(words)
    return frozenset(
        w
        for w, n in ours.items()
        if n >= MIN_USES
        and n >= share * everywhere[w]
        and w not in exclude
        and not names_a_country(w)
    )


def names_a_country(word: Text) -> bool:
    """A word of a country's name, or a country as people write it ("KSA", "Dubai")."""
    return word in _country_words() or any(
        vocabulary(language).country_mentions(word) for language in SUPPORTED_LANGUAGES
    )


@lru_cache(maxsize=None)
def _country_words() -> FrozenSet[Text]:
    return frozenset(w for name in country_names() for w in WORD.findall(name))
