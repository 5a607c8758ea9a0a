"""Text normalisation shared by language identification and the danger signals, and
the first sentence of an answer (its point, said again in short)."""

import re
import unicodedata
from typing import List, Text


def fold(text: Text) -> Text:
    """Lower case without Latin accents ("Cuánto" is "cuanto"); the vowel signs of Arabic,
    Devanagari and Bengali are letters, not accents, and are kept."""
    kept: List[Text] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(char):
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = ord(char) < 0x0250
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


# A sentence ends at . ! ? (and the Devanagari/Bengali danda, the Arabic question mark)
# followed by a space and what can start a sentence: "Cap. 57", "art. 21" or "3.5%" do
# not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?।؟])\s+(?=[^\s\da-z(])")
# A first sentence shorter than this ("Yes.") says too little on its own: the next one
# joins it.
SHORTEST_SUMMARY = 40


def first_sentence(text: Text) -> Text:
    """The opening sentence of an answer, which says its point."""
    summary = ""
    for sentence in _SENTENCE_END.split(text.strip()):
        summary = f"{summary} {sentence}".strip()
        if len(summary) >= SHORTEST_SUMMARY:
            break
    return summary
