"""Amounts, currencies, countries and jobs read from messages in every language
(knowledge/details.py), against the cases in tests/calculators/cases/<language>.yml."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from knowledge.details import Amount, ascii_digits, parse_number, vocabulary
from knowledge.settings import SUPPORTED_LANGUAGES

CASES_DIR = Path(__file__).parent / "calculators" / "cases"


def cases():
    for language in SUPPORTED_LANGUAGES:
        path = CASES_DIR / f"{language}.yml"
        if not path.exists():
            yield pytest.param(language, None, id=f"{language}-missing")
            continue
        for number, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield pytest.param(language, case, id=f"{language}-{number}")


@pytest.mark.parametrize("language, case", cases())
def test_message_details(language, case):
    assert case is not None, f"tests/calculators/cases/{language}.yml is missing"
    words = vocabulary(language)
    text = case["text"]
    mentions = words.country_mentions(text)
    assert {m.code: m.role for m in mentions} == (case.get("countries") or {}), text
    amounts = words.amounts(text)
    if "amount" in case:
        assert amounts, f"no amount found in {text!r}"
        assert amounts[0].value == Decimal(str(case["amount"])), text
        # Where the money or the worker is comes first, as in the forms.
        order = sorted(mentions, key=lambda m: m.role not in ("from", "at", "home"))
        assert amounts[0].currency_for([m.code for m in order]) == case.get("currency"), text
    else:
        assert amounts == [], text
    assert words.job(text) == case.get("job"), text
    assert words.says_unknown(text) == bool(case.get("unknown")), text


def test_every_language_has_cases():
    for language in SUPPORTED_LANGUAGES:
        loaded = yaml.safe_load((CASES_DIR / f"{language}.yml").read_text(encoding="utf-8"))
        assert len(loaded) >= 20, language
        assert any("amount" in case for case in loaded)
        assert any(case.get("countries") for case in loaded)


@pytest.mark.parametrize(
    "token, value",
    [
        ("200", "200"),
        ("1,500", "1500"),
        ("1.500", "1500"),
        ("1,50,000", "150000"),
        ("1.500.000", "1500000"),
        ("1,500.50", "1500.50"),
        ("1.500,50", "1500.50"),
        ("2.5", "2.5"),
        ("2,5", "2.5"),
        ("10.50", "10.50"),
        ("1 500", "1500"),
        ("1\u202f500", "1500"),
    ],
)
def test_number_formats(token, value):
    assert parse_number(token) == Decimal(value)


def test_malformed_numbers_are_not_amounts():
    assert parse_number("1.2.3") is None
    assert parse_number("12,34,5") is None


def test_digits_of_every_script():
    assert ascii_digits("१५००") == "1500"
    assert ascii_digits("৫০০") == "500"
    assert ascii_digits("٢٠٠") == "200"
    assert ascii_digits("۱۲۳") == "123"


def test_ambiguous_currency_follows_the_countries():
    riyal = Amount(Decimal(1), ("SAR", "QAR", "OMR"))
    assert riyal.currency_for(["QAT", "NPL"]) == "QAR"
    assert riyal.currency_for(["OMN"]) == "OMR"
    assert riyal.currency_for([]) == "SAR"
    assert Amount(Decimal(1)).currency_for(["QAT"]) is None


# --- the wage and the weaker "in" cue ------------------------------------------------------
@pytest.mark.parametrize(
    "language, text, wage, currency",
    [
        ("id", "dr indonesia ke hongkong, jd prt, gaji 4990 hkd", "4990", "HKD"),
        ("bn", "kaj holo steel fixer, salary bolse 1400 riyal. check kore den", "1400", "SAR"),
        ("tl", "4990 hkd yung fee, pinay po ako, domestic helper, sahod 4990", "4990", "HKD"),
    ],
)
def test_an_amount_after_a_wage_word_is_the_wage_not_the_fee(
    actions_on_built_knowledge, language, text, wage, currency
):
    from actions.calculators import ValidateFeeForm

    work = "HKG" if currency == "HKD" else "SAU"
    read = ValidateFeeForm().read(text, language, {"work_country": work}, None)
    assert read["monthly_wage"] == wage and read["wage_currency"] == currency
    assert read.get("fee_amount") != wage or language == "tl"


def test_a_country_in_which_the_family_lives_is_the_other_end_of_a_transfer(
    actions_on_built_knowledge,
):
    from actions.calculators import ValidateRemittanceForm

    read = ValidateRemittanceForm().read(
        "abi a7awil 1500 riyal l ahli fil yemen min jeddah kam ya5thoon", "ar", {}, None
    )
    assert read["work_country"] == "SAU" and read["home_country"] == "YEM"


@pytest.mark.parametrize(
    "language, text, amount",
    [
        ("en", "and 2000?", Decimal("2000")),
        ("ar", "w 2000?", Decimal("2000")),
        ("ne", "अनि २००० पठाए नि?", Decimal("2000")),
        ("en", "in 2024", None),
        ("en", "i came to dubai in 2019 with my cousin", None),
        ("ne", "2020 ma", None),
    ],
)
def test_a_number_like_a_year_is_an_amount_only_in_a_few_words_about_money(language, text, amount):
    found = vocabulary(language).amounts(text)
    assert [a.value for a in found] == ([amount] if amount else [])


@pytest.mark.parametrize(
    "language, text, pay",
    [
        ("fr", "au pays le contrat disait agent de securite 1800 riyals. ici c pour nettoyage "
               "a 1100 et ils disent signe vite", True),
        ("es", "en mi contrato decia invernadero a 17 dolares la hora pero aqui me pagan 15", True),
        ("en", "salary is 1500 ringgit per month", True),
        # The wage, then an amount to send: not only pay.
        ("en", "salary 1500 ringgit, i send 500 home", False),
        ("en", "cleaner 1100 riyal, i want to send 300 to my mother", False),
        ("en", "i send 500 dollar to nepal, i am driver", False),
    ],
)  # fmt: skip
def test_pay_after_a_wage_word_or_a_job_is_no_transfer(language, text, pay):
    assert vocabulary(language).only_pay(text) is pay


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("fr", "3afak jawbni b lfransawi, c'est quoi le moins cher", []),
        ("ar", "3la 500 dollar", [Decimal(500)]),
        ("en", "2lakh taka", [Decimal(200000)]),
        ("id", "5rb doang", [Decimal(5000)]),
        ("en", "500usd", [Decimal(500)]),
    ],
)
def test_an_arabizi_digit_beginning_a_word_is_a_letter_not_an_amount(language, text, expected):
    assert [a.value for a in vocabulary(language).amounts(text)] == expected
