"""Configuration, read once from environment variables (defaults documented in README)."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Text, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# ISO 639-1 codes of the languages the assistant converses in.
SUPPORTED_LANGUAGES: Tuple[Text, ...] = ("en", "fr", "es", "ar", "ne", "tl", "bn", "id")
# Each language named in itself (language pickers: never translated).
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "ne": "नेपाली",
    "tl": "Filipino",
    "bn": "বাংলা",
    "id": "Bahasa Indonesia",
}


@dataclass(frozen=True)
class Settings:
    default_language: Text = "en"
    locales_dir: Path = PROJECT_ROOT / "locales"
    domain_dir: Path = PROJECT_ROOT / "bot" / "domain"
    facts_file: Path = PROJECT_ROOT / "knowledge" / "facts.yml"
    danger_signals_file: Path = PROJECT_ROOT / "knowledge" / "danger_signals.yml"
    # Emergency numbers and helplines per country, with their sources.
    contacts_file: Path = PROJECT_ROOT / "knowledge" / "contacts.yml"
    language_data_dir: Path = PROJECT_ROOT / "knowledge" / "language_data"
    # How people type in each language: the NLU training messages (never the held-out sets).
    typed_examples_dir: Path = PROJECT_ROOT / "data" / "nlu"
    # Ways to reach a person, as the deploying organisation publishes them
    # ("WhatsApp +977 …", "help@centre.example"); empty means nobody is connected.
    handoff_contacts: Tuple[Text, ...] = field(default_factory=tuple)
    handoff_hours: Optional[Text] = None
    # A helpdesk that takes conversations over (a Chatwoot-style inbox or any webhook): the
    # bot posts the conversation there when someone asks for a person.
    handoff_webhook_url: Optional[Text] = None
    handoff_webhook_token: Optional[Text] = None
    # Any SQLAlchemy URL; the default is a SQLite file beside the project.
    database_url: Text = f"sqlite:///{PROJECT_ROOT / 'var' / 'knowledge.db'}"
    documents_dir: Path = PROJECT_ROOT / "knowledge" / "sources" / "documents"
    entries_dir: Path = PROJECT_ROOT / "knowledge" / "entries"
    references_file: Path = PROJECT_ROOT / "knowledge" / "references.yml"
    # How often (seconds) the bot asks the database whether published content changed.
    refresh_interval: float = 2.0
    # The calculators' data: remittance prices shipped with the project, the fee rules,
    # and where `python -m knowledge remittances refresh` fetches new prices from.
    remittances_file: Path = (
        PROJECT_ROOT
        / "knowledge"
        / "sources"
        / "remittances"
        / "wb_corridor_average_cost_2011q1_2020q3.csv"
    )
    fee_rules_file: Path = PROJECT_ROOT / "knowledge" / "fee_rules.yml"
    # Annual average exchange rates with their sources (World Bank WDI, Federal Reserve).
    fx_file: Path = PROJECT_ROOT / "knowledge" / "sources" / "fx.csv"
    remittances_url: Optional[Text] = None
    # Where people reach the web chat (webchat/), e.g. https://assistant.example.org: the
    # bot links to the printable checklist there. Empty: no link.
    public_url: Optional[Text] = None


def load_settings(environ: Mapping[Text, Text] = os.environ) -> Settings:
    default_language = environ.get("ASSISTANT_DEFAULT_LANGUAGE", "en")
    if default_language not in SUPPORTED_LANGUAGES:
        raise ValueError(
            f"ASSISTANT_DEFAULT_LANGUAGE={default_language!r} is not one of "
            f"{', '.join(SUPPORTED_LANGUAGES)}"
        )
    contacts = tuple(
        part.strip()
        for part in environ.get("ASSISTANT_HANDOFF_CONTACTS", "").split(";")
        if part.strip()
    )
    refresh_interval = environ.get("ASSISTANT_KB_REFRESH_SECONDS", "2")
    try:
        refresh_seconds = float(refresh_interval)
    except ValueError:
        raise ValueError(
            f"ASSISTANT_KB_REFRESH_SECONDS={refresh_interval!r} is not a number of seconds"
        ) from None
    optional = {}
    if environ.get("ASSISTANT_DATABASE_URL", "").strip():
        optional["database_url"] = environ["ASSISTANT_DATABASE_URL"].strip()
    if environ.get("ASSISTANT_PUBLIC_URL", "").strip():
        optional["public_url"] = environ["ASSISTANT_PUBLIC_URL"].strip().rstrip("/")
    if environ.get("ASSISTANT_REMITTANCES_URL", "").strip():
        optional["remittances_url"] = environ["ASSISTANT_REMITTANCES_URL"].strip()
    return Settings(
        default_language=default_language,
        refresh_interval=max(0.0, refresh_seconds),
        **optional,
        handoff_contacts=contacts,
        handoff_hours=environ.get("ASSISTANT_HANDOFF_HOURS", "").strip() or None,
        handoff_webhook_url=environ.get("ASSISTANT_HANDOFF_WEBHOOK_URL", "").strip() or None,
        handoff_webhook_token=environ.get("ASSISTANT_HANDOFF_WEBHOOK_TOKEN", "").strip() or None,
    )
