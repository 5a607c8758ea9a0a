"""Text normalisation shared by language identification and the danger signals."""

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
