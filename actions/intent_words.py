"""The words that mostly mean an intent (knowledge/intent_words.py), for the actions: a
message classified as the other calculator switches to it only with such a word (a bare
country is no wish to switch)."""

from functools import lru_cache
from typing import FrozenSet, Text

from actions import services
from knowledge.intent_words import WORD, distinctive_words, words_in

__all__ = ["WORD", "says_in_words", "words_of"]


@lru_cache(maxsize=None)
def words_of(intent: Text, family: FrozenSet[Text] = frozenset()) -> FrozenSet[Text]:
    """The words that mostly mean this intent (or one of `family`); languages' names are
    left out too: they say which, not what."""
    return distinctive_words(
        services.settings().typed_examples_dir,
        family | {intent},
        frozenset(services.language_identifier().names),
    )


def says_in_words(intent: Text, text: Text, family: FrozenSet[Text] = frozenset()) -> bool:
    return bool(words_in(text) & words_of(intent, family))
