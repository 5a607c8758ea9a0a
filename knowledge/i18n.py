"""What the bot says, in the conversation's language: responses from the domain files,
translated through the gettext catalogs under locales/, values formatted with babel for
the user's locale, right-to-left text marked so that it displays right to left."""

import datetime
import logging
import random
import re
import string
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Text

import yaml
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent, parse_pattern
from babel.support import NullTranslations, Translations

from knowledge.settings import SUPPORTED_LANGUAGES, Settings

logger = logging.getLogger(__name__)

CATALOG_DOMAIN = "messages"
# Catalog contexts: a response's text uses the response's name; button titles share one.
BUTTON_CONTEXT = "button"
LANGUAGE_NAME_CONTEXT = "language name"
# The language-choice buttons name each language in its own script: never translated.
LANGUAGE_CHOICE_PREFIX = "/choose_language{"
RIGHT_TO_LEFT_MARK = "\u200f"
PLACEHOLDER = re.compile(r"{(\w+)}")


def babel_locale(language: Text) -> Locale:
    """The CLDR locale for one of the assistant's languages ("tl" is CLDR's "fil")."""
    return Locale.parse("fil" if language == "tl" else language)


def button_context(button: Mapping[Text, Any]) -> Text:
    if str(button.get("payload", "")).startswith(LANGUAGE_CHOICE_PREFIX):
        return LANGUAGE_NAME_CONTEXT
    return BUTTON_CONTEXT


def placeholders(text: Optional[Text]) -> List[Text]:
    """The {names} in a text, sorted; a translation must keep the same ones."""
    return sorted(set(PLACEHOLDER.findall(text or "")))


def format_value(value: Any, language: Text) -> Text:
    """Format one value for the user's locale.

    Values are typed by shape: {"percent": 0.03}, {"amount": 150000, "currency": "NPR"},
    {"date": "2024-08-30"}, {"quarter": "2023-Q3"}, a list (joined as the locale joins
    lists), a number, or text (shown as it is).
    """
    locale = babel_locale(language)
    if isinstance(value, Mapping):
        if "percent" in value:
            return format_percent(value["percent"], locale=locale, decimal_quantization=False)
        if "amount" in value:
            return format_money(value["amount"], value["currency"], locale)
        if "date" in value:
            return format_date(datetime.date.fromisoformat(value["date"]), "long", locale=locale)
        if "quarter" in value:
            year, quarter = str(value["quarter"]).split("-Q")
            first_day = datetime.date(int(year), 3 * int(quarter) - 2, 1)
            return format_date(first_day, "QQQ y", locale=locale)
        raise ValueError(f"unknown value shape: {sorted(value)}")
    if isinstance(value, (list, tuple)):
        return format_list([format_value(item, language) for item in value], locale=locale)
    if isinstance(value, bool):
        raise ValueError("a yes/no value has no display form")
    if isinstance(value, (int, float, Decimal)):
        return format_decimal(value, locale=locale)
    return str(value)


def format_money(amount: Any, currency: Text, locale: Locale) -> Text:
    """Money as the locale writes it; whole amounts without decimals ("NPR 140,000")."""
    number = Decimal(str(amount))
    if number != number.to_integral_value():
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return format_currency(number, currency, locale=locale)
    pattern = parse_pattern(locale.currency_formats["standard"].pattern)
    pattern.frac_prec = (0, 0)
    return pattern.apply(number, locale, currency=currency, currency_digits=False)


def mark_direction(text: Text, language: Text) -> Text:
    """Start every line of right-to-left text with a right-to-left mark, so a line that
    begins with a number, a bullet or a Latin name ("ILO C189") still reads right to left."""
    if babel_locale(language).character_order != "right-to-left":
        return text
    return "\n".join(RIGHT_TO_LEFT_MARK + line for line in text.split("\n"))


class Catalogs:
    """The compiled gettext catalogs, one per language, loaded once."""

    def __init__(self, locales_dir: Path) -> None:
        self._translations: Dict[Text, NullTranslations] = {}
        for language in SUPPORTED_LANGUAGES:
            loaded = Translations.load(str(locales_dir), [language], CATALOG_DOMAIN)
            if language != "en" and not isinstance(loaded, Translations):
                logger.warning("No compiled catalog for %r: run `make catalogs`.", language)
            self._translations[language] = loaded

    def translate(self, language: Text, context: Text, text: Text) -> Text:
        translations = self._translations.get(language) or NullTranslations()
        return translations.pgettext(context, text)


@dataclass(frozen=True)
class Fact:
    """A sourced figure an answer quotes (knowledge/facts.yml)."""

    name: Text
    kind: Text
    value: Any
    source: Text
    review_status: Text

    def as_value(self) -> Any:
        return {self.kind: self.value}


def load_facts(path: Path) -> Dict[Text, Fact]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        name: Fact(name, item["kind"], item["value"], item["source"], item["review_status"])
        for name, item in raw.items()
    }


def load_responses(domain_dir: Path) -> Dict[Text, List[Dict[Text, Any]]]:
    """The `responses:` of every domain file, by response name."""
    responses: Dict[Text, List[Dict[Text, Any]]] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        responses.update(document.get("responses") or {})
    return responses


class MissingValue(KeyError):
    """A response has a {placeholder} that neither the action nor the facts fill."""


class ResponseRenderer:
    """Turns a response name, a language and values into the message a user sees."""

    def __init__(
        self,
        responses: Mapping[Text, List[Dict[Text, Any]]],
        catalogs: Catalogs,
        facts: Mapping[Text, Fact],
        default_language: Text = "en",
    ) -> None:
        self.responses = responses
        self.catalogs = catalogs
        self.facts = facts
        self.default_language = default_language

    def render(
        self,
        name: Text,
        language: Optional[Text],
        values: Optional[Mapping[Text, Any]] = None,
        channel: Optional[Text] = None,
    ) -> Dict[Text, Any]:
        if language not in SUPPORTED_LANGUAGES:
            language = self.default_language
        variation = self._pick_variation(name, channel)
        message: Dict[Text, Any] = {}
        if variation.get("text"):
            translated = self.catalogs.translate(language, name, variation["text"])
            message["text"] = mark_direction(
                self._fill(translated, language, values or {}), language
            )
        buttons = variation.get("buttons") or []
        if buttons:
            message["buttons"] = [
                {
                    "title": mark_direction(
                        self.catalogs.translate(language, button_context(b), b["title"]),
                        language,
                    ),
                    "payload": b["payload"],
                }
                for b in buttons
            ]
        for key in ("image", "custom", "attachment"):
            if variation.get(key):
                message[key] = variation[key]
        # The messaging channels (bot/messaging.py) word their own additions in it.
        message["language"] = language
        return message

    def _pick_variation(self, name: Text, channel: Optional[Text]) -> Dict[Text, Any]:
        variations = self.responses.get(name)
        if not variations:
            raise KeyError(f"no response named {name!r} in the domain")
        for_channel = [v for v in variations if v.get("channel") == channel]
        general = [v for v in variations if not v.get("channel")]
        return random.choice(for_channel or general or variations)

    def _fill(self, text: Text, language: Text, values: Mapping[Text, Any]) -> Text:
        names = [field for _, field, _, _ in string.Formatter().parse(text) if field]
        if not names:
            return text
        formatted: Dict[Text, Text] = {}
        for field in names:
            if field in values and values[field] is not None:
                formatted[field] = format_value(values[field], language)
            elif field in self.facts:
                formatted[field] = format_value(self.facts[field].as_value(), language)
            else:
                raise MissingValue(field)
        return text.format_map(formatted)


def build_renderer(config: Settings) -> ResponseRenderer:
    """The renderer for a configuration: its domain's responses, catalogs and facts."""
    return ResponseRenderer(
        load_responses(config.domain_dir),
        Catalogs(config.locales_dir),
        load_facts(config.facts_file),
        config.default_language,
    )
