"""Loading the calculators' shipped data into the knowledge base: the fee rules
(knowledge/fee_rules.yml) and the World Bank corridor averages. Both are safe to repeat:
what did not change is left alone."""

from typing import List, Text

from sqlalchemy.orm import sessionmaker

from knowledge import remittances
from knowledge.details import read_words
from knowledge.entries import read_references
from knowledge.fees import load_rules, read_rules_file
from knowledge.settings import Settings


def job_keys() -> List[Text]:
    return list(read_words("en").get("jobs") or {})


def load_fee_rules(factory: sessionmaker, settings: Settings) -> Text:
    references = read_references(settings.references_file)
    rules = read_rules_file(settings.fee_rules_file, references, job_keys())
    report = load_rules(factory, rules)
    return (
        f"Fee rules: {len(report.created)} new, {len(report.updated)} changed, "
        f"{len(report.unchanged)} unchanged."
    )


def load_shipped_prices(factory: sessionmaker, settings: Settings) -> Text:
    result = remittances.import_file(factory, settings.remittances_file, "build")
    state = "loaded" if result.changed else "unchanged"
    return f"Remittance prices: {state} ({result.report.summary()})"
