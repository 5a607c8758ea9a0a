"""Sourced exchange rates (knowledge/sources/fx.csv: local currency per US dollar, annual
averages from the World Bank's WDI and the US Federal Reserve's H.10, each with its
source). An amount is converted only with rates of the same source and year for both
currencies; a currency without a sourced rate is never converted."""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Dict, Optional, Text, Tuple

USD = "USD"
# Columns, newest first within each source; the World Bank's official annual averages are
# preferred, the Federal Reserve's noon rates fill the years and currencies WDI lacks.
COLUMNS = (
    ("wdi_2024", "wdi_source", "2024", "World Bank WDI PA.NUS.FCRF"),
    ("fred_2025", "fred_source", "2025", "US Federal Reserve H.10"),
    ("fred_2024", "fred_source", "2024", "US Federal Reserve H.10"),
    ("wdi_2023", "wdi_source", "2023", "World Bank WDI PA.NUS.FCRF"),
    ("fred_2023", "fred_source", "2023", "US Federal Reserve H.10"),
    ("wdi_2022", "wdi_source", "2022", "World Bank WDI PA.NUS.FCRF"),
)


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    currency: Text
    year: Text
    source: Text


class ExchangeRates:
    def __init__(self, rates: Dict[Tuple[Text, Text], Dict[Text, Decimal]]) -> None:
        # (year, source name) -> {currency: units per US dollar}
        self._rates = rates

    @classmethod
    def from_csv(cls, path: Path) -> "ExchangeRates":
        rates: Dict[Tuple[Text, Text], Dict[Text, Decimal]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column, _, year, source in COLUMNS:
                    try:
                        value = Decimal((row.get(column) or "").strip())
                    except InvalidOperation:
                        continue
                    if value > 0:
                        rates.setdefault((year, source), {})[row["currency"].strip()] = value
        for table in rates.values():
            table[USD] = Decimal(1)
        return cls(rates)

    def convert(self, amount: Decimal, source: Text, target: Text) -> Optional[Conversion]:
        """`amount` in `source` currency as `target` currency, at the newest annual average
        both have from one source; None when no sourced rate covers both."""
        if source == target:
            return Conversion(amount, target, "", "")
        for _, _, year, name in COLUMNS:
            table = self._rates.get((year, name), {})
            if source in table and target in table:
                return Conversion(amount / table[source] * table[target], target, year, name)
        return None
