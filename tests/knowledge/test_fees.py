"""Recruitment fee rules: the shipped rules file, loading it (SQLite and PostgreSQL), which
rules apply to a case (never one that does not match), and each rule against amounts
worked out by hand."""

import datetime
from decimal import Decimal

import pytest
import yaml

from knowledge.calculator_data import job_keys
from knowledge.entries import read_references
from knowledge.fees import (
    FeeRuleError,
    applicable_rules,
    authority_for,
    job_matters,
    judge,
    live_rules,
    load_rules,
    parse_rules,
    read_rules_file,
    wage_matters,
)
from knowledge.i18n import load_responses
from knowledge.settings import load_settings

SETTINGS = load_settings({})
REFERENCES = read_references(SETTINGS.references_file)
RULES = read_rules_file(SETTINGS.fee_rules_file, REFERENCES, job_keys())
BY_KEY = {rule.key: rule for rule in RULES}


def keys(rules):
    return [rule.key for rule in rules]


def test_every_shipped_rule_is_unreviewed_and_says_where_to_complain():
    assert len(RULES) == 8
    for rule in RULES:
        assert rule.review_status == "unreviewed"
        assert rule.authority and rule.reference in REFERENCES


def test_every_note_and_condition_a_rule_names_has_a_response():
    responses = load_responses(SETTINGS.domain_dir)
    for rule in RULES:
        if rule.note:
            assert f"utter_fee_note_{rule.note}" in responses, rule.key
        if rule.condition:
            assert f"utter_fee_condition_{rule.condition}" in responses, rule.key


def test_nepal_to_qatar_above_the_cap():
    [rule] = applicable_rules(RULES, "NPL", "QAT", None)
    assert rule.key == "np-free-visa-free-ticket"
    verdict = judge(rule, Decimal(150000), "NPR")
    assert (verdict.cap, verdict.cap_currency) == (Decimal(10000), "NPR")
    assert verdict.comparable and verdict.excess == Decimal(140000)


def test_nepal_to_qatar_within_the_cap_and_in_another_currency():
    [rule] = applicable_rules(RULES, "NPL", "QAT", "driving")
    assert judge(rule, Decimal(8000), "NPR").excess == 0
    other = judge(rule, Decimal(1500), "USD")
    assert not other.comparable and other.excess is None


def test_nepal_rule_is_never_applied_outside_its_seven_destinations():
    assert applicable_rules(RULES, "NPL", "JPN", "caregiving") == []
    assert applicable_rules(RULES, "NPL", "KOR", None) == []
    assert authority_for(RULES, "NPL") == "Nepal's Department of Foreign Employment"


def test_philippines_domestic_worker_pays_nothing():
    [rule] = applicable_rules(RULES, "PHL", "SAU", "domestic_work")
    assert rule.key == "ph-household-service-no-fee"
    verdict = judge(rule, Decimal(20000), "PHP")
    assert verdict.cap == 0 and verdict.excess == Decimal(20000)


def test_philippines_other_jobs_one_month_of_wage():
    [rule] = applicable_rules(RULES, "PHL", "SAU", "caregiving")
    assert rule.key == "ph-placement-fee-one-month"
    verdict = judge(rule, Decimal(40000), "PHP", wage=Decimal(25000), wage_currency="PHP")
    assert verdict.cap == Decimal(25000) and verdict.excess == Decimal(15000)
    assert judge(rule, Decimal(40000), "PHP").cap is None  # no wage: no amount
    assert judge(rule, Decimal(900), "USD", Decimal(25000), "PHP").comparable is False


def test_philippines_to_qatar_is_a_no_fee_destination_for_every_job():
    for job in ("caregiving", "construction", "domestic_work"):
        [rule] = applicable_rules(RULES, "PHL", "QAT", job)
        assert rule.kind == "zero"


def test_hong_kong_rule_applies_with_the_origin_rule():
    rules = applicable_rules(RULES, "PHL", "HKG", "domestic_work")
    assert keys(rules) == ["ph-household-service-no-fee", "hk-agency-commission"]
    hong_kong = rules[1]
    # 10 % of a first month's wage of HKD 4,990 is HKD 499.
    verdict = judge(hong_kong, Decimal(5000), "HKD", Decimal(4990), "HKD")
    assert verdict.cap == Decimal("499.00") and verdict.excess == Decimal("4501.00")
    # From a country without a rule of its own, only Hong Kong's applies.
    assert keys(applicable_rules(RULES, "LKA", "HKG", "domestic_work")) == ["hk-agency-commission"]


def test_bangladesh_ceilings():
    [saudi] = applicable_rules(RULES, "BGD", "SAU", "construction")
    assert saudi.condition == "male_workers"
    assert judge(saudi, Decimal(200000), "BDT").excess == Decimal(35000)
    [malaysia] = applicable_rules(RULES, "BGD", "MYS", None)
    assert judge(malaysia, Decimal(78990), "BDT").excess == 0
    assert judge(malaysia, Decimal(300000), "BDT").excess == Decimal(221010)
    assert applicable_rules(RULES, "BGD", "ITA", None) == []


def test_indonesia_zero_cost_only_for_the_named_jobs():
    for job in ("domestic_work", "caregiving", "driving", "fishing"):
        [rule] = applicable_rules(RULES, "IDN", "TWN", job)
        assert rule.key == "id-zero-placement-cost"
    assert applicable_rules(RULES, "IDN", "TWN", "construction") == []
    assert applicable_rules(RULES, "IDN", "TWN", None) == []


def test_which_questions_the_form_needs():
    assert job_matters(RULES, "PHL", "SAU") and job_matters(RULES, "IDN", "MYS")
    assert not job_matters(RULES, "NPL", "QAT") and not job_matters(RULES, "BGD", "SAU")
    assert wage_matters(RULES, "PHL", "SAU", "caregiving")
    assert not wage_matters(RULES, "PHL", "SAU", "domestic_work")
    assert wage_matters(RULES, "NPL", "HKG", None)
    assert not wage_matters(RULES, "NPL", "QAT", None)


def test_loading_is_idempotent_and_a_change_is_a_new_version(sessions):
    first = load_rules(sessions, RULES)
    assert len(first.created) == 8
    assert load_rules(sessions, RULES).unchanged == tuple(
        sorted(keys(RULES), key=keys(RULES).index)
    )
    changed = [
        rule
        if rule.key != "np-free-visa-free-ticket"
        else rule.__class__(**{**rule.__dict__, "amount": Decimal(12000)})
        for rule in RULES
    ]
    report = load_rules(sessions, changed)
    assert report.updated == ("np-free-visa-free-ticket",)
    with sessions() as session:
        live = {rule.key: rule for rule in live_rules(session)}
    assert live["np-free-visa-free-ticket"].amount == Decimal(12000)
    assert live["hk-agency-commission"].share == pytest.approx(0.10)


def raw_rules():
    return yaml.safe_load(SETTINGS.fee_rules_file.read_text(encoding="utf-8"))


def test_a_broken_rules_file_lists_every_problem():
    raw = raw_rules()
    rules = raw["rules"]
    rules["np-free-visa-free-ticket"]["amount"] = -5
    rules["ph-household-service-no-fee"]["kind"] = "maybe"
    rules["hk-agency-commission"]["share"] = 10
    rules["bd-malaysia-ceiling"]["reference"] = "no-such-reference"
    rules["id-zero-placement-cost"]["jobs"] = ["astronaut"]
    rules["ph-qatar-no-placement-fee"]["destinations"] = ["Qatar"]
    with pytest.raises(FeeRuleError) as refused:
        parse_rules(raw, REFERENCES, job_keys())
    message = str(refused.value)
    for expected in (
        "np-free-visa-free-ticket: a cap_amount rule needs a positive amount",
        "ph-household-service-no-fee: kind must be one of",
        "hk-agency-commission: a wage_share rule needs a share between 0 and 1",
        "bd-malaysia-ceiling: reference 'no-such-reference'",
        "id-zero-placement-cost: jobs must be a list of",
        "ph-qatar-no-placement-fee: destinations has codes that are not ISO alpha-3",
    ):
        assert expected in message


def test_a_rule_on_an_unconfirmed_fact_cannot_be_marked_reviewed():
    raw = raw_rules()
    raw["rules"]["np-free-visa-free-ticket"].update(
        review_status="reviewed", last_reviewed=datetime.date(2026, 11, 1)
    )
    with pytest.raises(FeeRuleError, match="stays unreviewed"):
        parse_rules(raw, REFERENCES, job_keys())
