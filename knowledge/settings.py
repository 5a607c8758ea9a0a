"""Configuration, read once from environment variables (defaults documented in README)."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Text, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# ISO 639-1 codes of the languages the assistant converses in.
SUPPORTED_LANGUAGES: Tuple[Text, ...] = ("en", "fr", "es", "ar", "ne", "tl", "bn", "id")


@dataclass(frozen=True)
class Settings:
    default_language: Text = "en"
    locales_dir: Path = PROJECT_ROOT / "locales"
    domain_dir: Path = PROJECT_ROOT / "bot" / "domain"
    facts_file: Path = PROJECT_ROOT / "knowledge" / "facts.yml"
    danger_signals_file: Path = PROJECT_ROOT / "knowledge" / "danger_signals.yml"
    language_data_dir: Path = PROJECT_ROOT / "knowledge" / "language_data"
    # How people type in each language: the NLU training messages (never the held-out sets).
    typed_examples_dir: Path = PROJECT_ROOT / "data" / "nlu"
    # Ways to reach a person, as the deploying organisation publishes them
    # ("WhatsApp +977 …", "help@centre.example"); empty means nobody is connected.
    handoff_contacts: Tuple[Text, ...] = field(default_factory=tuple)
    handoff_hours: Optional[Text] = None


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
    return Settings(
        default_language=default_language,
        handoff_contacts=contacts,
        handoff_hours=environ.get("ASSISTANT_HANDOFF_HOURS", "").strip() or None,
    )
