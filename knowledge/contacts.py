"""Whom to call where the person is: emergency numbers and helplines per country
(knowledge/contacts.yml), each with its source, the date the source states and its review
status. A country without rows has none: the bot then says how to reach the embassy and
the police there, and never makes a number up."""

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Text, Tuple

import yaml

EMERGENCY = "emergency"
HOTLINE = "hotline"
# A phone screen holds about this many lines before the person has to scroll: the
# emergency numbers first, then the helplines.
SHOWN = 4


@dataclass(frozen=True)
class Contact:
    country: Text
    kind: Text
    name: Text
    number: Text
    source: Text
    source_name: Text
    source_date: Text
    source_status: Text
    review: Text
    handles: Optional[Text] = None
    hours: Optional[Text] = None
    languages: Optional[Text] = None

    def line(self) -> Text:
        """One line for a phone: who, the number, when, and where it comes from."""
        hours = f", {self.hours}" if self.hours else ""
        return f"• {self.name}: {self.number}{hours} ({self.source_name}, {self.source_date})"


class ContactDirectory:
    def __init__(self, rows: Mapping[Text, List[Contact]]) -> None:
        self._rows = rows

    @classmethod
    def from_file(cls, path: Path) -> "ContactDirectory":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rows: Dict[Text, List[Contact]] = {}
        for country, contacts in data.items():
            rows[str(country)] = [Contact(country=str(country), **row) for row in contacts or []]
        return cls(rows)

    def countries(self) -> Tuple[Text, ...]:
        return tuple(self._rows)

    def for_country(self, country: Optional[Text], limit: int = SHOWN) -> List[Contact]:
        """The emergency numbers, then the helplines of one country."""
        rows = self._rows.get(country or "", [])
        ordered = [r for r in rows if r.kind == EMERGENCY] + [
            r for r in rows if r.kind != EMERGENCY
        ]
        return ordered[:limit]
