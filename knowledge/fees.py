"""Recruitment fee rules: loading knowledge/fee_rules.yml into the knowledge base, and
deciding which rules apply to a worker's case and what they allow.

The international standard (nobody should pay a recruitment fee: the employer pays) is
always said first by the bot; these rules are what a country allows on top of it. A rule
applies only when the worker's origin, destination and job all match it; of one
country's rules, the most specific applies (named destinations, then named jobs)."""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Text, Tuple

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import transaction
from knowledge.models import REVIEWED, UNREVIEWED, FeeRule, utcnow

ZERO, CAP_AMOUNT, CAP_MONTHS, WAGE_SHARE = "zero", "cap_amount", "cap_months", "wage_share"
KINDS = (ZERO, CAP_AMOUNT, CAP_MONTHS, WAGE_SHARE)
# Rules capped in wages need the worker's wage to give an amount.
NEEDS_WAGE = (CAP_MONTHS, WAGE_SHARE)
FIELDS = (
    "jurisdiction",
    "origins",
    "destinations",
    "jobs",
    "kind",
    "amount",
    "currency",
    "months",
    "share",
    "condition",
    "note",
    "reference",
    "authority",
    "review_status",
    "last_reviewed",
)


class FeeRuleError(ValueError):
    """A rules file that cannot be loaded; the message lists every problem."""


@dataclass(frozen=True)
class Rule:
    key: Text
    jurisdiction: Text
    origins: Optional[Tuple[Text, ...]]
    destinations: Optional[Tuple[Text, ...]]
    jobs: Optional[Tuple[Text, ...]]
    kind: Text
    amount: Optional[Decimal]
    currency: Optional[Text]
    months: Optional[float]
    share: Optional[float]
    condition: Optional[Text]
    note: Optional[Text]
    reference: Text
    authority: Text
    review_status: Text
    last_reviewed: Optional[datetime.date]

    def matches(
        self, origin: Optional[Text], destination: Optional[Text], job: Optional[Text]
    ) -> bool:
        return (
            (self.origins is None or origin in self.origins)
            and (self.destinations is None or destination in self.destinations)
            and (self.jobs is None or job in self.jobs)
        )

    def could_match(self, origin: Optional[Text], destination: Optional[Text]) -> bool:
        """Whether the rule may apply to these countries, whatever the job."""
        return (self.origins is None or origin in self.origins) and (
            self.destinations is None or destination in self.destinations
        )

    @property
    def specificity(self) -> Tuple[int, int]:
        return (self.destinations is not None, self.jobs is not None)

    def cap(self, wage: Optional[Decimal] = None) -> Optional[Decimal]:
        """The most that may be charged, in `currency` (or the wage's currency)."""
        if self.kind == ZERO:
            return Decimal(0)
        if self.kind == CAP_AMOUNT:
            return self.amount
        if wage is None:
            return None
        factor = Decimal(str(self.months if self.kind == CAP_MONTHS else self.share))
        return (wage * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _codes(value, field: Text, key: Text, problems: List[Text]) -> Optional[Tuple[Text, ...]]:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        problems.append(f"{key}: {field} must be a non-empty list of country codes, or left out")
        return None
    bad = [
        v for v in value if not (isinstance(v, str) and len(v) == 3 and v.isalpha() and v.isupper())
    ]
    if bad:
        problems.append(f"{key}: {field} has codes that are not ISO alpha-3: {bad}")
    return tuple(value)


def parse_rules(raw: Mapping, references: Mapping, jobs: Sequence[Text]) -> List[Rule]:
    """Rules from the YAML structure, checked in full: every problem is reported at once."""
    problems: List[Text] = []
    rules: List[Rule] = []
    items = (raw or {}).get("rules")
    if not isinstance(items, dict) or not items:
        raise FeeRuleError("The file has no `rules:` mapping.")
    for key, item in items.items():
        if not isinstance(item, dict):
            problems.append(f"{key}: not a mapping")
            continue
        unknown = set(item) - set(FIELDS)
        if unknown:
            problems.append(f"{key}: unknown fields {sorted(unknown)}")
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append(f"{key}: kind must be one of {', '.join(KINDS)}")
        jurisdiction = item.get("jurisdiction")
        if not (
            isinstance(jurisdiction, str) and len(jurisdiction) == 3 and jurisdiction.isupper()
        ):
            problems.append(f"{key}: jurisdiction must be an ISO alpha-3 code")
        amount = item.get("amount")
        if kind == CAP_AMOUNT:
            if not isinstance(amount, (int, float)) or isinstance(amount, bool) or amount <= 0:
                problems.append(f"{key}: a cap_amount rule needs a positive amount")
            if not (isinstance(item.get("currency"), str) and len(item["currency"]) == 3):
                problems.append(f"{key}: a cap_amount rule needs a currency code")
        if kind == CAP_MONTHS and not (
            isinstance(item.get("months"), (int, float)) and item["months"] > 0
        ):
            problems.append(f"{key}: a cap_months rule needs a positive number of months")
        if kind == WAGE_SHARE and not (
            isinstance(item.get("share"), (int, float)) and 0 < item["share"] < 1
        ):
            problems.append(f"{key}: a wage_share rule needs a share between 0 and 1")
        reference = item.get("reference")
        if reference not in references:
            problems.append(f"{key}: reference {reference!r} is not in knowledge/references.yml")
        elif references[reference].get("check") and item.get("review_status") == REVIEWED:
            problems.append(
                f"{key}: cites a fact marked `check: true`; it stays unreviewed until the "
                "reference itself is confirmed"
            )
        if not item.get("authority"):
            problems.append(f"{key}: authority (where to check and complain) is required")
        status = item.get("review_status", UNREVIEWED)
        if status not in (REVIEWED, UNREVIEWED):
            problems.append(f"{key}: review_status must be reviewed or unreviewed")
        last_reviewed = item.get("last_reviewed")
        if status == REVIEWED and not isinstance(last_reviewed, datetime.date):
            problems.append(f"{key}: a reviewed rule needs last_reviewed (YYYY-MM-DD)")
        rule_jobs = item.get("jobs")
        if rule_jobs is not None and (
            not isinstance(rule_jobs, list) or set(rule_jobs) - set(jobs)
        ):
            problems.append(f"{key}: jobs must be a list of {', '.join(jobs)}")
        rules.append(
            Rule(
                key=str(key),
                jurisdiction=str(jurisdiction),
                origins=_codes(item.get("origins"), "origins", key, problems),
                destinations=_codes(item.get("destinations"), "destinations", key, problems),
                jobs=tuple(rule_jobs) if isinstance(rule_jobs, list) else None,
                kind=str(kind),
                amount=Decimal(str(amount)) if amount is not None else None,
                currency=item.get("currency"),
                months=item.get("months"),
                share=item.get("share"),
                condition=item.get("condition"),
                note=item.get("note"),
                reference=str(reference),
                authority=str(item.get("authority") or ""),
                review_status=status,
                last_reviewed=last_reviewed if isinstance(last_reviewed, datetime.date) else None,
            )
        )
    if problems:
        raise FeeRuleError("The fee rules were not loaded:\n" + "\n".join(problems))
    return rules


def read_rules_file(path: Path, references: Mapping, jobs: Sequence[Text]) -> List[Rule]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FeeRuleError(f"Cannot read {path}: {error}") from None
    return parse_rules(raw, references, jobs)


def _content(rule: Rule) -> Dict:
    return {
        "jurisdiction": rule.jurisdiction,
        "origins": list(rule.origins) if rule.origins else None,
        "destinations": list(rule.destinations) if rule.destinations else None,
        "jobs": list(rule.jobs) if rule.jobs else None,
        "kind": rule.kind,
        "amount": str(rule.amount) if rule.amount is not None else None,
        "currency": rule.currency,
        "months": rule.months,
        "share": rule.share,
        "condition": rule.condition,
        "note": rule.note,
        "reference_key": rule.reference,
        "authority": rule.authority,
        "review_status": rule.review_status,
        "last_reviewed": rule.last_reviewed,
    }


def _fingerprint(content: Mapping) -> Text:
    def plain(value):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return format(Decimal(str(value)).normalize(), "f")
        if isinstance(value, str) and value.replace(".", "", 1).isdigit():
            return format(Decimal(value).normalize(), "f")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    return hashlib.sha256(
        json.dumps({k: plain(v) for k, v in content.items()}, sort_keys=True).encode()
    ).hexdigest()


@dataclass(frozen=True)
class LoadReport:
    created: Tuple[Text, ...]
    updated: Tuple[Text, ...]
    unchanged: Tuple[Text, ...]


def load_rules(factory: sessionmaker, rules: Sequence[Rule], author: Text = "file") -> LoadReport:
    """Upsert the rules in one transaction; a rule whose content did not change is left
    alone, a changed one gets a new version."""
    created, updated, unchanged = [], [], []
    with transaction(factory) as session:
        existing = {r.key: r for r in session.execute(select(FeeRule)).scalars()}
        for rule in rules:
            content = _content(rule)
            row = existing.get(rule.key)
            if row is None:
                session.add(FeeRule(key=rule.key, updated_by=author, **content))
                created.append(rule.key)
                continue
            current = {name: getattr(row, name) for name in content}
            if _fingerprint(current) == _fingerprint(content) and row.active:
                unchanged.append(rule.key)
                continue
            for name, value in content.items():
                setattr(row, name, value)
            row.active = True
            row.version += 1
            row.updated_at = utcnow()
            row.updated_by = author
            updated.append(rule.key)
    return LoadReport(tuple(created), tuple(updated), tuple(unchanged))


def live_rules(session: Session) -> List[Rule]:
    rows = session.execute(select(FeeRule).where(FeeRule.active.is_(True)).order_by(FeeRule.key))
    return [_rule(r) for r in rows.scalars()]


# --- deciding --------------------------------------------------------------------------
def applicable_rules(
    rules: Sequence[Rule], origin: Optional[Text], destination: Optional[Text], job: Optional[Text]
) -> List[Rule]:
    """The rules that apply to this case: per jurisdiction, the most specific match; the
    origin country's rule first."""
    best: Dict[Text, Rule] = {}
    for rule in rules:
        if not rule.matches(origin, destination, job):
            continue
        current = best.get(rule.jurisdiction)
        if current is None or rule.specificity > current.specificity:
            best[rule.jurisdiction] = rule
    return sorted(best.values(), key=lambda r: (r.jurisdiction != origin, r.jurisdiction))


def job_matters(rules: Sequence[Rule], origin: Optional[Text], destination: Optional[Text]) -> bool:
    """Whether the answer can depend on the job: some rule for these countries names jobs."""
    return any(r.jobs is not None and r.could_match(origin, destination) for r in rules)


def wage_matters(
    rules: Sequence[Rule], origin: Optional[Text], destination: Optional[Text], job: Optional[Text]
) -> bool:
    return any(r.kind in NEEDS_WAGE for r in applicable_rules(rules, origin, destination, job))


@dataclass(frozen=True)
class Verdict:
    """One rule compared with the amount asked."""

    rule: Rule
    cap: Optional[Decimal]  # None: cannot be computed (no wage)
    cap_currency: Optional[Text]
    comparable: bool  # the amount and the cap are in the same currency
    excess: Optional[Decimal]  # how much more than allowed (0 when within)


def judge(
    rule: Rule,
    amount: Decimal,
    currency: Optional[Text],
    wage: Optional[Decimal] = None,
    wage_currency: Optional[Text] = None,
) -> Verdict:
    if rule.kind == ZERO:
        return Verdict(rule, Decimal(0), currency, True, amount)
    if rule.kind == CAP_AMOUNT:
        cap, cap_currency = rule.amount, rule.currency
    else:
        cap, cap_currency = rule.cap(wage), wage_currency
    if cap is None:
        return Verdict(rule, None, None, False, None)
    comparable = currency is not None and currency == cap_currency
    excess = max(amount - cap, Decimal(0)) if comparable else None
    return Verdict(rule, cap, cap_currency, comparable, excess)


def authority_for(rules: Sequence[Rule], country: Optional[Text]) -> Optional[Text]:
    """Where to ask and complain in a country, as its rules name it."""
    return next((r.authority for r in rules if r.jurisdiction == country), None)


class StaleRule(FeeRuleError):
    """The rule changed since the caller read it."""


def rule_as_item(rule: Rule) -> Dict:
    """A rule as it is written in knowledge/fee_rules.yml."""
    item: Dict = {
        "jurisdiction": rule.jurisdiction,
        "kind": rule.kind,
        "reference": rule.reference,
        "authority": rule.authority,
        "review_status": rule.review_status,
    }
    for name in ("origins", "destinations", "jobs"):
        if getattr(rule, name) is not None:
            item[name] = list(getattr(rule, name))
    if rule.amount is not None:
        item["amount"] = float(rule.amount) if rule.amount % 1 else int(rule.amount)
    for name in ("currency", "months", "share", "condition", "note", "last_reviewed"):
        if getattr(rule, name) is not None:
            item[name] = getattr(rule, name)
    return item


def update_rule(
    factory: sessionmaker,
    key: Text,
    expected_version: object,
    changes: Mapping,
    author: Text,
    references: Mapping,
    jobs: Sequence[Text],
) -> int:
    """Change one rule (staff): checked like the file, refused if somebody changed it
    since `expected_version`; returns the new version."""
    editable = set(FIELDS) - {"jurisdiction"}
    unknown = set(changes) - editable
    if unknown:
        raise FeeRuleError(f"These fields cannot be changed here: {sorted(unknown)}")
    with transaction(factory) as session:
        row = session.execute(select(FeeRule).filter_by(key=key)).scalar_one_or_none()
        if row is None:
            raise FeeRuleError(f"No fee rule {key!r}.")
        if not isinstance(expected_version, int) or row.version != expected_version:
            raise StaleRule(
                f"This rule was changed by {row.updated_by} since you opened it (version "
                f"{row.version}). Nothing was saved: reload it and apply your change again."
            )
        item = {**rule_as_item(_rule(row)), **changes}
        if isinstance(item.get("last_reviewed"), str):
            try:
                item["last_reviewed"] = datetime.date.fromisoformat(item["last_reviewed"])
            except ValueError:
                raise FeeRuleError("last_reviewed must be a date, YYYY-MM-DD.") from None
        item = {name: value for name, value in item.items() if value not in (None, "", [])}
        [rule] = parse_rules({"rules": {key: item}}, references, jobs)
        for name, value in _content(rule).items():
            setattr(row, name, value)
        row.version += 1
        row.updated_at = utcnow()
        row.updated_by = author
        return row.version


def _rule(r: FeeRule) -> Rule:
    return Rule(
        key=r.key,
        jurisdiction=r.jurisdiction,
        origins=tuple(r.origins) if r.origins else None,
        destinations=tuple(r.destinations) if r.destinations else None,
        jobs=tuple(r.jobs) if r.jobs else None,
        kind=r.kind,
        amount=Decimal(r.amount) if r.amount is not None else None,
        currency=r.currency,
        months=r.months,
        share=r.share,
        condition=r.condition,
        note=r.note,
        reference=r.reference_key,
        authority=r.authority,
        review_status=r.review_status,
        last_reviewed=r.last_reviewed,
    )


def rules_with_versions(session: Session) -> List[Dict]:
    rows = session.execute(
        select(FeeRule).where(FeeRule.active.is_(True)).order_by(FeeRule.key)
    ).scalars()
    return [
        {
            **_json_item(rule_as_item(_rule(r))),
            "key": r.key,
            "version": r.version,
            "updated_by": r.updated_by,
            "updated_at": r.updated_at.isoformat(timespec="minutes"),
        }
        for r in rows
    ]


def _json_item(item: Dict) -> Dict:
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in item.items()}
