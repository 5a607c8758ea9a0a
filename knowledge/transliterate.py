"""Nepali and Bengali are typed both in their own scripts and in Latin letters ("राहदानी",
"rahadani"; "টাকা", "taka"), and Arabic in Latin letters with digits ("Arabizi":
"جواز", "jawaz"; "الكفيل", "el kafeel"). For comparing texts, both are brought to one
rough Latin spelling: the script is transliterated letter by letter, and spellings that
people vary (aa/a, chh/ch, w/b/v, doubled letters) are folded together. Arabic writes
few vowels, so its words and Arabizi words are both reduced to their consonants. This
is for matching only; nobody reads the result."""

import re
from typing import Text

# Consonants shared by both scripts' romanisations, by Unicode offset from the block start
# (Devanagari U+0900, Bengali U+0980 have the same layout for these letters).
_CONSONANTS = {
    0x15: "k",
    0x16: "kh",
    0x17: "g",
    0x18: "gh",
    0x19: "ng",
    0x1A: "ch",
    0x1B: "chh",
    0x1C: "j",
    0x1D: "jh",
    0x1E: "ny",
    0x1F: "t",
    0x20: "th",
    0x21: "d",
    0x22: "dh",
    0x23: "n",
    0x24: "t",
    0x25: "th",
    0x26: "d",
    0x27: "dh",
    0x28: "n",
    0x2A: "p",
    0x2B: "ph",
    0x2C: "b",
    0x2D: "bh",
    0x2E: "m",
    0x2F: "y",
    0x30: "r",
    0x32: "l",
    0x35: "b",
    0x36: "sh",
    0x37: "sh",
    0x38: "s",
    0x39: "h",
    0x5C: "r",
    0x5D: "rh",
    0x5F: "y",  # Bengali ড় ঢ় য়
    0x58: "q",
    0x59: "kh",
    0x5A: "g",
    0x5B: "z",
    0x5E: "f",  # Devanagari nukta letters
}
_INDEPENDENT_VOWELS = {
    0x05: "a",
    0x06: "a",
    0x07: "i",
    0x08: "i",
    0x09: "u",
    0x0A: "u",
    0x0B: "ri",
    0x0F: "e",
    0x10: "ai",
    0x13: "o",
    0x14: "au",
}
_VOWEL_SIGNS = {
    0x3E: "a",
    0x3F: "i",
    0x40: "i",
    0x41: "u",
    0x42: "u",
    0x43: "ri",
    0x47: "e",
    0x48: "ai",
    0x4B: "o",
    0x4C: "au",
    0x57: "au",
}
_VIRAMA, _NASALS, _VISARGA, _NUKTA = 0x4D, (0x01, 0x02), 0x03, 0x3C
_SCRIPTS = {"ne": (0x0900, "a"), "bn": (0x0980, "o")}
_SPELLING = [
    (re.compile(r"chh"), "ch"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"oo"), "u"),
    (re.compile(r"[vw]"), "b"),
    (re.compile(r"z"), "j"),
    (re.compile(r"q"), "k"),
    (re.compile(r"(?<=[kgcjtdpb])h"), ""),
    (re.compile(r"sh"), "s"),
    (re.compile(r"ph"), "f"),
]


def to_latin(word: Text, language: Text) -> Text:
    """One word in rough Latin letters; text in other scripts passes through."""
    if language not in _SCRIPTS:
        return word
    base, inherent = _SCRIPTS[language]
    letters = []
    pending_vowel = False
    for char in word:
        offset = ord(char) - base
        if not 0 <= offset < 0x80:
            if pending_vowel:
                letters.append(inherent)
                pending_vowel = False
            letters.append(char)
            continue
        if offset in _CONSONANTS:
            if pending_vowel:
                letters.append(inherent)
            letters.append(_CONSONANTS[offset])
            pending_vowel = True
        elif offset in _VOWEL_SIGNS:
            letters.append(_VOWEL_SIGNS[offset])
            pending_vowel = False
        elif offset == _VIRAMA:
            pending_vowel = False
        elif offset in _NASALS:
            if pending_vowel:
                letters.append(inherent)
                pending_vowel = False
            letters.append("n")
        elif offset == _VISARGA:
            letters.append("h")
        elif offset in _INDEPENDENT_VOWELS:
            if pending_vowel:
                letters.append(inherent)
                pending_vowel = False
            letters.append(_INDEPENDENT_VOWELS[offset])
        elif 0x66 <= offset <= 0x6F:  # digits
            if pending_vowel:
                letters.append(inherent)
                pending_vowel = False
            letters.append(str(offset - 0x66))
        # the nukta, signs and marks add nothing to the matching
    # A word-final inherent vowel is usually not written in Latin ("bidesh", not "bidesha").
    return "".join(letters)


# Arabic letters as the consonants Arabizi writes for them; letters that are vowels or
# glottal stops in writing (alif, waw, ya, hamza, ta marbuta, ayn) carry nothing here.
_ARABIC_CONSONANTS = dict(
    zip(
        "بتثجحخدذرزسشصضطظغفقكلمنهگچپڤ",
        ["b", "t", "t", "j", "h", "x", "d", "d", "r", "z", "s", "s", "s", "d", "t", "z", "g",
         "f", "k", "k", "l", "m", "n", "h", "g", "j", "b", "f"],
        strict=True,
    )
)  # fmt: skip
_ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=..)")
# Arabizi: the digits that write Arabic sounds, and Latin spellings of one sound.
_ARABIZI = [
    (re.compile(r"kh|5"), "x"),
    (re.compile(r"gh|8"), "g"),
    (re.compile(r"sh|ch"), "s"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"7"), "h"),
    (re.compile(r"[q9]"), "k"),
    (re.compile(r"6"), "t"),
    (re.compile(r"p"), "b"),
    (re.compile(r"v"), "f"),
    (re.compile(r"[23aeiouyw']"), ""),
    (re.compile(r"h$"), ""),
    (re.compile(r"([a-z])\1+"), r"\1"),
]
_ARABIZI_ARTICLES = frozenset({"el", "al", "il", "l", "e"})


def _arabic_key(word: Text) -> Text:
    if any("\u0600" <= char <= "\u06ff" for char in word):
        stripped = _ARABIC_ARTICLE.sub("", word)
        consonants = "".join(_ARABIC_CONSONANTS.get(char, "") for char in stripped)
        return re.sub(r"([a-z])\1+", r"\1", consonants)
    if word in _ARABIZI_ARTICLES:
        return ""
    latin = word.lower()
    for pattern, replacement in _ARABIZI:
        latin = pattern.sub(replacement, latin)
    return latin


# Arabic as Arabizi is compared: both scripts reduced to their consonants. (Arabic in its
# own script is compared letter for letter: reduced, it loses more than it gains.)
ARABIZI = "ar-latn"


def spelling_key(word: Text, language: Text) -> Text:
    """The word transliterated and with its variable spellings folded together."""
    if language == ARABIZI:
        return _arabic_key(word)
    if language not in _SCRIPTS:
        return word
    latin = to_latin(word, language).lower()
    for pattern, replacement in _SPELLING:
        latin = pattern.sub(replacement, latin)
    return latin
