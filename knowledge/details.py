"""What a message says about money, countries and jobs, in any of the eight languages:
"send 2k dollars from Dubai to Nepal", "एजेन्सीले १,५०,००० माग्यो कतारको लागि",
"ওরা সৌদির জন্য ৪ লাখ টাকা চায়". The calculator and the fee checker fill their forms
from it. The words come from knowledge/language_data/calculators/<language>.yml and
CLDR's country names (babel); English words are understood in every language."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Collection, Dict, List, Mapping, Optional, Sequence, Text, Tuple

import yaml
from babel import Locale
from babel.core import get_global
from babel.numbers import get_territory_currencies

from knowledge.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES
from knowledge.text import fold

WORDS_DIR = PROJECT_ROOT / "knowledge" / "language_data" / "calculators"
# Roles of a country in a message: where the money or the worker goes (TO), where it
# leaves from (FROM), where the user is (AT: "I work in Qatar"), the user's own country
# (HOME: "I'm Nepali").
TO, FROM, AT, HOME = "to", "from", "at", "home"
# How many words after "salary" may hold its amount ("salary bolse 1400 riyal").
WAGE_WINDOW = 5
# A job's pay follows the job at once, or after one small word ("nettoyage a 1100").
JOB_PAY_WINDOW = 3
MAX_PAY_AMOUNTS = 4
CUE_KINDS = (TO, FROM, AT)
# The longest country name, cue or job phrase looked for, in tokens.
LONGEST_PHRASE = 6
CUE_WINDOW = 3

# Letters include the vowel signs of Devanagari and Bengali and Arabic's marks, which
# Python's \w does not count as letters.
_MARKS = (
    "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0903\u093a-\u094f"
    "\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7\u09e2\u09e3\u200c\u200d"
)
_LETTER = rf"(?:[^\W\d_]|[{_MARKS}])"
_TOKEN = re.compile(
    r"(?<!\w)\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?![\d.,]\d)"  # 1 500 (French grouping)
    r"|(?<!\w)[-−]\d+(?:[.,]\d+)*"  # a negative number: -200
    r"|\d+(?:[.,]\d+)*"  # 1,500 / 1.500 / 1,50,000 / 2.5
    # words, u.a.e, rs.; a digit inside or at the end of a word is part of it: Arabizi
    # letters ("sa3odia", "ma3"), Indonesian repetition ("anak2")
    rf"|{_LETTER}+(?:(?:[.'’]|[2-9](?={_LETTER})){_LETTER}+)*(?:[2-9](?!\d|[.,]\d))?\.?"
    r"|[$€£₱৳₹¥₩%]",
)
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,
        "٫": ".",
        "٬": ",",
        "،": ",",
        "٪": "%",
    }
)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")
_YEAR = re.compile(r"(19|20)\d\d")
# A single Arabizi digit that begins a word of two letters or more.
_ARABIZI_WORD = re.compile(rf"(?<![\w.,])([2-9])({_LETTER}{{2,}})")
# A number like a year is one ("in 2024", "since 2019", "2020 ma") unless the message is
# a few words about the last figure ("and 2000?", "w 2000?", "अनि २००० पठाए नि?").
YEAR_CUES = frozenset(
    "in since from until till year en depuis desde hasta ano annee fi mundu sejak tahun "
    "noong taon sal saal ma dekhi theke e te".split()
)
FEW_WORDS = 4
MIXED_LIST_EXCEPTION = "ar"
PUNCTUATION = ".,;:!?()\"'…،؛؟।"


def ascii_digits(text: Text) -> Text:
    """Devanagari, Bengali, Arabic-Indic and other decimal digits as 0-9."""
    return "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char
        for char in text
    )


def _prepare(text: Text) -> Text:
    return ascii_digits(unicodedata.normalize("NFC", text)).translate(_ARABIC_FOLD)


def normalise(text: Text) -> Text:
    return _ARABIC_MARKS.sub("", fold(_prepare(text))).replace("’", "'")


def raw_tokens(text: Text) -> List[Text]:
    """The tokens as typed (digits in ASCII), for telling "USD" from "usd"."""
    return _TOKEN.findall(_prepare(text))


def tokens(text: Text) -> List[Text]:
    folded = (normalise(t) for t in raw_tokens(text))
    return [t.rstrip(".") if not t[0].isdigit() and len(t) > 1 else t for t in folded]


def phrase(text: Text) -> Tuple[Text, ...]:
    return tuple(tokens(text))


def parse_number(token: Text) -> Optional[Decimal]:
    """ "1,500", "1.500", "1,50,000", "1 500" (grouped thousands), "2.5", "2,5" (decimals)."""
    token = re.sub(r"[\u00a0\u202f ]", "", token)
    if token[:1] in "-−":
        number = parse_number(token[1:])
        return -number if number is not None else None
    separators = [c for c in token if c in ".,"]
    if not separators:
        digits = token
    elif len(set(separators)) == 2:
        decimal_mark = token[max(token.rfind("."), token.rfind(","))]
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = token.rpartition(decimal_mark)
        digits = whole.replace(grouping, "") + "." + fraction
    else:
        mark = separators[0]
        groups = token.split(mark)
        thousands = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        indian = (
            mark == ","
            and len(groups) >= 3
            and len(groups[-1]) == 3
            and all(len(g) == 2 for g in groups[1:-1])
            and 1 <= len(groups[0]) <= 2
        )
        if thousands or indian:
            digits = token.replace(mark, "")
        elif len(groups) == 2:
            digits = groups[0] + "." + groups[1]
        else:
            return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Amount:
    value: Decimal
    # One ISO 4217 code, or several for a word such as "riyal" (decided by the countries).
    currencies: Tuple[Text, ...] = ()

    def currency_for(self, countries: Sequence[Optional[Text]]) -> Optional[Text]:
        if not self.currencies:
            return None
        for country in countries:
            for code in currencies_of(country):
                if code in self.currencies:
                    return code
        return self.currencies[0]


@dataclass(frozen=True)
class CountryMention:
    code: Text  # ISO 3166 alpha-3
    role: Optional[Text]  # TO, FROM, HOME (a demonym) or None
    position: int


def _as_list(value) -> List[Text]:
    return [str(v) for v in (value or [])]


# CLDR also maps codes that ISO 3166 withdrew (East Germany, Burma, Zaire, …) to today's
# countries: never use those.
_RETIRED_ALPHA3 = frozenset({"BUR", "ZAR", "DDR", "FXX", "TMP", "YMD"})


@lru_cache(maxsize=None)
def alpha3_codes() -> Dict[Text, Text]:
    """ISO alpha-2 → alpha-3 for the world's countries and territories."""
    codes: Dict[Text, Text] = {}
    for alias, targets in get_global("territory_aliases").items():
        if (
            len(alias) == 3
            and alias.isalpha()
            and len(targets) == 1
            and alias not in _RETIRED_ALPHA3
        ):
            codes[targets[0]] = alias
    return codes


@lru_cache(maxsize=None)
@lru_cache(maxsize=None)
def alpha2_codes() -> Dict[Text, Text]:
    """ISO alpha-3 → alpha-2 (the knowledge base's entries name countries by two letters)."""
    return {a3: a2 for a2, a3 in alpha3_codes().items()}


def currencies_of(country: Optional[Text]) -> Tuple[Text, ...]:
    """The currencies in use today in a country (alpha-3), from CLDR."""
    if not country:
        return ()
    alpha2 = alpha2_codes().get(country or "")
    return tuple(get_territory_currencies(alpha2)) if alpha2 else ()


@lru_cache(maxsize=None)
def _countries_by_currency() -> Dict[Text, Tuple[Text, ...]]:
    found: Dict[Text, List[Text]] = {}
    for country in alpha3_codes().values():
        for code in currencies_of(country):
            found.setdefault(code, []).append(country)
    return {code: tuple(countries) for code, countries in found.items()}


def country_of_currency(currency: Optional[Text]) -> Optional[Text]:
    """The one country whose money this is ("QR" is Qatar's), or None for money several
    countries use (dollars, euros, CFA francs)."""
    countries = _countries_by_currency().get(currency or "", ())
    return countries[0] if len(countries) == 1 else None


def country_name(code: Text, language: Text) -> Text:
    alpha2 = alpha2_codes().get(code, code)
    locale = Locale.parse("fil" if language == "tl" else language)
    return locale.territories.get(alpha2) or Locale("en").territories.get(alpha2, code)


class Vocabulary:
    """The words of one language (with English's), ready for matching."""

    def __init__(self, language: Text, own: Mapping, english: Mapping) -> None:
        self.language = language
        sources = [english, own] if own is not english else [own]
        self.countries: Dict[Tuple[Text, ...], Text] = {}
        for locale_name in {"en", "fil" if language == "tl" else language}:
            for alpha2, name in Locale.parse(locale_name).territories.items():
                if alpha2 in alpha3_codes():
                    self.countries.setdefault(phrase(name), alpha3_codes()[alpha2])
        self.demonyms: Dict[Tuple[Text, ...], Text] = {}
        self.currencies: Dict[Tuple[Text, ...], Tuple[Text, ...]] = {}
        self.multipliers: Dict[Tuple[Text, ...], Decimal] = {}
        self.jobs: Dict[Tuple[Text, ...], Text] = {}
        self.cues: Dict[Text, set] = {}
        self.affixes: Dict[Text, List[Text]] = {}
        self.not_money: set = set()
        self.unknown: set = set()
        # Words that ask for a calculation ("check", "calculate", "hisab garnus").
        self.check: set = set()
        # Words after which an amount is the monthly wage ("salary 1400 riyal").
        self.wage: set = set()
        self.number_words: Dict[Text, Decimal] = {}
        # Numbers in words that are one only before a multiplier ("dos mil", "cinq cent").
        self.counted_words: Dict[Text, Decimal] = {}
        self.plus_half: set = set()
        for index, words in enumerate(sources):
            if index == 1:
                # English words, or CLDR names, that are ordinary words in this language
                # ("at" is "and" in Filipino; "Reunión"): not understood here.
                self._forget(_as_list(own.get("ignore")))
            for code, names in (words.get("countries") or {}).items():
                for name in _as_list(names):
                    self.countries[phrase(name)] = code
            for code, names in (words.get("demonyms") or {}).items():
                for name in _as_list(names):
                    self.demonyms[phrase(name)] = code
            for code, names in (words.get("currencies") or {}).items():
                for name in _as_list(names):
                    self.currencies[phrase(name)] = (code,)
            for name, codes in (words.get("ambiguous_currencies") or {}).items():
                self.currencies[phrase(name)] = tuple(_as_list(codes))
            for factor, names in (words.get("multipliers") or {}).items():
                for name in _as_list(names):
                    self.multipliers[phrase(name)] = Decimal(str(factor))
            for job, names in (words.get("jobs") or {}).items():
                self.jobs[phrase(job.replace("_", " "))] = job  # a button's payload
                for name in _as_list(names):
                    self.jobs[phrase(name)] = job
            for kind, names in (words.get("direction") or {}).items():
                if kind.endswith(("_prefix", "_suffix")):
                    self.affixes.setdefault(kind, []).extend(normalise(n) for n in _as_list(names))
                else:
                    self.cues.setdefault(kind, set()).update(phrase(n) for n in _as_list(names))
            self.not_money.update(phrase(n) for n in _as_list(words.get("not_money_after")))
            self.unknown.update(phrase(n) for n in _as_list(words.get("unknown")))
            self.check.update(phrase(n) for n in _as_list(words.get("check")))
            self.wage.update(phrase(n) for n in _as_list(words.get("wage")))
            for key, table in (
                ("number_words", self.number_words),
                ("counted_words", self.counted_words),
            ):
                for value, names in (words.get(key) or {}).items():
                    for name in _as_list(names):
                        table[normalise(name)] = Decimal(str(value))
            self.plus_half.update(normalise(n) for n in _as_list(words.get("plus_half")))
        for kind in self.affixes:  # longest affix first: "للسعودية" before "لسعودية"
            self.affixes[kind].sort(key=len, reverse=True)
        self.countries.pop((), None)

    def _forget(self, words: List[Text]) -> None:
        for key in map(phrase, words):
            for table in (
                self.countries,
                self.demonyms,
                self.currencies,
                self.multipliers,
                self.jobs,
            ):
                table.pop(key, None)
            for group in (*self.cues.values(), self.not_money, self.unknown):
                group.discard(key)

    # --- matching helpers ---------------------------------------------------------------
    @staticmethod
    def _longest(table: Mapping[Tuple[Text, ...], object], words: Sequence[Text], start: int):
        for length in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
            key = tuple(words[start : start + length])
            if key in table:
                return key, table[key]
        return None, None

    def _has_cue(self, kind: Text, words: Sequence[Text], start: int, end: int) -> bool:
        cues = self.cues.get(kind) or set()
        if kind.endswith("_before"):
            return any(
                tuple(words[i:start]) in cues for i in range(max(0, start - CUE_WINDOW), start)
            )
        return any(
            tuple(words[end:j]) in cues
            for j in range(end + 1, min(len(words), end + CUE_WINDOW) + 1)
        )

    def _strip_affix(self, word: Text) -> Tuple[Optional[Text], Optional[Text]]:
        """A country's name with a glued preposition or case ending: (code, role)."""
        for kind, affixes in self.affixes.items():
            for affix in affixes:
                if (
                    kind.endswith("_prefix")
                    and word.startswith(affix)
                    and len(word) > len(affix) + 1
                ):
                    code = self.countries.get((word[len(affix) :],))
                elif (
                    kind.endswith("_suffix") and word.endswith(affix) and len(word) > len(affix) + 1
                ):
                    code = self.countries.get((word[: -len(affix)],))
                else:
                    continue
                if code:
                    return code, kind.split("_")[0]
        return None, None

    # --- what the message says ----------------------------------------------------------
    def country_mentions(self, text: Text) -> List[CountryMention]:
        words = tokens(text)
        # "dolar taiwan", "indian rupees" name a currency, not a country.
        in_currency = set()
        for start in range(len(words)):
            key, _ = self._longest(self.currencies, words, start)
            if key is not None and len(key) > 1:
                in_currency.update(range(start, start + len(key)))
        found: List[CountryMention] = []
        i = 0
        while i < len(words):
            if i in in_currency:
                i += 1
                continue
            key, code = self._longest(self.countries, words, i)
            role = None
            if key is None:
                demonym_key, demonym = self._longest(self.demonyms, words, i)
                if demonym_key is not None:
                    found.append(CountryMention(demonym, HOME, i))
                    i += len(demonym_key)
                    continue
                code, role = self._strip_affix(words[i])
                if code is None:
                    i += 1
                    continue
                key = (words[i],)
            end = i + len(key)
            if role is None:
                role = next(
                    (
                        kind
                        for kind in CUE_KINDS
                        if self._has_cue(f"{kind}_before", words, i, end)
                        or self._has_cue(f"{kind}_after", words, i, end)
                    ),
                    None,
                )
            # A country named twice is one mention, with the role one of them gives;
            # "from Nepal to Nepal" stays two, a mistake to point out.
            same = next((n for n, m in enumerate(found) if m.code == code), None)
            if same is None or {found[same].role, role} == {FROM, TO}:
                found.append(CountryMention(code, role, i))
            elif found[same].role is None and role is not None:
                found[same] = CountryMention(code, role, found[same].position)
            i = end
        return found

    def _number_at(self, words: Sequence[Text], i: int) -> Tuple[Optional[Decimal], int, Decimal]:
        """The number that starts at token i: (value, end, multiplier). "2 lakh", "१५००",
        "sade 3 lakh" (3.5 lakh), "dedh lakh" (1.5 lakh); (None, i, 1) when none does."""
        half = Decimal(0)
        start = i
        if i < len(words) and words[i] in self.plus_half:
            half, i = Decimal("0.5"), i + 1
        if i >= len(words):
            return None, start, Decimal(1)
        in_words = not (words[i][0].isdigit() or (words[i][0] in "-−" and len(words[i]) > 1))
        if not in_words:
            value = parse_number(words[i])
        else:
            value = self.number_words.get(words[i])
            if value is None and self._longest(self.multipliers, words, i + 1)[0]:
                value = self.counted_words.get(words[i])
        if value is None:
            return None, start, Decimal(1)
        value += half
        end = i + 1
        key, factor = self._longest(self.multipliers, words, end)
        if key is None:
            # A number in words is the larger part of an amount whose smaller part may
            # follow: "mil quinientos" is 1,500, "mil" being a thousand.
            magnitude = Decimal(10) ** (len(str(int(value))) - 1) if in_words else 1
            return value, end, Decimal(magnitude)
        end += len(key)
        value *= factor
        # "cinq cent mille": a larger multiplier after a smaller one multiplies again.
        more, more_factor = self._longest(self.multipliers, words, end)
        while more is not None and more_factor > factor:
            value, end, factor = value * more_factor, end + len(more), more_factor
            more, more_factor = self._longest(self.multipliers, words, end)
        return value, end, factor

    def _not_money_at(self, words: Sequence[Text], end: int) -> bool:
        return any(tuple(words[end : end + n]) in self.not_money for n in (1, 2))

    def amounts(self, text: Text) -> List[Amount]:
        """Amounts of money, the ones with a currency first. Parts of one amount are added
        up: "2 lakh 50 hajar" is 250,000."""
        text = self._arabizi_words(text)
        original = raw_tokens(text)
        words = tokens(text)
        with_currency: List[Amount] = []
        without: List[Amount] = []
        i = 0
        while i < len(words):
            value, end, factor = self._number_at(words, i)
            if value is None:
                i += 1
                continue
            start, smallest = i, factor
            while smallest > 1:
                more, more_end, more_factor = self._number_at(words, end)
                if (
                    more is None
                    or more_factor >= smallest
                    or more >= smallest
                    or self._not_money_at(words, more_end)
                ):
                    break
                value, end, smallest = value + more, more_end, more_factor
            i = end
            if self._not_money_at(words, end):
                continue
            currencies = self._currency_near(words, original, start, end)
            if not currencies and end - start == 1 and _YEAR.fullmatch(words[start]):
                beside = {words[start - 1] if start else "", words[end] if end < len(words) else ""}
                if len(words) > FEW_WORDS or beside & YEAR_CUES:
                    continue  # "in 2024"
            (with_currency if currencies else without).append(Amount(value, currencies))
        if with_currency:
            return with_currency + without
        general = self._any_currency(words, original)
        return [Amount(a.value, general) for a in without]

    def _arabizi_words(self, text: Text) -> Text:
        """Words that begin with an Arabizi digit ("3afak", "7abibi", "2ana") lose it: no
        amount is glued to a word, unless the word is a unit ("5k", "2lakh", "5rb")."""

        def word(match: "re.Match[Text]") -> Text:
            unit = (normalise(match.group(2)),)
            if unit in self.multipliers or unit in self.currencies:
                return match.group(0)
            return match.group(2)

        return _ARABIZI_WORD.sub(word, text)

    def _currency_at(
        self, words: Sequence[Text], original: Sequence[Text], start: int, before: bool
    ):
        for length in range(LONGEST_PHRASE, 0, -1):
            begin, stop = (start - length, start) if before else (start, start + length)
            if begin < 0 or stop > len(words):
                continue
            key = tuple(words[begin:stop])
            if key in self.currencies:
                return self.currencies[key]
        index = start - 1 if before else start
        if 0 <= index < len(original):
            token = original[index]
            if re.fullmatch(r"[A-Z]{3}", token) and token in _iso_currencies():
                return (token,)
        return ()

    def _currency_near(self, words, original, start: int, end: int) -> Tuple[Text, ...]:
        return self._currency_at(words, original, end, before=False) or self._currency_at(
            words, original, start, before=True
        )

    def _any_currency(self, words, original) -> Tuple[Text, ...]:
        for i in range(len(words)):
            found = self._currency_at(words, original, i, before=False)
            if found:
                return found
        return ()

    def currency_in(self, text: Text) -> Tuple[Text, ...]:
        """A currency named anywhere in the message ("riyal", "USD")."""
        return self._any_currency(tokens(text), raw_tokens(text))

    def job(self, text: Text) -> Optional[Text]:
        words = tokens(text)
        for i in range(len(words)):
            key, job = self._longest(self.jobs, words, i)
            if key is not None:
                return job
        return None

    def says_unknown(self, text: Text) -> bool:
        return self._says(self.unknown, text)

    def wage_in(
        self, text: Text, words_before: Optional[Collection] = None, window_size: int = WAGE_WINDOW
    ) -> Tuple[Text, Optional[Amount]]:
        """The amount a wage word introduces ("gaji 4990 hkd"), and the message without it:
        (text, None) when the message names no wage. (`words_before`: other words that
        introduce a wage, read `window_size` words on.)"""
        raw, words = raw_tokens(text), tokens(text)
        introducing = sorted(self.wage if words_before is None else words_before, key=len)
        for i in range(len(words)):
            said = next(
                (p for p in reversed(introducing) if tuple(words[i : i + len(p)]) == p),
                None,
            )
            if said is None:
                continue
            start = i + len(said)
            window = raw[start : start + window_size]
            found = self.amounts(" ".join(window))
            if not found:
                continue
            # The wage's own words go (its number, currency, "lakh") up to the first other
            # word after them: "salary 1500 ringgit, i send 500" keeps "i send 500".
            kept: List[Text] = []
            in_wage = past_wage = False
            for token in window:
                folded = (normalise(token.strip(PUNCTUATION)),)
                of_wage = (
                    any(c.isdigit() for c in token)
                    or folded in self.currencies
                    or folded in self.multipliers
                )
                if of_wage and not past_wage:
                    in_wage = True
                    continue
                past_wage = past_wage or in_wage
                kept.append(token)
            return " ".join(raw[:i] + kept + raw[start + window_size :]), found[0]
        return text, None

    def only_pay(self, text: Text) -> bool:
        """Whether every amount of the message is pay: after a wage word, or right after a
        job ("agent de securite 1800 riyals ... nettoyage a 1100", "محاسب ب ٤٠٠ دينار"). No
        one names a transfer so; a fee may follow a job ("house maid 2 lakh lagcha"), so
        this only tells a job's pay from a transfer."""
        rest, paid = text, False
        for words_before, size in ((self.wage, WAGE_WINDOW), (self.jobs, JOB_PAY_WINDOW)):
            for _ in range(MAX_PAY_AMOUNTS):
                rest, pay = self.wage_in(rest, words_before, size)
                if pay is None:
                    break
                paid = True
        return paid and not self.amounts(rest)

    def only_a_wage(self, text: Text) -> bool:
        """Whether the message's only amount is a wage ("gaji 4990 hkd"), not "my salary
        is 1500 ringgit, i send 500 home"."""
        rest, wage = self.wage_in(text)
        return wage is not None and not self.amounts(rest)

    def asks_to_calculate(self, text: Text) -> bool:
        """Whether the message asks for a check or a calculation ("check my fee")."""
        return self._says(self.check, text)

    @staticmethod
    def _says(phrases: set, text: Text) -> bool:
        words = tokens(text)
        return any(tuple(words[i : i + len(p)]) == p for p in phrases for i in range(len(words)))


@lru_cache(maxsize=None)
def _iso_currencies() -> frozenset:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def read_words(language: Text, directory: Path = WORDS_DIR) -> Mapping:
    path = directory / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=None)
def vocabulary(language: Text) -> Vocabulary:
    if language not in SUPPORTED_LANGUAGES:
        language = "en"
    english = read_words("en")
    own = english if language == "en" else read_words(language)
    words = Vocabulary(language, own, english)
    # People mix languages ("rani chauffeur f dubai depuis 3 ans"): a number before a word
    # of time or count in any language is no amount. Arabizi's letter pieces ("a", "al")
    # are ordinary words elsewhere, so Arabic's list stays its own.
    for other in SUPPORTED_LANGUAGES:
        if other not in (language, MIXED_LIST_EXCEPTION):
            words.not_money.update(
                phrase(n) for n in _as_list(read_words(other).get("not_money_after"))
            )
    return words
